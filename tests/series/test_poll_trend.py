"""poll_trend against R's dense solution of the same model, and against Jackman's numbers.

Reference: ``Rscript tests/reference/poll_trend.R`` writes tests/reference/poll_trend_R.csv.
The R script solves the model as a dense linear mixed model: V = sigma^2 L L' + diag(v),
GLS for the house effects, Henderson's BLUP and its mean squared error for every day,
REML(sigma) = -1/2[(N - p) log 2 pi + log|V| + log|X'V^-1X| + r'V^-1 r] maximised by
uniroot() on its exact score. Cases (see the script and tests/series/conftest.py):

- aus_sumzero: pscl's AustralianElectionPolling, ALP, p(1-p)/sampleSize, sum-zero;
- aus_reference: the same with Newspoll as the reference house and sigma = 0.003;
- aus_anchored: the same anchored at the 2004 and 2007 elections (37.64%, 43.38%);
- aus_greens_logit: Greens on the logit scale, sum-zero;
- russia_talks: Levada's and Russian Field's "start peace talks" (n = 1600 where unknown).

R's dense solves lose about 8 digits on the 1,100-day Australian grids (its V has a
condition number near 1e8), so the comparisons are at rtol = 1e-6; where a number can
be 0 (residuals, the standard error on an anchored day) an absolute tolerance of 1e-9
(shares) is added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import special

import surveykit as sk
from surveykit.exceptions import SurveyKitWarning
from surveykit.series import PollTrend, PollTrends, poll_trend, poll_trends

CASES = ["aus_sumzero", "aus_reference", "aus_anchored", "aus_greens_logit", "russia_talks"]


def _ref(reference: pd.DataFrame, case: str, kind: str) -> pd.DataFrame:
    rows = reference[(reference["case"] == case) & (reference["kind"] == kind)]
    out = rows.set_index("key")[["estimate", "se"]].replace("", np.nan).astype(float)
    return out


@pytest.mark.parametrize("case", CASES)
def test_sigma_and_loglik_match_r(case, reference, fits):
    fit = fits[case]
    assert_allclose(fit.sigma, _ref(reference, case, "sigma")["estimate"].iloc[0], rtol=1e-6)
    assert_allclose(fit.loglik, _ref(reference, case, "loglik")["estimate"].iloc[0], rtol=1e-8)
    assert fit.sigma_estimated == (case != "aus_reference")


@pytest.mark.parametrize("case", CASES)
def test_trend_matches_r_on_every_day(case, reference, fits):
    fit = fits[case]
    ref = _ref(reference, case, "trend")
    ref.index = pd.DatetimeIndex(ref.index)
    ours = fit.trend.loc[ref.index.intersection(fit.trend.index)]
    ref = ref.loc[ours.index]
    assert len(ours) == len(fit.trend)  # R covers every day of our grid
    if fit.scale == "logit":  # R reports log-odds; we report shares (delta-method se)
        share = special.expit(ref["estimate"])
        ref = pd.DataFrame({"estimate": share, "se": share * (1 - share) * ref["se"]})
    assert_allclose(ours["estimate"], ref["estimate"], rtol=1e-6)
    assert_allclose(ours["se"], ref["se"], rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_house_effects_match_r(case, reference, fits):
    ours = fits[case].house_effects
    ref = _ref(reference, case, "house").loc[ours.index]
    assert_allclose(ours["estimate"], ref["estimate"], rtol=1e-6, atol=1e-12)
    assert_allclose(ours["se"], ref["se"], rtol=1e-6, atol=1e-12)
    z = 1.959963984540054
    assert_allclose(ours["ci_high"] - ours["estimate"], z * ours["se"], rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_residuals_and_their_standard_deviation_match_r(case, reference, fits):
    ours = fits[case].residuals
    ref = _ref(reference, case, "residual").loc[ours.index]
    # R: e = v * P (y - offset), Var(e_i) = v_i^2 P_ii
    assert_allclose(ours["residual"], ref["estimate"], rtol=1e-6, atol=1e-9)
    assert_allclose(ours["residual"] / ours["statistic"], ref["se"], rtol=1e-6)
    assert_allclose(ours["statistic"], ref["estimate"] / ref["se"], rtol=1e-6, atol=1e-6)
    assert_allclose(ours["pvalue"], 2 * special.ndtr(-np.abs(ours["statistic"])), rtol=1e-12)


# Jackman (2009), Bayesian Analysis for the Social Sciences, Example 9.3: house effects on
# ALP first preferences, percentage points, posterior mean and 95% interval, as
# transcribed by P. Ellis (2017), "State-space modelling of the Australian 2007 federal
# election", http://freerangestats.info/blog/2017/06/24/oz-polls-statespace
# (Jackman: "the point estimate of the house effect [of Morgan's face-to-face polls] is
# 2.7 percentage points").
JACKMAN_2009 = {
    "Galaxy": (-1.2, -3.1, 0.6),
    "Morgan, F2F": (2.7, 1.0, 4.3),
    "Newspoll": (1.2, -0.5, 2.8),
    "Nielsen": (0.9, -0.8, 2.5),
    "Morgan, Phone": (0.8, -1.0, 2.3),
}


def test_anchored_house_effects_are_close_to_jackmans(fits):
    """Not equal: his model has priors (sigma ~ U(0, 1), house effects ~ N(0, 15^2)) and
    integrates over sigma; ours is exact with flat house effects at the REML sigma."""
    ours = fits["aus_anchored"].house_effects * 100
    for house, (mean, low, high) in JACKMAN_2009.items():
        assert low < ours.loc[house, "estimate"] < high
        assert abs(ours.loc[house, "estimate"] - mean) < 0.5
    assert ours["estimate"].idxmax() == "Morgan, F2F"
    assert (ours["estimate"] < 0).sum() == 1 and ours.loc["Galaxy", "estimate"] < 0


def test_anchors_fix_the_trend_on_their_days(fits):
    trend = fits["aus_anchored"].trend
    assert trend.index[0] == pd.Timestamp("2004-10-09")
    assert trend.index[-1] == pd.Timestamp("2007-11-24")
    assert_allclose(trend.loc[["2004-10-09", "2007-11-24"], "estimate"], [0.3764, 0.4338])
    assert (trend.loc[["2004-10-09", "2007-11-24"], "se"] == 0).all()


def test_identifications_are_one_model(australia, fits):
    """Sum-zero and a reference house span the same model: same likelihood and sigma; the
    trends differ by the reference house's sum-zero effect."""
    ref = poll_trend(australia, option="ALP", assumed_n=1450.543, house_effects="Newspoll")
    sumzero = fits["aus_sumzero"]
    assert_allclose(ref.sigma, sumzero.sigma, rtol=1e-9)
    assert_allclose(ref.loglik, sumzero.loglik, rtol=1e-12)
    shift = sumzero.house_effects.loc["Newspoll", "estimate"]
    assert_allclose(ref.trend["estimate"], sumzero.trend["estimate"] + shift, rtol=1e-9)
    assert_allclose(sumzero.house_effects["estimate"].sum(), 0, atol=1e-15)
    assert ref.house_effects.loc["Newspoll", "estimate"] == 0
    assert ref.house_effects.loc["Newspoll", "se"] == 0


def test_polls_are_dated_at_their_midpoint_and_their_length_reported(fits, russia_fitted):
    res = fits["russia_talks"].residuals
    # month-only dates span the month: 2022-09-01 + floor(29 / 2) days
    assert res.loc["levada-2022-09", "date"] == pd.Timestamp("2022-09-15")
    assert res.loc["levada-2022-09", "fieldwork_days"] == 30
    # 2022-07-28 to 2022-07-31: + floor(3 / 2) = 1 day
    assert res.loc["russianfield-2022-07", "date"] == pd.Timestamp("2022-07-29")
    assert res.loc["russianfield-2022-07", "fieldwork_days"] == 4
    assert fits["russia_talks"].trend.index[0] == pd.Timestamp("2022-07-29")
    assert fits["russia_talks"].trend["polls"].sum() == len(russia_fitted)


def test_variances_from_n_moe_assumed_n_and_deff():
    frame = sk.read_polls(
        pd.DataFrame(
            {
                "pollster": ["A", "A", "B", "B", "A"],
                "fieldwork_end": [
                    "2022-01-10",
                    "2022-02-10",
                    "2022-01-20",
                    "2022-03-01",
                    "2022-03-10",
                ],
                "question": "q",
                "option": "yes",
                "proportion": [0.5, 0.4, 0.45, 0.42, 0.48],
                "n": [1000, None, None, 800, 1200],
                "moe": [None, 0.03, None, None, None],
            }
        )
    )
    fit = poll_trend(frame, assumed_n=500, deff={"B": 2.0}, sigma=0.002)
    var = fit.residuals["variance"]
    assert_allclose(var["A 2022-01-10"], 0.25 / 1000, rtol=1e-15)
    # moe 3 points at 95% (quoted at 50%): n_eff = 0.25 (1.96 / 0.03)^2; deff not applied
    assert_allclose(var["A 2022-02-10"], 0.24 * (0.03 / 1.959963984540054) ** 2 / 0.25)
    assert_allclose(var["B 2022-01-20"], 0.45 * 0.55 * 2 / 500, rtol=1e-15)
    assert_allclose(var["B 2022-03-01"], 0.42 * 0.58 * 2 / 800, rtol=1e-15)


def test_several_polls_on_one_day_match_their_pooled_poll():
    """Two polls of one house on one day act as one poll with the pooled precision."""
    base = {"question": "q", "option": "yes"}
    two = sk.read_polls(
        pd.DataFrame(
            {
                "poll_id": ["a", "b", "c", "d"],
                "pollster": "A",
                "fieldwork_end": ["2022-01-01", "2022-01-05", "2022-01-05", "2022-01-20"],
                "proportion": [0.40, 0.44, 0.48, 0.45],
                "n": [1000, 1000, 1000, 1000],
                **base,
            }
        )
    )
    fit = poll_trend(two, sigma=0.003)
    # the pooled poll: precision-weighted mean and summed precision on 2022-01-05
    w = np.array([1 / (0.44 * 0.56 / 1000), 1 / (0.48 * 0.52 / 1000)])
    pooled_y = float(w @ [0.44, 0.48] / w.sum())
    from surveykit.series.smoother import LevelData, fit_level, house_basis

    pooled = fit_level(
        LevelData(
            20,
            np.array([0, 4, 19]),
            np.zeros(3, int),
            np.array([0.40, pooled_y, 0.45]),
            np.array([0.24e-3, 1 / w.sum(), 0.2475e-3]),
            house_basis(1),
            np.array([], int),
            np.array([]),
        ),
        0.003,
    )
    assert_allclose(fit.trend["estimate"], pooled.mu, rtol=1e-12)
    assert fit.trend.loc["2022-01-05", "polls"] == 2


def test_logit_scale_reports_shares(fits):
    fit = fits["aus_greens_logit"]
    assert fit.scale == "logit"
    trend = fit.trend
    assert ((trend["ci_low"] < trend["estimate"]) & (trend["estimate"] < trend["ci_high"])).all()
    assert trend["estimate"].between(0.05, 0.2).all()


def test_poll_trends_fits_every_option(australia):
    both = poll_trends(australia, options=["ALP", "Greens"], assumed_n=1450.543, sigma=0.004)
    assert isinstance(both, PollTrends) and list(both.trends) == ["ALP", "Greens"]
    alone = poll_trend(australia, option="Greens", assumed_n=1450.543, sigma=0.004)
    assert_allclose(both["Greens"].trend["estimate"], alone.trend["estimate"], rtol=1e-15)
    frame = both.to_frame()
    assert list(frame.columns[:2]) == ["option", "date"]
    assert len(frame) == len(both["ALP"].trend) + len(both["Greens"].trend)
    assert set(both.summary()["option"]) == {"ALP", "Greens"}
    assert "PollTrends" in both._repr_html_() and "ALP" in str(both)
    assert repr(both) == "PollTrends(options=['ALP', 'Greens'])"


def test_poll_trends_takes_anchors_per_option(australia):
    fits = poll_trends(
        australia,
        options=["ALP"],
        assumed_n=1450.543,
        sigma=0.004,
        anchors={"ALP": {"2004-10-09": 0.3764}},
    )
    assert fits["ALP"].trend["estimate"].iloc[0] == 0.3764


def test_result_object(fits):
    fit = fits["russia_talks"]
    assert isinstance(fit, PollTrend)
    assert fit.to_frame().equals(fit.trend)
    assert fit.to_frame() is not fit.trend
    assert repr(fit).startswith("PollTrend(option='start peace talks', polls=19, days=835")
    html = fit._repr_html_()
    assert "house effects" in html and "Levada Center" in html
    assert "Russian Field" in str(fit)
    assert fit.n_polls == 19
    summary = fit.summary()
    assert summary.loc[0, "identification"] == "sum-zero"
    assert list(fit.trend.columns) == ["estimate", "se", "ci_low", "ci_high", "polls"]
    assert list(fit.house_effects.columns) == ["estimate", "se", "ci_low", "ci_high", "polls"]
    assert {"date", "fieldwork_days", "statistic", "pvalue"} <= set(fit.residuals.columns)


def test_confidence_level_changes_only_the_intervals(russia_fitted, fits):
    kwargs = {"question": list(russia_fitted["question"].unique()), "assumed_n": 1600}
    narrow = poll_trend(russia_fitted, option="start peace talks", confidence_level=0.5, **kwargs)
    wide = fits["russia_talks"]
    assert_allclose(narrow.trend["estimate"], wide.trend["estimate"], rtol=1e-15)
    ratio = (narrow.trend["ci_high"] - narrow.trend["estimate"]) / narrow.trend["se"]
    assert_allclose(ratio, special.ndtri(0.75), rtol=1e-12)


def test_flat_series_warns_that_sigma_is_at_its_bound():
    frame = sk.read_polls(
        pd.DataFrame(
            {
                "pollster": ["A", "A", "A", "A"],
                "fieldwork_end": ["2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01"],
                "question": "q",
                "option": "yes",
                "proportion": [0.5, 0.5, 0.5, 0.5],
                "n": 1000,
            }
        )
    )
    with pytest.warns(SurveyKitWarning, match=r"largest at sigma=1e-06.*flat.*pass sigma="):
        fit = poll_trend(frame)
    assert fit.sigma == 1e-6


def test_a_pollsters_only_poll_under_anchors_has_no_standardised_residual(australia):
    """With anchors every house effect is free, so one poll fixes its own house effect:
    its residual is 0 and no other poll speaks to it (statistic and p-value NaN)."""
    alp = australia[australia["option"] == "ALP"]
    first = alp.loc[alp["pollster"] == "Galaxy", "poll_id"].iloc[0]
    one_galaxy = alp[(alp["pollster"] != "Galaxy") | (alp["poll_id"] == first)]
    fit = poll_trend(
        one_galaxy,
        option="ALP",
        assumed_n=1450.543,
        sigma=0.004,
        anchors={"2004-10-09": 0.3764, "2007-11-24": 0.4338},
    )
    lone = fit.residuals[fit.residuals["pollster"] == "Galaxy"].iloc[0]
    assert abs(lone["residual"]) < 1e-12
    assert np.isnan(lone["statistic"]) and np.isnan(lone["pvalue"])
    assert fit.house_effects.loc["Galaxy", "polls"] == 1
