"""Plots say what the result says (issue 11 items 7 and 8): the texts drawn are the
result's fields formatted, tick labels are exact, nothing is drawn outside the figure,
labels do not overlap, alpha is matplotlib's, and every figure can be described."""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import surveykit as sk
from surveykit.plotting import (
    describe_figure,
    plot_change,
    plot_coverage,
    plot_intervals,
    plot_posterior,
    plot_power,
    plot_sensitivity,
    plot_simulated_polls,
    plot_trend,
)
from surveykit.plotting.base import (
    format_deff,
    format_level,
    format_n,
    format_percent,
    format_points,
    needed_decimals,
)
from surveykit.plotting.change import change_label


def shown_ticks(ax, which):
    """(value, label) of the ticks inside the view, after a draw."""
    ax.figure.canvas.draw()
    axis = ax.xaxis if which == "x" else ax.yaxis
    low, high = sorted(axis.get_view_interval())
    return [
        (tick.get_loc(), tick.label1.get_text())
        for tick in axis.get_major_ticks()
        if low - 1e-12 <= tick.get_loc() <= high + 1e-12
    ]


def parse(label):
    return float(label.replace("−", "-").replace("%", "").replace("+", ""))


def assert_exact(ticks, scale=100):
    assert ticks
    for value, label in ticks:
        assert parse(label) == pytest.approx(scale * value, abs=1e-9), (value, label)
        assert label.lstrip("+-−") == label or parse(label) != 0, label  # no -0 or +0


# --------------------------------------------------------------------------------------
# Numbers as text
# --------------------------------------------------------------------------------------


def test_number_texts():
    assert needed_decimals([40, 42.5, 45]) == 1
    assert needed_decimals([40, 45]) == 0
    assert format_percent(0.325) == "32.5%" and format_percent(0.32) == "32%"
    assert format_points(0.23) == "+23.0" and format_points(-0.0004) == "0.0"
    assert format_points(-0.0) == "0.0" and format_points(-0.012) == "-1.2"
    assert format_n(1600.0) == "1,600" and format_n(35.6) == "36"
    assert format_deff(1.6666667) == "1.67" and format_deff(2.0) == "2"
    assert format_level(1 - 0.95) == "5%" and format_level(0.005) == "0.5%"


@pytest.mark.parametrize(("low", "high"), [(0.4, 0.45), (0.42, 0.43), (0.0, 1.0), (0.3, 0.31)])
def test_percent_tick_labels_parse_back_to_their_ticks(low, high):
    ax = plot_intervals(sk.proportion_ci([0.425, 0.43], 1000))
    ax.set_xlim(low, high)
    if (low, high) == (0.4, 0.45):
        ax.set_xticks([0.4, 0.425, 0.45])
    ticks = shown_ticks(ax, "x")
    assert_exact(ticks)
    if (low, high) == (0.4, 0.45):
        assert (0.425, "42.5%") in [(round(v, 6), t) for v, t in ticks]


def test_points_tick_labels_are_exact_and_signed_without_minus_zero():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000)
    right = plot_change(test).surveykit_difference_axes
    right.set_ylim(-0.025, 0.1)
    ticks = shown_ticks(right, "y")
    assert_exact(ticks)
    labels = [t for _, t in ticks]
    assert "0" in labels or "0.0" in labels
    assert not any(re.fullmatch(r"[+\-−]0(\.0+)?", t) for t in labels)


# --------------------------------------------------------------------------------------
# Annotations are the result's fields
# --------------------------------------------------------------------------------------


def test_change_annotation_is_the_results_fields_formatted():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000, deff=1.6666667)
    text = plot_change(test).surveykit_difference_axes.texts[0].get_text()
    assert text == (
        f"{format_points(test.estimate)} percentage points\n"
        f"p = {sk._core.formatting.format_pvalue(test.pvalue)} "
        f"({test.method}, deff {format_deff(test.deff)})\nsignificant at 5%"
    )
    assert "1.6666667" not in text and "deff 1.67" in text
    # the verdict's level is the interval's, and can be given by name
    diff = sk.difference_ci(0.49, 1000, 0.43, 1000, deff=1.6666667, confidence_level=0.9)
    ax = plot_change(test, interval=diff)
    assert "significant at 10%" in ax.surveykit_difference_axes.texts[0].get_text()
    ax = plot_change(test, significance_level=0.001)
    assert "not significant at 0.1%" in ax.surveykit_difference_axes.texts[0].get_text()


def test_change_of_zero_reads_zero_not_minus_zero():
    test = sk.two_proportion_test(0.43, 1000, 0.4304, 1000)
    assert change_label(None, test, 0.05).startswith("0.0 percentage points")


def test_alpha_in_kwargs_is_transparency():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000)
    ax = plot_change(test, alpha=0.3)
    assert ax.containers[0].lines[0].get_alpha() == 0.3
    assert "significant at 5%" in ax.surveykit_difference_axes.texts[0].get_text()
    ax = plot_intervals(sk.proportion_ci([0.3, 0.5], 100), alpha=0.3, ax=plt.figure().subplots())
    assert all(line.get_alpha() == 0.3 for line in ax.containers[0].lines[2])
    n = np.arange(10, 200)
    ax = plot_sensitivity(
        sk.two_proportion_test(0.55, n, 0.32, n), x="n1", alpha=0.3, ax=plt.figure().subplots()
    )
    assert ax.lines[0].get_alpha() == 0.3
    ax = plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30), alpha=0.3)
    assert ax.lines[0].get_alpha() == 0.3
    polls = sk.load_dataset("russia_war_polls")
    ax = plot_trend(polls, option="start peace talks", alpha=0.3, ax=plt.figure().subplots())
    assert ax.containers[0].lines[0].get_alpha() == 0.3


def test_significance_level_has_its_own_name():
    n = np.arange(10, 200)
    ax = plot_sensitivity(
        sk.two_proportion_test(0.55, n, 0.32, n), x="n1", significance_level=0.01
    )
    assert any(np.allclose(line.get_ydata(), 0.01) for line in ax.lines[1:])
    assert any(t.get_text() == "significance level 1%" for t in ax.texts)


# --------------------------------------------------------------------------------------
# Nothing outside the figure
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [None, "constrained", "tight"])
def test_plot_posterior_keeps_both_panels_inside_the_figure(layout):
    fig = plt.figure(layout=layout)
    ax = plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30), ax=fig.subplots())
    fig.savefig(io.BytesIO(), format="png")
    assert len(fig.axes) == 2 and ax.surveykit_change_axes in fig.axes
    for each in fig.axes:
        x0, y0, x1, y1 = each.get_position().extents
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    upper, lower = ax.get_position(), ax.surveykit_change_axes.get_position()
    assert lower.y1 < upper.y0  # the change below the waves, not on them
    renderer = fig.canvas.get_renderer()
    inside = fig.bbox.padded(1)
    for each in fig.axes:
        box = each.get_tightbbox(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1


def test_plot_posterior_on_a_free_axes_stays_in_its_place():
    fig = plt.figure()
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30), ax=ax)
    for each in fig.axes:
        _x0, y0, _x1, y1 = each.get_position().extents
        assert 0.1 - 1e-9 <= y0 and y1 <= 0.9 + 1e-9


# --------------------------------------------------------------------------------------
# Critical-n labels
# --------------------------------------------------------------------------------------


def sensitivity_lines():
    """p-value curves of eight comparisons, several with close critical n."""
    pairs = [(0.81, 0.74), (0.74, 0.7), (0.76, 0.72), (0.72, 0.73), (0.73, 0.71), (0.5, 0.45),
             (0.52, 0.48), (0.55, 0.5)]  # fmt: skip
    n = np.unique(np.geomspace(5, 80_000, 200).round())
    frames, critical = [], {}
    for p1, p2 in pairs:
        name = f"{p1:.0%} vs {p2:.0%}"
        test = sk.two_proportion_test(p1, n, p2, n)
        frames.append(pd.DataFrame({"n": n, "pvalue": test.pvalue, "comparison": name}))
        critical[name] = float(sk.critical_n(p1, p2))
    return pd.concat(frames, ignore_index=True), critical


def overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("make", ["pyplot", "figure"])
def test_critical_n_labels_overlap_neither_each_other_nor_the_lines(make):
    frame, critical = sensitivity_lines()
    if make == "pyplot":
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
    else:  # as the report makes its figures: no pyplot, a layout engine
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = Figure(figsize=(7.5, 4.2), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.subplots()
    plot_sensitivity(frame, hue="comparison", critical=critical, ax=ax)
    ax.set_title("How the verdict depends on the unknown sample size")
    fig.savefig(io.BytesIO(), format="png")
    renderer = fig.canvas.get_renderer()
    labels = ax.surveykit_critical_labels
    assert sorted(t.get_text() for t in labels) == sorted(
        f"n = {format_n(v)}" for v in critical.values()
    )
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b)
    frame_box = ax.get_window_extent(renderer)
    band_foot = frame_box.y1 - ax.surveykit_critical_band * frame_box.height
    for box in boxes:  # inside the axes, in the band above every curve and line
        assert frame_box.x0 <= box.x0 and box.x1 <= frame_box.x1
        assert band_foot - 0.5 <= box.y0 and box.y1 <= frame_box.y1
    for line in ax.lines:
        if line.get_linestyle() == ":":  # a critical n: its dotted line ends at the band
            assert max(line.get_ydata()) == pytest.approx(1 - ax.surveykit_critical_band)
        else:  # the curves and the significance line are clipped below the band
            clip = line.get_clip_box()
            assert clip is not None and clip.y1 <= band_foot + 0.5, line.get_label()
    title = ax.title.get_window_extent(renderer)
    assert not any(overlaps(title, box) for box in boxes)


def test_critical_n_labels_follow_a_later_change_of_scale():
    frame, critical = sensitivity_lines()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    plot_sensitivity(frame, hue="comparison", critical=critical, ax=ax, xscale="linear")
    ax.set_xscale("log")  # the report used to do this after the plot
    fig.savefig(io.BytesIO(), format="png")
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.surveykit_critical_labels]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_heatmap_axes_are_labelled_in_words():
    frame = sk.sensitivity(0.55, 0.32, n1=[20, 40, 80], deff=[1.0, 2.0])
    ax = plot_sensitivity(frame, x="n1", y="deff", kind="heatmap")
    assert ax.get_xlabel() == "assumed sample size of the later poll (n1)"
    assert ax.get_ylabel() == "design effect (deff)"
    assert ax.figure.axes[-1].get_ylabel() == "p-value"


# --------------------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------------------


def trend_frame():
    polls = sk.load_dataset("russia_war_polls")
    ci = sk.proportion_ci(polls["proportion"], polls["n"])
    return polls.assign(ci_low=ci.ci_low, ci_high=ci.ci_high)


def test_plot_trend_draws_exactly_the_frames_intervals_and_published_moe():
    polls = trend_frame()
    # a published +-4 points is drawn as +-4 points, whatever the interval says
    polls.loc[polls.poll_id == "levada-2023-11", "moe"] = 0.04
    ax = plot_trend(polls, option="start peace talks")
    part = polls[polls.option == "start peace talks"]
    drawn = np.concatenate(
        [[(s[0][1], s[1][1]) for s in c.lines[2][0].get_segments()] for c in ax.containers]
    )
    known = part.dropna(subset=["ci_low"])
    for low, high in zip(known.ci_low, known.ci_high, strict=True):
        assert ((drawn[:, 0] == low) & (drawn[:, 1] == high)).any()
    bars = [c for c in ax.collections if c.get_linewidth()[0] == 7]
    spans = np.concatenate([[seg[:, 1] for seg in c.get_segments()] for c in bars])
    with_moe = part.dropna(subset=["moe"])
    assert len(spans) == len(with_moe)
    row = with_moe[with_moe.poll_id == "levada-2023-11"].iloc[0]
    assert [row.proportion - 0.04, row.proportion + 0.04] in spans.tolist()
    assert "pale bar: published margin of error" in [
        t.get_text() for t in ax.get_legend().get_texts()
    ]
    ax = plot_trend(polls, option="start peace talks", moe=False, ax=plt.figure().subplots())
    assert not [c for c in ax.collections if c.get_linewidth()[0] == 7]
    with pytest.raises(sk.SurveyKitError, match=r"moe=True.*'moe' column"):
        plot_trend(polls.drop(columns="moe"), moe=True)


def test_plot_trend_does_not_join_polls_across_long_gaps():
    polls = trend_frame()
    ax = plot_trend(polls, option="start peace talks", max_gap="90D")
    joined = [ln for ln in ax.lines if ln.get_linestyle() == "-"]
    assert len(joined) == 3  # one line per pollster
    for line in joined:
        x = pd.to_datetime(np.asarray(line.get_xdata()))
        y = np.asarray(line.get_ydata(), dtype=float)
        points = x[~np.isnan(y)]
        pieces = np.split(np.arange(len(y)), np.flatnonzero(np.isnan(y)))
        for piece in pieces:
            piece = [i for i in piece if not np.isnan(y[i])]
            steps = np.diff(x[piece])
            assert (steps <= pd.Timedelta(days=90)).all()
        breaks = np.diff(points) > pd.Timedelta(days=90)
        assert np.isnan(y).sum() == breaks.sum()
    # Russian Field polled about once a year: never joined; everything joined on request
    ax = plot_trend(polls, option="start peace talks", max_gap=None, ax=plt.figure().subplots())
    assert not any(np.isnan(np.asarray(ln.get_ydata(), float)).any() for ln in ax.lines)
    with pytest.raises(sk.SurveyKitError, match="max_gap must be a positive time"):
        plot_trend(polls, max_gap="soon")


def test_plot_trend_legend_explains_its_markers():
    ax = plot_trend(trend_frame().assign(confidence_level=0.95), option="start peace talks")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "filled marker, bar: 95% interval" in labels
    assert "open marker: no interval (n not published)" in labels
    assert "line: polls ≤ 90 days apart" in labels


# --------------------------------------------------------------------------------------
# Rows, histograms, coverage lines
# --------------------------------------------------------------------------------------


def test_plot_intervals_keeps_a_lone_scenario_on_its_row_label():
    assumed = [
        sk.proportion_ci([0.325, 0.55], n)
        .to_frame()
        .assign(figure=["A", "B"], scenario=f"n = {n}")
        for n in (400, 1600)
    ]
    published = sk.proportion_ci(0.425, 1000).to_frame().assign(figure="C", scenario="published n")
    ax = plot_intervals(pd.concat([*assumed, published]), y="figure", hue="scenario")
    rows = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    lone = ax.containers[2].lines[0]
    assert np.asarray(lone.get_ydata(), float).tolist() == [rows["C"]]
    spread = np.concatenate([np.asarray(c.lines[0].get_ydata(), float) for c in ax.containers[:2]])
    assert sorted(spread) == pytest.approx([-0.175, 0.175, 1 - 0.175, 1 + 0.175])


def test_histogram_bins_are_centred_on_the_possible_shares():
    from surveykit.planning.simulate import simulate_polls

    polls = simulate_polls(0.55, 400, size=2000, seed=1)
    ax = plot_simulated_polls(polls)
    edges = np.array(
        [p.get_x() for p in ax.patches] + [ax.patches[-1].get_x() + ax.patches[-1].get_width()]
    )
    assert np.allclose(edges * 400 + 0.5, np.round(edges * 400 + 0.5), atol=1e-9)
    heights = [p.get_height() for p in ax.patches]
    counts = polls["count"].value_counts()
    for patch, height in zip(ax.patches, heights, strict=True):
        k = round(patch.get_x() * 400 + 0.5)
        assert height == counts.get(k, 0)
    assert ax.get_legend().get_texts()[0].get_text() == "truth 55%"
    with pytest.raises(sk.SurveyKitError, match="several values of 'n'"):
        plot_simulated_polls(pd.concat([polls, simulate_polls(0.55, 100, size=5, seed=1)]))


def test_plot_coverage_refuses_a_zigzag_across_another_share():
    from surveykit.planning.coverage import difference_interval_performance

    grid = difference_interval_performance(20, p1=[0.3, 0.3, 0.5, 0.5], p2=[0.3, 0.4, 0.3, 0.4])
    with pytest.raises(sk.SurveyKitError, match=r"several values of 'p2'.*hue='p2'"):
        plot_coverage(grid, x="p1")
    ax = plot_coverage(grid, x="p1", hue="p2")
    assert [line.get_label() for line in ax.get_lines()] == ["p2 = 30%", "p2 = 40%", "nominal 95%"]
    assert all(np.all(np.diff(line.get_xdata()) > 0) for line in ax.get_lines()[:2])


def test_plot_power_labels_effects_exactly_and_refuses_a_zigzag():
    from surveykit.planning.power import power_curve

    curves = power_curve(np.array([[0.345], [0.42]]), [100, 200], 0.32)
    ax = plot_power(curves)
    assert ax.get_lines()[0].get_label() == "34.5% vs 32.0% (2.5 percentage points)"
    mixed = pd.concat([power_curve(0.42, [100, 200], 0.32, n2=m) for m in (100, 400)])
    with pytest.raises(sk.SurveyKitError, match="several values of 'n2'"):
        plot_power(mixed, ax=plt.figure().subplots())


# --------------------------------------------------------------------------------------
# Descriptions for alt text
# --------------------------------------------------------------------------------------


def test_describe_figure_says_what_each_plot_drew():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000, deff=1.6666667)
    fig = Figure()
    plot_change(test, ax=fig.subplots())
    text = describe_figure(fig)
    assert "+6.0 percentage points" in text and "deff 1.67" in text and "significant at 5%" in text
    fig = Figure()
    ax = fig.subplots()
    plot_trend(trend_frame(), option="start peace talks", ax=ax)
    ax.set_title("Peace talks")
    text = describe_figure(fig)
    assert text.startswith("Peace talks. 'start peace talks' over time: 21 polls")
    fig = Figure()
    plot_posterior(sk.posterior_change(0.55, 30, 0.32, 30), ax=fig.subplots())
    assert "P(increase) = " in describe_figure(fig)
    assert describe_figure(fig) == describe_figure(fig.axes[0])
    fig = Figure()
    other = fig.subplots()
    other.plot([1, 2])
    other.set_xlabel("year")
    other.set_ylabel("share")
    assert describe_figure(fig) == "share against year"
