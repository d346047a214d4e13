"""Simulated polls (surveykit.simulate): distribution, design effect, seeding, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from surveykit.exceptions import SurveyKitError
from surveykit.planning.simulate import simulate_polls


def test_frame_layout_and_echo():
    polls = simulate_polls([0.32, 0.55], 400, size=3, seed=0)
    assert polls.columns.tolist() == [
        "design",
        "poll",
        "proportion",
        "n",
        "deff",
        "count",
        "estimate",
    ]
    assert polls.design.tolist() == [0, 0, 0, 1, 1, 1]
    assert polls.poll.tolist() == [0, 1, 2, 0, 1, 2]
    assert polls.proportion.tolist() == [0.32] * 3 + [0.55] * 3
    assert (polls.n == 400).all() and (polls.deff == 1.0).all()
    assert polls["count"].dtype.kind == "i"
    assert_allclose(polls.estimate, polls["count"] / 400)


def test_series_labels_become_the_design_column():
    p = pd.Series([0.32, 0.55], index=["July", "November"])
    polls = simulate_polls(p, 100, size=2, seed=0)
    assert polls.design.tolist() == ["July", "July", "November", "November"]


def test_seed_reproduces_and_generators_are_accepted():
    a = simulate_polls(0.4, 50, size=100, deff=1.5, seed=42)
    b = simulate_polls(0.4, 50, size=100, deff=1.5, seed=42)
    pd.testing.assert_frame_equal(a, b)
    c = simulate_polls(0.4, 50, size=100, deff=1.5, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(a, c)
    assert not a.equals(simulate_polls(0.4, 50, size=100, deff=1.5, seed=43))


def test_binomial_counts_follow_the_binomial_distribution():
    polls = simulate_polls(0.3, 20, size=40_000, seed=3)
    observed = np.bincount(polls["count"], minlength=21)
    expected = stats.binom.pmf(np.arange(21), 20, 0.3) * 40_000
    keep = expected > 5
    chi2 = np.sum((observed[keep] - expected[keep]) ** 2 / expected[keep])
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 0.001


@pytest.mark.parametrize("deff", [1.0, 1.5, 3.0])
def test_variance_is_deff_times_binomial(deff):
    n, p, reps = 200, 0.55, 100_000
    polls = simulate_polls(p, n, size=reps, deff=deff, seed=5)
    target = deff * p * (1 - p) / n
    # the sample variance of 1e5 draws is within a few percent of the truth
    assert_allclose(polls.estimate.var(), target, rtol=0.03)
    assert_allclose(polls.estimate.mean(), p, atol=4 * np.sqrt(target / reps))


def test_beta_binomial_matches_scipy_distribution():
    n, p, deff = 30, 0.4, 2.5
    rho = (deff - 1) / (n - 1)
    a, b = p * (1 / rho - 1), (1 - p) * (1 / rho - 1)
    polls = simulate_polls(p, n, size=50_000, deff=deff, seed=9)
    observed = np.bincount(polls["count"], minlength=n + 1)
    expected = stats.betabinom.pmf(np.arange(n + 1), n, a, b) * 50_000
    keep = expected > 5
    chi2 = np.sum((observed[keep] - expected[keep]) ** 2 / expected[keep])
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 0.001


def test_edges():
    polls = simulate_polls([0.0, 1.0], 10, size=5, deff=3, seed=1)
    assert_array_equal(polls["count"], [0] * 5 + [10] * 5)
    alike = simulate_polls(0.5, 10, size=2000, deff=10, seed=1)  # rho = 1
    assert set(alike["count"]) == {0, 10}
    assert simulate_polls(0.5, 1, size=4, seed=0)["count"].isin([0, 1]).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"proportion": 55, "n": 100, "size": 10}, "proportion must be between 0 and 1, got 55"),
        ({"proportion": 0.5, "n": 100.5, "size": 10}, "n must be a whole number"),
        (
            {"proportion": 0.5, "n": 100, "size": 0},
            "size must be a whole number of at least 1, got 0; pass for example size=1000",
        ),
        ({"proportion": 0.5, "n": 100, "size": 2.5}, "got 2.5"),
        ({"proportion": 0.5, "n": 100, "size": 10, "deff": 0.5}, "deff must be between 1 and n"),
        ({"proportion": 0.5, "n": 10, "size": 10, "deff": 11}, "got deff=11.0 with n=10"),
        (
            {"proportion": [0.5, np.nan], "n": 10, "size": 10},
            "must not contain NaN here, got NaN at position 1",
        ),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        simulate_polls(**kwargs)
