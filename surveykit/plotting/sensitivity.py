"""How a verdict depends on assumptions: p-value lines against n, and heatmaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue
from surveykit._core.validation import check_option
from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import (
    as_frame,
    axis_words,
    format_level,
    format_n,
    format_value,
    get_axes,
    percent_axis,
    set_description,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_sensitivity"]

#: height of one row of critical-n labels, and the gap around them (points)
_ROW = 11.0
_PAD = 3.0


def plot_sensitivity(
    data: Any,
    *,
    x: str | None = None,
    y: str = "pvalue",
    hue: str | None = None,
    kind: str = "line",
    significance_level: float | None = 0.05,
    critical: dict[Any, float] | float | None = None,
    xscale: str | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """How a verdict depends on assumptions: a line against n, or a heatmap.

    ``kind='line'`` draws a p-value (log scale) or an interval bound against an assumed
    sample size, with the significance line and the critical n marked: each critical n
    is a dotted line labelled in a band along the top of the axes, where no curve is
    drawn, in as many rows as keep the labels apart. ``kind='heatmap'`` colours a
    p-value over two assumptions, such as (n, deff) or (n1, n2), with the contour where
    it crosses ``significance_level``.

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
    significance_level : float, optional, default 0.05
        Draws the significance line (or contour); None for none.
    critical : float or dict, optional
        Line plot: critical sample size(s) to mark with a vertical line (a dict maps
        ``hue`` values to their critical n).
    xscale : {'linear', 'log'}, optional
        Line plot: scale of the horizontal axis; by default 'log' when ``x`` spans more
        than 1.5 decades. Set it here rather than afterwards: the critical-n labels are
        kept apart on the scale drawn.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (line) or
        :meth:`matplotlib.axes.Axes.pcolormesh` (heatmap); ``alpha`` is matplotlib's
        transparency.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``kind`` is not 'line' or 'heatmap', or ``xscale`` not 'linear' or 'log'
        (exact names, no prefixes); if ``data`` is neither a surveykit result nor a
        DataFrame, or lacks the ``x``, ``y`` or ``hue`` column (a heatmap also needs
        ``pvalue``); or if a heatmap's ``y`` is ``'pvalue'`` rather than the second
        assumption.

    See Also
    --------
    surveykit.sensitivity : the grid of verdicts over assumed n and design effects.
    surveykit.critical_n : the critical sample sizes marked (``critical=``).
    surveykit.two_proportion_test : a test over an array of n, drawn as a line.
    surveykit.plotting.plot_power : power, rather than the p-value, against n.

    References
    ----------
    .. [1] Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley,
       chapter 1 (one-at-a-time and grid designs).
    .. [2] Kish, L. (1965). Survey Sampling. Wiley, section 8.2 (design effects).
    .. [3] Wasserstein, R. L. and Lazar, N. A. (2016). The ASA statement on p-values:
       context, process, and purpose. The American Statistician 70(2), 129-133.
    .. [4] Cleveland, W. S. and McGill, R. (1984). Graphical perception: theory,
       experimentation, and application to the development of graphical methods.
       Journal of the American Statistical Association 79(387), 531-554 (colour is read
       less accurately than position: the heatmap adds the contour).
    .. [5] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

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
    >>> [t.get_text() for t in ax.surveykit_critical_labels]
    ['n = 36']
    """
    kind = check_option("kind", kind, ("line", "heatmap"))
    if x is None:
        probe = as_frame(data, [])
        x = "n" if "n" in probe.columns else "n1"
    if kind == "heatmap":
        return _heatmap(data, x=x, y=y, significance_level=significance_level, ax=ax, **kwargs)
    frame = as_frame(data, [x, y])
    ax = get_axes(ax)
    if xscale is None:
        xs = frame[x].to_numpy(float)
        xs = xs[np.isfinite(xs) & (xs > 0)]
        wide = xs.size > 0 and xs.max() / xs.min() > 10**1.5
        xscale = "log" if wide else "linear"
    ax.set_xscale(check_option("xscale", xscale, ("linear", "log")))
    groups = [None] if hue is None else list(dict.fromkeys(as_frame(frame, [hue])[hue]))
    curves, marks = [], []
    for group in groups:
        part = frame if group is None else frame[frame[hue] == group]
        style = dict(kwargs)
        if group is not None:
            style.setdefault("label", str(group))
        (line,) = ax.plot(part[x].to_numpy(float), part[y].to_numpy(float), **style)
        curves.append(line)
        crit = critical.get(group) if isinstance(critical, dict) else critical
        if crit is not None and np.isfinite(crit):
            marks.append((float(crit), line.get_color(), group))
    guides = _significance(ax, frame[y].to_numpy(float), y, significance_level, len(marks))
    if marks:
        _critical_labels(ax, marks, [*curves, *guides])
    ax.set_xlabel(axis_words(x) if x not in ("n", "n1") else "assumed sample size per poll")
    ax.set_ylabel(axis_words(y))
    if hue is not None:
        ax.legend(fontsize="small")
    set_description(ax, _describe_lines(frame, x, y, hue, groups, marks, significance_level))
    return ax


def _significance(
    ax: Any, shown: np.ndarray, y: str, significance_level: float | None, marks: int
) -> list[Any]:
    """The y axis (log for p-values, leaving a band for ``marks`` label rows) and the
    significance line; returns the artists to keep out of the band."""
    if y in ("estimate", "ci_low", "ci_high"):
        percent_axis(ax.yaxis)
    if y != "pvalue":
        return []
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_pvalue_formatter())
    positive = shown[np.isfinite(shown) & (shown > 0)]
    floor = max(positive.min(initial=1.0), 1e-12)
    if significance_level is not None:
        floor = min(floor, significance_level)
    low, top = np.log10(floor / 2), np.log10(1.5)
    ax.surveykit_pvalue_range = (low, top)  # the band of critical-n labels goes above it
    if marks:  # room at the top for about two rows of labels (set again when drawn)
        band = min(0.3, (2 * _ROW + 2 * _PAD) / max(_axes_height(ax), 1.0))
        top += band / (1 - band) * (top - low)
    ax.set_ylim(10**low, 10**top)
    if significance_level is None:
        return []
    line = ax.axhline(significance_level, color="0.3", linestyle="--", linewidth=1)
    ax.annotate(  # at the right, where the curves that cross it lie below it
        f"significance level {format_level(significance_level)}",
        (1, significance_level),
        xycoords=("axes fraction", "data"),
        xytext=(-3, 3),
        textcoords="offset points",
        ha="right",
        fontsize="small",
        color="0.3",
    )
    return [line]


def _pvalue_formatter() -> Any:
    """Log tick labels up to 1; none above (the band of labels is no p-value)."""
    from matplotlib.ticker import LogFormatterSciNotation

    class PValueFormatter(LogFormatterSciNotation):  # type: ignore[misc]
        def __call__(self, x: float, pos: Any = None) -> str:
            return "" if x > 1 + 1e-9 else super().__call__(x, pos)

    return PValueFormatter()


def _axes_height(ax: Any) -> float:
    """The height of ``ax`` in points, as laid out now."""
    return float(ax.get_position().height * ax.figure.get_figheight() * 72)


def _critical_labels(ax: Any, marks: list[tuple[float, Any, Any]], keep_out: list[Any]) -> None:
    """Dotted lines at the critical n, labelled in a band along the top of the axes.

    The labels are laid out (rows, band height) now and again at every draw, on the
    axes as drawn; the curves are clipped below the band so nothing crosses a label.
    """
    from matplotlib.artist import Artist

    labels, verticals = [], []
    for crit, colour, _group in sorted(marks, key=lambda m: m[0]):
        verticals.append(ax.axvline(crit, color=colour, linestyle=":", linewidth=1))
        labels.append(
            ax.annotate(
                f"n = {format_n(crit)}",
                (crit, 1),
                xycoords=("data", "axes fraction"),
                xytext=(0, -_PAD),
                textcoords="offset points",
                ha="center",
                va="top",
                color=colour,
                fontsize="small",
                annotation_clip=False,
            )
        )

    class CriticalLabelLayout(Artist):  # type: ignore[misc]
        """Lays the labels out before anything else of the axes is drawn."""

        def draw(self, renderer: Any) -> None:
            _layout(ax, labels, verticals, keep_out, renderer)

    layout = CriticalLabelLayout()
    layout.set_zorder(-100)
    layout.set_in_layout(False)
    ax.add_artist(layout)
    ax.surveykit_critical_labels = labels
    try:
        renderer = ax.figure.canvas.get_renderer()
    except AttributeError:  # pragma: no cover - a backend without a renderer: at draw time
        return
    _layout(ax, labels, verticals, keep_out, renderer)


def _layout(
    ax: Any, labels: list[Any], verticals: list[Any], keep_out: list[Any], renderer: Any
) -> None:
    """Put each label in the first row where it meets no other label, inside the axes;
    size the band to the rows; end the dotted lines and clip the curves at its foot."""
    from matplotlib.patches import Rectangle

    box = ax.get_window_extent(renderer)
    dpi_scale = ax.figure.dpi / 72
    gap = 4 * dpi_scale
    rows: list[float] = []  # right edge of the last label in each row (pixels)
    placed = []
    for label in labels:
        label.set_position((0, -_PAD))
        extent = label.get_window_extent(renderer)
        centre = ax.transData.transform((label.xy[0], 1))[0]
        half = extent.width / 2
        shift = min(max(centre - half, box.x0 + gap), box.x1 - gap - extent.width) + half
        left = shift - half
        row = next((r for r, right in enumerate(rows) if left > right + gap), len(rows))
        if row == len(rows):
            rows.append(left + extent.width)
        else:
            rows[row] = left + extent.width
        placed.append((label, (shift - centre) / dpi_scale, row))
    height = max(label.get_window_extent(renderer).height for label in labels)
    count = len(rows)
    for label, dx, row in placed:
        label.set_position((dx, -_PAD - row * height / dpi_scale))
    band = (2 * _PAD * dpi_scale + count * height) / max(box.height, 1.0)
    band = min(band, 0.9)
    shown = getattr(ax, "surveykit_pvalue_range", None)
    if shown is not None:  # raise the top of a p-value axis so the band clips no curve
        low, top = shown
        ax.set_ylim(10**low, 10 ** (top + band / (1 - band) * (top - low)))
    for line in verticals:
        line.set_ydata([0, 1 - band])
    for artist in keep_out:
        artist.set_clip_path(Rectangle((0, 0), 1, 1 - band, transform=ax.transAxes))
    ax.surveykit_critical_band = band


def _describe_lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None,
    groups: list[Any],
    marks: list[tuple[float, Any, Any]],
    significance_level: float | None,
) -> str:
    xs = frame[x].to_numpy(float)
    what = "p-value" if y == "pvalue" else axis_words(y)
    text = (
        f"{what.capitalize()} against {axis_words(x)}, from {format_n(np.nanmin(xs))} to "
        f"{format_n(np.nanmax(xs))}"
    )
    text += f", one line per {hue} ({len(groups)})." if hue is not None else "."
    if significance_level is not None and y == "pvalue":
        text += f" Dashed line: significance level {format_level(significance_level)}."
    if marks:
        crits = [
            f"{'' if group is None else f'{group}: '}n = {format_n(crit)}"
            for crit, _colour, group in marks
        ]
        text += " Critical sample sizes: " + "; ".join(crits) + "."
    return text


def _heatmap(
    data: Any,
    *,
    x: str,
    y: str,
    significance_level: float | None,
    ax: Any,
    value: str = "pvalue",
    **kwargs: Any,
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
    columns, index = table.columns.to_numpy(float), table.index.to_numpy(float)
    mesh = ax.pcolormesh(columns, index, np.clip(grid, floor, 1), **style)
    ax.figure.colorbar(mesh, ax=ax, label=axis_words(value))
    level = significance_level
    crossed = level is not None and np.nanmin(grid) < level < np.nanmax(grid)
    if crossed:
        ax.contour(columns, index, grid, levels=[level], colors="white", linewidths=1.5)
    ax.set_xlabel(axis_words(x))
    ax.set_ylabel(axis_words(y))
    text = (
        f"Heatmap of the {axis_words(value)} over {axis_words(x)} "
        f"({format_value(x, columns.min())} to {format_value(x, columns.max())}) and "
        f"{axis_words(y)} ({format_value(y, index.min())} to {format_value(y, index.max())})"
        f", from {format_pvalue(np.nanmin(grid))} to {format_pvalue(np.nanmax(grid))}."
    )
    if crossed:
        text += f" White contour: significance level {format_level(level)}."
    set_description(ax, text)
    return ax
