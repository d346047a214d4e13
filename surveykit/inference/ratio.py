"""Confidence intervals for the ratio of two independent proportions: risk and odds ratios."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.numerics import z_quantile
from surveykit._core.results import RatioCI
from surveykit._core.score import solve_decreasing
from surveykit._core.sizes import formula_size
from surveykit._core.validation import (
    broadcast,
    check_confidence_level,
    check_deff,
    check_n,
    check_option,
    check_proportion,
)

__all__ = ["RATIO_CI_METHODS", "RATIO_MEASURES", "ratio_ci"]

RATIO_MEASURES = ("risk-ratio", "odds-ratio")
#: the methods of each measure
RATIO_CI_METHODS: dict[str, tuple[str, ...]] = {
    "risk-ratio": ("miettinen-nurminen", "koopman", "katz", "adjusted-log"),
    "odds-ratio": ("miettinen-nurminen", "uncorrected-score", "woolf", "adjusted-woolf"),
}
#: the score search works on log(ratio) within [-_LOG_EDGE, _LOG_EDGE]
_LOG_EDGE = 700.0

Interval = tuple[np.ndarray, np.ndarray]


def _signed_root(diff: np.ndarray, chi2: np.ndarray) -> np.ndarray:
    return np.where(diff == 0, 0.0, np.sign(diff) * np.sqrt(np.maximum(chi2, 0.0)))


def _pearson_term(obs: np.ndarray, exp_p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """(x - n p)^2 / (n p (1 - p)), with 0 / 0 taken as 0."""
    num = (obs - n * exp_p) ** 2
    den = n * exp_p * (1 - exp_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(num == 0, 0.0, num / den)


# ----------------------------------------------------------------------------- risk ratio


def _rr_mle_small(xa, na, xb, nb, r):  # type: ignore[no-untyped-def]
    """Restricted MLE of (pa, pb) under pa = r * pb with r <= 1 (no overflow)."""
    total = na + nb
    b = -(r * na + xa + nb + r * xb)
    c = xa + xb
    disc = np.maximum(b * b - 4 * r * total * c, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pb = np.where(c == 0, 0.0, 2 * c / (-b + np.sqrt(disc)))
    pb = np.clip(pb, 0.0, 1.0)
    return np.clip(r * pb, 0.0, 1.0), pb


def _rr_mle(theta, x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    low = theta <= 0
    ratio = np.exp(-np.abs(theta))
    a1, a2 = _rr_mle_small(x1, n1, x2, n2, ratio)
    b2, b1 = _rr_mle_small(x2, n2, x1, n1, ratio)
    return np.where(low, a1, b1), np.where(low, a2, b2)


def _rr_score(theta, x1, n1, x2, n2, factor):  # type: ignore[no-untyped-def]
    """Miettinen-Nurminen statistic for log RR = theta (factor = (N - 1) / N or 1)."""
    t1, t2 = _rr_mle(theta, x1, n1, x2, n2)
    phi = np.exp(theta)
    diff = x1 / n1 - phi * (x2 / n2)
    var = t1 * (1 - t1) / n1 + phi * phi * t2 * (1 - t2) / n2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        chi2 = np.where(diff == 0, 0.0, diff * diff / var * factor)
    return _signed_root(diff, chi2)


def _rr_koopman(theta, x1, n1, x2, n2, factor):  # type: ignore[no-untyped-def]
    """Koopman's Pearson statistic for log RR = theta (factor unused)."""
    t1, t2 = _rr_mle(theta, x1, n1, x2, n2)
    chi2 = _pearson_term(x1, t1, n1) + _pearson_term(x2, t2, n2)
    return _signed_root(x1 / n1 - np.exp(theta) * (x2 / n2), chi2)


def _rr_adjusted(x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    centre = np.log((x1 + 0.5) / (n1 + 0.5)) - np.log((x2 + 0.5) / (n2 + 0.5))
    se = np.sqrt(
        np.maximum(1 / (x1 + 0.5) - 1 / (n1 + 0.5) + 1 / (x2 + 0.5) - 1 / (n2 + 0.5), 0.0)
    )
    return centre, se


def _rr_katz(x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    defined = (x1 > 0) & (x2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(x1 / n1) - np.log(x2 / n2)
        se = np.sqrt(np.maximum(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2, 0.0))
    adj_centre, adj_se = _rr_adjusted(x1, n1, x2, n2)
    return np.where(defined, centre, adj_centre), np.where(defined, se, adj_se)


# ----------------------------------------------------------------------------- odds ratio


def _or_mle_small(xa, na, xb, nb, r):  # type: ignore[no-untyped-def]
    """Restricted MLE of (pa, pb) under odds(pa) / odds(pb) = r with r <= 1."""
    s = xa + xb
    a = nb * (r - 1)
    b = na * r + nb - s * (r - 1)
    disc = np.maximum(b * b + 4 * a * s, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pb = np.where(s == 0, 0.0, 2 * s / (b + np.sqrt(disc)))
    pb = np.clip(pb, 0.0, 1.0)
    pa = pb * r / (1 + pb * (r - 1))
    return np.clip(pa, 0.0, 1.0), pb


def _or_mle(theta, x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    low = theta <= 0
    ratio = np.exp(-np.abs(theta))
    a1, a2 = _or_mle_small(x1, n1, x2, n2, ratio)
    b2, b1 = _or_mle_small(x2, n2, x1, n1, ratio)
    return np.where(low, a1, b1), np.where(low, a2, b2)


def _or_score(theta, x1, n1, x2, n2, factor):  # type: ignore[no-untyped-def]
    """Score statistic for log OR = theta (factor (N - 1) / N: Miettinen-Nurminen)."""
    t1, t2 = _or_mle(theta, x1, n1, x2, n2)
    diff = x1 - n1 * t1
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1 / (n1 * t1 * (1 - t1)) + 1 / (n2 * t2 * (1 - t2))
        chi2 = np.where(diff == 0, 0.0, diff * diff * inv * factor)
    return _signed_root(diff, chi2)


def _or_adjusted(x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    a, b, c, d = x1 + 0.5, n1 - x1 + 0.5, x2 + 0.5, n2 - x2 + 0.5
    return np.log(a) + np.log(d) - np.log(b) - np.log(c), np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)


def _or_woolf(x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    a, b, c, d = x1, n1 - x1, x2, n2 - x2
    defined = (a > 0) & (b > 0) & (c > 0) & (d > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(a) + np.log(d) - np.log(b) - np.log(c)
        se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    adj_centre, adj_se = _or_adjusted(x1, n1, x2, n2)
    return np.where(defined, centre, adj_centre), np.where(defined, se, adj_se)


# ----------------------------------------------------------------------------- assembly

_Stat = Callable[..., np.ndarray]
_Wald = Callable[..., tuple[np.ndarray, np.ndarray]]

_SCORE: dict[tuple[str, str], tuple[_Stat, bool]] = {
    ("risk-ratio", "miettinen-nurminen"): (_rr_score, True),
    ("risk-ratio", "koopman"): (_rr_koopman, False),
    ("odds-ratio", "miettinen-nurminen"): (_or_score, True),
    ("odds-ratio", "uncorrected-score"): (_or_score, False),
}
_WALD: dict[tuple[str, str], _Wald] = {
    ("risk-ratio", "katz"): _rr_katz,
    ("risk-ratio", "adjusted-log"): _rr_adjusted,
    ("odds-ratio", "woolf"): _or_woolf,
    ("odds-ratio", "adjusted-woolf"): _or_adjusted,
}
_ADJUSTED: dict[str, _Wald] = {"risk-ratio": _rr_adjusted, "odds-ratio": _or_adjusted}


def _score_interval(measure, method, x1, n1, x2, n2, tail, zero_low, inf_high):  # type: ignore[no-untyped-def]
    stat, corrected = _SCORE[(measure, method)]
    z = z_quantile(tail)
    total = n1 + n2
    factor = np.maximum((total - 1) / total, 0.0) if corrected else np.ones_like(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = _point_log(measure, x1, n1, x2, n2)
    centre = np.clip(np.where(np.isnan(est), 0.0, est), -_LOG_EDGE, _LOG_EDGE)
    guess_c, guess_se = _ADJUSTED[measure](x1, n1, x2, n2)
    step = np.maximum(guess_se, 1e-9)
    params = (x1, n1, x2, n2, factor)
    edge = np.full(np.shape(centre), _LOG_EDGE)
    lower = solve_decreasing(stat, params, -edge, centre, z, guess_c - z * guess_se, step)
    upper = solve_decreasing(stat, params, centre, edge, -z, guess_c + z * guess_se, step)
    if corrected:
        # (N - 1) / N is not positive with at most one (effective) respondent in all
        zero_low, inf_high = zero_low | (total <= 1), inf_high | (total <= 1)
    lower = np.where(zero_low, 0.0, np.exp(lower))
    upper = np.where(inf_high, np.inf, np.exp(upper))
    return lower, upper


def _point_log(measure, x1, n1, x2, n2):  # type: ignore[no-untyped-def]
    if measure == "risk-ratio":
        return np.log(x1 / n1) - np.log(x2 / n2)
    return np.log(x1) + np.log(n2 - x2) - np.log(n1 - x1) - np.log(x2)


def ratio_ci(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    measure: str = "risk-ratio",
    method: str = "miettinen-nurminen",
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
) -> RatioCI:
    """Confidence interval for the risk ratio or odds ratio of two independent polls.

    All inputs broadcast (scalars, arrays, Series; a Series keeps its index). The score
    intervals are found by a vectorised safeguarded secant search on the log scale,
    never by a loop over a scalar solver.

    Parameters
    ----------
    p1, n1 : array_like
        Proportion and sample size of the first poll (the numerator).
    p2, n2 : array_like
        Proportion and sample size of the second poll (the denominator).
    measure : {'risk-ratio', 'odds-ratio'}, default 'risk-ratio'
        :math:`p_1/p_2`, or :math:`p_1(1-p_2)/(p_2(1-p_1))`.
    method : str, default 'miettinen-nurminen'
        For ``'risk-ratio'``: ``'miettinen-nurminen'``, ``'koopman'``, ``'katz'`` or
        ``'adjusted-log'``. For ``'odds-ratio'``: ``'miettinen-nurminen'``,
        ``'uncorrected-score'``, ``'woolf'`` or ``'adjusted-woolf'``. See Notes.
    confidence_level : array_like, default 0.95
        Coverage of the two-sided interval, strictly between 0 and 1.
    deff : array_like, default 1.0
        Design effect applied to both polls (each n becomes ``n / deff``; the counts
        are the proportions times the effective sizes).

    Returns
    -------
    RatioCI
        ``estimate``, ``ci_low``, ``ci_high`` with the inputs echoed. The interval lies
        in [0, inf]: ``ci_low`` is 0 and ``ci_high`` is ``inf`` where the data cannot
        bound the ratio (a zero count). ``estimate`` is ``inf`` where its denominator is
        0 and NaN only where it is 0 / 0; the bounds are never NaN for valid input.

    Raises
    ------
    SurveyKitError
        For an unknown ``measure``, a ``method`` not offered for the measure, or an
        invalid proportion, sample size, design effect or confidence level.

    See Also
    --------
    surveykit.inference.difference.difference_ci : the change as a difference.
    surveykit.inference.two_sample_tests.two_proportion_test : the test of no change.

    Notes
    -----
    With counts :math:`x_i = \\hat p_i n_i`, :math:`N = n_1 + n_2` and
    :math:`z = \\Phi^{-1}(1-\\alpha/2)`:

    - Score intervals: the set of ratios :math:`\\phi` whose score statistic, computed
      at the maximum-likelihood :math:`(\\tilde p_1, \\tilde p_2)` under the ratio
      :math:`\\phi`, is at most :math:`z` in absolute value. ``koopman`` [1]_ (risk
      ratio) uses Pearson's :math:`\\sum_i (x_i - n_i\\tilde p_i)^2/(n_i\\tilde p_i
      \\tilde q_i)`; ``miettinen-nurminen`` [2]_ uses
      :math:`(\\hat p_1 - \\phi\\hat p_2)^2 / (\\tilde p_1\\tilde q_1/n_1 +
      \\phi^2\\tilde p_2\\tilde q_2/n_2)` for the risk ratio and
      :math:`(x_1 - n_1\\tilde p_1)^2 (1/(n_1\\tilde p_1\\tilde q_1) + 1/(n_2\\tilde
      p_2\\tilde q_2))` for the odds ratio, each times :math:`(N-1)/N` (with at most one
      effective respondent in all that factor is not positive and the interval is
      [0, inf]);
      R PropCIs' ``orscoreci`` inverts this odds-ratio statistic, though only on a grid
      of 0.1% steps. ``uncorrected-score`` is the odds-ratio statistic without the
      factor (the Pearson chi-square of the restricted fit, as Koopman's is for the
      risk ratio) [4]_.
    - ``katz`` [3]_: :math:`\\log\\hat\\phi \\pm z\\sqrt{1/x_1 - 1/n_1 + 1/x_2 - 1/n_2}`;
      ``adjusted-log`` [4]_ is the same after adding 1/2 to :math:`x_1, x_2, n_1, n_2`.
    - ``woolf`` [5]_: :math:`\\log\\widehat{OR} \\pm z\\sqrt{1/a + 1/b + 1/c + 1/d}`
      over the four cells; ``adjusted-woolf`` [6]_ adds 1/2 to every cell.

    Where ``katz`` or ``woolf`` is undefined (a zero cell), the adjusted formula is
    used and the bound that the data cannot fix is set to 0 or ``inf``. The adjusted
    intervals are centred on the adjusted estimate, so at a zero count they need not
    contain ``estimate`` (0 or ``inf``). No bound needs truncation: each is the
    exponential of a finite log-scale bound, or exactly 0 or ``inf``.

    References
    ----------
    .. [1] Koopman, P. A. R. (1984). Confidence intervals for the ratio of two binomial
       proportions. Biometrics 40, 513-517.
    .. [2] Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates.
       Statistics in Medicine 4, 213-226.
    .. [3] Katz, D., Baptista, J., Azen, S. P. and Pike, M. C. (1978). Obtaining
       confidence intervals for the risk ratio in cohort studies. Biometrics 34,
       469-474.
    .. [4] Fagerland, M. W., Lydersen, S. and Laake, P. (2015). Recommended confidence
       intervals for two independent binomial proportions. Statistical Methods in
       Medical Research 24, 224-254.
    .. [5] Woolf, B. (1955). On estimating the relation between blood group and
       disease. Annals of Human Genetics 19, 251-253.
    .. [6] Gart, J. J. (1966). Alternative analyses of contingency tables. Journal of
       the Royal Statistical Society B 28, 164-179.

    Examples
    --------
    In the leaked FSO polls 55% backed talks in November against 32% in July. With an
    assumed 400 respondents in each, support grew by a factor of about 1.7:

    >>> from surveykit.inference.ratio import ratio_ci
    >>> ci = ratio_ci(0.55, 400, 0.32, 400)
    >>> round(ci.estimate, 3), round(ci.ci_low, 3), round(ci.ci_high, 3)
    (1.719, 1.456, 2.038)
    """
    measure = check_option("measure", measure, RATIO_MEASURES)
    method = check_option(f"method (for measure={measure!r})", method, RATIO_CI_METHODS[measure])
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, confidence_level=confidence_level, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    # beyond 1e30 the interval is its estimate: cap the sizes inside the formulas
    e1, e2 = formula_size(m1 / design), formula_size(m2 / design)
    x1, x2 = q1 * e1, q2 * e2
    tail = (1 - level) / 2
    if measure == "risk-ratio":
        zero_low, inf_high = q1 == 0, q2 == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = q1 / q2
    else:
        zero_low, inf_high = (q1 == 0) | (q2 == 1), (q1 == 1) | (q2 == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.exp(_point_log(measure, q1, 1.0, q2, 1.0))
    estimate = np.where(
        zero_low & ~inf_high, 0.0, np.where(inf_high & ~zero_low, np.inf, estimate)
    )
    estimate = np.where(zero_low & inf_high, np.nan, estimate)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if (measure, method) in _SCORE:
            lower, upper = _score_interval(
                measure, method, x1, e1, x2, e2, tail, zero_low, inf_high
            )
        else:
            centre, se = _WALD[(measure, method)](x1, e1, x2, e2)
            z = z_quantile(tail)
            lower, upper = np.exp(centre - z * se), np.exp(centre + z * se)
            if method in ("katz", "woolf"):
                lower = np.where(zero_low, 0.0, lower)
                upper = np.where(inf_high, np.inf, upper)
    nan = np.isnan(x1) | np.isnan(x2) | np.isnan(e1) | np.isnan(e2) | np.isnan(tail)
    return RatioCI(
        estimate=shape.wrap(np.where(nan, np.nan, estimate), "estimate"),
        ci_low=shape.wrap(np.where(nan, np.nan, lower), "ci_low"),
        ci_high=shape.wrap(np.where(nan, np.nan, upper), "ci_high"),
        p1=shape.wrap(q1, "p1"),
        n1=shape.wrap(m1, "n1"),
        p2=shape.wrap(q2, "p2"),
        n2=shape.wrap(m2, "n2"),
        deff=shape.wrap(design, "deff"),
        confidence_level=shape.wrap(level, "confidence_level"),
        measure=measure,
        method=method,
    )
