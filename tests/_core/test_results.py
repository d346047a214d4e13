"""Result objects: frozen, echo their inputs, scalar/array/Series in and out, display."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

CALLS = {
    "proportion_ci": lambda p, n: sk.proportion_ci(p, n),
    "difference_ci": lambda p, n: sk.difference_ci(p, n, 0.32, n),
    "two_proportion_test": lambda p, n: sk.two_proportion_test(p, n, 0.32, n),
    "option_difference_ci": lambda p, n: sk.option_difference_ci(p, 0.25, n),
    "option_difference_test": lambda p, n: sk.option_difference_test(p, 0.25, n),
}


@pytest.mark.parametrize("name", CALLS)
def test_scalar_array_and_series_agree(name):
    call = CALLS[name]
    p = [0.55, 0.6, 0.7]
    n = [400, 800, 1600]
    arr = call(np.array(p), np.array(n))
    ser = call(pd.Series(p, index=["a", "b", "c"]), pd.Series(n, index=["a", "b", "c"]))
    for i in range(3):
        one = call(p[i], n[i])
        assert isinstance(one.estimate, float)
        assert isinstance(arr.estimate, np.ndarray)
        assert isinstance(ser.estimate, pd.Series)
        assert list(ser.estimate.index) == ["a", "b", "c"]
        for f in ("estimate", "ci_low", "ci_high", "statistic", "pvalue"):
            if hasattr(one, f):
                assert getattr(arr, f)[i] == getattr(one, f)
                assert getattr(ser, f).iloc[i] == getattr(one, f)


@pytest.mark.parametrize("name", CALLS)
def test_frozen_with_frame_html_and_repr(name):
    res = CALLS[name](0.55, 1600)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.estimate = 0.1
    frame = res.to_frame()
    assert len(frame) == 1
    assert frame["estimate"].iloc[0] == res.estimate
    assert "method" in frame
    html = res._repr_html_()
    assert html.startswith("<table") and "55.0%" in html
    text = repr(res)
    assert text.startswith(type(res).__name__ + "(") and "\n" not in text
    many = CALLS[name](pd.Series([0.55, 0.6], index=["x", "y"]), 1600)
    assert list(many.to_frame().index) == ["x", "y"]
    assert "2 elements" in repr(many)


def test_fields_stay_unrounded_while_display_rounds():
    res = sk.two_proportion_test(0.55, 400, 0.32, 400)
    assert res.pvalue == pytest.approx(5.342676750448495e-11, rel=1e-9)
    html = res._repr_html_()
    assert "&lt; 0.001" in html
    assert "23.0%" in html


def test_nan_propagates_elementwise():
    res = sk.proportion_ci([0.5, np.nan, 0.2], [100, 100, np.nan])
    assert np.isnan(res.ci_low).tolist() == [False, True, True]
    test = sk.two_proportion_test([0.5, np.nan], 100, 0.4, 100)
    assert np.isnan(test.pvalue).tolist() == [False, True]


def test_series_with_different_indexes_are_refused():
    with pytest.raises(sk.SurveyKitError, match=r"different indexes"):
        sk.proportion_ci(pd.Series([0.5], index=["a"]), pd.Series([100], index=["b"]))


def test_shapes_that_do_not_broadcast_are_refused():
    with pytest.raises(sk.SurveyKitError, match=r"cannot be broadcast.*proportion\(2,\).*n\(3,\)"):
        sk.proportion_ci([0.5, 0.4], [1, 2, 3])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"proportion": 55, "n": 100}, r"proportion must be between 0 and 1, got 55.0.*0.55"),
        ({"proportion": "55%", "n": 100}, r"proportion must be a number.*'55%'"),
        ({"proportion": 0.5, "n": 0}, r"n must be a positive, finite sample size, got 0.0"),
        ({"proportion": 0.5, "n": np.inf}, r"n must be a positive, finite"),
        ({"proportion": 0.5, "n": 100, "deff": -1}, r"deff must be a positive design effect"),
        ({"proportion": 0.5, "n": 100, "confidence_level": 95}, r"confidence_level.*pass 0.95"),
        ({"proportion": 0.5, "n": 100, "method": "wilsn"}, r"method must be one of.*'wilsn'"),
        ({"proportion": 0.5, "n": 100, "alternative": "two.sided"}, r"alternative must be"),
        ({"proportion": True, "n": 100}, r"proportion must be numeric"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, message):
    with pytest.raises(sk.SurveyKitError, match=message):
        sk.proportion_ci(**kwargs)


def test_surveykit_error_is_a_value_error():
    assert issubclass(sk.SurveyKitError, ValueError)
