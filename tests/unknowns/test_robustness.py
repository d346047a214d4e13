"""Tests of surveykit.robustness: the verdict table agrees with the functions it gathers."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.bayes import posterior_change
from surveykit.unknowns.critical import critical_deff, critical_n
from surveykit.unknowns.margins import implied_deff, n_from_moe
from surveykit.unknowns.robustness import robustness
from surveykit.unknowns.rounding import rounding_bounds


def _values(r):
    return dict(zip(r.table["check"], r.table["value"], strict=True))


def test_fso_without_n():
    r = robustness(0.55, 0.32)
    v = _values(r)
    assert list(r.table.columns) == ["check", "value", "holds", "assumption"]
    assert v["critical n"] == critical_n(0.55, 0.32) == 36
    worst = rounding_bounds(0.55, 0.32).critical_n_max
    assert v["critical n, worst-case rounding"] == worst == 40
    assert_allclose(
        v["probability of a real change in the reported direction"],
        posterior_change(0.55, 40, 0.32, 40).prob_increase,
        rtol=1e-12,
    )
    assert r.table["holds"].tolist() == [True, True, True]
    assert "at least 36 per poll (40 in the worst case of rounding)" in r.summary
    assert r.summary.startswith("The change from 32% to 55% (increase, 23 points)")


def test_levada_style_publication():
    # n = 1,600 and a margin of 3.4 points: design effect about 1.93 implied and used.
    r = robustness(0.55, 0.32, n=1600, moe=0.034)
    v = _values(r)
    d = implied_deff(0.034, 1600)
    assert_allclose(v["implied design effect (later poll)"], d, rtol=1e-14)
    assert v["critical n with design effect"] == critical_n(0.55, 0.32, deff=d)
    assert (
        v["critical n, worst-case rounding"] == rounding_bounds(0.55, 0.32, deff=d).critical_n_max
    )
    assert_allclose(
        v["p-value, worst-case rounding"],
        rounding_bounds(0.55, 0.32, n1=1600, deff=d).pvalue_max,
        rtol=1e-12,
    )
    assert_allclose(v["critical design effect"], critical_deff(0.55, 1600, 0.32), rtol=1e-12)
    post = posterior_change(0.55, 1600 / d, 0.32, 1600 / d).prob_increase
    assert_allclose(v["probability of a real change in the reported direction"], post, rtol=1e-12)
    assert "design effects up to 44.8" in r.summary


def test_margin_only_implies_n():
    r = robustness(0.55, 0.32, moe=0.034)
    v = _values(r)
    assert_allclose(v["implied n from margin (later poll)"], n_from_moe(0.034), rtol=1e-14)
    assert_allclose(v["critical design effect"], critical_deff(0.55, 831, 0.32), rtol=1e-12)
    assert "the later poll's margin implies about 831 respondents" in r.summary


def test_explicit_deff_overrides_implied():
    r = robustness(0.55, 0.32, n=400, deff=2)
    v = _values(r)
    assert v["critical n with design effect"] == 72
    assert "significant at the 5% level with n = 400 per poll, design effect 2," in r.summary


def test_not_significant_and_rounding_sensitive():
    flat = robustness(0.40, 0.40)
    assert not flat.table["holds"].iloc[0]
    assert "is not significant at the 5% level at any sample size" in flat.summary
    edge = robustness(0.42, 0.40, n=5000)
    v = _values(edge)
    assert v["p-value, worst-case rounding"] > 0.05
    assert (
        "with n = 5,000 per poll as published" in edge.summary
        and "but not in the worst case" in edge.summary
    )
    small = robustness(0.42, 0.40, n=1600)
    assert "is not significant at the 5% level with n = 1,600 per poll (p = 0.25)" in small.summary


def test_decimals_and_alpha_passed_on():
    r = robustness(0.55, 0.32, published_decimals=1, alpha=0.01)
    v = _values(r)
    assert v["critical n"] == critical_n(0.55, 0.32, alpha=0.01)
    assert (
        v["critical n, worst-case rounding"]
        == rounding_bounds(0.55, 0.32, published_decimals=1, alpha=0.01).critical_n_max
    )
    assert "at the 1% level" in r.summary


def test_display():
    r = robustness(0.55, 0.32)
    html = r._repr_html_()
    assert "<table" in html and "posterior probability" in html
    assert r.summary in str(r) and repr(r).startswith("Robustness(3 checks")
    frame = r.to_frame()
    frame.loc[0, "value"] = -1
    assert r.table.loc[0, "value"] == 36  # to_frame returns a copy


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"p2": [0.3, 0.4]},
            r"p2 must be a single number, got \[0\.3, 0\.4\]; call once per value",
        ),
        ({"p1": 55}, r"p1 must be between 0 and 1, got 55"),
        ({"n": np.nan}, r"n must be a number, got NaN; leave it out if unknown"),
        ({"n": -10}, r"n must be a positive, finite sample size, got -10"),
        (
            {"moe": 3.4},
            r"moe must be a margin of error strictly between 0 and 1, got 3\.4; "
            r"for 3\.4 percentage points pass moe=0\.034",
        ),
        ({"deff": 0}, r"deff must be a positive design effect"),
        (
            {"published_decimals": 1.5},
            r"published_decimals must be the number of decimal places.*got 1\.5",
        ),
        ({"alpha": 1.5}, r"alpha must be a significance level"),
        ({"method": "t-test"}, r"method must be one of"),
    ],
)
def test_errors(kwargs, match):
    args = {"p2": 0.32, "p1": 0.55}
    args.update(kwargs)
    with pytest.raises(SurveyKitError, match=match):
        robustness(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"p2": None}, r"p2 must be a number, got None"),
        ({"p1": None}, r"p1 must be a number, got None"),
        ({"alpha": None}, r"alpha must be a number, got None"),
        ({"method": None}, r"method must be one of .*; got None"),
        ({"method": 0}, r"method must be one of .*; got 0"),
    ],
)
def test_errors_none(kwargs, match):
    args = {"p2": 0.32, "p1": 0.55}
    args.update(kwargs)
    with pytest.raises(SurveyKitError, match=match):
        robustness(**args)


def test_huge_n_handled():
    r = robustness(0.55, 0.32, n=1e300)
    assert r.table["holds"].all()
    assert "with n = 1e+300 per poll, also in the worst case of rounding" in r.summary


def test_vanishing_margin_refused():
    with pytest.raises(SurveyKitError, match=r"moe=1e-300 implies inf respondents"):
        robustness(0.55, 0.5, moe=1e-300)
