"""Power and sample size for comparing two independent polls, and n for a margin of error.

Three methods share one vocabulary. ``'normal'`` is the normal approximation of the
pooled z-test (R's ``power.prop.test``), ``'arcsine'`` is Cohen's arcsine effect size
(R's ``pwr::pwr.2p.test``), and ``'exact'`` enumerates every pair of counts: the
rejection region of a chosen test is computed once as a 0/1 matrix :math:`M` over
:math:`\\{0..n_1\\} \\times \\{0..n_2\\}` and the power is :math:`b_1^\\top M b_2` with
:math:`b_i` the binomial probability vectors.

``alternative`` means what it means in :func:`surveykit.two_proportion_test`:
``'greater'`` is :math:`p_1 > p_2`, ``'less'`` is :math:`p_1 < p_2`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.numerics import z_squared_pq
from surveykit._core.roots import bisect_decreasing
from surveykit._core.validation import (
    broadcast,
    check_alpha,
    check_alternative,
    check_confidence_level,
    check_deff,
    check_exact_test_option,
    check_moe,
    check_n,
    check_n_ratio,
    check_option,
    check_population,
    check_power,
    check_power_above_alpha,
    check_proportion,
    check_sample_size_method,
)
from surveykit.planning.exact_power import exact_tests, power_exact, whole_sizes

__all__ = [
    "POWER_METHODS",
    "minimum_detectable_difference",
    "power_curve",
    "power_two_proportions",
    "sample_size_proportion",
    "sample_size_two_proportions",
]

POWER_METHODS = ("normal", "arcsine", "exact")


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def _tail(alpha: np.ndarray, alternative: str) -> np.ndarray:
    return alpha / 2 if alternative == "two-sided" else alpha


def _options(method: str, alternative: str, test: str | None) -> tuple[str, str, str | None]:
    method = check_option("method", method, POWER_METHODS)
    alternative = check_alternative(alternative)
    check_exact_test_option(method, test)
    if method == "exact":
        test = check_option("test", "z-pooled" if test is None else test, exact_tests())
    return method, alternative, test


# --------------------------------------------------------------------------------------
# Power formulas on arrays (effective sample sizes n1, n2)
# --------------------------------------------------------------------------------------


def _signed(p1: np.ndarray, p2: np.ndarray, alternative: str) -> np.ndarray:
    """The difference in the direction the alternative looks for (abs if two-sided)."""
    d = p1 - p2
    if alternative == "two-sided":
        return np.abs(d)
    return d if alternative == "greater" else -d


def _power_normal(p1, p2, n1, n2, alpha, alternative):  # type: ignore[no-untyped-def]
    z = -special.ndtri(_tail(alpha, alternative))
    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    null_sd = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    sd = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    margin = _signed(p1, p2, alternative) - z * null_sd
    with np.errstate(divide="ignore", invalid="ignore"):
        power = special.ndtr(margin / sd)
    # no variance under the alternative (p1, p2 in {0, 1}): rejection is certain or never
    return np.where(sd == 0, np.where(margin > 0, 1.0, 0.0), power)


def _cohen_h(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def _power_arcsine(p1, p2, n1, n2, alpha, alternative):  # type: ignore[no-untyped-def]
    z = -special.ndtri(_tail(alpha, alternative))
    t = _cohen_h(p1, p2) * np.sqrt(n1 * n2 / (n1 + n2))
    if alternative == "greater":
        return special.ndtr(t - z)
    if alternative == "less":
        return special.ndtr(-t - z)
    return special.ndtr(np.abs(t) - z) + special.ndtr(-np.abs(t) - z)


def _power(method, test, p1, p2, n1, n2, alpha, alternative, cache=None):  # type: ignore[no-untyped-def]
    if method == "normal":
        return _power_normal(p1, p2, n1, n2, alpha, alternative)
    if method == "arcsine":
        return _power_arcsine(p1, p2, n1, n2, alpha, alternative)
    return power_exact(p1, p2, n1, n2, alpha, alternative, test, cache)


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def power_two_proportions(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    alpha: ArrayLike = 0.05,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
    test: str | None = None,
) -> float | np.ndarray:
    """Power to detect a difference between two independent polls.

    The probability that a test at level ``alpha`` rejects :math:`p_1 = p_2` when the
    true shares are ``p1`` and ``p2`` and the polls have ``n1`` and ``n2`` respondents.
    Inputs broadcast (scalars, arrays, Series; a Series keeps its index). The
    approximations are formulas on whole arrays; the exact power enumerates the count
    grid once per distinct pair of sizes, with vector operations only.

    Parameters
    ----------
    p1, n1 : array_like
        True proportion (0.32 for 32%) and sample size of the first poll (the later
        one, or the one compared).
    p2 : array_like
        True proportion of the second poll; the difference is ``p1 - p2``.
    n2 : array_like, optional
        Sample size of the second poll; by default equal to ``n1``.
    alpha : array_like, default 0.05
        Significance level of the test (two-sided: ``alpha / 2`` in each tail).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'`` tests :math:`p_1 > p_2`, ``'less'`` :math:`p_1 < p_2`.
    method : {'normal', 'arcsine', 'exact'}, default 'normal'
        ``'normal'``: R's ``power.prop.test``; ``'arcsine'``: ``pwr::pwr.2p.test``
        (``pwr.2p2n.test`` for unequal sizes); ``'exact'``: the exact probability of
        rejection by the chosen ``test``. See Notes.
    deff : array_like, default 1.0
        Design effect of both polls: each n is replaced by ``n / deff``. For
        ``method='exact'`` the effective sizes must be whole numbers.
    test : str, optional
        For ``method='exact'`` only: a method of :func:`surveykit.two_proportion_test`
        (read at call time; default ``'z-pooled'``), including the exact tests
        ``'fisher'``, ``'barnard'`` and ``'boschloo'``.

    Returns
    -------
    float or ndarray
        The power, between 0 and 1 (a Series if an input was one).

    Raises
    ------
    SurveyKitError
        For proportions outside [0, 1], non-positive sizes or design effects, an
        ``alpha`` outside (0, 1), an unknown option, a ``test`` without
        ``method='exact'``, effective sizes that are not whole numbers for
        ``method='exact'``, or count grids too large to enumerate (above about 10,000
        per poll; 3,000 per poll for Barnard's and Boschloo's tests).

    See Also
    --------
    sample_size_two_proportions : the n that gives a target power.
    minimum_detectable_difference : the smallest difference detected with that power.

    Notes
    -----
    With :math:`\\delta = p_1 - p_2` signed towards the alternative
    (:math:`|\\delta|` two-sided), :math:`z = \\Phi^{-1}(1 - \\tau)` for the tail
    :math:`\\tau` (:math:`\\alpha/2` two-sided, :math:`\\alpha` one-sided),
    :math:`\\bar p = (n_1p_1 + n_2p_2)/(n_1 + n_2)`:

    - ``'normal'`` [1]_: :math:`\\Phi\\bigl((\\delta - z\\sqrt{\\bar p(1-\\bar p)
      (1/n_1 + 1/n_2)})/\\sqrt{p_1(1-p_1)/n_1 + p_2(1-p_2)/n_2}\\bigr)`. With
      :math:`n_1 = n_2 = n` this is R's ``power.prop.test(n, p1, p2)`` exactly, including
      its default ``strict = FALSE``: a two-sided test is credited only with rejections
      in the direction of the true difference (the opposite tail adds at most
      :math:`\\alpha/2`, and far less unless :math:`\\delta` is tiny; ``method='exact'``
      counts both). With no variance under the alternative (:math:`p_1, p_2 \\in
      \\{0, 1\\}`) the power is 1 if the shares differ and 0 if not (R gives NaN for
      0/0). One-sided, it equals R's ``alternative = "one.sided"`` when the
      difference lies in the direction of the alternative (R takes
      :math:`|\\delta|` always; here a difference the other way gives a power below
      :math:`\\alpha`).
    - ``'arcsine'`` [2]_: with Cohen's :math:`h = 2\\arcsin\\sqrt{p_1} -
      2\\arcsin\\sqrt{p_2}` and :math:`t = h\\sqrt{n_1n_2/(n_1+n_2)}`, power
      :math:`\\Phi(t - z)` (``'greater'``), :math:`\\Phi(-t - z)` (``'less'``) and
      :math:`\\Phi(|t| - z) + \\Phi(-|t| - z)` (two-sided, both tails, as ``pwr``).
    - ``'exact'`` [3]_: :math:`\\sum_{x_1, x_2} b(x_1; n_1, p_1) b(x_2; n_2, p_2)
      M(x_1, x_2)`, where :math:`M = 1` when the test's p-value of the table is at most
      :math:`\\alpha`. :math:`M` is computed once per pair of sizes, by calling the test
      on the whole grid (in blocks of about a million tables); each row of :math:`M` is
      two tails in :math:`x_2`, so the sum is gathered from binomial cumulative sums.
      Fisher's p-values are computed margin by margin. Barnard's and Boschloo's
      p-values are suprema over the nuisance parameter, non-decreasing in their
      statistic (the pooled z, Fisher's one-sided p-value), so their region is the set
      of tables beyond a critical value found by bisection over the sorted values of
      the statistic, about 20 suprema in all [4]_. Several thousand per poll take a few
      seconds (Barnard's and Boschloo's tests: a thousand per poll, about two seconds).

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for
       Rates and Proportions, 3rd ed., Wiley, section 4.2; R Core Team,
       ``stats::power.prop.test``.
    .. [2] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6; Champely, S., ``pwr`` R package, ``pwr.2p.test``.
    .. [3] Suissa, S. and Shuster, J. J. (1985). Exact unconditional sample sizes for
       the 2 x 2 binomial trial. Journal of the Royal Statistical Society A 148,
       317-327.
    .. [4] Mehrotra, D. V., Chan, I. S. F. and Berger, R. L. (2003). A cautionary note
       on exact unconditional inference for a difference between two independent
       binomial proportions. Biometrics 59, 441-450.

    Examples
    --------
    The leaked FSO polls put support for peace talks at 32% in July and 55% in
    November, with no sample size. Two polls of 100 would have detected a change that
    large nine times in ten, by the normal approximation and by the exact pooled z-test:

    >>> from surveykit.planning.power import power_two_proportions
    >>> round(power_two_proportions(0.55, 100, 0.32), 4)
    0.9127
    >>> round(power_two_proportions(0.55, 100, 0.32, method="exact"), 4)
    0.9176

    A 5-point change (32% to 37%) is another matter, even with 1,000 in each poll:

    >>> round(power_two_proportions(0.37, 1000, 0.32), 3)
    0.653
    """
    method, alternative, test = _options(method, alternative, test)
    shape, a, m1, m2 = _sizes(p1=p1, n1=n1, p2=p2, n2=n2, alpha=alpha, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    level = check_alpha(a["alpha"])
    power = _power(method, test, q1, q2, m1, m2, level, alternative)
    return shape.wrap(power, "power")


def power_curve(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    alpha: ArrayLike = 0.05,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
    test: str | None = None,
) -> pd.DataFrame:
    """Power over a grid of effects and sizes, as a tidy frame (for tables and plots).

    The inputs broadcast as in :func:`power_two_proportions`; a column of ``p1``
    against a row of ``n1`` gives one curve per ``p1``.

    Parameters
    ----------
    p1, n1, p2, n2, alpha, alternative, method, deff, test
        As :func:`power_two_proportions`.

    Returns
    -------
    DataFrame
        One row per element of the broadcast inputs, with columns ``p1``, ``n1``,
        ``p2``, ``n2``, ``deff``, ``alpha``, ``alternative``, ``method``, ``test``
        (None unless ``method='exact'``) and ``power``.

    Raises
    ------
    SurveyKitError
        As :func:`power_two_proportions`: if ``method`` is not one of
        :data:`POWER_METHODS` or ``alternative`` not one of 'two-sided', 'less',
        'greater'; ``test`` is given with a method other than 'exact', or is not one of
        the exact tests; the inputs are not numeric or do not broadcast; a share lies
        outside [0, 1]; a sample size is not positive and finite; ``deff`` is not
        positive and finite; or ``alpha`` is not strictly between 0 and 1.

    See Also
    --------
    power_two_proportions : the power as numbers.
    surveykit.plotting.plot_power : draws this frame.

    Notes
    -----
    The power is that of :func:`power_two_proportions` (formulas there), evaluated
    on the flattened broadcast inputs in one call.

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6 (power tables and curves).

    Examples
    --------
    November figures of 37% and 42% against July's 32%, with 500 or 1,000 per poll:

    >>> import numpy as np
    >>> from surveykit.planning.power import power_curve
    >>> frame = power_curve(np.array([[0.37], [0.42]]), [500, 1000], 0.32)
    >>> frame[["p1", "n1", "power"]].round(3)
         p1      n1  power
    0  0.37   500.0  0.383
    1  0.37  1000.0  0.653
    2  0.42   500.0  0.907
    3  0.42  1000.0  0.996
    """
    method, alternative, test = _options(method, alternative, test)
    n2 = n1 if n2 is None else n2
    _, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, alpha=alpha, deff=deff)
    flat = {k: np.ravel(v) for k, v in a.items()}
    power = power_two_proportions(
        flat["p1"],
        flat["n1"],
        flat["p2"],
        flat["n2"],
        alpha=flat["alpha"],
        alternative=alternative,
        method=method,
        deff=flat["deff"],
        test=test,
    )
    return pd.DataFrame(
        {
            "p1": flat["p1"],
            "n1": flat["n1"],
            "p2": flat["p2"],
            "n2": flat["n2"],
            "deff": flat["deff"],
            "alpha": flat["alpha"],
            "alternative": alternative,
            "method": method,
            "test": test,
            "power": np.asarray(power, dtype=float).reshape(-1),
        }
    )


def _sizes(**inputs):  # type: ignore[no-untyped-def]
    """Broadcast inputs; n2 defaults to n1; return effective sizes n / deff."""
    if inputs.get("n2") is None:
        inputs["n2"] = inputs["n1"]
    shape, a = broadcast(**inputs)
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    design = check_deff("deff", a["deff"])
    return shape, a, m1 / design, m2 / design


def sample_size_two_proportions(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    power: ArrayLike = 0.8,
    alpha: ArrayLike = 0.05,
    n_ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
) -> float | np.ndarray:
    """Sample size of the first poll needed to detect the difference between p1 and p2.

    Inputs broadcast (a Series keeps its index). The normal sample size is a closed
    formula on arrays; the two-sided arcsine one is found by bisection on whole arrays.

    Parameters
    ----------
    p1, p2 : array_like
        True proportions in the two polls.
    power : array_like, default 0.8
        Target power, strictly between the tail significance level and 1.
    alpha : array_like, default 0.05
        Significance level of the test.
    n_ratio : array_like, default 1.0
        :math:`n_2 / n_1`; the second poll has ``n_ratio * n1`` respondents.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'`` tests :math:`p_1 > p_2`, ``'less'`` :math:`p_1 < p_2`.
    method : {'normal', 'arcsine'}, default 'normal'
        The approximations of :func:`power_two_proportions`. ``'exact'`` is refused:
        exact power is saw-toothed in n, so "the" exact n is ill defined; take the
        normal n and check it with ``power_two_proportions(..., method='exact')``.
    deff : array_like, default 1.0
        Design effect of both polls; the answer is ``deff`` times the simple random
        sampling one.

    Returns
    -------
    float or ndarray
        :math:`n_1`, unrounded (round up for a whole number of respondents); ``inf``
        where no n reaches the power (p1 = p2, or a difference against a one-sided
        alternative).

    Raises
    ------
    SurveyKitError
        For proportions outside [0, 1], power or alpha outside (0, 1), a power not
        above the tail level, a non-positive n_ratio or design effect, or an unknown
        option.

    See Also
    --------
    power_two_proportions : the power at a given n.
    sample_size_proportion : the n for a margin of error.

    Notes
    -----
    With :math:`r` = ``n_ratio``, :math:`\\bar p = (p_1 + rp_2)/(1 + r)`, :math:`z_\\tau`
    and :math:`z_\\beta = \\Phi^{-1}(\\text{power})`:

    - ``'normal'`` [1]_: :math:`n_1 = D\\bigl(z_\\tau\\sqrt{\\bar p(1-\\bar p)(1 + 1/r)}
      + z_\\beta\\sqrt{p_1(1-p_1) + p_2(1-p_2)/r}\\bigr)^2/\\delta^2`, the root of the
      ``'normal'`` power; with :math:`r = 1`, :math:`D = 1` it is R's
      ``power.prop.test(p1=, p2=, power=)$n`` (R finds it by ``uniroot`` to a tolerance
      of about 1e-4, so it agrees to that; with ``tol = 1e-12`` to 1e-9).
    - ``'arcsine'`` [2]_: :math:`n_1 = D\\,t^2(1 + r)/(r h^2)` where :math:`t` solves
      the power equation: :math:`t = z_\\tau + z_\\beta` one-sided, and by bisection
      two-sided (both tails count, as ``pwr.2p.test``).

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for
       Rates and Proportions, 3rd ed., Wiley, section 4.2.
    .. [2] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6.

    Examples
    --------
    How many respondents per poll would reliably (80% power) detect the FSO's rise in
    support for peace talks, 32% to 55%, or a mere 5-point rise, 32% to 37%?

    >>> from surveykit.planning.power import sample_size_two_proportions
    >>> round(sample_size_two_proportions(0.55, 0.32), 1)
    71.7
    >>> round(sample_size_two_proportions(0.37, 0.32), 1)
    1417.7
    """
    method = check_sample_size_method(check_option("method", method, POWER_METHODS))
    alternative = check_alternative(alternative)
    shape, a = broadcast(p1=p1, p2=p2, power=power, alpha=alpha, n_ratio=n_ratio, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    target = check_power(a["power"])
    level = check_alpha(a["alpha"])
    r = check_n_ratio(a["n_ratio"])
    design = check_deff("deff", a["deff"])
    tail = _tail(level, alternative)
    check_power_above_alpha(target, tail)
    z = -special.ndtri(tail)
    zb = special.ndtri(target)
    d = _signed(q1, q2, alternative)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "normal":
            pbar = (q1 + r * q2) / (1 + r)
            root = z * np.sqrt(pbar * (1 - pbar) * (1 + 1 / r)) + zb * np.sqrt(
                q1 * (1 - q1) + q2 * (1 - q2) / r
            )
            n = (root / d) ** 2
        else:
            h = _cohen_h(q1, q2)
            h = np.abs(h) if alternative == "two-sided" else np.where(d > 0, np.abs(h), 0.0)
            if alternative == "two-sided":
                t = _two_tail_root(z, target)
            else:
                t = z + zb
            n = t * t * (1 + r) / (r * h * h)
    n = np.where(d > 0, n, np.inf)
    nan = np.isnan(q1) | np.isnan(q2) | np.isnan(target) | np.isnan(tail) | np.isnan(r)
    return shape.wrap(np.where(nan | np.isnan(design), np.nan, n * design), "n1")


def _two_tail_root(z: np.ndarray, target: np.ndarray) -> np.ndarray:
    """t >= 0 with Phi(t - z) + Phi(-t - z) = target, by bisection on whole arrays."""

    def minus_power(t: np.ndarray) -> np.ndarray:
        return -(special.ndtr(t - z) + special.ndtr(-t - z))

    upper = z + special.ndtri(target)  # the first term alone reaches target there
    return bisect_decreasing(minus_power, np.zeros_like(upper), upper, -target, iterations=80)


def minimum_detectable_difference(
    p1: ArrayLike,
    n1: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    power: ArrayLike = 0.8,
    alpha: ArrayLike = 0.05,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
    test: str | None = None,
) -> float | np.ndarray:
    """Smallest change from p1 that polls of n1 and n2 detect with the given power.

    Found by bisection on whole arrays (for ``method='exact'``, with one rejection
    region per distinct pair of sizes); inputs broadcast and a Series keeps its index.

    Parameters
    ----------
    p1 : array_like
        Proportion in the first poll (the baseline).
    n1 : array_like
        Size of the first poll.
    n2 : array_like, optional
        Size of the second poll; by default equal to ``n1``.
    power : array_like, default 0.8
        Target power.
    alpha : array_like, default 0.05
        Significance level of the test.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        As in :func:`power_two_proportions`; it also fixes the direction of the change
        (see Returns).
    method : {'normal', 'arcsine', 'exact'}, default 'normal'
        How power is computed (see :func:`power_two_proportions`).
    deff : array_like, default 1.0
        Design effect of both polls.
    test : str, optional
        The test whose exact power is used, for ``method='exact'`` only.

    Returns
    -------
    float or ndarray
        The difference :math:`\\delta > 0` between the proportions of the two polls.
        The second poll's proportion is :math:`p_2 = p_1 + \\delta` for ``'less'``
        (:math:`p_1 < p_2`), :math:`p_1 - \\delta` for ``'greater'``, and, two-sided,
        a change towards 1/2 (up from :math:`p_1 \\le 1/2`, down from above): the
        variance grows towards 1/2, so this is the harder direction, and a change of
        that size the other way is detected at least as often (exactly so for the
        ``'normal'`` and ``'arcsine'`` methods, up to discreteness for ``'exact'``).
        NaN where even a change to 0 or 1 falls short of the power.

    Raises
    ------
    SurveyKitError
        As :func:`power_two_proportions`, and for a power outside (0, 1).

    See Also
    --------
    power_two_proportions, sample_size_two_proportions

    Notes
    -----
    Solves :math:`\\text{power}(p_1, p_1 \\pm \\delta) = \\text{target}` for
    :math:`\\delta` by 60 bisection steps on :math:`[0, 1 - p_1]` or :math:`[0, p_1]`,
    power being increasing in :math:`\\delta` for each method (for ``'exact'``,
    because every offered test rejects on two monotone tails).

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6.

    Examples
    --------
    With 32% for peace talks in July, what November figure could two polls of 800
    have told apart, 80% of the time?

    >>> from surveykit.planning.power import minimum_detectable_difference
    >>> round(minimum_detectable_difference(0.32, 800), 4)
    0.0669

    So a 5-point change was beyond them, and the 23-point rise to 55% was not.
    """
    method, alternative, test = _options(method, alternative, test)
    shape, a, m1, m2 = _sizes(p1=p1, n1=n1, n2=n2, power=power, alpha=alpha, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    target = check_power(a["power"])
    level = check_alpha(a["alpha"])
    check_power_above_alpha(target, _tail(level, alternative))
    if alternative == "less":
        up = np.ones_like(q1, dtype=bool)
    elif alternative == "greater":
        up = np.zeros_like(q1, dtype=bool)
    else:
        up = q1 <= 0.5
    room = np.where(up, 1 - q1, q1)
    sign = np.where(up, 1.0, -1.0)

    if method == "exact":
        m1 = whole_sizes("n1", m1)
        m2 = whole_sizes("n2", m2)

    regions: dict = {}  # exact rejection regions, computed once for all 60 steps

    def minus_power(delta: np.ndarray) -> np.ndarray:
        q2 = np.clip(q1 + sign * delta, 0.0, 1.0)
        return -_power(method, test, q1, q2, m1, m2, level, alternative, regions)

    delta = bisect_decreasing(minus_power, np.zeros_like(room), room, -target, iterations=60)
    reached = -minus_power(room) >= target
    nan = np.isnan(q1) | np.isnan(m1) | np.isnan(m2) | np.isnan(target) | np.isnan(level)
    return shape.wrap(np.where(reached & ~nan, delta, np.nan), "difference")


def sample_size_proportion(
    moe: ArrayLike,
    *,
    proportion: ArrayLike = 0.5,
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
    population: ArrayLike | None = None,
) -> float | np.ndarray:
    """Respondents needed for a target margin of error, with finite population correction.

    A formula on whole arrays; inputs broadcast and a Series keeps its index.

    Parameters
    ----------
    moe : array_like
        Target margin of error (half-width of the interval) as a proportion: 0.03 for
        3 points.
    proportion : array_like, default 0.5
        Expected share; 0.5 (the default) gives the largest, safe n.
    confidence_level : array_like, default 0.95
        Confidence level of the margin.
    deff : array_like, default 1.0
        Design effect; the answer grows in proportion to it.
    population : array_like, optional
        Size N of the population polled; None for an infinite one (no correction).

    Returns
    -------
    float or ndarray
        The sample size, unrounded (round up for a whole number of respondents).

    Raises
    ------
    SurveyKitError
        For a margin outside (0, 1), a proportion outside [0, 1], a confidence level
        outside (0, 1), a non-positive design effect or population.

    See Also
    --------
    surveykit.unknowns.margins.n_from_moe : the same formula, read the other way (no population).

    Notes
    -----
    The Wald margin :math:`m = z\\sqrt{D\\,p(1-p)/n \\cdot (N-n)/(N-1)}` solved for n:

    .. math:: n_0 = D\\,z^2 p(1-p)/m^2, \\qquad n = \\frac{n_0}{1 + (n_0 - 1)/N}

    with :math:`z = \\Phi^{-1}(1 - (1 - \\text{level})/2)` exactly (1.959964 at 95%).
    :math:`N = \\infty` gives :math:`n_0`.

    References
    ----------
    .. [1] Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley, section 4.4.
    .. [2] Kish, L. (1965). Survey Sampling. Wiley, section 2.5.

    Examples
    --------
    The FSO's November figure of 55% to within 3 points, 95% of the time, from
    Russia's adult population of about 110 million, and from a town of 5,000:

    >>> from surveykit.planning.power import sample_size_proportion
    >>> round(sample_size_proportion(0.03, proportion=0.55, population=110e6), 1)
    1056.4
    >>> round(sample_size_proportion(0.03, proportion=0.55, population=5000), 1)
    872.3
    """
    pop = np.inf if population is None else population
    shape, a = broadcast(
        moe=moe,
        proportion=proportion,
        confidence_level=confidence_level,
        deff=deff,
        population=pop,
    )
    m = check_moe(a["moe"])
    p = check_proportion("proportion", a["proportion"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    big_n = check_population(a["population"])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        n0 = design * z_squared_pq(p, level) / (m * m)  # a vanishing margin: infinite n
        n = np.where(np.isinf(big_n), n0, n0 / (1 + (n0 - 1) / big_n))
    return shape.wrap(n, "n")
