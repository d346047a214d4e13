"""A series of polls over time, one colour per pollster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.validation import check_option
from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import (
    as_frame,
    format_level,
    format_percent,
    get_axes,
    percent_axis,
    set_description,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_trend"]


def plot_trend(
    polls: pd.DataFrame,
    *,
    option: str | None = None,
    question: str | None = None,
    max_gap: Any = "90D",
    moe: bool | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """A series of polls over time: one colour per pollster, an interval per poll.

    Each poll is placed at the middle of its fieldwork. The intervals are the frame's
    own ``ci_low`` and ``ci_high`` columns, drawn exactly as given (nothing is
    computed here): polls without them, or with NaN bounds (an unknown n), are drawn
    as open markers without one. Where the frame has a published margin of error
    (``moe``, a share: 0.04 for +-4 points), it is drawn as it was published, as a
    wide pale bar of ``proportion +- moe`` behind the interval. A pollster's polls are
    joined by a line only when they are at most ``max_gap`` apart, and the legend says
    what the markers, bars and lines mean.

    Parameters
    ----------
    polls : DataFrame
        A tidy poll frame (:func:`surveykit.read_polls`, :func:`surveykit.load_dataset`),
        optionally with ``ci_low`` and ``ci_high`` columns, such as the frame of
        :func:`surveykit.proportion_ci` on its shares and sizes joined to it (or the
        intervals a reanalysis derived from the published margins of error), and
        optionally ``confidence_level`` (named in the legend when it has one value).
    option, question : str, optional
        Keep only this option / question.
    max_gap : str, Timedelta, number of days or None, default '90D'
        Longest time between the fieldwork midpoints of two polls of one pollster that
        are still joined by a line; None joins them all.
    moe : bool, optional
        Draw the published margins of error of the ``moe`` column; by default when the
        frame has one with any value.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` (``alpha`` is matplotlib's
        transparency).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``polls`` is not a DataFrame or lacks one of the columns ``pollster``,
        ``fieldwork_start``, ``fieldwork_end`` and ``proportion``; if ``option`` or
        ``question`` is not one of the frame's (the message lists them); if
        ``max_gap`` is not a positive time or number of days; or if ``moe=True`` and
        the frame has no ``moe`` column.

    See Also
    --------
    surveykit.read_polls : a poll frame from a CSV file in the poll schema.
    surveykit.proportion_ci : the intervals joined to the frame before drawing.
    surveykit.plotting.plot_poll_trend : the fitted trend of a poll series.
    surveykit.plotting.describe_figure : the words for the figure's alt text.

    References
    ----------
    .. [1] Jackman, S. (2005). Pooling the polls over an election campaign. Australian
       Journal of Political Science 40(4), 499-517.
    .. [2] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (the disclosed fieldwork dates, sample size and margin of error drawn here).
    .. [3] Tufte, E. R. (2001). The Visual Display of Quantitative Information, 2nd ed.
       Graphics Press (time series; lines only where they carry data).
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_trend
    >>> polls = sk.load_dataset("russia_war_polls")
    >>> ci = sk.proportion_ci(polls["proportion"], polls["n"])  # NaN where n is unknown
    >>> ax = plot_trend(polls.assign(ci_low=ci.ci_low, ci_high=ci.ci_high),
    ...                 option="start peace talks")

    The legend names the pollsters, then says what the markers, bars and lines mean:
    the two leaked FSO polls and ten of Levada's published no n, so they are open
    markers without an interval.

    >>> [t.get_text() for t in ax.get_legend().get_texts()][3:5]
    ['filled marker, bar: interval', 'open marker: no interval (n not published)']
    """
    frame = as_frame(polls, ["pollster", "fieldwork_start", "fieldwork_end", "proportion"])
    gap = _max_gap(max_gap)
    if option is not None:
        check_option("option", option, sorted(frame["option"].unique()))
        frame = frame[frame["option"] == option]
    if question is not None:
        check_option("question", question, sorted(frame["question"].unique()))
        frame = frame[frame["question"] == question]
    if moe is None:
        moe = "moe" in frame.columns and bool(frame["moe"].notna().any())
    elif moe and "moe" not in frame.columns:
        raise SurveyKitError(
            "moe=True draws the published margins of error of a 'moe' column, which polls "
            f"lacks; it has {list(frame.columns)!r}"
        )
    ax = get_axes(ax)
    start = frame["fieldwork_start"].fillna(frame["fieldwork_end"])
    end = frame["fieldwork_end"].fillna(frame["fieldwork_start"])
    frame = frame.assign(_mid=start + (end - start) / 2).dropna(subset=["_mid"])
    drawn = {"interval": False, "open": False, "moe": False, "line": False}
    for pollster, part in frame.groupby("pollster", sort=False):
        seen = _draw_pollster(ax, str(pollster), part.sort_values("_mid"), gap, bool(moe), kwargs)
        drawn = {key: drawn[key] or seen[key] for key in drawn}
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    percent_axis(ax.yaxis)
    ax.set_ylabel("share")
    ax.grid(alpha=0.3)
    _legend(ax, frame, drawn, gap)
    set_description(ax, _describe(frame, option, drawn, gap))
    return ax


def _max_gap(value: Any) -> pd.Timedelta | None:
    """``max_gap`` as a Timedelta (a number is days), or None; refused when not positive."""
    if value is None:
        return None
    try:
        gap = pd.Timedelta(days=value) if isinstance(value, int | float) else pd.Timedelta(value)
    except (TypeError, ValueError):
        gap = pd.NaT
    if pd.isna(gap) or gap <= pd.Timedelta(0):
        raise SurveyKitError(
            f"max_gap must be a positive time such as '90D' or a number of days, got {value!r}; "
            "pass max_gap=None to join every poll of a pollster"
        )
    return gap


def _bound(part: pd.DataFrame, column: str) -> np.ndarray:
    if column not in part:
        return np.full(len(part), np.nan)
    return pd.array(part[column], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _draw_pollster(
    ax: Any,
    pollster: str,
    part: pd.DataFrame,
    gap: pd.Timedelta | None,
    moe: bool,
    kwargs: dict[str, Any],
) -> dict[str, bool]:
    """One pollster: intervals where the frame has them, open markers elsewhere, its
    published margins of error, and lines between polls at most ``gap`` apart."""
    est = part["proportion"].to_numpy(float)
    mid = part["_mid"].to_numpy()
    low, high = _bound(part, "ci_low"), _bound(part, "ci_high")
    known = ~(np.isnan(low) | np.isnan(high))
    low, high = np.where(known, low, est), np.where(known, high, est)
    style = {"fmt": "o", "capsize": 2, "markersize": 5, "label": pollster, "zorder": 3}
    style.update(kwargs)
    bars = ax.errorbar(mid, est, yerr=[est - low, high - est], **style)
    colour = bars.lines[0].get_color()
    seen = {"interval": bool(known.any()), "open": bool((~known).any())}
    if seen["open"]:
        ax.plot(
            mid[~known],
            est[~known],
            "o",
            markersize=style["markersize"],
            markerfacecolor="white",
            markeredgecolor=colour,
            zorder=3.5,
        )
    published = _bound(part, "moe") if moe else np.full(len(part), np.nan)
    has_moe = ~np.isnan(published)
    seen["moe"] = bool(has_moe.any())
    if seen["moe"]:
        ax.vlines(
            mid[has_moe],
            (est - published)[has_moe],
            (est + published)[has_moe],
            colors=colour,
            linewidth=7,
            alpha=0.25,
            zorder=2,
        )
    x, y = _joined(mid, est, gap)
    seen["line"] = len(est) > 1 and bool(np.isfinite(y).sum() > np.isnan(y).sum() + 1)
    ax.plot(x, y, "-", color=colour, linewidth=1.2, zorder=2.5)
    return seen


def _joined(mid: np.ndarray, est: np.ndarray, gap: pd.Timedelta | None) -> tuple[Any, Any]:
    """The line through the polls, broken (a NaN) wherever two are more than gap apart."""
    if gap is None or len(mid) < 2:
        return mid, est
    times = pd.to_datetime(mid)
    x, y = [times[0]], [est[0]]
    for k in range(1, len(times)):
        if times[k] - times[k - 1] > gap:
            x.append(times[k - 1] + (times[k] - times[k - 1]) / 2)
            y.append(np.nan)
        x.append(times[k])
        y.append(est[k])
    return np.array(x, dtype="datetime64[ns]"), np.array(y, dtype=float)


def _legend(ax: Any, frame: pd.DataFrame, drawn: dict[str, bool], gap: Any) -> None:
    """Pollsters by colour, then what the markers, bars and lines mean (in grey)."""
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    grey = "0.35"
    level = _level(frame)
    if drawn["interval"]:
        handles.append(Line2D([], [], color=grey, marker="o", linestyle="none"))
        labels.append(f"filled marker, bar: {level}interval")
    if drawn["open"]:
        handles.append(
            Line2D([], [], color=grey, marker="o", markerfacecolor="white", linestyle="none")
        )
        labels.append("open marker: no interval (n not published)")
    if drawn["moe"]:
        handles.append(Line2D([], [], color=grey, linewidth=7, alpha=0.25))
        labels.append("pale bar: published margin of error")
    if drawn["line"]:
        handles.append(Line2D([], [], color=grey, linewidth=1.2))
        joined = "of one pollster" if gap is None else f"≤ {gap.days} days apart"
        labels.append(f"line: polls {joined}")
    ax.legend(handles, labels, fontsize="small")


def _level(frame: pd.DataFrame) -> str:
    if "confidence_level" not in frame.columns:
        return ""
    levels = frame["confidence_level"].dropna().unique()
    return f"{format_level(levels[0])} " if len(levels) == 1 else ""


def _describe(frame: pd.DataFrame, option: str | None, drawn: dict[str, bool], gap: Any) -> str:
    dates = frame["_mid"]
    what = f"'{option}'" if option is not None else "The polls"
    text = (
        f"{what} over time: {len(frame)} polls by {frame['pollster'].nunique()} "
        f"pollster(s), {dates.min():%b %Y} to {dates.max():%b %Y}, "
        f"from {format_percent(frame['proportion'].min())} to "
        f"{format_percent(frame['proportion'].max())}."
    )
    for pollster, part in frame.groupby("pollster", sort=False):
        part = part.sort_values("_mid")
        first = f"{format_percent(part['proportion'].iloc[0])} ({part['_mid'].iloc[0]:%b %Y})"
        last = f"{format_percent(part['proportion'].iloc[-1])} ({part['_mid'].iloc[-1]:%b %Y})"
        count = "1 poll" if len(part) == 1 else f"{len(part)} polls"
        text += f" {pollster}: {count}, {first}" + ("." if len(part) == 1 else f" to {last}.")
    if drawn["open"]:
        text += " Open markers: n not published, no interval."
    if drawn["moe"]:
        text += " Pale bars: published margins of error."
    if gap is not None:
        text += f" Polls more than {gap.days} days apart are not joined."
    return text
