"""The posterior of a change between two polls: each poll's share and the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import as_frame, get_axes, percent_axis, points_axis

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_posterior"]


def plot_posterior(
    result: Any,
    *,
    densities: pd.DataFrame | None = None,
    change: pd.DataFrame | None = None,
    n1: Any = None,
    n2: Any = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Posterior densities of two waves and of their change, with P(increase).

    Draws the posterior of each wave's share (top) and the density of the change
    (after minus before, bottom, in points) with the part above zero shaded and the
    result's posterior probability of an increase written on it. The densities come
    from :func:`surveykit.inference.bayes.posterior_densities` and
    :func:`~surveykit.inference.bayes.change_density` (nothing is computed here).

    Parameters
    ----------
    result : PosteriorChange
        A scalar result of :func:`surveykit.inference.bayes.posterior_change`.
    densities : DataFrame, optional
        ``posterior_densities(result, ...)``: columns ``share``, ``later``, ``earlier``.
        By default it is asked for with ``n1`` and ``n2``.
    change : DataFrame, optional
        ``change_density(densities)``: columns ``change`` and ``density``.
    n1, n2 : number, list or scipy distribution, optional
        Passed to ``posterior_densities`` when ``densities`` is not given: the sample
        sizes given to ``posterior_change`` when they were lists or distributions (the
        result echoes only their means).
    ax : matplotlib Axes, optional
        Where to draw the waves; the change goes on ``ax.surveykit_change_axes``, an
        inset below it.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the wave densities.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_posterior
    >>> ax = plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30))
    """
    from surveykit.inference.bayes import change_density, posterior_densities

    for name in ("p1", "p2", "prob_increase", "prior"):
        if not hasattr(result, name):
            raise SurveyKitError(
                f"result must come from posterior_change, got {type(result).__name__}"
            )
    if np.ndim(result.p1) != 0 or np.ndim(result.p2) != 0:
        raise SurveyKitError("plot_posterior draws one change; pass a scalar result")
    if densities is None:
        densities = posterior_densities(result, n1=n1, n2=n2)
    densities = as_frame(densities, ["share", "later", "earlier"], "densities")
    change = as_frame(
        change_density(densities) if change is None else change, ["change", "density"], "change"
    )
    ax = get_axes(ax)
    _draw_waves(ax, result, densities, kwargs)
    ax.surveykit_change_axes = _draw_change(ax, result, change)
    return ax


def _draw_waves(ax: Any, result: Any, densities: pd.DataFrame, style: dict[str, Any]) -> None:
    grid = densities["share"].to_numpy(float)
    before = densities["earlier"].to_numpy(float)
    after = densities["later"].to_numpy(float)
    (line_b,) = ax.plot(grid, before, label=f"earlier ({100 * result.p2:.0f}%)", **style)
    (line_a,) = ax.plot(grid, after, label=f"later ({100 * result.p1:.0f}%)", **style)
    ax.fill_between(grid, before, color=line_b.get_color(), alpha=0.2)
    ax.fill_between(grid, after, color=line_a.get_color(), alpha=0.2)
    mass = (before + after) > 1e-3 * max(before.max(), after.max())
    lo, hi = grid[mass].min(), grid[mass].max()
    ax.set_xlim(max(0.0, lo - 0.02), min(1.0, hi + 0.02))
    percent_axis(ax.xaxis)
    ax.set_ylabel("posterior density")
    ax.legend(fontsize="small")


def _draw_change(ax: Any, result: Any, change: pd.DataFrame) -> Any:
    diffs = change["change"].to_numpy(float)
    density = change["density"].to_numpy(float)
    inset = ax.inset_axes([0.0, -0.75, 1.0, 0.5])
    inset.plot(diffs, density, color="0.2")
    inset.fill_between(diffs, density, where=diffs > 0, color="tab:green", alpha=0.3)
    inset.axvline(0, color="0.5", linestyle=":")
    keep = density > 1e-3 * density.max()
    inset.set_xlim(diffs[keep].min() - 0.02, diffs[keep].max() + 0.02)
    points_axis(inset.xaxis)
    inset.set_xlabel("change (points)")
    inset.set_yticks([])
    inset.annotate(
        f"P(increase) = {result.prob_increase:.3f}",
        (0.98, 0.9),
        xycoords="axes fraction",
        ha="right",
        va="top",
        fontsize="small",
    )
    return inset
