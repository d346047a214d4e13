"""The posterior of a change between two polls: each poll's share and the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import (
    as_frame,
    format_percent,
    get_axes,
    percent_axis,
    points_axis,
    set_description,
)

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
    (later minus earlier, bottom, in percentage points) with the part above zero
    shaded and the
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
        The space to draw in: it is split in two, the waves on top (``ax`` itself,
        returned) and the change below, on ``ax.surveykit_change_axes``. Both stay
        inside the space of ``ax``, so a plain ``savefig`` keeps them.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the wave densities (``alpha``
        is matplotlib's transparency).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    SurveyKitError
        If ``result`` does not come from
        :func:`~surveykit.inference.bayes.posterior_change` or holds an array of
        changes rather than one; if ``densities`` or ``change`` is not a DataFrame or
        lacks its columns; or if ``n1`` or ``n2`` is not a valid sample size (or list
        or distribution of them) for
        :func:`~surveykit.inference.bayes.posterior_densities`.

    See Also
    --------
    surveykit.inference.bayes.posterior_change : the result drawn here.
    surveykit.inference.bayes.posterior_densities : the densities of the two waves.
    surveykit.inference.bayes.change_density : the density of the change.
    surveykit.plotting.plot_change : the same change with its interval and p-value.

    References
    ----------
    .. [1] Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A. and
       Rubin, D. B. (2013). Bayesian Data Analysis, 3rd ed. CRC Press, sections 2.4
       and 3.4.
    .. [2] Jeffreys, H. (1946). An invariant form for the prior probability in
       estimation problems. Proceedings of the Royal Society A 186, 453-461.
    .. [3] Tufte, E. R. (2001). The Visual Display of Quantitative Information, 2nd ed.
       Graphics Press.
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_posterior
    >>> ax = plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30))

    The Kremlin's peace-talks figure, 32% in July and 55% in November 2022, if only 30
    people had been asked each time: the shaded part of the change lies above zero.

    >>> print(ax.surveykit_change_axes.texts[0].get_text())
    P(increase) = 0.964
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
    lower = _split(ax)
    _draw_waves(ax, result, densities, kwargs)
    ax.surveykit_change_axes = _draw_change(lower, result, change)
    set_description(
        ax,
        f"Posterior densities of the share in the earlier poll "
        f"({format_percent(result.p2)}) and the later poll ({format_percent(result.p1)}), "
        "in percent; below, the density of the change in percentage points, with "
        f"P(increase) = {result.prob_increase:.3f}.",
    )
    return ax


def _split(ax: Any) -> Any:
    """Split the space of ``ax`` into ``ax`` (top, three fifths) and a new axes below.

    With a subplot the split is a nested grid, which layout engines respect; a free
    axes is split by position. Either way both stay where ``ax`` was.
    """
    fig = ax.figure
    spec = ax.get_subplotspec()
    if spec is not None:
        inner = spec.subgridspec(2, 1, height_ratios=[3, 2], hspace=0.55)
        ax.set_subplotspec(inner[0])
        ax.set_position(inner[0].get_position(fig))
        return fig.add_subplot(inner[1])
    x0, y0, width, height = ax.get_position().bounds
    ax.set_position([x0, y0 + 0.47 * height, width, 0.53 * height])
    return fig.add_axes([x0, y0, width, 0.32 * height])


def _draw_waves(ax: Any, result: Any, densities: pd.DataFrame, style: dict[str, Any]) -> None:
    grid = densities["share"].to_numpy(float)
    before = densities["earlier"].to_numpy(float)
    after = densities["later"].to_numpy(float)
    (line_b,) = ax.plot(grid, before, label=f"earlier ({format_percent(result.p2)})", **style)
    (line_a,) = ax.plot(grid, after, label=f"later ({format_percent(result.p1)})", **style)
    ax.fill_between(grid, before, color=line_b.get_color(), alpha=0.2)
    ax.fill_between(grid, after, color=line_a.get_color(), alpha=0.2)
    mass = (before + after) > 1e-3 * max(before.max(), after.max())
    lo, hi = grid[mass].min(), grid[mass].max()
    ax.set_xlim(max(0.0, lo - 0.02), min(1.0, hi + 0.02))
    percent_axis(ax.xaxis)
    ax.set_ylabel("posterior density")
    ax.legend(fontsize="small")


def _draw_change(inset: Any, result: Any, change: pd.DataFrame) -> Any:
    diffs = change["change"].to_numpy(float)
    density = change["density"].to_numpy(float)
    inset.plot(diffs, density, color="0.2")
    inset.fill_between(diffs, density, where=diffs > 0, color="tab:green", alpha=0.3)
    inset.axvline(0, color="0.5", linestyle=":")
    keep = density > 1e-3 * density.max()
    inset.set_xlim(diffs[keep].min() - 0.02, diffs[keep].max() + 0.02)
    points_axis(inset.xaxis)
    inset.set_xlabel("change, later minus earlier (percentage points)")
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
