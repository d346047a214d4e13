"""Every refusal of the poll-series wing: a SurveyKitError that names the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.exceptions import SurveyKitError
from surveykit.series import check_poll, compare_change, poll_trend, poll_trends


def _polls(**columns):
    base = {
        "pollster": ["A", "A", "B", "B"],
        "fieldwork_end": ["2022-01-10", "2022-02-10", "2022-01-20", "2022-03-01"],
        "question": "q",
        "option": "yes",
        "proportion": [0.50, 0.40, 0.45, 0.42],
        "n": [1000, 1000, 800, 800],
    }
    base.update(columns)
    return sk.read_polls(pd.DataFrame(base))


@pytest.fixture(scope="module")
def polls():
    return _polls()


@pytest.fixture(scope="module")
def trend(polls):
    return poll_trend(polls, sigma=0.003)


def test_polls_must_be_a_poll_frame(polls):
    with pytest.raises(SurveyKitError, match=r"polls must be a DataFrame from sk.read_polls"):
        poll_trend([0.5, 0.4])
    with pytest.raises(SurveyKitError, match=r"lacks the column\(s\) 'poll_id'.*sk.read_polls"):
        poll_trend(polls.drop(columns="poll_id"))
    with pytest.raises(SurveyKitError, match=r"polls has no rows; pass at least two polls"):
        poll_trend(polls.iloc[:0])


def test_question_and_option_must_be_chosen(polls):
    two = pd.concat([polls, polls.assign(question="other")])
    with pytest.raises(
        SurveyKitError,
        match=r"polls hold 2 questions \('q', 'other'\); pass "
        r"question= one of them",
    ):
        poll_trend(two)
    with pytest.raises(SurveyKitError, match=r"question must be one of 'q', 'other'.*got 'Q'"):
        poll_trend(two, question="Q")
    both = pd.concat([polls, polls.assign(option="no", proportion=0.3)])
    with pytest.raises(
        SurveyKitError,
        match=r"2 options \('yes', 'no'\); pass option= one.*"
        r"sk.poll_trends",
    ):
        poll_trend(both)
    with pytest.raises(SurveyKitError, match=r"option must be one of 'yes', 'no'; got 'maybe'"):
        poll_trend(both, option="maybe")


def test_options_scale_and_house_effects(polls):
    with pytest.raises(
        SurveyKitError,
        match=r"scale must be one of 'share', 'logit'; got "
        r"'log'",
    ):
        poll_trend(polls, scale="log")
    with pytest.raises(
        SurveyKitError,
        match=r"house_effects must be 'sum-zero', or the name of "
        r"the reference pollster \('A', 'B'\).*got 'C'",
    ):
        poll_trend(polls, house_effects="C")
    with pytest.raises(
        SurveyKitError,
        match=r"house_effects='free' leaves the level "
        r"unidentified without anchors; pass anchors=",
    ):
        poll_trend(polls, house_effects="free")


def test_one_poll_one_day_and_single_poll_pollsters(polls):
    with pytest.raises(SurveyKitError, match=r"holds 1 poll; a trend needs at least two polls"):
        poll_trend(polls.iloc[:1])
    same_day = _polls(fieldwork_end="2022-01-10", poll_id=["a", "b", "c", "d"])
    with pytest.raises(SurveyKitError, match=r"every poll of the series sits on the same day"):
        poll_trend(same_day, house_effects="A")
    lonely = _polls(pollster=["A", "A", "A", "B"])
    with pytest.raises(
        SurveyKitError,
        match=r"house_effects='sum-zero' needs at least two polls "
        r"per pollster, but 'B' has one.*house_effects="
        r"'<pollster>'.*anchors=",
    ):
        poll_trend(lonely)
    assert poll_trend(lonely, house_effects="A", sigma=0.003).n_polls == 4


def test_anchors_must_be_shares_on_dates(polls):
    with pytest.raises(SurveyKitError, match=r"anchors must be a non-empty mapping \{date: share"):
        poll_trend(polls, anchors=[("2022-01-01", 0.4)])
    with pytest.raises(SurveyKitError, match=r"anchors must be a non-empty mapping"):
        poll_trend(polls, anchors={})
    with pytest.raises(
        SurveyKitError,
        match=r"anchors' dates must be a date such as "
        r"'2007-11-24'.*got 'last year'",
    ):
        poll_trend(polls, anchors={"last year": 0.4})
    with pytest.raises(
        SurveyKitError,
        match=r"anchors\['2022-01-01'\] must be a share strictly "
        r"between 0 and 1.*got 43.38; for 43.38% pass "
        r"0.4338",
    ):
        poll_trend(polls, anchors={"2022-01-01": 43.38})
    with pytest.raises(
        SurveyKitError,
        match=r"anchors\['2022-01-01'\] must be a share \(0-1\), "
        r"got '40%'",
    ):
        poll_trend(polls, anchors={"2022-01-01": "40%"})
    with pytest.raises(SurveyKitError, match=r"anchors give the day '2022-01-01' twice"):
        poll_trend(polls, anchors={"2022-01-01": 0.4, pd.Timestamp("2022-01-01"): 0.41})


def test_poll_trends_anchors_are_per_option(polls):
    with pytest.raises(SurveyKitError, match=r"anchors of poll_trends must map each option"):
        poll_trends(polls, anchors={"2022-01-01": 0.4})
    with pytest.raises(
        SurveyKitError,
        match=r"anchors name option\(s\) 'no' that are not "
        r"fitted; the options are 'yes'",
    ):
        poll_trends(polls, anchors={"no": {"2022-01-01": 0.4}})


def test_sigma_level_deff_and_assumed_n(polls):
    with pytest.raises(
        SurveyKitError,
        match=r"sigma must be positive and finite.*got -0.1; "
        r"pass sigma=None to estimate it",
    ):
        poll_trend(polls, sigma=-0.1)
    with pytest.raises(
        SurveyKitError,
        match=r"sigma must be None \(estimated\) or a positive "
        r"number, got '0.1'",
    ):
        poll_trend(polls, sigma="0.1")
    with pytest.raises(
        SurveyKitError,
        match=r"confidence_level must be strictly between 0 and "
        r"1, got 95.0; for 95% pass 0.95",
    ):
        poll_trend(polls, confidence_level=95)
    with pytest.raises(
        SurveyKitError,
        match=r"confidence_level must be a number strictly "
        r"between 0 and 1, got '95%'",
    ):
        poll_trend(polls, confidence_level="95%")
    with pytest.raises(
        SurveyKitError,
        match=r"confidence_level must be a number between 0 and "
        r"1, got nan",
    ):
        poll_trend(polls, confidence_level=float("nan"))
    with pytest.raises(
        SurveyKitError,
        match=r"deff must be positive and finite, got 0.0; pass "
        r"one number",
    ):
        poll_trend(polls, deff=0.0)
    with pytest.raises(SurveyKitError, match=r"deff names pollster\(s\) 'C' that have no poll"):
        poll_trend(polls, deff={"C": 1.5})
    with pytest.raises(SurveyKitError, match=r"deff\['A'\] must be a positive number, got 'x'"):
        poll_trend(polls, deff={"A": "x"})
    with pytest.raises(
        SurveyKitError,
        match=r"assumed_n must be positive and finite, got -5.*"
        r"pass the sample size assumed",
    ):
        poll_trend(polls, assumed_n=-5)


def test_unknown_n_names_the_polls_and_assumed_n():
    unknown = _polls(n=[1000, None, 800, None])
    with pytest.raises(
        SurveyKitError,
        match=r"poll\(s\) 'A 2022-02-10', 'B 2022-03-01' publish "
        r"neither n nor a margin of error.*pass "
        r"assumed_n=1000.*n_status='assumed'",
    ):
        poll_trend(unknown)
    assert poll_trend(unknown, assumed_n=1000, sigma=0.003).n_polls == 4


def test_undated_polls_extreme_shares_and_election_rows(polls):
    undated = _polls(fieldwork_end=["2022-01-10", None, "2022-01-20", "2022-03-01"])
    with pytest.raises(
        SurveyKitError,
        match=r"poll\(s\) 'A' have no fieldwork dates.*give "
        r"fieldwork_start/fieldwork_end",
    ):
        poll_trend(undated)
    zero = _polls(proportion=[0.5, 0.0, 0.45, 0.42])
    with pytest.raises(
        SurveyKitError,
        match=r"poll 'A 2022-02-10' has a share of 0.0.*drop the "
        r"poll or replace the share by \(x \+ 0.5\)",
    ):
        poll_trend(zero)
    election = pd.concat([polls, polls.iloc[[0]].assign(poll_id="election", mode="election")])
    with pytest.raises(
        SurveyKitError,
        match=r"row\(s\) 'election' are election results \(mode "
        r"'election'\), not polls; drop them.*anchors=",
    ):
        poll_trend(election)


def test_check_refuses_bad_polls(trend, polls):
    with pytest.raises(SurveyKitError, match=r"poll must be one poll, got a DataFrame of 2 rows"):
        check_poll(trend, polls.iloc[:2])
    with pytest.raises(SurveyKitError, match=r"poll must be one poll, got 0.55; pass a row"):
        check_poll(trend, 0.55)
    with pytest.raises(
        SurveyKitError,
        match=r"poll needs a 'proportion' \(a share 0-1\), got "
        r"None",
    ):
        check_poll(trend, {"share": 0.55, "fieldwork_end": "2022-02-01"})
    with pytest.raises(
        SurveyKitError,
        match=r"poll's proportion must be strictly between 0 and "
        r"1, got 55; for 55% pass 0.55",
    ):
        check_poll(trend, {"proportion": 55, "fieldwork_end": "2022-02-01"})
    with pytest.raises(SurveyKitError, match=r"poll needs a fieldwork_start or fieldwork_end"):
        check_poll(trend, {"proportion": 0.55})
    with pytest.raises(SurveyKitError, match=r"poll's fieldwork_end must be a date.*got 'soon'"):
        check_poll(trend, {"proportion": 0.55, "fieldwork_end": "soon"})
    with pytest.raises(
        SurveyKitError,
        match=r"poll 'A 2022-01-10' is one of the polls of the "
        r"fit; .*trend.residuals",
    ):
        check_poll(trend, polls.iloc[[0]])


def test_check_needs_n_house_sd_and_options(trend):
    poll = {"proportion": 0.55, "fieldwork_end": "2022-02-01", "poll_id": "leak"}
    with pytest.raises(
        SurveyKitError,
        match=r"poll 'leak' publishes neither n nor a margin of "
        r"error; pass n= an assumed sample size.*\[400, "
        r"1000, 1600, 3000\]",
    ):
        check_poll(trend, poll)
    with pytest.raises(
        SurveyKitError,
        match=r"n must be a positive, finite sample size, got "
        r"-1.0",
    ):
        check_poll(trend, poll, n=[1000, -1])
    with pytest.raises(SurveyKitError, match=r"house_sd must be a finite number >= 0.*got -0.01"):
        check_poll(trend, poll, n=1000, house_sd=-0.01)
    with pytest.raises(SurveyKitError, match=r"house_sd must be None or a number >= 0, got 'x'"):
        check_poll(trend, poll, n=1000, house_sd="x")
    with pytest.raises(
        SurveyKitError,
        match=r"alternative must be one of 'two-sided', 'less', "
        r"'greater'; got 'both'",
    ):
        check_poll(trend, poll, n=1000, alternative="both")
    with pytest.raises(SurveyKitError, match=r"confidence_level must be strictly between"):
        check_poll(trend, poll, n=1000, confidence_level=1.5)
    single = poll_trend(_polls(pollster="A"), sigma=0.003)
    with pytest.raises(
        SurveyKitError,
        match=r"house_sd cannot be estimated from a single "
        r"pollster; pass house_sd=",
    ):
        check_poll(single, poll, n=1000)
    assert np.isfinite(check_poll(single, poll, n=1000, house_sd=0.02).statistic)


def test_compare_change_refusals(trend):
    # the first poll is the later one (as p1 in (p1, n1, p2, n2))
    first = {"proportion": 0.55, "fieldwork_end": "2022-02-15", "pollster": "X", "poll_id": "n"}
    second = {"proportion": 0.32, "fieldwork_end": "2022-01-15", "pollster": "X", "poll_id": "j"}
    with pytest.raises(
        SurveyKitError,
        match=r"first 'n' publishes neither n nor a margin of "
        r"error; pass n1=",
    ):
        compare_change(trend, first, second)
    with pytest.raises(SurveyKitError, match=r"second 'j' publishes neither n.*pass n2="):
        compare_change(trend, first, second, n1=1000)
    with pytest.raises(
        SurveyKitError,
        match=r"first \('j', 2022-01-15\) is earlier than second \('n', 2022-02-15\); the "
        r"first poll is the later one.*compare_change\(trend, later, earlier",
    ):
        compare_change(trend, second, first, n1=1000, n2=1000)
    other = dict(second, pollster="Y")
    with pytest.raises(
        SurveyKitError,
        match=r"first and second come from different pollsters "
        r"\('X', 'Y'\).*trend.check\(\)",
    ):
        compare_change(trend, first, other, n1=1000, n2=1000)
    with pytest.raises(SurveyKitError, match=r"deff must be a positive design effect"):
        compare_change(trend, first, second, n1=1000, n2=1000, deff=0)
    fitted = {"proportion": 0.5, "fieldwork_end": "2022-01-10", "poll_id": "A 2022-01-10"}
    with pytest.raises(SurveyKitError, match=r"second 'A 2022-01-10' is one of the polls"):
        compare_change(trend, first, fitted, n1=1000)


# ----------------------------------------------------- malformed values, parameter by parameter
# tests/test_fuzz_api.py fuzzes the functions of scalars and arrays; the functions of poll
# frames are listed there as not fuzzed, and their scalar parameters get the same malformed
# values here: each must be refused by a SurveyKitError naming the parameter, without a
# RuntimeWarning.
MALFORMED = {
    "percent_string": "55%",
    "true": True,
    "complex": 1 + 2j,
    "dict": {"a": 1},
    "negative": -5,
    "nan": float("nan"),
    "inf": float("inf"),
    "huge": 1e300,
    "2d_array": [[0.5, 0.4], [0.3, 0.2]],
}
#: (function, parameter) -> the malformed labels that must raise (the others may not)
MUST_RAISE = {
    ("poll_trend", "sigma"): set(MALFORMED),
    ("poll_trend", "confidence_level"): set(MALFORMED),
    ("poll_trend", "assumed_n"): set(MALFORMED) - {"huge"},
    ("poll_trend", "scale"): set(MALFORMED),
    ("poll_trend", "house_effects"): set(MALFORMED),
    # n and deff broadcast: NaN gives NaN for its element, an array one row per element
    ("check_poll", "n"): set(MALFORMED) - {"2d_array", "huge", "nan"},
    ("check_poll", "deff"): set(MALFORMED) - {"2d_array", "huge", "nan"},
    ("check_poll", "house_sd"): set(MALFORMED),
    ("check_poll", "alternative"): set(MALFORMED),
    ("check_poll", "confidence_level"): set(MALFORMED),
    ("compare_change", "n1"): set(MALFORMED) - {"2d_array", "huge", "nan"},
    ("compare_change", "deff"): set(MALFORMED) - {"2d_array", "huge", "nan"},
}


def _fso_like(poll_id, proportion, end):
    return {
        "poll_id": poll_id,
        "pollster": "C",
        "proportion": proportion,
        "fieldwork_end": end,
        "n": np.nan,
    }


def _malformed_call(name, param, value, polls, trend):
    unknown = _fso_like("c1", 0.48, "2022-02-15")
    later = _fso_like("c2", 0.44, "2022-03-15")
    if name == "poll_trend":
        return poll_trend(polls, **{"sigma": 0.003, param: value})
    if name == "check_poll":
        kwargs = {"n": 1000, "house_sd": 0.02, param: value}
        return check_poll(trend, unknown, **kwargs)
    return compare_change(trend, later, unknown, **{"n1": 1000, "n2": 1000, param: value})


@pytest.mark.parametrize(
    ("name", "param"), sorted(MUST_RAISE), ids=[f"{f}-{p}" for f, p in sorted(MUST_RAISE)]
)
def test_malformed_values_are_refused_by_name(name, param, polls, trend):
    import re
    import warnings

    problems = []
    for label, value in MALFORMED.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            try:
                _malformed_call(name, param, value, polls, trend)
            except SurveyKitError as exc:
                if not re.search(rf"(?<![\w.]){param}(?!\w)", str(exc)):
                    problems.append(f"{label}: error does not name {param}: {exc}")
                continue
            except Exception as exc:  # a bare numpy/pandas error or a RuntimeWarning
                problems.append(f"{label}: {type(exc).__name__}: {exc}")
                continue
        if label in MUST_RAISE[(name, param)]:
            problems.append(f"{label}: {value!r} accepted")
    assert not problems, "\n".join(problems)
