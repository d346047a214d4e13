"""Plots of results and frames, with matplotlib conventions.

Every function is ``plot_*(result_or_frame, *, ..., ax=None, **kwargs) -> Axes``; pyplot is
imported inside the functions, and nothing changes rcParams or styles on import. Plots
draw the numbers of the results and frames they are given and compute no statistics,
and record in words what they drew: :func:`describe_figure` returns those words for the
alt text of a figure.
One module per kind of figure: :mod:`~surveykit.plotting.intervals`,
:mod:`~surveykit.plotting.change`, :mod:`~surveykit.plotting.sensitivity`,
:mod:`~surveykit.plotting.trend`, :mod:`~surveykit.plotting.posterior`,
:mod:`~surveykit.plotting.planning` (power, coverage and simulated polls) and
:mod:`~surveykit.plotting.series` (poll trends and house effects).
"""

from surveykit.plotting.base import describe_figure
from surveykit.plotting.change import plot_change
from surveykit.plotting.intervals import plot_intervals
from surveykit.plotting.planning import plot_coverage, plot_power, plot_simulated_polls
from surveykit.plotting.posterior import plot_posterior
from surveykit.plotting.sensitivity import plot_sensitivity
from surveykit.plotting.series import plot_house_effects, plot_poll_trend
from surveykit.plotting.trend import plot_trend

__all__ = [
    "describe_figure",
    "plot_change",
    "plot_coverage",
    "plot_house_effects",
    "plot_intervals",
    "plot_poll_trend",
    "plot_posterior",
    "plot_power",
    "plot_sensitivity",
    "plot_simulated_polls",
    "plot_trend",
]
