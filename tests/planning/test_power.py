"""Power and sample size (surveykit.power), against R's power.prop.test and pwr.

Reference values: tests/reference/power.R, run by R 4.2.2 with pwr 1.3.0, writes
tests/reference/power_r.csv; every R call is pasted in that script beside its loop.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special

from surveykit.exceptions import SurveyKitError
from surveykit.inference.two_sample_tests import two_proportion_test
from surveykit.planning.power import power_curve, power_two_proportions
from surveykit.planning.sample_size import (
    minimum_detectable_difference,
    sample_size_proportion,
    sample_size_two_proportions,
)
from surveykit.unknowns.margins import n_from_moe

REFERENCE = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "power_r.csv")


def _rows(source: str, quantity: str) -> pd.DataFrame:
    return REFERENCE[(REFERENCE.source == source) & (REFERENCE.quantity == quantity)]


def _alternative(frame: pd.DataFrame) -> list[str]:
    """R's two.sided / one.sided (which takes |p1 - p2|) / greater / less, in our words."""
    out = []
    for alt, p1, p2 in zip(frame.alternative, frame.p1, frame.p2, strict=True):
        if alt == "two.sided":
            out.append("two-sided")
        elif alt == "one.sided":
            out.append("greater" if p1 > p2 else "less")
        else:
            out.append(alt)
    return out


def _by_alternative(frame: pd.DataFrame):
    frame = frame.assign(ours=_alternative(frame))
    return frame.groupby("ours")


# --------------------------------------------------------------------------------------
# R: power.prop.test and pwr
# --------------------------------------------------------------------------------------


def test_normal_power_matches_power_prop_test():
    # power.prop.test(n = n, p1 = p1, p2 = p2, sig.level = a, alternative = alt)$power
    for alt, part in _by_alternative(_rows("power.prop.test", "power")):
        got = power_two_proportions(
            part.p1.to_numpy(),
            part.n.to_numpy(),
            part.p2.to_numpy(),
            alpha=part.alpha.to_numpy(),
            alternative=alt,
        )
        assert_allclose(got, part.value, rtol=1e-10)


def test_normal_sample_size_matches_power_prop_test():
    # power.prop.test(p1 = p1, p2 = p2, power = power, sig.level = a, tol = 1e-12)$n
    for alt, part in _by_alternative(_rows("power.prop.test", "n")):
        got = sample_size_two_proportions(
            part.p1.to_numpy(),
            part.p2.to_numpy(),
            power=part.target_power.to_numpy(),
            alpha=part.alpha.to_numpy(),
            alternative=alt,
        )
        assert_allclose(got, part.value, rtol=1e-9)


def test_arcsine_power_matches_pwr_2p_test():
    # pwr.2p.test(h = ES.h(p1, p2), n = n, sig.level = a, alternative = alt)$power
    for alt, part in _by_alternative(_rows("pwr.2p.test", "power")):
        got = power_two_proportions(
            part.p1.to_numpy(),
            part.n.to_numpy(),
            part.p2.to_numpy(),
            alpha=part.alpha.to_numpy(),
            alternative=alt,
            method="arcsine",
        )
        assert_allclose(got, part.value, rtol=1e-10, atol=1e-300)


def test_arcsine_sample_size_matches_pwr_2p_test():
    # uniroot(function(n) pwr.2p.test(h = ES.h(p1, p2), n = n, ...)$power - power,
    #         c(2 + 1e-10, 1e9), tol = 1e-12)$root; pwr.2p.test(..., power = power)$n
    # itself stops at uniroot's default tolerance (about 1e-4 in n).
    for alt, part in _by_alternative(_rows("pwr.2p.test", "n")):
        got = sample_size_two_proportions(
            part.p1.to_numpy(),
            part.p2.to_numpy(),
            power=part.target_power.to_numpy(),
            alpha=part.alpha.to_numpy(),
            alternative=alt,
            method="arcsine",
        )
        assert_allclose(got, part.value, rtol=1e-9)
        assert_allclose(got, part.n_pwr_default, rtol=1e-3)


def test_arcsine_unequal_sizes_match_pwr_2p2n_test():
    # pwr.2p2n.test(h = ES.h(p1, p2), n1 = n1, n2 = n2, sig.level = 0.05, alternative = alt)
    for alt, part in _by_alternative(_rows("pwr.2p2n.test", "power")):
        got = power_two_proportions(
            part.p1.to_numpy(),
            part.n.to_numpy(),
            part.p2.to_numpy(),
            part.n_pwr_default.to_numpy(),
            alternative=alt,
            method="arcsine",
        )
        assert_allclose(got, part.value, rtol=1e-10)


# --------------------------------------------------------------------------------------
# Exact power: brute force, simulation, size
# --------------------------------------------------------------------------------------

EXACT_TESTS = [
    "z-pooled",
    "z-unpooled",
    "chi2-yates",
    "likelihood-ratio",
    "miettinen-nurminen",
    "fisher",
    "barnard",
    "boschloo",
]
ALTERNATIVES = ["two-sided", "less", "greater"]


def _brute_force_power(p1, p2, n1, n2, test, alternative, alpha=0.05):
    """Double loop over every table: one scalar test call each, then the sum per pair."""
    rejected = [
        (x1, x2)
        for x1 in range(n1 + 1)
        for x2 in range(n2 + 1)
        if two_proportion_test(
            x1 / n1, n1, x2 / n2, n2, method=test, alternative=alternative
        ).pvalue
        <= alpha
    ]
    return [
        sum(
            special.comb(n1, x1)
            * a**x1
            * (1 - a) ** (n1 - x1)
            * special.comb(n2, x2)
            * b**x2
            * (1 - b) ** (n2 - x2)
            for x1, x2 in rejected
        )
        for a, b in zip(p1, p2, strict=True)
    ]


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("test", EXACT_TESTS)
def test_exact_power_equals_brute_force_sum(test, alternative):
    p1, p2 = np.array([0.2, 0.5, 0.7]), np.array([0.6, 0.5, 0.3])
    n1, n2 = (6, 8) if test in ("barnard", "boschloo") else (9, 12)
    got = power_two_proportions(p1, n1, p2, n2, method="exact", test=test, alternative=alternative)
    want = _brute_force_power(p1, p2, n1, n2, test, alternative)
    assert_allclose(got, want, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("test", ["z-pooled", "fisher", "boschloo"])
def test_exact_power_agrees_with_simulation(test):
    rng = np.random.default_rng(20261126)
    reps, n1, n2, p1, p2 = 4000, 60, 50, 0.32, 0.6
    x1 = rng.binomial(n1, p1, reps)
    x2 = rng.binomial(n2, p2, reps)
    if test != "z-pooled":  # exact tests loop over tables: test each distinct table once
        tables, inverse = np.unique(np.stack([x1, x2]), axis=1, return_inverse=True)
        pvals = two_proportion_test(tables[0] / n1, n1, tables[1] / n2, n2, method=test).pvalue
        rejected = (pvals <= 0.05)[inverse.ravel()]
    else:
        rejected = two_proportion_test(x1 / n1, n1, x2 / n2, n2, method=test).pvalue <= 0.05
    exact = power_two_proportions(p1, n1, p2, n2, method="exact", test=test)
    se = np.sqrt(exact * (1 - exact) / reps)
    assert abs(rejected.mean() - exact) < 4 * se


@pytest.mark.parametrize("test", ["fisher", "barnard", "boschloo"])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_exact_tests_never_exceed_alpha(test, alternative):
    p = np.linspace(0.01, 0.99, 99)
    size = power_two_proportions(p, 25, p, 30, method="exact", test=test, alternative=alternative)
    assert np.all(size <= 0.05 + 1e-12)


def test_approximate_test_can_exceed_alpha_and_unconditional_beats_fisher():
    p = np.linspace(0.01, 0.99, 99)
    # the pooled z-test's exact size exceeds 5% somewhere (it is approximate) ...
    assert power_two_proportions(p, 25, p, 30, method="exact").max() > 0.05
    # ... and one-sided, Boschloo's test is uniformly more powerful than Fisher's
    # (Boschloo 1970)
    kwargs = {"method": "exact", "alternative": "less"}
    fisher = power_two_proportions(0.3, 25, p, 30, test="fisher", **kwargs)
    boschloo = power_two_proportions(0.3, 25, p, 30, test="boschloo", **kwargs)
    assert np.all(boschloo >= fisher - 1e-12) and np.any(boschloo > fisher + 0.01)


def test_exact_power_is_fast_to_thousands_and_close_to_normal():
    n = np.array([2000, 4000])
    exact = power_two_proportions(0.37, n, 0.32, method="exact")
    normal = power_two_proportions(0.37, n, 0.32)
    assert_allclose(exact, normal, atol=0.01)


def test_exact_power_with_design_effect_uses_effective_sizes():
    a = power_two_proportions(0.5, 100, 0.3, 80, method="exact", deff=2)
    b = power_two_proportions(0.5, 50, 0.3, 40, method="exact")
    assert a == b


def test_power_without_variance():
    # R: power.prop.test(n = 10, p1 = 1, p2 = 0)$power is 1 (pnorm(Inf))
    assert power_two_proportions(1.0, 10, 0.0) == 1.0
    assert power_two_proportions(0.0, 10, 0.0) == 0.0  # R: NaN (0/0)
    assert_allclose(power_two_proportions(1.0, 10, 1.0, method="arcsine"), 0.05, rtol=1e-14)


def test_exact_power_of_degenerate_truth():
    # p1 = p2 = 0: every table is 0/n vs 0/n, never rejected
    assert power_two_proportions(0.0, 20, 0.0, method="exact") == 0.0
    assert power_two_proportions(1.0, 20, 0.0, method="exact") == 1.0


# --------------------------------------------------------------------------------------
# Sample size and minimum detectable difference: round trips
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["normal", "arcsine"])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("ratio", [1.0, 0.5, 3.0])
def test_sample_size_gives_the_target_power(method, alternative, ratio):
    p1 = np.array([0.55, 0.37, 0.1, 0.9])
    p2 = np.array([0.32, 0.32, 0.2, 0.95])
    if alternative == "greater":
        p1, p2 = np.maximum(p1, p2), np.minimum(p1, p2)
    elif alternative == "less":
        p1, p2 = np.minimum(p1, p2), np.maximum(p1, p2)
    target = np.array([0.8, 0.9, 0.5, 0.95])
    n1 = sample_size_two_proportions(
        p1, p2, power=target, n_ratio=ratio, alternative=alternative, method=method
    )
    got = power_two_proportions(p1, n1, p2, ratio * n1, alternative=alternative, method=method)
    if method == "normal" and alternative == "two-sided":
        assert_allclose(got, target, rtol=1e-12)  # R's strict = FALSE: one tail only
    else:
        assert_allclose(got, target, rtol=1e-10)


def test_sample_size_scales_with_design_effect_and_is_infinite_without_a_difference():
    base = sample_size_two_proportions(0.37, 0.32)
    assert_allclose(sample_size_two_proportions(0.37, 0.32, deff=1.8), 1.8 * base, rtol=1e-14)
    assert sample_size_two_proportions(0.4, 0.4) == np.inf
    # a rise cannot be shown by a test of a fall
    assert sample_size_two_proportions(0.37, 0.32, alternative="less") == np.inf
    assert sample_size_two_proportions(0.37, 0.32, alternative="less", method="arcsine") == np.inf


@pytest.mark.parametrize("method", ["normal", "arcsine", "exact"])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_minimum_detectable_difference_gives_the_target_power(method, alternative):
    p1 = np.array([0.32, 0.55, 0.05])
    n = 400 if method == "exact" else np.array([800.0, 400.0, 2000.0])
    delta = minimum_detectable_difference(p1, n, method=method, alternative=alternative)
    up = {"less": [True] * 3, "greater": [False] * 3, "two-sided": [True, False, True]}
    p2 = np.where(up[alternative], p1 + delta, p1 - delta)
    got = power_two_proportions(p1, n, p2, method=method, alternative=alternative)
    assert np.all(delta > 0)
    assert_allclose(got, 0.8, rtol=1e-6 if method == "exact" else 1e-9)


def test_minimum_detectable_difference_is_nan_when_out_of_reach():
    # from 98% two-sided looks for a fall; with 3 respondents per poll even a fall to 0
    # is rejected only when all three say yes in the first poll (0.98^3 = 94%)
    assert np.isnan(minimum_detectable_difference(0.98, 3, power=0.95, method="exact"))
    assert_allclose(power_two_proportions(0.98, 3, 0.0, method="exact"), 0.98**3)
    assert np.isnan(minimum_detectable_difference(1.0, 100, alternative="less"))


def test_design_effect_shrinks_the_sample():
    assert_allclose(
        power_two_proportions(0.55, 200, 0.32, deff=2), power_two_proportions(0.55, 100, 0.32)
    )
    assert_allclose(
        minimum_detectable_difference(0.32, 1600, deff=2), minimum_detectable_difference(0.32, 800)
    )


# --------------------------------------------------------------------------------------
# sample_size_proportion
# --------------------------------------------------------------------------------------


def test_sample_size_proportion_without_population_is_n_from_moe():
    moe = np.array([0.01, 0.03, 0.05])
    assert_allclose(
        sample_size_proportion(moe, proportion=0.55, deff=1.5),
        n_from_moe(moe, proportion=0.55, deff=1.5),
        rtol=1e-14,
    )
    # z = qnorm(0.975) exactly: 1.959963984540054^2 / 4 / 0.05^2 (the textbook 384.15)
    assert_allclose(sample_size_proportion(0.05), 1.959963984540054**2 / 4 / 0.0025, rtol=1e-14)


@pytest.mark.parametrize("population", [50, 1000, 5000, 1e6])
def test_sample_size_proportion_with_population_gives_the_margin(population):
    moe, p, level = 0.03, 0.55, 0.9
    n = sample_size_proportion(moe, proportion=p, confidence_level=level, population=population)
    z = special.ndtri(1 - (1 - level) / 2)
    # margin with the finite population correction (N - n) / (N - 1) at that n
    margin = z * np.sqrt(p * (1 - p) / n * (population - n) / (population - 1))
    assert_allclose(margin, moe, rtol=1e-12)
    assert n < population


# --------------------------------------------------------------------------------------
# Shapes, NaN, errors
# --------------------------------------------------------------------------------------


def test_scalar_array_series_agree():
    idx = pd.Index(["a", "b"], name="poll")
    p1 = pd.Series([0.55, 0.37], index=idx)
    got = power_two_proportions(p1, 500, 0.32)
    assert isinstance(got, pd.Series) and got.index.equals(idx)
    assert isinstance(power_two_proportions(0.55, 500, 0.32), float)
    assert_allclose(got.to_numpy(), power_two_proportions([0.55, 0.37], 500, 0.32))
    assert got["b"] == power_two_proportions(0.37, 500, 0.32)
    n = sample_size_two_proportions(p1, 0.32)
    assert isinstance(n, pd.Series) and n.index.equals(idx)
    mdd = minimum_detectable_difference(pd.Series([0.32, 0.5], index=idx), 800)
    assert isinstance(mdd, pd.Series)
    assert isinstance(sample_size_proportion(pd.Series([0.03, 0.02], index=idx)), pd.Series)
    grid = power_two_proportions(0.37, np.array([[100], [1000]]), 0.32, method="exact")
    assert grid.shape == (2, 1)


@pytest.mark.parametrize("method", ["normal", "arcsine", "exact"])
def test_nan_propagates(method):
    got = power_two_proportions([0.5, np.nan], 40, 0.3, method=method)
    assert np.isnan(got[1]) and 0 < got[0] < 1
    assert np.isnan(minimum_detectable_difference([0.3, np.nan], 40, method=method)[1])
    if method != "exact":
        assert np.isnan(sample_size_two_proportions([0.5, np.nan], 0.3, method=method)[1])
    assert np.isnan(sample_size_proportion([0.03, np.nan])[1])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: power_two_proportions(0.5, 100, 0.3, method="exakt"), "method must be one of"),
        (lambda: power_two_proportions(0.5, 100, 0.3, alternative="both"), "alternative must"),
        (lambda: power_two_proportions(0.5, 100, 0.3, test="fisher"), "test applies only"),
        (
            lambda: power_two_proportions(0.5, 100, 0.3, method="exact", test="barnad"),
            "test must be one of",
        ),
        (lambda: power_two_proportions(55, 100, 0.3), "p1 must be between 0 and 1, got 55"),
        (lambda: power_two_proportions(0.5, 0, 0.3), "n1 must be a positive"),
        (lambda: power_two_proportions(0.5, 10, 0.3, -1), "n2 must be a positive"),
        (lambda: power_two_proportions(0.5, 100, 0.3, alpha=5), "alpha must be a significance"),
        (lambda: power_two_proportions(0.5, 100, 0.3, deff=0), "deff must be a positive"),
        (
            lambda: power_two_proportions(0.5, 100.5, 0.3, method="exact"),
            r"n1 / deff must be a whole number.*100\.5",
        ),
        (
            lambda: power_two_proportions(0.5, 3001, 0.3, method="exact", test="boschloo"),
            "n1 must be at most 3,000.*got 3,001; at this size use test='fisher'",
        ),
        (
            lambda: power_two_proportions(0.5, 20_000, 0.3, 6000, method="exact"),
            "n1 x n2 must be at most.*got 20,000 x 6,000",
        ),
        (lambda: sample_size_two_proportions(0.5, 0.3, power=80), "pass power=0.8"),
        (lambda: sample_size_two_proportions(0.5, 0.3, power=0.02), "power must exceed"),
        (
            lambda: sample_size_two_proportions(0.5, 0.3, n_ratio=0),
            r"n_ratio \(n2 / n1\) must be a positive",
        ),
        (lambda: sample_size_two_proportions(0.5, 0.3, method="exact"), "got 'exact'"),
        (lambda: minimum_detectable_difference(0.3, 100, power=1), "power must be strictly"),
        (lambda: sample_size_proportion(3), "pass moe=0.03"),
        (lambda: sample_size_proportion(0.03, population=0), "population must be"),
        (lambda: sample_size_proportion(0.03, confidence_level=95), "pass 0.95"),
    ],
)
def test_errors_name_the_parameter_value_and_fix(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


def test_power_curve_is_a_tidy_frame_of_power():
    frame = power_curve(np.array([[0.37], [0.42]]), [500, 1000], 0.32, method="exact")
    assert frame.columns.tolist() == [
        "p1",
        "n1",
        "p2",
        "n2",
        "deff",
        "alpha",
        "alternative",
        "method",
        "test",
        "power",
    ]
    assert frame.p1.tolist() == [0.37, 0.37, 0.42, 0.42]
    assert frame.n1.tolist() == [500, 1000, 500, 1000]
    assert (frame.test == "z-pooled").all()
    assert_allclose(
        frame.power,
        power_two_proportions([0.37, 0.37, 0.42, 0.42], [500, 1000] * 2, 0.32, method="exact"),
    )
    assert power_curve(0.5, 100, 0.4).test.isna().all()


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

shares = st.floats(0.01, 0.99)


@settings(max_examples=60, deadline=None)
@given(p1=shares, p2=shares, n=st.floats(2, 1e5), method=st.sampled_from(["normal", "arcsine"]))
def test_power_grows_with_n_and_stays_in_unit_interval(p1, p2, n, method):
    small = power_two_proportions(p1, n, p2, method=method)
    large = power_two_proportions(p1, 2 * n, p2, method=method)
    assert 0 <= small <= 1 and 0 <= large <= 1
    if abs(p1 - p2) > 1e-3:
        assert large >= small - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    p1=shares, p2=shares, power=st.floats(0.5, 0.99), method=st.sampled_from(["normal", "arcsine"])
)
def test_sample_size_round_trip_and_symmetry(p1, p2, power, method):
    if abs(p1 - p2) < 1e-3:
        return
    n = sample_size_two_proportions(p1, p2, power=power, method=method)
    assert_allclose(power_two_proportions(p1, n, p2, method=method), power, rtol=1e-8)
    # symmetric under swapping the polls and under p -> 1 - p
    assert_allclose(sample_size_two_proportions(p2, p1, power=power, method=method), n, rtol=1e-12)
    assert_allclose(
        sample_size_two_proportions(1 - p1, 1 - p2, power=power, method=method), n, rtol=1e-9
    )


def test_exact_minimum_detectable_difference_for_boschloo():
    delta = minimum_detectable_difference(0.32, 300, method="exact", test="boschloo")
    got = power_two_proportions(0.32, 300, 0.32 + delta, method="exact", test="boschloo")
    assert_allclose(got, 0.8, rtol=1e-6)
    # a more conservative test needs a larger change than the pooled z-test
    assert delta > minimum_detectable_difference(0.32, 300, method="exact")


@pytest.mark.parametrize(
    ("p1", "n1", "p2", "extra"),
    [
        (np.array([[0.37], [0.42]]), [500, 1000], 0.32, {}),
        (0.37, [500, 1000, 1500], 0.32, {"n2": np.array([[300], [600]])}),
        (0.37, [500, 1000], np.array([[0.32], [0.30]]), {"alpha": [0.05, 0.01]}),
        (0.45, [50, 100], 0.32, {"deff": np.array([[1.0], [2.0]]), "method": "exact"}),
        (0.45, [50, 100], 0.32, {"alpha": np.array([[0.05], [0.01]]), "method": "arcsine"}),
    ],
)
def test_power_curve_broadcasts_as_power_two_proportions(p1, n1, p2, extra):
    # one row per element of the broadcast inputs, in C order, each with its own power
    frame = power_curve(p1, n1, p2, **extra)
    n2 = extra.get("n2", n1)
    shape = np.broadcast_shapes(
        *(np.shape(v) for v in (p1, n1, p2, n2, extra.get("alpha", 0.05), extra.get("deff", 1)))
    )
    assert len(frame) == int(np.prod(shape))
    for column, value in (("p1", p1), ("n1", n1), ("p2", p2), ("n2", n2)):
        assert_allclose(frame[column], np.broadcast_to(np.asarray(value, float), shape).ravel())
    options = {k: v for k, v in extra.items() if k not in ("n2",)}
    expected = power_two_proportions(p1, n1, p2, extra.get("n2"), **options)
    assert_allclose(frame["power"], np.broadcast_to(expected, shape).ravel(), rtol=1e-12)
