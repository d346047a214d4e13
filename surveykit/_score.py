"""The Miettinen-Nurminen / Farrington-Manning score statistic for p1 - p2.

Shared by the score interval (:func:`surveykit.difference_ci`) and the score test
(:func:`surveykit.two_proportion_test`), so that the interval's bounds are exactly where
the test's p-value crosses alpha.
"""

from __future__ import annotations

import numpy as np

__all__ = ["restricted_mle", "score_z"]


def restricted_mle(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood (p1, p2) under the constraint p1 - p2 = delta.

    The closed-form root of the likelihood cubic (Farrington and Manning 1990,
    Miettinen and Nurminen 1985), evaluated on whole arrays. Degenerate cubics (where the
    trigonometric form divides by zero or rounding pushes the arccos argument out of
    [-1, 1]) are handled by clipping and by the limits, never by raising.
    """
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
    c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2
    d = -p1 * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
    u2 = b * b / (9 * a * a) - c / (3 * a)
    u = np.copysign(np.sqrt(np.maximum(u2, 0.0)), v)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(u == 0, 0.0, v / u**3)
    w = (np.pi + np.arccos(np.clip(ratio, -1.0, 1.0))) / 3
    t1 = 2 * u * np.cos(w) - b / (3 * a)
    t1 = np.clip(t1, np.maximum(delta, 0.0), np.minimum(1.0, 1.0 + delta))
    t2 = np.clip(t1 - delta, 0.0, 1.0)
    return t1, t2


def score_z(
    p1: np.ndarray,
    n1: np.ndarray,
    p2: np.ndarray,
    n2: np.ndarray,
    delta: np.ndarray,
    *,
    correction: bool = True,
) -> np.ndarray:
    """Score statistic for H0: p1 - p2 = delta; decreasing in delta.

    ``correction=True`` applies Miettinen and Nurminen's variance factor N / (N - 1)
    (N = n1 + n2); ``False`` gives the Farrington-Manning / Mee statistic.
    """
    t1, t2 = restricted_mle(p1, n1, p2, n2, delta)
    var = t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2
    if correction:
        total = n1 + n2
        var = var * total / (total - 1)
    diff = p1 - p2 - delta
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / np.sqrt(var)
    return np.where((diff == 0) & (var == 0), 0.0, z)
