"""Shared data of the poll-series tests: the R reference output and the fitted series."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit.series import poll_trend

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "poll_trend_R.csv"
ELECTIONS = {"2004-10-09": 0.3764, "2007-11-24": 0.4338}
#: pscl's size for the four Morgan face-to-face polls whose n was not published
PSCL_IMPUTED_N = 1450.543


@pytest.fixture(scope="session")
def reference() -> pd.DataFrame:
    """Rscript tests/reference/poll_trend.R -> tests/reference/poll_trend_R.csv."""
    return pd.read_csv(REFERENCE, keep_default_na=False, dtype={"key": str})


@pytest.fixture(scope="session")
def australia() -> pd.DataFrame:
    polls = sk.load_dataset("australia_2004_2007")
    return polls[polls["mode"] != "election"]


@pytest.fixture(scope="session")
def talks() -> pd.DataFrame:
    # a frozen copy of the dataset (the one tests/reference/poll_trend.R reads), so that
    # adding polls to the shipped dataset does not move the reference
    polls = sk.read_polls(REFERENCE.parent / "data" / "russia_war_polls.csv")
    return polls[polls["option"] == "start peace talks"]


@pytest.fixture(scope="session")
def russia_fitted(talks) -> pd.DataFrame:
    return talks[talks["pollster"].isin(["Levada Center", "Russian Field"])]


@pytest.fixture(scope="session")
def fits(australia, russia_fitted) -> dict:
    """The five fits of tests/reference/poll_trend.R, by case name."""
    alp = {"option": "ALP", "assumed_n": PSCL_IMPUTED_N}
    return {
        "aus_sumzero": poll_trend(australia, **alp),
        "aus_reference": poll_trend(australia, **alp, house_effects="Newspoll", sigma=0.003),
        "aus_anchored": poll_trend(australia, **alp, anchors=ELECTIONS),
        "aus_greens_logit": poll_trend(
            australia, option="Greens", assumed_n=PSCL_IMPUTED_N, scale="logit"
        ),
        "russia_talks": poll_trend(
            russia_fitted,
            question=list(russia_fitted["question"].unique()),
            option="start peace talks",
            assumed_n=1600,
        ),
    }
