"""Rounding of published figures: best and worst cases over the true values behind them.

A published 32% is any true share in [31.5%, 32.5%]; with one decimal, 32.0% is any in
[31.95%, 32.05%]. A conclusion that holds in the worst case over these intervals does not
depend on how the pollster rounded.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.results import RoundingBounds
from surveykit._core.validation import (
    broadcast_nonempty,
    check_alpha,
    check_confidence_level,
    check_deff,
    check_flag,
    check_n,
    check_n1_given,
    check_n2_within,
    check_option,
    check_proportion,
    check_published_decimals,
    check_whole_number,
    check_within_pair,
)
from surveykit.inference import difference, within_poll
from surveykit.inference import two_sample_tests as compare
from surveykit.unknowns.critical import CLOSED_FORM_METHODS, CLOSED_FORM_WITHIN, critical_n

__all__ = ["rounding_bounds", "rounding_interval"]

#: largest grid resolution (points per side of a rounding box)
_MAX_RESOLUTION = 1001


def rounding_interval(
    proportion: ArrayLike, *, published_decimals: int = 0
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """The true shares that round to a published percentage.

    Parameters
    ----------
    proportion : array_like
        Published share(s) as proportions (0.32 for 32%).
    published_decimals : int, default 0
        Decimal places of the published percentage.

    Returns
    -------
    (low, high) : floats or ndarrays
        ``proportion -/+ 0.5 * 10**-published_decimals / 100``, clipped to [0, 1]. Both ends are
        included (rounding conventions differ at exact halves).

    Examples
    --------
    The leaked FSO poll's 32% (July) is any true share from 31.5% to 32.5%:

    >>> from surveykit.unknowns.rounding import rounding_interval
    >>> low, high = rounding_interval(0.32)
    >>> round(low, 4), round(high, 4)
    (0.315, 0.325)
    """
    places = check_published_decimals(published_decimals)
    shape, a = broadcast_nonempty(proportion=proportion)
    p = check_proportion("proportion", a["proportion"])
    half = 0.5 * 10.0 ** -(places + 2)
    return (
        shape.wrap(np.clip(p - half, 0.0, 1.0), "low"),
        shape.wrap(np.clip(p + half, 0.0, 1.0), "high"),
    )


def rounding_bounds(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    n1: ArrayLike | None = None,
    n2: ArrayLike | None = None,
    published_decimals: int = 0,
    deff: ArrayLike = 1.0,
    alpha: ArrayLike = 0.05,
    confidence_level: ArrayLike = 0.95,
    method: str | None = None,
    ci_method: str | None = None,
    within: bool = False,
    resolution: int = 21,
) -> RoundingBounds:
    """Best and worst case of a comparison over the true values behind rounded shares.

    Every pair of true shares in the rounding box of the published ``p1`` and ``p2`` is
    an equally valid reading of the figures; this returns the extremes of the estimate,
    the interval, the p-value and the critical n over that box. Inputs broadcast, and
    the box of every element is searched on one array at once.

    Parameters
    ----------
    p1, p2 : array_like
        Published shares (0-1): the later and earlier poll (estimate ``p1 - p2``), or
        two options of one poll with ``within=True``.
    n1, n2 : array_like, optional
        Assumed or published sample sizes. Without ``n1`` only the estimate and the
        critical n are bounded (the interval and p-value fields are NaN). ``n2`` defaults
        to ``n1`` and must be None with ``within=True``.
    published_decimals : int, default 0
        Decimal places of the published percentages.
    deff : array_like, default 1.0
        Design effect, applied to both polls.
    alpha : array_like, default 0.05
        Significance level of the verdicts and of the critical n.
    confidence_level : array_like, default 0.95
        Level of the interval.
    method : str, optional
        Test method (as in :func:`~surveykit.unknowns.critical.critical_n`); default
        ``'z-pooled'``, or ``'wald'`` within a poll.
    ci_method : str, optional
        Interval method; default ``'newcombe'``, or ``'wald'`` within a poll.
    within : bool, default False
        Two options of one poll (multinomial covariance).
    resolution : int, default 21
        Points per side of the grid on each rounding box (corners included).

    Returns
    -------
    RoundingBounds
        ``estimate_min``/``estimate_max``, ``ci_low_min``/``ci_low_max``,
        ``ci_high_min``/``ci_high_max``, ``pvalue_min``/``pvalue_max``,
        ``critical_n_min``/``critical_n_max`` and the values at the published shares;
        ``significant_worst`` is True when the difference is significant for every true
        value (``pvalue_max < alpha``), ``significant_best`` when for some.

    See Also
    --------
    rounding_interval : the true shares behind one published percentage.
    surveykit.unknowns.granularity.consistent_n : sample sizes consistent with rounded figures.

    Notes
    -----
    With :math:`h = \\tfrac12 10^{-d}/100`, the true shares lie in the box
    :math:`[p_1 - h, p_1 + h] \\times [p_2 - h, p_2 + h]` (clipped to [0, 1]; within a
    poll, points with :math:`p_a + p_b > 1` are left out). The estimate is linear, so
    its extremes are the corners: :math:`p_1 - p_2 \\pm 2h`. The other quantities are
    evaluated on a ``resolution`` x ``resolution`` grid over the box, corners and edges
    included, and their extremes taken. The z-statistic is smooth and nearly linear on
    a box this small, so its extremes lie at corners, which the grid contains. A test
    on rounded counts (exact methods, ``round_counts``) only sees the counts
    :math:`\\mathrm{round}(n p)`: for methods without a closed form the p-value and
    interval grid is refined to at least :math:`2 n h / D + 2` points per side (at most
    1,001), so that every whole count in the box is reached. For those methods the
    critical n, found by an integer search costing about three times the critical n in
    tests per point, is evaluated only at the four corners of the box (where the
    difference is smallest and largest) and at the published point: its range is then
    that of these five points.

    References
    ----------
    .. [1] Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test. Social
       Psychological and Personality Science 8, 363-369.
    .. [2] Moore, R. E., Kearfott, R. B. and Cloud, M. J. (2009). Introduction to
       Interval Analysis. SIAM (bounds of a function over a box).

    Examples
    --------
    The leaked FSO polls: 32% for talks in July, 55% in November. The true change lies
    between 22 and 24 points; with an assumed 100 respondents per poll it is significant
    however the figures were rounded:

    >>> from surveykit.unknowns.rounding import rounding_bounds
    >>> rb = rounding_bounds(0.55, 0.32, n1=100)
    >>> round(rb.estimate_min, 3), round(rb.estimate_max, 3)
    (0.22, 0.24)
    >>> round(rb.pvalue_max, 4), rb.significant_worst
    (0.0017, True)
    >>> rb.critical_n_min, rb.critical_n_max
    (33.0, 40.0)
    """
    places = check_published_decimals(published_decimals)
    within = check_flag("within", within)
    resolution = check_whole_number("resolution", resolution, low=2, high=_MAX_RESOLUTION)
    if within:
        check_n2_within(n2)
    has_n = n1 is not None
    check_n1_given(n1, n2)
    shape, a = broadcast_nonempty(
        p1=p1,
        p2=p2,
        n1=n1 if has_n else np.nan,
        n2=n2 if n2 is not None else (n1 if has_n else np.nan),
        deff=deff,
        alpha=alpha,
        confidence_level=confidence_level,
    )
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    if has_n:
        m1 = check_n("n1", a["n1"])
        m2 = check_n("n2", a["n2"])
    else:
        m1, m2 = a["n1"], a["n2"]
    design = check_deff("deff", a["deff"])
    level = check_alpha(a["alpha"])
    conf = check_confidence_level(a["confidence_level"])
    if within:
        check_within_pair(q1, q2)
        method = "wald" if method is None else method
        ci_method = check_option(
            "ci_method",
            "wald" if ci_method is None else ci_method,
            within_poll.OPTION_DIFFERENCE_METHODS,
        )
    else:
        method = "z-pooled" if method is None else method
        ci_method = check_option(
            "ci_method",
            "newcombe" if ci_method is None else ci_method,
            difference.DIFFERENCE_CI_METHODS,
        )

    half = 0.5 * 10.0 ** -(places + 2)
    lo1, hi1 = np.clip(q1 - half, 0, 1), np.clip(q1 + half, 0, 1)
    lo2, hi2 = np.clip(q2 - half, 0, 1), np.clip(q2 + half, 0, 1)

    def box_grid(points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Grid over every box, shape (*shape, points**2 + 1); the published point last."""
        t = np.linspace(0.0, 1.0, points)
        u, v = (g.ravel() for g in np.meshgrid(t, t, indexing="ij"))
        g1 = lo1[..., None] + (hi1 - lo1)[..., None] * u
        g2 = lo2[..., None] + (hi2 - lo2)[..., None] * v
        g1 = np.concatenate([g1, q1[..., None]], axis=-1)
        g2 = np.concatenate([g2, q2[..., None]], axis=-1)
        feasible = g1 + g2 <= 1 + 1e-12 if within else np.ones(g1.shape, dtype=bool)
        feasible[..., -1] = True
        return (
            np.where(feasible, g1, q1[..., None]),
            np.where(feasible, g2, q2[..., None]),
            feasible,
        )

    def extremes(values: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        masked = np.where(keep, values, np.nan)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
            return np.nanmin(masked, axis=-1), np.nanmax(masked, axis=-1)

    closed = method in (CLOSED_FORM_WITHIN if within else CLOSED_FORM_METHODS)
    # the integer search costs about 3 x critical n tests per point: corners only
    g1, g2, feasible = box_grid(resolution if closed else 2)

    def spread(x: np.ndarray, like: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x[..., None], like.shape)

    n_ratio = np.where(np.isnan(m1), 1.0, m2 / m1)
    crit = np.asarray(
        critical_n(
            g1,
            g2,
            alpha=spread(level, g1),
            method=method,
            n_ratio=1.0 if within else spread(n_ratio, g1),
            deff=spread(design, g1),
            within=within,
        ),
        dtype=float,
    )
    cn_min, cn_max = extremes(crit, feasible)
    nan_grid = np.full((*q1.shape, 1), np.nan)
    pv, low, high = nan_grid, nan_grid, nan_grid
    pv_min = pv_max = lo_min = lo_max = hi_min = hi_max = nan_grid[..., 0]
    if has_n:
        points = resolution
        if not closed:
            # tests on rounded counts: a grid fine enough to reach every count in the box
            with np.errstate(invalid="ignore"):
                widest = np.nanmax(np.fmax(m1, m2) / design, initial=1.0)
            points = int(min(_MAX_RESOLUTION, max(resolution, np.ceil(2 * widest * half) + 2)))
        f1, f2, keep = (g1, g2, feasible) if closed else box_grid(points)
        pv, low, high = _test_and_interval(
            f1, f2, spread(m1, f1), spread(m2, f1), spread(design, f1), spread(conf, f1),
            method, ci_method, within,
        )  # fmt: skip
        pv_min, pv_max = extremes(pv, keep)
        lo_min, lo_max = extremes(low, keep)
        hi_min, hi_max = extremes(high, keep)

    est = q1 - q2
    nan = np.isnan(q1) | np.isnan(q2)
    return RoundingBounds(
        estimate=shape.wrap(est, "estimate"),
        estimate_min=shape.wrap(lo1 - hi2, "estimate_min"),
        estimate_max=shape.wrap(hi1 - lo2, "estimate_max"),
        ci_low=shape.wrap(low[..., -1], "ci_low"),
        ci_low_min=shape.wrap(lo_min, "ci_low_min"),
        ci_low_max=shape.wrap(lo_max, "ci_low_max"),
        ci_high=shape.wrap(high[..., -1], "ci_high"),
        ci_high_min=shape.wrap(hi_min, "ci_high_min"),
        ci_high_max=shape.wrap(hi_max, "ci_high_max"),
        pvalue=shape.wrap(pv[..., -1], "pvalue"),
        pvalue_min=shape.wrap(pv_min, "pvalue_min"),
        pvalue_max=shape.wrap(pv_max, "pvalue_max"),
        critical_n=shape.wrap(np.where(nan, np.nan, crit[..., -1]), "critical_n"),
        critical_n_min=shape.wrap(cn_min, "critical_n_min"),
        critical_n_max=shape.wrap(cn_max, "critical_n_max"),
        significant_best=shape.wrap(pv_min < level, "significant_best"),
        significant_worst=shape.wrap(pv_max < level, "significant_worst"),
        p1=shape.wrap(q1, "p1"),
        p1_low=shape.wrap(lo1, "p1_low"),
        p1_high=shape.wrap(hi1, "p1_high"),
        p2=shape.wrap(q2, "p2"),
        p2_low=shape.wrap(lo2, "p2_low"),
        p2_high=shape.wrap(hi2, "p2_high"),
        n1=shape.wrap(m1, "n1"),
        n2=shape.wrap(m2, "n2"),
        deff=shape.wrap(design, "deff"),
        alpha=shape.wrap(level, "alpha"),
        confidence_level=shape.wrap(conf, "confidence_level"),
        published_decimals=places,
        method=method,
        ci_method=ci_method,
    )


def _test_and_interval(
    g1: np.ndarray,
    g2: np.ndarray,
    m1: np.ndarray,
    m2: np.ndarray,
    design: np.ndarray,
    conf: np.ndarray,
    method: str,
    ci_method: str,
    within: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p-value and interval at every grid point (counts rounded for exact methods)."""
    if within:
        test = within_poll.option_difference_test(g1, g2, m1, method=method, deff=design)
        ci = within_poll.option_difference_ci(
            g1, g2, m1, method=ci_method, confidence_level=conf, deff=design
        )
    else:
        test = compare.two_proportion_test(
            g1, m1, g2, m2, method=method, deff=design, round_counts=True
        )
        ci = difference.difference_ci(
            g1, m1, g2, m2, method=ci_method, confidence_level=conf, deff=design
        )
    return (
        np.asarray(test.pvalue, dtype=float),
        np.asarray(ci.ci_low, dtype=float),
        np.asarray(ci.ci_high, dtype=float),
    )
