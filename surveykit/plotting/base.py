"""Helpers shared by the plotting functions: axes, input frames, axes in percent and
percentage points, the texts of labels (whole sample sizes, rounded design effects, no
"-0"), and the description of a figure for alt text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "AXIS_WORDS",
    "DESCRIPTION",
    "as_frame",
    "axis_words",
    "describe_figure",
    "format_deff",
    "format_level",
    "format_n",
    "format_percent",
    "format_points",
    "format_value",
    "get_axes",
    "needed_decimals",
    "percent_axis",
    "points_axis",
    "set_description",
]

#: attribute of an Axes (and its Figure) holding the words that describe what it shows
DESCRIPTION = "surveykit_description"

#: the words for a column on an axis, a colour bar or a legend title
AXIS_WORDS = {
    "n": "assumed sample size per poll (n)",
    "n1": "assumed sample size of the later poll (n1)",
    "n2": "assumed sample size of the earlier poll (n2)",
    "n_ratio": "ratio of the sample sizes (n2 / n1)",
    "deff": "design effect (deff)",
    "pvalue": "p-value",
    "estimate": "estimate",
    "ci_low": "lower bound of the interval",
    "ci_high": "upper bound of the interval",
    "proportion": "true proportion",
    "p1": "share of the later poll (p1)",
    "p2": "share of the earlier poll (p2)",
    "power": "power",
    "coverage": "coverage probability",
    "expected_length": "expected length",
    "confidence_level": "confidence level",
    "alpha": "significance level",
}

#: columns holding a sample size (shown as whole numbers)
_SIZES = ("n", "n1", "n2", "assumed_n", "critical_n", "n_eff")
#: columns holding shares (shown in percent)
_SHARES = ("proportion", "p1", "p2", "estimate", "ci_low", "ci_high", "confidence_level")


def get_axes(ax: Any) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def as_frame(data: Any, required: Sequence[str], name: str = "data") -> pd.DataFrame:
    """A DataFrame from a result object (``to_frame()``) or a frame; check its columns."""
    if hasattr(data, "to_frame") and not isinstance(data, pd.DataFrame | pd.Series):
        data = data.to_frame()
    if not isinstance(data, pd.DataFrame):
        raise SurveyKitError(
            f"{name} must be a surveykit result or a DataFrame, got {type(data).__name__}"
        )
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise SurveyKitError(
            f"{name} lacks the column(s) {missing!r} needed for this plot; "
            f"it has {list(data.columns)!r}"
        )
    return data


# --------------------------------------------------------------------------------------
# Numbers as text
# --------------------------------------------------------------------------------------


def needed_decimals(values: Any, *, most: int = 4) -> int:
    """The fewest decimals (at most ``most``) that show every value exactly.

    ``[42.5, 45]`` needs 1; ``[40, 45]`` needs 0. Values are already on the shown
    scale (percent or points); float noise below 1e-9 is ignored.
    """
    arr = np.asarray(values, dtype=float).ravel()
    arr = arr[np.isfinite(arr)]
    for decimals in range(most + 1):
        if np.all(np.abs(np.round(arr, decimals) - arr) < 1e-9 * np.maximum(1, np.abs(arr))):
            return decimals
    return most


def _no_negative_zero(text: str) -> str:
    """'-0', '-0.0' and '+0.0' read as '0' and '0.0'."""
    stripped = text.lstrip("+-−")
    if stripped and set(stripped) <= set("0.%"):
        return stripped
    return text


def format_percent(value: Any, decimals: int | None = None) -> str:
    """A share in percent with as many decimals as it needs (at most 1 by default):
    ``0.32 -> '32%'``, ``0.325 -> '32.5%'``; NaN -> '–'."""
    value = float(value)
    if math.isnan(value):
        return "–"
    if decimals is None:
        decimals = needed_decimals([100 * value], most=1)
    return _no_negative_zero(f"{100 * value:.{decimals}f}%")


def format_points(value: Any, decimals: int | None = 1) -> str:
    """A difference of shares in signed percentage points: ``0.23 -> '+23.0'``; never
    '-0.0' (a change that rounds to zero reads '0.0'). ``decimals=None``: as needed."""
    value = float(value)
    if math.isnan(value):
        return "–"
    if decimals is None:
        decimals = needed_decimals([100 * value], most=1)
    return _no_negative_zero(f"{100 * value:+.{decimals}f}")


def format_level(value: Any) -> str:
    """A significance or confidence level in percent, exact: 0.05 -> '5%', 0.005 ->
    '0.5%', 0.050000000000000044 (1 - 0.95) -> '5%'."""
    return format_percent(value, needed_decimals([100 * float(value)], most=3))


def format_n(value: Any) -> str:
    """A sample size as a whole number with thousands separators: ``1600.0 -> '1,600'``."""
    value = float(value)
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{round(value):,}"


def format_deff(value: Any) -> str:
    """A design effect rounded to two decimals, trailing zeros dropped: 1.6667 -> '1.67'."""
    value = float(value)
    if math.isnan(value):
        return "–"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_value(column: str | None, value: Any) -> str:
    """A value of a column as people read it: sizes whole, shares in percent, design
    effects rounded; text as it is."""
    if isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if column in _SIZES:
        return format_n(number)
    if column == "deff":
        return format_deff(number)
    if column in _SHARES:
        return format_percent(number, decimals=needed_decimals([100 * number], most=2))
    return f"{number:g}"


def axis_words(column: str) -> str:
    """The words for a column on an axis: ``'deff' -> 'design effect (deff)'``."""
    return AXIS_WORDS.get(column, column.replace("_", " "))


# --------------------------------------------------------------------------------------
# Tick labels
# --------------------------------------------------------------------------------------


def _formatter_class() -> type:
    from matplotlib.ticker import Formatter

    class ScaledFormatter(Formatter):  # type: ignore[misc]
        """Tick labels of ``scale * value`` with as many decimals as the ticks need."""

        def __init__(self, scale: float, suffix: str, signed: bool) -> None:
            self.scale, self.suffix, self.signed = scale, suffix, signed
            self.decimals = 0

        def set_locs(self, locs: Any) -> None:
            super().set_locs(locs)
            lo, hi = self.axis.get_view_interval() if self.axis is not None else (-np.inf, np.inf)
            lo, hi = min(lo, hi), max(lo, hi)
            shown = [v for v in locs if lo - 1e-12 <= v <= hi + 1e-12]
            self.decimals = needed_decimals(self.scale * np.asarray(shown, dtype=float))

        def __call__(self, x: float, pos: Any = None) -> str:
            sign = "+" if self.signed else ""
            text = f"{self.scale * x:{sign}.{self.decimals}f}{self.suffix}"
            return _no_negative_zero(text)

    return ScaledFormatter


def percent_axis(axis: Any) -> None:
    """Tick labels in percent, exact: a tick at 0.425 reads '42.5%', not '42%'."""
    axis.set_major_formatter(_formatter_class()(100.0, "%", False))


def points_axis(axis: Any) -> None:
    """Tick labels of a difference of shares in signed percentage points (+5, -2.5, 0)."""
    axis.set_major_formatter(_formatter_class()(100.0, "", True))


# --------------------------------------------------------------------------------------
# Descriptions (alt text)
# --------------------------------------------------------------------------------------


def set_description(ax: Any, text: str) -> None:
    """Record the words describing what ``ax`` shows (read by :func:`describe_figure`)."""
    setattr(ax, DESCRIPTION, text)


def _generic_description(ax: Any) -> str:
    parts = []
    title = ax.get_title()
    if title:
        parts.append(title)
    xlabel, ylabel = ax.get_xlabel(), ax.get_ylabel()
    if xlabel or ylabel:
        parts.append(f"{ylabel or 'values'} against {xlabel or 'position'}")
    return "; ".join(parts)


def describe_figure(figure_or_axes: Any) -> str:
    """Words describing a figure drawn by :mod:`surveykit.plotting`, for alt text.

    Every ``plot_*`` function records what it drew (the numbers of the result or frame
    it was given, not recomputed); this joins those descriptions over the figure's axes,
    after its title when it has one. Axes drawn otherwise are described by their title
    and axis labels.

    Parameters
    ----------
    figure_or_axes : matplotlib Figure or Axes

    Returns
    -------
    str
        One or more sentences; '' for an empty figure.

    Raises
    ------
    Nothing: axes without a recorded description are described by their labels.

    See Also
    --------
    surveykit.plotting.plot_intervals, surveykit.plotting.plot_trend : record what they
        drew, as every ``plot_*`` function does.

    References
    ----------
    .. [1] W3C (2023). Web Content Accessibility Guidelines 2.2, success criterion 1.1.1
       (non-text content: a text alternative that serves the equivalent purpose).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from matplotlib.figure import Figure
    >>> from surveykit.plotting import describe_figure, plot_intervals
    >>> fig = Figure()
    >>> ax = plot_intervals(sk.proportion_ci(0.55, 400), ax=fig.subplots())
    >>> print(describe_figure(fig))
    Forest plot of 1 estimate with their intervals, in percent: 0: 55% (50.1% to 59.8%).
    """
    axes_list = getattr(figure_or_axes, "axes", None)
    if axes_list is None or not isinstance(axes_list, list):
        axes_list = [figure_or_axes]
    texts = []
    for ax in axes_list:
        own = getattr(ax, DESCRIPTION, None)
        if own:
            texts.append(own)
    if not texts:
        texts = [t for t in (_generic_description(ax) for ax in axes_list) if t]
    titles = [ax.get_title() for ax in axes_list if ax.get_title()]
    suptitle = getattr(figure_or_axes, "_suptitle", None)
    head = suptitle.get_text() if suptitle is not None else (titles[0] if titles else "")
    body = " ".join(texts)
    if head and head not in body:
        return f"{head}. {body}".strip()
    return body
