"""Exact coverage (surveykit.coverage): brute force, simulation, and known behaviour.

binom::binom.coverage cannot be installed here, so the exact sums are checked against
a plain double loop (one scalar interval per count) and against simulation, and the
behaviour described by Brown, Cai and DasGupta (2001, Statistical Science 16:101-133)
is checked directly: Clopper-Pearson never below nominal, Wald far below it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.difference import DIFFERENCE_CI_METHODS, difference_ci
from surveykit.inference.proportion import PROPORTION_CI_METHODS, proportion_ci
from surveykit.planning.coverage import (
    coverage,
    difference_coverage,
    difference_interval_performance,
    interval_performance,
)


def _pmf(x: int, n: int, p: float) -> float:
    return math.comb(n, x) * p**x * (1 - p) ** (n - x)


def _brute_force(method: str, n: int, p: list[float], level: float) -> list[float]:
    """One scalar interval per count, then a loop over counts for each p."""
    intervals = [
        proportion_ci(x / n, n, method=method, confidence_level=level) for x in range(n + 1)
    ]
    out = []
    for q in p:
        total = 0.0
        for x, ci in enumerate(intervals):
            if ci.ci_low <= q <= ci.ci_high:
                total += _pmf(x, n, q)
        out.append(total)
    return out


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
@pytest.mark.parametrize("n", [1, 7, 25])
def test_coverage_equals_brute_force_loop(method, n):
    p = [0.0, 0.013, 0.2, 0.5, 0.77, 0.999, 1.0]
    for level in (0.9, 0.95):
        want = _brute_force(method, n, p, level)
        assert_allclose(coverage(p, n, confidence_level=level, method=method), want, rtol=1e-12)


def test_coverage_agrees_with_simulation():
    rng = np.random.default_rng(7)
    reps, n, p = 20_000, 40, 0.3
    x = rng.binomial(n, p, reps)
    for method in ("wald", "wilson", "clopper-pearson"):
        ci = proportion_ci(x / n, n, method=method)
        simulated = np.mean((ci.ci_low <= p) & (p <= ci.ci_high))
        exact = coverage(p, n, method=method)
        assert abs(simulated - exact) < 4 * np.sqrt(exact * (1 - exact) / reps)


@pytest.mark.parametrize("n", [10, 50, 200])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_clopper_pearson_never_below_nominal_on_a_fine_grid(n, level):
    p = np.arange(1, 10_000) / 10_000
    assert coverage(p, n, confidence_level=level, method="clopper-pearson").min() >= level - 1e-12


def test_wald_at_n_50_dips_far_below_nominal():
    p = np.arange(1, 1000) / 1000
    wald = coverage(p, 50, method="wald")
    middle = (p >= 0.1) & (p <= 0.9)
    assert wald.min() < 0.1  # near 0 and 1 the interval collapses
    assert wald[middle].min() < 0.9  # and even well inside (0.1, 0.9)
    assert np.mean(wald) < 0.93
    # erratic in p: neighbouring p differ by several points
    assert np.max(np.abs(np.diff(wald[middle]))) > 0.03
    # "unlucky n": at p = 0.2 a larger poll covers less often (Brown, Cai and DasGupta)
    assert coverage(0.2, 40, method="wald") < coverage(0.2, 30, method="wald") - 0.03
    # the Wilson interval stays close to nominal in the middle
    assert coverage(p[middle], 50, method="wilson").min() > 0.92


def test_interval_performance_frame():
    frame = interval_performance([20, 50], proportion=[0.1, 0.5], method=["wald", "wilson"])
    assert list(frame.columns) == [
        "method",
        "n",
        "confidence_level",
        "proportion",
        "coverage",
        "expected_length",
        "mean_coverage",
        "min_coverage",
    ]
    assert len(frame) == 8
    row = frame[(frame.method == "wilson") & (frame.n == 50) & (frame.proportion == 0.1)].iloc[0]
    assert_allclose(row.coverage, coverage(0.1, 50, method="wilson"), rtol=1e-14)
    # expected length by brute force
    ci = proportion_ci(np.arange(51) / 50, 50, method="wilson")
    pmf = np.array([_pmf(x, 50, 0.1) for x in range(51)])
    assert_allclose(row.expected_length, np.sum(pmf * (ci.ci_high - ci.ci_low)), rtol=1e-12)
    group = frame[(frame.method == "wald") & (frame.n == 20)]
    assert_allclose(group.mean_coverage, group.coverage.mean())
    assert_allclose(group.min_coverage, group.coverage.min())
    default = interval_performance(30, method="jeffreys")
    assert len(default) == 999 and default.proportion.iloc[0] == 0.001


def test_expected_length_narrows_with_n():
    frame = interval_performance([25, 100, 400], proportion=[0.3], method="wilson")
    assert frame.expected_length.is_monotonic_decreasing


# --------------------------------------------------------------------------------------
# Difference intervals
# --------------------------------------------------------------------------------------


def _brute_force_difference(method, n1, n2, p1, p2):
    total = 0.0
    for x1 in range(n1 + 1):
        for x2 in range(n2 + 1):
            ci = difference_ci(x1 / n1, n1, x2 / n2, n2, method=method)
            if ci.ci_low <= p1 - p2 <= ci.ci_high:
                total += _pmf(x1, n1, p1) * _pmf(x2, n2, p2)
    return total


@pytest.mark.parametrize("method", DIFFERENCE_CI_METHODS)
def test_difference_coverage_equals_brute_force_loop(method):
    p1, p2 = np.array([0.1, 0.55, 0.5]), np.array([0.4, 0.32, 0.5])
    want = [_brute_force_difference(method, 6, 9, a, b) for a, b in zip(p1, p2, strict=True)]
    assert_allclose(difference_coverage(p1, 6, p2, 9, method=method), want, rtol=1e-12)


def test_difference_coverage_agrees_with_simulation():
    rng = np.random.default_rng(11)
    reps, n1, n2, p1, p2 = 20_000, 40, 60, 0.55, 0.32
    x1, x2 = rng.binomial(n1, p1, reps), rng.binomial(n2, p2, reps)
    for method in ("wald", "newcombe"):
        ci = difference_ci(x1 / n1, n1, x2 / n2, n2, method=method)
        simulated = np.mean((ci.ci_low <= p1 - p2) & (p1 - p2 <= ci.ci_high))
        exact = difference_coverage(p1, n1, p2, n2, method=method)
        assert abs(simulated - exact) < 4 * np.sqrt(exact * (1 - exact) / reps)


def test_difference_interval_performance_frame():
    frame = difference_interval_performance(20, 30, method=["wald", "newcombe"])
    assert len(frame) == 2 * 361
    assert {"p1", "p2", "difference", "coverage", "expected_length", "mean_coverage"} <= set(
        frame.columns
    )
    row = frame[(frame.method == "newcombe")].iloc[5]
    assert_allclose(row.coverage, difference_coverage(row.p1, 20, row.p2, 30, method="newcombe"))
    wald = frame[frame.method == "wald"]
    assert wald.min_coverage.iloc[0] < frame[frame.method == "newcombe"].min_coverage.iloc[0]
    given = difference_interval_performance(20, p1=[0.5, 0.6], p2=0.4, method="newcombe")
    assert_allclose(given.difference, [0.1, 0.2])


# --------------------------------------------------------------------------------------
# Shapes, NaN, errors
# --------------------------------------------------------------------------------------


def test_scalar_array_series_and_nan():
    assert isinstance(coverage(0.2, 30, method="wilson"), float)
    idx = pd.Index(["July", "November"])
    got = coverage(pd.Series([0.32, 0.55], index=idx), 30, method="wilson")
    assert isinstance(got, pd.Series) and got.index.equals(idx)
    assert_allclose(got.to_numpy(), coverage([0.32, 0.55], 30, method="wilson"))
    both = coverage([0.32, np.nan, 0.55], [[30], [60]], method="wilson")
    assert both.shape == (2, 3) and np.isnan(both[:, 1]).all()
    assert_allclose(both[1, 2], coverage(0.55, 60, method="wilson"), rtol=1e-14)
    assert np.isnan(difference_coverage([0.5, np.nan], 10, 0.3, 10, method="wald")[1])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: coverage(0.5, 10, method="wilsn"), "method must be one of.*got 'wilsn'"),
        (lambda: coverage(0.5, 10.5, method="wilson"), "n must be a whole number.*10.5"),
        (lambda: coverage(0.5, 0, method="wilson"), "n must be a positive"),
        (lambda: coverage(50, 10, method="wilson"), "proportion must be between 0 and 1, got 50"),
        (lambda: coverage(0.5, 10, confidence_level=95, method="wilson"), "pass 0.95"),
        (lambda: interval_performance(10, method=["wald", "x"]), "got 'x'"),
        (lambda: difference_coverage(0.5, 10, 0.4, 10, method="wilson"), "method must be one of"),
        (lambda: difference_coverage(0.5, 10, 0.4, 2.5, method="wald"), "n2 must be a whole"),
        (lambda: difference_coverage(1.5, 10, 0.4, 10, method="wald"), "p1 must be between"),
        (lambda: difference_interval_performance(10, p1=0.5, method="wald"), "given together"),
    ],
)
def test_errors(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()
