"""Forest plots: estimates and their intervals, one row per figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.plotting.base import as_frame, get_axes, percent_axis

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
        assumed ``n`` or the ``method``), with a legend.
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
    >>> from surveykit.plotting import plot_intervals
    >>> ci = sk.proportion_ci([0.32, 0.55], [400, 400])
    >>> ax = plot_intervals(ci)
    """
    frame = as_frame(data, ["estimate", "ci_low", "ci_high"])
    ax = get_axes(ax)
    if y is None:
        labels = (
            pd.Series(range(len(frame)), index=frame.index).astype(str)
            if isinstance(frame.index, pd.RangeIndex)
            else pd.Series(frame.index.astype(str), index=frame.index)
        )
    else:
        as_frame(frame, [y])
        labels = frame[y].astype(str)
    rows = list(dict.fromkeys(labels))
    position = labels.map({label: i for i, label in enumerate(rows)}).to_numpy(float)
    groups = [None] if hue is None else list(dict.fromkeys(as_frame(frame, [hue])[hue]))
    width = 0.7
    for k, group in enumerate(groups):
        mask = np.ones(len(frame), bool) if group is None else (frame[hue] == group).to_numpy()
        offset = 0.0 if len(groups) == 1 else -width / 2 + width * (k + 0.5) / len(groups)
        est = frame["estimate"].to_numpy(float)[mask]
        low = frame["ci_low"].to_numpy(float)[mask]
        high = frame["ci_high"].to_numpy(float)[mask]
        style = {"fmt": "o", "capsize": 3, "markersize": 5}
        style.update(kwargs)
        if group is not None:
            style.setdefault("label", group if isinstance(group, str) else f"{hue} = {group}")
        ax.errorbar(est, position[mask] + offset, xerr=[est - low, high - est], **style)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    percent_axis(ax.xaxis)
    ax.grid(axis="x", alpha=0.3)
    if hue is not None:
        ax.legend(title=None, fontsize="small")
    return ax
