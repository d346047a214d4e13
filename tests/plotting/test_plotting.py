"""Plots: the plotted data, not pixels (Agg backend; figures closed by conftest)."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._core.formatting import format_pvalue
from surveykit.plotting import plot_change, plot_intervals, plot_sensitivity, plot_trend
from surveykit.plotting.change import change_label


def errorbar_data(ax, k=0):
    """(x, y, xerr/yerr segments) of the k-th errorbar container on ax."""
    container = ax.containers[k]
    line = container.lines[0]
    return line.get_xdata(), line.get_ydata(), container.lines[2][0].get_segments()


def test_plot_intervals_draws_each_estimate_and_interval():
    ci = sk.proportion_ci([0.32, 0.55, 0.25], 400)
    ax = plot_intervals(ci)
    x, y, segments = errorbar_data(ax)
    np.testing.assert_allclose(x, ci.estimate)
    np.testing.assert_allclose([s[0][0] for s in segments], ci.ci_low)
    np.testing.assert_allclose([s[1][0] for s in segments], ci.ci_high)
    np.testing.assert_allclose(y, [0, 1, 2])
    assert ax.xaxis.get_major_formatter()(0.5) == "50%"


def test_plot_intervals_with_hue_and_labels():
    frame = pd.concat(
        [
            sk.proportion_ci([0.32, 0.55], n, method=m).to_frame().assign(figure=["Jul", "Nov"])
            for n in (400, 1600)
            for m in ("wilson",)
        ]
    )
    ax = plot_intervals(frame, y="figure", hue="n")
    assert len(ax.containers) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Jul", "Nov"]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["n = 400", "n = 1,600"]


def test_plot_intervals_uses_current_axes_and_passes_kwargs():
    _fig, ax = plt.subplots()
    out = plot_intervals(sk.proportion_ci(0.5, 100), color="red")
    assert out is ax
    assert mpl.colors.same_color(ax.containers[0].lines[0].get_color(), "red")


def test_result_plot_method():
    _fig, ax = plt.subplots()
    assert sk.proportion_ci(0.55, 1600).plot(ax=ax) is ax
    ax2 = sk.two_proportion_test(0.55, 400, 0.32, 400).plot()
    assert hasattr(ax2, "surveykit_difference_axes")
    with pytest.raises(sk.SurveyKitError, match="no plot of its own"):
        sk.option_difference_test(0.55, 0.25, 100).plot()


def test_plot_change_waves_and_difference():
    test = sk.two_proportion_test(0.55, 400, 0.32, 400)
    diff = sk.difference_ci(0.55, 400, 0.32, 400)
    ci = sk.proportion_ci([0.32, 0.55], 400)
    ax = plot_change(test, interval=diff, waves=ci)
    _x, y, segments = errorbar_data(ax)
    np.testing.assert_allclose(y, [0.32, 0.55])
    np.testing.assert_allclose([s[0][1] for s in segments], ci.ci_low)
    right = ax.surveykit_difference_axes
    _, dy, dseg = errorbar_data(right)
    np.testing.assert_allclose(np.asarray(dy, dtype=float), [diff.estimate])
    np.testing.assert_allclose([dseg[0][0][1], dseg[0][1][1]], [diff.ci_low, diff.ci_high])
    assert any("significant" in t.get_text() for t in right.texts)


def test_plot_change_annotates_the_results_pvalue_with_its_design_effect():
    # the plot used to re-run the test without the design effect (p = 0.007, not 0.037)
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000, deff=1.67)
    ax = plot_change(test)
    text = ax.surveykit_difference_axes.texts[0].get_text()
    assert f"p = {format_pvalue(test.pvalue)} " in text
    assert format_pvalue(test.pvalue) == "0.037"
    assert "deff 1.67" in text and "z-pooled" in text
    assert text == change_label(None, test, 0.05)
    assert "0.007" not in text
    # the change drawn is the result's own estimate
    _, dy, _ = errorbar_data(ax.surveykit_difference_axes)
    np.testing.assert_allclose(np.asarray(dy, dtype=float), [test.estimate])
    # the waves are the result's echoed shares, first wave first
    _, y, _ = errorbar_data(ax)
    np.testing.assert_allclose(y, [test.p2, test.p1])


def test_plot_change_verdict_uses_alpha_or_the_intervals_level():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000, deff=1.67)
    assert "not significant at 1%" in change_label(None, test, 0.01)
    diff = sk.difference_ci(0.49, 1000, 0.43, 1000, deff=1.67, confidence_level=0.99)
    ax = plot_change(test, interval=diff)
    assert "not significant at 1%" in ax.surveykit_difference_axes.texts[0].get_text()


def test_plot_change_of_an_interval_shows_its_level_and_bounds():
    diff = sk.difference_ci(0.49, 1000, 0.43, 1000, deff=1.67, confidence_level=0.9)
    ax = plot_change(diff)
    text = ax.surveykit_difference_axes.texts[0].get_text()
    assert text == (
        f"{100 * diff.estimate:+.1f} percentage points\n90% CI {100 * diff.ci_low:+.1f} to "
        f"{100 * diff.ci_high:+.1f}"
    )


def test_plot_change_refuses_mismatched_results():
    test = sk.two_proportion_test(0.49, 1000, 0.43, 1000)
    with pytest.raises(sk.SurveyKitError, match="about the same change"):
        plot_change(test, interval=sk.difference_ci(0.55, 1000, 0.43, 1000))
    with pytest.raises(sk.SurveyKitError, match="interval must be a difference_ci result"):
        plot_change(test, interval=sk.proportion_ci(0.5, 10))


def test_plot_change_from_polls_draws_the_frames_intervals():
    fso = sk.load_dataset()
    talks = fso[fso.option == "start peace talks"]
    with pytest.raises(sk.SurveyKitError, match="lacks the column"):
        plot_change(talks.drop(columns="proportion"))
    ci = sk.proportion_ci(talks["proportion"].to_numpy(), 800)
    waves = talks.assign(ci_low=ci.ci_low, ci_high=ci.ci_high)
    first, last = talks["proportion"].iloc[0], talks["proportion"].iloc[-1]
    test = sk.two_proportion_test(last, 800, first, 800)
    ax = plot_change(waves, test=test)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["fso-2022-07", "fso-2022-11"]
    _, _, segments = errorbar_data(ax)
    np.testing.assert_allclose([s[0][1] for s in segments], ci.ci_low)
    assert format_pvalue(test.pvalue) in ax.surveykit_difference_axes.texts[0].get_text()


def test_plot_sensitivity_line_marks_alpha_and_critical_n():
    n = np.arange(10, 200)
    test = sk.two_proportion_test(0.55, n, 0.32, n)
    ax = plot_sensitivity(test, x="n1", critical=36)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), n)
    np.testing.assert_allclose(line.get_ydata(), test.pvalue)
    assert ax.get_yscale() == "log"
    xs = [ln.get_xdata()[0] for ln in ax.lines[1:]]
    ys = [ln.get_ydata()[0] for ln in ax.lines[1:]]
    assert 36 in xs and 0.05 in ys


def test_plot_sensitivity_heatmap():
    from surveykit.unknowns.sensitivity import sensitivity

    frame = sensitivity(0.55, 0.32, n1=[20, 40, 80], deff=[1.0, 2.0])
    ax = plot_sensitivity(frame, x="n1", y="deff", kind="heatmap")
    mesh = ax.collections[0]
    values = np.asarray(mesh.get_array()).reshape(2, 3)
    expected = frame.pivot_table(index="deff", columns="n1", values="pvalue").to_numpy()
    np.testing.assert_allclose(values, expected)
    with pytest.raises(sk.SurveyKitError, match="kind must be one of 'line', 'heatmap'"):
        plot_sensitivity(frame, kind="heat")


def test_plot_trend_draws_the_frames_intervals():
    polls = sk.load_dataset("russia_war_polls")
    ci = sk.proportion_ci(polls["proportion"], polls["n"])
    polls = polls.assign(ci_low=ci.ci_low, ci_high=ci.ci_high)
    ax = plot_trend(polls, option="start peace talks")
    part = polls[polls.option == "start peace talks"]
    drawn = np.concatenate(
        [[seg[0][1] for seg in c.lines[2][0].get_segments()] for c in ax.containers]
    )
    known = part["ci_low"].dropna().to_numpy()
    assert np.isin(np.round(known, 12), np.round(drawn, 12)).all()


def test_plot_trend_one_colour_per_pollster():
    polls = sk.load_dataset("russia_war_polls")
    ax = plot_trend(polls, option="start peace talks")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == [
        "Levada Center",
        "FSO (Kremlin-commissioned, leaked via Meduza)",
        "Russian Field",
    ]
    colours = {
        tuple(c.lines[0].get_color())
        if not isinstance(c.lines[0].get_color(), str)
        else c.lines[0].get_color()
        for c in ax.containers
    }
    assert len(colours) == 3
    with pytest.raises(sk.SurveyKitError, match="option must be one of"):
        plot_trend(polls, option="peace")


def test_plots_reject_wrong_data():
    with pytest.raises(sk.SurveyKitError, match="lacks the column"):
        plot_intervals(pd.DataFrame({"x": [1]}))
    with pytest.raises(sk.SurveyKitError, match="result or a DataFrame"):
        plot_intervals([1, 2, 3])


def test_importing_plotting_changes_no_global_style():
    before = dict(mpl.rcParams)
    import importlib

    import surveykit.plotting

    importlib.reload(surveykit.plotting)
    assert dict(mpl.rcParams) == before


def test_plot_posterior_densities_and_probability_of_increase():
    from surveykit.inference.bayes import posterior_change
    from surveykit.plotting import plot_posterior

    result = posterior_change(0.55, 30, 0.32, 30)
    ax = plot_posterior(result)
    before, after = ax.lines[0], ax.lines[1]
    x = before.get_xdata()
    for line in (before, after):
        np.testing.assert_allclose(np.trapezoid(line.get_ydata(), x), 1.0, atol=1e-6)
    # the posterior mean of each wave, from the plotted density (Jeffreys prior)
    mean_after = np.trapezoid(x * after.get_ydata(), x)
    assert mean_after == pytest.approx((0.5 + 0.55 * 30) / 31, abs=1e-6)
    change = ax.surveykit_change_axes.lines[0]
    d, dens = change.get_xdata(), change.get_ydata()
    np.testing.assert_allclose(np.trapezoid(dens, d), 1.0, atol=1e-4)
    shaded = np.trapezoid(np.where(d > 0, dens, 0), d)
    assert shaded == pytest.approx(result.prob_increase, abs=2e-3)
    assert f"{result.prob_increase:.3f}" in ax.surveykit_change_axes.texts[0].get_text()
    with pytest.raises(sk.SurveyKitError, match="posterior_change"):
        plot_posterior(sk.proportion_ci(0.5, 10))


def test_plot_posterior_draws_the_densities_of_the_statistics_layer():
    from surveykit.inference.bayes import change_density, posterior_change, posterior_densities
    from surveykit.plotting import plot_posterior

    result = posterior_change(0.55, [20, 60, 200], 0.32, [20, 60, 200])
    dens = posterior_densities(result, n1=[20, 60, 200], n2=[20, 60, 200])
    ax = plot_posterior(result, densities=dens)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), dens["earlier"])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), dens["later"])
    change = change_density(dens)
    np.testing.assert_array_equal(ax.surveykit_change_axes.lines[0].get_ydata(), change["density"])
    shaded = np.trapezoid(np.where(change["change"] > 0, change["density"], 0), change["change"])
    assert shaded == pytest.approx(result.prob_increase, abs=2e-3)
    with pytest.raises(sk.SurveyKitError, match="points must be"):
        posterior_densities(result, points=1)


def test_plotting_modules_hold_no_statistics():
    """Plots import nothing from the statistical layers at module level and call no test,
    interval or density themselves (the figures draw the results they are given)."""
    import ast
    from pathlib import Path

    import surveykit.plotting

    folder = Path(surveykit.plotting.__file__).parent
    allowed = {"surveykit.inference.bayes": {"change_density", "posterior_densities"}}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("surveykit.inference", "surveykit.unknowns", "surveykit.planning")
            ):
                names = {alias.name for alias in node.names}
                assert names <= allowed.get(node.module, set()), (path.name, node.module, names)
            assert not (isinstance(node, ast.Import) and "scipy" in ast.dump(node)), path.name
            assert not (
                isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scipy")
            )
