"""Plots of results and frames, with matplotlib conventions.

Every function is ``plot_*(result_or_frame, *, ..., ax=None, **kwargs) -> Axes``; pyplot is
imported inside the functions, and nothing changes rcParams or styles on import.
"""

from surveykit.plotting.figures import (
    plot_change,
    plot_intervals,
    plot_posterior,
    plot_sensitivity,
    plot_trend,
)
from surveykit.plotting.planning import plot_coverage, plot_power

__all__ = [
    "plot_change",
    "plot_coverage",
    "plot_intervals",
    "plot_posterior",
    "plot_power",
    "plot_sensitivity",
    "plot_trend",
]
