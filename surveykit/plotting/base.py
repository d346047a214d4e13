"""Helpers shared by the plotting functions: axes, input frames, percent axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from surveykit.exceptions import SurveyKitError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["as_frame", "get_axes", "percent_axis", "points_axis"]


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


def percent_axis(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))


def points_axis(axis: Any) -> None:
    """Tick labels of a difference of shares in signed percentage points (+5, -3)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:+.0f}"))
