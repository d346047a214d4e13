"""Equivalence tests (two one-sided tests): is a change, or a lead, smaller than a margin?

A difference that is not significant is not shown to be small: a statistical tie needs
its own test. With a margin :math:`m`, the two one-sided tests (TOST; Schuirmann 1987)
reject :math:`H_0: |\\delta| \\ge m` in favour of :math:`|\\delta| < m` when both
:math:`H_{01}: \\delta \\le -m` and :math:`H_{02}: \\delta \\ge m` are rejected; the
p-value is the larger of the two one-sided p-values, and the test at level
:math:`\\alpha` agrees with the :math:`1 - 2\\alpha` confidence interval lying inside
:math:`(-m, m)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.numerics import pvalue_from_z, z_quantile, z_ratio
from surveykit._core.results import Flags, Interval, Values
from surveykit._core.validation import (
    broadcast_nonempty,
    check_deff,
    check_flag,
    check_margin,
    check_n,
    check_option,
    check_proportion,
    check_same_poll_n,
    check_tost_alpha,
    check_within_pair,
)
from surveykit.inference.difference import difference_ci
from surveykit.inference.two_sample_tests import two_proportion_test

__all__ = ["EQUIVALENCE_METHODS", "EquivalenceTest", "equivalence_test"]

#: methods between two polls (the statistics of :func:`two_proportion_test` that take a
#: non-zero null difference) and within one poll
EQUIVALENCE_METHODS = {
    False: ("miettinen-nurminen", "z-unpooled"),
    True: ("wald",),
}


@dataclass(frozen=True, eq=False, repr=False)
class EquivalenceTest(Interval):
    """Two one-sided tests of :math:`|p_1 - p_2| < m` (see :func:`equivalence_test`).

    ``pvalue`` is the larger of ``pvalue_lower`` (against :math:`\\delta \\le -m`) and
    ``pvalue_upper`` (against :math:`\\delta \\ge m`); ``equivalent`` is
    ``pvalue < alpha``; ``ci_low`` and ``ci_high`` bound the interval of the same
    statistic at ``confidence_level`` :math:`= 1 - 2\\alpha`, which lies inside
    :math:`(-m, m)` exactly when ``equivalent`` is true. Has the protocol of
    :class:`~surveykit._core.results.Result`.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high", "margin")

    pvalue: Values
    pvalue_lower: Values
    pvalue_upper: Values
    equivalent: Flags
    margin: Values
    p1: Values
    n1: Values
    p2: Values
    n2: Values
    deff: Values
    alpha: float
    within: bool

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "pvalue", "margin")
    _plot: ClassVar[str | None] = None


def _within_wald(p1, p2, n, deff, margin, alpha):  # type: ignore[no-untyped-def]
    """One-sided Wald tests of a lead within a poll: var = (p1 + p2 - (p1 - p2)^2) / n."""
    d = p1 - p2
    se = np.sqrt((p1 + p2 - d * d) * deff / n)
    p_lower = pvalue_from_z(z_ratio(d + margin, se), "greater")
    p_upper = pvalue_from_z(z_ratio(d - margin, se), "less")
    half = z_quantile(alpha) * se
    return d, d - half, d + half, p_lower, p_upper


def _between(p1, n1, p2, n2, deff, margin, alpha, method):  # type: ignore[no-untyped-def]
    lower = two_proportion_test(
        p1, n1, p2, n2, method=method, alternative="greater", null_difference=-margin, deff=deff
    )
    upper = two_proportion_test(
        p1, n1, p2, n2, method=method, alternative="less", null_difference=margin, deff=deff
    )
    ci_method = "wald" if method == "z-unpooled" else method
    ci = difference_ci(p1, n1, p2, n2, method=ci_method, confidence_level=1 - 2 * alpha, deff=deff)
    return (
        np.asarray(lower.estimate, dtype=float),
        np.asarray(ci.ci_low, dtype=float),
        np.asarray(ci.ci_high, dtype=float),
        np.asarray(lower.pvalue, dtype=float),
        np.asarray(upper.pvalue, dtype=float),
    )


def equivalence_test(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    margin: ArrayLike,
    deff: ArrayLike = 1.0,
    within: bool = False,
    method: str | None = None,
    alpha: float = 0.05,
) -> EquivalenceTest:
    """Test whether two shares differ by less than ``margin`` (a statistical tie).

    Two one-sided tests (TOST): the difference :math:`\\delta = p_1 - p_2` is shown to lie
    within :math:`(-m, m)` when both :math:`\\delta \\le -m` and :math:`\\delta \\ge m` are
    rejected at level ``alpha``. Between two polls the one-sided tests are those of
    :func:`~surveykit.inference.two_sample_tests.two_proportion_test` with null
    differences :math:`\\mp m`; within one poll (``within=True``: two options answered by
    the same respondents) they are Wald tests with the multinomial variance. All inputs
    broadcast and are computed on whole arrays.

    Parameters
    ----------
    p1, p2 : array_like
        The two shares (0-1): the later and the earlier poll, or the two options.
    n1, n2 : array_like
        Sample sizes; with ``within=True`` both are the poll's n and must be equal.
    margin : array_like
        The equivalence margin as a share: 0.03 for 3 percentage points.
    deff : array_like, default 1.0
        Design effect applied to both polls (effective sizes ``n / deff``).
    within : bool, default False
        True for two options of one poll.
    method : {'miettinen-nurminen', 'z-unpooled'} or {'wald'}, optional
        Between polls, the score statistic of Miettinen and Nurminen (default) or the
        unpooled z statistic; within a poll, ``'wald'`` (the default and only choice).
    alpha : float, default 0.05
        Significance level of each one-sided test.

    Returns
    -------
    EquivalenceTest
        ``estimate`` (:math:`p_1 - p_2`), the :math:`1 - 2\\alpha` interval
        (``ci_low``, ``ci_high``), ``pvalue`` (the larger one-sided p-value),
        ``pvalue_lower``, ``pvalue_upper``, ``equivalent`` and the inputs.

    Raises
    ------
    SurveyKitError
        For shares outside [0, 1], a margin that is not a share in (0, 1), sizes that are
        not positive, ``within=True`` with different n or shares summing above 1, or an
        unknown method.

    See Also
    --------
    surveykit.inference.two_sample_tests.two_proportion_test : the one-sided tests.
    surveykit.inference.within_poll.option_difference_test : a lead within one poll.

    Notes
    -----
    Between polls with ``method='z-unpooled'`` the statistic is
    :math:`z = (\\hat\\delta - \\delta_0) / \\sqrt{\\hat p_1 \\hat q_1 / n_1 +
    \\hat p_2 \\hat q_2 / n_2}`, the ``'wald'`` test of statsmodels'
    ``tost_proportions_2indep``; ``'miettinen-nurminen'`` is its ``'score'`` test with
    ``correction=True``. Within a poll,
    :math:`\\operatorname{Var}(\\hat p_1 - \\hat p_2) = (p_1 + p_2 - (p_1 - p_2)^2) / n`.

    References
    ----------
    .. [1] Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure
       and the power approach for assessing the equivalence of average bioavailability.
       *Journal of Pharmacokinetics and Biopharmaceutics* 15, 657-680.
    .. [2] Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates.
       *Statistics in Medicine* 4, 213-226.

    Examples
    --------
    Two candidates at 48% and 46%: is the race a tie within 5 points? Among 2,000 voters
    the lead is not significant, but a tie is not shown either; among 4,000 it is:

    >>> from surveykit.inference.equivalence import equivalence_test
    >>> res = equivalence_test(0.48, 2000, 0.46, 2000, margin=0.05, within=True)
    >>> bool(res.equivalent), f"{res.pvalue:.3f}"
    (False, '0.083')
    >>> res = equivalence_test(0.48, 4000, 0.46, 4000, margin=0.05, within=True)
    >>> bool(res.equivalent), f"{res.pvalue:.3f}"
    (True, '0.025')
    """
    within = check_flag("within", within)
    choices = EQUIVALENCE_METHODS[within]
    method = check_option("method", choices[0] if method is None else method, choices)
    alpha_value = check_tost_alpha(alpha)
    shape, a = broadcast_nonempty(p1=p1, n1=n1, p2=p2, n2=n2, margin=margin, deff=deff)
    q1, q2 = check_proportion("p1", a["p1"]), check_proportion("p2", a["p2"])
    m1, m2 = check_n("n1", a["n1"]), check_n("n2", a["n2"])
    m = check_margin(a["margin"])
    d = check_deff("deff", a["deff"])
    if within:
        check_same_poll_n(m1, m2)
        q1, q2 = check_within_pair(q1, q2)
        parts = _within_wald(q1, q2, m1, d, m, alpha_value)
    else:
        parts = _between(q1, m1, q2, m2, d, m, alpha_value, method)
    estimate, low, high, p_lower, p_upper = (np.broadcast_to(x, q1.shape) for x in parts)
    pvalue = np.fmax(p_lower, p_upper)
    pvalue = np.where(np.isnan(p_lower) | np.isnan(p_upper), np.nan, pvalue)
    wrap = shape.wrap
    return EquivalenceTest(
        estimate=wrap(estimate, "estimate"),
        ci_low=wrap(low, "ci_low"),
        ci_high=wrap(high, "ci_high"),
        pvalue=wrap(pvalue, "pvalue"),
        pvalue_lower=wrap(p_lower, "pvalue_lower"),
        pvalue_upper=wrap(p_upper, "pvalue_upper"),
        equivalent=wrap(pvalue < alpha_value, "equivalent"),
        margin=wrap(m, "margin"),
        confidence_level=1 - 2 * alpha_value,
        p1=wrap(q1, "p1"),
        n1=wrap(m1, "n1"),
        p2=wrap(q2, "p2"),
        n2=wrap(m2, "n2"),
        deff=wrap(d, "deff"),
        alpha=alpha_value,
        within=within,
        method=method,
    )
