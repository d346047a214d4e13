"""Plots of power and coverage, following the conventions of surveykit.plotting.

Every function has the signature ``plot_*(data, *, ..., ax=None, **kwargs) -> Axes``:
it draws on ``ax`` (the current axes when None), passes ``kwargs`` to the main
matplotlib call, and changes no global style or rcParams. pyplot is imported only
when no axes is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import (
    as_frame,
    axis_words,
    format_level,
    format_n,
    format_percent,
    format_value,
    get_axes,
    needed_decimals,
    percent_axis,
    set_description,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_coverage", "plot_power", "plot_simulated_polls"]


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


def _check_one_line_per_x(
    frame: pd.DataFrame, x: str, by: str | None, hue: str | None, parameters: Sequence[str]
) -> None:
    """Refuse lines that would zigzag: several rows of one line at the same ``x``, because
    another parameter (such as ``p2`` against ``p1``) still varies along it."""
    keys = [x] if by is None else [by, x]
    repeated = frame.duplicated(keys, keep=False)
    if not repeated.any():
        return
    clash = frame[repeated]
    varying = [
        c
        for c in parameters
        if c in frame.columns and c not in (x, by) and clash.groupby(keys)[c].nunique().max() > 1
    ]
    if varying:
        column = varying[0]
        values = ", ".join(repr(v) for v in frame[column].dropna().unique()[:4])
        raise SurveyKitError(
            f"data holds several values of {column!r} ({values}) at each {x!r}, which would "
            f"be drawn as one zigzag line; keep one (for example data[data[{column!r}] == "
            f"{frame[column].iloc[0]!r}]) or pass hue={column!r}"
            + (f" (in place of hue={hue!r})" if hue is not None else "")
        )
    raise SurveyKitError(
        f"data holds repeated rows at the same {x!r}, which would be drawn as one zigzag "
        "line; drop the duplicates or pass hue= the column that tells them apart"
    )


def _groups(frame: pd.DataFrame, hue: str | None) -> list[tuple[Any, pd.DataFrame]]:
    if hue is None:
        return [(None, frame)]
    return [(key, frame[frame[hue] == key]) for key in dict.fromkeys(frame[hue])]


def _effect_label(part: pd.DataFrame) -> str:
    """'37% vs 32% (5 percentage points)', exact: '32.5% vs 30% (2.5 ...)'."""
    p1, p2 = float(part["p1"].iloc[0]), float(part["p2"].iloc[0])
    decimals = needed_decimals([100 * p1, 100 * p2, 100 * abs(p1 - p2)], most=2)
    gap = f"{100 * abs(p1 - p2):.{decimals}f}"
    return (
        f"{format_percent(p1, decimals)} vs {format_percent(p2, decimals)} "
        f"({gap} percentage points)"
    )


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

    Raises
    ------
    SurveyKitError
        If ``data`` is neither a surveykit result nor a DataFrame, or lacks the ``x``,
        ``y`` or ``hue`` column; if it holds several values of ``method``,
        ``alternative``, ``alpha`` or ``test`` that ``hue`` does not separate (they
        would be drawn as one line); or if one line would hold several rows at the same
        ``x`` (for example ``n2`` or ``deff`` still varying along it: a zigzag).

    See Also
    --------
    surveykit.planning.power.power_curve : the frame drawn here.
    surveykit.critical_n : the smallest n at which a published change is significant.
    surveykit.plotting.plot_coverage : the coverage of interval methods.

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed. Lawrence Erlbaum, chapter 6 (power of tests of two proportions).
    .. [2] Chernick, M. R. and Liu, C. Y. (2002). The saw-toothed behavior of power
       versus sample size and software solutions. The American Statistician 56,
       149-155.
    .. [3] Cleveland, W. S. and McGill, R. (1984). Graphical perception: theory,
       experimentation, and application to the development of graphical methods.
       Journal of the American Statistical Association 79(387), 531-554.
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

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
    _check_one_line_per_x(
        frame, x, "_effect" if by_effect else hue, hue, ["n1", "n2", "p1", "p2", "deff"]
    )
    labels = []
    for key, part in groups:
        part = part.sort_values(x)
        style = dict(kwargs)
        if by_effect:
            style.setdefault("label", _effect_label(part))
        elif key is not None:
            style.setdefault("label", f"{hue} = {format_value(hue, key)}")
        (line,) = ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
        labels.append(line.get_label())
    if target is not None:
        ax.axhline(target, color="0.3", linestyle="--", linewidth=1)
    ax.set_ylim(0, 1.02)
    percent_axis(ax.yaxis)
    ax.set_xlabel("respondents per poll" if x in ("n1", "n") else axis_words(x))
    ax.set_ylabel(axis_words(y))
    ax.grid(alpha=0.3)
    if by_effect or hue is not None:
        ax.legend(fontsize="small")
    xs = frame[x].to_numpy(float)
    text = (
        f"{axis_words(y).capitalize()} against {axis_words(x)} from {format_n(xs.min())} to "
        f"{format_n(xs.max())}, {len(groups)} line(s)"
    )
    if by_effect or hue is not None:
        text += ": " + "; ".join(labels)
    if target is not None:
        text += f". Dashed line: target {format_level(target)}"
    set_description(ax, text + ".")
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

    Raises
    ------
    SurveyKitError
        If ``data`` is neither a surveykit result nor a DataFrame, or lacks the ``x``,
        ``y`` or ``hue`` column; if it holds several values of ``n``, ``n1``, ``n2``,
        ``confidence_level`` or ``method`` that ``hue`` does not separate (they would
        be drawn as one line); or if one line would hold several rows at the same ``x``
        (a zigzag).

    See Also
    --------
    surveykit.planning.coverage.interval_performance : the frame drawn here.
    surveykit.proportion_ci : the interval methods compared.
    surveykit.plotting.plot_simulated_polls : the lattice of results k / n behind
        the oscillation.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133 (the coverage plots this
       follows).
    .. [2] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.
    .. [3] Tufte, E. R. (2001). The Visual Display of Quantitative Information, 2nd ed.
       Graphics Press.
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

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
    _check_one_line_per_x(frame, x, hue, hue, ["proportion", "p1", "p2", "deff", "n_ratio"])
    labels = []
    for key, part in _groups(frame, hue):
        style = dict(kwargs)
        style.setdefault("linewidth", 1)
        if key is not None:
            shown = str(key) if hue == "method" else f"{hue} = {format_value(hue, key)}"
            style.setdefault("label", shown)
        part = part.sort_values(x)
        (line,) = ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
        labels.append(line.get_label())
    if nominal is None and y == "coverage" and "confidence_level" in frame.columns:
        levels = frame["confidence_level"].unique()
        nominal = float(levels[0]) if len(levels) == 1 else None
    if nominal is not None:
        ax.axhline(
            nominal,
            color="0.2",
            linestyle="--",
            linewidth=1,
            label=f"nominal {format_level(nominal)}",
        )
    if x in ("proportion", "p1", "p2"):
        percent_axis(ax.xaxis)
        ax.set_xlabel("true proportion" if x == "proportion" else f"true {x}")
    else:
        ax.set_xlabel(axis_words(x))
    if y == "coverage":
        percent_axis(ax.yaxis)
    ax.set_ylabel(axis_words(y))
    ax.grid(alpha=0.3)
    if hue is not None or nominal is not None:
        ax.legend(fontsize="small")
    text = f"{axis_words(y).capitalize()} against {axis_words(x)}"
    if hue is not None:
        text += f", one line per {hue}: " + ", ".join(labels)
    if nominal is not None:
        text += f". Dashed line: nominal level {format_level(nominal)}"
    set_description(ax, text + ".")
    return ax


def plot_simulated_polls(
    data: Any,
    *,
    truth: bool = True,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Histogram of simulated polls' shares, one bar per possible count.

    A poll of n people can only report ``k / n``; the bins are centred on those values
    (edges at ``(k - 0.5) / n``), so no bin holds two possible results and none holds
    none, as bins of an arbitrary width would.

    Parameters
    ----------
    data : DataFrame
        A frame of :func:`surveykit.planning.simulate.simulate_polls`: ``estimate``
        and ``n`` (one sample size), and ``count`` (else ``estimate * n``, which must
        be whole).
    truth : bool, default True
        Draw the true ``proportion`` (when the frame has one value of it) as a line.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.hist` (``alpha`` is matplotlib's
        transparency).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If the frame holds several sample sizes, or shares that are not counts over n.

    See Also
    --------
    surveykit.simulate_polls : the polls drawn here.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133 (the lattice of possible
       results k / n behind the oscillation of coverage).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from surveykit.planning.simulate import simulate_polls
    >>> from surveykit.plotting import plot_simulated_polls
    >>> polls = simulate_polls(0.55, 400, size=1000, seed=2022)
    >>> ax = plot_simulated_polls(polls)
    >>> edges = [patch.get_x() * 400 for patch in ax.patches[:2]]
    >>> [round(e, 6) for e in edges] == [polls["count"].min() - 0.5, polls["count"].min() + 0.5]
    True
    """
    frame = as_frame(data, ["estimate", "n"])
    _check_single(frame, ["n"], None)
    n = float(frame["n"].iloc[0])
    counts = (
        frame["count"].to_numpy(float)
        if "count" in frame.columns
        else frame["estimate"].to_numpy(float) * n
    )
    counts = counts[np.isfinite(counts)]
    if counts.size == 0 or not np.allclose(counts, np.round(counts), atol=1e-6):
        raise SurveyKitError(
            "data must hold whole counts (a 'count' column, or estimates that are k / n) for "
            "bins centred on the possible results"
        )
    counts = np.round(counts)
    ax = get_axes(ax)
    edges = (np.arange(counts.min(), counts.max() + 2) - 0.5) / n
    style = {"color": "0.7", "edgecolor": "white", "linewidth": 0.3}
    style.update(kwargs)
    ax.hist(counts / n, bins=edges, **style)
    text = (
        f"Histogram of {len(counts):,} simulated polls of n = {format_n(n)}, one bar per "
        f"possible share from {format_percent(edges[0] + 0.5 / n)} to "
        f"{format_percent(edges[-1] - 0.5 / n)}"
    )
    if truth and "proportion" in frame.columns and frame["proportion"].nunique() == 1:
        value = float(frame["proportion"].iloc[0])
        ax.axvline(value, color="C3", linewidth=1.2, label=f"truth {format_percent(value)}")
        ax.legend(fontsize="small")
        text += f"; line: the true share {format_percent(value)}"
    percent_axis(ax.xaxis)
    ax.set_xlabel("share in the poll")
    ax.set_ylabel("polls")
    set_description(ax, text + ".")
    return ax
