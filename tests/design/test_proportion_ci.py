"""ci_from_se against published values, and its refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from design_data import REFERENCE
from numpy.testing import assert_allclose

from surveykit import SurveyKitError
from surveykit.design import ci_from_se

PUBLISHED = pd.read_csv(REFERENCE / "survey_summary_published.csv")
METHOD = {"korn-graubard": "korn-graubard", "logit": "logit"}


@pytest.mark.parametrize("row", PUBLISHED.to_dict("records"), ids=lambda r: r["method"])
def test_published_intervals(row):
    # survey_summary_published.csv: R survey svyciprop(method = 'beta' / 'logit'),
    # as a table would print them (share, SE, n, df)
    ci = ci_from_se(
        row["proportion"],
        row["se"],
        df=row["df"],
        n=row["n"],
        method=METHOD[row["method"]],
        confidence_level=row["confidence_level"],
    )
    assert_allclose([ci.ci_low, ci.ci_high], [row["ci_low"], row["ci_high"]], rtol=1e-6)


def test_matches_design_based_svyciprop(r_results):
    # R: svyciprop(~I(sch.wide == "Yes"), dclus1, method = m) for the printed share and SE
    rows = r_results[(r_results["design"] == "clus1") & (r_results["analysis"] == "ciprop")]
    for method, ours in [
        ("beta", "korn-graubard"),
        ("mean", "wald"),
        ("asin", "arcsine"),
        ("xlogit", "logit"),
    ]:
        r = rows[rows["method"] == method].iloc[0]
        ci = ci_from_se(
            float(r["estimate"]), float(r["se"]), df=float(r["df"]), n=float(r["n"]), method=ours
        )
        assert_allclose(
            [ci.ci_low, ci.ci_high], [float(r["ci_low"]), float(r["ci_high"])], rtol=1e-6
        )


def test_arrays_broadcast_and_series_keep_index():
    shares = pd.Series([0.2, 0.5], index=["a", "b"])
    ci = ci_from_se(shares, 0.02, df=np.inf, method="wald")
    assert list(ci.ci_low.index) == ["a", "b"]
    assert_allclose(ci.ci_low.to_numpy(), shares.to_numpy() - 1.959963984540054 * 0.02)
    scalar = ci_from_se(0.2, 0.02, method="wald")
    assert isinstance(scalar.ci_low, float)
    frame = ci_from_se(np.array([0.1, 0.3]), np.array([0.01, 0.02]), n=500).to_frame()
    assert len(frame) == 2 and (frame["ci_low"] < frame["estimate"]).all()


def test_korn_graubard_without_n_at_infinite_df_is_the_plain_beta_interval():
    from scipy import stats

    ci = ci_from_se(0.3, 0.03)
    n_eff = 0.3 * 0.7 / 0.03**2
    assert_allclose(ci.ci_low, stats.beta.ppf(0.025, n_eff * 0.3, n_eff * 0.7 + 1))
    assert_allclose(ci.n_eff, n_eff)
    assert np.isnan(ci.deff)


def test_zero_share_has_zero_lower_limit():
    assert ci_from_se(0.0, 0.01, n=100).ci_low == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"proportion": 55, "se": 0.02}, "proportion must be between 0 and 1, got 55"),
        ({"proportion": 0.5, "se": -0.02}, "se must be a standard error of 0 or more"),
        ({"proportion": 0.5, "se": 0.02, "df": 0}, "df must be positive degrees of freedom"),
        ({"proportion": 0.5, "se": 0.02, "n": -3}, "n must be a positive, finite sample size"),
        ({"proportion": 0.5, "se": 0.02, "method": "beta"}, "method must be one of"),
        ({"proportion": 0.5, "se": 0.02, "df": 30}, "needs n"),
        ({"proportion": 0.5, "se": 0.02, "confidence_level": 95}, "confidence_level must be"),
        (
            {"proportion": 0.5, "se": 1.92},
            r"se must be .* at most 0.5, got .*1.92.*; .* se=0.0192",
        ),
        ({"proportion": 0.5, "se": 1e300}, r"se must be the standard error of a share"),
        ({"proportion": 0.5, "se": 0.02, "confidence_level": None}, "confidence_level must"),
        ({"proportion": 0.5, "se": 0.02, "confidence_level": "95%"}, "confidence_level must"),
        ({"proportion": 0.5, "se": 0.02, "confidence_level": [0.9, 0.95]}, "confidence_level"),
    ],
)
def test_refusals(kwargs, message):
    with pytest.raises(SurveyKitError, match=message):
        ci_from_se(**kwargs)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

shares = st.floats(0.01, 0.99)
ses = st.floats(0.001, 0.2)


@given(p=shares, se=ses, df=st.floats(2, 1e4), method=st.sampled_from(["korn-graubard", "logit"]))
def test_interval_contains_the_share_within_zero_and_one(p, se, df, method):
    ci = ci_from_se(p, se, df=df, n=df + 1, method=method)
    assert 0 <= ci.ci_low <= p <= ci.ci_high <= 1


@given(p=shares, se=ses, method=st.sampled_from(["korn-graubard", "logit", "wald", "arcsine"]))
def test_symmetric_under_p_to_one_minus_p(p, se, method):
    ci = ci_from_se(p, se, n=500, df=60, method=method)
    mirror = ci_from_se(1 - p, se, n=500, df=60, method=method)
    assert_allclose([ci.ci_low, ci.ci_high], [1 - mirror.ci_high, 1 - mirror.ci_low], atol=1e-9)


@given(p=shares, se=ses)
def test_narrows_as_the_se_shrinks(p, se):
    wide = ci_from_se(p, se, method="logit")
    narrow = ci_from_se(p, se / 2, method="logit")
    assert narrow.ci_high - narrow.ci_low < wide.ci_high - wide.ci_low
