"""R survey's example data and the designs of tests/reference/design.R, for the design
tests (a plain module: pytest puts this folder on the path, so ``from design_data import
make_design`` works whether surveykit is installed or not)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.design import SurveyDesign

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def load(name: str) -> pd.DataFrame:
    """R survey's example data as exported by tests/reference/design.R."""
    frame = pd.read_csv(REFERENCE / "data" / f"{name}.csv")
    if "sch.wide" in frame:
        frame["yes"] = (frame["sch.wide"] == "Yes").astype(float)
    return frame


def make_design(name: str, lonely_psu: str = "fail") -> SurveyDesign:
    """The designs of design.R, under the same names (R's call in each comment)."""
    if name == "strat":  # svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
        return SurveyDesign(load("apistrat"), strata="stype", weights="pw", fpc="fpc")
    if name == "clus1":  # svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)
        return SurveyDesign(load("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    if name == "clus1_nofpc":  # svydesign(id=~dnum, weights=~pw, data=apiclus1)
        return SurveyDesign(load("apiclus1"), psu="dnum", weights="pw")
    if name == "clus2":  # svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)
        return SurveyDesign(load("apiclus2"), psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])
    if name == "clus2_nofpc":  # svydesign(id=~dnum+snum, weights=~pw, data=apiclus2)
        return SurveyDesign(load("apiclus2"), psu=["dnum", "snum"], weights="pw")
    if name == "srs":  # svydesign(id=~1, fpc=~fpc, data=apisrs)
        return SurveyDesign(load("apisrs"), fpc="fpc")
    if name == "nhanes":
        # svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes)
        return SurveyDesign(
            load("nhanes"), psu="SDMVPSU", strata="SDMVSTRA", weights="WTMEC2YR", nest=True
        )
    if name == "county":  # svydesign(id=~1, strata=~cname, weights=~pw, data=apistrat)
        return SurveyDesign(load("apistrat"), strata="cname", weights="pw", lonely_psu=lonely_psu)
    if name == "strat_clus2":
        # svydesign(id=~dnum+snum, strata=~stype, fpc=~fpc1+fpc2, nest=TRUE, data=apiclus2)
        return SurveyDesign(
            load("apiclus2"),
            psu=["dnum", "snum"],
            strata="stype",
            fpc=["fpc1", "fpc2"],
            nest=True,
            lonely_psu=lonely_psu,
        )
    raise KeyError(name)
