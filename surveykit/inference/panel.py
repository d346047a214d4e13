"""Changes between waves that share respondents: overlap, correlation and McNemar's test.

When some people answer both waves, the two shares are positively correlated and the
variance of the change is smaller than for independent samples. With partial knowledge
(an assumed overlap fraction and within-person correlation) :func:`change_test` shows how
the verdict moves; with a full panel and known switchers, :func:`mcnemar_test` is exact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.numerics import pvalue_from_z, z_ratio
from surveykit._core.results import ChangeTest, McNemarTest
from surveykit._core.validation import (
    broadcast_nonempty,
    check_alternative,
    check_confidence_level,
    check_correlation,
    check_counts,
    check_deff,
    check_fraction,
    check_n,
    check_option,
    check_proportion,
    check_switchers,
)

__all__ = ["MCNEMAR_METHODS", "change_test", "correlation_bounds", "mcnemar_test"]

MCNEMAR_METHODS = ("exact", "asymptotic", "asymptotic-corrected")


def correlation_bounds(
    p1: ArrayLike, p2: ArrayLike
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """The range of correlations two yes/no answers with these shares can have.

    Parameters
    ----------
    p1, p2 : array_like
        Shares answering yes in the later and the earlier wave (0-1); the bounds are
        symmetric in the two.

    Returns
    -------
    (low, high) : floats or ndarrays
        The smallest and largest possible phi coefficient (Pearson correlation of two
        binary variables with these means).

    Raises
    ------
    SurveyKitError
        If ``p1`` or ``p2`` is empty, not numeric, does not broadcast, or lies outside
        [0, 1].

    See Also
    --------
    change_test : the test of a change in a panel, which takes a correlation within
        these bounds.
    mcnemar_test : the exact test when the switchers were published.

    Notes
    -----
    With :math:`p \\le p'` and :math:`q = 1 - p`, the largest phi is
    :math:`\\sqrt{p q'/(p' q)}` (every "yes" before is a "yes" after) and the smallest
    :math:`-\\min(\\sqrt{p p'/(q q')}, \\sqrt{q q'/(p p')})` [1]_.

    References
    ----------
    .. [1] Guilford, J. P. (1965). Fundamental Statistics in Psychology and Education,
       4th ed. McGraw-Hill, p. 336 (the maximum phi).

    Examples
    --------
    Between the FSO's 32% (July) and 55% (November) the correlation of a person's two
    answers can only lie between about -0.76 and 0.62:

    >>> from surveykit.inference.panel import correlation_bounds
    >>> low, high = correlation_bounds(0.55, 0.32)
    >>> round(low, 3), round(high, 3)
    (-0.758, 0.621)
    """
    shape, a = broadcast_nonempty(p1=p1, p2=p2)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    low, high = _phi_bounds(q1, q2)
    return shape.wrap(low, "low"), shape.wrap(high, "high")


def _phi_bounds(q1: np.ndarray, q2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    small, large = np.minimum(q1, q2), np.maximum(q1, q2)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = np.sqrt(small * (1 - large) / (large * (1 - small)))
        neg1 = np.sqrt(q1 * q2 / ((1 - q1) * (1 - q2)))
        neg2 = np.sqrt((1 - q1) * (1 - q2) / (q1 * q2))
    low = -np.fmin(neg1, neg2)
    degenerate = (q1 % 1 == 0) | (q2 % 1 == 0)  # a share of 0 or 1 has no variance
    return np.where(degenerate, 0.0, low), np.where(degenerate, 0.0, high)


def change_test(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    overlap: ArrayLike = 0.0,
    correlation: ArrayLike = 0.0,
    confidence_level: ArrayLike = 0.95,
    alternative: str = "two-sided",
    deff: ArrayLike = 1.0,
) -> ChangeTest:
    """Test and interval for a change between two waves that may share respondents.

    A fraction ``overlap`` of the smaller wave answered both, and a person's two
    answers have correlation ``correlation``; both are assumptions to vary. Overlap 0
    (or correlation 0) is the usual independent-samples Wald test. All inputs broadcast
    and are computed on whole arrays.

    Parameters
    ----------
    p1, n1 : array_like
        Share and sample size of the later wave.
    p2, n2 : array_like
        Share and sample size of the earlier wave. The estimate is ``p1 - p2``.
    overlap : array_like, default 0.0
        Fraction (0-1) of the smaller wave who were also in the other one: the number of
        shared respondents is ``overlap * min(n1, n2)``.
    correlation : array_like, default 0.0
        Correlation (phi) of a shared respondent's two answers; it must lie within
        :func:`correlation_bounds` of the two shares.
    confidence_level : array_like, default 0.95
        Level of the Wald interval.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'`` means the later share is higher (``p1 > p2``).
    deff : array_like, default 1.0
        Design effect, multiplying the variance.

    Returns
    -------
    ChangeTest
        ``estimate``, ``ci_low``, ``ci_high``, ``statistic`` (z), ``pvalue``, inputs echoed.

    Raises
    ------
    SurveyKitError
        If ``alternative`` is not one of 'two-sided', 'less', 'greater'; the inputs are
        empty, not numeric or do not broadcast; a share lies outside [0, 1]; a sample
        size is not positive and finite; ``overlap`` is not a fraction between 0 and 1;
        ``correlation`` lies outside the bounds that the two shares allow (two yes/no
        answers with shares p1 and p2 cannot be correlated beyond them);
        ``confidence_level`` is not strictly between 0 and 1; or ``deff`` is not
        positive and finite.

    See Also
    --------
    mcnemar_test : the exact test for a full panel with known switchers.
    correlation_bounds : the correlations the two shares allow.

    Notes
    -----
    With :math:`m` shared respondents and :math:`\\rho` their correlation,

    .. math:: \\operatorname{Var}(\\hat p_A - \\hat p_B) = D\\left[\\frac{p_A q_A}{n_A}
              + \\frac{p_B q_B}{n_B} - 2\\rho\\frac{m\\sqrt{p_A q_A p_B q_B}}{n_A n_B}
              \\right]

    (Kish [1]_, overlapping samples). :math:`z = (\\hat p_A - \\hat p_B)/\\mathrm{se}`
    and the interval is :math:`d \\pm z_{1-\\alpha/2}\\,\\mathrm{se}`, truncated to
    [-1, 1]. With full overlap (:math:`m = n`) and :math:`\\rho` the sample phi of the
    panel's 2 x 2 table, the variance equals the paired (McNemar-type) Wald variance
    :math:`(b + c - (b - c)^2/n)/n^2`, where :math:`b`, :math:`c` are the switchers.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 12.4.
    .. [2] Franklin, C. H. (2007). The 'margin of error' for differences in polls.
       University of Wisconsin working paper.

    Examples
    --------
    Had the FSO asked 100 people in July (32% for talks) and 100 in November (55%),
    half of them the same people, with a correlation of 0.4 between a person's answers:

    >>> from surveykit.inference.panel import change_test
    >>> res = change_test(0.55, 100, 0.32, 100, overlap=0.5, correlation=0.4)
    >>> round(res.estimate, 2), round(res.pvalue, 5)
    (0.23, 0.00016)
    >>> round(change_test(0.55, 100, 0.32, 100).pvalue, 5)
    0.00074
    """
    alternative = check_alternative(alternative)
    shape, a = broadcast_nonempty(
        p1=p1,
        n1=n1,
        p2=p2,
        n2=n2,
        overlap=overlap,
        correlation=correlation,
        confidence_level=confidence_level,
        deff=deff,
    )
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    share = check_fraction("overlap", a["overlap"])
    low, high = _phi_bounds(q1, q2)
    rho = check_correlation(a["correlation"], low, high, q1, q2)
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    shared = share * np.minimum(m1, m2)
    d = q1 - q2
    var_1, var_2 = q1 * (1 - q1), q2 * (1 - q2)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = var_1 / m1 + var_2 / m2 - 2 * rho * shared * np.sqrt(var_1 * var_2) / (m1 * m2)
        se = np.sqrt(np.maximum(var, 0.0) * design)
        z = z_ratio(d, se)
    half = special.ndtri(1 - (1 - level) / 2) * se
    return ChangeTest(
        estimate=shape.wrap(d, "estimate"),
        ci_low=shape.wrap(np.clip(d - half, -1.0, 1.0), "ci_low"),
        ci_high=shape.wrap(np.clip(d + half, -1.0, 1.0), "ci_high"),
        statistic=shape.wrap(z, "statistic"),
        pvalue=shape.wrap(pvalue_from_z(z, alternative), "pvalue"),
        p1=shape.wrap(q1, "p1"),
        n1=shape.wrap(m1, "n1"),
        p2=shape.wrap(q2, "p2"),
        n2=shape.wrap(m2, "n2"),
        overlap=shape.wrap(share, "overlap"),
        correlation=shape.wrap(rho, "correlation"),
        deff=shape.wrap(design, "deff"),
        confidence_level=shape.wrap(level, "confidence_level"),
        method="wald-overlap",
        alternative=alternative,
    )


def mcnemar_test(
    gained: ArrayLike,
    lost: ArrayLike,
    *,
    n: ArrayLike | None = None,
    method: str = "exact",
    alternative: str = "two-sided",
) -> McNemarTest:
    """McNemar's test of a change in a panel, from the respondents who switched.

    Only the switchers carry information about the change: ``gained`` answered no
    before and yes after, ``lost`` yes before and no after. All inputs broadcast; the
    exact p-values are binomial tails computed on whole arrays.

    Parameters
    ----------
    gained, lost : array_like
        Whole numbers of respondents who switched to yes and to no.
    n : array_like, optional
        Panel size, used only for the estimate ``(gained - lost) / n`` (NaN without it).
    method : {'exact', 'asymptotic', 'asymptotic-corrected'}, default 'exact'
        ``'exact'``: the conditional binomial test, as R's
        ``binom.test(gained, gained + lost)``; ``'asymptotic'``: McNemar's chi-square, as
        R's ``mcnemar.test(correct=FALSE)``; ``'asymptotic-corrected'``: with Edwards'
        continuity correction, as ``mcnemar.test()``.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'`` means the share rose (more gained than lost).

    Returns
    -------
    McNemarTest
        ``estimate``, ``statistic`` (the number gained for the exact test; the signed
        z, whose square is R's McNemar chi-squared, for the asymptotic ones), ``pvalue``.

    Raises
    ------
    SurveyKitError
        If ``method`` is not one of :data:`MCNEMAR_METHODS` or ``alternative`` not one of
        'two-sided', 'less', 'greater'; the inputs are empty, not numeric or do not
        broadcast; ``gained`` or ``lost`` is not a whole number of respondents (0 or
        more); ``n`` is not a positive, finite sample size; or ``gained + lost`` exceeds
        ``n``.

    See Also
    --------
    change_test : when the overlap and correlation are only assumed.

    Notes
    -----
    Under no change, ``gained`` given :math:`s` = ``gained + lost`` is
    Binomial(:math:`s`, 1/2). Exact two-sided:
    :math:`\\min(1, 2 P(X \\le \\min(g, l)))`; ``'greater'``: :math:`P(X \\ge g)`.
    Asymptotic: :math:`z = (g - l)/\\sqrt{g + l}`; corrected:
    :math:`z = \\operatorname{sign}(g - l)\\max(|g - l| - 1, 0)/\\sqrt{g + l}` (as R,
    which drops the correction when :math:`g = l`). With no switchers the p-value is 1.

    References
    ----------
    .. [1] McNemar, Q. (1947). Note on the sampling error of the difference between
       correlated proportions or percentages. Psychometrika 12, 153-157.
    .. [2] Edwards, A. L. (1948). Note on the "correction for continuity" in testing
       the significance of the difference between correlated proportions.
       Psychometrika 13, 185-187.
    .. [3] Fagerland, M. W., Lydersen, S. and Laake, P. (2013). The McNemar test for
       binary matched-pairs data: mid-p and asymptotic are better than exact
       conditional. BMC Medical Research Methodology 13, 91.

    Examples
    --------
    Had the FSO re-asked 100 of its July respondents in November (32% -> 55% for
    talks), with 27 switching to talks and 4 away from them:

    >>> from surveykit.inference.panel import mcnemar_test
    >>> res = mcnemar_test(27, 4, n=100)
    >>> round(res.estimate, 2), f"{res.pvalue:.2g}"
    (0.23, '3.4e-05')
    """
    method = check_option("method", method, MCNEMAR_METHODS)
    alternative = check_alternative(alternative)
    shape, a = broadcast_nonempty(gained=gained, lost=lost, n=np.nan if n is None else n)
    g = check_counts("gained", a["gained"])
    lo = check_counts("lost", a["lost"])
    size = a["n"] if n is None else check_n("n", a["n"])
    if n is not None:
        check_switchers(g, lo, size)
    s = g + lo
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "exact":
            statistic = g
            # binomial(s, 1/2) tails as regularized incomplete beta functions, which take
            # the float counts as they are: P(X >= g) = I_1/2(g, s - g + 1) and
            # P(X <= g) = I_1/2(s - g, g + 1)
            upper = np.where(g > 0, special.betainc(np.maximum(g, 1), s - g + 1, 0.5), 1.0)
            lower = np.where(g < s, special.betainc(np.maximum(s - g, 1), g + 1, 0.5), 1.0)
            if alternative == "greater":
                pvalue = upper
            elif alternative == "less":
                pvalue = lower
            else:
                m = np.minimum(g, lo)
                tail = special.betainc(np.maximum(s - m, 1), m + 1, 0.5)
                pvalue = np.minimum(1.0, 2 * tail)
            pvalue = np.where(s == 0, 1.0, pvalue)
        else:
            diff = g - lo
            if method == "asymptotic-corrected":
                diff = np.sign(diff) * np.maximum(np.abs(diff) - 1, 0.0)
            statistic = z_ratio(diff, np.sqrt(s))
            pvalue = pvalue_from_z(statistic, alternative)
        estimate = (g - lo) / size
    nan = np.isnan(g) | np.isnan(lo)
    return McNemarTest(
        estimate=shape.wrap(estimate, "estimate"),
        statistic=shape.wrap(np.where(nan, np.nan, statistic), "statistic"),
        pvalue=shape.wrap(np.where(nan, np.nan, pvalue), "pvalue"),
        gained=shape.wrap(g, "gained"),
        lost=shape.wrap(lo, "lost"),
        n=shape.wrap(size, "n"),
        method=method,
        alternative=alternative,
    )
