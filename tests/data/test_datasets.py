"""The shipped datasets: complete, sourced, loadable from the installed package."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import surveykit as sk
from surveykit.data.datasets import _data_dir, datasheet

REPO = Path(__file__).resolve().parents[2]


def test_list_datasets_has_descriptions():
    listing = sk.list_datasets()
    assert {"kremlin_fso_2022", "russia_war_polls"} <= set(listing["name"])
    assert (listing["description"].str.len() > 20).all()


def test_default_dataset_is_the_fso_leak():
    fso = sk.load_dataset()
    assert fso.attrs["dataset"] == "kremlin_fso_2022"
    got = {(r.poll_id, r.option): r.proportion for r in fso.itertuples()}
    assert got == {
        ("fso-2022-07", "start peace talks"): 0.32,
        ("fso-2022-11", "start peace talks"): 0.55,
        ("fso-2022-11", "continue military action"): 0.25,
    }
    assert (fso["n_status"] == "unknown").all()
    assert fso["n"].isna().all()
    assert (fso["mode"] == "unknown").all()
    assert fso["source"].str.contains("meduza").any()


def test_fso_datasheet_states_what_is_unknown():
    text = datasheet("kremlin_fso_2022").lower()
    assert "no sample size" in text
    assert "30%" in text  # the disputed July figure
    assert "https://" in text


def test_russia_war_polls_keeps_every_row_and_url():
    polls = sk.load_dataset("russia_war_polls")
    source_csv = REPO / "datasets" / "russia_war_polls.csv"
    with source_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(polls) == len(rows) == 53
    assert set(polls["pollster"]) == {
        "Levada Center",
        "Russian Field",
        "Chronicles (Khroniki)",
        "VTsIOM",
        "FSO (Kremlin-commissioned, leaked via Meduza)",
    }
    assert polls["source"].str.startswith("https://").all()
    # published n where given, unknown elsewhere
    published = polls["n"].notna()
    assert (polls.loc[published, "n_status"] == "published").all()
    assert (polls.loc[~published, "n_status"] == "unknown").all()
    levada_aug = polls[(polls.poll_id == "levada-2022-08") & (polls.option == "start peace talks")]
    assert levada_aug["n"].iloc[0] == 1612
    assert levada_aug["moe"].iloc[0] == pytest.approx(0.034)
    assert levada_aug["proportion"].iloc[0] == pytest.approx(0.44)


def test_every_dataset_has_a_datasheet_with_sources():
    for name in sk.list_datasets()["name"]:
        text = datasheet(name)
        assert text.startswith(f"# {name} — ")
        assert "http" in text


def test_unknown_dataset_name():
    names = r"name must be one of .*'kremlin_fso_2022'.*'nope'"
    with pytest.raises(sk.SurveyKitError, match=names):
        sk.load_dataset("nope")


def test_datasets_match_the_repository_copy():
    """The package's copy (installed or not) holds the same files as datasets/."""
    here = _data_dir()
    files = [p for p in (REPO / "datasets").rglob("*") if p.is_file()]
    assert any(p.parent.name == "microdata" for p in files)
    for path in files:
        copy = here / path.relative_to(REPO / "datasets")
        assert copy.read_bytes() == path.read_bytes()


def test_load_returns_a_fresh_frame():
    a = sk.load_dataset()
    a.loc[0, "proportion"] = 0.99
    assert sk.load_dataset()["proportion"].iloc[0] == 0.32
    assert isinstance(a, pd.DataFrame)
