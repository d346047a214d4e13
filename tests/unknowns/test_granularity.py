"""Tests of surveykit.granularity.consistent_n against brute force over every count."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from surveykit.exceptions import SurveyKitError
from surveykit.unknowns.granularity import consistent_n


def brute_force(percent_units, decimals, lo, hi):
    """Every n in [lo, hi] and every count 0..n, in exact rational arithmetic."""
    unit = Fraction(1, 10**decimals)  # one unit of the last published digit, in percent
    found = []
    for n in range(lo, hi + 1):
        reachable = set()
        for k in range(n + 1):
            pct = Fraction(100 * k, n) / unit  # in units
            floor = pct.numerator // pct.denominator
            if pct - floor == Fraction(1, 2):  # exactly halfway: either neighbour
                reachable.update({floor, floor + 1})
            else:
                reachable.add(round(pct))
        if all(r in reachable for r in percent_units):
            found.append(n)
    return np.array(found, dtype=np.int64)


@pytest.mark.parametrize(
    ("percents", "decimals", "n_range"),
    [
        ([55, 25], 0, (1, 150)),
        ([32], 0, (1, 150)),
        ([55, 25, 20], 0, (1, 150)),
        ([0, 100], 0, (1, 50)),
        ([0.5, 99.5], 0, (1, 200)),  # stored as whole-percent units below
        ([55.0, 25.0], 1, (1, 150)),
        ([33.3, 66.7], 1, (1, 150)),
        ([12.5], 1, (1, 150)),
        ([3.14], 2, (1, 200)),
    ],
)
def test_matches_brute_force(percents, decimals, n_range):
    if percents == [0.5, 99.5]:
        percents, decimals = [1, 99], 0
    units = [round(p * 10**decimals) for p in percents]
    props = [p / 100 for p in percents]
    got = consistent_n(props, published_decimals=decimals, n_range=n_range)
    assert_array_equal(got, brute_force(units, decimals, *n_range))


@settings(max_examples=40, deadline=None)
@given(
    percents=st.lists(st.integers(0, 100), min_size=1, max_size=4),
    lo=st.integers(1, 60),
    width=st.integers(0, 60),
)
def test_matches_brute_force_property(percents, lo, width):
    got = consistent_n([p / 100 for p in percents], n_range=(lo, lo + width))
    assert_array_equal(got, brute_force(percents, 0, lo, lo + width))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 2000), counts=st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_true_n_always_consistent(n, counts):
    # Figures computed from a real poll of n respondents never exclude n.
    props = [round(100 * round(c * n) / n) / 100 for c in counts]
    assert n in consistent_n(props, n_range=(1, 2000))


def test_fso_november():
    got = consistent_n([0.55, 0.25], n_range=(1, 59))
    assert_array_equal(got, [20, 40, 44, 51, 53, 55, 56])
    assert_array_equal(
        consistent_n([0.55, 0.25], published_decimals=1, n_range=(1, 100)), [20, 40, 60, 80, 100]
    )


def test_impossible_published_n():
    # 33.3% and 50.0% cannot come from a poll of 10 (thirds need a multiple of 3).
    assert 10 not in consistent_n([0.333, 0.5], published_decimals=1, n_range=(10, 10))
    assert consistent_n([0.333, 0.5], published_decimals=1, n_range=(10, 10)).size == 0
    assert consistent_n([0.333, 0.5], published_decimals=1, n_range=(6, 6)).tolist() == [6]


def test_return_type():
    got = consistent_n(0.5, n_range=(2, 4))
    assert got.dtype == np.int64
    assert got.tolist() == [2, 4]  # with n = 3 the shares are 0%, 33%, 67%, 100%


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"proportions": [0.555]}, r"reported to 0 decimal place\(s\).* got 0\.555"),
        ({"proportions": [55]}, r"proportions must be between 0 and 1, got 55"),
        ({"proportions": []}, r"proportions must hold at least one value"),
        ({"proportions": [0.5, np.nan]}, r"must not contain NaN"),
        (
            {"proportions": [0.5], "published_decimals": 1.0},
            r"published_decimals must be .*whole number from 0 to 6, got 1\.0",
        ),
        (
            {"proportions": [0.5], "published_decimals": -1},
            r"published_decimals must be .*from 0 to 6, got -1",
        ),
        ({"proportions": [0.5], "n_range": (0, 10)}, r"n_range must be .* got \(0, 10\)"),
        ({"proportions": [0.5], "n_range": (10, 5)}, r"n_range must be .* got \(10, 5\)"),
        ({"proportions": [0.5], "n_range": 10}, r"n_range must be a pair"),
        ({"proportions": [0.5], "n_range": (1.5, 10)}, r"n_range must be a pair"),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        consistent_n(**kwargs)


@pytest.mark.parametrize(
    ("n_range", "match"),
    [
        ((1, float("inf")), r"n_range must be a pair of finite whole numbers .* got \(1, inf\)"),
        ((1, 10**9), r"n_range must span at most 10,000,000 sample sizes"),
    ],
)
def test_range_errors(n_range, match):
    with pytest.raises(SurveyKitError, match=match):
        consistent_n([0.55], n_range=n_range)
