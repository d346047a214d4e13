"""option_difference_ci: the lead between two options of one poll (Wald and Tango score)."""

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
from surveykit.inference.within_poll import (
    OPTION_DIFFERENCE_METHODS,
    _tango_z,
    option_difference_ci,
)

REF = Path(__file__).resolve().parents[1] / "reference"
METHODS = OPTION_DIFFERENCE_METHODS
R_REF = pd.read_csv(REF / "intervals_R.csv")
R_TANGO = R_REF[R_REF.kind == "option-difference"]


def _ci(a, b, n, method, level=0.95):
    return option_difference_ci(np.asarray(a, float) / n, np.asarray(b, float) / n, n,
                                method=method, confidence_level=level)  # fmt: skip


def test_tango_score_matches_r():
    """tests/reference/intervals.R: Tango (1998)'s statistic written out in R, with the
    restricted MLE found numerically by optimize() (not Tango's closed form, which
    surveykit uses) and the bounds by uniroot(); optimize() limits R to about 1e-8."""
    ref = R_TANGO
    ci = _ci(ref.x1.to_numpy(), ref.x2.to_numpy(), ref.n1.to_numpy(), "score",
             ref.confidence_level.to_numpy())  # fmt: skip
    assert_allclose(ci.ci_low, ref.ci_low, rtol=0, atol=1e-7)
    assert_allclose(ci.ci_high, ref.ci_high, rtol=0, atol=1e-7)


def test_tango_bounds_are_where_the_statistic_crosses():
    ci = _ci(880, 400, 1600, "score")
    z = special.ndtri(0.975)
    at = _tango_z(np.array([ci.ci_low, ci.ci_high]), 0.55, 0.25, 1600.0)
    assert_allclose(at, [z, -z], rtol=1e-7)


def test_wald_formula_and_fso_example():
    """Var(p1 - p2) = (p1 + p2 - (p1 - p2)^2) / n; the FSO lead of 30 points."""
    ci = option_difference_ci(0.55, 0.25, 1600)
    half = special.ndtri(0.975) * np.sqrt((0.8 - 0.09) / 1600)
    assert_allclose([ci.ci_low, ci.ci_high], [0.3 - half, 0.3 + half], rtol=1e-12)
    assert round(ci.moe, 4) == 0.0413
    # the lead's margin is wider than each share's own margin (negative covariance)
    assert ci.moe > special.ndtri(0.975) * np.sqrt(0.55 * 0.45 / 1600)


def test_r_wald_pasted():
    # options(digits=17); qnorm(0.975) * sqrt((0.8 - 0.3^2) / 1600)   (tests/reference/within.R)
    # [1] 0.041287375209415014
    assert_allclose(option_difference_ci(0.55, 0.25, 1600).moe, 0.041287375209415014, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_edges(method):
    a = np.array([0, 10, 0, 5, 0, 1, 0, 1e9])
    b = np.array([0, 0, 10, 5, 0, 0, 1, 0])
    n = np.array([10, 10, 10, 10, 1, 1, 1, 1e9])
    for level in (1e-9, 0.5, 0.95, 1 - 1e-12):
        ci = _ci(a, b, n, method, level)
        assert np.isfinite(ci.ci_low).all() and np.isfinite(ci.ci_high).all()
        assert np.all((-1 <= ci.ci_low) & (ci.ci_low <= ci.ci_high) & (ci.ci_high <= 1))


@pytest.mark.parametrize("method", METHODS)
def test_nan_propagates_elementwise(method):
    ci = option_difference_ci([0.5, np.nan, 0.5], 0.3, [100, 100, np.nan], method=method)
    assert np.isfinite([ci.ci_low[0], ci.ci_high[0]]).all()
    assert np.isnan(ci.ci_low[1:]).all() and np.isnan(ci.ci_high[1:]).all()


@pytest.mark.parametrize("method", METHODS)
def test_deff(method):
    a = option_difference_ci(0.55, 0.25, 1600, method=method, deff=2)
    b = option_difference_ci(0.55, 0.25, 800, method=method)
    assert_allclose([a.ci_low, a.ci_high], [b.ci_low, b.ci_high], rtol=1e-10)


def test_series_keep_index():
    idx = pd.Index(["wave 1", "wave 2"])
    ci = option_difference_ci(pd.Series([0.55, 0.5], index=idx), 0.25, 1600, method="score")
    assert ci.ci_low.index.equals(idx) and ci.to_frame().index.equals(idx)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "tango"}, r"method must be one of 'wald', 'score'; got 'tango'"),
        ({"p1": 0.7, "p2": 0.4}, r"p1 \+ p2 must not exceed 1"),
        ({"p1": 55}, r"p1 must be between 0 and 1, got 55"),
        ({"n": 0}, r"n must be a positive"),
        ({"confidence_level": 2}, r"confidence_level must be strictly between 0 and 1"),
        ({"deff": -2}, r"deff must be a positive design effect"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"p1": 0.55, "p2": 0.25, "n": 100} | kwargs
    with pytest.raises(SurveyKitError, match=match):
        option_difference_ci(args.pop("p1"), args.pop("p2"), args.pop("n"), **args)


# ------------------------------------------------------------------ properties

polls = st.integers(1, 3000).flatmap(
    lambda n: st.integers(0, n).flatmap(
        lambda a: st.tuples(st.just(a), st.integers(0, n - a), st.just(n))
    )
)


@settings(max_examples=50, deadline=None)
@given(polls, st.floats(0.5, 0.999), st.sampled_from(METHODS))
def test_property_contains_estimate_nested_mirrored(abn, level, method):
    a, b, n = abn
    ci = _ci(a, b, n, method, np.array([level, (1 + level) / 2]))
    assert np.all((-1 <= ci.ci_low) & (ci.ci_low <= ci.estimate + 1e-9))
    assert np.all((ci.estimate <= ci.ci_high + 1e-9) & (ci.ci_high <= 1))
    assert ci.ci_low[1] <= ci.ci_low[0] + 1e-9 and ci.ci_high[1] >= ci.ci_high[0] - 1e-9
    swapped = _ci(b, a, n, method, level)
    assert_allclose([swapped.ci_low, swapped.ci_high], [-ci.ci_high[0], -ci.ci_low[0]],
                    atol=1e-9)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(polls, min_size=1, max_size=5), st.sampled_from(METHODS))
def test_property_scalar_array_series_agree(abns, method):
    a, b, n = (np.array(v, float) for v in zip(*abns, strict=True))
    arr = _ci(a, b, n, method)
    ser = option_difference_ci(pd.Series(a / n), pd.Series(b / n), n, method=method)
    assert_allclose(ser.ci_low.to_numpy(), arr.ci_low)
    for i in range(len(a)):
        one = _ci(a[i], b[i], n[i], method)
        assert_allclose([one.ci_low, one.ci_high], [arr.ci_low[i], arr.ci_high[i]], atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_robust_100k_random_polls(method):
    rng = np.random.default_rng(23)
    n = np.floor(10 ** rng.uniform(0, 9, 100_000))
    a = np.floor(rng.random(n.size) * (n + 1))
    b = np.floor(rng.random(n.size) * (n - a + 1))
    a[::9], b[1::9] = 0, 0
    ci = _ci(a, b, n, method)
    assert not np.isnan(ci.ci_low).any() and not np.isnan(ci.ci_high).any()
    assert np.all((ci.ci_low <= ci.estimate + 1e-9) & (ci.estimate <= ci.ci_high + 1e-9))
