"""Two options of the same poll: the gap between them (the lead) and its uncertainty.

Shares of two options of one question come from the same respondents, so they are
negatively correlated: with multinomial sampling,
:math:`\\operatorname{Var}(\\hat p_1 - \\hat p_2) = (p_1 + p_2 - (p_1 - p_2)^2)/n`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.numerics import pvalue_from_z, z_ratio
from surveykit._core.results import OptionDifferenceCI, OptionDifferenceTest
from surveykit._core.roots import bisect_decreasing
from surveykit._core.sizes import formula_size
from surveykit._core.validation import (
    broadcast,
    check_alternative,
    check_confidence_level,
    check_deff,
    check_n,
    check_option,
    check_within_pair,
)

__all__ = ["OPTION_DIFFERENCE_METHODS", "option_difference_ci", "option_difference_test"]

OPTION_DIFFERENCE_METHODS = ("wald", "score")


def _tango_z(delta: np.ndarray, q1: np.ndarray, q2: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Score statistic for H0: p1 - p2 = delta (Tango 1998), decreasing in delta."""
    b, c = q1 * n, q2 * n
    big_a = 2 * n
    big_b = -b - c + (2 * n - b + c) * delta
    big_c = -c * delta * (1 - delta)
    disc = np.maximum(big_b * big_b - 4 * big_a * big_c, 0.0)
    q21 = (np.sqrt(disc) - big_b) / (2 * big_a)
    var = n * (2 * q21 + delta * (1 - delta))
    return z_ratio(b - c - n * delta, np.sqrt(np.maximum(var, 0.0)))


def option_difference_ci(
    p1: ArrayLike,
    p2: ArrayLike,
    n: ArrayLike,
    *,
    method: str = "wald",
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
) -> OptionDifferenceCI:
    """Confidence interval for the gap :math:`p_1 - p_2` between two options of one poll.

    This is the margin of error of a lead. All inputs broadcast; the score interval is
    found by bisection on whole arrays at once.

    Parameters
    ----------
    p1, p2 : array_like
        Shares of the two options among the same ``n`` respondents; ``p1`` is the option
        compared (the leader), so the estimate is ``p1 - p2``.
    n : array_like
        Sample size of the poll.
    method : {'wald', 'score'}, default 'wald'
        ``'wald'`` uses the multinomial variance at the observed shares; ``'score'``
        inverts Tango's score test [1]_ (the same construction as for paired
        proportions, whose discordant cells are two cells of one multinomial).
    confidence_level : array_like, default 0.95
    deff : array_like, default 1.0
        Design effect (n becomes ``n / deff``).

    Returns
    -------
    OptionDifferenceCI
        ``estimate`` (p1 - p2), ``ci_low``, ``ci_high``; ``.moe`` is the half-width.

    Raises
    ------
    SurveyKitError
        If ``method`` is not one of :data:`OPTION_DIFFERENCE_METHODS`; the inputs are not
        numeric or do not broadcast; a share lies outside [0, 1] or ``p1 + p2`` exceeds 1
        (two options of one question); ``n`` is not a positive, finite sample size;
        ``confidence_level`` is not strictly between 0 and 1; or ``deff`` is not positive
        and finite.

    See Also
    --------
    option_difference_test : the test of the same lead.
    surveykit.inference.multinomial.multinomial_ci : intervals for every option at once.
    surveykit.inference.difference.difference_ci : two shares from different polls.

    Notes
    -----
    Wald: :math:`d \\pm z\\sqrt{(\\hat p_1 + \\hat p_2 - d^2)/n}`, truncated to [-1, 1].
    Score: the set of :math:`\\Delta` with :math:`|T(\\Delta)| \\le z`, where
    :math:`T(\\Delta) = (x_1 - x_2 - n\\Delta)/\\sqrt{n(2\\tilde p_2 + \\Delta(1-\\Delta))}`
    and :math:`\\tilde p_2` is the maximum-likelihood estimate of :math:`p_2` under
    :math:`p_1 - p_2 = \\Delta`.

    References
    ----------
    .. [1] Tango, T. (1998). Equivalence test and confidence interval for the
       difference in proportions for the paired-sample design. Statistics in Medicine
       17, 891-908.
    .. [2] Franklin, C. H. (2007). The 'margin of error' for differences in polls.
       University of Wisconsin working paper.

    Examples
    --------
    In the leaked FSO poll 55% favoured talks and 25% continuing the war. The lead of
    30 points, with an assumed 1,600 respondents:

    >>> import surveykit as sk
    >>> ci = sk.option_difference_ci(0.55, 0.25, 1600)
    >>> round(ci.moe, 4)
    0.0413
    """
    method = check_option("method", method, OPTION_DIFFERENCE_METHODS)
    shape, a = broadcast(p1=p1, p2=p2, n=n, confidence_level=confidence_level, deff=deff)
    q1, q2 = check_within_pair(a["p1"], a["p2"])
    size = check_n("n", a["n"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    n_eff = formula_size(size / design)  # beyond 1e30 the interval is the estimate
    z = special.ndtri(1 - (1 - level) / 2)
    d = q1 - q2
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "wald":
            half = z * np.sqrt(np.maximum(q1 + q2 - d * d, 0.0) / n_eff)
            lower, upper = d - half, d + half
        else:
            lo_edge = np.full_like(d, -1.0)
            hi_edge = np.ones_like(d)
            lower = bisect_decreasing(lambda t: _tango_z(t, q1, q2, n_eff), lo_edge, d, z)
            upper = bisect_decreasing(lambda t: _tango_z(t, q1, q2, n_eff), d, hi_edge, -z)
            nan = np.isnan(d) | np.isnan(n_eff) | np.isnan(z)
            lower, upper = np.where(nan, np.nan, lower), np.where(nan, np.nan, upper)
    return OptionDifferenceCI(
        estimate=shape.wrap(d, "estimate"),
        ci_low=shape.wrap(np.clip(lower, -1.0, 1.0), "ci_low"),
        ci_high=shape.wrap(np.clip(upper, -1.0, 1.0), "ci_high"),
        p1=shape.wrap(q1, "p1"),
        p2=shape.wrap(q2, "p2"),
        n=shape.wrap(size, "n"),
        confidence_level=shape.wrap(level, "confidence_level"),
        method=method,
    )


def option_difference_test(
    p1: ArrayLike,
    p2: ArrayLike,
    n: ArrayLike,
    *,
    method: str = "wald",
    alternative: str = "two-sided",
    deff: ArrayLike = 1.0,
) -> OptionDifferenceTest:
    """Test whether two options of one poll have equal support (:math:`p_1 = p_2`).

    ``alternative='greater'`` means :math:`p_1 > p_2`. All inputs broadcast.

    Parameters
    ----------
    p1, p2 : array_like
        Shares of the two options among the same ``n`` respondents; ``p1`` is the option
        compared (the leader), so the estimate is ``p1 - p2``.
    n : array_like
        Sample size of the poll.
    method : {'wald', 'score'}, default 'wald'
        ``'wald'``: :math:`z = d/\\sqrt{(\\hat p_1+\\hat p_2-d^2)/n}`, consistent with
        the Wald interval of :func:`option_difference_ci`. ``'score'``:
        :math:`z = (x_1 - x_2)/\\sqrt{x_1 + x_2}`, the variance under the null (the
        statistic of McNemar's test, and Tango's score test at zero).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
    deff : array_like, default 1.0
        Design effect (n becomes ``n / deff``).

    Returns
    -------
    OptionDifferenceTest
        ``estimate`` (p1 - p2), ``statistic`` (z), ``pvalue``.

    Raises
    ------
    SurveyKitError
        If ``method`` is not one of :data:`OPTION_DIFFERENCE_METHODS` or ``alternative``
        not one of 'two-sided', 'less', 'greater'; the inputs are not numeric or do not
        broadcast; a share lies outside [0, 1] or ``p1 + p2`` exceeds 1 (two options of
        one question); ``n`` is not a positive, finite sample size; or ``deff`` is not
        positive and finite.

    See Also
    --------
    option_difference_ci : the interval of the same lead.
    surveykit.inference.two_sample_tests.two_proportion_test : two shares from different
        polls.
    surveykit.unknowns.critical.critical_n : the poll size at which the lead becomes
        significant (``within=True``).

    References
    ----------
    .. [1] Franklin, C. H. (2007). The 'margin of error' for differences in polls.
       University of Wisconsin working paper.
    .. [2] Scott, A. J. and Seber, G. A. F. (1983). Difference of proportions from the
       same survey. The American Statistician 37, 319-320.
    .. [3] Tango, T. (1998). Equivalence test and confidence interval for the
       difference in proportions for the paired-sample design. Statistics in Medicine
       17, 891-908.

    Examples
    --------
    >>> import surveykit as sk
    >>> sk.option_difference_test(0.55, 0.25, 100).pvalue < 0.001
    True
    """
    method = check_option("method", method, OPTION_DIFFERENCE_METHODS)
    alternative = check_alternative(alternative)
    shape, a = broadcast(p1=p1, p2=p2, n=n, deff=deff)
    q1, q2 = check_within_pair(a["p1"], a["p2"])
    size = check_n("n", a["n"])
    design = check_deff("deff", a["deff"])
    n_eff = size / design
    d = q1 - q2
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "wald":
            z = z_ratio(d, np.sqrt(np.maximum(q1 + q2 - d * d, 0.0) / n_eff))
        else:
            z = z_ratio(d, np.sqrt((q1 + q2) / n_eff))
    return OptionDifferenceTest(
        estimate=shape.wrap(d, "estimate"),
        statistic=shape.wrap(z, "statistic"),
        pvalue=shape.wrap(pvalue_from_z(z, alternative), "pvalue"),
        p1=shape.wrap(q1, "p1"),
        p2=shape.wrap(q2, "p2"),
        n=shape.wrap(size, "n"),
        deff=shape.wrap(design, "deff"),
        method=method,
        alternative=alternative,
    )
