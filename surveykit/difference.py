"""Confidence intervals for the difference of two independent proportions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._results import DifferenceCI
from ._validate import (
    broadcast,
    check_confidence_level,
    check_deff,
    check_n,
    check_option,
    check_proportion,
)
from .proportion import _wilson

__all__ = ["DIFFERENCE_CI_METHODS", "difference_ci"]

_Method = Callable[..., tuple[np.ndarray, np.ndarray]]


def _wald(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    z = special.ndtri(1 - tail)
    half = z * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = p1 - p2
    return d - half, d + half


def _newcombe(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    l1, u1 = _wilson(p1 * n1, n1, tail)
    l2, u2 = _wilson(p2 * n2, n2, tail)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


_METHODS: dict[str, _Method] = {"newcombe": _newcombe, "wald": _wald}
DIFFERENCE_CI_METHODS = tuple(_METHODS)


def difference_ci(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    method: str = "newcombe",
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
) -> DifferenceCI:
    """Confidence interval for :math:`p_1 - p_2` from two independent polls.

    All inputs broadcast (scalars, arrays, Series) and are computed on whole arrays.

    Parameters
    ----------
    p1, n1 : array_like
        Proportion and sample size of the first poll.
    p2, n2 : array_like
        Proportion and sample size of the second poll.
    method : {'newcombe', 'wald'}, default 'newcombe'
        ``'newcombe'`` is Newcombe's hybrid score interval (method 10 of [1]_), built
        from the two Wilson intervals; ``'wald'`` is the simple asymptotic interval.
    confidence_level : array_like, default 0.95
    deff : array_like, default 1.0
        Design effect applied to both polls (each n becomes ``n / deff``).

    Returns
    -------
    DifferenceCI
        ``estimate`` (p1 - p2), ``ci_low``, ``ci_high``, with the inputs echoed.

    Notes
    -----
    Wald: :math:`d \\pm z\\sqrt{\\hat p_1\\hat q_1/n_1 + \\hat p_2\\hat q_2/n_2}`, truncated
    to [-1, 1] where it overshoots. Newcombe: with Wilson bounds :math:`(l_i, u_i)`,
    :math:`d - \\sqrt{(\\hat p_1-l_1)^2+(u_2-\\hat p_2)^2}` to
    :math:`d + \\sqrt{(u_1-\\hat p_1)^2+(\\hat p_2-l_2)^2}`; it never leaves [-1, 1].

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.

    Examples
    --------
    The change in support for talks in the leaked FSO polls, 32% (July) to 55%
    (November), with 400 respondents assumed in each:

    >>> import surveykit as sk
    >>> ci = sk.difference_ci(0.55, 400, 0.32, 400)
    >>> round(ci.ci_low, 3), round(ci.ci_high, 3)
    (0.162, 0.295)
    """
    method = check_option("method", method, DIFFERENCE_CI_METHODS)
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, confidence_level=confidence_level, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = _METHODS[method](q1, m1 / design, q2, m2 / design, tail)
    return DifferenceCI(
        estimate=shape.wrap(q1 - q2, "estimate"),
        ci_low=shape.wrap(np.clip(lower, -1.0, 1.0), "ci_low"),
        ci_high=shape.wrap(np.clip(upper, -1.0, 1.0), "ci_high"),
        p1=shape.wrap(q1, "p1"),
        n1=shape.wrap(m1, "n1"),
        p2=shape.wrap(q2, "p2"),
        n2=shape.wrap(m2, "n2"),
        confidence_level=shape.wrap(level, "confidence_level"),
        method=method,
    )
