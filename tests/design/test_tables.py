"""Tables and tests of independence equal R's svytotal/svymean of interactions and svychisq."""

from __future__ import annotations

import numpy as np
import pytest
from design_data import make_design
from numpy.testing import assert_allclose

from surveykit import SurveyKitError

API = ["strat", "clus1", "clus1_nofpc", "clus2", "clus2_nofpc", "srs"]


@pytest.mark.parametrize("statistic", ["F", "Chisq", "Wald"])
@pytest.mark.parametrize("design_name", API)
def test_chisq_equals_r(design_name, statistic, r_results):
    # R: svychisq(~sch.wide + stype, d, statistic = statistic)
    r = r_results[
        (r_results["design"] == design_name)
        & (r_results["analysis"] == "chisq")
        & (r_results["method"] == statistic)
    ].iloc[0]
    test = make_design(design_name).chisq("sch.wide", "stype", statistic=statistic)
    assert_allclose(test.statistic, float(r["statistic"]), rtol=1e-8)
    assert_allclose(test.pvalue, float(r["pvalue"]), rtol=1e-6)
    assert_allclose(test.ndf, float(r["ndf"]), rtol=1e-8)
    if r["ddf"] != "":
        assert_allclose(test.ddf, float(r["ddf"]), rtol=1e-8)
    else:
        assert np.isnan(test.ddf)


@pytest.mark.parametrize("statistic", ["F", "Chisq", "Wald"])
@pytest.mark.parametrize(
    ("row", "column", "name"),
    [("race", "agecat", "race:agecat"), ("HI_CHOL", "race", "HI_CHOL:race")],
)
def test_nhanes_chisq_equals_r(row, column, name, statistic, r_results):
    # R: svychisq(~race + agecat, d, statistic = s); svychisq(~HI_CHOL + race, d, statistic = s)
    # (R drops rows missing HI_CHOL by default: na_rm=True here)
    r = r_results[
        (r_results["design"] == "nhanes")
        & (r_results["name"] == name)
        & (r_results["method"] == statistic)
    ].iloc[0]
    test = make_design("nhanes").chisq(row, column, statistic=statistic, na_rm=True)
    assert_allclose(test.statistic, float(r["statistic"]), rtol=1e-8)
    assert_allclose(test.pvalue, float(r["pvalue"]), rtol=1e-6)
    assert_allclose(test.ndf, float(r["ndf"]), rtol=1e-8)


@pytest.mark.parametrize("design_name", API)
def test_table_equals_r(design_name, r_results):
    # R: svytotal(~interaction(stype, sch.wide), d); svymean(~interaction(stype, sch.wide), d)
    table = make_design(design_name).table("stype", "sch.wide").to_frame()
    names = table["row_level"] + "." + table["column_level"]
    for analysis, estimate, se in [
        ("table_total", "count", "count_se"),
        ("table_mean", "share", "share_se"),
    ]:
        r = r_results[(r_results["design"] == design_name) & (r_results["analysis"] == analysis)]
        assert list(r["name"]) == list(names)
        assert_allclose(table[estimate], r["estimate"].astype(float), rtol=1e-8)
        assert_allclose(table[se], r["se"].astype(float), rtol=1e-8)


def test_one_way_table_is_the_categorical_total():
    design = make_design("clus1")
    table = design.table("stype")
    total = design.total("stype")
    assert_allclose(table.count, total.estimate)
    assert_allclose(table.count_se, total.se)
    assert "3 cells" in repr(table)


def test_refusals():
    design = make_design("nhanes")
    with pytest.raises(SurveyKitError, match=r"column 'HI_CHOL' has 745 missing value"):
        design.chisq("HI_CHOL", "race")
    with pytest.raises(SurveyKitError, match="statistic must be one of 'F', 'Chisq', 'Wald'"):
        design.chisq("race", "agecat", statistic="chisq")
    with pytest.raises(SurveyKitError, match=r"row and column: no column 'age'"):
        design.chisq("race", "age")
