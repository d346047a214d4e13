"""Tests of surveykit.critical: critical_n (closed form and integer search), critical_deff."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from surveykit.exceptions import SurveyKitError
from surveykit.inference import two_sample_tests as compare
from surveykit.inference.within_poll import option_difference_test
from surveykit.unknowns.critical import (
    CLOSED_FORM_METHODS,
    critical_deff,
    critical_n,
    search_smallest_n,
)

METHODS = compare.TWO_PROPORTION_TEST_METHODS  # whatever two_proportion_test offers now
SEARCHED = [m for m in METHODS if m not in CLOSED_FORM_METHODS]
SLOW = {"barnard", "boschloo"}  # exact unconditional: a few ms per table


def _kwargs():
    params = inspect.signature(compare.two_proportion_test).parameters
    return {"round_counts": True} if "round_counts" in params else {}


# --- closed forms, against R (tests/reference/critical.R, output critical.out) -------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((0.55, 0.32), {}, 36),  # ceiling(qnorm(0.975)^2 * v / d^2), v pooled
        ((0.55, 0.32), {"deff": 2}, 72),
        ((0.55, 0.32), {"method": "z-unpooled"}, 34),
        ((0.55, 0.32), {"n_ratio": 2}, 27),
        ((0.51, 0.48), {"alpha": 0.01}, 3686),
        ((0.55, 0.32), {"alternative": "greater"}, 26),
        ((0.55, 0.25), {"within": True}, 31),
        ((0.55, 0.25), {"within": True, "method": "score"}, 35),
    ],
)
def test_closed_form_r_reference(args, kwargs, expected):
    assert critical_n(*args, **kwargs) == expected


def test_foundation_values_kept():
    assert critical_n(0.55, 0.32) == 36.0
    assert critical_n(0.55, 0.32, deff=2) == 72.0
    # a sample size is a whole number (issue 11, item 8): an int for a scalar, inf when
    # never significant
    assert isinstance(critical_n(0.55, 0.32), int)
    assert critical_n(0.5, 0.5) == float("inf")


def test_boundary_pvalues_r_reference():
    # 2 * pnorm(-z) at n = 35 and 36 (R): 0.052284046108423667, 0.049031474671750057
    p = compare.two_proportion_test(0.55, np.array([35, 36]), 0.32, np.array([35, 36])).pvalue
    assert_allclose(p, [0.052284046108423667, 0.049031474671750057], rtol=1e-10)


@pytest.mark.parametrize("method", CLOSED_FORM_METHODS)
@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
@pytest.mark.parametrize(
    ("p1", "p2", "deff", "ratio"), [(0.55, 0.32, 1, 1), (0.3, 0.1, 1.7, 0.6), (0.9, 0.85, 1, 2.5)]
)
def test_closed_form_brute_force(method, alternative, p1, p2, deff, ratio):
    n = np.arange(1, 3000, dtype=float)
    p = compare.two_proportion_test(
        p1, n, p2, ratio * n, method=method, alternative=alternative, deff=deff
    ).pvalue
    assert np.all(np.diff(p) <= 0)  # the z-tests are monotone in n
    expected = n[np.argmax(p < 0.05)]
    assert (
        critical_n(p1, p2, method=method, alternative=alternative, deff=deff, n_ratio=ratio)
        == expected
    )


@pytest.mark.parametrize("method", ["wald", "score"])
def test_within_brute_force(method):
    n = np.arange(1, 500, dtype=float)
    for pa, pb in [(0.55, 0.25), (0.4, 0.3), (0.2, 0.05)]:
        p = option_difference_test(pa, pb, n, method=method).pvalue
        expected = n[np.argmax(p < 0.05)]
        assert critical_n(pa, pb, within=True, method=method) == expected


def test_never_and_wrong_way():
    assert critical_n(0.4, 0.4) == np.inf
    assert critical_n(0.32, 0.55, alternative="greater") == np.inf
    assert critical_n(0.32, 0.55, alternative="less") == critical_n(
        0.55, 0.32, alternative="greater"
    )
    for method in SEARCHED:
        if method not in SLOW:
            assert critical_n(0.4, 0.4, method=method) == np.inf
            assert critical_n(0.32, 0.55, method=method, alternative="greater") == np.inf


def test_vectorised_series_nan():
    p1 = pd.Series([0.55, 0.55, np.nan], index=["a", "b", "c"])
    got = critical_n(p1, 0.32, deff=np.array([1, 2, 1]))
    assert isinstance(got, pd.Series) and list(got.index) == ["a", "b", "c"]
    assert_array_equal(got.to_numpy()[:2], [36, 72])
    assert np.isnan(got["c"])
    arr = critical_n(np.array([0.55, 0.40]), np.array([0.32, 0.40]), method=SEARCHED[0])
    assert arr[1] == np.inf and np.isfinite(arr[0])


# --- the integer search ---------------------------------------------------------------------


def _second_power(sig_row):
    powers = [2**k for k in range(13) if 2**k <= len(sig_row) and sig_row[2**k - 1]]
    return powers[1]


def brute_definition(sig_row, limit):
    """Smallest N with sig at every n in [N, limit]; sig_row[n - 1] is sig at n."""
    if not sig_row[limit - 1]:
        return np.inf
    misses = np.flatnonzero(~sig_row[:limit])
    return float(misses[-1] + 2) if misses.size else 1.0


@settings(max_examples=60, deadline=None)
@given(data=st.data(), rows=st.integers(1, 6))
def test_search_synthetic_patterns(data, rows):
    # Arbitrary non-monotone significance patterns, significant from some point on.
    length = 5000
    patterns = []
    for _ in range(rows):
        flips = data.draw(st.lists(st.integers(1, 1200), max_size=8))
        tail = data.draw(st.integers(1, 1500))
        row = np.zeros(length, dtype=bool)
        for f in flips:
            row[f - 1 : f - 1 + data.draw(st.integers(1, 30))] = True
        row[tail - 1 :] = True
        patterns.append(row)
    table = np.array(patterns)

    def significant(n, index):
        return table[index, n.astype(int) - 1]

    limits = np.array([data.draw(st.integers(1, length)) for _ in range(rows)], dtype=float)
    got = search_smallest_n(significant, np.ones(rows, dtype=bool), limits)
    expected = [brute_definition(table[i], int(limits[i])) for i in range(rows)]
    assert_array_equal(got, expected)
    # default limit: the second power of two at which it is significant
    got = search_smallest_n(significant, np.ones(rows, dtype=bool), None)
    for i in range(rows):
        assert got[i] == brute_definition(table[i], _second_power(table[i]))


def test_search_inactive_and_never():
    table = np.zeros((2, 100), dtype=bool)

    def significant(n, index):
        return np.where(n <= 100, table[index, np.minimum(n, 100).astype(int) - 1], False)

    got = search_smallest_n(significant, np.array([True, False]), np.array([50.0, 50.0]))
    assert got[0] == np.inf and np.isnan(got[1])


def _brute_searched(
    method, p1, p2, alternative="two-sided", n_ratio=1.0, deff=1.0, alpha=0.05, top=1024
):
    """The definition evaluated at every n from 1 to the default limit."""
    n = np.arange(1, top + 1, dtype=float)
    n2 = np.maximum(np.round(n_ratio * n), 1.0)
    p = compare.two_proportion_test(
        p1, n, p2, n2, method=method, alternative=alternative, deff=deff, **_kwargs()
    ).pvalue
    sig = np.asarray(p) < alpha
    return brute_definition(sig, _second_power(sig)), sig


@pytest.mark.parametrize("method", [m for m in SEARCHED if m not in SLOW])
@pytest.mark.parametrize(
    ("p1", "p2", "kwargs"),
    [
        (0.55, 0.32, {}),
        (0.6, 0.3, {"alternative": "greater"}),
        (0.3, 0.6, {"alternative": "less"}),
        (0.55, 0.32, {"n_ratio": 1.5}),
        (0.7, 0.4, {"alpha": 0.01}),
        (0.15, 0.02, {}),
    ],
)
def test_search_brute_force(method, p1, p2, kwargs):
    expected, _ = _brute_searched(method, p1, p2, **kwargs)
    assert critical_n(p1, p2, method=method, **kwargs) == expected


@pytest.mark.parametrize("method", sorted(SLOW & set(SEARCHED)))
def test_search_brute_force_exact_unconditional(method):
    expected, sig = _brute_searched(method, 0.7, 0.2, top=32)
    assert sig[15] and sig[31]  # the default limit (second significant power of 2) is <= 32
    assert critical_n(0.7, 0.2, method=method) == expected


@pytest.mark.skipif("fisher" not in METHODS, reason="fisher not offered")
def test_fisher_not_monotone_fso():
    # Counts round(0.55 n), round(0.32 n). R: fisher.test(matrix(c(26, 21, 15, 32), 2))
    # p = 0.036944719286752976 (n = 47); matrix(c(25, 21, 15, 31), 2): 0.057766177519643108
    # (n = 46). Significant at n = 45, not at 46, and from 47 on.
    _, sig = _brute_searched("fisher", 0.55, 0.32)
    assert sig[44] and not sig[45] and sig[46:200].all()
    assert critical_n(0.55, 0.32, method="fisher") == 47
    p = compare.two_proportion_test(
        0.55, np.array([46, 47]), 0.32, np.array([46, 47]), method="fisher", round_counts=True
    ).pvalue
    assert_allclose(p, [0.057766177519643108, 0.036944719286752976], rtol=1e-9)
    # a search limit below the last dip changes the answer, as documented
    assert critical_n(0.55, 0.32, method="fisher", n_max=45) == 45
    assert critical_n(0.55, 0.32, method="fisher", n_max=46) == np.inf
    got = critical_n(np.array([0.55, 0.55, 0.55]), 0.32, method="fisher", n_max=[45, 46, 200])
    assert got.tolist() == [45, np.inf, 47]


@pytest.mark.parametrize("method", CLOSED_FORM_METHODS)
def test_search_agrees_with_closed_form(method):
    rng = np.random.default_rng(1)
    p1, p2 = rng.uniform(0.05, 0.95, 40), rng.uniform(0.05, 0.95, 40)
    deff = rng.uniform(1, 3, 40)
    from surveykit.unknowns.critical import _significance

    level = np.full(40, 0.05)
    sig = _significance(p1, p2, level, np.ones(40), deff, method, "two-sided", False)
    searched = search_smallest_n(sig, np.ones(40, dtype=bool), None)
    assert_array_equal(searched, critical_n(p1, p2, method=method, deff=deff))


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    mid=st.floats(0.1, 0.9),
    gap=st.floats(0.01, 0.15),
    shrink=st.floats(0.3, 0.99),
    deff=st.floats(0.5, 4),
    grow=st.floats(1.0, 3.0),
    method=st.sampled_from(
        ["z-pooled", "z-unpooled", "chi2-yates", "likelihood-ratio", "miettinen-nurminen"]
    ),
)
def test_critical_n_rises_as_gap_shrinks_and_deff_grows(mid, gap, shrink, deff, grow, method):
    if method not in METHODS:
        return
    n_wide = critical_n(mid + gap / 2, mid - gap / 2, method=method, deff=deff)
    n_narrow = critical_n(mid + shrink * gap / 2, mid - shrink * gap / 2, method=method, deff=deff)
    assert n_narrow >= n_wide
    assert critical_n(mid + gap / 2, mid - gap / 2, method=method, deff=deff * grow) >= n_wide


@settings(max_examples=60, deadline=None)
@given(
    mid=st.floats(0.2, 0.4),
    gap=st.floats(0.02, 0.3),
    shrink=st.floats(0.3, 0.99),
    deff=st.floats(1, 4),
)
def test_within_rises_as_gap_shrinks(mid, gap, shrink, deff):
    wide = critical_n(mid + gap / 2, mid - gap / 2, within=True, deff=deff)
    narrow = critical_n(mid + shrink * gap / 2, mid - shrink * gap / 2, within=True, deff=deff)
    assert narrow >= wide
    assert critical_n(mid + gap / 2, mid - gap / 2, within=True, deff=2 * deff) >= wide


# --- critical_deff --------------------------------------------------------------------------


def test_critical_deff_r_reference():
    # 400 * 0.23^2 / (qnorm(0.975)^2 * v_pooled) and the within-poll Wald analogue (R)
    assert_allclose(critical_deff(0.55, 400, 0.32), 11.20603000229365, rtol=1e-12)
    assert_allclose(critical_deff(0.55, 400, 0.25, within=True), 13.199210955735506, rtol=1e-12)


@pytest.mark.parametrize("method", CLOSED_FORM_METHODS)
@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_critical_deff_closed_form_boundary(method, alternative):
    n1, n2 = np.array([400, 100, 1600]), np.array([400, 250, 800])
    p1, p2 = np.array([0.55, 0.4, 0.52]), np.array([0.32, 0.2, 0.48])
    d = critical_deff(p1, n1, p2, n2, method=method, alternative=alternative)
    p = compare.two_proportion_test(
        p1, n1, p2, n2, method=method, alternative=alternative, deff=d
    ).pvalue
    assert_allclose(p, 0.05, rtol=1e-10)
    below = compare.two_proportion_test(
        p1, n1, p2, n2, method=method, alternative=alternative, deff=d * 0.999
    ).pvalue
    assert np.all(below < 0.05)


def test_critical_deff_inverts_critical_n():
    n = np.array([36.0, 50, 120, 1000])
    d = critical_deff(0.55, n, 0.32)
    assert_array_equal(critical_n(0.55, 0.32, deff=d * (1 - 1e-9)), n)


@pytest.mark.parametrize("method", [m for m in SEARCHED if m not in SLOW])
def test_critical_deff_search_brackets(method):
    n1 = np.array([100.0, 400, 60])
    p1, p2 = np.array([0.55, 0.55, 0.7]), np.array([0.32, 0.45, 0.3])
    d = critical_deff(p1, n1, p2, method=method)
    assert np.all(d > 0.25)

    def pv(deff):
        return compare.two_proportion_test(
            p1, n1, p2, n1, method=method, deff=deff, **_kwargs()
        ).pvalue

    assert np.all(pv(d) < 0.05)
    assert np.all(pv(d * (1 + 1e-9)) >= 0.05)


def test_critical_deff_never_and_nan():
    assert critical_deff(0.4, 100, 0.4) == 0.0
    assert critical_deff(0.32, 100, 0.55, alternative="greater") == 0.0
    assert np.isnan(critical_deff(np.nan, 100, 0.4))
    got = critical_deff(pd.Series([0.55, 0.5], index=["x", "y"]), 400, 0.32)
    assert list(got.index) == ["x", "y"]


def test_monotone_critical_deff_in_n():
    n = np.arange(10, 2000, 10)
    assert np.all(np.diff(critical_deff(0.55, n, 0.32)) > 0)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: critical_n(0.55, 0.32, method="fishr"), r"method must be one of .*; got 'fishr'"),
        (
            lambda: critical_n(0.55, 0.25, within=True, method="z-pooled"),
            r"method must be one of 'wald', 'score'",
        ),
        (lambda: critical_n(0.55, 0.32, within="yes"), r"within must be True or False, got 'yes'"),
        (lambda: critical_n(55, 32), r"p1 must be between 0 and 1, got 55"),
        (lambda: critical_n(0.55, 0.32, alpha=5), r"alpha must be a significance level .* got 5"),
        (lambda: critical_n(0.55, 0.32, deff=-1), r"deff must be a positive design effect"),
        (
            lambda: critical_n(0.55, 0.32, n_ratio=0),
            r"n_ratio \(n2 / n1\) must be a positive, finite number, got 0(\.0)?; .*n_ratio=2",
        ),
        (lambda: critical_n(0.55, 0.32, alternative="bigger"), r"alternative must be one of"),
        (lambda: critical_n(0.55, 0.32, method=SEARCHED[0], n_max=0), r"n_max must be a positive"),
        (
            lambda: critical_n(0.7, 0.4, within=True),
            r"p1 \+ p2 must not exceed 1 .* got p1=0\.7 and p2=0\.4",
        ),
        (
            lambda: critical_deff(0.55, 100, 0.25, 200, within=True),
            r"n2 must be None with within=True",
        ),
        (
            lambda: critical_deff(0.55, 0, 0.32),
            r"n1 must be a positive, finite sample size, got 0",
        ),
        (lambda: critical_deff(0.55, 10, 0.32, -3), r"n2 must be a positive, finite sample size"),
    ],
)
def test_errors(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


@pytest.mark.skipif("barnard" not in METHODS, reason="barnard not offered")
def test_search_beyond_method_limit_names_the_fix():
    # 55% vs 53% needs about 9,500 per poll: a Barnard search would take minutes, and
    # Barnard's test itself refuses more than 5,000 per poll.
    with pytest.raises(SurveyKitError, match=r"method='barnard' needs .* pass n_max="):
        critical_n(0.55, 0.53, method="barnard")
    # a bound beyond the test's own limit is refused by the time budget first, and with
    # the budget lifted by the test itself
    with pytest.raises(SurveyKitError, match=r"would take about .* max_seconds="):
        critical_n(0.55, 0.53, method="barnard", n_max=20_000)
    with pytest.raises(
        SurveyKitError, match=r"critical_n searched sample sizes up to .* Pass n_max="
    ):
        critical_n(0.55, 0.53, method="barnard", n_max=20_000, max_seconds=math.inf)


# ----------------------------------------------------------------- time budget (item 4)
def test_long_fisher_search_is_refused_with_its_duration_and_the_fix():
    # 51% against 50%: about 46,000 Fisher tests of tables up to 65,000 a poll (minutes)
    with pytest.raises(
        SurveyKitError,
        match=(
            r"critical_n with method='fisher' needs an exact test at every n of a search "
            r"near 19,206 per poll \(about [\d,]+ tests\), which would take about \d+ min, "
            r"more than max_seconds=30; pass max_seconds=\d+ to run it anyway .*"
            r"pass n_max= to bound the search, or use method='z-pooled'"
        ),
    ):
        critical_n(0.51, 0.50, method="fisher")


def test_long_asymptotic_search_is_refused_too():
    with pytest.raises(SurveyKitError, match=r"method='miettinen-nurminen' searches about"):
        critical_n(0.5001, 0.5, method="miettinen-nurminen")


def test_unconditional_search_recommends_fisher():
    with pytest.raises(SurveyKitError, match=r"use method='fisher' \(exact, and much faster"):
        critical_n(0.53, 0.50, method="boschloo")


@pytest.mark.parametrize("method", ["fisher", "chi2-yates"])
def test_raising_the_budget_lets_a_search_through(method):
    # a small search (about a hundred tests) refused under a tiny budget, run under more
    with pytest.raises(SurveyKitError, match=r"more than max_seconds=1e-09; pass max_seconds="):
        critical_n(0.55, 0.32, method=method, max_seconds=1e-9)
    assert critical_n(0.55, 0.32, method=method, max_seconds=math.inf) == critical_n(
        0.55, 0.32, method=method
    )


def test_an_explicit_bound_makes_a_search_affordable():
    # Fisher at 51% against 50% is refused unbounded, but bounded at n_max=300 it is short
    assert critical_n(0.51, 0.50, method="fisher", n_max=300) == np.inf


def test_closed_forms_ignore_the_budget():
    assert critical_n(0.5001, 0.5, max_seconds=1e-9) == critical_n(0.5001, 0.5)


@pytest.mark.parametrize("bad", [0, -1.0, np.nan, "30", True, None])
def test_max_seconds_must_be_a_positive_number(bad):
    with pytest.raises(SurveyKitError, match=r"max_seconds must be a positive number of seconds"):
        critical_n(0.55, 0.32, method="fisher", max_seconds=bad)


def test_n_max_shape_error():
    with pytest.raises(SurveyKitError, match=r"inputs cannot be broadcast .* n_max\(3,\)"):
        critical_n(np.array([0.55, 0.5]), 0.32, method=SEARCHED[0], n_max=[45, 46, 47])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: critical_n(0.55, 0.32, method=0), r"method must be one of .*; got 0"),
        (lambda: critical_n(0.55, 0.32, method=[]), r"method must be one of .*; got \[\]"),
        (
            lambda: critical_n(0.55, 0.32, n_max=-1),
            r"n_max must be a positive, finite sample size",
        ),
        (lambda: critical_n(0.55, 0.32, n_max=np.inf), r"n_max must be a positive, finite"),
        (lambda: critical_n([], 0.32), r"p1 must hold at least one value, got an empty array"),
        (lambda: critical_n(0.55, 0.32, deff=[]), r"deff must hold at least one value"),
        (lambda: critical_deff(0.55, [], 0.32), r"n1 must hold at least one value"),
        (lambda: critical_deff(0.55, 100, 0.32, method=0), r"method must be one of"),
    ],
)
def test_errors_malformed(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


@pytest.mark.parametrize("method", ["wald", "score"])
def test_critical_deff_within_boundary(method):
    n = np.array([100.0, 400, 1600])
    pa, pb = np.array([0.55, 0.40, 0.36]), np.array([0.25, 0.30, 0.33])
    d = critical_deff(pa, n, pb, within=True, method=method)
    p = option_difference_test(pa, pb, n, method=method, deff=d).pvalue
    assert_allclose(p, 0.05, rtol=1e-10)
    # and it inverts the within-poll critical n
    assert_array_equal(critical_n(pa, pb, within=True, method=method, deff=d * (1 - 1e-9)), n)
