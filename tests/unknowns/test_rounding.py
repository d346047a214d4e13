"""Tests of surveykit.rounding: bounds over the true values behind rounded shares."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference import two_sample_tests as compare
from surveykit.inference.difference import difference_ci
from surveykit.inference.within_poll import option_difference_ci, option_difference_test
from surveykit.unknowns.critical import critical_n
from surveykit.unknowns.rounding import rounding_bounds, rounding_interval


def _fine_grid(p1, p2, half, size=201):
    t = np.linspace(-half, half, size)
    a, b = np.meshgrid(p1 + t, p2 + t, indexing="ij")
    return np.clip(a.ravel(), 0, 1), np.clip(b.ravel(), 0, 1)


def test_rounding_interval():
    low, high = rounding_interval(0.32)
    assert_allclose([low, high], [0.315, 0.325], rtol=1e-14)
    low, high = rounding_interval(np.array([0.0, 0.553]), published_decimals=1)
    assert_allclose(low, [0.0, 0.5525], rtol=1e-12)
    assert_allclose(high, [0.0005, 0.5535], rtol=1e-12)


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_estimate_bounds_exact(decimals):
    rb = rounding_bounds(0.55, 0.32, published_decimals=decimals)
    width = 10.0 ** -(decimals + 2)
    assert_allclose([rb.estimate_min, rb.estimate_max], [0.23 - width, 0.23 + width], rtol=1e-12)
    assert np.isnan(rb.pvalue_max) and np.isnan(rb.ci_low_min)  # no n: no test


@pytest.mark.parametrize(
    ("p1", "p2", "n1", "n2", "deff"),
    [
        (0.55, 0.32, 100, 100, 1.0),
        (0.55, 0.32, 400, 250, 2.0),
        (0.12, 0.08, 900, 1100, 1.3),
        (0.01, 0.0, 500, 500, 1.0),
    ],
)
def test_two_polls_match_fine_grid(p1, p2, n1, n2, deff):
    # Brute force: a 201 x 201 grid over the box, through the public functions.
    rb = rounding_bounds(p1, p2, n1=n1, n2=n2, deff=deff)
    a, b = _fine_grid(p1, p2, 0.005)
    pv = compare.two_proportion_test(a, n1, b, n2, deff=deff).pvalue
    ci = difference_ci(a, n1, b, n2, deff=deff)
    crit = critical_n(a, b, n_ratio=n2 / n1, deff=deff)
    assert_allclose([rb.pvalue_min, rb.pvalue_max], [pv.min(), pv.max()], rtol=1e-9)
    assert_allclose(
        [rb.ci_low_min, rb.ci_low_max], [ci.ci_low.min(), ci.ci_low.max()], rtol=1e-9, atol=1e-15
    )
    assert_allclose(
        [rb.ci_high_min, rb.ci_high_max], [ci.ci_high.min(), ci.ci_high.max()], rtol=1e-9
    )
    assert [rb.critical_n_min, rb.critical_n_max] == [crit.min(), crit.max()]
    assert rb.pvalue == compare.two_proportion_test(p1, n1, p2, n2, deff=deff).pvalue


@pytest.mark.parametrize("method", ["wald", "score"])
def test_within_matches_fine_grid(method):
    rb = rounding_bounds(0.55, 0.25, n1=200, within=True, method=method, ci_method=method)
    a, b = _fine_grid(0.55, 0.25, 0.005)
    pv = option_difference_test(a, b, 200, method=method).pvalue
    ci = option_difference_ci(a, b, 200, method=method)
    crit = critical_n(a, b, within=True, method=method)
    assert_allclose([rb.pvalue_min, rb.pvalue_max], [pv.min(), pv.max()], rtol=1e-9)
    assert_allclose(
        [rb.ci_low_min, rb.ci_high_max], [ci.ci_low.min(), ci.ci_high.max()], rtol=1e-9
    )
    assert [rb.critical_n_min, rb.critical_n_max] == [crit.min(), crit.max()]


def test_within_box_respects_sum():
    # 55% + 45% = 100%: true values with p1 + p2 > 1 are impossible and left out.
    rb = rounding_bounds(0.55, 0.45, n1=100, within=True)
    a, b = _fine_grid(0.55, 0.45, 0.005)
    keep = a + b <= 1 + 1e-12
    pv = option_difference_test(a[keep], b[keep], 100).pvalue
    assert_allclose([rb.pvalue_min, rb.pvalue_max], [pv.min(), pv.max()], rtol=1e-9)


@pytest.mark.skipif("fisher" not in compare.TWO_PROPORTION_TEST_METHODS, reason="no fisher")
def test_exact_test_every_count():
    # Brute force over every whole count the box allows: round(n p) for p in the box.
    n = 100
    rb = rounding_bounds(0.55, 0.32, n1=n, method="fisher")
    c1 = np.arange(np.round(n * 0.545), np.round(n * 0.555) + 1)
    c2 = np.arange(np.round(n * 0.315), np.round(n * 0.325) + 1)
    x1, x2 = (g.ravel() for g in np.meshgrid(c1, c2))
    pv = compare.two_proportion_test(x1 / n, n, x2 / n, n, method="fisher").pvalue
    assert_allclose([rb.pvalue_min, rb.pvalue_max], [pv.min(), pv.max()], rtol=1e-12)


@pytest.mark.skipif("fisher" not in compare.TWO_PROPORTION_TEST_METHODS, reason="no fisher")
def test_exact_test_every_count_large_n():
    # n h = 12.5 > 10: the p-value grid is refined so that every count is reached.
    n = 2500
    rb = rounding_bounds(0.40, 0.32, n1=n, method="fisher")
    c1 = np.arange(np.round(n * 0.395), np.round(n * 0.405) + 1)
    c2 = np.arange(np.round(n * 0.315), np.round(n * 0.325) + 1)
    x1, x2 = (g.ravel() for g in np.meshgrid(c1, c2))
    pv = compare.two_proportion_test(x1 / n, n, x2 / n, n, method="fisher").pvalue
    assert_allclose([rb.pvalue_min, rb.pvalue_max], [pv.min(), pv.max()], rtol=1e-12)
    # the critical n of a searched method is bounded over the corners of the box
    corners = critical_n(
        np.array([0.395, 0.395, 0.405, 0.405]), np.array([0.315, 0.325, 0.315, 0.325]),
        method="fisher",
    )  # fmt: skip
    assert [rb.critical_n_min, rb.critical_n_max] == [corners.min(), corners.max()]


def _kwargs():
    params = inspect.signature(compare.two_proportion_test).parameters
    return {"round_counts": True} if "round_counts" in params else {}


@settings(max_examples=60, deadline=None)
@given(
    p1=st.integers(1, 99),
    p2=st.integers(1, 99),
    n=st.integers(20, 3000),
    deff=st.floats(1, 3),
    u=st.floats(-0.5, 0.5),
    v=st.floats(-0.5, 0.5),
)
def test_bounds_contain_unrounded_answer(p1, p2, n, deff, u, v):
    # Any true shares that round to the published ones give values inside the bounds.
    rb = rounding_bounds(p1 / 100, p2 / 100, n1=n, deff=deff)
    a, b = (p1 + u) / 100, (p2 + v) / 100
    pv = compare.two_proportion_test(a, n, b, n, deff=deff).pvalue
    ci = difference_ci(a, n, b, n, deff=deff)
    tol = 1e-9
    assert rb.estimate_min - tol <= a - b <= rb.estimate_max + tol
    assert rb.pvalue_min * (1 - tol) - 1e-300 <= pv <= rb.pvalue_max * (1 + tol) + 1e-300
    assert rb.ci_low_min - tol <= ci.ci_low <= rb.ci_low_max + tol
    assert rb.ci_high_min - tol <= ci.ci_high <= rb.ci_high_max + tol
    assert rb.critical_n_min <= critical_n(a, b, deff=deff) <= rb.critical_n_max
    assert rb.significant_worst == (rb.pvalue_max < 0.05)


def test_vectorised_and_series():
    p1 = pd.Series([0.55, 0.40], index=["talks", "other"])
    rb = rounding_bounds(p1, 0.32, n1=np.array([100, 400]))
    assert isinstance(rb.pvalue_max, pd.Series)
    frame = rb.to_frame()
    assert list(frame.index) == ["talks", "other"] and len(frame) == 2
    one = rounding_bounds(0.40, 0.32, n1=400)
    assert_allclose(rb.pvalue_max["other"], one.pvalue_max, rtol=1e-14)
    assert "RoundingBounds" in repr(one) and "<table" in one._repr_html_()


def test_worst_case_can_lose_significance():
    # 40% vs 35% with 1,000 each: significant as published, not in the worst case.
    rb = rounding_bounds(0.40, 0.35, n1=1000)
    assert rb.pvalue < 0.05 and rb.significant_best and not rb.significant_worst


def test_nan_propagates():
    rb = rounding_bounds(np.array([0.55, np.nan]), 0.32, n1=100)
    assert np.isnan(rb.pvalue_max[1]) and np.isnan(rb.estimate_min[1])
    assert np.isfinite(rb.pvalue_max[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"published_decimals": 0.5},
            r"published_decimals must be .*a whole number from 0 to 6, got 0\.5",
        ),
        ({"published_decimals": 9}, r"published_decimals must be .*from 0 to 6, got 9"),
        ({"resolution": 1}, r"resolution must be a whole number from 2 to 1,001, got 1"),
        ({"resolution": 2.5}, r"resolution must be a whole number"),
        ({"within": 1}, r"within must be True or False, got 1"),
        ({"n2": 100}, r"n1 must be given when n2 is"),
        ({"n1": 100, "n2": 100, "within": True}, r"n2 must be None with within=True"),
        ({"n1": -4}, r"n1 must be a positive, finite sample size, got -4"),
        ({"alpha": 0}, r"alpha must be a significance level"),
        ({"method": "z"}, r"method must be one of"),
        ({"n1": 100, "ci_method": "exact"}, r"method must be one of"),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        rounding_bounds(0.55, 0.32, **kwargs)


def test_percent_hint():
    with pytest.raises(SurveyKitError, match=r"p1 must be between 0 and 1, got 55"):
        rounding_bounds(55, 32)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n1": 100, "ci_method": "wilson-cc"}, r"ci_method must be one of .*; got 'wilson-cc'"),
        ({"n1": 100, "ci_method": 0}, r"ci_method must be one of .*; got 0"),
        ({"method": 0}, r"method must be one of .*; got 0"),
        ({"p1": []}, r"p1 must hold at least one value, got an empty array"),
        ({"n1": []}, r"n1 must hold at least one value"),
        ({"deff": []}, r"deff must hold at least one value"),
    ],
)
def test_errors_malformed(kwargs, match):
    args = {"p1": 0.55, "p2": 0.32}
    args.update(kwargs)
    with pytest.raises(SurveyKitError, match=match):
        rounding_bounds(**args)
