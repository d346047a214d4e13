"""Polls left out of a trend, held against it: one poll's distance, one pollster's change.

:func:`check_poll` answers "is this poll (say the FSO's leaked 55%) in line with the
other polls?" and :func:`compare_change` "did this pollster's change between two dates
(the FSO's July -> November) outrun the trend's?". Both take the sample size as an
array when it was never published, so that the answer is a function of the assumed n.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from scipy import special

from surveykit._core.numerics import pvalue_from_z
from surveykit._core.results import Interval, Tested, Values
from surveykit._core.validation import (
    broadcast,
    check_alternative,
    check_deff,
    check_n,
)
from surveykit._core.validation.series import (
    check_house_sd,
    check_later_first,
    check_not_in_fit,
    check_same_pollster,
    check_trend_level,
    read_one_poll,
    require_poll_n,
)
from surveykit.series.prepare import MOE_Z, midpoints, to_model_scale

if TYPE_CHECKING:  # pragma: no cover
    from surveykit.series.trend import PollTrend

__all__ = ["PollCheck", "TrendChange", "check_poll", "compare_change", "house_spread"]


@dataclass(frozen=True, eq=False, repr=False)
class PollCheck(Interval, Tested):
    """Where one poll sits against a trend (see :func:`check_poll`).

    ``estimate``/``ci_low``/``ci_high``: the trend on the poll's date; ``expected`` and
    ``prediction_low``/``prediction_high``: where a poll from this house (or an unknown
    one) is expected, and its prediction interval; ``statistic``: the standardised
    distance of the poll from ``expected``, referred to the standard normal
    (``method='wald'``); one row per assumed n. Has the protocol of
    :class:`~surveykit._core.results.Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    poll_id: str
    date: pd.Timestamp
    proportion: float
    n: Values
    deff: Values
    expected: float
    prediction_low: Values
    prediction_high: Values
    house_sd: float
    scale: str

    _headline: ClassVar[tuple[str, ...]] = ("statistic", "pvalue")
    _plain: ClassVar[tuple[str, ...]] = ("house_sd",)
    _plot: ClassVar[str | None] = None

    def __repr__(self) -> str:
        size = np.size(self.statistic)
        if size == 1:
            return (
                f"PollCheck(poll_id={self.poll_id!r}, statistic={float(self.statistic):.6g}, "
                f"pvalue={float(self.pvalue):.6g})"
            )
        return f"PollCheck(poll_id={self.poll_id!r}, {size} assumed sample sizes)"


@dataclass(frozen=True, eq=False, repr=False)
class TrendChange(Interval, Tested):
    """One pollster's change between two polls against the trend's (see :func:`compare_change`).

    ``estimate`` is the poll change minus the trend change (on the model's scale: share
    points, or log-odds on the logit scale), with its ``se``, Wald interval and z test
    (``method='wald'``); one row per assumed pair of sample sizes. As everywhere in
    surveykit the first poll is the later one: ``p1``, ``n1``, ``date1`` echo the later
    poll, ``p2``, ``n2``, ``date2`` the earlier, and ``poll_change`` is ``p1 - p2`` (on
    the model's scale). Has the protocol of
    :class:`~surveykit._core.results.Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    se: Values
    poll_change: float
    trend_change: float
    trend_change_se: float
    p1: float
    n1: Values
    p2: float
    n2: Values
    date1: pd.Timestamp
    date2: pd.Timestamp
    deff: Values
    scale: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = None

    def __repr__(self) -> str:
        size = np.size(self.estimate)
        if size == 1:
            return (
                f"TrendChange(estimate={float(self.estimate):.6g}, "
                f"statistic={float(self.statistic):.6g}, pvalue={float(self.pvalue):.6g})"
            )
        return f"TrendChange({size} assumed sample sizes)"


def _day(trend: PollTrend, date: pd.Timestamp) -> int:
    return int((date - trend.start).days)


def _level_weights(trend: PollTrend, days: list[tuple[int, float]]) -> tuple[np.ndarray, float]:
    """Weights on the grid for a combination of days (clamped) and the walk beyond the grid.

    Outside the grid the level continues as a random walk from the nearest end, so a
    day d beyond the end adds sigma^2 per day between d and the grid; for a difference of
    two days, only the part of the span between them that lies outside the grid counts.
    """
    n_days = trend.fit.data.n_days
    weights = np.zeros(n_days)
    for day, coef in days:
        weights[min(max(day, 0), n_days - 1)] += coef
    if len(days) == 1:
        day = days[0][0]
        outside = max(0, -day) + max(0, day - (n_days - 1))
    else:
        lo, hi = sorted(d for d, _ in days)
        outside = max(0, min(hi, 0) - lo) + max(0, hi - max(lo, n_days - 1))
    return weights, outside * trend.sigma**2


def house_spread(trend: PollTrend) -> float:
    """Standard deviation of house effects among pollsters, by the method of moments.

    :math:`\\hat\\tau^2 = \\max\\{0, [\\sum_j (\\hat\\delta_j - \\bar\\delta)^2 -
    \\mathrm{tr}(M \\Sigma_\\delta M)] / (k - 1)\\}` with :math:`M` the centring matrix and
    :math:`\\Sigma_\\delta` the estimates' covariance: the spread of the true effects,
    not inflated by their estimation error.
    """
    delta = trend.fit.delta
    k = delta.size
    centre = np.eye(k) - 1.0 / k
    spread = float(np.sum((delta - delta.mean()) ** 2))
    noise = float(np.trace(centre @ trend.fit.delta_cov() @ centre))
    return float(np.sqrt(max(0.0, (spread - noise) / (k - 1))))


def _poll_variance(poll: dict[str, Any], n: Any, name: str, parameter: str) -> Any:
    """Sampling variance of a poll's share: from n (given or published), else its moe."""
    share = poll["proportion"]
    if n is None:
        if not np.isnan(poll["n"]):
            n = poll["n"]
        elif not np.isnan(poll["moe"]):
            return None, share * (1 - share) * (poll["moe"] / MOE_Z) ** 2 / 0.25
        else:
            require_poll_n(name, poll["poll_id"], parameter)
    return n, None


def _date(poll: dict[str, Any]) -> pd.Timestamp:
    date, _ = midpoints(pd.Series([poll["fieldwork_start"]]), pd.Series([poll["fieldwork_end"]]))
    return date.iloc[0]


def _back(value: Any, scale: str) -> Any:
    return special.expit(value) if scale == "logit" else value


def check_poll(
    trend: PollTrend,
    poll: Any,
    *,
    n: Any = None,
    deff: Any = 1.0,
    house_sd: float | None = None,
    alternative: str = "two-sided",
    confidence_level: float | None = None,
) -> PollCheck:
    """Where a poll left out of the fit sits against the trend.

    Parameters
    ----------
    trend : PollTrend
        A fitted trend (:func:`surveykit.series.poll_trend`).
    poll : DataFrame row, Series or mapping
        One poll: ``proportion`` and ``fieldwork_start``/``fieldwork_end`` (one may be
        missing), and optionally ``poll_id``, ``pollster``, ``n``, ``moe``.
    n : array_like, optional
        Sample size(s) to assume; required when the poll publishes neither n nor a
        margin of error. An array gives one row per n.
    deff : array_like, default 1.0
        Design effect of the poll (broadcast with n).
    house_sd : float, optional
        Standard deviation of house effects among pollsters, for a poll from a house not
        in the fit; estimated from the fitted house effects when None
        (:func:`house_spread`). Ignored for a fitted pollster, whose own effect is used.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'``: the poll is above where it is expected.
    confidence_level : float, optional
        Level of the intervals; the trend's own level by default.

    Returns
    -------
    PollCheck
        The trend on the poll's date with its interval, the expected value and
        prediction interval of a poll from this (or an unknown) house, the standardised
        distance ``statistic`` and its ``pvalue``; arrays over n.

    Raises
    ------
    SurveyKitError
        If the poll is malformed, is one of the fitted polls, or has no n (pass ``n``);
        if ``house_sd`` is negative or cannot be estimated (one fitted pollster); for
        bad ``n``, ``deff``, ``alternative`` or ``confidence_level``.

    See Also
    --------
    compare_change : one pollster's change against the trend's.
    surveykit.series.poll_trend : the fit, whose ``residuals`` check the fitted polls.

    Notes
    -----
    On the poll's midpoint day t (beyond the grid the trend continues as a random walk
    from its nearest end), a poll from a house not in the fit is expected at
    :math:`\\hat\\mu_t + \\bar\\delta` (the mean house effect; 0 under sum-zero) with
    variance :math:`\\mathrm{Var}(\\hat\\mu_t + \\bar\\delta) + \\tau^2 + p(1-p)D/n`,
    :math:`\\tau` the spread of house effects among pollsters. A fitted pollster's poll
    is expected at :math:`\\hat\\mu_t + \\hat\\delta_h` with variance
    :math:`\\mathrm{Var}(\\hat\\mu_t + \\hat\\delta_h) + p(1-p)D/n`. The statistic is the
    distance over the square root of that variance, referred to the standard normal.
    On the logit scale all of this is on log-odds and reported back as shares. Inputs
    are computed on whole arrays of n.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.
    .. [2] Harville, D. A. (1976). Extension of the Gauss-Markov theorem to include the
       estimation of random effects. Annals of Statistics 4(2), 384-395.

    Examples
    --------
    The FSO's leaked November 2022 figure (55% for peace talks), against Levada's and
    Russian Field's trend, for several assumed sample sizes:

    >>> import surveykit as sk
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> talks = polls[polls.option == "start peace talks"]
    >>> fitted = talks[talks.pollster.isin(["Levada Center", "Russian Field"])]
    >>> trend = sk.series.poll_trend(fitted, question=list(fitted.question.unique()),
    ...                              option="start peace talks", assumed_n=1600)
    >>> fso = talks[talks.poll_id == "fso-2022-11"]
    >>> check = trend.check(fso, n=[400, 1600])
    >>> round(check.estimate, 3), check.pvalue.round(2).tolist()
    (0.501, [0.33, 0.28])
    """
    spec = read_one_poll("poll", poll)
    check_not_in_fit("poll", spec["poll_id"], trend.residuals.index)
    check_alternative(alternative)
    level = trend.confidence_level if confidence_level is None else confidence_level
    level = check_trend_level(level)
    n, known_var = _poll_variance(spec, n, "poll", "n")
    if known_var is None:
        shape, arrays = broadcast(n=n, deff=deff)
        check_n("n", arrays["n"])
        check_deff("deff", arrays["deff"])
        var = spec["proportion"] * (1 - spec["proportion"]) * arrays["deff"] / arrays["n"]
    else:
        shape, arrays = broadcast(deff=deff)
        var = np.broadcast_to(known_var, shape.shape)
    y, var = to_model_scale(spec["proportion"], var, trend.scale)

    date = _date(spec)
    houses = list(trend.house_effects.index)
    k = len(houses)
    fitted_house = spec["pollster"] in houses
    weights, beyond = _level_weights(trend, [(_day(trend, date), 1.0)])
    fit = trend.fit
    mu_t = float(weights @ fit.mu)
    var_mu = float(fit.variance(weights[:, None], np.zeros((k, 1)))[0]) + beyond
    delta_w = np.zeros(k)
    if fitted_house:
        delta_w[houses.index(spec["pollster"])] = 1.0
        tau = 0.0
    else:
        delta_w[:] = 1.0 / k
        tau = check_house_sd(house_sd, k)
        tau = house_spread(trend) if tau is None else tau
    expected = mu_t + float(delta_w @ fit.delta)
    var_expected = float(fit.variance(weights[:, None], delta_w[:, None])[0]) + beyond
    sd = np.sqrt(var_expected + tau**2 + var)
    z = float(special.ndtri(0.5 + level / 2))
    statistic = (y - expected) / sd
    return PollCheck(
        poll_id=spec["poll_id"],
        date=date,
        proportion=spec["proportion"],
        n=shape.wrap(arrays["n"]) if known_var is None else float("nan"),
        deff=shape.wrap(arrays["deff"]),
        estimate=float(_back(mu_t, trend.scale)),
        ci_low=float(_back(mu_t - z * np.sqrt(var_mu), trend.scale)),
        ci_high=float(_back(mu_t + z * np.sqrt(var_mu), trend.scale)),
        expected=float(_back(expected, trend.scale)),
        prediction_low=shape.wrap(_back(expected - z * sd, trend.scale)),
        prediction_high=shape.wrap(_back(expected + z * sd, trend.scale)),
        house_sd=float(tau),
        statistic=shape.wrap(statistic),
        pvalue=shape.wrap(pvalue_from_z(np.asarray(statistic), alternative)),
        alternative=alternative,
        confidence_level=level,
        method="wald",
        scale=trend.scale,
    )


def compare_change(
    trend: PollTrend,
    first: Any,
    second: Any,
    *,
    n1: Any = None,
    n2: Any = None,
    deff: Any = 1.0,
    alternative: str = "two-sided",
    confidence_level: float | None = None,
) -> TrendChange:
    """One pollster's change between two polls, against the trend's change over the same days.

    Parameters
    ----------
    trend : PollTrend
        A fitted trend that does not include the two polls.
    first, second : DataFrame row, Series or mapping
        The later and the earlier poll of one pollster (as in :func:`check_poll`): the
        first figure is the later poll, as in ``two_proportion_test(p1, n1, p2, n2)``.
    n1, n2 : array_like, optional
        Sample sizes to assume for the first (later) and the second (earlier) poll;
        required where a poll publishes neither n nor a margin of error. Arrays
        broadcast together.
    deff : array_like, default 1.0
        Design effect of both polls.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'``: the pollster's change exceeds the trend's.
    confidence_level : float, optional
        Level of the interval; the trend's own level by default.

    Returns
    -------
    TrendChange
        ``estimate`` (poll change minus trend change, each later minus earlier), ``se``,
        ``ci_low``, ``ci_high``, ``statistic``, ``pvalue``, with ``poll_change``,
        ``trend_change`` and ``trend_change_se``; ``p1``, ``n1``, ``date1`` echo the later
        poll and ``p2``, ``n2``, ``date2`` the earlier; arrays over the assumed sample
        sizes.

    Raises
    ------
    SurveyKitError
        If the polls come from different pollsters, are part of the fit, are malformed,
        have no n (pass ``n1``/``n2``), or if ``first`` is earlier than ``second`` (the
        later poll comes first); for bad ``deff``, ``alternative`` or
        ``confidence_level``.

    See Also
    --------
    check_poll : one poll against the trend.
    surveykit.change_test : the same change without a trend (and with overlap).

    Notes
    -----
    With poll 1 the later (day :math:`t_1`) and poll 2 the earlier (day :math:`t_2`),
    the house effect cancels within one pollster:
    :math:`D = (y_1 - y_2) - (\\hat\\mu_{t_1} - \\hat\\mu_{t_2})`, with
    :math:`\\mathrm{Var}(D) = v_1 + v_2 + \\mathrm{Var}(\\hat\\mu_{t_1} -
    \\hat\\mu_{t_2})`, the last term from the smoother's joint posterior (and
    :math:`\\sigma^2` per day of the span that lies beyond the grid). The two polls are
    taken as independent samples, independent of the fitted polls. Computed on whole
    arrays of the sample sizes.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.

    Examples
    --------
    The FSO's rise from 32% (July) to 55% (November) against Levada's and Russian Field's
    trend, the later poll first:

    >>> import surveykit as sk
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> talks = polls[polls.option == "start peace talks"]
    >>> fitted = talks[talks.pollster.isin(["Levada Center", "Russian Field"])]
    >>> trend = sk.series.poll_trend(fitted, question=list(fitted.question.unique()),
    ...                              option="start peace talks", assumed_n=1600)
    >>> july = talks[talks.poll_id == "fso-2022-07"]
    >>> november = talks[talks.poll_id == "fso-2022-11"]
    >>> change = trend.compare_change(november, july, n1=[400, 1600], n2=[400, 1600])
    >>> round(change.poll_change, 2), round(change.trend_change, 3)
    (0.23, 0.09)
    >>> change.pvalue.round(5).tolist()
    [0.0024, 8e-05]
    """
    one = read_one_poll("first", first)
    two = read_one_poll("second", second)
    check_same_pollster(one["pollster"], two["pollster"])
    for name, spec in (("first", one), ("second", two)):
        check_not_in_fit(name, spec["poll_id"], trend.residuals.index)
    date1, date2 = _date(one), _date(two)
    check_later_first(one["poll_id"], two["poll_id"], date1, date2)
    check_alternative(alternative)
    level = trend.confidence_level if confidence_level is None else confidence_level
    level = check_trend_level(level)
    n1, var1 = _poll_variance(one, n1, "first", "n1")
    n2, var2 = _poll_variance(two, n2, "second", "n2")
    shape, arrays = broadcast(
        n1=1.0 if n1 is None else n1, n2=1.0 if n2 is None else n2, deff=deff
    )
    for key in ("n1", "n2"):
        check_n(key, arrays[key])
    check_deff("deff", arrays["deff"])
    p1, p2 = one["proportion"], two["proportion"]
    v1 = p1 * (1 - p1) * arrays["deff"] / arrays["n1"] if var1 is None else var1
    v2 = p2 * (1 - p2) * arrays["deff"] / arrays["n2"] if var2 is None else var2
    y1, v1 = to_model_scale(p1, v1, trend.scale)
    y2, v2 = to_model_scale(p2, v2, trend.scale)

    k = len(trend.house_effects)
    weights, beyond = _level_weights(
        trend, [(_day(trend, date1), 1.0), (_day(trend, date2), -1.0)]
    )
    trend_change = float(weights @ trend.fit.mu)
    trend_var = float(trend.fit.variance(weights[:, None], np.zeros((k, 1)))[0]) + beyond
    estimate = (y1 - y2) - trend_change
    se = np.sqrt(v1 + v2 + trend_var) * np.ones(shape.shape)
    z = float(special.ndtri(0.5 + level / 2))
    statistic = estimate / se
    nan = float("nan")
    return TrendChange(
        estimate=shape.wrap(estimate),
        se=shape.wrap(se),
        ci_low=shape.wrap(estimate - z * se),
        ci_high=shape.wrap(estimate + z * se),
        statistic=shape.wrap(statistic),
        pvalue=shape.wrap(pvalue_from_z(np.asarray(statistic), alternative)),
        poll_change=float(y1 - y2),
        trend_change=trend_change,
        trend_change_se=float(np.sqrt(trend_var)),
        p1=p1,
        n1=nan if n1 is None else shape.wrap(arrays["n1"]),
        p2=p2,
        n2=nan if n2 is None else shape.wrap(arrays["n2"]),
        date1=date1,
        date2=date2,
        deff=shape.wrap(arrays["deff"]),
        alternative=alternative,
        confidence_level=level,
        method="wald",
        scale=trend.scale,
    )
