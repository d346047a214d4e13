"""Power and coverage plots: the data drawn, labels, reference lines, errors (Agg)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.planning.coverage import interval_performance
from surveykit.planning.power import power_curve, power_two_proportions
from surveykit.plotting.planning import plot_coverage, plot_power


@pytest.fixture
def ax():
    return plt.subplots()[1]


def test_plot_power_draws_one_curve_per_effect(ax):
    n = np.arange(100, 2001, 100)
    curves = power_curve(0.32, n, np.array([[0.37], [0.42], [0.55]]))
    before = dict(matplotlib.rcParams)
    out = plot_power(curves, ax=ax, linewidth=3)
    assert out is ax
    assert dict(matplotlib.rcParams) == before
    lines = ax.get_lines()
    assert len(lines) == 4
    assert [line.get_label() for line in lines[:3]] == [
        "32% vs 37% (5 percentage points)",
        "32% vs 42% (10 percentage points)",
        "32% vs 55% (23 percentage points)",
    ]
    assert_allclose(lines[1].get_xdata(), n)
    assert_allclose(lines[1].get_ydata(), power_two_proportions(0.32, n, 0.42))
    assert lines[0].get_linewidth() == 3  # kwargs reach Axes.plot
    assert_allclose(lines[3].get_ydata(), [0.8, 0.8])  # the target line


def test_plot_power_with_hue_and_no_target(ax):
    frame = pd.DataFrame(
        {"n1": [10, 20, 10, 20], "power": [0.1, 0.2, 0.3, 0.4], "g": list("aabb")}
    )
    plot_power(frame, hue="g", target=None, ax=ax)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["g = a", "g = b"]
    assert_allclose(lines[1].get_ydata(), [0.3, 0.4])


def test_plot_power_uses_current_axes_when_none_given():
    fig, ax = plt.subplots()
    assert plot_power(power_curve(0.5, [100, 200], 0.4)) is ax
    plt.close(fig)


def test_plot_coverage_draws_exact_coverage_and_nominal_line(ax):
    frame = interval_performance(
        50, proportion=np.linspace(0.01, 0.99, 99), method=["wald", "clopper-pearson"]
    )
    plot_coverage(frame, ax=ax)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["wald", "clopper-pearson", "nominal 95%"]
    wald = frame[frame.method == "wald"]
    assert_allclose(lines[0].get_xdata(), wald.proportion)
    assert_allclose(lines[0].get_ydata(), wald.coverage)
    assert_allclose(lines[2].get_ydata(), [0.95, 0.95])
    assert min(lines[1].get_ydata()) >= 0.95


def test_plot_coverage_by_n_and_expected_length(ax):
    frame = interval_performance([20, 80], proportion=[0.1, 0.3, 0.5], method="wilson")
    plot_coverage(frame, hue="n", ax=ax, nominal=0.9)
    assert [line.get_label() for line in ax.get_lines()] == ["n = 20", "n = 80", "nominal 90%"]
    ax.clear()
    plot_coverage(frame[frame.n == 20], y="expected_length", ax=ax)
    assert len(ax.get_lines()) == 1 and ax.get_ylabel() == "expected length"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda ax: plot_power([1, 2], ax=ax), "data must be a surveykit result or a DataFrame"),
        (lambda ax: plot_power(pd.DataFrame({"n1": [1]}), ax=ax), r"lacks the column\(s\)"),
        (
            lambda ax: plot_coverage(
                interval_performance([10, 20], proportion=[0.5], method="wald"), ax=ax
            ),
            "several values of 'n'.*hue='n'",
        ),
        (
            lambda ax: plot_power(
                pd.concat([power_curve(0.5, [10], 0.4), power_curve(0.5, [10], 0.4, alpha=0.01)]),
                ax=ax,
            ),
            "several values of 'alpha'",
        ),
    ],
)
def test_plot_errors(ax, call, match):
    with pytest.raises(SurveyKitError, match=match):
        call(ax)


def test_teaching_notebook_is_stored_clean_and_imports_only_the_allowed_modules():
    # tests/test_examples.py executes every notebook; here: what it may import
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "teaching_margin_of_error.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    imported = set()
    for cell in code:
        for line in "".join(cell["source"]).splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]):
                imported.add(words[1].split(".")[0])
    assert imported == {"matplotlib", "numpy", "pandas", "surveykit"}
