"""Confidence intervals for the difference of two independent proportions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.numerics import compact, wilson_bounds, wilson_cc_bounds, z_quantile
from surveykit._core.results import DifferenceCI
from surveykit._core.score import score_terms, solve_decreasing, z_from_terms
from surveykit._core.validation import (
    broadcast,
    check_confidence_level,
    check_deff,
    check_n,
    check_option,
    check_proportion,
)

__all__ = ["DIFFERENCE_CI_METHODS", "difference_ci"]

Interval = tuple[np.ndarray, np.ndarray]
_Method = Callable[..., Interval]


def _wald(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    z = z_quantile(tail)
    half = z * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = p1 - p2
    return d - half, d + half


def _wald_cc(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    z = z_quantile(tail)
    half = z * np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + 0.5 * (1 / n1 + 1 / n2)
    d = p1 - p2
    return d - half, d + half


def _agresti_caffo(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    z = z_quantile(tail)
    t1, t2 = (p1 * n1 + 1) / (n1 + 2), (p2 * n2 + 1) / (n2 + 2)
    half = z * np.sqrt(t1 * (1 - t1) / (n1 + 2) + t2 * (1 - t2) / (n2 + 2))
    d = t1 - t2
    return d - half, d + half


def _hauck_anderson(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    z = z_quantile(tail)
    # With one respondent (n - 1 = 0) the variance is unbounded: the interval is [-1, 1].
    v1 = np.where(n1 > 1, p1 * (1 - p1) / np.where(n1 > 1, n1 - 1, 1.0), np.inf)
    v2 = np.where(n2 > 1, p2 * (1 - p2) / np.where(n2 > 1, n2 - 1, 1.0), np.inf)
    half = 1 / (2 * np.minimum(n1, n2)) + z * np.sqrt(v1 + v2)
    d = p1 - p2
    return d - half, d + half


def _beal(p1, n1, p2, n2, tail, psi):  # type: ignore[no-untyped-def]
    """Beal's (1987) interval around the point psi: Haldane and Jeffreys-Perks."""
    z = z_quantile(tail)
    z2 = z * z
    u = (1 / n1 + 1 / n2) / 4
    v = (1 / n1 - 1 / n2) / 4
    d = p1 - p2
    centre = (d + z2 * v * (1 - 2 * psi)) / (1 + z2 * u)
    radicand = (
        u * (4 * psi * (1 - psi) - d * d)
        + 2 * v * (1 - 2 * psi) * d
        + 4 * z2 * u * u * (1 - psi) * psi
        + z2 * v * v * (1 - 2 * psi) ** 2
    )
    half = z / (1 + z2 * u) * np.sqrt(np.maximum(radicand, 0.0))
    return centre - half, centre + half


def _haldane(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    return _beal(p1, n1, p2, n2, tail, (p1 + p2) / 2)


def _jeffreys_perks(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    psi = ((p1 * n1 + 0.5) / (n1 + 1) + (p2 * n2 + 0.5) / (n2 + 1)) / 2
    return _beal(p1, n1, p2, n2, tail, psi)


def _hybrid(p1, n1, p2, n2, tail, single):  # type: ignore[no-untyped-def]
    l1, u1 = single(p1 * n1, n1, tail)
    l2, u2 = single(p2 * n2, n2, tail)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


def _newcombe(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    return _hybrid(p1, n1, p2, n2, tail, wilson_bounds)


def _newcombe_cc(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    return _hybrid(p1, n1, p2, n2, tail, wilson_cc_bounds)


#: elements per block in the score search: blocks that fit in cache are faster
_BLOCK = 1 << 15


def score_interval(p1, n1, p2, n2, tail, *, correction):  # type: ignore[no-untyped-def]
    """Invert the score test of p1 - p2 = delta: Miettinen-Nurminen or Mee.

    Each bound is found by a safeguarded secant search on whole arrays (in blocks of
    ``_BLOCK`` elements), started at Newcombe's hybrid bound, which is close, inside the
    bracket [-1, d] or [d, 1].
    """
    shape = np.broadcast_shapes(*(np.shape(a) for a in (p1, n1, p2, n2, tail)))
    p1, n1, p2, n2, tail = (np.broadcast_to(a, shape).ravel() for a in (p1, n1, p2, n2, tail))
    lower, upper = np.empty(p1.size), np.empty(p1.size)
    for start in range(0, p1.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        lower[block], upper[block] = _score_block(
            p1[block], n1[block], p2[block], n2[block], tail[block], correction
        )
    return lower.reshape(shape), upper.reshape(shape)


def _score_block(p1, n1, p2, n2, tail, correction):  # type: ignore[no-untyped-def]
    z = z_quantile(tail)
    d = p1 - p2
    start_lo, start_hi = _newcombe(p1, n1, p2, n2, tail)
    with np.errstate(divide="ignore", invalid="ignore"):
        step_lo = np.where(z > 0, (d - start_lo) / z, 0.0)
        step_hi = np.where(z > 0, (start_hi - d) / z, 0.0)
    step_lo = np.maximum(step_lo, 1e-9)
    step_hi = np.maximum(step_hi, 1e-9)
    terms = score_terms(p1, n1, p2, n2, correction)
    minus_one = np.full(d.shape, -1.0)
    lower = solve_decreasing(z_from_terms, terms, minus_one, d, z, start_lo, step_lo)
    upper = solve_decreasing(z_from_terms, terms, d, -minus_one, -z, start_hi, step_hi)
    if correction:
        # N / (N - 1) is unbounded with at most one (effective) respondent in all
        few = n1 + n2 <= 1
        lower, upper = np.where(few, -1.0, lower), np.where(few, 1.0, upper)
    return lower, upper


def _miettinen_nurminen(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    return score_interval(p1, n1, p2, n2, tail, correction=True)


def _mee(p1, n1, p2, n2, tail):  # type: ignore[no-untyped-def]
    return score_interval(p1, n1, p2, n2, tail, correction=False)


_METHODS: dict[str, _Method] = {
    "newcombe": _newcombe,
    "wald": _wald,
    "wald-cc": _wald_cc,
    "agresti-caffo": _agresti_caffo,
    "newcombe-cc": _newcombe_cc,
    "miettinen-nurminen": _miettinen_nurminen,
    "mee": _mee,
    "hauck-anderson": _hauck_anderson,
    "haldane": _haldane,
    "jeffreys-perks": _jeffreys_perks,
}
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

    All inputs broadcast (scalars, arrays, Series; a Series keeps its index) and are
    computed on whole arrays. The score intervals (``'miettinen-nurminen'``, ``'mee'``)
    are found by a vectorised safeguarded secant search, never by a loop over a scalar
    solver: a million rows take about a second.

    Parameters
    ----------
    p1, n1 : array_like
        Proportion and sample size of the first poll.
    p2, n2 : array_like
        Proportion and sample size of the second poll.
    method : {'newcombe', 'wald', 'wald-cc', 'agresti-caffo', 'newcombe-cc', \
'miettinen-nurminen', 'mee', 'hauck-anderson', 'haldane', 'jeffreys-perks'}, \
default 'newcombe'
        Interval method (see Notes).
    confidence_level : array_like, default 0.95
        Coverage of the two-sided interval, strictly between 0 and 1.
    deff : array_like, default 1.0
        Design effect applied to both polls (each n becomes ``n / deff``).

    Returns
    -------
    DifferenceCI
        ``estimate`` (p1 - p2), ``ci_low``, ``ci_high``, with the inputs echoed.

    Raises
    ------
    SurveyKitError
        For an unknown ``method``, a proportion outside [0, 1], a non-positive sample
        size or design effect, or a confidence level outside (0, 1).

    See Also
    --------
    surveykit.inference.two_sample_tests.two_proportion_test : the test of the same change.
    surveykit.inference.ratio.ratio_ci : the change as a risk or odds ratio.
    surveykit.inference.within_poll.option_difference_ci : two options of one poll.
    surveykit.inference.panel.change_test : the same people asked twice.
    surveykit.planning.coverage.difference_coverage : how often these intervals cover.

    Notes
    -----
    With :math:`d = \\hat p_1 - \\hat p_2`, :math:`\\hat q_i = 1 - \\hat p_i` and
    :math:`z = \\Phi^{-1}(1 - \\alpha/2)`; the numbering is Newcombe's [1]_:

    - ``wald`` (method 1): :math:`d \\pm z\\sqrt{\\hat p_1\\hat q_1/n_1
      + \\hat p_2\\hat q_2/n_2}`.
    - ``wald-cc`` (method 2): the Wald half-width plus :math:`(1/n_1 + 1/n_2)/2`.
    - ``haldane`` and ``jeffreys-perks`` (methods 3 and 4) [2]_: with
      :math:`u = (1/n_1 + 1/n_2)/4`, :math:`v = (1/n_1 - 1/n_2)/4`,
      :math:`\\theta^* = (d + z^2 v(1 - 2\\psi))/(1 + z^2u)` and
      :math:`w = z/(1+z^2u)\\sqrt{u(4\\psi(1-\\psi) - d^2) + 2v(1-2\\psi)d
      + 4z^2u^2\\psi(1-\\psi) + z^2v^2(1-2\\psi)^2}`, the interval
      :math:`\\theta^* \\pm w`, where :math:`\\psi = (\\hat p_1 + \\hat p_2)/2` (Haldane)
      or :math:`\\psi = ((x_1 + 1/2)/(n_1+1) + (x_2 + 1/2)/(n_2+1))/2` (Jeffreys-Perks).
    - ``mee`` and ``miettinen-nurminen`` (methods 5 and 6) [3]_ [4]_: the set of
      :math:`\\delta` with :math:`|d - \\delta| \\le z\\sqrt{V(\\delta)}`, where
      :math:`V(\\delta) = \\tilde p_1\\tilde q_1/n_1 + \\tilde p_2\\tilde q_2/n_2`
      at the maximum-likelihood :math:`\\tilde p_i` under :math:`p_1 - p_2 = \\delta`;
      Miettinen and Nurminen multiply :math:`V` by :math:`N/(N-1)`,
      :math:`N = n_1 + n_2` (unbounded when a design effect leaves at most one
      effective respondent in all: the interval is then [-1, 1]).
    - ``newcombe`` and ``newcombe-cc`` (methods 10 and 11): with the Wilson bounds
      :math:`(l_i, u_i)` of each proportion (with continuity correction for ``-cc``),
      :math:`d - \\sqrt{(\\hat p_1-l_1)^2+(u_2-\\hat p_2)^2}` to
      :math:`d + \\sqrt{(u_1-\\hat p_1)^2+(\\hat p_2-l_2)^2}`.
    - ``agresti-caffo`` [5]_: the Wald interval after adding one success and one
      failure to each poll.
    - ``hauck-anderson`` [6]_: :math:`d \\pm \\bigl(1/(2\\min(n_1, n_2))
      + z\\sqrt{\\hat p_1\\hat q_1/(n_1-1) + \\hat p_2\\hat q_2/(n_2-1)}\\bigr)`;
      with a single respondent in a poll the variance is unbounded and the interval
      is [-1, 1].

    ``wald``, ``wald-cc``, ``agresti-caffo``, ``hauck-anderson`` and
    ``jeffreys-perks`` can overshoot [-1, 1] and are then truncated to it, as R's
    ``prop.test`` and DescTools do; the other methods stay inside by construction.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.
    .. [2] Beal, S. L. (1987). Asymptotic confidence intervals for the difference
       between two binomial parameters for use with small samples. Biometrics 43,
       941-950.
    .. [3] Mee, R. W. (1984). Confidence bounds for the difference between two
       probabilities. Biometrics 40, 1175-1176.
    .. [4] Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates.
       Statistics in Medicine 4, 213-226.
    .. [5] Agresti, A. and Caffo, B. (2000). Simple and effective confidence intervals
       for proportions and differences of proportions result from adding two successes
       and two failures. The American Statistician 54, 280-288.
    .. [6] Hauck, W. W. and Anderson, S. (1986). A comparison of large-sample
       confidence interval methods for the difference of two binomial probabilities.
       The American Statistician 40, 318-322.

    Examples
    --------
    The change in support for talks in the leaked FSO polls, 32% (July) to 55%
    (November), with 400 respondents assumed in each:

    >>> import surveykit as sk
    >>> ci = sk.difference_ci(0.55, 400, 0.32, 400)
    >>> round(ci.ci_low, 3), round(ci.ci_high, 3)
    (0.162, 0.295)
    >>> ci = sk.difference_ci(0.55, 400, 0.32, 400, method="miettinen-nurminen")
    >>> round(ci.ci_low, 3), round(ci.ci_high, 3)
    (0.162, 0.296)
    """
    method = check_option("method", method, DIFFERENCE_CI_METHODS)
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, confidence_level=confidence_level, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    level = check_confidence_level(compact(a["confidence_level"]))  # one value, not per row
    design = check_deff("deff", a["deff"])
    tail = (1 - level) / 2
    e1, e2 = m1 / design, m2 / design
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        lower, upper = _METHODS[method](q1, e1, q2, e2, tail)
    nan = np.isnan(q1) | np.isnan(q2) | np.isnan(e1) | np.isnan(e2) | np.isnan(tail)
    return DifferenceCI(
        estimate=shape.wrap(q1 - q2, "estimate"),
        ci_low=shape.wrap(np.where(nan, np.nan, np.clip(lower, -1.0, 1.0)), "ci_low"),
        ci_high=shape.wrap(np.where(nan, np.nan, np.clip(upper, -1.0, 1.0)), "ci_high"),
        p1=shape.wrap(q1, "p1"),
        n1=shape.wrap(m1, "n1"),
        p2=shape.wrap(q2, "p2"),
        n2=shape.wrap(m2, "n2"),
        confidence_level=shape.wrap(level, "confidence_level"),
        method=method,
    )
