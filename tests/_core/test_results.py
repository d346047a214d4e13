"""Result objects: frozen, echo their inputs, scalar/array/Series in and out, display."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing

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
    # a difference of shares reads in percentage points, the shares in percent
    assert "+23.0 pp" in html and "55.0%" in html and "23.0%" not in html


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


# ------------------------------------------------------------------ one result protocol
def _result_classes():
    """Every result class defined anywhere in surveykit (all modules imported)."""
    import importlib
    import inspect
    import pkgutil

    from surveykit._core.results import Estimated, Interval, Result, Sided, Tested

    for info in pkgutil.walk_packages(sk.__path__, "surveykit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found, stack = set(), [Result]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("surveykit.") and not inspect.isabstract(sub):
                found.add(sub)
    return found - {Estimated, Interval, Tested, Sided}


@functools.cache
def _peace_talks() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Levada's and Russian Field's 'start peace talks' polls, and the FSO's two polls."""
    polls = sk.load_dataset("russia_war_polls")
    talks = polls[polls.option == "start peace talks"]
    fitted = talks[talks.pollster.isin(["Levada Center", "Russian Field"])]
    return fitted, talks[talks.pollster.str.startswith("FSO")]


@functools.cache
def _trend() -> sk.series.PollTrend:
    fitted, _ = _peace_talks()
    question = list(fitted.question.unique())
    return sk.poll_trend(fitted, question=question, option="start peace talks", assumed_n=1600)


def _fso(poll_id: str) -> pd.DataFrame:
    _, fso = _peace_talks()
    return fso[fso.poll_id == poll_id]


def _survey() -> sk.SurveyDesign:
    """Six districts of two regions, two respondents each."""
    data = pd.DataFrame(
        {
            "district": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
            "region": list("NNNNNNSSSSSS"),
            "weight": [2.0] * 6 + [1.0] * 6,
            "trust": [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1],
            "hours": [3.5, 2.0, 4.0, 1.5, 2.5, 3.0, 5.0, 2.0, 1.0, 2.5, 3.5, 4.5],
            "vote": list("AABBAABBABAB"),
        }
    )
    return sk.SurveyDesign(data, psu="district", strata="region", weights="weight")


#: one small example of every result class (a class without one fails the walk below)
EXAMPLES = {
    "ProportionCI": lambda: sk.proportion_ci(0.5531, 1600),
    "DifferenceCI": lambda: sk.difference_ci(0.5531, 800, 0.3212, 800),
    "OptionDifferenceCI": lambda: sk.option_difference_ci(0.5531, 0.2512, 800),
    "TwoProportionTest": lambda: sk.two_proportion_test(0.5531, 800, 0.3212, 800, deff=1.67),
    "OptionDifferenceTest": lambda: sk.option_difference_test(0.5531, 0.2512, 800),
    "RatioCI": lambda: sk.ratio_ci(0.5531, 800, 0.3212, 800),
    "MultinomialCI": lambda: sk.multinomial_ci([0.5531, 0.2512, 0.1957], 800),
    "RoundingBounds": lambda: sk.rounding_bounds(0.55, 0.32, n1=400),
    "PosteriorChange": lambda: sk.posterior_change(0.32, 30, 0.55, 30),
    "ChangeTest": lambda: sk.change_test(0.3212, 800, 0.5531, 800, overlap=0.5, correlation=0.4),
    "McNemarTest": lambda: sk.mcnemar_test(12, 5),
    "EquivalenceTest": lambda: sk.equivalence_test(0.48, 4000, 0.46, 4000, margin=0.05),
    "Robustness": lambda: sk.robustness(0.32, 0.55),
    "Reanalysis": lambda: sk.reanalyse(sk.load_dataset(), n=[400], deff=[1]),
    "SurveyEstimate": lambda: _survey().mean("hours"),
    "SurveyProportion": lambda: _survey().proportion("trust"),
    "SurveyTable": lambda: _survey().table("vote", "region"),
    "SurveyChisq": lambda: _survey().chisq("vote", "region"),
    "PublishedShareCI": lambda: sk.ci_from_se(0.5073, 0.0192, df=921, n=922),
    "PollTrend": _trend,
    "PollTrends": lambda: sk.poll_trends(
        sk.load_dataset("russia_war_polls").query(
            "pollster == 'Levada Center' and question.str.startswith('Continue military')"
        ),
        assumed_n=1600,
    ),
    "PollCheck": lambda: _trend().check(_fso("fso-2022-11"), n=1600),
    "TrendChange": lambda: _trend().compare_change(
        _fso("fso-2022-11"), _fso("fso-2022-07"), n1=1600, n2=1600
    ),
}


def test_the_walk_finds_every_result_class_and_each_has_an_example():
    names = {cls.__name__ for cls in _result_classes()}
    assert {"Robustness", "Reanalysis", "ProportionCI"} <= names
    assert names == set(EXAMPLES)


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def result(request):
    return EXAMPLES[request.param]()


def test_every_result_has_the_protocol(result):
    name = type(result).__name__
    assert dataclasses.is_dataclass(result)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) >= 1
    assert result._repr_html_() == result.to_html()
    assert result.to_html().lstrip().startswith(("<table", "<div"))
    assert str(result) == result.to_string()
    assert name in str(result) or "Reanalysis" in str(result)
    text = repr(result)
    assert text.startswith(f"{name}(") and "\n" not in text and len(text) < 200
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, dataclasses.fields(result)[0].name, None)


def test_decimals_changes_only_the_rendering(result):
    before_frame = result.to_frame()
    before_fields = {
        f.name: getattr(result, f.name)
        for f in dataclasses.fields(result)
        if not isinstance(getattr(result, f.name), pd.DataFrame | dict)
    }
    one, three = result.to_html(decimals=1), result.to_html(decimals=3)
    assert one == result.to_html()  # the default
    assert one != three
    assert result.to_string(decimals=0) != result.to_string(decimals=3)
    pd.testing.assert_frame_equal(result.to_frame(), before_frame)
    for key, value in before_fields.items():
        assert getattr(result, key) is value


@pytest.mark.parametrize("decimals", [-1, 11, 1.5, True, "2"])
def test_bad_decimals_are_refused_by_name(decimals):
    res = sk.proportion_ci(0.55, 1600)
    with pytest.raises(sk.SurveyKitError, match=r"decimals must be"):
        res.to_html(decimals=decimals)
    with pytest.raises(sk.SurveyKitError, match=r"decimals must be"):
        res.to_string(decimals=decimals)


def test_decimals_renders_percentages_and_pvalues():
    res = sk.two_proportion_test(0.5531, 800, 0.3212, 800, deff=1.67)
    assert "+23.2 pp" in res.to_html() and "+23.19 pp" in res.to_html(decimals=2)
    ci = sk.proportion_ci(0.5531, 1600)
    assert "55.3%" in ci.to_string() and "55.310%" in ci.to_string(decimals=3)
    assert res.to_frame()["estimate"].iloc[0] == res.estimate  # unrounded


def test_interval_and_test_fields_are_declared_once():
    import surveykit._core.results as results

    # (pvalue is also a field of RoundingBounds, which bounds a p-value but is no test)
    shared = ("estimate", "ci_low", "ci_high", "confidence_level", "method")
    shared += ("statistic", "alternative")
    for name in shared:
        owners = [
            cls.__name__
            for cls in vars(results).values()
            if isinstance(cls, type) and name in inspect.get_annotations(cls)
        ]
        assert len(owners) == 1, (name, owners)


def test_result_fields_are_typed():
    for cls in _result_classes():
        for f in dataclasses.fields(cls):
            assert f.type not in ("Any", typing.Any), f"{cls.__name__}.{f.name} is typed Any"
