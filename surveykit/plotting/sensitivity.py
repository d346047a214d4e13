"""How a verdict depends on assumptions: p-value lines against n, and heatmaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from surveykit._core.validation import check_option
from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import as_frame, get_axes, percent_axis

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_sensitivity"]


def plot_sensitivity(
    data: Any,
    *,
    x: str | None = None,
    y: str = "pvalue",
    hue: str | None = None,
    kind: str = "line",
    alpha: float | None = 0.05,
    critical: dict[Any, float] | float | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """How a verdict depends on assumptions: a line against n, or a heatmap.

    ``kind='line'`` draws a p-value (log scale) or an interval bound against an assumed
    sample size, with the significance line and the critical n marked.
    ``kind='heatmap'`` colours a p-value over two assumptions, such as (n, deff) or
    (n1, n2), with the contour where it crosses ``alpha``.

    Parameters
    ----------
    data : result or DataFrame
        A frame with the ``x`` and ``y`` columns, such as a
        :func:`surveykit.sensitivity` frame or a :func:`surveykit.two_proportion_test`
        result over an array of n.
    x : str, optional
        Column on the horizontal axis: ``'n'`` if the frame has it, else ``'n1'``.
    y : str, default 'pvalue'
        Column on the vertical axis (line), or the second assumption (heatmap, e.g.
        ``'deff'`` or ``'n2'``). A ``pvalue`` line axis is logarithmic.
    hue : str, optional
        Line plot: column with one line per value (for example the comparison).
    kind : {'line', 'heatmap'}, default 'line'
    alpha : float, optional, default 0.05
        Draws the significance line (or contour); None for none.
    critical : float or dict, optional
        Line plot: critical sample size(s) to mark with a vertical line (a dict maps
        ``hue`` values to their critical n).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (line) or
        :meth:`matplotlib.axes.Axes.pcolormesh` (heatmap).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_sensitivity
    >>> n = np.arange(10, 200)
    >>> ax = plot_sensitivity(sk.two_proportion_test(0.55, n, 0.32, n), x="n1",
    ...                       critical=sk.critical_n(0.55, 0.32))
    """
    kind = check_option("kind", kind, ("line", "heatmap"))
    if x is None:
        probe = as_frame(data, [])
        x = "n" if "n" in probe.columns else "n1"
    if kind == "heatmap":
        return _heatmap(data, x=x, y=y, alpha=alpha, ax=ax, **kwargs)
    frame = as_frame(data, [x, y])
    ax = get_axes(ax)
    groups = [None] if hue is None else list(dict.fromkeys(as_frame(frame, [hue])[hue]))
    for k, group in enumerate(groups):
        part = frame if group is None else frame[frame[hue] == group]
        style = dict(kwargs)
        if group is not None:
            style.setdefault("label", str(group))
        (line,) = ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
        crit = critical.get(group) if isinstance(critical, dict) else critical
        if crit is not None and np.isfinite(crit):
            ax.axvline(crit, color=line.get_color(), linestyle=":", linewidth=1)
            ax.annotate(
                f"n = {crit:,.0f}",
                (crit, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -12 - 11 * k),
                textcoords="offset points",
                color=line.get_color(),
                fontsize="small",
            )
    if y == "pvalue":
        ax.set_yscale("log")
        shown = frame[y].to_numpy(float)
        floor = max(np.nanmin(shown[shown > 0], initial=1.0), 1e-12)
        ax.set_ylim(floor / 2, 1.5)
        if alpha is not None:
            ax.axhline(alpha, color="0.3", linestyle="--", linewidth=1)
            ax.annotate(
                f"α = {alpha:g}",
                (0, alpha),
                xycoords=("axes fraction", "data"),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize="small",
                color="0.3",
            )
    elif y in ("estimate", "ci_low", "ci_high"):
        percent_axis(ax.yaxis)
    ax.set_xlabel("assumed sample size per poll" if x in ("n", "n1") else x)
    ax.set_ylabel("p-value" if y == "pvalue" else y)
    if hue is not None:
        ax.legend(fontsize="small")
    return ax


def _heatmap(
    data: Any, *, x: str, y: str, alpha: float | None, ax: Any, value: str = "pvalue", **kwargs
) -> Axes:
    from matplotlib.colors import LogNorm

    frame = as_frame(data, [x, y, value])
    if y == value:
        raise SurveyKitError(
            f"y must name the second assumption for a heatmap (such as 'deff' or 'n2'), got {y!r}"
        )
    table = frame.pivot_table(index=y, columns=x, values=value, aggfunc="first")
    ax = get_axes(ax)
    grid = table.to_numpy(float)
    positive = grid[grid > 0]
    floor = max(positive.min(), 1e-12) if positive.size else 1e-12
    style = {"norm": LogNorm(vmin=floor, vmax=1), "cmap": "viridis", "shading": "nearest"}
    style.update(kwargs)
    mesh = ax.pcolormesh(
        table.columns.to_numpy(float),
        table.index.to_numpy(float),
        np.clip(grid, floor, 1),
        **style,
    )
    ax.figure.colorbar(mesh, ax=ax, label="p-value")
    if alpha is not None and np.nanmin(grid) < alpha < np.nanmax(grid):
        ax.contour(
            table.columns.to_numpy(float),
            table.index.to_numpy(float),
            grid,
            levels=[alpha],
            colors="white",
            linewidths=1.5,
        )
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax
