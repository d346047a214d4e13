"""The report's figures, drawn with :mod:`surveykit.plotting` from a reanalysis' frames
(matplotlib Figures made without pyplot), and their PNG bytes."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from surveykit.plotting import plot_intervals, plot_sensitivity, plot_trend
from surveykit.reanalysis.analysis import Reanalysis
from surveykit.report.tables import n_header

__all__ = ["build_figures", "png_bytes"]


def png_bytes(fig: Any) -> bytes:
    """A figure as PNG (144 dpi)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=144)
    return buffer.getvalue()


def _intervals_figure(r: Reanalysis, deff: float) -> Any:
    from matplotlib.figure import Figure

    part = r.intervals[r.intervals["deff"] == deff].copy()
    part["figure"] = part["label"] + ": " + part["option"].astype(str)
    part["assumed"] = [n_header(v) for v in part["assumed_n"]]
    rows = part["figure"].nunique()
    fig = Figure(
        figsize=(7.5, 1.2 + 0.55 * rows * max(1, len(r.n_grid)) ** 0.5), layout="constrained"
    )
    ax = fig.subplots()
    plot_intervals(part, y="figure", hue="assumed", ax=ax)
    ax.set_title(
        f"Each figure's {100 * r.confidence_level:g}% Wilson interval under assumed n "
        f"(deff = {deff:g})",
        fontsize="medium",
    )
    ax.set_xlabel("share")
    return fig


def _sensitivity_figure(r: Reanalysis, deff: float) -> Any:
    """p-value against the assumed n of each comparison that depends on it (or None)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    crit = r.critical[r.critical["deff"] == deff].set_index("comparison")["critical_n"]
    finite = [v for v in crit if np.isfinite(v)]
    # the curves span every n the report's tables show, and the critical sizes
    top = max([200, max(r.n_grid), *[4 * v for v in finite]])
    low = min(5, min(r.n_grid))
    grid = np.unique(np.concatenate([np.geomspace(low, top, 200).round(), r.n_grid]))
    curves = r.pvalue_curves(grid, deff=deff)
    if curves.empty:
        return None
    shown = curves[curves["comparison"].isin(curves["comparison"].unique()[:8])]
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    plot_sensitivity(
        shown,
        hue="comparison",
        significance_level=r.alpha,
        critical={c: crit.get(c) for c in shown["comparison"].unique()},
        ax=ax,
    )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(
        f"How the verdict depends on the unknown sample size (deff = {deff:g})",
        fontsize="medium",
    )
    return fig


def _trend_figure(r: Reanalysis, deff: float) -> Any:
    """The most asked option over time, with intervals where n was published."""
    from matplotlib.figure import Figure

    keys = ["poll_id", "question", "option"]
    published = r.intervals[(r.intervals["deff"] == deff) & r.intervals["assumed_n"].isna()]
    bounds = published[[*keys, "ci_low", "ci_high"]].drop_duplicates(keys)
    polls = r.polls.merge(bounds, on=keys, how="left", validate="many_to_one")
    option = r.polls["option"].value_counts().index[0]
    fig = Figure(figsize=(7.5, 4.0), layout="constrained")
    ax = fig.subplots()
    plot_trend(polls, option=option, ax=ax)
    ax.set_title(f"'{option}' over time", fontsize="medium")  # the legend explains markers
    return fig


def build_figures(r: Reanalysis) -> dict[str, Any]:
    """The report's figures as matplotlib Figures (made without pyplot).

    Drawn at the first design effect of the grid: every figure's interval under each
    assumed n, the p-value of each comparison against n, and the trend of the most
    asked option when there are more than three polls.

    Parameters
    ----------
    r : Reanalysis
        A reanalysis made by :func:`surveykit.reanalyse`.

    Returns
    -------
    dict
        Maps figure names to matplotlib Figures: ``'intervals'`` always;
        ``'sensitivity'`` when some change or lead has a p-value to draw against n;
        ``'trend'`` when the data hold more than three polls.

    Raises
    ------
    AttributeError
        If ``r`` is not a :class:`~surveykit.Reanalysis`. Nothing else is checked here:
        the frames of a reanalysis were checked (``SurveyKitError``) when
        :func:`surveykit.reanalyse` made it, and the figures are drawn from them.

    See Also
    --------
    surveykit.reanalyse : the reanalysis drawn here.
    surveykit.plotting.plot_intervals : the intervals figure.
    surveykit.plotting.plot_sensitivity : the sensitivity figure.
    surveykit.plotting.plot_trend : the trend figure.
    surveykit.report.write_report : writes these figures as PNG files beside the report.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (disclosure: which sample sizes were published and which are assumed here).
    .. [2] Cleveland, W. S. and McGill, R. (1984). Graphical perception: theory,
       experimentation, and application to the development of graphical methods.
       Journal of the American Statistical Association 79(387), 531-554.
    .. [3] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

    Examples
    --------
    The leaked Kremlin poll (three figures, two polls), under two assumed sample sizes:
    too few polls for a trend.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.report import build_figures
    >>> figures = build_figures(sk.reanalyse(sk.load_dataset(), n=[400, 1600], deff=1))
    >>> sorted(figures)
    ['intervals', 'sensitivity']
    >>> figures["intervals"].axes[0].get_title()
    "Each figure's 95% Wilson interval under assumed n (deff = 1)"
    """
    deff0 = r.deff_grid[0]
    figures: dict[str, Any] = {"intervals": _intervals_figure(r, deff0)}
    sensitivity = _sensitivity_figure(r, deff0)
    if sensitivity is not None:
        figures["sensitivity"] = sensitivity
    if r.polls["poll_id"].nunique() > 3:
        figures["trend"] = _trend_figure(r, deff0)
    return figures
