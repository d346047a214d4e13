"""The design object: construction, immutability, domains, shapes, and every refusal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from design_data import load, make_design
from numpy.testing import assert_allclose

from surveykit import SurveyKitError
from surveykit.design import SurveyDesign, SurveyEstimate


@pytest.fixture(scope="module")
def apistrat():
    return load("apistrat")


@pytest.fixture(scope="module")
def strat():
    return make_design("strat")


def test_weights_from_fpc_as_r(r_results):
    # R: svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2) computes weights N1/n1 * N2/n2,
    # which equal apiclus2$pw
    design = make_design("clus2")
    assert_allclose(design.weights.to_numpy(), load("apiclus2")["pw"].to_numpy(), rtol=1e-6)


def test_fractions_and_population_sizes_give_the_same_design(apistrat):
    sizes = SurveyDesign(apistrat, strata="stype", weights="pw", fpc="fpc")
    counts = apistrat.groupby("stype")["stype"].transform("size")
    fractions = SurveyDesign(
        apistrat.assign(f=counts / apistrat["fpc"]), strata="stype", weights="pw", fpc="f"
    )
    assert_allclose(fractions.mean("api00").se, sizes.mean("api00").se, rtol=1e-12)


def test_equal_weights_without_weights_or_fpc(apistrat):
    design = SurveyDesign(apistrat, strata="stype")
    assert (design.weights == 1).all()
    assert_allclose(design.mean("api00").estimate, apistrat["api00"].mean())


def test_immutable(strat):
    with pytest.raises(AttributeError, match="immutable"):
        strat.lonely_psu = "adjust"
    with pytest.raises(ValueError, match="read-only"):
        strat.stages[0].n_units[0] = 5
    weights = strat.weights
    weights.iloc[0] = -1
    assert strat.weights.iloc[0] > 0


def test_subset_is_a_domain_not_dropped_rows(strat, apistrat, r_results):
    # R: svyby(~api00, ~stype, dstrat, svymean): the stype == "E" row
    domain = strat.subset(apistrat["stype"] == "E")
    by = strat.mean("api00", by="stype").to_frame()
    row = by[by["stype"] == "E"].iloc[0]
    result = domain.mean("api00")
    assert_allclose([result.estimate, result.se], [row["estimate"], row["se"]], rtol=1e-12)
    assert domain.n == (apistrat["stype"] == "E").sum()
    assert domain.degrees_of_freedom == int(row["df"])
    # rows dropped instead would lose the other strata: a different (wrong) SE
    dropped = SurveyDesign(
        apistrat[apistrat["stype"] == "E"], strata="stype", weights="pw", fpc="fpc"
    )
    assert_allclose(dropped.mean("api00").se, result.se, rtol=1e-12)  # stratum = domain here
    clus1 = make_design("clus1")
    data = load("apiclus1")
    small = clus1.subset(data["stype"] == "H").mean("api00")
    alone = SurveyDesign(data[data["stype"] == "H"], psu="dnum", weights="pw", fpc="fpc")
    assert not np.isclose(small.se, alone.mean("api00").se)


def test_subset_of_subset_and_repr(strat, apistrat):
    domain = strat.subset(apistrat["stype"] != "E").subset(apistrat["api00"] > 600)
    expected = ((apistrat["stype"] != "E") & (apistrat["api00"] > 600)).sum()
    assert domain.n == expected
    assert "in a domain of 200" in repr(domain)
    assert repr(strat).startswith("SurveyDesign(200 respondents, strata=stype")


def test_na_rm_equals_a_subset_of_respondents():
    design = make_design("clus2")
    data = load("apiclus2")
    answered = design.subset(data["enroll"].notna())
    assert_allclose(design.mean("enroll", na_rm=True).se, answered.mean("enroll").se, rtol=1e-12)


def test_shapes(strat):
    one = strat.mean("api00")
    assert isinstance(one, SurveyEstimate) and isinstance(one.estimate, float)
    assert "mean of 'api00'" in repr(one)
    several = strat.mean(["api00", "stype"])
    assert several.estimate.shape == (4,)
    frame = several.to_frame()
    assert list(frame["level"])[1:] == ["E", "H", "M"]
    assert "<table" in several._repr_html_()
    by = strat.total("api00", by=["stype", "sch.wide"]).to_frame()
    assert list(by.columns[:2]) == ["stype", "sch.wide"] and len(by) == 6


def test_plot(strat):
    ax = strat.proportion("stype").plot()
    assert len(ax.lines) + len(ax.collections) > 0


def test_categorical_keeps_category_order(apistrat):
    data = apistrat.assign(stype=pd.Categorical(apistrat["stype"], categories=["M", "H", "E"]))
    result = SurveyDesign(data, strata="stype", weights="pw").mean("stype")
    assert list(result.level) == ["M", "H", "E"]


def _error(match, **kwargs):
    data = kwargs.pop("data")
    with pytest.raises(SurveyKitError, match=match):
        SurveyDesign(data, **kwargs)


def test_refusals_of_designs(apistrat):
    _error("data must be a pandas DataFrame", data=[1, 2])
    _error("data has no rows", data=apistrat.iloc[:0])
    _error(r"psu: no column 'DNUM' in data; did you mean 'dnum'\?", data=apistrat, psu="DNUM")
    _error(r"strata is an empty list", data=apistrat, strata=[])
    holes = apistrat.assign(stype=apistrat["stype"].where(apistrat.index != 3))
    _error(
        r"strata column 'stype' has 1 missing value\(s\) \(first at row 3\)",
        data=holes,
        strata="stype",
    )
    negative = apistrat.assign(pw=apistrat["pw"].where(apistrat.index != 5, -2.0))
    _error(
        r"weights column 'pw' must hold finite weights of 0 or more, got -2.0 at row 5",
        data=negative,
        weights="pw",
    )
    _error("weights column 'pw' is 0 for every row", data=apistrat.assign(pw=0.0), weights="pw")
    _error("weights column 'stype' must hold numbers", data=apistrat, weights="stype")
    _error("weights must be one column name", data=apistrat, weights=["pw", "fpc"])
    _error(
        "psu column 'one' holds a single primary sampling unit",
        data=apistrat.assign(one=1),
        psu="one",
    )
    _error(
        "lonely_psu must be one of 'fail', 'remove', 'adjust', 'average', 'certainty'",
        data=apistrat,
        lonely_psu="centre",
    )
    _error("nest must be True or False", data=apistrat, nest="yes")
    _error(
        r"fpc names 1 column\(s\) but psu has 2 stage\(s\)",
        data=load("apiclus2"),
        psu=["dnum", "snum"],
        fpc="fpc1",
    )
    _error(
        r"strata names 2 column\(s\) but psu has 1 stage", data=apistrat, strata=["stype", "cname"]
    )


def test_refusals_of_fpc(apistrat):
    mixed = apistrat.assign(f=np.where(apistrat["stype"] == "E", 0.5, 1000.0))
    _error(
        "fpc must be all population sizes or all fractions", data=mixed, strata="stype", fpc="f"
    )
    _error("every value is 1", data=apistrat.assign(f=1.0), strata="stype", fpc="f")
    _error(
        r"fpc column 'f' must hold population sizes .* got -3.0",
        data=apistrat.assign(f=-3.0),
        strata="stype",
        fpc="f",
    )
    varying = apistrat.assign(f=apistrat["fpc"] + np.arange(len(apistrat)))
    _error(
        "fpc column 'f' varies within stratum 'E' at stage 1",
        data=varying,
        strata="stype",
        fpc="f",
    )
    _error(
        r"fpc column 'f' implies 10.0 units in stratum 'E' at stage 1, fewer than the 100",
        data=apistrat.assign(f=10.0),
        strata="stype",
        fpc="f",
    )


def test_refusals_of_structure():
    nhanes = load("nhanes")
    _error(
        "psu 'SDMVPSU' value 1 appears in 15 strata of 'SDMVSTRA'.*nest=True",
        data=nhanes,
        psu="SDMVPSU",
        strata="SDMVSTRA",
        weights="WTMEC2YR",
    )
    _error(
        r"stratum 'Amador' of 'cname' has only one sampling unit at stage 1 \(13 such strata\).*"
        r"lonely_psu='adjust'",
        data=load("apistrat"),
        strata="cname",
        weights="pw",
    )
    _error(
        "has only one sampling unit at stage 2",
        data=load("apiclus2"),
        psu=["dnum", "snum"],
        strata="stype",
        fpc=["fpc1", "fpc2"],
        nest=True,
    )


def test_refusals_of_estimates(strat, apistrat):
    with pytest.raises(SurveyKitError, match=r"variables: no column 'api01'"):
        strat.mean("api01")
    with pytest.raises(
        SurveyKitError,
        match=r"column 'acs.k3' has 103 missing value\(s\) in the "
        r"domain .*na_rm=True",
    ):
        strat.mean("acs.k3")
    with pytest.raises(SurveyKitError, match="by column 'flag' has 200 missing value"):
        strat.mean("api00", by="flag")
    with pytest.raises(SurveyKitError, match="every domain has no respondents"):
        strat.mean("api00", by="flag", na_rm=True)
    with pytest.raises(SurveyKitError, match="na_rm must be True or False"):
        strat.mean("api00", na_rm=1)
    with pytest.raises(SurveyKitError, match="srs must be one of 'without-replacement'"):
        strat.mean("api00", srs="wor")
    with pytest.raises(SurveyKitError, match="df must be one positive number"):
        strat.mean("api00", df=-1)
    with pytest.raises(SurveyKitError, match="confidence_level must be strictly between"):
        strat.mean("api00", confidence_level=95)
    with pytest.raises(SurveyKitError, match="ratio needs numeric columns; 'stype'"):
        strat.ratio("stype", "enroll")
    with pytest.raises(SurveyKitError, match="denominator: no column 'pupils'"):
        strat.ratio("api.stu", "pupils")
    with pytest.raises(SurveyKitError, match=r"column 'api00' must hold shares between 0 and 1"):
        strat.proportion("api00")
    with pytest.raises(SurveyKitError, match="method must be one of 'logit', 'likelihood'"):
        strat.proportion("yes", method="wilson")


def test_refusals_of_subsets(strat, apistrat):
    with pytest.raises(
        SurveyKitError,
        match=r"mask must hold one True/False per row of the data \(200 rows\), got shape \(2,\)",
    ):
        strat.subset([True, False])
    with pytest.raises(SurveyKitError, match="mask must be boolean"):
        strat.subset(np.ones(200))
    with pytest.raises(SurveyKitError, match="mask is a Series whose index differs"):
        strat.subset((apistrat["stype"] == "E").reset_index(drop=True).set_axis(range(1, 201)))
    with pytest.raises(SurveyKitError, match="mask has no respondents with a positive weight"):
        strat.subset(np.zeros(200, bool))
