"""Rounding of published figures: best and worst cases over the true values behind them.

A published 32% is any true share in [31.5%, 32.5%]; with one decimal, 32.0% is any in
[31.95%, 32.05%]. A conclusion that holds in the worst case over these intervals does not
depend on how the pollster rounded.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

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

    Raises
    ------
    SurveyKitError
        If ``published_decimals`` is not a whole number from 0 to 6, ``proportion`` is
        empty or not numeric, or a share lies outside [0, 1] (a percentage such as 32 is
        refused with the fix ``proportion=0.32``).

    See Also
    --------
    rounding_bounds : best and worst case of a comparison over these intervals.
    surveykit.unknowns.granularity.consistent_n : sample sizes that could produce the
        published percentages.
    surveykit.unknowns.robustness.robustness : every unknown of a change at once.

    References
    ----------
    .. [1] Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test: a simple
       technique detects numerous anomalies in the reporting of results in psychology.
       Social Psychological and Personality Science 8, 363-369.

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

    Raises
    ------
    SurveyKitError
        If ``published_decimals`` is not a whole number from 0 to 6; ``within`` is not
        True or False; ``resolution`` is not a whole number from 2 to 1,001; ``n2`` is
        given with ``within=True``, or ``n2`` without ``n1``; the inputs are empty or do
        not broadcast; a share lies outside [0, 1], a sample size is not positive and
        finite, ``deff`` is not positive and finite, ``alpha`` or ``confidence_level``
        is not strictly between 0 and 1; two options of one poll add up to more than 1
        (``within=True``); ``method`` or ``ci_method`` is not one of the methods of
        :func:`~surveykit.inference.two_sample_tests.two_proportion_test`,
        :func:`~surveykit.inference.difference.difference_ci` (or, within a poll,
        :func:`~surveykit.inference.within_poll.option_difference_test`); or the critical
        n of an exact method exceeds its search limit.

    See Also
    --------
    rounding_interval : the true shares behind one published percentage.
    surveykit.unknowns.granularity.consistent_n : sample sizes consistent with rounded figures.
    surveykit.unknowns.critical.critical_n : the critical n at the published shares.

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
    c = _checked(
        p1, p2, n1, n2, published_decimals, deff, alpha, confidence_level, method, ci_method,
        within, resolution,
    )  # fmt: skip
    half = 0.5 * 10.0 ** -(c.places + 2)
    box = _Box(
        np.clip(c.q1 - half, 0, 1), np.clip(c.q1 + half, 0, 1),
        np.clip(c.q2 - half, 0, 1), np.clip(c.q2 + half, 0, 1),
        c.q1, c.q2, c.within,
    )  # fmt: skip
    closed = c.method in (CLOSED_FORM_WITHIN if c.within else CLOSED_FORM_METHODS)
    # the integer search costs about 3 x critical n tests per point: corners only
    g1, g2, feasible = box.grid(c.resolution if closed else 2)
    crit = _critical_n_grid(c, g1, g2)
    cn_min, cn_max = _extremes(crit, feasible)
    nan_grid = np.full((*c.q1.shape, 1), np.nan)
    pv, low, high = nan_grid, nan_grid, nan_grid
    pv_min = pv_max = lo_min = lo_max = hi_min = hi_max = nan_grid[..., 0]
    if c.has_n:
        points = c.resolution
        if not closed:
            # tests on rounded counts: a grid fine enough to reach every count in the box
            with np.errstate(invalid="ignore"):
                widest = np.nanmax(np.fmax(c.m1, c.m2) / c.design, initial=1.0)
            points = int(min(_MAX_RESOLUTION, max(c.resolution, np.ceil(2 * widest * half) + 2)))
        f1, f2, keep = (g1, g2, feasible) if closed else box.grid(points)
        pv, low, high = _test_and_interval(
            f1, f2, _spread(c.m1, f1), _spread(c.m2, f1), _spread(c.design, f1),
            _spread(c.conf, f1), c.method, c.ci_method, c.within,
        )  # fmt: skip
        pv_min, pv_max = _extremes(pv, keep)
        lo_min, lo_max = _extremes(low, keep)
        hi_min, hi_max = _extremes(high, keep)

    wrap = c.shape.wrap
    nan = np.isnan(c.q1) | np.isnan(c.q2)
    return RoundingBounds(
        estimate=wrap(c.q1 - c.q2, "estimate"),
        estimate_min=wrap(box.lo1 - box.hi2, "estimate_min"),
        estimate_max=wrap(box.hi1 - box.lo2, "estimate_max"),
        ci_low=wrap(low[..., -1], "ci_low"),
        ci_low_min=wrap(lo_min, "ci_low_min"),
        ci_low_max=wrap(lo_max, "ci_low_max"),
        ci_high=wrap(high[..., -1], "ci_high"),
        ci_high_min=wrap(hi_min, "ci_high_min"),
        ci_high_max=wrap(hi_max, "ci_high_max"),
        pvalue=wrap(pv[..., -1], "pvalue"),
        pvalue_min=wrap(pv_min, "pvalue_min"),
        pvalue_max=wrap(pv_max, "pvalue_max"),
        critical_n=wrap(np.where(nan, np.nan, crit[..., -1]), "critical_n"),
        critical_n_min=wrap(cn_min, "critical_n_min"),
        critical_n_max=wrap(cn_max, "critical_n_max"),
        significant_best=wrap(pv_min < c.level, "significant_best"),
        significant_worst=wrap(pv_max < c.level, "significant_worst"),
        p1=wrap(c.q1, "p1"),
        p1_low=wrap(box.lo1, "p1_low"),
        p1_high=wrap(box.hi1, "p1_high"),
        p2=wrap(c.q2, "p2"),
        p2_low=wrap(box.lo2, "p2_low"),
        p2_high=wrap(box.hi2, "p2_high"),
        n1=wrap(c.m1, "n1"),
        n2=wrap(c.m2, "n2"),
        deff=wrap(c.design, "deff"),
        alpha=wrap(c.level, "alpha"),
        confidence_level=wrap(c.conf, "confidence_level"),
        published_decimals=c.places,
        method=c.method,
        ci_method=c.ci_method,
    )


@dataclass(frozen=True)
class _Checked:
    """The inputs of :func:`rounding_bounds`, checked and broadcast."""

    shape: Any
    q1: np.ndarray
    q2: np.ndarray
    m1: np.ndarray
    m2: np.ndarray
    design: np.ndarray
    level: np.ndarray
    conf: np.ndarray
    places: int
    within: bool
    resolution: int
    has_n: bool
    method: str
    ci_method: str


def _checked(
    p1: ArrayLike,
    p2: ArrayLike,
    n1: ArrayLike | None,
    n2: ArrayLike | None,
    published_decimals: int,
    deff: ArrayLike,
    alpha: ArrayLike,
    confidence_level: ArrayLike,
    method: str | None,
    ci_method: str | None,
    within: bool,
    resolution: int,
) -> _Checked:
    """Check every input (in the order the messages are pinned) and broadcast them."""
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
        choices = within_poll.OPTION_DIFFERENCE_METHODS
        ci_method = check_option("ci_method", "wald" if ci_method is None else ci_method, choices)
    else:
        method = "z-pooled" if method is None else method
        choices = difference.DIFFERENCE_CI_METHODS
        ci_method = check_option(
            "ci_method", "newcombe" if ci_method is None else ci_method, choices
        )
    return _Checked(
        shape, q1, q2, m1, m2, design, level, conf, places, within, resolution, has_n, method,
        ci_method,
    )  # fmt: skip


@dataclass(frozen=True)
class _Box:
    """The rounding boxes of every element, and its published point."""

    lo1: np.ndarray
    hi1: np.ndarray
    lo2: np.ndarray
    hi2: np.ndarray
    q1: np.ndarray
    q2: np.ndarray
    within: bool

    def grid(self, points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Grid over every box, shape (*shape, points**2 + 1); the published point last."""
        lo1, hi1, lo2, hi2, q1, q2 = self.lo1, self.hi1, self.lo2, self.hi2, self.q1, self.q2
        t = np.linspace(0.0, 1.0, points)
        u, v = (g.ravel() for g in np.meshgrid(t, t, indexing="ij"))
        g1 = lo1[..., None] + (hi1 - lo1)[..., None] * u
        g2 = lo2[..., None] + (hi2 - lo2)[..., None] * v
        g1 = np.concatenate([g1, q1[..., None]], axis=-1)
        g2 = np.concatenate([g2, q2[..., None]], axis=-1)
        feasible = g1 + g2 <= 1 + 1e-12 if self.within else np.ones(g1.shape, dtype=bool)
        feasible[..., -1] = True
        return (
            np.where(feasible, g1, q1[..., None]),
            np.where(feasible, g2, q2[..., None]),
            feasible,
        )


def _extremes(values: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value over the kept points of every grid."""
    masked = np.where(keep, values, np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        return np.nanmin(masked, axis=-1), np.nanmax(masked, axis=-1)


def _spread(x: np.ndarray, like: np.ndarray) -> np.ndarray:
    return np.broadcast_to(x[..., None], like.shape)


def _critical_n_grid(c: _Checked, g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """The critical n at every grid point."""
    n_ratio = np.where(np.isnan(c.m1), 1.0, c.m2 / c.m1)
    return np.asarray(
        critical_n(
            g1,
            g2,
            alpha=_spread(c.level, g1),
            method=c.method,
            n_ratio=1.0 if c.within else _spread(n_ratio, g1),
            deff=_spread(c.design, g1),
            within=c.within,
        ),
        dtype=float,
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
