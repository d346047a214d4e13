"""Forest plots: estimates and their intervals, one row per figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.plotting.base import (
    as_frame,
    format_percent,
    format_value,
    get_axes,
    percent_axis,
    set_description,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_intervals"]


def plot_intervals(
    data: Any,
    *,
    y: str | None = None,
    hue: str | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Forest plot of estimates and their intervals, labelled in percent.

    Parameters
    ----------
    data : result or DataFrame
        A result with ``to_frame()`` (e.g. from :func:`surveykit.proportion_ci`) or a
        frame with ``estimate``, ``ci_low`` and ``ci_high`` columns.
    y : str, optional
        Column whose values label the rows (one row of the plot per distinct value).
        By default the frame's index, or the row number.
    hue : str, optional
        Column whose values are drawn side by side within each row (for example the
        assumed ``n`` or the ``method``), with a legend. Each row spreads only the
        values it holds: a figure with a published n and no assumed ones keeps its one
        interval on its label.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``data`` is neither a surveykit result nor a DataFrame, or lacks one of the
        columns ``estimate``, ``ci_low`` and ``ci_high``, or the column named by ``y``
        or ``hue``.

    See Also
    --------
    surveykit.proportion_ci : the intervals of published shares drawn here.
    surveykit.plotting.plot_trend : the same intervals placed in time.
    surveykit.plotting.describe_figure : the words for the figure's alt text.

    References
    ----------
    .. [1] Lewis, S. and Clarke, M. (2001). Forest plots: trying to see the wood and the
       trees. BMJ 322, 1479-1480.
    .. [2] Cleveland, W. S. and McGill, R. (1984). Graphical perception: theory,
       experimentation, and application to the development of graphical methods.
       Journal of the American Statistical Association 79(387), 531-554 (position on a
       common scale, read most accurately).
    .. [3] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. Journal of the American Statistical Association 22,
       209-212.
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_intervals
    >>> ci = sk.proportion_ci([0.32, 0.55], [400, 400])
    >>> ax = plot_intervals(ci)

    The leaked Kremlin poll's 55% for peace talks, under two assumed sample sizes, one
    row with two intervals side by side:

    >>> import matplotlib.pyplot as plt
    >>> frame = sk.proportion_ci([0.55, 0.55], [400, 1600]).to_frame()
    >>> fig, ax = plt.subplots()
    >>> ax = plot_intervals(frame.assign(figure="Nov 2022: peace talks"), y="figure",
    ...                     hue="n", ax=ax)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Nov 2022: peace talks']
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['n = 400', 'n = 1,600']
    >>> plt.close(fig)
    """
    frame = as_frame(data, ["estimate", "ci_low", "ci_high"])
    ax = get_axes(ax)
    labels = _row_labels(frame, y)
    rows = list(dict.fromkeys(labels))
    position = labels.map({label: i for i, label in enumerate(rows)}).to_numpy(float)
    if hue is None:
        hues = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    else:
        column = as_frame(frame, [hue])[hue].astype(object)
        hues = column.where(column.notna(), "not given")
    groups = list(dict.fromkeys(hues))
    offset = _dodge(labels.to_numpy(), hues.to_numpy(), groups)
    est_all = frame["estimate"].to_numpy(float)
    low_all = frame["ci_low"].to_numpy(float)
    high_all = frame["ci_high"].to_numpy(float)
    for group in groups:
        mask = (hues == group).to_numpy() if group is not None else np.ones(len(frame), bool)
        est, low, high = est_all[mask], low_all[mask], high_all[mask]
        style = {"fmt": "o", "capsize": 3, "markersize": 5}
        style.update(kwargs)
        if group is not None:
            shown = format_value(hue, group)
            style.setdefault("label", group if isinstance(group, str) else f"{hue} = {shown}")
        ax.errorbar(est, position[mask] + offset[mask], xerr=[est - low, high - est], **style)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    percent_axis(ax.xaxis)
    ax.grid(axis="x", alpha=0.3)
    if hue is not None:
        ax.legend(title=None, fontsize="small")
    items = [
        f"{row}{'' if g is None else ', ' + format_value(hue, g)}: {format_percent(e)} "
        f"({format_percent(lo, 1)} to {format_percent(hi, 1)})"
        for row, g, e, lo, hi in zip(labels, hues, est_all, low_all, high_all, strict=True)
    ]
    set_description(
        ax,
        f"Forest plot of {len(frame)} estimate{'s' if len(frame) != 1 else ''} with their "
        f"intervals, in percent: {_first(items)}.",
    )
    return ax


def _row_labels(frame: pd.DataFrame, y: str | None) -> pd.Series:
    """The label of each row of the plot: column ``y``, the index, or the row number."""
    if y is not None:
        return as_frame(frame, [y])[y].astype(str)
    if isinstance(frame.index, pd.RangeIndex):
        return pd.Series(range(len(frame)), index=frame.index).astype(str)
    return pd.Series(frame.index.astype(str), index=frame.index)


def _dodge(labels: np.ndarray, hues: np.ndarray, groups: list[Any]) -> np.ndarray:
    """Offsets within each row, spread over the hue values present in that row only.

    A row holding one scenario (a published n) keeps its interval on its label; a row
    with four assumed n spreads its four intervals around its label.
    """
    width = 0.7
    order = {group: k for k, group in enumerate(groups)}
    offset = np.zeros(len(labels))
    for row in dict.fromkeys(labels):
        where = np.flatnonzero(labels == row)
        present = sorted({order[hues[i]] for i in where})
        if len(present) < 2:
            continue
        slot = {k: j for j, k in enumerate(present)}
        for i in where:
            offset[i] = -width / 2 + width * (slot[order[hues[i]]] + 0.5) / len(present)
    return offset


def _first(items: list[str], most: int = 12) -> str:
    """At most ``most`` items joined by '; ', and how many more there are."""
    shown = "; ".join(items[:most])
    return shown if len(items) <= most else f"{shown}; and {len(items) - most} more"
