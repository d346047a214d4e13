"""Plots of power and coverage, following the conventions of surveykit.plotting.

Every function has the signature ``plot_*(data, *, ..., ax=None, **kwargs) -> Axes``:
it draws on ``ax`` (the current axes when None), passes ``kwargs`` to the main
matplotlib call, and changes no global style or rcParams. pyplot is imported only
when no axes is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import as_frame, get_axes, percent_axis

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_coverage", "plot_power"]


def _check_single(frame: pd.DataFrame, columns: Sequence[str], hue: str | None) -> None:
    """Refuse frames whose lines would mix values of a column not shown by hue."""
    for column in columns:
        if column == hue or column not in frame.columns:
            continue
        values = frame[column].dropna().unique()
        if len(values) > 1:
            shown = ", ".join(repr(v) for v in values[:4])
            raise SurveyKitError(
                f"data holds several values of {column!r} ({shown}), which would be drawn "
                f"as one line; keep one (for example data[data[{column!r}] == "
                f"{values[0]!r}]) or pass hue={column!r}"
            )


def _groups(frame: pd.DataFrame, hue: str | None) -> list[tuple[Any, pd.DataFrame]]:
    if hue is None:
        return [(None, frame)]
    return [(key, frame[frame[hue] == key]) for key in dict.fromkeys(frame[hue])]


def _effect_label(part: pd.DataFrame) -> str:
    p1, p2 = part["p1"].iloc[0], part["p2"].iloc[0]
    return f"{p1:.0%} vs {p2:.0%} ({100 * abs(p1 - p2):.0f} points)"


def plot_power(
    data: Any,
    *,
    x: str = "n1",
    y: str = "power",
    hue: str | None = None,
    target: float | None = 0.8,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Power against sample size, one line per effect size.

    Parameters
    ----------
    data : DataFrame
        A frame with the ``x`` and ``y`` columns, such as
        :func:`surveykit.planning.power.power_curve` returns.
    x, y : str, default 'n1' and 'power'
        Columns on the horizontal and vertical axes.
    hue : str, optional
        Column with one line per value. By default one line per pair of ``p1`` and
        ``p2`` (labelled "37% vs 32% (5 points)") when the frame has those columns.
    target : float, optional, default 0.8
        Draws the target power as a dashed line; None for none.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from surveykit.planning.power import power_curve
    >>> from surveykit.plotting import plot_power
    >>> import matplotlib.pyplot as plt
    >>> curves = power_curve(np.array([[0.37], [0.42]]), np.arange(100, 2001, 100), 0.32)
    >>> fig, ax = plt.subplots()
    >>> ax = plot_power(curves, ax=ax)
    >>> len(ax.get_lines())  # two curves and the target line
    3
    >>> plt.close(fig)
    """
    frame = as_frame(data, [x, y])
    ax = get_axes(ax)
    by_effect = hue is None and {"p1", "p2"} <= set(frame.columns)
    if by_effect:
        frame = frame.assign(_effect=list(zip(frame["p1"], frame["p2"], strict=True)))
        groups = _groups(frame, "_effect")
    else:
        if hue is not None:
            as_frame(frame, [hue])
        groups = _groups(frame, hue)
    _check_single(frame, ["method", "alternative", "alpha", "test"], hue)
    for key, part in groups:
        part = part.sort_values(x)
        style = dict(kwargs)
        if by_effect:
            style.setdefault("label", _effect_label(part))
        elif key is not None:
            style.setdefault("label", f"{hue} = {key}")
        ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
    if target is not None:
        ax.axhline(target, color="0.3", linestyle="--", linewidth=1)
    ax.set_ylim(0, 1.02)
    percent_axis(ax.yaxis)
    ax.set_xlabel("respondents per poll" if x in ("n1", "n") else x)
    ax.set_ylabel("power" if y == "power" else y)
    ax.grid(alpha=0.3)
    if by_effect or hue is not None:
        ax.legend(fontsize="small")
    return ax


def plot_coverage(
    data: Any,
    *,
    x: str = "proportion",
    y: str = "coverage",
    hue: str | None = "method",
    nominal: float | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Exact coverage against the true proportion, one line per interval method.

    Parameters
    ----------
    data : DataFrame
        A frame with the ``x`` and ``y`` columns, such as
        :func:`surveykit.planning.coverage.interval_performance` returns. It must hold one
        sample size and level, unless ``hue`` names the column that varies.
    x, y : str, default 'proportion' and 'coverage'
        Columns on the horizontal and vertical axes (``y='expected_length'`` draws the
        expected length instead).
    hue : str, optional, default 'method'
        Column with one line per value; None for a single line.
    nominal : float, optional
        Where to draw the nominal level; by default the frame's ``confidence_level``
        when it has one value (no line when ``y`` is not coverage).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from surveykit.planning.coverage import interval_performance
    >>> from surveykit.plotting import plot_coverage
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_coverage(interval_performance(50, method=["wald", "wilson"]), ax=ax)
    >>> [line.get_label() for line in ax.get_lines()]
    ['wald', 'wilson', 'nominal 95%']
    >>> plt.close(fig)
    """
    frame = as_frame(data, [x, y])
    ax = get_axes(ax)
    if hue is not None:
        as_frame(frame, [hue])
    _check_single(frame, ["n", "n1", "n2", "confidence_level", "method"], hue)
    for key, part in _groups(frame, hue):
        style = dict(kwargs)
        style.setdefault("linewidth", 1)
        if key is not None:
            style.setdefault("label", str(key) if hue == "method" else f"{hue} = {key}")
        part = part.sort_values(x)
        ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
    if nominal is None and y == "coverage" and "confidence_level" in frame.columns:
        levels = frame["confidence_level"].unique()
        nominal = float(levels[0]) if len(levels) == 1 else None
    if nominal is not None:
        ax.axhline(
            nominal, color="0.2", linestyle="--", linewidth=1, label=f"nominal {nominal:.0%}"
        )
    if x in ("proportion", "p1", "p2"):
        percent_axis(ax.xaxis)
        ax.set_xlabel("true proportion" if x == "proportion" else f"true {x}")
    else:
        ax.set_xlabel(x)
    if y == "coverage":
        percent_axis(ax.yaxis)
        ax.set_ylabel("coverage probability")
    else:
        ax.set_ylabel(y.replace("_", " "))
    ax.grid(alpha=0.3)
    if hue is not None or nominal is not None:
        ax.legend(fontsize="small")
    return ax
