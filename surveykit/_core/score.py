"""The Miettinen-Nurminen / Farrington-Manning score statistic for p1 - p2.

Shared by the score interval (:func:`surveykit.difference_ci`) and the score test
(:func:`surveykit.two_proportion_test`), so that the interval's bounds are exactly where
the test's p-value crosses alpha.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "mle_from_terms",
    "restricted_mle",
    "score_terms",
    "score_z",
    "solve_decreasing",
    "z_from_terms",
]


def score_terms(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, correction: bool
) -> tuple[np.ndarray, ...]:
    """Per-element constants of the score statistic, computed once per interval."""
    theta = n2 / n1
    inv_a = 1 / (1 + theta)
    s = p1 + theta * p2
    k1 = (1 + theta + s) * inv_a
    k2 = (theta + 2) * inv_a
    k3 = 2 * p1 + theta + 1
    k4 = s * inv_a
    k5 = p1 * inv_a
    total = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        var_factor = np.where(total > 1, total / (total - 1), np.inf) if correction else 1.0
    var_factor = np.broadcast_to(var_factor, np.shape(theta))
    return (inv_a, k1, k2, k3, k4, k5, p1, 1 / n1, 1 / n2, var_factor, p1 - p2)


def mle_from_terms(delta: np.ndarray, *t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    inv_a, k1, k2, k3, k4, k5 = t[:6]
    # the likelihood cubic, normalised: x^3 + b x^2 + c x + d = 0
    b3 = -(k1 + delta * k2) / 3
    c = delta * (delta + k3) * inv_a + k4
    d = -k5 * delta * (1 + delta)
    v = b3 * (b3 * b3 - c / 2) + d / 2
    u = np.copysign(np.sqrt(np.maximum(b3 * b3 - c / 3, 0.0)), v)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = v / (u * u * u)
    ratio = np.where(u == 0, 0.0, ratio)
    w = (np.pi + np.arccos(np.clip(ratio, -1.0, 1.0))) / 3
    t1 = 2 * u * np.cos(w) - b3
    low, high = np.maximum(delta, 0.0), np.minimum(1.0, 1.0 + delta)
    t1 = np.clip(t1, low, high)
    # 0/n1 against 0/n2, and n1/n1 against n2/n2, put a double root of the cubic at the
    # answer, where the trigonometric form keeps only half its digits: their maximum is
    # on the boundary, in closed form.
    p1, dhat = t[6], t[10]
    p2 = p1 - dhat
    t1 = np.where((p1 == 0) & (p2 == 0), low, np.where((p1 == 1) & (p2 == 1), high, t1))
    t2 = np.clip(t1 - delta, 0.0, 1.0)
    return t1, t2


def z_from_terms(delta: np.ndarray, *t: np.ndarray) -> np.ndarray:
    t1, t2 = mle_from_terms(delta, *t)
    inv_n1, inv_n2, var_factor, dhat = t[7:]
    base = t1 * (1 - t1) * inv_n1 + t2 * (1 - t2) * inv_n2
    var = np.where(base > 0, base * var_factor, 0.0)
    diff = dhat - delta
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / np.sqrt(var)
    return np.where((diff == 0) & (var == 0), 0.0, z)


def restricted_mle(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood (p1, p2) under the constraint p1 - p2 = delta.

    The closed-form root of the likelihood cubic (Farrington and Manning 1990,
    Miettinen and Nurminen 1985), evaluated on whole arrays. Degenerate cubics (where the
    trigonometric form divides by zero or rounding pushes the arccos argument out of
    [-1, 1]) are handled by clipping and by the limits, never by raising.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return mle_from_terms(delta, *score_terms(p1, n1, p2, n2, False))


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
    with np.errstate(divide="ignore", invalid="ignore"):
        return z_from_terms(delta, *score_terms(p1, n1, p2, n2, correction))


def solve_decreasing(
    func: Callable[..., np.ndarray],
    params: Sequence[np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    target: np.ndarray,
    guess: np.ndarray,
    step: np.ndarray,
    *,
    xtol: float = 1e-10,
    maxiter: int = 200,
) -> np.ndarray:
    """Where ``func(x, *params)`` (decreasing in x) crosses ``target``, elementwise.

    A safeguarded secant method on whole arrays: each element keeps a bracket
    ``[lo, hi]`` with ``func(lo) > target > func(hi)``, starts at ``guess``, takes a first
    step of ``(func - target) * step`` (a Newton step with the derivative guessed as
    ``-1 / step``), then secant steps; a step that leaves the bracket, and every step
    after the twelfth, is a bisection instead. Only elements not yet converged are
    evaluated, so the cost is a few calls of ``func`` on shrinking arrays. ``func`` is
    never called at ``lower`` or ``upper``; an element whose crossing lies at (or
    beyond) an end converges to that end. NaN anywhere in an element gives NaN.

    An element stops when a secant step taken from nearby points is below ``xtol``
    (the secant point is returned; with superlinear convergence its error is far below
    ``xtol``) or when its bracket is narrower than ``xtol / 1000``.
    """
    shape = np.broadcast_shapes(np.shape(lower), np.shape(upper), np.shape(target))
    size = int(np.prod(shape))

    def flat(a: np.ndarray) -> np.ndarray:
        return np.array(np.broadcast_to(a, shape), dtype=float).reshape(size)

    lo, hi, tgt = flat(lower), flat(upper), flat(target)
    x, scale = flat(guess), flat(step)
    pars = [flat(p) for p in params]
    out = np.full(size, np.nan)
    bad = np.isnan(lo) | np.isnan(hi) | np.isnan(tgt) | np.isnan(x)
    for p in pars:
        bad |= np.isnan(p)
    idx = np.flatnonzero(~bad)
    lo, hi, tgt, x, scale = lo[idx], hi[idx], tgt[idx], x[idx], scale[idx]
    pars = [p[idx] for p in pars]
    inside = (x > lo) & (x < hi)
    x = np.where(inside, x, 0.5 * (lo + hi))
    x_prev = f_prev = None
    for it in range(maxiter):
        if idx.size == 0:
            break
        f = func(x, *pars) - tgt
        nan_f = np.isnan(f)
        lo = np.where(f > 0, x, lo)
        hi = np.where(f < 0, x, hi)
        if x_prev is None:
            x_new = x + f * scale
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                x_new = x - f * (x - x_prev) / (f - f_prev)
        # a tiny secant step means convergence only if the slope came from nearby points
        local = np.abs(x - x_prev) <= 1e-4 if x_prev is not None else False
        narrow = hi - lo <= xtol * 1e-3
        converged = (f == 0) | narrow | ((np.abs(x_new - x) <= xtol) & local)
        mid = 0.5 * (lo + hi)
        inside = (x_new > lo) & (x_new < hi)
        # converged by a tiny step: the secant point itself is the most accurate answer
        result = np.where(inside, x_new, x)
        result = np.where(f == 0, x, np.where(narrow, mid, result))
        x_new = np.where(~inside | (it >= 12), mid, x_new)
        done = converged | nan_f | (it == maxiter - 1)
        out[idx[done]] = np.where(nan_f, np.nan, result)[done]
        keep = ~done
        idx = idx[keep]
        x_prev, f_prev = x[keep], f[keep]
        x, lo, hi, tgt, scale = x_new[keep], lo[keep], hi[keep], tgt[keep], scale[keep]
        pars = [p[keep] for p in pars]
    return out.reshape(shape)
