"""Sample sizes: how many to ask for a margin of error, to detect a change, and the
smallest change a poll of a given size detects (normal, arcsine or exact methods)."""

from __future__ import annotations

import numpy as np
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
    check_moe,
    check_n_ratio,
    check_option,
    check_population,
    check_power,
    check_power_above_alpha,
    check_proportion,
    check_sample_size_method,
)
from surveykit.planning.exact_power import whole_sizes
from surveykit.planning.power import (
    POWER_METHODS,
    checked_sizes,
    cohen_h,
    power_of,
    power_options,
    signed_difference,
    tail_of,
)

__all__ = [
    "minimum_detectable_difference",
    "sample_size_proportion",
    "sample_size_two_proportions",
]


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

    >>> from surveykit.planning.sample_size import sample_size_two_proportions
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
    tail = tail_of(level, alternative)
    check_power_above_alpha(target, tail)
    z = -special.ndtri(tail)
    zb = special.ndtri(target)
    d = signed_difference(q1, q2, alternative)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "normal":
            pbar = (q1 + r * q2) / (1 + r)
            root = z * np.sqrt(pbar * (1 - pbar) * (1 + 1 / r)) + zb * np.sqrt(
                q1 * (1 - q1) + q2 * (1 - q2) / r
            )
            n = (root / d) ** 2
        else:
            h = cohen_h(q1, q2)
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

    >>> from surveykit.planning.sample_size import minimum_detectable_difference
    >>> round(minimum_detectable_difference(0.32, 800), 4)
    0.0669

    So a 5-point change was beyond them, and the 23-point rise to 55% was not.
    """
    method, alternative, test = power_options(method, alternative, test)
    shape, a, m1, m2 = checked_sizes(p1=p1, n1=n1, n2=n2, power=power, alpha=alpha, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    target = check_power(a["power"])
    level = check_alpha(a["alpha"])
    check_power_above_alpha(target, tail_of(level, alternative))
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
        return -power_of(method, test, q1, q2, m1, m2, level, alternative, regions)

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

    >>> from surveykit.planning.sample_size import sample_size_proportion
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
