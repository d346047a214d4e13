"""Equivalence tests (TOST) between polls and within a poll.

References: statsmodels' ``tost_proportions_2indep`` (method='wald') for the unpooled z
statistic; a brute-force restricted maximum likelihood (scipy's bounded scalar search)
for the Miettinen-Nurminen statistic, because statsmodels' method='score' solves the
restricted MLE differently at non-zero null differences (shown below); the
R-checked Wald interval of ``option_difference_ci`` for the lead within one poll.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.proportion import tost_proportions_2indep

from surveykit.exceptions import SurveyKitError
from surveykit.inference.equivalence import equivalence_test

# (x1, n1, x2, n2, margin): whole counts so that statsmodels sees the same tables
TABLES = [
    (220, 400, 318, 600, 0.08),
    (48, 100, 46, 100, 0.1),
    (5, 50, 2, 60, 0.05),
    (990, 1000, 985, 1000, 0.01),
    (300, 1600, 512, 1600, 0.03),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "margin"), TABLES)
def test_wald_equals_statsmodels_tost(x1, n1, x2, n2, margin):
    ref = tost_proportions_2indep(x1, n1, x2, n2, -margin, margin, method="wald")
    res = equivalence_test(x1 / n1, n1, x2 / n2, n2, margin=margin, method="z-unpooled")
    assert_allclose(res.pvalue, ref.pvalue, rtol=1e-10)
    assert_allclose(res.pvalue_lower, ref.results_larger.pvalue, rtol=1e-10)
    assert_allclose(res.pvalue_upper, ref.results_smaller.pvalue, rtol=1e-10)


def _mn_pvalue_brute_force(x1, n1, x2, n2, delta, alternative):
    """Miettinen-Nurminen one-sided p-value with the restricted MLE found numerically."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def minus_loglik(t2):
        t1 = t2 + delta
        return -(
            special.xlogy(x1, t1)
            + special.xlogy(n1 - x1, 1 - t1)
            + special.xlogy(x2, t2)
            + special.xlogy(n2 - x2, 1 - t2)
        )

    t2 = optimize.minimize_scalar(
        minus_loglik, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}
    ).x
    t1 = t2 + delta
    n = n1 + n2
    var = (t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2) * n / (n - 1)
    z = (x1 / n1 - x2 / n2 - delta) / np.sqrt(var)
    return special.ndtr(-z) if alternative == "greater" else special.ndtr(z)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "margin"), TABLES)
def test_miettinen_nurminen_equals_brute_force_restricted_mle(x1, n1, x2, n2, margin):
    res = equivalence_test(x1 / n1, n1, x2 / n2, n2, margin=margin)
    assert res.method == "miettinen-nurminen"
    lower = _mn_pvalue_brute_force(x1, n1, x2, n2, -margin, "greater")
    upper = _mn_pvalue_brute_force(x1, n1, x2, n2, margin, "less")
    assert_allclose(res.pvalue_lower, lower, rtol=1e-6)
    assert_allclose(res.pvalue_upper, upper, rtol=1e-6)
    assert_allclose(res.pvalue, max(lower, upper), rtol=1e-6)


def test_statsmodels_score_agrees_at_zero_but_not_at_a_margin():
    """Why statsmodels' method='score' is not the reference: at a null difference of 0 it
    matches ours; at -0.08 its restricted MLE (0.4855, 0.5655) is not the maximum of the
    likelihood, which is at (0.48954, 0.56954) (checked by brute force above)."""
    at_zero = sm_proportion.test_proportions_2indep(220, 400, 318, 600, value=0, method="score")
    from surveykit.inference.two_sample_tests import two_proportion_test

    mine = two_proportion_test(0.55, 400, 0.53, 600, method="miettinen-nurminen")
    assert_allclose(mine.statistic, at_zero.statistic, rtol=1e-10)
    off = sm_proportion.test_proportions_2indep(220, 400, 318, 600, value=-0.08, method="score")
    assert abs(off.prop1_null - 0.48954259) > 1e-3


@pytest.mark.parametrize(
    ("p1", "p2", "n", "margin"),
    [(0.48, 0.46, 2000, 0.05), (0.55, 0.25, 1600, 0.35), (0.3, 0.29, 500, 0.04)],
)
def test_within_poll_agrees_with_the_wald_interval_of_the_lead(p1, p2, n, margin):
    from surveykit.inference.within_poll import option_difference_ci

    res = equivalence_test(p1, n, p2, n, margin=margin, within=True)
    # the 1 - 2 alpha interval is option_difference_ci's Wald interval (checked against R)
    ci = option_difference_ci(p1, p2, n, method="wald", confidence_level=0.9)
    assert_allclose([res.ci_low, res.ci_high], [ci.ci_low, ci.ci_high], rtol=1e-12)
    # the p-value is the level at which that interval first touches the margin
    level = 1 - 2 * res.pvalue
    touch = option_difference_ci(p1, p2, n, method="wald", confidence_level=level)
    bound = touch.ci_high if res.pvalue_upper >= res.pvalue_lower else -touch.ci_low
    assert_allclose(bound, margin, rtol=1e-9)
    assert res.equivalent == (ci.ci_low > -margin and ci.ci_high < margin)


def test_equivalent_iff_the_interval_lies_inside_the_margin():
    rng = np.random.default_rng(12)
    p1, p2 = rng.uniform(0.05, 0.95, 500), rng.uniform(0.05, 0.95, 500)
    n1, n2 = rng.integers(50, 5000, 500), rng.integers(50, 5000, 500)
    margin = rng.uniform(0.01, 0.3, 500)
    res = equivalence_test(p1, n1, p2, n2, margin=margin, method="z-unpooled")
    inside = (res.ci_low > -margin) & (res.ci_high < margin)
    assert np.array_equal(res.equivalent, inside)
    assert 20 < inside.sum() < 480  # both verdicts occur


def test_design_effect_is_the_test_on_effective_sizes():
    a = equivalence_test(0.5, 1000, 0.49, 900, margin=0.05, deff=2.0, method="z-unpooled")
    b = equivalence_test(0.5, 500, 0.49, 450, margin=0.05, method="z-unpooled")
    assert_allclose(a.pvalue, b.pvalue, rtol=1e-12)
    assert a.n1 == 1000 and a.deff == 2.0


def test_series_keep_their_index_and_scalars_stay_scalars():
    idx = pd.Index(["a", "b"], name="poll")
    res = equivalence_test(pd.Series([0.5, 0.6], index=idx), 1000, 0.48, 1000, margin=0.05)
    assert isinstance(res.pvalue, pd.Series) and res.pvalue.index.equals(idx)
    one = equivalence_test(0.5, 1000, 0.48, 1000, margin=0.05)
    assert isinstance(one.pvalue, float) and isinstance(one.equivalent, bool)
    assert_allclose(res.pvalue.iloc[0], one.pvalue, rtol=1e-14)
    frame = res.to_frame()
    assert list(frame.index) == ["a", "b"] and "equivalent" in frame


def test_nan_propagates():
    res = equivalence_test([0.5, np.nan], 1000, 0.48, 1000, margin=0.05)
    assert np.isnan(res.pvalue[1]) and not np.isnan(res.pvalue[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"margin": 3}, r"margin must be a share strictly between 0 and 1, got 3.*margin=0.03"),
        ({"margin": 0}, r"margin must be a share strictly between 0 and 1, got 0"),
        ({"margin": 0.03, "alpha": 0.6}, r"alpha must be below 0.5 .* got 0.6"),
        ({"margin": 0.03, "alpha": [0.05, 0.1]}, r"alpha must be a single number"),
        ({"margin": 0.03, "method": "wald"}, r"method must be one of 'miettinen-nurminen'"),
        ({"margin": 0.03, "within": "yes"}, r"within must be True or False"),
    ],
)
def test_errors_name_the_parameter_and_the_fix(kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        equivalence_test(0.5, 1000, 0.48, 1000, **kwargs)


def test_within_refuses_two_sizes_and_shares_over_one():
    with pytest.raises(SurveyKitError, match=r"n1 and n2 must be equal with within=True"):
        equivalence_test(0.5, 1000, 0.4, 900, margin=0.05, within=True)
    with pytest.raises(SurveyKitError, match=r"p1 \+ p2 must not exceed 1"):
        equivalence_test(0.6, 1000, 0.5, 1000, margin=0.05, within=True)
    with pytest.raises(SurveyKitError, match=r"method must be one of 'wald'"):
        equivalence_test(0.5, 1000, 0.4, 1000, margin=0.05, within=True, method="z-unpooled")
