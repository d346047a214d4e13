"""Plots of a fitted poll series: the plotted data, not pixels (Agg backend)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.plotting.series import plot_house_effects, plot_poll_trend


def test_trend_line_band_and_polls(fits):
    fit = fits["russia_talks"]
    _fig, ax = plt.subplots()
    out = plot_poll_trend(fit, ax=ax, color="tab:red", linewidth=3)
    assert out is ax
    line = ax.lines[0]
    assert_allclose(line.get_ydata(), fit.trend["estimate"])
    assert line.get_color() == "tab:red" and line.get_linewidth() == 3
    assert len(ax.collections) == 1  # the interval band
    polls = {ln.get_label(): ln for ln in ax.lines[1:]}
    assert set(polls) == {"Levada Center", "Russian Field"}
    field = fit.residuals[fit.residuals["pollster"] == "Russian Field"]
    assert_allclose(polls["Russian Field"].get_ydata(), field["proportion"])


def test_adjusted_polls_remove_house_effects(fits):
    fit = fits["russia_talks"]
    _fig, ax = plt.subplots()
    plot_poll_trend(fit, ax=ax, adjusted=True, band=False)
    assert len(ax.collections) == 0
    field = fit.residuals[fit.residuals["pollster"] == "Russian Field"]
    effect = fit.house_effects.loc["Russian Field", "estimate"]
    shown = next(ln for ln in ax.lines if ln.get_label() == "Russian Field")
    assert_allclose(shown.get_ydata(), field["proportion"] - effect)


def test_logit_adjusted_polls_stay_shares(fits):
    fit = fits["aus_greens_logit"]
    _fig, ax = plt.subplots()
    plot_poll_trend(fit, ax=ax, adjusted=True)
    ys = np.concatenate([ln.get_ydata() for ln in ax.lines[1:]])
    assert ((ys > 0) & (ys < 1)).all()


def test_house_effects_in_points_sorted(fits):
    fit = fits["aus_anchored"]
    _fig, ax = plt.subplots()
    plot_house_effects(fit, ax=ax, color="tab:blue")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    order = fit.house_effects.sort_values("estimate")
    assert labels == list(order.index)
    points = ax.lines[0].get_xdata()
    assert_allclose(points, order["estimate"] * 100)
    assert "percentage points" in ax.get_xlabel() and "free" in ax.get_xlabel()


def test_plot_refusals(fits):
    with pytest.raises(
        SurveyKitError,
        match=r"result must be a fitted trend from "
        r"sk.series.poll_trend, got DataFrame",
    ):
        plot_poll_trend(fits["russia_talks"].trend)
    with pytest.raises(SurveyKitError, match=r"result must be a fitted trend"):
        plot_house_effects(None)
    with pytest.raises(SurveyKitError, match=r"adjusted must be True or False, got 'yes'"):
        plot_poll_trend(fits["russia_talks"], adjusted="yes")


def test_result_plot_draws_the_trend(fits):
    """PollTrend.plot() is plot_poll_trend: the same trend line, from the result's frame."""
    trend = fits["russia_talks"]
    ax = trend.plot()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), trend.trend["estimate"].to_numpy())


def test_a_held_out_poll_is_drawn_from_its_check(fits):
    """The FSO's November poll as a star at its share, its bar the check's prediction
    interval (issue 13 item 6: the checked poll in plot_trend)."""
    trend = fits["russia_talks"]
    check = trend.check(
        {
            "poll_id": "fso-2022-11",
            "pollster": "FSO",
            "fieldwork_start": "2022-11-01",
            "fieldwork_end": "2022-11-30",
            "proportion": 0.55,
        },
        n=[400, 1600],
    )
    ax = plot_poll_trend(trend, checks=check)
    star = next(ln for ln in ax.lines if ln.get_marker() == "*")
    assert star.get_ydata()[0] == pytest.approx(0.55)
    bar = ax.lines[ax.lines.index(star) - 1]
    low, high = sorted(bar.get_ydata())
    assert low == pytest.approx(float(np.ravel(check.prediction_low)[0]))
    assert high == pytest.approx(float(np.ravel(check.prediction_high)[0]))
    assert "held out: fso-2022-11" in star.get_label()
    with pytest.raises(SurveyKitError, match=r"checks must hold results of"):
        plot_poll_trend(trend, checks=[0.55])
