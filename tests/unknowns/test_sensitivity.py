"""Tests of surveykit.sensitivity: the grid of verdicts over assumed sizes and designs."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference import two_sample_tests as compare
from surveykit.inference.difference import DIFFERENCE_CI_METHODS, difference_ci
from surveykit.inference.within_poll import option_difference_ci, option_difference_test
from surveykit.unknowns.sensitivity import sensitivity

# Rscript tests/reference/sensitivity.R (output in tests/reference/sensitivity.out):
#   prop.test(c(0.55 * n, 0.32 * n), c(n, n), correct = FALSE)
R_COMMON = {
    100: (10.761875699318491, 0.0010361232242545077),
    400: (43.047502797273964, 5.3426767504484393e-11),
    1000: (107.61875699318483, 3.2578729258997309e-25),
}
#   prop.test(c(110, 96), c(200, 300), correct = FALSE)
R_UNEQUAL = (26.203685357638204, 3.0723562723352858e-07)
#   prop.test(c(110, 64), c(200, 200), correct = FALSE)  (n = 400 with deff = 2)
R_DEFF2 = (21.523751398636968, 3.494733591603246e-06)


def test_r_reference_common_n():
    grid = sensitivity(0.55, 0.32, n1=[100, 400, 1000])
    for _, row in grid.iterrows():
        x2, p = R_COMMON[int(row.n1)]
        assert_allclose(row.statistic**2, x2, rtol=1e-10)
        assert_allclose(row.pvalue, p, rtol=1e-8)
    assert_allclose(grid.n2, grid.n1)


def test_r_reference_crossed_and_deff():
    grid = sensitivity(0.55, 0.32, n1=[200, 400], n2=[300, 400], deff=[1, 2])
    row = grid[(grid.n1 == 200) & (grid.n2 == 300) & (grid.deff == 1)].iloc[0]
    # 110/200 vs 96/300 are the shares 0.55 and 0.32
    assert_allclose(row.statistic**2, R_UNEQUAL[0], rtol=1e-10)
    assert_allclose(row.pvalue, R_UNEQUAL[1], rtol=1e-8)
    row = grid[(grid.n1 == 400) & (grid.n2 == 400) & (grid.deff == 2)].iloc[0]
    assert_allclose(row.statistic**2, R_DEFF2[0], rtol=1e-10)
    assert_allclose(row.pvalue, R_DEFF2[1], rtol=1e-8)


def test_one_row_per_combination_in_order():
    grid = sensitivity(
        [0.55, 0.40],
        [0.32, 0.38],
        n1=[50, 100, 200],
        n2=[80, 90],
        deff=[1, 1.5, 2],
        confidence_level=[0.9, 0.95],
    )
    assert len(grid) == 2 * 3 * 2 * 3 * 2
    assert list(grid.columns) == [
        "p1", "p2", "n1", "n2", "deff", "confidence_level", "estimate", "ci_low",
        "ci_high", "statistic", "pvalue", "method", "ci_method", "alternative",
    ]  # fmt: skip
    expected = pd.MultiIndex.from_product(
        [[0, 1], [50, 100, 200], [80, 90], [1, 1.5, 2], [0.9, 0.95]]
    ).to_frame(index=False)
    assert_allclose(grid.n1, expected[1])
    assert_allclose(grid.n2, expected[2])
    assert_allclose(grid.deff, expected[3])
    assert_allclose(grid.confidence_level, expected[4])
    assert_allclose(grid.p1, np.where(expected[0] == 0, 0.55, 0.40))
    assert not grid.duplicated(["p1", "n1", "n2", "deff", "confidence_level"]).any()


def test_rows_equal_direct_calls():
    grid = sensitivity(
        0.55, 0.32, n1=[40, 123], n2=[60, 77], deff=[1, 1.7], confidence_level=[0.9, 0.99]
    )
    for _, row in grid.iterrows():
        test = compare.two_proportion_test(0.55, row.n1, 0.32, row.n2, deff=row.deff)
        ci = difference_ci(
            0.55, row.n1, 0.32, row.n2, deff=row.deff, confidence_level=row.confidence_level
        )
        assert_allclose([row.statistic, row.pvalue], [test.statistic, test.pvalue], rtol=1e-13)
        assert_allclose([row.ci_low, row.ci_high], [ci.ci_low, ci.ci_high], rtol=1e-13)
        assert_allclose(row.estimate, 0.55 - 0.32)


@pytest.mark.parametrize("method", compare.TWO_PROPORTION_TEST_METHODS)
def test_every_test_method(method):
    # Read the method list at collection time: whatever two_proportion_test offers.
    kwargs = {"method": method}
    if "round_counts" in inspect.signature(compare.two_proportion_test).parameters:
        kwargs["round_counts"] = True
    n = np.array([25, 60, 137])
    grid = sensitivity(0.55, 0.32, n1=n, method=method)
    direct = compare.two_proportion_test(0.55, n, 0.32, n, **kwargs)
    assert_allclose(grid.pvalue, direct.pvalue, rtol=1e-12)
    assert (grid.method == method).all()


@pytest.mark.parametrize("ci_method", DIFFERENCE_CI_METHODS)
def test_every_interval_method(ci_method):
    kwargs = {"method": ci_method}
    if "round_counts" in inspect.signature(difference_ci).parameters:
        kwargs["round_counts"] = True
    grid = sensitivity(0.55, 0.32, n1=[25, 300], ci_method=ci_method)
    direct = difference_ci(0.55, np.array([25, 300]), 0.32, np.array([25, 300]), **kwargs)
    assert_allclose(grid.ci_low, direct.ci_low, rtol=1e-12)
    assert (grid.ci_method == ci_method).all()


@pytest.mark.parametrize("method", ["wald", "score"])
def test_within_poll(method):
    grid = sensitivity(
        0.55, 0.25, n1=[50, 100, 1600], deff=[1, 2], within=True, method=method, ci_method=method
    )
    assert list(grid.columns[:3]) == ["p1", "p2", "n"]
    for _, row in grid.iterrows():
        t = option_difference_test(0.55, 0.25, row.n, method=method, deff=row.deff)
        c = option_difference_ci(0.55, 0.25, row.n, method=method, deff=row.deff)
        assert_allclose(row.pvalue, t.pvalue, rtol=1e-13)
        assert_allclose([row.ci_low, row.ci_high], [c.ci_low, c.ci_high], rtol=1e-13)
    # Closed form: multinomial variance (p1 + p2 - d^2) D / n
    if method == "wald":
        se = np.sqrt((0.8 - 0.3**2) * grid.deff / grid.n)
        assert_allclose(grid.statistic, 0.3 / se, rtol=1e-12)


def test_alternative_and_pvalue_monotone_in_n():
    grid = sensitivity(0.55, 0.32, n1=np.arange(10, 200), alternative="greater")
    assert np.all(np.diff(grid.pvalue) < 0)
    two = sensitivity(0.55, 0.32, n1=np.arange(10, 200))
    assert_allclose(two.pvalue, 2 * grid.pvalue, rtol=1e-12)


def test_nan_propagates():
    grid = sensitivity(0.55, np.nan, n1=[10, 20])
    assert grid.pvalue.isna().all() and grid.ci_low.isna().all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n1": [[1, 2], [3, 4]]}, r"n1 must be a number or a one-dimensional list"),
        ({"n1": []}, r"n1 must hold at least one value"),
        ({"n1": [10, -1]}, r"n1 must be a positive, finite sample size, got -1"),
        ({"n1": 10, "deff": 0}, r"deff must be a positive design effect"),
        ({"n1": 10, "confidence_level": 95}, r"confidence_level must be strictly"),
        ({"n1": 10, "method": "zpooled"}, r"method must be one of .*; got 'zpooled'"),
        ({"n1": 10, "ci_method": "Wald"}, r"method must be one of .*; got 'Wald'"),
        ({"n1": 10, "n2": 5, "within": True}, r"n2 must be None with within=True"),
        ({"n1": 10, "within": "yes"}, r"within must be True or False, got 'yes'"),
        ({"n1": "400"}, r"n1 must be a number or an array of numbers, got the string"),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        sensitivity(0.55, 0.32, **kwargs)


def test_pair_errors():
    with pytest.raises(SurveyKitError, match=r"p1 must be between 0 and 1, got 55"):
        sensitivity(55, 0.32, n1=10)
    with pytest.raises(SurveyKitError, match=r"p1 and p2 must be numbers or lists of the same"):
        sensitivity([0.5, 0.6], [0.3, 0.2, 0.1], n1=10)
    with pytest.raises(
        SurveyKitError, match=r"p1 \+ p2 must not exceed 1 .* got p1=0\.7 and p2=0\.4"
    ):
        sensitivity(0.7, 0.4, n1=10, within=True)


def test_large_grid_shape():
    n = np.arange(1, 301)
    grid = sensitivity(0.55, 0.32, n1=n, n2=n)
    assert grid.shape == (90_000, 14)
    assert np.isfinite(grid.pvalue).all()


def test_within_multinomial_variance_r_enumeration():
    # Rscript tests/reference/within.R: exact Var((x_a - x_b) / n) over every multinomial
    # outcome with n = 30, p = (0.55, 0.25, 0.20): 0.023666666666667141; the margin of
    # error of the lead at n = 1600: qnorm(0.975) * sqrt((0.8 - 0.3^2) / 1600).
    grid = sensitivity(0.55, 0.25, n1=[30, 1600], within=True)
    se = grid.estimate / grid.statistic
    assert_allclose(se.iloc[0] ** 2, 0.023666666666667141, rtol=1e-12)
    half = (grid.ci_high - grid.ci_low) / 2
    assert_allclose(half.iloc[1], 0.041287375209415014, rtol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ci_method": "wilson-cc"}, r"ci_method must be one of .*; got 'wilson-cc'"),
        ({"ci_method": 0}, r"ci_method must be one of .*; got 0"),
        ({"ci_method": "newcombe", "within": True}, r"ci_method must be one of 'wald', 'score'"),
        ({"method": []}, r"method must be one of .*; got \[\]"),
    ],
)
def test_errors_method_names(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        sensitivity(0.55, 0.25, n1=100, **kwargs)


# ------------------------------------------------------------------ chunks (issue 10, item 7)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n2": [80, 90, 1000], "deff": [1, 1.5, 2], "confidence_level": [0.9, 0.95]},
        {"deff": 1.3, "method": "chi2-yates", "ci_method": "miettinen-nurminen"},
        {"deff": [1, 2], "within": True, "method": "score", "ci_method": "score"},
        {"n2": [30, 31], "method": "fisher", "ci_method": "newcombe-cc", "alternative": "less"},
    ],
)
def test_chunks_give_the_same_frame_as_one_pass(kwargs, monkeypatch):
    """The grid is computed CHUNK_ROWS rows at a time: the chunk size changes no bit."""
    from surveykit.unknowns import sensitivity as module

    p2 = [0.32, 0.38, 0.2] if kwargs.get("within") else [0.32, 0.38, 0.5]
    p1 = [0.55, 0.40, 0.2 if kwargs.get("within") else np.nan]
    n1 = [25, 50, 100, 200, 457]
    monkeypatch.setattr(module, "CHUNK_ROWS", 1 << 30)
    whole = sensitivity(p1, p2, n1=n1, **kwargs)
    assert len(whole) >= 15
    for chunk in (1, 4, 6):  # several chunks, and a last one that is not full
        monkeypatch.setattr(module, "CHUNK_ROWS", chunk)
        chunked = sensitivity(p1, p2, n1=n1, **kwargs)
        pd.testing.assert_frame_equal(chunked, whole, check_exact=True)


def test_bad_values_are_refused_before_the_first_chunk(monkeypatch):
    """Errors come as from one call on the whole grid: n1 is checked before deff."""
    from surveykit.unknowns import sensitivity as module

    monkeypatch.setattr(module, "CHUNK_ROWS", 1)
    with pytest.raises(SurveyKitError, match=r"n1 must be a positive, finite sample size, got -1"):
        sensitivity(0.55, 0.32, n1=[10, 20, -1], deff=[0, 1])
    with pytest.raises(SurveyKitError, match=r"p2 must be between 0 and 1, got 1.5"):
        sensitivity([0.5, 0.6], [0.3, 1.5], n1=[10, -1])
    with pytest.raises(SurveyKitError, match=r"method must be one of .*; got 'zpooled'"):
        sensitivity(0.55, 0.32, n1=[10, -1], method="zpooled")
    with pytest.raises(SurveyKitError, match=r"confidence_level must be strictly"):
        sensitivity(0.55, 0.32, n1=[10, 20], confidence_level=[0.9, 95])
    with pytest.raises(SurveyKitError, match=r"n must be a positive, finite sample size"):
        sensitivity(0.55, 0.25, n1=[10, 0], deff=[0, 1], within=True)


# ----------------------------------------------------------------- time budget (item 4)
def test_a_long_grid_of_exact_tests_is_refused_with_its_duration():
    sizes = np.arange(10_000, 1_010_000, 10_000)  # 10,000 Fisher tests of up to 10^6
    with pytest.raises(
        SurveyKitError,
        match=(
            r"sensitivity with method='fisher' computes 10,000 exact tests, which would "
            r"take about .*, more than max_seconds=30; pass max_seconds=\d+ to run it "
            r"anyway .* or method='z-pooled'"
        ),
    ):
        sensitivity(0.55, 0.5, n1=sizes, n2=sizes, method="fisher")


def test_raising_the_budget_lets_a_grid_through():
    with pytest.raises(SurveyKitError, match=r"more than max_seconds=1e-09"):
        sensitivity(0.55, 0.5, n1=[100, 200], method="fisher", max_seconds=1e-9)
    quick = sensitivity(0.55, 0.5, n1=[100, 200], method="fisher", max_seconds=math.inf)
    pd.testing.assert_frame_equal(quick, sensitivity(0.55, 0.5, n1=[100, 200], method="fisher"))


def test_asymptotic_grids_ignore_the_budget():
    frame = sensitivity(0.55, 0.5, n1=[100, 200], max_seconds=1e-9)
    assert len(frame) == 2


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "30", None])
def test_max_seconds_is_checked(bad):
    with pytest.raises(SurveyKitError, match=r"max_seconds must be a positive number"):
        sensitivity(0.55, 0.5, n1=[100, 200], max_seconds=bad)
