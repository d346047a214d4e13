"""Properties of poll_trend that hold for any series (hypothesis, derandomised)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import surveykit as sk
from surveykit.series import poll_trend


@st.composite
def series(draw):
    n = draw(st.integers(4, 14))
    days = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    shares = draw(st.lists(st.floats(0.3, 0.6), min_size=n, max_size=n))
    sizes = draw(st.lists(st.integers(300, 3000), min_size=n, max_size=n))
    houses = ["A", "B"] * (n // 2) + ["A"] * (n % 2)
    end = pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")
    return sk.read_polls(
        pd.DataFrame(
            {
                "poll_id": [f"p{i}" for i in range(n)],
                "pollster": houses,
                "fieldwork_end": end.strftime("%Y-%m-%d"),
                "question": "q",
                "option": "yes",
                "proportion": np.round(shares, 3),
                "n": sizes,
            }
        )
    )


@settings(max_examples=20)
@given(series(), st.floats(0.0005, 0.02))
def test_intervals_hold_estimates_and_the_fit_is_symmetric_in_p(polls, sigma):
    if polls["fieldwork_end"].nunique() < 2:
        return
    fit = poll_trend(polls, sigma=sigma)
    trend = fit.trend
    assert ((trend["ci_low"] <= trend["estimate"]) & (trend["estimate"] <= trend["ci_high"])).all()
    assert_allclose(fit.house_effects["estimate"].sum(), 0, atol=1e-14)
    # p -> 1 - p keeps every variance p(1 - p) / n: the trend becomes 1 - trend, the house
    # effects change sign, the likelihood is the same
    flipped = poll_trend(polls.assign(proportion=1 - polls["proportion"]), sigma=sigma)
    assert_allclose(flipped.trend["estimate"], 1 - trend["estimate"], rtol=1e-10)
    assert_allclose(flipped.trend["se"], trend["se"], rtol=1e-10)
    assert_allclose(flipped.house_effects["estimate"], -fit.house_effects["estimate"], atol=1e-12)
    assert_allclose(flipped.loglik, fit.loglik, rtol=1e-10)
    # a higher level never narrows an interval
    wider = poll_trend(polls, sigma=sigma, confidence_level=0.99).trend
    assert ((wider["ci_high"] - wider["ci_low"]) >= (trend["ci_high"] - trend["ci_low"])).all()


@settings(max_examples=10)
@given(series())
def test_estimated_sigma_is_a_maximum_of_the_likelihood(polls):
    if polls["fieldwork_end"].nunique() < 3:
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = poll_trend(polls)
    if fit.sigma <= 1.0001e-6 or fit.sigma >= 0.29:
        return
    for factor in (0.98, 1.02):
        assert poll_trend(polls, sigma=fit.sigma * factor).loglik <= fit.loglik + 1e-9
