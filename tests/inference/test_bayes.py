"""Tests of surveykit.bayes.posterior_change: closed form, Monte Carlo, mixtures over n."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import integrate, special, stats

from surveykit.exceptions import SurveyKitError
from surveykit.inference.bayes import posterior_change


def miller_prob_b_beats_a(a_a, b_a, a_b, b_b):
    """Closed form of P(theta_B > theta_A) for integer a_b (Evan Miller, 2015)."""
    i = np.arange(a_b)
    terms = (
        special.betaln(a_a + i, b_a + b_b)
        - np.log(b_b + i)
        - special.betaln(1 + i, b_b)
        - special.betaln(a_a, b_a)
    )
    return np.exp(terms).sum()


@pytest.mark.parametrize(
    ("x_before", "n2", "x_after", "n1"),
    [(11, 30, 16, 30), (3, 10, 40, 400), (320, 1000, 550, 1000), (0, 5, 1, 5), (50, 60, 45, 60)],
)
def test_closed_form_uniform_prior(x_before, n2, x_after, n1):
    res = posterior_change(
        x_after / n1,
        n1,
        x_before / n2,
        n2,
        prior="uniform",
    )
    expected = miller_prob_b_beats_a(
        1 + x_before, 1 + n2 - x_before, 1 + x_after, 1 + n1 - x_after
    )
    assert_allclose(res.prob_increase, expected, atol=1e-4)


def test_quadrature_jeffreys():
    # Independent check with scipy's adaptive quadrature on the densities.
    a = stats.beta(0.5 + 16.5, 0.5 + 13.5)
    b = stats.beta(0.5 + 9.6, 0.5 + 20.4)
    expected = integrate.quad(lambda t: a.pdf(t) * b.cdf(t), 0, 1, epsabs=1e-12)[0]
    res = posterior_change(0.55, 30, 0.32, 30)
    assert_allclose(res.prob_increase, expected, atol=1e-4)
    assert_allclose(res.estimate, a.mean() - b.mean(), rtol=1e-12)


def _monte_carlo(p2, n2, p1, n1, draws=2_000_000, seed=5):
    rng = np.random.default_rng(seed)
    nb = rng.choice(np.atleast_1d(n2), draws)
    na = rng.choice(np.atleast_1d(n1), draws)
    before = rng.beta(0.5 + p2 * nb, 0.5 + (1 - p2) * nb)
    after = rng.beta(0.5 + p1 * na, 0.5 + (1 - p1) * na)
    d = after - before
    return (d > 0).mean(), d.mean(), np.quantile(d, [0.025, 0.975])


@pytest.mark.parametrize(
    ("p2", "n2", "p1", "n1"),
    [
        (0.32, 30, 0.55, 30),  # FSO at a small assumed n
        (0.50, 20, 0.52, 5000),  # very different spreads
        (0.32, np.arange(20, 201), 0.55, np.arange(20, 201)),  # unknown n, equally likely
        (0.40, [100, 400, 1600], 0.43, [50, 3000]),
    ],
)
def test_monte_carlo(p2, n2, p1, n1):
    res = posterior_change(p1, n1, p2, n2)
    prob, mean, (low, high) = _monte_carlo(p2, n2, p1, n1)
    assert_allclose(res.prob_increase, prob, atol=1e-3)
    assert_allclose(res.estimate, mean, atol=1e-3)
    assert_allclose([res.ci_low, res.ci_high], [low, high], atol=1e-3)


def test_scipy_distribution_equals_list():
    listed = posterior_change(0.55, np.arange(20, 201), 0.32, np.arange(20, 201))
    dist = posterior_change(0.55, stats.randint(20, 201), 0.32, stats.randint(20, 201))
    assert_allclose(
        [dist.prob_increase, dist.ci_low, dist.ci_high],
        [listed.prob_increase, listed.ci_low, listed.ci_high],
        rtol=1e-12,
    )
    assert_allclose(dist.n2, 110.0, rtol=1e-12)
    # a Poisson distribution of n is accepted and truncated to its central mass
    pois = posterior_change(0.55, 400, 0.32, stats.poisson(400))
    fixed = posterior_change(0.55, 400, 0.32, 400)
    assert_allclose(pois.prob_increase, fixed.prob_increase, atol=1e-6)


def test_credible_interval_level_and_symmetry():
    narrow = posterior_change(0.55, 100, 0.32, 100, confidence_level=0.5)
    wide = posterior_change(0.55, 100, 0.32, 100)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    mirrored = posterior_change(0.32, 100, 0.55, 100)
    assert_allclose(mirrored.prob_increase, 1 - wide.prob_increase, atol=1e-12)
    assert_allclose([mirrored.ci_low, mirrored.ci_high], [-wide.ci_high, -wide.ci_low], atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(pb=st.floats(0.05, 0.95), pa=st.floats(0.05, 0.95), n=st.integers(5, 3000))
def test_probability_rises_with_the_later_share(pb, pa, n):
    low = posterior_change(pa, n, pb, n)
    high = posterior_change(min(pa + 0.02, 1.0), n, pb, n)
    assert high.prob_increase >= low.prob_increase - 1e-9
    assert low.ci_low <= low.estimate <= low.ci_high


def test_vectorised_series_and_nan():
    pa = pd.Series([0.55, 0.30, np.nan], index=["talks", "flat", "missing"])
    res = posterior_change(pa, 100, 0.32, 100)
    assert isinstance(res.prob_increase, pd.Series)
    one = posterior_change(0.30, 100, 0.32, 100)
    assert_allclose(res.prob_increase["flat"], one.prob_increase, rtol=1e-12)
    assert np.isnan(res.ci_low["missing"])
    frame = res.to_frame()
    assert list(frame.index) == ["talks", "flat", "missing"]
    assert "prob_increase" in frame.columns and "PosteriorChange" in repr(one)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"prior": "flat"}, r"prior must be one of 'jeffreys', 'uniform' or a pair .*got 'flat'"),
        ({"prior": (0, 1)}, r"prior must be one of .* positive, finite .*got \(0, 1\)"),
        ({"prior": 3}, r"prior must be one of 'jeffreys', 'uniform' or a pair .*got 3; for a"),
        ({"prior": (1, np.inf)}, r"prior must be one of .*got \(1, inf\)"),
        ({"confidence_level": 95}, r"confidence_level must be strictly between 0 and 1"),
        ({"confidence_level": [0.9, 0.95]}, r"confidence_level must be a single number"),
        ({"n2": []}, r"n2 must hold at least one value, got an empty array"),
        ({"n2": [100, -5]}, r"n2 must be a positive, finite sample size, got -5"),
        ({"n2": [100, np.nan]}, r"n2 must not contain NaN here"),
        ({"n1": stats.poisson(1e9)}, r"n1 is a distribution whose central"),
        ({"p2": 32}, r"p2 must be between 0 and 1, got 32"),
    ],
)
def test_errors(kwargs, match):
    args = {"p2": 0.32, "n2": 100, "p1": 0.55, "n1": 100}
    args.update(kwargs)
    with pytest.raises(SurveyKitError, match=match):
        posterior_change(**args)


def test_too_many_sizes():
    with pytest.raises(SurveyKitError, match=r"n2 must hold at most 5,000 sample sizes"):
        posterior_change(0.55, 100, 0.32, np.arange(1, 6002))


def test_empty_shares_refused():
    with pytest.raises(SurveyKitError, match=r"p2 must hold at least one value"):
        posterior_change(0.55, 100, [], 100)


def test_many_comparisons_at_once_match_one_by_one():
    # Vectorised over 200 pairs; each row equals its own call.
    shares = np.linspace(0.05, 0.95, 200)
    res = posterior_change(shares, 500, 0.5, 300)
    for i in (0, 57, 123, 199):
        one = posterior_change(shares[i], 500, 0.5, 300)
        assert_allclose(
            [res.prob_increase[i], res.ci_low[i], res.ci_high[i]],
            [one.prob_increase, one.ci_low, one.ci_high],
            atol=1e-9,
        )
    assert np.all(np.diff(res.prob_increase) >= -1e-12)


# Rscript tests/reference/bayes.R (output tests/reference/bayes.out): integrate() of
# dbeta * pbeta for the probability, uniroot() on the CDF of the difference for the bounds.
R_POSTERIOR = [
    ((0.55, 30, 0.32, 30), (0.96427231178502115, -0.019815930004044947, 0.45230348186835884)),
    ((0.55, 100, 0.32, 100), (0.99950801153218338, 0.09337827042099843, 0.35799351094581)),
    ((0.43, 800, 0.40, 500), (0.85698297506176135, -0.025139756630678311, 0.0845841548206199)),
]


@pytest.mark.parametrize(("args", "expected"), R_POSTERIOR)
def test_r_quadrature(args, expected):
    res = posterior_change(*args)
    assert_allclose([res.prob_increase, res.ci_low, res.ci_high], expected, atol=1e-4)


def test_huge_n():
    res = posterior_change(0.55, 1e9, 0.32, 1e9)  # valid and extreme: no warnings
    assert res.prob_increase > 1 - 1e-12 and abs(res.ci_low - 0.23) < 1e-3
    # above 1e12 the size is computed as 1e12 (documented), and echoed as given
    huge = posterior_change(0.55, 1e32, 0.32, 1e300)
    capped = posterior_change(0.55, 1e12, 0.32, 1e12)
    assert_allclose([huge.ci_low, huge.ci_high], [capped.ci_low, capped.ci_high], rtol=1e-12)
    assert huge.n2 == 1e300 and huge.n1 == 1e32
    assert_allclose([capped.ci_low, capped.ci_high], [0.23, 0.23], atol=2e-6)
