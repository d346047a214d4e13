"""The trend behind a series of polls, with house effects: Jackman's local-level model.

:func:`poll_trend` fits one option of one question; :func:`poll_trends` fits every
option of a question, one trend each. Both return result objects whose numbers are
the exact smoother of the model (see :mod:`surveykit.series.smoother`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import special

from surveykit._core.formatting import frame_to_html, frame_to_text
from surveykit._core.results import Result
from surveykit._core.validation.published import check_display_decimals
from surveykit._core.validation.series import (
    check_house_effects,
    check_one_poll_houses,
    check_option_anchors,
    check_polls_frame,
    check_scale,
    check_sigma,
    check_trend_level,
    select_question,
)
from surveykit.exceptions import SurveyKitWarning
from surveykit.series.check import check_poll, compare_change
from surveykit.series.prepare import PreparedSeries, prepare_series
from surveykit.series.smoother import (
    SIGMA_RANGE,
    LevelData,
    LevelFit,
    estimate_sigma,
    fit_level,
    house_basis,
)

__all__ = ["PollTrend", "PollTrends", "poll_trend", "poll_trends"]


@dataclass(frozen=True, eq=False, repr=False)
class PollTrend(Result):
    """The trend of one option and each pollster's house effect (see :func:`poll_trend`).

    ``trend`` has one row per day of the grid (index ``date``; columns ``estimate``,
    ``se``, ``ci_low``, ``ci_high``, ``polls``); ``house_effects`` one row per pollster
    (``estimate``, ``se``, ``ci_low``, ``ci_high``, ``polls``); ``residuals`` one row
    per poll (its date, fieldwork length, the share published and ``adjusted`` for its
    house effect, variance, fitted value, residual, standardised
    residual ``statistic`` and two-sided ``pvalue``). ``to_frame()`` is the trend;
    ``to_string(decimals=1)`` and ``to_html(decimals=1)`` show the fit's summary, the
    house effects (and, in HTML, the trend's first and last day).

    Not an :class:`~surveykit._core.results.Interval`: a fit holds a whole trend, a
    house effect per pollster and a residual per poll, each a frame with its own
    ``estimate`` and interval columns, not one estimate; it has the protocol of
    :class:`~surveykit._core.results.Result` with renderings of its own.
    """

    question: str | list[str]
    option: str
    scale: str
    identification: str
    sigma: float
    sigma_estimated: bool
    loglik: float
    trend: pd.DataFrame
    house_effects: pd.DataFrame
    residuals: pd.DataFrame
    anchors: dict[pd.Timestamp, float]
    confidence_level: float
    fit: LevelFit = field(repr=False)
    start: pd.Timestamp = field(repr=False)

    _plot: ClassVar[str | None] = "plot_poll_trend"

    @property
    def n_polls(self) -> int:
        """Number of polls in the fit."""
        return len(self.residuals)

    def to_frame(self) -> pd.DataFrame:
        """The trend: one row per day, unrounded."""
        return self.trend.copy()

    def summary(self) -> pd.DataFrame:
        """One row: the option, number of polls and days, sigma and the log-likelihood."""
        return pd.DataFrame(
            {
                "option": [self.option],
                "polls": [self.n_polls],
                "days": [len(self.trend)],
                "sigma": [self.sigma],
                "loglik": [self.loglik],
                "identification": [self.identification],
                "scale": [self.scale],
            }
        )

    def to_html(self, decimals: int = 1) -> str:
        """The summary, the house effects and the trend's first and last day as HTML."""
        decimals = check_display_decimals(decimals)
        head = frame_to_html(
            self.summary(), decimals=decimals, caption=type(self).__name__, plain=("sigma",)
        )
        houses = frame_to_html(
            self.house_effects,
            decimals=decimals,
            caption="house effects",
            plain=self._house_plain(),
        )
        last = frame_to_html(
            self.trend.iloc[[0, -1]], decimals=decimals, caption="trend, first and last day"
        )
        return f"<div>{head}{houses}{last}</div>"

    def _house_plain(self) -> tuple[str, ...]:
        return ("estimate", "ci_low", "ci_high") if self.scale == "logit" else ()

    def to_string(self, decimals: int = 1) -> str:
        """The summary and the house effects as text."""
        decimals = check_display_decimals(decimals)
        summary = frame_to_text(self.summary(), decimals=decimals, plain=("sigma",))
        houses = frame_to_text(self.house_effects, decimals=decimals, plain=self._house_plain())
        return f"{type(self).__name__}\n{summary}\n\nhouse effects\n{houses}"

    def __repr__(self) -> str:
        return (
            f"PollTrend(option={self.option!r}, polls={self.n_polls}, days={len(self.trend)}, "
            f"sigma={self.sigma:.6g}, loglik={self.loglik:.6g})"
        )

    def check(self, poll: Any, **kwargs: Any) -> Any:
        """Where a poll left out of the fit sits against the trend.

        See :func:`surveykit.series.check.check_poll` for the parameters.
        """
        return check_poll(self, poll, **kwargs)

    def compare_change(self, first: Any, second: Any, **kwargs: Any) -> Any:
        """One pollster's change between two polls against the trend's change.

        ``first`` is the later poll and ``second`` the earlier (as ``p1`` and ``p2``).
        See :func:`surveykit.series.check.compare_change` for the parameters.
        """
        return compare_change(self, first, second, **kwargs)


@dataclass(frozen=True, eq=False, repr=False)
class PollTrends(Result):
    """One :class:`PollTrend` per option of a question (see :func:`poll_trends`).

    A container of several fits, so it takes no base with an estimate; it has the
    protocol of :class:`~surveykit._core.results.Result`: ``to_frame()`` (the trends
    stacked), ``to_string(decimals=1)`` and ``to_html(decimals=1)`` (one summary row per
    option).
    """

    question: str | list[str] | None
    trends: dict[str, PollTrend]

    _plot: ClassVar[str | None] = None

    def __getitem__(self, option: str) -> PollTrend:
        return self.trends[option]

    def to_frame(self) -> pd.DataFrame:
        """Every option's trend stacked: columns ``option``, ``date`` and the trend's."""
        parts = [t.trend.reset_index().assign(option=o) for o, t in self.trends.items()]
        frame = pd.concat(parts, ignore_index=True)
        return frame[["option", *[c for c in frame.columns if c != "option"]]]

    def summary(self) -> pd.DataFrame:
        """One row per option: polls, days, sigma, log-likelihood."""
        return pd.concat([t.summary() for t in self.trends.values()], ignore_index=True)

    def to_html(self, decimals: int = 1) -> str:
        """One summary row per option, as HTML."""
        decimals = check_display_decimals(decimals)
        return frame_to_html(
            self.summary(), decimals=decimals, caption=type(self).__name__, plain=("sigma",)
        )

    def to_string(self, decimals: int = 1) -> str:
        """One summary row per option, as text."""
        decimals = check_display_decimals(decimals)
        table = frame_to_text(self.summary(), decimals=decimals, plain=("sigma",))
        return f"{type(self).__name__}\n{table}"

    def __repr__(self) -> str:
        return f"PollTrends(options={list(self.trends)!r})"


def _model_data(prepared: PreparedSeries, identification: str) -> LevelData:
    polls = prepared.polls
    houses = prepared.houses
    if identification == "sum-zero":
        basis = house_basis(len(houses))
    elif identification == "free":
        basis = house_basis(len(houses), free=True)
    else:
        basis = house_basis(len(houses), reference=houses.index(identification))
    return LevelData(
        n_days=prepared.n_days,
        day=polls["day"].to_numpy(),
        house=polls["pollster"].astype(str).map(houses.index).to_numpy(dtype=int),
        y=polls["y"].to_numpy(dtype=float),
        var=polls["model_variance"].to_numpy(dtype=float),
        basis=basis,
        anchor_day=prepared.anchor_day,
        anchor_value=prepared.anchor_value,
    )


def _interval(estimate: np.ndarray, se: np.ndarray, z: float, scale: str) -> dict[str, Any]:
    """Estimate, se and interval on the share scale (back-transformed from the logit)."""
    low, high = estimate - z * se, estimate + z * se
    if scale == "logit":
        share = special.expit(estimate)
        return {
            "estimate": share,
            "se": share * (1 - share) * se,
            "ci_low": special.expit(low),
            "ci_high": special.expit(high),
        }
    return {"estimate": estimate, "se": se, "ci_low": low, "ci_high": high}


def _frames(
    fit: LevelFit, prepared: PreparedSeries, z: float, scale: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The trend, house-effect and per-poll frames of a fit."""
    polls = prepared.polls
    var_mu, _ = fit.mu_bands()
    days = pd.date_range(prepared.start, periods=prepared.n_days, freq="D", name="date")
    trend = pd.DataFrame(_interval(fit.mu, np.sqrt(var_mu), z, scale), index=days)
    trend["polls"] = np.bincount(polls["day"], minlength=prepared.n_days)

    delta_cov = fit.delta_cov()
    se_delta = np.sqrt(np.clip(np.diag(delta_cov), 0, None))
    counts = polls["pollster"].astype(str).value_counts()
    houses = pd.DataFrame(
        {
            "estimate": fit.delta,
            "se": se_delta,
            "ci_low": fit.delta - z * se_delta,
            "ci_high": fit.delta + z * se_delta,
            "polls": [int(counts[h]) for h in prepared.houses],
        },
        index=pd.Index(prepared.houses, name="pollster"),
    )

    data = fit.data
    cross = fit.mu_delta_cov()[data.day, data.house]
    signal_var = var_mu[data.day] + np.diag(delta_cov)[data.house] + 2 * cross
    fitted = fit.mu[data.day] + fit.delta[data.house]
    resid = data.y - fitted
    resid_var = data.var - signal_var
    defined = resid_var > 1e-9 * data.var
    statistic = np.where(defined, resid / np.sqrt(np.where(defined, resid_var, 1.0)), np.nan)
    # each poll with its pollster's house effect removed, back on the share scale
    adjusted = data.y - fit.delta[data.house]
    adjusted = special.expit(adjusted) if scale == "logit" else adjusted
    residuals = polls[
        ["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "date", "fieldwork_days"]
    ].assign(
        proportion=polls["proportion"].to_numpy(dtype=float),
        adjusted=adjusted,
        n=polls["n"],
        deff=polls["deff"].to_numpy(),
        variance=data.var,
        fitted=fitted,
        residual=resid,
        statistic=statistic,
        pvalue=special.erfc(np.abs(statistic) / math.sqrt(2)),
    )
    return trend, houses, residuals.set_index("poll_id")


def poll_trend(
    polls: pd.DataFrame,
    *,
    question: Any = None,
    option: str | None = None,
    house_effects: str | None = None,
    anchors: Mapping[Any, float] | None = None,
    sigma: float | None = None,
    deff: float | Mapping[str, float] = 1.0,
    assumed_n: float | None = None,
    scale: str = "share",
    confidence_level: float = 0.95,
) -> PollTrend:
    """Pool the polls: the daily trend of one option and each pollster's house effect.

    Fits the local-level model of Jackman (2005) exactly: the share follows a daily
    Gaussian random walk and each poll measures it with its pollster's house effect and
    its sampling error. The trend and the house effects are the exact smoother means
    (the generalised-least-squares solution) with their standard errors; the random
    walk's daily standard deviation is estimated by maximum diffuse (restricted)
    likelihood unless given.

    Parameters
    ----------
    polls : DataFrame
        Polls in the schema of :func:`surveykit.read_polls` (or a shipped dataset).
    question : str or list of str, optional
        The question to fit; required when ``polls`` hold several. A list fits polls of
        differently worded questions as one series (their wording differences then
        become part of the house effects).
    option : str, optional
        The option to fit; required when the question has several (or use
        :func:`poll_trends` for all of them).
    house_effects : {None, 'sum-zero', 'free'} or str, default None
        How house effects are identified: ``'sum-zero'`` (they sum to zero: the trend is
        the average pollster), a pollster's name (that pollster is unbiased), or
        ``'free'`` with ``anchors`` (known true values identify every house effect).
        None means ``'free'`` when anchors are given and ``'sum-zero'`` otherwise.
    anchors : mapping {date: share}, optional
        Known true shares on given days, such as election results. The grid runs from
        the earlier of the first poll's midpoint and the first anchor to the later of
        the last poll's midpoint and the last anchor.
    sigma : float, optional
        The daily standard deviation of the random walk (on the model's scale). None
        estimates it by maximum diffuse likelihood.
    deff : float or mapping {pollster: deff}, default 1.0
        Design effects of the polls (1 if a pollster is not in the mapping). Not applied
        to variances derived from a published margin of error, which already include the
        pollster's own design effect.
    assumed_n : float, optional
        Sample size assumed for polls that publish neither n nor a margin of error.
    scale : {'share', 'logit'}, default 'share'
        Fit on shares, or on log-odds (for shares near 0 or 1); the trend is reported as
        shares either way, house effects on the model's scale.
    confidence_level : float, default 0.95
        Level of the pointwise intervals of the trend and the house effects.

    Returns
    -------
    PollTrend
        ``sigma``, ``loglik``, ``trend`` (one row per day), ``house_effects`` (one row
        per pollster), ``residuals`` (one row per poll), with ``to_frame()``,
        ``check()`` and ``compare_change()``.

    Raises
    ------
    SurveyKitError
        For fewer than two polls or all polls on one day, a pollster with one poll under
        ``'sum-zero'``, ``'free'`` house effects without anchors, an unknown question,
        option or pollster, anchors that are not shares in (0, 1), a share of 0 or 1,
        a poll without fieldwork dates, or polls with neither n nor a margin of error
        (pass ``assumed_n``).

    Warns
    -----
    SurveyKitWarning
        When the likelihood is largest at the edge of the searched range of sigma
        (1e-6 to 0.3 a day): the trend is then flat, or the polls disagree wildly.

    See Also
    --------
    poll_trends : every option of a question.
    surveykit.series.check.check_poll : where a poll left out of the fit sits.
    surveykit.series.check.compare_change : a pollster's change against the trend.

    Notes
    -----
    Poll :math:`i`, dated at its fieldwork midpoint :math:`t_i` (start plus the floor of
    half the span, in days), with published share :math:`y_i`:

    .. math::

        \\mu_t = \\mu_{t-1} + \\eta_t,\\ \\eta_t \\sim N(0, \\sigma^2); \\qquad
        y_i = \\mu_{t_i} + \\delta_{h_i} + e_i,\\ e_i \\sim N\\big(0,
        y_i(1-y_i) D_i / n_i\\big),

    with :math:`\\mu` diffuse on the first day and flat house effects :math:`\\delta`.
    Where n is missing a published 95% margin of error :math:`m` gives the variance
    :math:`y_i(1-y_i)(m/1.96)^2/0.25`. The fit is the information-form smoother: the
    precision of the days is tridiagonal, so a banded Cholesky factor and a Schur
    complement for the house effects give the exact GLS means and variances in
    :math:`O(T k^2 + n)` operations (the same numbers as an exact diffuse Kalman filter
    and smoother). ``sigma`` maximises the diffuse likelihood: the root of its exact
    score, :math:`(T-1)\\sigma^2 = \\sum_t E[(\\mu_t - \\mu_{t-1})^2 \\mid y]`. Standard
    errors treat the estimated sigma as known.

    Per poll, ``statistic`` is the standardised residual
    :math:`r_i/\\sqrt{v_i - \\mathrm{Var}(\\hat s_i)}`, which equals the poll's distance
    from the prediction of all the other polls in units of its predictive standard
    deviation (a leave-one-out check); it is NaN when no other poll speaks to it (a
    pollster's only poll under anchors).

    Unlike Jackman's Bayesian fit, house effects here have flat priors and sigma is a
    point estimate, so intervals are somewhat narrower where sigma is uncertain and no
    prior pulls house effects towards zero. On Jackman's 2004-2007 Australian polls
    anchored at both elections (below) every house effect lies inside his 95% interval
    and within half a point of his posterior mean; the datasheet of
    ``australia_2004_2007`` sets the two side by side.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.
    .. [2] Jackman, S. (2009). Bayesian Analysis for the Social Sciences, Example 9.3.
       Wiley.
    .. [3] Durbin, J. and Koopman, S. J. (2012). Time Series Analysis by State Space
       Methods, 2nd ed., chapters 5 and 7 (diffuse initialisation and likelihood).
    .. [4] Rue, H. and Held, L. (2005). Gaussian Markov Random Fields, chapter 2
       (banded precision matrices and their inverses).

    Examples
    --------
    Levada's and Russian Field's polls on peace talks (Levada's unpublished sample
    sizes assumed to be 1,600):

    >>> import surveykit as sk
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> talks = polls[polls.pollster.isin(["Levada Center", "Russian Field"])
    ...               & (polls.option == "start peace talks")]
    >>> trend = sk.series.poll_trend(talks, question=list(talks.question.unique()),
    ...                              option="start peace talks", assumed_n=1600)
    >>> round(trend.sigma, 4), len(trend.trend)
    (0.0063, 835)
    >>> trend.house_effects["estimate"].round(3).to_dict()
    {'Levada Center': 0.03, 'Russian Field': -0.03}

    Jackman's example: ALP first preferences between the 2004 and 2007 elections,
    anchored at both results (four Morgan polls without a published n get pscl's
    1450.543):

    >>> aus = sk.load_dataset("australia_2004_2007")
    >>> alp = aus[aus.option == "ALP"]
    >>> results = alp[alp["mode"] == "election"]
    >>> fit = sk.series.poll_trend(
    ...     alp[alp["mode"] != "election"], option="ALP", assumed_n=1450.543,
    ...     anchors=dict(zip(results.fieldwork_end, results.proportion)))
    >>> (100 * fit.house_effects["estimate"]).round(1).to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'Galaxy': -1.0, 'Morgan, F2F': 3.1, 'Morgan, Phone': 1.0, 'Newspoll': 1.5,
     'Nielsen': 1.3}
    >>> round(float(trend.trend.loc["2022-11-15", "estimate"]), 3)
    0.501
    """
    check_polls_frame(polls)
    scale = check_scale(scale)
    level = check_trend_level(confidence_level)
    sigma = check_sigma(sigma)
    prepared = prepare_series(
        polls,
        question=question,
        option=option,
        scale=scale,
        deff=deff,
        assumed_n=assumed_n,
        anchors=anchors,
    )
    identification = check_house_effects(house_effects, prepared.houses, bool(prepared.anchors))
    if identification == "sum-zero":
        counts = prepared.polls["pollster"].astype(str).value_counts()
        check_one_poll_houses(counts, len(prepared.polls), prepared.n_days)
    else:
        check_one_poll_houses(pd.Series(dtype=int), len(prepared.polls), prepared.n_days)
    data = _model_data(prepared, identification)
    if sigma is None:
        fit, interior = estimate_sigma(data)
        if not interior:
            warnings.warn(
                f"the likelihood is largest at sigma={fit.sigma:g}, the edge of the searched "
                f"range {SIGMA_RANGE}; the trend is {'flat' if fit.sigma < 1e-5 else 'erratic'}"
                "; pass sigma= to choose it",
                SurveyKitWarning,
                stacklevel=2,
            )
    else:
        fit = fit_level(data, sigma)
    z = float(special.ndtri(0.5 + level / 2))
    trend, houses, residuals = _frames(fit, prepared, z, scale)
    selected = prepared.polls
    return PollTrend(
        question=question if question is not None else str(selected["question"].iloc[0]),
        option=str(selected["option"].iloc[0]),
        scale=scale,
        identification=identification,
        sigma=fit.sigma,
        sigma_estimated=sigma is None,
        loglik=fit.loglik,
        trend=trend,
        house_effects=houses,
        residuals=residuals,
        anchors=dict(prepared.anchors),
        confidence_level=level,
        fit=fit,
        start=prepared.start,
    )


def poll_trends(
    polls: pd.DataFrame, *, question: Any = None, options: Any = None, **kwargs: Any
) -> PollTrends:
    """One trend per option of a question: :func:`poll_trend` for each in one call.

    Parameters
    ----------
    polls : DataFrame
        Polls in the schema of :func:`surveykit.read_polls`.
    question : str or list of str, optional
        The question (required when ``polls`` hold several).
    options : list of str, optional
        The options to fit; all options of the question by default.
    **kwargs
        Passed to :func:`poll_trend` (``house_effects``, ``anchors``, ``sigma``,
        ``deff``, ``assumed_n``, ``scale``, ``confidence_level``). Anchors, if given,
        must be a mapping {option: {date: share}}.

    Returns
    -------
    PollTrends
        ``trends`` maps each option to its :class:`PollTrend`; ``to_frame()`` stacks
        the trends with an ``option`` column.

    Raises
    ------
    SurveyKitError
        As :func:`poll_trend`, for each option.

    See Also
    --------
    poll_trend : one option.

    Notes
    -----
    Each option is fitted on its own, with its own sigma and house effects: the model
    does not use that the options' shares sum to at most one.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.

    Examples
    --------
    >>> import surveykit as sk
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> levada = polls[(polls.pollster == "Levada Center")
    ...                & polls.question.str.startswith("Continue military")]
    >>> both = sk.series.poll_trends(levada, assumed_n=1600)
    >>> list(both.trends)
    ['continue military action', 'start peace talks']
    >>> round(float(both["start peace talks"].trend["estimate"].iloc[-1]), 2)
    0.55
    """
    check_polls_frame(polls)
    rows = select_question(polls, question)
    if options is None:
        options = sorted(rows["option"].astype(str).unique())
    anchors = check_option_anchors(kwargs.pop("anchors", None), options)
    trends = {}
    for option in options:
        extra = {"anchors": anchors[option]} if option in anchors else {}
        trends[str(option)] = poll_trend(
            polls, question=question, option=option, **extra, **kwargs
        )
    return PollTrends(question=question, trends=trends)
