"""The australia_2004_2007 dataset: pscl's polls and the two election results, sourced."""

from __future__ import annotations

import pandas as pd
from numpy.testing import assert_allclose

import surveykit as sk
from surveykit.data.datasets import datasheet


def test_dataset_holds_every_pscl_poll_and_both_results():
    polls = sk.load_dataset("australia_2004_2007")
    alp = polls[polls["option"] == "ALP"]
    assert len(polls) == 720
    assert (alp["mode"] != "election").sum() == 239  # pscl: 239 polls
    counts = alp[alp["mode"] != "election"]["pollster"].value_counts().to_dict()
    assert counts == {
        "Morgan, F2F": 94,
        "Newspoll": 78,
        "Nielsen": 42,
        "Morgan, Phone": 15,
        "Galaxy": 10,
    }
    results = polls[polls["mode"] == "election"].set_index(["fieldwork_end", "option"])
    # pscl's AustralianElections (AEC): ALP 37.64 / 43.38, LP + NP, Green
    assert_allclose(results.loc[(pd.Timestamp("2004-10-09"), "ALP"), "proportion"], 0.3764)
    assert_allclose(results.loc[(pd.Timestamp("2007-11-24"), "ALP"), "proportion"], 0.4338)
    assert_allclose(
        results.loc[(pd.Timestamp("2007-11-24"), "Coalition (Liberal + National)"), "proportion"],
        0.3660 + 0.0549,
    )


def test_unpublished_sizes_are_unknown_not_imputed():
    polls = sk.load_dataset("australia_2004_2007")
    alp = polls[(polls["option"] == "ALP") & (polls["mode"] != "election")]
    unknown = alp[alp["n_status"] == "unknown"]
    assert sorted(unknown["fieldwork_start"].dt.strftime("%Y-%m-%d")) == [
        "2004-10-30",
        "2004-11-27",
        "2005-09-10",
        "2006-06-17",
    ]
    assert (unknown["pollster"] == "Morgan, F2F").all()
    assert alp.loc[alp["n_status"] == "published", "n"].notna().all()


def test_datasheet_names_sources_and_the_imputed_size():
    text = datasheet("australia_2004_2007")
    assert text.startswith("# australia_2004_2007 — ")
    assert "https://cran.r-project.org/package=pscl" in text
    assert "1450.543" in text and "aec.gov.au" in text


def test_datasheet_example_runs():
    text = datasheet("australia_2004_2007")
    code = text.split("```python", 1)[1].split("```", 1)[0]
    namespace = {"sk": sk}
    exec(compile(code, "australia_2004_2007.md", "exec"), namespace)
    trend = namespace["trend"]
    assert trend.identification == "free" and len(trend.anchors) == 2
