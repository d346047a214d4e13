"""Tests of surveykit.panel: overlapping waves (change_test) and McNemar's test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.panel import change_test, correlation_bounds, mcnemar_test
from surveykit.inference.two_sample_tests import two_proportion_test

# Rscript tests/reference/panel.R (output tests/reference/panel.out). For gained g and
# lost l: mcnemar.test(tab, correct = FALSE / TRUE) X-squared and p, binom.test(g, g + l)
# two-sided, greater, less.
R_MCNEMAR = {
    (27, 4): (17.06451612903226, 3.6131125499798294e-05, 15.612903225806452,
              7.7722407953231199e-05, 3.3953227102756534e-05, 1.6976613551378267e-05,
              0.99999767541885376),
    (10, 3): (3.7692307692307692, 0.052203635341314739, 2.7692307692307692,
              0.096092329455673087, 0.092285156250000028, 0.046142578125000014,
              0.98876953125),
    (5, 5): (0.0, 1.0, 0.0, 1.0, 1.0, 0.62304687499999989, 0.62304687499999989),
    (0, 7): (7.0, 0.0081509715935027018, 5.1428571428571432, 0.023342202012890875,
             0.015625000000000007, 1.0, 0.0078125000000000035),
    (40, 25): (3.4615384615384617, 0.06281184751609882, 3.0153846153846153,
               0.082477887473209971, 0.081681533941540332, 0.040840766970770166,
               0.97682326283354426),
    (1, 0): (1.0, 0.31731050786291415, 0.0, 1.0, 1.0, 0.5, 1.0),
}  # fmt: skip


@pytest.mark.parametrize(("g", "l"), list(R_MCNEMAR))
def test_mcnemar_r_reference(g, l):  # noqa: E741
    x2, p, x2c, pc, exact2, greater, less = R_MCNEMAR[(g, l)]
    res = mcnemar_test(g, l, method="asymptotic")
    assert_allclose([res.statistic**2, res.pvalue], [x2, p], rtol=1e-10)
    res = mcnemar_test(g, l, method="asymptotic-corrected")
    assert_allclose([res.statistic**2, res.pvalue], [x2c, pc], rtol=1e-10)
    assert_allclose(mcnemar_test(g, l).pvalue, exact2, rtol=1e-10)
    assert_allclose(mcnemar_test(g, l, alternative="greater").pvalue, greater, rtol=1e-10)
    assert_allclose(mcnemar_test(g, l, alternative="less").pvalue, less, rtol=1e-10)


def test_mcnemar_vectorised_and_edges():
    g = np.array([27, 10, 0])
    lost = np.array([4, 3, 0])
    res = mcnemar_test(g, lost, n=100)
    assert_allclose(res.pvalue[:2], [R_MCNEMAR[(27, 4)][4], R_MCNEMAR[(10, 3)][4]], rtol=1e-10)
    assert res.pvalue[2] == 1.0  # no switchers
    assert_allclose(res.estimate, (g - lost) / 100)
    assert np.isnan(mcnemar_test(3, 1).estimate)
    for method in ("asymptotic", "asymptotic-corrected"):
        assert mcnemar_test(0, 0, method=method).pvalue == 1.0
    s = mcnemar_test(pd.Series([27, 5], index=["a", "b"]), 4)
    assert list(s.pvalue.index) == ["a", "b"]
    assert "McNemarTest" in repr(mcnemar_test(27, 4))


def test_change_test_independent_is_unpooled_z():
    res = change_test(0.55, 300, 0.32, 400)
    ref = two_proportion_test(0.55, 300, 0.32, 400, method="z-unpooled")
    assert_allclose([res.statistic, res.pvalue], [ref.statistic, ref.pvalue], rtol=1e-13)
    # correlation without overlap, or overlap without correlation, changes nothing
    for kwargs in ({"correlation": 0.4}, {"overlap": 0.8}):
        assert_allclose(change_test(0.55, 300, 0.32, 400, **kwargs).pvalue, res.pvalue, rtol=1e-13)


def test_full_panel_equals_paired_variance_r():
    # R (tests/reference/panel.R): cells n11 = 28, n10 = 4, n01 = 27, n00 = 41; phi and the
    # paired Wald variance (b + c - (b - c)^2 / n) / n^2 = 0.002571.
    pb, pa, phi, var = 0.32, 0.55, 0.44814266466234992, 0.0025709999999999999
    res = change_test(pa, 100, pb, 100, overlap=1.0, correlation=phi)
    assert_allclose((res.estimate / res.statistic) ** 2, var, rtol=1e-12)
    half = (res.ci_high - res.ci_low) / 2
    assert_allclose(half, 1.959963984540054 * np.sqrt(var), rtol=1e-12)


def test_monte_carlo_overlapping_samples():
    # Simulate waves of 400 and 500 sharing 200 people whose answers have phi = 0.5.
    rng = np.random.default_rng(3)
    pb, pa, phi, reps = 0.32, 0.55, 0.5, 40_000
    p11 = pb * pa + phi * np.sqrt(pb * (1 - pb) * pa * (1 - pa))
    cells = np.array([p11, pb - p11, pa - p11, 1 - pb - pa + p11])  # (1,1), (1,0), (0,1), (0,0)
    shared = rng.multinomial(200, cells, reps)
    before = shared[:, 0] + shared[:, 1] + rng.binomial(200, pb, reps)
    after = shared[:, 0] + shared[:, 2] + rng.binomial(300, pa, reps)
    d = after / 500 - before / 400
    res = change_test(pa, 500, pb, 400, overlap=0.5, correlation=phi)
    se = res.estimate / res.statistic
    assert_allclose(d.std(), se, rtol=0.02)  # Monte Carlo error of an SD: about 0.4%


@settings(max_examples=50, deadline=None)
@given(
    pb=st.floats(0.05, 0.95),
    pa=st.floats(0.05, 0.95),
    n=st.integers(10, 5000),
    overlap=st.floats(0, 1),
    frac=st.floats(0, 1),
)
def test_more_overlap_or_correlation_narrows(pb, pa, n, overlap, frac):
    low, high = correlation_bounds(pa, pb)
    rho = frac * high
    base = change_test(pa, n, pb, n)
    res = change_test(pa, n, pb, n, overlap=overlap, correlation=rho)
    assert res.ci_high - res.ci_low <= base.ci_high - base.ci_low + 1e-12
    neg = change_test(pa, n, pb, n, overlap=overlap, correlation=frac * low)
    assert neg.ci_high - neg.ci_low >= base.ci_high - base.ci_low - 1e-12


def test_correlation_bounds():
    low, high = correlation_bounds(0.55, 0.32)
    assert_allclose(high, np.sqrt(0.32 * 0.45 / (0.55 * 0.68)), rtol=1e-14)
    assert_allclose(low, -np.sqrt(0.32 * 0.55 / (0.68 * 0.45)), rtol=1e-14)
    low, high = correlation_bounds(0.5, 0.5)
    assert_allclose([low, high], [-1, 1])
    assert correlation_bounds(0.4, 0.0) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: change_test(0.55, 100, 0.32, 100, overlap=50),
            r"overlap must be a fraction .* got 50\.0; for 50% pass overlap=0\.5",
        ),
        (
            lambda: change_test(0.55, 100, 0.32, 100, overlap=1, correlation=0.9),
            r"correlation must lie between -0\.758 and 0\.621 for shares p1=0\.55 and p2=0\.32, "
            r"got 0\.9",
        ),
        (
            lambda: change_test(0.55, 100, 0.32, 0),
            r"n2 must be a positive, finite sample size, got 0",
        ),
        (lambda: change_test(0.55, 100, 32, 100), r"p2 must be between 0 and 1, got 32"),
        (
            lambda: change_test(0.55, 100, 0.32, 100, alternative="up"),
            r"alternative must be one of",
        ),
        (
            lambda: change_test(0.55, 100, 0.32, 100, deff=0),
            r"deff must be a positive design effect",
        ),
        (
            lambda: mcnemar_test(2.5, 3),
            r"gained must be a whole number of respondents .* got 2\.5",
        ),
        (lambda: mcnemar_test(2, -3), r"lost must be a whole number of respondents .* got -3"),
        (
            lambda: mcnemar_test(2, 3, method="mid-p"),
            r"method must be one of 'exact', 'asymptotic'",
        ),
        (
            lambda: mcnemar_test(60, 50, n=100),
            r"gained \+ lost must not exceed n, got 60 \+ 50 > 100",
        ),
    ],
)
def test_errors(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: change_test(0.55, 100, [], 100), r"p2 must hold at least one value"),
        (lambda: change_test(0.55, 100, 0.32, 100, overlap=[]), r"overlap must hold at least one"),
        (lambda: mcnemar_test([], 3), r"gained must hold at least one value"),
        (lambda: correlation_bounds([], 0.3), r"p1 must hold at least one value"),
    ],
)
def test_errors_empty(call, match):
    with pytest.raises(SurveyKitError, match=match):
        call()


def test_change_test_frame():
    res = change_test(0.55, 100, [0.32, 0.40], 100, overlap=[0.0, 0.5], correlation=0.3)
    frame = res.to_frame()
    assert len(frame) == 2 and {"overlap", "correlation", "pvalue"} <= set(frame.columns)
    assert "<table" in res._repr_html_()
