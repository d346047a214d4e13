"""Plots of surveykit results, following matplotlib conventions.

Every function has the signature ``plot_*(data, *, ..., ax=None, **kwargs) -> Axes``:
it draws on ``ax`` (the current axes when None), passes ``kwargs`` to the main
matplotlib call, and changes no global style or rcParams. pyplot is imported only
when no axes is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.validation import check_option
from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import as_frame, get_axes, percent_axis
from surveykit.plotting.planning import plot_coverage, plot_power

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_change",
    "plot_coverage",
    "plot_intervals",
    "plot_posterior",
    "plot_power",
    "plot_sensitivity",
    "plot_trend",
]


def plot_intervals(
    data: Any,
    *,
    y: str | None = None,
    hue: str | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Forest plot of estimates and their intervals, labelled in percent.

    Parameters
    ----------
    data : result or DataFrame
        A result with ``to_frame()`` (e.g. from :func:`surveykit.proportion_ci`) or a
        frame with ``estimate``, ``ci_low`` and ``ci_high`` columns.
    y : str, optional
        Column whose values label the rows (one row of the plot per distinct value).
        By default the frame's index, or the row number.
    hue : str, optional
        Column whose values are drawn side by side within each row (for example the
        assumed ``n`` or the ``method``), with a legend.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting.figures import plot_intervals
    >>> ci = sk.proportion_ci([0.32, 0.55], [400, 400])
    >>> ax = plot_intervals(ci)
    """
    frame = as_frame(data, ["estimate", "ci_low", "ci_high"])
    ax = get_axes(ax)
    if y is None:
        labels = (
            pd.Series(range(len(frame)), index=frame.index).astype(str)
            if isinstance(frame.index, pd.RangeIndex)
            else pd.Series(frame.index.astype(str), index=frame.index)
        )
    else:
        as_frame(frame, [y])
        labels = frame[y].astype(str)
    rows = list(dict.fromkeys(labels))
    position = labels.map({label: i for i, label in enumerate(rows)}).to_numpy(float)
    groups = [None] if hue is None else list(dict.fromkeys(as_frame(frame, [hue])[hue]))
    width = 0.7
    for k, group in enumerate(groups):
        mask = np.ones(len(frame), bool) if group is None else (frame[hue] == group).to_numpy()
        offset = 0.0 if len(groups) == 1 else -width / 2 + width * (k + 0.5) / len(groups)
        est = frame["estimate"].to_numpy(float)[mask]
        low = frame["ci_low"].to_numpy(float)[mask]
        high = frame["ci_high"].to_numpy(float)[mask]
        style = {"fmt": "o", "capsize": 3, "markersize": 5}
        style.update(kwargs)
        if group is not None:
            style.setdefault("label", group if isinstance(group, str) else f"{hue} = {group}")
        ax.errorbar(est, position[mask] + offset, xerr=[est - low, high - est], **style)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    percent_axis(ax.xaxis)
    ax.grid(axis="x", alpha=0.3)
    if hue is not None:
        ax.legend(title=None, fontsize="small")
    return ax


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
    >>> from surveykit.plotting.figures import plot_sensitivity
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


def plot_change(
    data: Any,
    *,
    label: str | None = None,
    n: float | None = None,
    deff: float = 1.0,
    confidence_level: float = 0.95,
    alpha: float | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Two or more waves with their intervals, and the change from first to last.

    The waves are drawn left to right with Wilson intervals (left axis, percent); the
    difference last minus first is drawn at the right with its Newcombe interval on its
    own axis (in points), annotated with the pooled z-test's verdict.

    Parameters
    ----------
    data : DataFrame or result
        The waves in time order: a frame with ``proportion`` and ``n`` columns (for
        example rows of :func:`surveykit.read_polls`), or a
        :func:`surveykit.two_proportion_test` / :func:`surveykit.difference_ci` result
        for one pair (``p2`` is the first wave, ``p1`` the later one).
    label : str, optional
        Column naming the waves (default: ``label``, ``poll_id`` or the index).
    n : float, optional
        Sample size to assume where the frame's ``n`` is missing; an unknown n with no
        assumption raises an error rather than being guessed.
    deff : float, default 1.0
    confidence_level : float, default 0.95
    alpha : float, optional
        Significance level of the verdict; ``1 - confidence_level`` by default.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` for the waves.

    Returns
    -------
    matplotlib Axes
        The waves' axes; the difference is on ``ax.surveykit_difference_axes``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting.figures import plot_change
    >>> ax = plot_change(sk.two_proportion_test(0.55, 400, 0.32, 400))
    """
    from surveykit._core.formatting import format_pvalue
    from surveykit.inference.difference import difference_ci
    from surveykit.inference.proportion import proportion_ci
    from surveykit.inference.two_sample_tests import two_proportion_test

    if hasattr(data, "p1") and hasattr(data, "p2") and not isinstance(data, pd.DataFrame):
        if np.ndim(data.p1) != 0:
            raise SurveyKitError("plot_change draws one pair of waves; pass a scalar result")
        frame = pd.DataFrame(
            {"proportion": [data.p2, data.p1], "n": [data.n2, data.n1]},
            index=["first", "second"],
        )
    else:
        frame = as_frame(data, ["proportion", "n"])
    if len(frame) < 2:
        raise SurveyKitError(f"plot_change needs at least two waves, got {len(frame)}")
    names = (
        frame[label].astype(str).tolist()
        if label is not None
        else frame["label"].astype(str).tolist()
        if "label" in frame
        else frame["poll_id"].astype(str).tolist()
        if "poll_id" in frame
        else [str(i) for i in frame.index]
    )
    sizes = pd.array(frame["n"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(sizes).any():
        if n is None:
            raise SurveyKitError(
                "some waves have no sample size; pass n= to assume one (it is shown as assumed)"
            )
        sizes = np.where(np.isnan(sizes), n, sizes)
    props = frame["proportion"].to_numpy(float)
    ci = proportion_ci(props, sizes, deff=deff, confidence_level=confidence_level)
    ax = get_axes(ax)
    xs = np.arange(len(frame), dtype=float)
    style = {"fmt": "o-", "capsize": 4, "markersize": 6}
    style.update(kwargs)
    ax.errorbar(xs, props, yerr=[props - ci.ci_low, ci.ci_high - props], **style)
    percent_axis(ax.yaxis)
    ax.set_ylabel("share")

    diff = difference_ci(
        props[-1], sizes[-1], props[0], sizes[0], deff=deff, confidence_level=confidence_level
    )
    test = two_proportion_test(props[-1], sizes[-1], props[0], sizes[0], deff=deff)
    level = 1 - confidence_level if alpha is None else alpha
    verdict = "significant" if test.pvalue < level else "not significant"
    right = ax.twinx()
    right.errorbar(
        [len(frame) + 0.3],
        [diff.estimate],
        yerr=[[diff.estimate - diff.ci_low], [diff.ci_high - diff.estimate]],
        fmt="D",
        color="0.2",
        capsize=4,
    )
    right.axhline(0, color="0.6", linewidth=0.8, linestyle=":")
    span = max(diff.ci_high, 0.0) - min(diff.ci_low, 0.0)
    low = min(0.0, diff.ci_low) - 0.1 * span
    high = max(0.0, diff.ci_high) + 0.35 * span
    right.set_ylim(low, high)
    from matplotlib.ticker import FuncFormatter

    right.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:+.0f}"))
    right.set_ylabel("change (points)")
    right.annotate(
        f"{100 * diff.estimate:+.1f} pts\np {format_pvalue(test.pvalue)}\n{verdict}",
        (len(frame) + 0.3, diff.ci_high),
        xytext=(0, 6),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize="small",
    )
    ax.set_xticks([*xs, len(frame) + 0.3], [*names, f"change\n{names[-1]} − {names[0]}"])
    ax.set_xlim(-0.5, len(frame) + 0.8)
    ax.surveykit_difference_axes = right
    return ax


def plot_trend(
    polls: pd.DataFrame,
    *,
    option: str | None = None,
    question: str | None = None,
    confidence_level: float = 0.95,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """A series of polls over time: one colour per pollster, an interval per poll.

    Each poll is placed at the middle of its fieldwork. Polls with a published n get
    a Wilson interval; polls whose n is unknown are drawn as open markers without one
    (nothing is assumed silently).

    Parameters
    ----------
    polls : DataFrame
        A tidy poll frame (:func:`surveykit.read_polls`, :func:`surveykit.load_dataset`).
    option, question : str, optional
        Keep only this option / question.
    confidence_level : float, default 0.95
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib Axes
    """
    from surveykit.inference.proportion import proportion_ci

    frame = as_frame(polls, ["pollster", "fieldwork_start", "fieldwork_end", "proportion", "n"])
    if option is not None:
        check_option("option", option, sorted(frame["option"].unique()))
        frame = frame[frame["option"] == option]
    if question is not None:
        check_option("question", question, sorted(frame["question"].unique()))
        frame = frame[frame["question"] == question]
    ax = get_axes(ax)
    start = frame["fieldwork_start"].fillna(frame["fieldwork_end"])
    end = frame["fieldwork_end"].fillna(frame["fieldwork_start"])
    frame = frame.assign(_mid=start + (end - start) / 2).dropna(subset=["_mid"])
    for pollster, part in frame.groupby("pollster", sort=False):
        part = part.sort_values("_mid")
        n = pd.array(part["n"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(n)
        est = part["proportion"].to_numpy(float)
        low, high = est.copy(), est.copy()
        if known.any():
            ci = proportion_ci(est[known], n[known], confidence_level=confidence_level)
            low[known], high[known] = ci.ci_low, ci.ci_high
        style = {"fmt": "o-", "capsize": 2, "markersize": 5, "label": pollster}
        style.update(kwargs)
        bars = ax.errorbar(part["_mid"], est, yerr=[est - low, high - est], **style)
        if (~known).any():
            colour = bars.lines[0].get_color()
            ax.plot(
                part["_mid"].to_numpy()[~known],
                est[~known],
                "o",
                markerfacecolor="white",
                markeredgecolor=colour,
                zorder=3,
            )
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    percent_axis(ax.yaxis)
    ax.set_ylabel("share")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_posterior(
    result: Any,
    *,
    n1: Any = None,
    n2: Any = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Posterior densities of two waves and of their change, with P(increase).

    Draws the beta posterior of each wave's share (top) and the density of the change
    (after minus before, bottom, in points) with the part above zero shaded and the
    posterior probability of an increase written on it.

    Parameters
    ----------
    result : PosteriorChange
        A scalar result of :func:`surveykit.bayes.posterior_change`.
    n1, n2 : number, list or scipy distribution, optional
        The sample sizes of the later and the earlier wave given to
        ``posterior_change`` when they were lists or
        distributions (the result echoes only their means); each wave's density is then
        the same mixture of beta posteriors.
    ax : matplotlib Axes, optional
        Where to draw the waves; the change goes on ``ax.surveykit_change_axes``, an
        inset below it.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the wave densities.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    With prior Beta(a, b) and an observed share p of n, a wave's posterior is
    Beta(a + pn, b + (1 - p)n), averaged over the sample sizes' weights; the density of
    the change is the convolution of the two, evaluated on a grid of 2,001 points.
    """
    from scipy import stats

    from surveykit.inference.bayes import PRIORS, size_distribution

    for field in ("p1", "p2", "prob_increase", "prior"):
        if not hasattr(result, field):
            raise SurveyKitError(
                f"result must come from posterior_change, got {type(result).__name__}"
            )
    if np.ndim(result.p1) != 0 or np.ndim(result.p2) != 0:
        raise SurveyKitError("plot_posterior draws one change; pass a scalar result")
    if result.prior in PRIORS:
        a, b = PRIORS[result.prior]
    else:
        a, b = (float(v) for v in str(result.prior).strip("beta()").split(","))
    grid = np.linspace(0.0, 1.0, 2001)
    step = grid[1] - grid[0]

    def density(p: float, n: Any) -> np.ndarray:
        sizes, weights = size_distribution("n", n)
        pdf = stats.beta.pdf(grid[:, None], a + p * sizes, b + (1 - p) * sizes)
        return np.nan_to_num(pdf) @ weights

    before = density(result.p2, result.n2 if n2 is None else n2)
    after = density(result.p1, result.n1 if n1 is None else n1)
    ax = get_axes(ax)
    style = dict(kwargs)
    (line_b,) = ax.plot(grid, before, label=f"before ({100 * result.p2:.0f}%)", **style)
    (line_a,) = ax.plot(grid, after, label=f"after ({100 * result.p1:.0f}%)", **style)
    ax.fill_between(grid, before, color=line_b.get_color(), alpha=0.2)
    ax.fill_between(grid, after, color=line_a.get_color(), alpha=0.2)
    mass = (before + after) > 1e-3 * max(before.max(), after.max())
    lo, hi = grid[mass].min(), grid[mass].max()
    ax.set_xlim(max(0.0, lo - 0.02), min(1.0, hi + 0.02))
    percent_axis(ax.xaxis)
    ax.set_ylabel("posterior density")
    ax.legend(fontsize="small")

    # the change: density of after - before, on the grid of differences
    change = np.convolve(after, before[::-1]) * step
    diffs = np.linspace(-1.0, 1.0, change.size)
    inset = ax.inset_axes([0.0, -0.75, 1.0, 0.5])
    inset.plot(diffs, change, color="0.2")
    inset.fill_between(diffs, change, where=diffs > 0, color="tab:green", alpha=0.3)
    inset.axvline(0, color="0.5", linestyle=":")
    keep = change > 1e-3 * change.max()
    inset.set_xlim(diffs[keep].min() - 0.02, diffs[keep].max() + 0.02)
    inset.xaxis.set_major_formatter(
        __import__("matplotlib.ticker", fromlist=["FuncFormatter"]).FuncFormatter(
            lambda v, _: f"{100 * v:+.0f}"
        )
    )
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
    ax.surveykit_change_axes = inset
    return ax
