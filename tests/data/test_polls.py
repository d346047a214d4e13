"""read_polls: the tidy schema and every error it raises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.data.polls import SCHEMA


def frame(**overrides):
    base = {
        "pollster": ["Levada", "Levada"],
        "fieldwork_start": ["2022-08-25", "2022-08-25"],
        "fieldwork_end": ["2022-08-31", "2022-08-31"],
        "question": ["talks?", "talks?"],
        "option": ["talks", "continue"],
        "share_pct": [44, 48],
        "n": [1612, 1612],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def write(tmp_path, text):
    path = tmp_path / "polls.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_schema_columns_and_types():
    polls = sk.read_polls(frame())
    assert tuple(polls.columns[: len(SCHEMA)]) == SCHEMA
    assert polls["proportion"].tolist() == [0.44, 0.48]
    assert str(polls["n"].dtype) == "Int64"
    assert polls["n_status"].tolist() == ["published", "published"]
    assert polls["mode"].tolist() == ["unknown", "unknown"]
    assert polls["poll_id"].nunique() == 1
    assert polls["fieldwork_start"].iloc[0] == pd.Timestamp("2022-08-25")


def test_percent_argument_converts_proportion_column():
    data = frame().rename(columns={"share_pct": "proportion"})
    polls = sk.read_polls(data, percent=True)
    np.testing.assert_allclose(polls["proportion"], [0.44, 0.48])


def test_month_only_dates_span_the_month():
    polls = sk.read_polls(frame(fieldwork_start=["2022-11"] * 2, fieldwork_end=["2022-11"] * 2))
    assert polls["fieldwork_start"].iloc[0] == pd.Timestamp("2022-11-01")
    assert polls["fieldwork_end"].iloc[0] == pd.Timestamp("2022-11-30")
    assert polls["date_precision"].iloc[0] == "month"


def test_blank_n_is_unknown_and_missing_not_dropped(tmp_path):
    path = write(
        tmp_path,
        "pollster,question,option,share_pct,n,moe_pct\n"
        "FSO,q,talks,55,,\nFSO,q,war,25,,\nLevada,q,talks,57,1604,3.4\n",
    )
    polls = sk.read_polls(path)
    assert len(polls) == 3
    assert polls["n_status"].tolist() == ["unknown", "unknown", "published"]
    assert polls["n"].isna().tolist() == [True, True, False]
    assert polls["moe"].iloc[2] == pytest.approx(0.034)


def test_assumed_status_is_kept():
    polls = sk.read_polls(frame(n_status=["assumed", "assumed"]))
    assert polls["n_status"].tolist() == ["assumed", "assumed"]


def test_extra_columns_are_kept():
    polls = sk.read_polls(frame(quote=["a", "b"]))
    assert polls["quote"].tolist() == ["a", "b"]


def test_dataframe_index_is_kept_and_named_in_errors():
    data = frame(share_pct=[44, 480]).set_axis(["r1", "r2"])
    with pytest.raises(sk.SurveyKitError, match=r"row 'r2', column 'share_pct'.*480"):
        sk.read_polls(data)
    assert list(sk.read_polls(frame().set_axis(["a", "b"])).index) == ["a", "b"]


# ---------------------------------------------------------------------------- errors
def test_proportion_above_one_hints_at_percent(tmp_path):
    path = write(tmp_path, "pollster,question,option,proportion\nX,q,a,55\nX,q,b,25\n")
    with pytest.raises(
        sk.SurveyKitError, match=r"line 2 of .*polls.csv, column 'proportion'.*percent=True"
    ):
        sk.read_polls(path)


def test_negative_proportion(tmp_path):
    path = write(tmp_path, "pollster,question,option,proportion\nX,q,a,0.5\nX,q,b,-0.1\n")
    with pytest.raises(sk.SurveyKitError, match=r"line 3 .*column 'proportion'.*-0.1"):
        sk.read_polls(path)


def test_share_pct_above_hundred():
    with pytest.raises(sk.SurveyKitError, match=r"row 1, column 'share_pct'.*between 0 and 100"):
        sk.read_polls(frame(share_pct=[44, 148]))


def test_share_with_a_percent_sign_is_a_percentage_in_either_column():
    polls = sk.read_polls(frame(share_pct=["44%", 48]))
    assert polls["proportion"].tolist() == [0.44, 0.48]
    data = frame().drop(columns="share_pct").assign(proportion=["44%", "0.48"])
    assert sk.read_polls(data)["proportion"].tolist() == [0.44, 0.48]
    assert sk.read_polls(data, percent=True)["proportion"].tolist() == [0.44, 0.0048]
    moe = sk.read_polls(frame(moe_pct=["3%", 3]))["moe"]
    assert moe.tolist() == [0.03, 0.03]


@pytest.mark.parametrize("bad", ["44%%", "% 44", "forty-four%"])
def test_text_share(bad):
    with pytest.raises(sk.SurveyKitError, match=r"row 0, column 'share_pct'.*must be a number"):
        sk.read_polls(frame(share_pct=[bad, 48]))


def test_missing_share():
    with pytest.raises(
        sk.SurveyKitError, match=r"row 1, column 'share_pct': the share is missing"
    ):
        sk.read_polls(frame(share_pct=[44, None]))


@pytest.mark.parametrize("bad", [0, -5, 1612.5])
def test_bad_n(bad):
    with pytest.raises(sk.SurveyKitError, match=r"row 1, column 'n'.*positive whole number"):
        sk.read_polls(frame(n=[1612, bad]))


def test_n_with_thousands_separator(tmp_path):
    path = write(tmp_path, 'pollster,question,option,share_pct,n\nX,q,a,55,"1,600"\n')
    polls = sk.read_polls(path)
    assert polls["n"].tolist() == [1600]
    assert str(polls["n"].dtype) == "Int64"
    assert sk.read_polls(frame(n=["1,234,567", 1612]))["n"].tolist() == [1234567, 1612]


@pytest.mark.parametrize("bad", ["1,5", "1,6000", "16,00", ",600", "1,600.5"])
def test_n_with_a_misplaced_comma_says_the_fix(tmp_path, bad):
    path = write(tmp_path, f'pollster,question,option,share_pct,n\nX,q,a,55,"{bad}"\n')
    with pytest.raises(
        sk.SurveyKitError, match=r"line 2 .*column 'n'.*decimal commas.*thousands separators"
    ):
        sk.read_polls(path)


def test_options_adding_beyond_rounding():
    with pytest.raises(sk.SurveyKitError, match=r"column 'share_pct'.*add up to 110%"):
        sk.read_polls(frame(share_pct=[60, 50]))


def test_options_adding_within_rounding_are_accepted():
    # two shares each rounded up by half a point may add to 101%
    polls = sk.read_polls(frame(share_pct=[50.5, 50.5]))
    assert polls["proportion"].sum() == pytest.approx(1.01)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2021-09-17", "2021-09-17", "day"),
        ("2021/09/17", "2021-09-17", "day"),
        ("Sep 2021", "2021-09-30", "month"),
        ("Sept. 2021", "2021-09-30", "month"),
        ("September 2021", "2021-09-30", "month"),
        ("17 September 2021", "2021-09-17", "day"),
        ("17 Sep 2021", "2021-09-17", "day"),
        ("September 17, 2021", "2021-09-17", "day"),
        ("february 2024", "2024-02-29", "month"),
        ("2021", "2021-12-31", "year"),
    ],
)
def test_common_date_forms(text, expected, precision):
    polls = sk.read_polls(frame(fieldwork_start=[None, None], fieldwork_end=[text, text]))
    assert polls["fieldwork_end"].iloc[0] == pd.Timestamp(expected)
    start = sk.read_polls(frame(fieldwork_start=[text, text], fieldwork_end=[text, text]))
    assert start["date_precision"].iloc[0] == precision


@pytest.mark.parametrize("text", ["09/10/2021", "31/08/2022", "9.10.2021", "09-10-21"])
def test_day_and_month_as_numbers_are_refused_with_the_fix(text):
    with pytest.raises(
        sk.SurveyKitError,
        match=r"row 0, column 'fieldwork_end': is ambiguous.*YYYY-MM-DD.*month's name",
    ):
        sk.read_polls(frame(fieldwork_end=[text, "2022-08-31"]))


@pytest.mark.parametrize(
    "bad", ["2022-13", "Augst 2022", "2022-02-30", "32 August 2022", "Sep 31, 2022", "soon"]
)
def test_unparseable_date(bad):
    with pytest.raises(sk.SurveyKitError, match=r"row 0, column 'fieldwork_end'.*not a date"):
        sk.read_polls(frame(fieldwork_end=[bad, "2022-08-31"]))


def test_end_before_start():
    with pytest.raises(sk.SurveyKitError, match=r"column 'fieldwork_end'.*ends before it starts"):
        sk.read_polls(frame(fieldwork_end=["2022-08-01", "2022-08-01"]))


@pytest.mark.parametrize("column", ["pollster", "question", "option"])
def test_missing_required_column(column):
    with pytest.raises(sk.SurveyKitError, match=rf"missing required column\(s\) '{column}'"):
        sk.read_polls(frame().drop(columns=column))


def test_missing_share_column():
    with pytest.raises(sk.SurveyKitError, match=r"'proportion \(or share_pct\)'"):
        sk.read_polls(frame().drop(columns="share_pct"))


def test_blank_required_value():
    with pytest.raises(sk.SurveyKitError, match=r"row 1, column 'option': must not be blank"):
        sk.read_polls(frame(option=["talks", ""]))


def test_duplicate_option():
    with pytest.raises(sk.SurveyKitError, match=r"lists this option twice"):
        sk.read_polls(frame(option=["talks", "talks"], share_pct=[44, 44]))


def test_bad_n_status():
    with pytest.raises(sk.SurveyKitError, match=r"column 'n_status'.*'published', 'assumed'"):
        sk.read_polls(frame(n_status=["published", "maybe"]))


def test_inconsistent_n_status():
    with pytest.raises(sk.SurveyKitError, match=r"n_status.*n column is blank"):
        sk.read_polls(frame(n=[None, None], n_status=["assumed", "assumed"]))
    with pytest.raises(sk.SurveyKitError, match=r"n_status.*says n is unknown but n is 1612"):
        sk.read_polls(frame(n_status=["unknown", "unknown"]))


def test_moe_in_percent_in_moe_column():
    with pytest.raises(sk.SurveyKitError, match=r"column 'moe'.*moe_pct"):
        sk.read_polls(frame(moe=[3.4, 3.4]))


def test_bad_sources():
    with pytest.raises(sk.SurveyKitError, match=r"no file at 'nope.csv'"):
        sk.read_polls("nope.csv")
    with pytest.raises(sk.SurveyKitError, match=r"path to a CSV file or a pandas DataFrame"):
        sk.read_polls(42)
    with pytest.raises(sk.SurveyKitError, match=r"no rows"):
        sk.read_polls(frame().iloc[:0])


def test_both_share_columns():
    with pytest.raises(sk.SurveyKitError, match=r"not both"):
        sk.read_polls(frame(proportion=[0.44, 0.48]))


def test_readme_example_file_reads(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    assert len(block.strip().splitlines()) == 3
    polls = sk.read_polls(write(tmp_path, block))
    assert polls["n"].tolist()[0] == 1612 and polls["n_status"].tolist() == [
        "published",
        "unknown",
    ]
    assert polls["proportion"].tolist() == [0.44, 0.57]
    assert polls["fieldwork_end"].tolist() == [
        pd.Timestamp("2022-08-31"),
        pd.Timestamp("2022-10-31"),
    ]
