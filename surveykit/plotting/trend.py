"""A series of polls over time, one colour per pollster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.validation import check_option
from surveykit.plotting.base import as_frame, get_axes, percent_axis

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_trend"]


def plot_trend(
    polls: pd.DataFrame,
    *,
    option: str | None = None,
    question: str | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """A series of polls over time: one colour per pollster, an interval per poll.

    Each poll is placed at the middle of its fieldwork. The intervals are the frame's
    own ``ci_low`` and ``ci_high`` columns (nothing is computed here): polls without
    them, or with NaN bounds (an unknown n), are drawn as open markers without one.

    Parameters
    ----------
    polls : DataFrame
        A tidy poll frame (:func:`surveykit.read_polls`, :func:`surveykit.load_dataset`),
        optionally with ``ci_low`` and ``ci_high`` columns, such as the frame of
        :func:`surveykit.proportion_ci` on its shares and sizes joined to it.
    option, question : str, optional
        Keep only this option / question.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib Axes

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
    """
    frame = as_frame(polls, ["pollster", "fieldwork_start", "fieldwork_end", "proportion"])
    if option is not None:
        check_option("option", option, sorted(frame["option"].unique()))
        frame = frame[frame["option"] == option]
    if question is not None:
        check_option("question", question, sorted(frame["question"].unique()))
        frame = frame[frame["question"] == question]
    ax = get_axes(ax)
    start = frame["fieldwork_start"].fillna(frame["fieldwork_end"])
    end = frame["fieldwork_end"].fillna(frame["fieldwork_start"])
    frame = frame.assign(_mid=start + (end - start) / 2).dropna(subset=["_mid"])
    for pollster, part in frame.groupby("pollster", sort=False):
        _draw_pollster(ax, str(pollster), part.sort_values("_mid"), kwargs)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    percent_axis(ax.yaxis)
    ax.set_ylabel("share")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def _bound(part: pd.DataFrame, column: str) -> np.ndarray:
    if column not in part:
        return np.full(len(part), np.nan)
    return pd.array(part[column], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _draw_pollster(ax: Any, pollster: str, part: pd.DataFrame, kwargs: dict[str, Any]) -> None:
    """One pollster's line: intervals where the frame has them, open markers elsewhere."""
    est = part["proportion"].to_numpy(float)
    low, high = _bound(part, "ci_low"), _bound(part, "ci_high")
    known = ~(np.isnan(low) | np.isnan(high))
    low, high = np.where(known, low, est), np.where(known, high, est)
    style = {"fmt": "o-", "capsize": 2, "markersize": 5, "label": pollster}
    style.update(kwargs)
    bars = ax.errorbar(part["_mid"], est, yerr=[est - low, high - est], **style)
    if (~known).any():
        colour = bars.lines[0].get_color()
        ax.plot(
            part["_mid"].to_numpy()[~known],
            est[~known],
            "o",
            markerfacecolor="white",
            markeredgecolor=colour,
            zorder=3,
        )
