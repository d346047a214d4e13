"""Estimates, SEs, design effects, degrees of freedom and intervals equal R's survey package.

Every reference number comes from ``tests/reference/design.R`` (R survey 4.1), which
writes ``design_R.csv``: one row per estimate with the R call that produced it. Each
Python call below sits beside the R call it reproduces.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from design_data import make_design
from numpy.testing import assert_allclose

METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit")


def _key(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """R's names for elements (``stypeE``, ``api00``) and domains (``stype=E;sch.wide=No``)."""
    by = [c for c in frame.columns if c not in _FIELDS]
    keys = []
    for _, row in frame.iterrows():
        level = row["level"]
        name = row["variable"] if level is None or pd.isna(level) else f"{row['variable']}{level}"
        domain = ";".join(f"{c}={row[c]}" for c in by)
        keys.append((str(name), domain))
    return keys


_FIELDS = {
    "variable",
    "level",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "df",
    "deff",
    "n",
    "n_eff",
    "quantity",
    "confidence_level",
    "method",
}

# R call -> the same estimate in surveykit (d is the design)
ESTIMATES: dict[str, Callable] = {
    "svymean(~api00, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.mean("api00", **k),
    "svytotal(~api00, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.total("api00", **k),
    "svymean(~api99, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.mean("api99", **k),
    "svytotal(~api99, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.total("api99", **k),
    "svymean(~enroll, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.mean("enroll", **k),
    "svytotal(~enroll, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.total("enroll", **k),
    "svymean(~enroll, d, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.mean(
        "enroll", na_rm=True, **k
    ),
    "svytotal(~enroll, d, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.total(
        "enroll", na_rm=True, **k
    ),
    "svymean(~api00 + api99, d, deff = TRUE)": lambda d, **k: d.mean(["api00", "api99"], **k),
    "svymean(~stype, d, deff = TRUE)": lambda d, **k: d.mean("stype", **k),
    "svytotal(~stype, d, deff = TRUE)": lambda d, **k: d.total("stype", **k),
    "svyratio(~api.stu, ~enroll, d, na.rm = FALSE, deff = TRUE)": lambda d, **k: d.ratio(
        "api.stu", "enroll", **k
    ),
    "svyratio(~api.stu, ~enroll, d, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.ratio(
        "api.stu", "enroll", na_rm=True, **k
    ),
    "svyby(~api00, ~stype, d, svymean, deff = TRUE)": lambda d, **k: d.mean(
        "api00", by="stype", **k
    ),
    "svyby(~api00, ~stype, d, svytotal, deff = TRUE)": lambda d, **k: d.total(
        "api00", by="stype", **k
    ),
    "svyby(~api00, ~stype + sch.wide, d, svymean, deff = TRUE)": lambda d, **k: d.mean(
        "api00", by=["stype", "sch.wide"], **k
    ),
    "svyby(~api.stu, ~stype, d, svyratio, denominator = ~enroll, na.rm = FALSE)": (
        lambda d, **k: d.ratio("api.stu", "enroll", by="stype", **k)
    ),
    "svyby(~api.stu, ~stype, d, svyratio, denominator = ~enroll, na.rm = TRUE)": (
        lambda d, **k: d.ratio("api.stu", "enroll", by="stype", na_rm=True, **k)
    ),
    "svyby(~stype, ~sch.wide, d, svymean, deff = TRUE)": lambda d, **k: d.mean(
        "stype", by="sch.wide", **k
    ),
    "svymean(~HI_CHOL, d, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.mean(
        "HI_CHOL", na_rm=True, **k
    ),
    "svytotal(~HI_CHOL, d, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.total(
        "HI_CHOL", na_rm=True, **k
    ),
    "svymean(~agecat, d, deff = TRUE)": lambda d, **k: d.mean("agecat", **k),
    "svyby(~HI_CHOL, ~race, d, svymean, na.rm = TRUE, deff = TRUE)": lambda d, **k: d.mean(
        "HI_CHOL", by="race", na_rm=True, **k
    ),
    "svyby(~HI_CHOL, ~race + RIAGENDR, d, svytotal, na.rm = TRUE)": lambda d, **k: d.total(
        "HI_CHOL", by=["race", "RIAGENDR"], na_rm=True, **k
    ),
}

ESTIMATE_ANALYSES = ("mean", "total", "ratio", "mean_by", "total_by", "ratio_by")


def _groups(r_results: pd.DataFrame, analyses: tuple[str, ...], lonely: bool = False):
    rows = r_results[r_results["analysis"].isin(analyses)]
    lonely_designs = rows["design"].isin(["county", "strat_clus2"])
    rows = rows[lonely_designs] if lonely else rows[~lonely_designs]
    return [(key, frame) for key, frame in rows.groupby(["design", "call"], sort=False)]


def _number(value: str) -> float:
    return float(value) if value not in ("", "NA") else np.nan


def _match(result_frame: pd.DataFrame, r_rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``result_frame`` in the order of R's rows (by name and domain)."""
    keys = _key(result_frame)
    position = {key: i for i, key in enumerate(keys)}
    wanted = [(row["name"], row["domain"]) for _, row in r_rows.iterrows()]
    missing = [k for k in wanted if k not in position]
    assert not missing, f"no element {missing[0]} among {keys}"
    assert len(keys) == len(wanted), f"surveykit gives {keys}, R gives {wanted}"
    return result_frame.iloc[[position[k] for k in wanted]].reset_index(drop=True)


def pytest_generate_tests(metafunc):
    if "estimate_case" in metafunc.fixturenames:
        from design_data import REFERENCE

        frame = pd.read_csv(REFERENCE / "design_R.csv", keep_default_na=False)
        cases = [
            key
            for key, _ in frame[frame["analysis"].isin(ESTIMATE_ANALYSES)]
            .loc[~frame["design"].isin(["county", "strat_clus2"])]
            .groupby(["design", "call"], sort=False)
        ]
        metafunc.parametrize("estimate_case", cases, ids=[f"{d}:{c}" for d, c in cases])


def test_estimates_equal_r(estimate_case, r_results):
    design_name, call = estimate_case
    rows = r_results[(r_results["design"] == design_name) & (r_results["call"] == call)]
    design = make_design(design_name)
    compute = ESTIMATES[call]
    ours = _match(compute(design).to_frame(), rows)
    r = rows.reset_index(drop=True)
    assert_allclose(ours["estimate"], r["estimate"].map(_number), rtol=1e-8)
    se = r["se"].map(_number)
    assert_allclose(ours["se"], se, rtol=1e-8, atol=1e-12 * float(np.abs(ours["estimate"]).max()))
    deff = r["deff"].map(_number)
    if deff.notna().any():
        assert_allclose(ours["deff"][se > 0], deff[se > 0], rtol=1e-8)
    replace = r["deff_replace"].map(_number)
    if replace.notna().any():
        with_replacement = _match(compute(design, srs="with-replacement").to_frame(), rows)
        assert_allclose(with_replacement["deff"][se > 0], replace[se > 0], rtol=1e-8)
    df = r["df"].map(_number)
    if df.notna().any():
        assert_allclose(ours["df"], df)
        assert_allclose(ours["n"], r["n"].map(_number))
    if (r["ci_low"] != "").any():
        assert_allclose(ours["ci_low"], r["ci_low"].map(_number), rtol=1e-8)
        assert_allclose(ours["ci_high"], r["ci_high"].map(_number), rtol=1e-8)
        normal = _match(compute(design, df=np.inf).to_frame(), rows)
        assert_allclose(normal["ci_low"], r["ci_low_z"].map(_number), rtol=1e-8)
        assert_allclose(normal["ci_high"], r["ci_high_z"].map(_number), rtol=1e-8)


@pytest.mark.parametrize(
    "design_name", ["strat", "clus1", "clus1_nofpc", "clus2", "clus2_nofpc", "srs", "nhanes"]
)
def test_degrees_of_freedom_equal_r_degf(design_name, r_results):
    # R: degf(d)
    row = r_results[(r_results["design"] == design_name) & (r_results["analysis"] == "degf")]
    design = make_design(design_name)
    assert design.degrees_of_freedom == int(row["estimate"].iloc[0])
    assert design.n == int(row["n"].iloc[0])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "design_name", ["strat", "clus1", "clus1_nofpc", "clus2", "clus2_nofpc", "srs"]
)
def test_proportion_intervals_equal_r_svyciprop(design_name, method, r_results):
    # R: svyciprop(~I(sch.wide == "Yes"), d, method = method)
    rows = r_results[
        (r_results["design"] == design_name)
        & (r_results["analysis"] == "ciprop")
        & (r_results["method"] == method)
    ]
    result = make_design(design_name).proportion("yes", method=method)
    r = rows.iloc[0]
    assert_allclose(result.estimate, float(r["estimate"]), rtol=1e-8)
    assert_allclose(result.se, float(r["se"]), rtol=1e-8)
    assert_allclose(result.df, float(r["df"]))
    assert_allclose(
        [result.ci_low, result.ci_high], [float(r["ci_low"]), float(r["ci_high"])], rtol=1e-6
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "design_name", ["strat", "clus1", "clus1_nofpc", "clus2", "clus2_nofpc", "srs"]
)
def test_domain_proportion_intervals_equal_r_svyby_svyciprop(design_name, method, r_results):
    # R: svyby(~I(sch.wide == "Yes"), ~stype, d, svyciprop, method = method,
    #          vartype = c("se", "ci"))
    rows = r_results[
        (r_results["design"] == design_name)
        & (r_results["analysis"] == "ciprop_by")
        & (r_results["method"] == method)
    ]
    result = make_design(design_name).proportion("yes", method=method, by="stype")
    ours = result.to_frame()
    ours["variable"] = "sch.wide==Yes"
    ours = _match(ours, rows)
    r = rows.reset_index(drop=True)
    assert_allclose(ours["estimate"], r["estimate"].map(_number), rtol=1e-8)
    assert_allclose(ours["se"], r["se"].map(_number), rtol=1e-8)
    assert_allclose(ours["df"], r["df"].map(_number))
    assert_allclose(ours["n"], r["n"].map(_number))
    assert_allclose(ours["ci_low"], r["ci_low"].map(_number), rtol=1e-6)
    assert_allclose(ours["ci_high"], r["ci_high"].map(_number), rtol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_nhanes_proportion_intervals_equal_r(method, r_results):
    # R: svyciprop(~HI_CHOL, subset(d, !is.na(HI_CHOL)), method = method)
    r = r_results[
        (r_results["design"] == "nhanes")
        & (r_results["analysis"] == "ciprop")
        & (r_results["method"] == method)
    ].iloc[0]
    result = make_design("nhanes").proportion("HI_CHOL", method=method, na_rm=True)
    assert_allclose(result.estimate, float(r["estimate"]), rtol=1e-8)
    assert_allclose(result.se, float(r["se"]), rtol=1e-8)
    assert result.df == float(r["df"]) and result.n == float(r["n"])
    assert_allclose(
        [result.ci_low, result.ci_high], [float(r["ci_low"]), float(r["ci_high"])], rtol=1e-6
    )


@pytest.mark.parametrize("lonely", ["remove", "adjust", "average", "certainty"])
@pytest.mark.parametrize("design_name", ["county", "strat_clus2"])
def test_lonely_psu_equals_r(design_name, lonely, r_results):
    # R: options(survey.lonely.psu = lonely); svymean(~api00, d); svytotal(~api00, d);
    #    svyby(~api00, ~sch.wide, d, svymean)
    rows = r_results[(r_results["design"] == design_name) & (r_results["method"] == lonely)]
    design = make_design(design_name, lonely_psu=lonely)
    for analysis, compute in [
        ("mean", lambda: design.mean("api00")),
        ("total", lambda: design.total("api00")),
        ("mean_by", lambda: design.mean("api00", by="sch.wide")),
    ]:
        r = rows[rows["analysis"] == analysis]
        ours = _match(compute().to_frame(), r)
        assert_allclose(ours["estimate"], r["estimate"].map(_number).to_numpy(), rtol=1e-8)
        assert_allclose(ours["se"], r["se"].map(_number).to_numpy(), rtol=1e-8)
    df = rows[rows["analysis"] == "mean"]["df"].map(_number).iloc[0]
    assert design.degrees_of_freedom == df
