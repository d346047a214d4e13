"""read_microdata reads CSV, Parquet, Stata and SPSS; the sidecar names the design."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from design_data import load, make_design
from numpy.testing import assert_allclose

from surveykit import SurveyKitError
from surveykit.data.microdata import read_design_sidecar, read_microdata
from surveykit.design import SurveyDesign


@pytest.fixture
def apiclus1():
    return load("apiclus1")[["dnum", "pw", "fpc", "api00", "stype", "yes"]]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta"])
def test_formats_round_trip_and_build_the_r_design(tmp_path, apiclus1, suffix):
    path = tmp_path / f"api{suffix}"
    if suffix == ".csv":
        apiclus1.to_csv(path, index=False)
    elif suffix == ".parquet":
        apiclus1.to_parquet(path)
    else:
        apiclus1.to_stata(path, write_index=False)
    (tmp_path / "api.design.json").write_text(
        json.dumps({"psu": "dnum", "weights": "pw", "fpc": "fpc"})
    )
    design = SurveyDesign.from_file(path)
    expected = make_design("clus1").mean("api00")
    assert_allclose(design.mean("api00").se, expected.se, rtol=1e-10)


def test_stata_value_labels_become_categories(tmp_path):
    path = tmp_path / "labels.dta"
    frame = pd.DataFrame({"vote": pd.Categorical(["yes", "no", "yes"], categories=["yes", "no"])})
    frame.to_stata(path, write_index=False)
    read = read_microdata(path)
    assert isinstance(read["vote"].dtype, pd.CategoricalDtype)
    assert list(read["vote"].cat.categories) == ["yes", "no"]


def test_spss_value_labels_become_categories(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "s.sav"
    frame = pd.DataFrame({"psu": [1.0, 1, 2, 2], "vote": [1.0, 2, 1, np.nan]})
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"vote": {1.0: "yes", 2.0: "no"}})
    read = read_microdata(path)
    assert list(read["vote"].cat.categories) == ["yes", "no"]
    assert read["vote"].isna().sum() == 1
    design = SurveyDesign(read, psu="psu")
    assert_allclose(design.mean("vote", na_rm=True).estimate, [2 / 3, 1 / 3])


def test_no_sidecar_and_overrides(tmp_path, apiclus1):
    path = tmp_path / "api.csv"
    apiclus1.to_csv(path, index=False)
    assert read_design_sidecar(path) is None
    design = SurveyDesign.from_file(path, psu="dnum", weights="pw")
    assert design.degrees_of_freedom == 14


def test_refusals(tmp_path):
    with pytest.raises(SurveyKitError, match="path: no file at"):
        read_microdata(tmp_path / "none.csv")
    (tmp_path / "x.xlsx").write_text("x")
    with pytest.raises(SurveyKitError, match=r"has extension '.xlsx'; microdata files must be"):
        read_microdata(tmp_path / "x.xlsx")
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(SurveyKitError, match="could not be read as parquet"):
        read_microdata(tmp_path / "bad.parquet")
    (tmp_path / "s.design.json").write_text("{psu: 1}")
    with pytest.raises(SurveyKitError, match="is not valid JSON"):
        read_design_sidecar(tmp_path / "s.csv")
    (tmp_path / "s.design.json").write_text('["psu"]')
    with pytest.raises(SurveyKitError, match="must hold a JSON object"):
        read_design_sidecar(tmp_path / "s.csv")
    (tmp_path / "s.design.json").write_text('{"cluster": "psu"}')
    with pytest.raises(SurveyKitError, match="unknown key 'cluster'; the keys are psu, strata"):
        read_design_sidecar(tmp_path / "s.csv")
    with pytest.raises(SurveyKitError, match="path must be a file path"):
        read_microdata(3)
