"""difference_ci: Newcombe's table, R references, statsmodels' failures, edges, properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import special

from surveykit._core.score import score_z
from surveykit.exceptions import SurveyKitError
from surveykit.inference.difference import DIFFERENCE_CI_METHODS, difference_ci

REF = Path(__file__).resolve().parents[1] / "reference"
METHODS = DIFFERENCE_CI_METHODS
SCORE = ("miettinen-nurminen", "mee")


def test_methods_are_the_issue_list():
    assert set(METHODS) == {
        "wald", "wald-cc", "agresti-caffo", "newcombe", "newcombe-cc", "miettinen-nurminen",
        "mee", "hauck-anderson", "haldane", "jeffreys-perks",
    }  # fmt: skip


def _ci(x1, n1, x2, n2, method, level=0.95):
    return difference_ci(np.asarray(x1) / n1, n1, np.asarray(x2) / n2, n2, method=method,
                         confidence_level=level)  # fmt: skip


# ------------------------------------------------------------------ published values

PUBLISHED = pd.read_csv(REF / "two_proportions_difference_published.csv")


@pytest.mark.parametrize(
    "row",
    PUBLISHED.to_dict("records"),
    ids=lambda r: f"{r['count1']}/{r['n1']}-{r['count2']}/{r['n2']}-{r['method']}",
)
def test_published_differences(row):
    """Every value of two_proportions_difference_published.csv at its printed precision.

    Newcombe (1998b) Table II prints Mee's lower bound for 56/70 - 48/80 as 0.0533 and
    DescTools' tests print 0.0534; the bound is 0.053334, which rounds to 0.0533.
    """
    ci = _ci(row["count1"], row["n1"], row["count2"], row["n2"], row["method"],
             row["confidence_level"])  # fmt: skip
    half_unit = 0.5 * 10.0 ** -row["decimals"] + 1e-15
    assert abs(ci.ci_low - row["ci_low"]) <= half_unit
    assert abs(ci.ci_high - row["ci_high"]) <= half_unit


def test_miettinen_nurminen_newcombe_table_ii():
    """The issue's check: 56/70 vs 48/80 gives (0.0528, 0.3382), not statsmodels' 0.3440."""
    ci = _ci(56, 70, 48, 80, "miettinen-nurminen")
    assert round(ci.ci_low, 4) == 0.0528 and round(ci.ci_high, 4) == 0.3382


# ------------------------------------------------------------------ R references

R_REF = pd.read_csv(REF / "intervals_R.csv")
R_DIFF = R_REF[R_REF.kind == "difference"]


@pytest.mark.parametrize("method", sorted(R_DIFF.method.unique()))
def test_matches_r(method):
    """tests/reference/intervals.R: prop.test, and the papers' formulas with uniroot.

    The R score bounds use a restricted MLE found by optimize(), accurate to about 1e-8,
    so they are compared at 1e-7; closed forms at 1e-10.
    """
    ref = R_DIFF[R_DIFF.method == method]
    ci = _ci(ref.x1.to_numpy(), ref.n1.to_numpy(), ref.x2.to_numpy(), ref.n2.to_numpy(),
             method, ref.confidence_level.to_numpy())  # fmt: skip
    tol = 1e-7 if method in SCORE else 1e-10
    assert_allclose(ci.ci_low, ref.ci_low, rtol=0, atol=tol)
    assert_allclose(ci.ci_high, ref.ci_high, rtol=0, atol=tol)


def test_r_call_pasted():
    # prop.test(c(56, 48), c(70, 80), correct=FALSE)$conf.int  (options(digits=17))
    # [1] 0.057504899149037114 0.342495100850962997
    ci = _ci(56, 70, 48, 80, "wald")
    assert_allclose([ci.ci_low, ci.ci_high], [0.057504899149037114, 0.342495100850962997],
                    rtol=1e-12)  # fmt: skip


@pytest.mark.parametrize("method", SCORE)
def test_score_bounds_are_where_the_score_test_crosses(method):
    x1, n1, x2, n2 = 246.0, 609.0, 122.0, 358.0
    ci = _ci(x1, n1, x2, n2, method)
    z = special.ndtri(0.975)
    corr = method == "miettinen-nurminen"
    at = score_z(x1 / n1, n1, x2 / n2, n2, np.array([ci.ci_low, ci.ci_high]), correction=corr)
    assert_allclose(at, [z, -z], rtol=1e-9)


# ------------------------------------------------------------------ statsmodels' failures


@pytest.mark.parametrize("method", METHODS)
def test_where_statsmodels_fails(method):
    """statsmodels 0.15 raises for score intervals on these; every method here answers."""
    for x1, n1, x2, n2 in [(246, 609, 122, 358), (9, 10, 3, 10)]:
        ci = _ci(x1, n1, x2, n2, method)
        assert -1 <= ci.ci_low < ci.estimate < ci.ci_high <= 1


# ------------------------------------------------------------------ edges


@pytest.mark.parametrize("method", METHODS)
def test_edges(method):
    x1 = np.array([0, 10, 0, 10, 0, 1, 1, 0])
    n1 = np.array([10, 10, 10, 10, 1, 1, 1, 1])
    x2 = np.array([0, 10, 20, 0, 0, 1, 0, 1])
    n2 = np.array([20, 10, 20, 20, 1, 1, 1, 1])
    for level in (0.95, 1e-9, 1 - 1e-12):
        ci = _ci(x1, n1, x2, n2, method, level)
        assert np.isfinite(ci.ci_low).all() and np.isfinite(ci.ci_high).all()
        assert np.all((-1 <= ci.ci_low) & (ci.ci_low <= ci.ci_high) & (ci.ci_high <= 1))
    ci = _ci(x1, n1, x2, n2, method)
    assert ci.ci_high[1 if method != "hauck-anderson" else 0] >= 0  # 10/10 vs 10/10
    assert ci.ci_high[3] == 1.0 or method in ("agresti-caffo", "hauck-anderson", "wald")


@pytest.mark.parametrize("method", METHODS)
def test_nan_propagates_elementwise(method):
    ci = difference_ci([0.5, np.nan, 0.5, 0.5], [10, 10, np.nan, 10], 0.3, 20, method=method,
                       confidence_level=[0.95, 0.95, 0.95, np.nan])  # fmt: skip
    assert np.isfinite([ci.ci_low[0], ci.ci_high[0]]).all()
    assert np.isnan(ci.ci_low[1:]).all() and np.isnan(ci.ci_high[1:]).all()


@pytest.mark.parametrize("method", METHODS)
def test_deff_halves_both_samples(method):
    a = difference_ci(0.55, 800, 0.32, 800, method=method, deff=2)
    b = difference_ci(0.55, 400, 0.32, 400, method=method)
    assert_allclose([a.ci_low, a.ci_high], [b.ci_low, b.ci_high], rtol=1e-10)


def test_series_keep_index():
    idx = pd.Index(["north", "south"])
    ci = difference_ci(pd.Series([0.55, 0.5], index=idx), 400, 0.32, 400,
                       method="miettinen-nurminen")  # fmt: skip
    assert ci.ci_low.index.equals(idx) and ci.to_frame().index.equals(idx)
    assert isinstance(difference_ci(0.55, 400, 0.32, 400).ci_low, float)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "score"}, r"method must be one of .*'miettinen-nurminen'.*got 'score'"),
        ({"method": "Newcombe"}, r"did you mean 'newcombe'"),
        ({"p1": 55}, r"p1 must be between 0 and 1, got 55"),
        ({"p2": 1.5}, r"p2 must be between 0 and 1"),
        ({"n1": -3}, r"n1 must be a positive, finite sample size, got -3"),
        ({"n2": 0}, r"n2 must be a positive"),
        ({"deff": -1}, r"deff must be a positive design effect"),
        ({"confidence_level": 0}, r"confidence_level must be strictly between 0 and 1, got 0"),
        ({"n1": pd.Series([1, 2], index=[0, 1]), "n2": pd.Series([1, 2], index=[5, 6])},
         r"different indexes"),
    ],
)  # fmt: skip
def test_bad_input_raises(kwargs, match):
    args = {"p1": 0.5, "n1": 100, "p2": 0.4, "n2": 100} | kwargs
    with pytest.raises(SurveyKitError, match=match):
        difference_ci(args.pop("p1"), args.pop("n1"), args.pop("p2"), args.pop("n2"), **args)


# ------------------------------------------------------------------ properties

pairs = st.tuples(
    st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)


@settings(max_examples=50, deadline=None)
@given(pairs, st.floats(0.8, 0.999), st.sampled_from(METHODS))
def test_property_contains_estimate_in_range(xy, level, method):
    (x1, n1), (x2, n2) = xy
    ci = _ci(x1, n1, x2, n2, method, level)
    assert -1 <= ci.ci_low <= ci.ci_high <= 1
    if method not in ("agresti-caffo", "jeffreys-perks"):  # centred on adjusted estimates
        assert ci.ci_low <= ci.estimate + 1e-9 and ci.estimate <= ci.ci_high + 1e-9


@settings(max_examples=40, deadline=None)
@given(pairs, st.sampled_from(METHODS))
def test_property_nested_across_levels(xy, method):
    (x1, n1), (x2, n2) = xy
    ci = _ci(x1, n1, x2, n2, method, np.array([0.5, 0.8, 0.9, 0.95, 0.99]))
    assert np.all(np.diff(ci.ci_low) <= 1e-9) and np.all(np.diff(ci.ci_high) >= -1e-9)


@settings(max_examples=50, deadline=None)
@given(pairs, st.sampled_from(METHODS))
def test_property_mirror_symmetry(xy, method):
    """Swapping successes and failures, or the two polls, mirrors the interval."""
    (x1, n1), (x2, n2) = xy
    a = _ci(x1, n1, x2, n2, method)
    b = _ci(n1 - x1, n1, n2 - x2, n2, method)
    c = _ci(x2, n2, x1, n1, method)
    assert_allclose([a.ci_low, a.ci_high], [-b.ci_high, -b.ci_low], atol=1e-9)
    assert_allclose([a.ci_low, a.ci_high], [-c.ci_high, -c.ci_low], atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=5), st.sampled_from(METHODS))
def test_property_scalar_array_series_agree(xys, method):
    x1, n1, x2, n2 = (np.array(v, float) for v in zip(*[(a, b, c, d) for (a, b), (c, d) in xys],
                                                        strict=True))  # fmt: skip
    arr = _ci(x1, n1, x2, n2, method)
    ser = difference_ci(pd.Series(x1 / n1), pd.Series(n1), x2 / n2, n2, method=method)
    assert_allclose(ser.ci_high.to_numpy(), arr.ci_high)
    for i in range(len(x1)):
        one = _ci(x1[i], n1[i], x2[i], n2[i], method)
        assert_allclose([one.ci_low, one.ci_high], [arr.ci_low[i], arr.ci_high[i]], atol=1e-12)


# ------------------------------------------------------------------ robustness


def random_pairs(size, seed):
    """Random (x1, n1, x2, n2) with zeros, full counts, n up to 1e9 and two known cases."""
    rng = np.random.default_rng(seed)
    n1 = np.floor(10 ** rng.uniform(0, 9, size))
    n2 = np.floor(10 ** rng.uniform(0, 9, size))
    x1 = np.floor(rng.random(size) * (n1 + 1))
    x2 = np.floor(rng.random(size) * (n2 + 1))
    x1[::11], x2[1::13] = 0, 0
    x1[2::17] = n1[2::17]
    x2[3::19] = n2[3::19]
    known = np.array([[246, 609, 122, 358], [9, 10, 3, 10], [0, 1, 1, 1], [1e9, 1e9, 0, 1e9]])
    x1[:4], n1[:4], x2[:4], n2[:4] = known.T
    return x1, n1, x2, n2


@pytest.mark.parametrize("method", METHODS)
def test_robust_100k_random_pairs(method):
    """100,000 random 2x2 tables, one vectorised call: no exception, no NaN."""
    x1, n1, x2, n2 = random_pairs(100_000, 11)
    level = np.random.default_rng(5).choice([0.5, 0.9, 0.95, 0.99, 1 - 1e-9], x1.size)
    ci = _ci(x1, n1, x2, n2, method, level)
    assert not np.isnan(ci.ci_low).any() and not np.isnan(ci.ci_high).any()
    assert np.all((-1 <= ci.ci_low) & (ci.ci_low <= ci.ci_high) & (ci.ci_high <= 1))
    if method in (*SCORE, "newcombe", "wald", "newcombe-cc", "wald-cc", "haldane"):
        assert np.all((ci.ci_low <= ci.estimate + 1e-9) & (ci.estimate <= ci.ci_high + 1e-9))


@pytest.mark.parametrize("method", METHODS)
def test_less_than_one_effective_respondent(method):
    """A design effect larger than n leaves under one effective respondent: no NaN (the
    Miettinen-Nurminen factor N / (N - 1) is then unbounded and the interval [-1, 1])."""
    ci = difference_ci([0.0, 0.0, 1.0], [1, 2, 1], [0.0, 1.0, 0.0], [1, 2, 2], method=method,
                       deff=[4.4, 4.3, 3.6])  # fmt: skip
    assert np.isfinite(ci.ci_low).all() and np.isfinite(ci.ci_high).all()
    if method == "miettinen-nurminen":
        assert_allclose([ci.ci_low, ci.ci_high], [[-1, -1, -1], [1, 1, 1]])


def test_solver_edge_cases():
    """solve_decreasing: NaN in an element stays there; a crossing beyond an end gives
    the end; an ordinary root is found to far better than its tolerance."""
    from surveykit._core.score import solve_decreasing

    def func(x, c):
        return c - x**3

    c = np.array([0.125, np.nan, 5.0, -3.0])
    got = solve_decreasing(func, (c,), np.zeros(4), np.ones(4), np.zeros(4), np.full(4, 0.9),
                           np.full(4, 0.1))  # fmt: skip
    assert_allclose(got[[0, 2, 3]], [0.5, 1.0, 0.0], atol=1e-12)
    assert np.isnan(got[1])


def test_restricted_mle_exact_for_unanimous_polls():
    """0/n vs 0/n and n/n vs n/n: the maximum is on the boundary, to full precision
    (the cubic's trigonometric root keeps only half its digits there)."""
    from surveykit._core.score import restricted_mle

    t1, t2 = restricted_mle(np.array([0.0, 0.0, 1.0, 1.0]), 10.0, np.array([0.0, 0.0, 1.0, 1.0]),
                            20.0, np.array([1e-8, -1e-7, -1e-8, 1e-6]))  # fmt: skip
    assert_allclose(t1, [1e-8, 0.0, 1 - 1e-8, 1.0], rtol=1e-15, atol=1e-300)
    assert_allclose(t2, [0.0, 1e-7, 1.0, 1 - 1e-6], rtol=1e-15, atol=1e-300)
