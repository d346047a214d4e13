"""check_poll and compare_change against R's dense solution (tests/reference/poll_trend.R).

Case russia_talks: the trend of Levada's and Russian Field's "start peace talks"
(Levada's unknown sizes assumed 1,600). R computes, with Henderson's BLUP and its mean
squared error on a grid extended back to 2022-07-16:

- check: the trend on 2022-11-15 (the FSO's November midpoint) and the mean house effect
  (0 under sum-zero); tau^2 = max(0, (sum (d - mean d)^2 - tr(M C M)) / (k - 1));
  z = (0.55 - expected) / sqrt(mse + tau^2 + 0.55 * 0.45 / n), p = 2 pnorm(-|z|) for
  n = 400, 1000, 1600, 3000;
- change: mu(2022-11-15) - mu(2022-07-16) and its mse;
  z = (0.23 - change) / sqrt(mse + 0.32 * 0.68 / n + 0.55 * 0.45 / n); the later poll
  (November, 55%) is the first, as in (p1, n1, p2, n2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.series import PollCheck, TrendChange, check_poll, compare_change

SIZES = [400, 1000, 1600, 3000]


def _ref(reference, kind):
    rows = reference[(reference["case"] == "russia_talks") & (reference["kind"] == kind)]
    return rows.set_index("key")[["estimate", "se"]].replace("", np.nan).astype(float)


@pytest.fixture(scope="module")
def trend(fits):
    return fits["russia_talks"]


@pytest.fixture(scope="module")
def fso(talks):
    return {pid: talks[talks["poll_id"] == pid] for pid in ("fso-2022-07", "fso-2022-11")}


def test_check_matches_r(trend, fso, reference):
    check = trend.check(fso["fso-2022-11"], n=SIZES)
    assert isinstance(check, PollCheck)
    day = _ref(reference, "check_trend").iloc[0]
    assert check.date == pd.Timestamp("2022-11-15")
    assert_allclose(check.estimate, day["estimate"], rtol=1e-10)
    assert_allclose((check.ci_high - check.ci_low) / 2 / 1.959963984540054, day["se"], rtol=1e-9)
    assert_allclose(
        check.expected, _ref(reference, "check_expected")["estimate"].iloc[0], rtol=1e-10
    )
    assert_allclose(check.house_sd, _ref(reference, "house_sd")["estimate"].iloc[0], rtol=1e-9)
    stats = _ref(reference, "check_statistic").loc[[str(n) for n in SIZES]]
    assert_allclose(check.statistic, stats["estimate"], rtol=1e-9)
    assert_allclose(
        (check.prediction_high - check.expected) / 1.959963984540054, stats["se"], rtol=1e-9
    )
    pvalues = _ref(reference, "check_pvalue").loc[[str(n) for n in SIZES], "estimate"]
    assert_allclose(check.pvalue, pvalues, rtol=1e-9)


def test_change_matches_r(trend, fso, reference):
    change = trend.compare_change(fso["fso-2022-11"], fso["fso-2022-07"], n1=SIZES, n2=SIZES)
    assert isinstance(change, TrendChange)
    assert (change.p1, change.p2) == (0.55, 0.32)
    assert (change.date1, change.date2) == (pd.Timestamp("2022-11-15"), pd.Timestamp("2022-07-16"))
    ref = _ref(reference, "trend_change").iloc[0]
    assert_allclose(change.trend_change, ref["estimate"], rtol=1e-10)
    assert_allclose(change.trend_change_se, ref["se"], rtol=1e-9)
    assert_allclose(change.poll_change, 0.23, rtol=1e-12)
    stats = _ref(reference, "change_statistic").loc[[str(n) for n in SIZES]]
    assert_allclose(change.statistic, stats["estimate"], rtol=1e-9)
    assert_allclose(change.se, stats["se"], rtol=1e-9)
    pvalues = _ref(reference, "change_pvalue").loc[[str(n) for n in SIZES], "estimate"]
    assert_allclose(change.pvalue, pvalues, rtol=1e-9)
    assert_allclose(change.ci_high - change.estimate, 1.959963984540054 * change.se, rtol=1e-12)


def test_scalar_array_and_series_n_agree(trend, fso):
    poll = fso["fso-2022-11"]
    scalar = check_poll(trend, poll, n=1000)
    assert isinstance(scalar.statistic, float) and isinstance(scalar.pvalue, float)
    array = check_poll(trend, poll, n=np.array([1000, 2000]))
    series = check_poll(trend, poll, n=pd.Series([1000, 2000], index=["low", "high"]))
    assert_allclose(array.statistic[0], scalar.statistic, rtol=1e-15)
    assert list(series.statistic.index) == ["low", "high"]
    assert_allclose(series.statistic.to_numpy(), array.statistic, rtol=1e-15)
    assert len(array.to_frame()) == 2
    assert repr(scalar).startswith("PollCheck(poll_id='fso-2022-11', statistic=")
    assert repr(array) == "PollCheck(poll_id='fso-2022-11', 2 assumed sample sizes)"
    change = compare_change(trend, poll, fso["fso-2022-07"], n1=[1000, 2000], n2=1000)
    assert change.se.shape == (2,) and repr(change) == "TrendChange(2 assumed sample sizes)"
    assert repr(compare_change(trend, poll, fso["fso-2022-07"], n1=500, n2=500)).startswith(
        "TrendChange(estimate="
    )


def test_alternatives_split_the_two_sided_pvalue(trend, fso):
    poll = fso["fso-2022-11"]
    two = check_poll(trend, poll, n=SIZES)
    greater = check_poll(trend, poll, n=SIZES, alternative="greater")
    less = check_poll(trend, poll, n=SIZES, alternative="less")
    assert_allclose(greater.pvalue + less.pvalue, 1, rtol=1e-12)
    assert_allclose(two.pvalue, 2 * np.minimum(greater.pvalue, less.pvalue), rtol=1e-12)


def test_larger_n_and_given_house_sd_narrow_the_prediction(trend, fso):
    poll = fso["fso-2022-11"]
    check = check_poll(trend, poll, n=SIZES, house_sd=0.0)
    width = check.prediction_high - check.prediction_low
    assert np.all(np.diff(width) < 0)
    assert check.house_sd == 0.0
    wider = check_poll(trend, poll, n=SIZES, house_sd=0.05)
    assert np.all(wider.prediction_high - wider.prediction_low > width)


def test_a_fitted_pollsters_poll_uses_its_own_house_effect(trend):
    poll = {
        "proportion": 0.5,
        "fieldwork_start": "2023-01-10",
        "fieldwork_end": "2023-01-16",
        "pollster": "Levada Center",
        "poll_id": "levada-2023-01 (hypothetical)",
    }
    check = check_poll(trend, poll, n=1600)
    mu = trend.trend.loc["2023-01-13", "estimate"]
    assert_allclose(
        check.expected, mu + trend.house_effects.loc["Levada Center", "estimate"], rtol=1e-12
    )
    assert check.house_sd == 0.0


def test_beyond_the_grid_the_trend_is_a_random_walk(trend):
    """Before the first day: the first day's estimate, its variance + sigma^2 per day."""
    first = trend.trend.iloc[0]
    poll = {"proportion": 0.4, "fieldwork_end": "2022-07-09", "pollster": "X"}
    check = check_poll(trend, poll, n=1000)
    days = (trend.trend.index[0] - pd.Timestamp("2022-07-09")).days
    assert_allclose(check.estimate, first["estimate"], rtol=1e-14)
    se = (check.ci_high - check.ci_low) / 2 / 1.959963984540054
    assert_allclose(se**2, first["se"] ** 2 + days * trend.sigma**2, rtol=1e-10)
    # a change entirely beyond the end: only the walk between the two days
    late = {"proportion": 0.5, "fieldwork_end": "2025-01-10", "pollster": "X"}
    later = {"proportion": 0.5, "fieldwork_end": "2025-01-30", "pollster": "X"}
    change = compare_change(trend, later, late, n1=1000, n2=1000)
    assert change.trend_change == 0
    assert_allclose(change.trend_change_se**2, 20 * trend.sigma**2, rtol=1e-12)


def test_a_published_margin_of_error_gives_the_variance(trend):
    poll = {"proportion": 0.55, "fieldwork_end": "2022-11-30", "moe": 0.03, "pollster": "X"}
    check = check_poll(trend, poll)
    explicit = check_poll(trend, poll, n=0.25 * (1.959963984540054 / 0.03) ** 2)
    assert_allclose(check.statistic, explicit.statistic, rtol=1e-12)
    assert np.isnan(check.n)


def test_logit_scale_check_reports_shares(fits):
    greens = fits["aus_greens_logit"]
    poll = {"proportion": 0.12, "fieldwork_end": "2006-06-01", "pollster": "New house"}
    check = check_poll(greens, poll, n=1000)
    assert check.scale == "logit"
    assert 0.05 < check.ci_low < check.estimate < check.ci_high < 0.2
    assert check.prediction_low < check.expected < check.prediction_high
    assert_allclose(check.estimate, greens.trend.loc["2006-06-01", "estimate"], rtol=1e-12)
