"""A change between polls: the waves with their intervals, and the change itself.

Everything drawn comes from the results and frames passed in: the p-value, interval,
level, design effect and method of the change are those of the result, never computed
again here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue
from surveykit.exceptions import SurveyKitError
from surveykit.plotting.base import (
    as_frame,
    format_deff,
    format_level,
    format_percent,
    format_points,
    get_axes,
    percent_axis,
    points_axis,
    set_description,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["change_label", "plot_change"]


def plot_change(
    data: Any,
    *,
    interval: Any = None,
    test: Any = None,
    waves: Any = None,
    label: str | None = None,
    significance_level: float | None = None,
    ax: Any = None,
    **kwargs: Any,
) -> Axes:
    """Two or more waves, and the change from the first to the last with its verdict.

    The waves are drawn left to right (left axis, percent), with intervals where they
    are given; the change is drawn at the right on its own axis (in percentage points),
    with the
    interval of ``interval`` and annotated with the p-value, design effect and verdict
    of ``test``. Nothing is computed here: every number is a field of a result or a
    column of a frame.

    Parameters
    ----------
    data : result or DataFrame
        A :func:`surveykit.two_proportion_test` result (the test of the change) or a
        :func:`surveykit.difference_ci` result (its interval), for one pair: ``p2`` is
        the first wave, ``p1`` the later one. Or the waves in time order: a frame with
        ``estimate`` (or ``proportion``) and optionally ``ci_low`` and ``ci_high``,
        such as ``proportion_ci(...).to_frame()``.
    interval : DifferenceCI, optional
        The interval of the change (later minus first), when ``data`` is not it.
    test : TwoProportionTest, optional
        The test of the change, when ``data`` is not it.
    waves : result or DataFrame, optional
        With a result as ``data``: the waves' intervals, first wave first (for example
        ``proportion_ci([p2, p1], [n2, n1], deff=...)``). Without it the waves are the
        result's shares, drawn without intervals.
    label : str, optional
        Column of a frame naming the waves (default: ``label``, ``poll_id`` or the
        index).
    significance_level : float, optional
        Significance level of the verdict; ``1 - interval.confidence_level`` when an
        interval is given, else 0.05.
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar` for the waves (``alpha`` is
        matplotlib's transparency).

    Returns
    -------
    matplotlib Axes
        The waves' axes; the change is on ``ax.surveykit_difference_axes``.

    Raises
    ------
    SurveyKitError
        If ``data`` (or ``waves``) is neither a surveykit result nor a DataFrame, or
        lacks the columns drawn (``estimate`` or ``proportion``; ``estimate``,
        ``ci_low`` and ``ci_high`` for ``waves``; the ``label`` column named); if
        ``interval`` is not a :func:`surveykit.difference_ci` result or ``test`` not a
        :func:`surveykit.two_proportion_test` result; if a result holds an array of
        changes rather than one; if ``interval`` and ``test`` are about different
        changes (their estimates differ); or if there are fewer than two waves.

    See Also
    --------
    surveykit.two_proportion_test : the test whose p-value and verdict are written.
    surveykit.difference_ci : the interval of the change drawn at the right.
    surveykit.proportion_ci : the waves' intervals (``waves=``).
    surveykit.plotting.plot_posterior : the same change seen through its posterior.
    surveykit.plotting.describe_figure : the words for the figure's alt text.

    References
    ----------
    .. [1] Cumming, G. and Finch, S. (2005). Inference by eye: confidence intervals and
       how to read pictures of data. American Psychologist 60(2), 170-180 (why the
       change gets an interval of its own: overlapping wave intervals do not show it).
    .. [2] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.
    .. [3] Cleveland, W. S. and McGill, R. (1984). Graphical perception: theory,
       experimentation, and application to the development of graphical methods.
       Journal of the American Statistical Association 79(387), 531-554.
    .. [4] Hunter, J. D. (2007). Matplotlib: a 2D graphics environment. Computing in
       Science & Engineering 9(3), 90-95.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.plotting import plot_change
    >>> test = sk.two_proportion_test(0.49, 1000, 0.43, 1000, deff=1.67)
    >>> ax = plot_change(
    ...     test,
    ...     interval=sk.difference_ci(0.49, 1000, 0.43, 1000, deff=1.67),
    ...     waves=sk.proportion_ci([0.43, 0.49], 1000, deff=1.67),
    ... )
    >>> print(ax.surveykit_difference_axes.texts[0].get_text())
    +6.0 percentage points
    p = 0.037 (z-pooled, deff 1.67)
    significant at 5%
    """
    interval, test = _change_results(data, interval, test)
    frame = _waves(data, waves, label)
    if len(frame) < 2:
        raise SurveyKitError(f"plot_change needs at least two waves, got {len(frame)}")
    if significance_level is None:
        level = float(interval.confidence_level) if interval is not None else 0.95
        significance_level = round(1 - level, 12)
    ax = get_axes(ax)
    xs = np.arange(len(frame), dtype=float)
    est = frame["estimate"].to_numpy(float)
    low = frame["ci_low"].to_numpy(float)
    high = frame["ci_high"].to_numpy(float)
    style = {"fmt": "o-", "capsize": 4, "markersize": 6}
    style.update(kwargs)
    ax.errorbar(xs, est, yerr=[est - low, high - est], **style)
    percent_axis(ax.yaxis)
    ax.set_ylabel("share")
    names = frame["name"].tolist()
    where = len(frame) + 0.4
    if interval is not None or test is not None:
        ax.surveykit_difference_axes = _draw_change(ax, where, interval, test, significance_level)
    ax.set_xticks([*xs, where], [*names, f"change\n{names[-1]} − {names[0]}"])
    ax.set_xlim(-0.5, len(frame) + 1.4)
    waves = "; ".join(
        f"{name}: {format_percent(e)}"
        + ("" if lo == hi else f" ({format_percent(lo, 1)} to {format_percent(hi, 1)})")
        for name, e, lo, hi in zip(names, est, low, high, strict=True)
    )
    text = f"{len(frame)} waves in percent, {waves}."
    if interval is not None or test is not None:
        change = change_label(interval, test, significance_level).replace("\n", ", ")
        text += f" Change from {names[0]} to {names[-1]}: {change}."
    set_description(ax, text)
    return ax


def _is_test(value: Any) -> bool:
    return hasattr(value, "pvalue") and hasattr(value, "p1")


def _is_interval(value: Any) -> bool:
    return hasattr(value, "ci_low") and hasattr(value, "p1")


def _change_results(data: Any, interval: Any, test: Any) -> tuple[Any, Any]:
    """The interval and test of the change, from ``data`` or the keywords; checked."""
    if _is_test(data):
        test = data if test is None else test
    elif _is_interval(data):
        interval = data if interval is None else interval
    for name, value, check, kind in (
        ("interval", interval, _is_interval, "difference_ci"),
        ("test", test, _is_test, "two_proportion_test"),
    ):
        if value is None:
            continue
        if not check(value):
            raise SurveyKitError(f"{name} must be a {kind} result, got {type(value).__name__}")
        if np.ndim(value.estimate) != 0:
            raise SurveyKitError("plot_change draws one change; pass scalar results")
    if interval is not None and test is not None:
        if not np.isclose(float(interval.estimate), float(test.estimate), atol=1e-12):
            raise SurveyKitError(
                "interval and test must be about the same change, got estimates "
                f"{float(interval.estimate)!r} and {float(test.estimate)!r}"
            )
    return interval, test


def _waves(data: Any, waves: Any, label: str | None) -> pd.DataFrame:
    """The waves to draw: ``name``, ``estimate``, ``ci_low``, ``ci_high`` (NaN if none)."""
    if _is_test(data) or _is_interval(data):
        if np.ndim(data.p1) != 0:
            raise SurveyKitError("plot_change draws one pair of waves; pass a scalar result")
        if waves is None:
            shares = [float(data.p2), float(data.p1)]
            return pd.DataFrame(
                {
                    "name": ["first", "second"],
                    "estimate": shares,
                    "ci_low": shares,
                    "ci_high": shares,
                }
            )
        frame = as_frame(waves, ["estimate", "ci_low", "ci_high"], "waves")
        names = ["first", "second"] if len(frame) == 2 else [str(i) for i in range(len(frame))]
        return pd.DataFrame(
            {
                "name": names,
                "estimate": frame["estimate"].to_numpy(float),
                "ci_low": frame["ci_low"].to_numpy(float),
                "ci_high": frame["ci_high"].to_numpy(float),
            }
        )
    frame = as_frame(data, [])
    share = "estimate" if "estimate" in frame else "proportion"
    as_frame(frame, [share])
    est = frame[share].to_numpy(float)
    if label is not None:
        names = as_frame(frame, [label])[label].astype(str).tolist()
    elif "label" in frame:
        names = frame["label"].astype(str).tolist()
    elif "poll_id" in frame:
        names = frame["poll_id"].astype(str).tolist()
    else:
        names = [str(i) for i in frame.index]
    return pd.DataFrame(
        {
            "name": names,
            "estimate": est,
            "ci_low": frame["ci_low"].to_numpy(float) if "ci_low" in frame else est,
            "ci_high": frame["ci_high"].to_numpy(float) if "ci_high" in frame else est,
        }
    )


def change_label(interval: Any, test: Any, significance_level: float) -> str:
    """The annotation of a change: percentage points, p-value (with the design effect)
    and verdict.

    Every number is a field of the results: ``test.pvalue``, ``test.method``,
    ``test.deff`` (rounded to two decimals); ``interval.ci_low``/``ci_high`` at
    ``interval.confidence_level``. A change that rounds to zero reads '0.0', not '-0.0'.
    """
    estimate = float((test if test is not None else interval).estimate)
    lines = [f"{format_points(estimate)} percentage points"]
    if test is not None:
        deff = float(test.deff)
        design = (
            f" ({test.method})" if deff == 1 else f" ({test.method}, deff {format_deff(deff)})"
        )
        pvalue = format_pvalue(test.pvalue)
        lines.append(f"p {pvalue}{design}" if pvalue.startswith("<") else f"p = {pvalue}{design}")
        significant = float(test.pvalue) < significance_level
        verdict = "significant" if significant else "not significant"
        lines.append(f"{verdict} at {format_level(significance_level)}")
    elif interval is not None:
        level = float(interval.confidence_level)
        lines.append(
            f"{format_level(level)} CI {format_points(interval.ci_low)} to "
            f"{format_points(interval.ci_high)}"
        )
    return "\n".join(lines)


def _draw_change(
    ax: Any, where: float, interval: Any, test: Any, significance_level: float
) -> Any:
    right = ax.twinx()
    estimate = float((interval if interval is not None else test).estimate)
    low = float(interval.ci_low) if interval is not None else estimate
    high = float(interval.ci_high) if interval is not None else estimate
    right.errorbar(
        [where],
        [estimate],
        yerr=[[estimate - low], [high - estimate]],
        fmt="D",
        color="0.2",
        capsize=4,
    )
    right.axhline(0, color="0.6", linewidth=0.8, linestyle=":")
    span = max(high, 0.0) - min(low, 0.0) or 0.01
    right.set_ylim(min(0.0, low) - 0.1 * span, max(0.0, high) + 0.45 * span)
    points_axis(right.yaxis)
    right.set_ylabel("change (percentage points)")
    right.annotate(
        change_label(interval, test, significance_level),
        (where, high),
        xytext=(0, 6),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize="small",
    )
    return right
