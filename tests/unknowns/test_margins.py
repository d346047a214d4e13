"""Tests of surveykit.moe: sample size and design effect implied by a margin of error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.unknowns.margins import implied_deff, n_from_moe

# Rscript tests/reference/moe.R (output in tests/reference/moe.out):
#   qnorm(0.975)^2 * 0.25 / 0.034^2                       830.76531589405784
#   1.5 * qnorm(0.95)^2 * 0.3 * 0.7 / 0.03^2              946.94020893339359
#   1600 * 0.034^2 / (qnorm(0.975)^2 * 0.25)              1.9259350016052401
#   2500 * 0.02^2 / (qnorm(0.995)^2 * 0.4 * 0.6)          0.62799270542141572


def test_n_from_moe_r_reference():
    assert_allclose(n_from_moe(0.034), 830.76531589405784, rtol=1e-12)
    got = n_from_moe(0.03, proportion=0.3, confidence_level=0.9, deff=1.5)
    assert_allclose(got, 946.94020893339359, rtol=1e-12)


def test_n_from_moe_issue_figure():
    # The issue quotes 830.7 (830.77 truncated); with 1.96 instead of the exact
    # quantile the figure would be 830.80.
    assert 830.7 < n_from_moe(0.034) < 830.8
    assert isinstance(n_from_moe(0.034), float)


def test_implied_deff_levada():
    # Levada: n = 1,600, margin "not more than 3.4 points": design effect about 1.9.
    assert_allclose(implied_deff(0.034, 1600), 1.9259350016052401, rtol=1e-12)
    assert round(implied_deff(0.034, 1600), 1) == 1.9


def test_implied_deff_r_reference():
    got = implied_deff(0.02, 2500, proportion=0.4, confidence_level=0.99)
    assert_allclose(got, 0.62799270542141572, rtol=1e-12)


@given(
    moe=st.floats(0.005, 0.2),
    p=st.floats(0.01, 0.99),
    deff=st.floats(0.5, 5),
    level=st.floats(0.5, 0.999),
)
def test_round_trip(moe, p, deff, level):
    n = n_from_moe(moe, proportion=p, confidence_level=level, deff=deff)
    assert_allclose(implied_deff(moe, n, proportion=p, confidence_level=level), deff, rtol=1e-10)


def test_monotone_in_moe_and_deff():
    n = n_from_moe(np.array([0.02, 0.03, 0.04]))
    assert np.all(np.diff(n) < 0)
    assert_allclose(n_from_moe(0.03, deff=2), 2 * n_from_moe(0.03), rtol=1e-14)


def test_vectorised_and_series():
    moe = pd.Series([0.02, 0.034], index=["a", "b"])
    got = n_from_moe(moe)
    assert isinstance(got, pd.Series)
    assert list(got.index) == ["a", "b"]
    assert_allclose(got.to_numpy(), [n_from_moe(0.02), n_from_moe(0.034)], rtol=1e-14)
    arr = implied_deff(0.034, np.array([1000, 1600]))
    assert isinstance(arr, np.ndarray)
    assert_allclose(arr[1], implied_deff(0.034, 1600))


def test_edge_values():
    assert n_from_moe(0.03, proportion=0.0) == 0.0
    assert np.isnan(n_from_moe(np.nan))
    assert np.isinf(implied_deff(0.03, 100, proportion=1.0))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: n_from_moe(3.4), r"moe must be .* got 3\.4; for 3\.4 percentage points pass"),
        (lambda: n_from_moe(0.0), r"moe must be .* got 0\.0"),
        (lambda: n_from_moe("3%"), r"moe must be a number"),
        (lambda: n_from_moe(0.03, proportion=55), r"proportion must be between 0 and 1"),
        (lambda: n_from_moe(0.03, confidence_level=95), r"confidence_level must be strictly"),
        (lambda: n_from_moe(0.03, deff=0), r"deff must be a positive design effect"),
        (lambda: implied_deff(0.03, -5), r"n must be a positive, finite sample size, got -5"),
    ],
)
def test_errors(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


def test_vanishing_margin_implies_infinite_n():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert n_from_moe(1e-300) == np.inf
