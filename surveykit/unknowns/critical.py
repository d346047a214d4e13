"""Critical values under unknown sample sizes and designs.

:func:`critical_n` is the smallest sample size at which a difference is significant;
:func:`critical_deff` the largest design effect at which it stays significant for given
sample sizes. Both have closed forms for the z-tests and use vectorised searches (over
integers for n, over the logarithm of the design effect for deff) for every other test
method of :func:`~surveykit.inference.two_sample_tests.two_proportion_test`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.budget import DEFAULT_MAX_SECONDS, check_budget, progress
from surveykit._core.validation import (
    broadcast_nonempty,
    check_alpha,
    check_alternative,
    check_deff,
    check_flag,
    check_max_seconds,
    check_n,
    check_n2_within,
    check_n_ratio,
    check_option,
    check_proportion,
    check_within_pair,
)
from surveykit.exceptions import SurveyKitError
from surveykit.inference import two_sample_tests as compare
from surveykit.inference import within_poll
from surveykit.unknowns.search import (
    EXACT_SEARCH,
    faster_method,
    search_cost,
    search_smallest_n,
)

__all__ = ["critical_deff", "critical_n"]

#: two-poll methods with a closed-form critical n (z = d sqrt(n1 / v), v free of n1)
CLOSED_FORM_METHODS = ("z-pooled", "z-unpooled")
#: within-poll methods with a closed form
CLOSED_FORM_WITHIN = ("wald", "score")
#: log2 of the smallest design effect the bisection of critical_deff considers
_DEFF_FLOOR = -2.0
_DEFF_HALVINGS = 52


def _variance_at_one(
    p1: np.ndarray, p2: np.ndarray, n_ratio: np.ndarray, method: str, within: bool
) -> np.ndarray:
    """n1 x Var(estimate) under the method's standard error (closed forms)."""
    if within:
        d = p1 - p2
        return p1 + p2 - d * d if method == "wald" else p1 + p2
    if method == "z-pooled":
        pooled = (p1 + n_ratio * p2) / (1 + n_ratio)
        return pooled * (1 - pooled) * (1 + 1 / n_ratio)
    return p1 * (1 - p1) + p2 * (1 - p2) / n_ratio


def _z_critical(level: np.ndarray, alternative: str) -> np.ndarray:
    tail = level / 2 if alternative == "two-sided" else level
    return special.ndtri(1 - tail)


def _wrong_way(d: np.ndarray, alternative: str) -> np.ndarray:
    """Differences that a one-sided alternative can never call significant."""
    if alternative == "greater":
        return d <= 0
    if alternative == "less":
        return d >= 0
    return d == 0


def _test_kwargs(func: Callable[..., Any]) -> dict[str, Any]:
    """round_counts=True when the test function offers it (exact tests need counts)."""
    return {"round_counts": True} if "round_counts" in inspect.signature(func).parameters else {}


def _parse(
    p1: ArrayLike,
    p2: ArrayLike,
    method: str | None,
    alternative: str,
    within: bool,
    **extra: ArrayLike,
) -> tuple[Any, str, str, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    within = check_flag("within", within)
    if within:
        method = check_option(
            "method", "wald" if method is None else method, within_poll.OPTION_DIFFERENCE_METHODS
        )
    else:
        method = check_option(
            "method",
            "z-pooled" if method is None else method,
            compare.TWO_PROPORTION_TEST_METHODS,
        )
    alternative = check_alternative(alternative)
    shape, a = broadcast_nonempty(p1=p1, p2=p2, **extra)
    if within:
        q1, q2 = check_within_pair(a["p1"], a["p2"])
    else:
        q1 = check_proportion("p1", a["p1"])
        q2 = check_proportion("p2", a["p2"])
    return shape, method, alternative, q1, q2, a


def critical_n(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    alpha: ArrayLike = 0.05,
    method: str | None = None,
    n_ratio: ArrayLike = 1.0,
    deff: ArrayLike = 1.0,
    alternative: str = "two-sided",
    within: bool = False,
    n_max: ArrayLike | None = None,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> int | float | np.ndarray:
    """Smallest whole sample size at which the difference ``p1 - p2`` is significant.

    For two independent polls the answer is the smallest integer ``n1`` (with
    ``n2 = n_ratio * n1``) whose test of :func:`~surveykit.two_proportion_test`
    gives a p-value below ``alpha``, for any of its methods. With ``within=True``,
    ``p1`` and ``p2`` are two options of the same poll and the answer is that poll's
    smallest ``n`` (test of :func:`~surveykit.option_difference_test`). Inputs
    broadcast; closed forms and the integer search both work on whole arrays.

    Parameters
    ----------
    p1, p2 : array_like
        The two published shares (0-1): the later poll first (or the leading option
        with ``within=True``); the difference is ``p1 - p2``.
    alpha : array_like, default 0.05
        Significance level; "significant" means ``pvalue < alpha``.
    method : str, optional
        Test method: any of ``TWO_PROPORTION_TEST_METHODS`` for two polls (default
        ``'z-pooled'``), or of ``OPTION_DIFFERENCE_METHODS`` with ``within=True``
        (default ``'wald'``).
    n_ratio : array_like, default 1.0
        ``n2 / n1`` for two polls (ignored with ``within=True``).
    deff : array_like, default 1.0
        Design effect, passed to the test (each n becomes ``n / deff``).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        As in :func:`~surveykit.inference.two_sample_tests.two_proportion_test`; with a one-sided
        alternative pointing away from the observed difference the answer is infinite.
    within : bool, default False
        Compare two options of one poll (multinomial covariance) instead of two polls.
    n_max : array_like, optional
        Search limit of the integer search (methods without a closed form); see Notes.
        Ignored by the closed forms, which need none.
    max_seconds : float, default 30
        Time budget of the integer search. Its cost is estimated first (see Notes); a
        search estimated to take longer is refused with a message saying how long it
        would take and what to pass. Raise it (``math.inf`` for no limit) to run a long
        search, which then shows a progress bar (in a terminal and in Jupyter) and can
        be interrupted with Ctrl-C. Ignored by the closed forms.

    Returns
    -------
    int, float or ndarray
        The critical n1, a whole number: an ``int`` for scalar input, or ``inf`` (a
        float) where the comparison is significant at no n (equal shares); arrays are
        float so that ``inf`` can say "never". A Series input keeps its index.

    Raises
    ------
    SurveyKitError
        If ``within`` is not True or False; ``method`` is not one of the methods of
        :func:`~surveykit.inference.two_sample_tests.two_proportion_test` (or, within a
        poll, of :func:`~surveykit.inference.within_poll.option_difference_test`);
        ``alternative`` is not one of 'two-sided', 'less', 'greater'; the inputs are
        empty, not numeric or do not broadcast; a share lies outside [0, 1] (or, within
        a poll, the two shares add up to more than 1); ``alpha`` is not strictly between
        0 and 1; ``n_ratio`` is not positive and finite; ``deff`` is not positive and
        finite; ``n_max`` is not a positive, finite sample size; or, for a method
        without a closed form and no ``n_max``, the search would need exact tests near
        a sample size too large to finish in seconds, or the test refuses the sizes
        the search reaches.

    See Also
    --------
    critical_deff : the largest design effect at which a difference stays significant.
    surveykit.unknowns.sensitivity.sensitivity : p-values over a grid of assumed n.

    Notes
    -----
    **Closed form** (``'z-pooled'``, ``'z-unpooled'``; ``'wald'``, ``'score'`` within a
    poll). Here :math:`z = d\\sqrt{n_1}/\\sqrt{v}` with :math:`v` free of
    :math:`n_1`, so the critical size is
    :math:`\\lceil z_{crit}^2\\, v\\, D / d^2\\rceil` (``D`` the design effect), checked
    against the test itself at the integer found and the one below so that
    floating-point error cannot move it by one. Pooled:
    :math:`v = \\bar p(1-\\bar p)(1 + 1/r)` with :math:`\\bar p = (p_1 + r p_2)/(1 + r)`;
    unpooled: :math:`v = p_1 q_1 + p_2 q_2 / r`; within a poll (Wald):
    :math:`v = p_a + p_b - d^2`, (score) :math:`v = p_a + p_b`.

    **Integer search** (every other method). The p-value of a test on counts rounded to
    whole numbers, or of an exact test, need not fall steadily as n grows: a test can
    be significant at n and not at n + 1. The critical n is then defined as *the
    smallest N such that the test is significant at every whole n from N up to the
    search limit L*: "significant for any n of at least N". L is ``n_max`` when given,
    otherwise the second power of two (1, 2, 4, ...) at which the test is significant
    (so L is at least twice the first n found significant). The search is exponential
    (powers of two), then a bisection for a crossing c (significant at c, not at
    c - 1), then a scan of every n in [c, L]: all vectorised over the elements, so its
    cost is about 3N tests per element. ``n2`` is ``n_ratio * n1`` rounded to a whole
    number (at least 1), and counts ``p * n`` are rounded to the nearest integer when
    the test offers ``round_counts``, as exact tests require. If the test is not
    significant at L, the answer is ``inf``. For the z-tests both definitions agree,
    since their p-value falls steadily with n.

    **Cost.** Before searching, the number of tests is estimated from the z-test's
    critical size :math:`N` (the closed form above): about :math:`L - N` tests of the scan
    plus :math:`2\\log_2 L` of the other stages, with :math:`L = 2^{\\lceil\\log_2 N\\rceil + 1}`
    (or ``n_max``). Each test is priced by a calibrated formula: about 1 microsecond
    for an asymptotic test on arrays, :math:`2\\cdot 10^{-5} + 5.5\\cdot 10^{-8}\\min(n_1, n_2)`
    seconds for Fisher's test (its support has :math:`\\min(n_1, n_2) + 1` tables), and
    :math:`1.5\\cdot 10^{-3} + 3\\cdot 10^{-7} n_1 n_2` seconds for Barnard's and
    Boschloo's (their table space is :math:`n_1 \\times n_2`), with the sizes after the
    design effect. Above ``max_seconds`` the search is refused. Fisher's test at 51%
    against 50% needs about 46,000 tests of tables up to 65,000 a poll: about two
    minutes, so it is refused at the default budget.

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for
       Rates and Proportions, 3rd ed. Wiley, section 4.2 (sample size for comparing
       two proportions).
    .. [2] Chernick, M. R. and Liu, C. Y. (2002). The saw-toothed behavior of power
       versus sample size and software solutions. The American Statistician 56,
       149-155.

    Examples
    --------
    The July-to-November change in the leaked FSO polls, 32% to 55%, is significant with
    36 respondents in each poll, and 72 with a design effect of 2:

    >>> from surveykit.unknowns.critical import critical_n
    >>> critical_n(0.55, 0.32), critical_n(0.55, 0.32, deff=2)
    (36, 72)

    Fisher's exact test on whole counts is significant at 45 respondents per poll,
    not at 46 (25 of 46 against 15 of 46), and at every size from 47 on, so its
    critical n is 47; the November lead of talks (55%) over continuing the war (25%)
    within one poll needs only 31 respondents:

    >>> critical_n(0.55, 0.32, method="fisher"), critical_n(0.55, 0.25, within=True)
    (47, 31)
    >>> critical_n(0.55, 0.32, method="fisher", n_max=45)
    45
    """
    bounds = {} if n_max is None else {"n_max": n_max}
    shape, method, alternative, q1, q2, a = _parse(
        p1, p2, method, alternative, within, alpha=alpha, n_ratio=n_ratio, deff=deff, **bounds
    )
    level = check_alpha(a["alpha"])
    rat = check_n_ratio(a["n_ratio"]) if not within else np.ones_like(q1)
    design = check_deff("deff", a["deff"])
    if n_max is not None:
        check_n("n_max", a["n_max"])
    budget = check_max_seconds(max_seconds)
    d = q1 - q2
    nan = np.isnan(q1) | np.isnan(q2) | np.isnan(level) | np.isnan(rat) | np.isnan(design)
    closed = method in (CLOSED_FORM_WITHIN if within else CLOSED_FORM_METHODS)
    if closed:
        out = _closed_form_n(q1, q2, level, rat, design, method, alternative, within)
    else:
        limit = None
        if n_max is not None:
            limit = np.floor(a["n_max"])
        never = _wrong_way(d, alternative)
        rough = _closed_form_n(q1, q2, level, rat, design, "z-pooled", alternative, within)
        searched = ~nan & ~never
        seconds, tests = search_cost(method, rough, rat, design, limit, searched)
        if seconds > budget:
            largest = float(np.max(np.where(searched & np.isfinite(rough), rough, 0.0)))
            check_budget(
                seconds,
                budget,
                task=(
                    f"critical_n with method={method!r} needs an exact test at every n of a "
                    f"search near {largest:,.0f} per poll (about {tests:,.0f} tests)"
                    if method in EXACT_SEARCH
                    else f"critical_n with method={method!r} searches about {tests:,.0f} "
                    f"sample sizes near {largest:,.0f} per poll"
                ),
                alternatives=faster_method(method, largest),
            )
        significant = _significance(q1, q2, level, rat, design, method, alternative, within)
        with progress(tests, seconds=seconds, desc=f"critical_n ({method})") as bar:

            def counted(n: np.ndarray, index: np.ndarray) -> np.ndarray:
                hit = significant(n, index)
                bar.update(n.size)
                return hit

            found = search_smallest_n(counted, searched.ravel(), limit)
        out = np.where(never, np.inf, found.reshape(d.shape))
    result = shape.wrap(np.where(nan, np.nan, out), "critical_n")
    # a sample size is a whole number: a finite scalar comes back as an int
    return int(result) if isinstance(result, float) and np.isfinite(result) else result


#: exact tests, whose cost grows with the size of each table
def _significance(
    q1: np.ndarray,
    q2: np.ndarray,
    level: np.ndarray,
    rat: np.ndarray,
    design: np.ndarray,
    method: str,
    alternative: str,
    within: bool,
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """significant(n, flat index) for the integer search."""
    flat = [np.ravel(x) for x in (q1, q2, level, rat, design)]

    def significant(n: np.ndarray, index: np.ndarray) -> np.ndarray:
        a, b, lev, r, dsg = (x[index] for x in flat)
        if within:
            res = within_poll.option_difference_test(
                a, b, n, method=method, alternative=alternative, deff=dsg
            )
        else:
            n2 = np.maximum(np.round(r * n), 1.0)
            try:
                res = compare.two_proportion_test(
                    a,
                    n,
                    b,
                    n2,
                    method=method,
                    alternative=alternative,
                    deff=dsg,
                    **_test_kwargs(compare.two_proportion_test),
                )
            except SurveyKitError as exc:
                raise SurveyKitError(
                    f"critical_n searched sample sizes up to {np.max(n):,.0f} for "
                    f"method={method!r} and two_proportion_test refused them: {exc}. "
                    "Pass n_max= to bound the search, or use a method with a closed form "
                    "('z-pooled', 'z-unpooled')"
                ) from exc
        return np.asarray(res.pvalue) < lev

    return significant


def _closed_form_n(
    q1: np.ndarray,
    q2: np.ndarray,
    level: np.ndarray,
    rat: np.ndarray,
    design: np.ndarray,
    method: str,
    alternative: str,
    within: bool,
) -> np.ndarray:
    d = q1 - q2
    z_crit = _z_critical(level, alternative)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # huge D: inf
        exact = z_crit**2 * _variance_at_one(q1, q2, rat, method, within) * design / (d * d)
    exact = np.where(_wrong_way(d, alternative), np.inf, exact)
    candidate = np.maximum(np.ceil(exact), 1.0)
    finite = np.isfinite(candidate)

    def significant(n1: np.ndarray) -> np.ndarray:
        n1 = np.where(finite & (n1 >= 1), n1, 1.0)
        if within:
            res = within_poll.option_difference_test(
                q1, q2, n1, method=method, alternative=alternative, deff=design
            )
        else:
            res = compare.two_proportion_test(
                q1, n1, q2, rat * n1, method=method, alternative=alternative, deff=design
            )
        return np.asarray(res.pvalue) < level

    # Guard the closed form against rounding at the boundary.
    with np.errstate(invalid="ignore"):
        step_down = finite & (candidate > 1) & significant(candidate - 1)
        candidate = np.where(step_down, candidate - 1, candidate)
        step_up = finite & ~significant(candidate)
    return np.where(step_up, candidate + 1, candidate)


def critical_deff(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    alpha: ArrayLike = 0.05,
    method: str | None = None,
    alternative: str = "two-sided",
    within: bool = False,
) -> float | np.ndarray:
    """Largest design effect at which the difference ``p1 - p2`` stays significant.

    For given (assumed or published) sample sizes, a design effect :math:`D` shrinks
    each n to ``n / D``; this returns the design effect at which the p-value of
    :func:`~surveykit.inference.two_sample_tests.two_proportion_test` (or, with ``within=True``, of
    :func:`~surveykit.inference.within_poll.option_difference_test`) reaches ``alpha``. Inputs
    broadcast and are computed on whole arrays (closed form, or a bisection on all
    elements at once).

    Parameters
    ----------
    p1, n1 : array_like
        The first published share (0-1): the later poll, or the leading option with
        ``within=True``; and the sample size of its poll (of the one poll with
        ``within=True``).
    p2 : array_like
        The second published share (0-1); the difference is ``p1 - p2``.
    n2 : array_like, optional
        Sample size of the second poll; None (default) means the same as ``n1``. Must
        be None with ``within=True``.
    alpha : array_like, default 0.05
        Significance level; "significant" means ``pvalue < alpha``.
    method : str, optional
        Test method, as for :func:`critical_n`.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
    within : bool, default False
        Compare two options of one poll.

    Returns
    -------
    float or ndarray
        The critical design effect: significant for every design effect below it and
        not above it. 0 when the difference is not significant at any design effect
        (equal shares, or a one-sided alternative pointing the other way).

    Raises
    ------
    SurveyKitError
        If ``within`` is not True or False, or ``n2`` is given with ``within=True``;
        ``method`` is not one of the methods of
        :func:`~surveykit.inference.two_sample_tests.two_proportion_test` (or, within a
        poll, of :func:`~surveykit.inference.within_poll.option_difference_test`);
        ``alternative`` is not one of 'two-sided', 'less', 'greater'; the inputs are
        empty, not numeric or do not broadcast; a share lies outside [0, 1] (or, within
        a poll, the two shares add up to more than 1); a sample size is not positive
        and finite; or ``alpha`` is not strictly between 0 and 1.

    See Also
    --------
    critical_n : the smallest sample size at which a difference is significant.
    surveykit.unknowns.margins.implied_deff : the design effect implied by a published margin.

    Notes
    -----
    **Closed form** (the z-tests): with :math:`v` as in :func:`critical_n`,
    :math:`z^2 = n_1 d^2/(v D)`, so the test is significant exactly while

    .. math:: D < D^* = n_1 d^2 / (z_{crit}^2\\, v),

    and :math:`D^*` is returned (at :math:`D^*` itself the p-value equals alpha).

    **Bisection** (every other method): on :math:`\\log_2 D` between :math:`1/4` and
    :math:`\\max(n_1, n_2)` (where every effective sample is down to one respondent),
    52 halvings on all elements at once, returning the lower end of the final bracket
    (a design effect at which the test is significant, with a slightly larger one at
    which it is not). Exact tests round the effective sizes and counts
    (``round_counts=True``), so their p-value moves in steps and need not be monotone in
    :math:`D`; the answer is then the crossing the bisection brackets. Elements at
    which no design effect of the search range tested significant return 0.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 8.2 (design effects).
    .. [2] Kish, L. (1992). Weighting for unequal P_i. Journal of Official Statistics
       8, 183-200.

    Examples
    --------
    Had each leaked FSO poll (32% in July, 55% in November) asked 400 people, the
    change would stay significant for any design effect below about 11.2:

    >>> from surveykit.unknowns.critical import critical_deff
    >>> round(critical_deff(0.55, 400, 0.32), 2)
    11.21

    and the November lead of talks (55%) over continuing (25%) with 400 respondents,
    below about 13.2:

    >>> round(critical_deff(0.55, 400, 0.25, within=True), 2)
    13.2
    """
    if check_flag("within", within):
        check_n2_within(n2)
    shape, method, alternative, q1, q2, a = _parse(
        p1, p2, method, alternative, within, n1=n1, n2=n1 if n2 is None else n2, alpha=alpha
    )
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    level = check_alpha(a["alpha"])
    d = q1 - q2
    nan = np.isnan(d) | np.isnan(m1) | np.isnan(m2) | np.isnan(level)
    never = _wrong_way(d, alternative)
    closed = method in (CLOSED_FORM_WITHIN if within else CLOSED_FORM_METHODS)
    if closed:
        z_crit = _z_critical(level, alternative)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = _variance_at_one(q1, q2, m2 / m1, method, within)
            out = m1 * d * d / (z_crit**2 * var)
    else:
        out = _bisect_deff(q1, q2, m1, m2, level, method, alternative, within)
    out = np.where(never, 0.0, out)
    return shape.wrap(np.where(nan, np.nan, out), "critical_deff")


def _bisect_deff(
    q1: np.ndarray,
    q2: np.ndarray,
    m1: np.ndarray,
    m2: np.ndarray,
    level: np.ndarray,
    method: str,
    alternative: str,
    within: bool,
) -> np.ndarray:
    def significant(log_d: np.ndarray) -> np.ndarray:
        design = np.exp2(log_d)
        if within:
            res = within_poll.option_difference_test(
                q1, q2, m1, method=method, alternative=alternative, deff=design
            )
        else:
            res = compare.two_proportion_test(
                q1,
                m1,
                q2,
                m2,
                method=method,
                alternative=alternative,
                deff=design,
                **_test_kwargs(compare.two_proportion_test),
            )
        return np.asarray(res.pvalue) < level

    ok = ~(np.isnan(q1) | np.isnan(q2) | np.isnan(m1) | np.isnan(m2) | np.isnan(level))
    q1, q2 = np.where(ok, q1, 0.5), np.where(ok, q2, 0.5)
    m1, m2, level = np.where(ok, m1, 1.0), np.where(ok, m2, 1.0), np.where(ok, level, 0.5)
    start = np.full(q1.shape, _DEFF_FLOOR)
    lo = start.copy()
    hi = np.log2(np.maximum(m1, m2))
    for _ in range(_DEFF_HALVINGS):
        mid = 0.5 * (lo + hi)
        hit = significant(mid)
        lo = np.where(hit, mid, lo)
        hi = np.where(hit, hi, mid)
    return np.where(lo > start, np.exp2(lo), 0.0)
