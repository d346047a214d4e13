"""Plots of a poll series fitted by :func:`surveykit.series.poll_trend`.

``plot_poll_trend`` draws the trend with its pointwise interval and the polls around
it; ``plot_house_effects`` each pollster's house effect with its interval. pyplot is
imported inside the functions; nothing changes rcParams or styles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._core.validation import check_flag
from surveykit._core.validation.series import check_check_result, check_trend_result

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_house_effects", "plot_poll_trend"]


def _current_axes(ax: Any) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def plot_poll_trend(
    result: Any,
    *,
    polls: bool = True,
    adjusted: bool = False,
    band: bool = True,
    checks: Any = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """The trend of a fitted poll series, its pointwise interval and the polls.

    Parameters
    ----------
    result : PollTrend
        A fit of :func:`surveykit.series.poll_trend`.
    polls : bool, default True
        Draw each poll at its fieldwork midpoint, one colour per pollster.
    adjusted : bool, default False
        Draw the polls with their pollster's house effect removed (where the model
        expects them on the trend) instead of as published.
    band : bool, default True
        Shade the trend's pointwise confidence interval.
    checks : PollCheck or list of PollCheck, optional
        Polls held out of the fit (:func:`surveykit.series.check_poll`): each is drawn
        as a star at its date and share, with the prediction interval of the check (at
        the first assumed n) as a vertical bar, both taken from the result.
    ax : matplotlib Axes, optional
        Where to draw; the current Axes by default.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the trend line.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``result`` is not a fitted trend or a flag is not True/False.

    See Also
    --------
    plot_house_effects : the house effects with their intervals.
    surveykit.series.poll_trend : the fit drawn here.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting.series import plot_poll_trend
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> levada = polls[(polls.pollster == "Levada Center")
    ...                & (polls.option == "start peace talks")]
    >>> fit = sk.series.poll_trend(levada, question=list(levada.question.unique()),
    ...                            option="start peace talks", assumed_n=1600)
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_poll_trend(fit, ax=ax)
    >>> len(ax.lines[0].get_xdata()) == len(fit.trend)
    True
    >>> plt.close(fig)
    """
    from matplotlib.ticker import PercentFormatter

    check_trend_result("result", result)
    for name, value in (("polls", polls), ("adjusted", adjusted), ("band", band)):
        check_flag(name, value)
    ax = _current_axes(ax)
    trend = result.trend
    style = {"color": "black", "linewidth": 1.5, "label": "trend", "zorder": 3}
    style.update(kwargs)
    (line,) = ax.plot(trend.index, trend["estimate"], **style)
    if band:
        label = f"{result.confidence_level:.0%} interval"
        ax.fill_between(
            trend.index,
            trend["ci_low"],
            trend["ci_high"],
            color=line.get_color(),
            alpha=0.2,
            linewidth=0,
            label=label,
        )
    if polls:
        res = result.residuals
        shown = res["adjusted" if adjusted else "proportion"].to_numpy(dtype=float)
        for pollster in result.house_effects.index:
            mine = (res["pollster"] == pollster).to_numpy()
            ax.plot(res["date"][mine], shown[mine], "o", markersize=4, alpha=0.7, label=pollster)
    for check in [] if checks is None else [checks] if not isinstance(checks, list) else checks:
        _draw_check(ax, check)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_ylabel(
        f"{result.option} ({'house effects removed' if adjusted else 'as published'})"
        if polls
        else result.option
    )
    ax.legend(fontsize="small")
    return ax


def _draw_check(ax: Any, check: Any) -> None:
    """A held-out poll and its prediction interval, from its PollCheck."""
    check_check_result("checks", check)
    low = float(np.ravel(check.prediction_low)[0])
    high = float(np.ravel(check.prediction_high)[0])
    ax.plot([check.date, check.date], [low, high], color="C3", linewidth=2, alpha=0.6)
    ax.plot(
        [check.date],
        [check.proportion],
        marker="*",
        markersize=12,
        color="C3",
        linestyle="none",
        label=f"held out: {check.poll_id} (bar: prediction interval)",
    )


def plot_house_effects(result: Any, *, ax: Any = None, **kwargs: Any) -> Axes:
    """Each pollster's house effect with its confidence interval, largest at the top.

    Parameters
    ----------
    result : PollTrend
        A fit of :func:`surveykit.series.poll_trend`.
    ax : matplotlib Axes, optional
        Where to draw; the current Axes by default.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``result`` is not a fitted trend.

    See Also
    --------
    plot_poll_trend : the trend and the polls.
    surveykit.series.poll_trend : the fit whose house effects are drawn here.

    Notes
    -----
    On the share scale the effects are drawn in percentage points; on the logit scale
    in log-odds. Under sum-zero identification they are relative to the average
    pollster, with a reference pollster relative to it, and with anchors relative to
    the truth.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting.series import plot_house_effects
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> talks = polls[polls.pollster.isin(["Levada Center", "Russian Field"])
    ...               & (polls.option == "start peace talks")]
    >>> fit = sk.series.poll_trend(talks, question=list(talks.question.unique()),
    ...                            option="start peace talks", assumed_n=1600)
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_house_effects(fit, ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Russian Field', 'Levada Center']
    >>> plt.close(fig)
    """
    check_trend_result("result", result)
    ax = _current_axes(ax)
    houses = result.house_effects.sort_values("estimate")
    scale = 100.0 if result.scale == "share" else 1.0
    est = houses["estimate"].to_numpy() * scale
    err = np.vstack(
        [est - houses["ci_low"].to_numpy() * scale, houses["ci_high"].to_numpy() * scale - est]
    )
    positions = np.arange(len(houses))
    style = {"fmt": "o", "capsize": 3, "color": "black"}
    style.update(kwargs)
    ax.errorbar(est, positions, xerr=err, **style)
    ax.axvline(0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_yticks(positions, list(houses.index))
    unit = "percentage points" if result.scale == "share" else "log-odds"
    ax.set_xlabel(
        f"house effect ({unit}, {result.confidence_level:.0%} interval; {result.identification})"
    )
    return ax
