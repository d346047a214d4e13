"""proportion_ci: published tables, R references, edge cases, errors and properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.proportion import PROPORTION_CI_METHODS, proportion_ci

REF = Path(__file__).resolve().parents[1] / "reference"
METHODS = PROPORTION_CI_METHODS
EXACT = ("clopper-pearson", "mid-p")
#: methods whose interval always contains x / n, at any confidence level
CONTAINS_ALWAYS = ("wald", "wilson", "wilson-cc", "agresti-coull", "clopper-pearson", "logit",
                   "likelihood-ratio")  # fmt: skip


def test_methods_are_the_issue_list():
    assert set(METHODS) == {
        "wald", "wilson", "wilson-cc", "agresti-coull", "clopper-pearson", "jeffreys",
        "mid-p", "logit", "arcsine", "likelihood-ratio",
    }  # fmt: skip


# ------------------------------------------------------------------ published values

PUBLISHED = pd.read_csv(REF / "one_proportion_published.csv")


@pytest.mark.parametrize(
    "row", PUBLISHED.to_dict("records"), ids=lambda r: f"{r['count']}/{r['n']}-{r['method']}"
)
def test_published_one_proportion(row):
    """Every value of tests/reference/one_proportion_published.csv at its printed precision."""
    ci = proportion_ci(row["count"] / row["n"], row["n"], method=row["method"],
                       confidence_level=row["confidence_level"])  # fmt: skip
    half_unit = 0.5 * 10.0 ** -row["decimals"] + 1e-15
    assert abs(ci.ci_low - row["ci_low"]) <= half_unit
    assert abs(ci.ci_high - row["ci_high"]) <= half_unit


# ------------------------------------------------------------------ R references

R_REF = pd.read_csv(REF / "intervals_R.csv")
R_ONE = R_REF[R_REF.kind == "proportion"]


@pytest.mark.parametrize("method", sorted(R_ONE.method.unique()))
def test_matches_r(method):
    """tests/reference/intervals.R: prop.test, binom.test, Hmisc::binconf, qbeta, uniroot."""
    ref = R_ONE[R_ONE.method == method]
    ci = proportion_ci((ref.x1 / ref.n1).to_numpy(), ref.n1.to_numpy(), method=method,
                       confidence_level=ref.confidence_level.to_numpy())  # fmt: skip
    assert_allclose(ci.ci_low, ref.ci_low, rtol=1e-9, atol=1e-12)
    assert_allclose(ci.ci_high, ref.ci_high, rtol=1e-9, atol=1e-12)


def test_r_calls_pasted():
    # options(digits=17); binom.test(4, 20)$conf.int
    # [1] 0.057333997050032788 0.436614002996668304
    ci = proportion_ci(4 / 20, 20, method="clopper-pearson")
    assert_allclose([ci.ci_low, ci.ci_high], [0.057333997050032788, 0.436614002996668304],
                    rtol=1e-12)  # fmt: skip
    # prop.test(19, 38, correct=FALSE)$conf.int
    # [1] 0.34849928364395111 0.65150071635604889
    ci = proportion_ci(0.5, 38, method="wilson")
    assert_allclose([ci.ci_low, ci.ci_high], [0.34849928364395111, 0.65150071635604889],
                    rtol=1e-12)  # fmt: skip
    # binom.test(5, 20, alternative="greater")$conf.int
    # [1] 0.10408083591013616 1.00000000000000000
    ci = proportion_ci(0.25, 20, method="clopper-pearson", alternative="greater")
    assert_allclose(ci.ci_low, 0.10408083591013616, rtol=1e-12)
    assert ci.ci_high == 1.0


# ------------------------------------------------------------------ edge cases


@pytest.mark.parametrize("method", METHODS)
def test_count_zero_and_n(method):
    lo0 = proportion_ci(0.0, 30, method=method)
    hi0 = proportion_ci(1.0, 30, method=method)
    if method != "arcsine":  # arcsine is centred on (x + 3/8) / (n + 3/4)
        assert lo0.ci_low == 0.0
        assert hi0.ci_high == 1.0
    assert 0 <= lo0.ci_low < lo0.ci_high <= 1 or method == "wald"
    assert_allclose([hi0.ci_low, hi0.ci_high], [1 - lo0.ci_high, 1 - lo0.ci_low], atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("p", [0.0, 1.0])
def test_n_equal_one(method, p):
    ci = proportion_ci(p, 1, method=method)
    assert 0 <= ci.ci_low <= ci.ci_high <= 1
    assert not np.isnan([ci.ci_low, ci.ci_high]).any()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("level", [1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12])
def test_extreme_levels(method, level):
    ci = proportion_ci(np.array([0.0, 0.1, 0.5, 1.0]), 10, method=method, confidence_level=level)
    assert np.all(np.isfinite(ci.ci_low)) and np.all(np.isfinite(ci.ci_high))
    assert np.all((ci.ci_low >= 0) & (ci.ci_low <= ci.ci_high) & (ci.ci_high <= 1))


@pytest.mark.parametrize("method", METHODS)
def test_nan_propagates_elementwise(method):
    ci = proportion_ci([0.5, np.nan, 0.2], [10, 10, np.nan], method=method,
                       confidence_level=[0.95, 0.95, 0.95])  # fmt: skip
    assert np.isnan(ci.ci_low[1:]).all() and np.isnan(ci.ci_high[1:]).all()
    assert np.isfinite([ci.ci_low[0], ci.ci_high[0]]).all()
    ci = proportion_ci(0.5, 10, method=method, confidence_level=[0.9, np.nan])
    assert np.isfinite(ci.ci_low[0]) and np.isnan(ci.ci_low[1])


@pytest.mark.parametrize("method", [m for m in METHODS if m not in EXACT])
def test_deff_is_effective_sample_size(method):
    """deff = 2 on n = 800 is the same as n = 400 (the count scales with it)."""
    a = proportion_ci(0.55, 800, method=method, deff=2)
    b = proportion_ci(0.55, 400, method=method)
    assert_allclose([a.ci_low, a.ci_high], [b.ci_low, b.ci_high], rtol=1e-10)
    assert a.n_eff == 400 and a.n == 800


def test_deff_exact_methods_use_effective_counts():
    # 440 of 800 respondents with deff 2: Clopper-Pearson on 220 of 400
    a = proportion_ci(0.55, 800, method="clopper-pearson", deff=2)
    b = proportion_ci(0.55, 400, method="clopper-pearson")
    assert_allclose([a.ci_low, a.ci_high], [b.ci_low, b.ci_high], rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_one_sided_is_two_sided_at_twice_the_tail(method):
    lower = proportion_ci(0.3, 50, method=method, alternative="greater", confidence_level=0.95)
    upper = proportion_ci(0.3, 50, method=method, alternative="less", confidence_level=0.95)
    both = proportion_ci(0.3, 50, method=method, confidence_level=0.9)
    assert_allclose([lower.ci_low, upper.ci_high], [both.ci_low, both.ci_high], rtol=1e-12)
    assert lower.ci_high == 1.0 and upper.ci_low == 0.0


@pytest.mark.parametrize("method", EXACT)
def test_exact_methods_need_whole_counts(method):
    with pytest.raises(SurveyKitError, match=r"proportion x n must be a whole number"):
        proportion_ci(0.55, 1001, method=method)
    rounded = proportion_ci(0.55, 1001, method=method, round_counts=True)
    whole = proportion_ci(551 / 1001, 1001, method=method)
    assert_allclose([rounded.ci_low, rounded.ci_high], [whole.ci_low, whole.ci_high])
    assert rounded.estimate == 551 / 1001
    # a count within 1e-9 of a whole number is accepted
    proportion_ci(0.1 * 3, 10, method=method)


def test_series_keep_index_and_agree_with_arrays():
    idx = pd.Index(["Jul", "Aug", "Nov"], name="month")
    p = pd.Series([0.32, 0.41, 0.55], index=idx)
    for method in METHODS:
        s = proportion_ci(p, 400, method=method, round_counts=True)
        a = proportion_ci(p.to_numpy(), 400, method=method, round_counts=True)
        assert isinstance(s.ci_low, pd.Series) and s.ci_low.index.equals(idx)
        assert_allclose(s.ci_low.to_numpy(), a.ci_low)
        assert s.to_frame().index.equals(idx)
        one = proportion_ci(0.41, 400, method=method, round_counts=True)
        assert isinstance(one.ci_low, float)
        assert_allclose(one.ci_high, a.ci_high[1])


def test_confidence_level_broadcasts():
    ci = proportion_ci(0.55, 1600, confidence_level=[0.8, 0.9, 0.95, 0.99])
    assert np.all(np.diff(ci.ci_high - ci.ci_low) > 0)


def test_fso_example():
    ci = proportion_ci(0.55, 1600, method="jeffreys")
    assert 0.52 < ci.ci_low < 0.55 < ci.ci_high < 0.58


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "wilsn"}, r"method must be one of .*'wilson'.*got 'wilsn'"),
        ({"method": "Wilson-CC"}, r"did you mean 'wilson-cc'"),
        ({"method": "exact"}, r"method must be one of"),
        ({"alternative": "two.sided"}, r"alternative must be one of"),
        ({"proportion": 55}, r"proportion must be between 0 and 1, got 55.*0.55"),
        ({"proportion": -0.1}, r"proportion must be between 0 and 1"),
        ({"proportion": "55%"}, r"proportion must be a number"),
        ({"n": 0}, r"n must be a positive, finite sample size, got 0"),
        ({"n": np.inf}, r"n must be a positive, finite sample size"),
        ({"deff": 0}, r"deff must be a positive design effect"),
        ({"confidence_level": 95}, r"confidence_level must be strictly between 0 and 1.*0.95"),
        ({"confidence_level": 1.0}, r"confidence_level must be strictly between 0 and 1"),
        ({"n": [10, 20, 30], "proportion": [0.1, 0.2]}, r"cannot be broadcast"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"proportion": 0.5, "n": 100} | kwargs
    with pytest.raises(SurveyKitError, match=match):
        proportion_ci(args.pop("proportion"), args.pop("n"), **args)


# ------------------------------------------------------------------ properties

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
levels = st.floats(min_value=0.8, max_value=0.9999)


@settings(max_examples=60, deadline=None)
@given(counts, levels, st.sampled_from(METHODS))
def test_property_contains_estimate_and_in_range(xn, level, method):
    x, n = xn
    ci = proportion_ci(x / n, n, method=method, confidence_level=level)
    assert 0 <= ci.ci_low <= ci.ci_high <= 1
    if method != "arcsine" or 0 < x < n:
        assert ci.ci_low <= ci.estimate + 1e-12 <= ci.ci_high + 2e-12


@settings(max_examples=40, deadline=None)
@given(counts, st.floats(min_value=0.001, max_value=0.9999), st.sampled_from(CONTAINS_ALWAYS))
def test_property_contains_estimate_any_level(xn, level, method):
    x, n = xn
    ci = proportion_ci(x / n, n, method=method, confidence_level=level)
    assert ci.ci_low <= ci.estimate + 1e-12 and ci.estimate <= ci.ci_high + 1e-12


@settings(max_examples=60, deadline=None)
@given(counts, st.sampled_from(METHODS))
def test_property_nested_across_levels(xn, method):
    x, n = xn
    ci = proportion_ci(x / n, n, method=method, confidence_level=[0.5, 0.8, 0.9, 0.95, 0.99])
    assert np.all(np.diff(ci.ci_low) <= 1e-12) and np.all(np.diff(ci.ci_high) >= -1e-12)


@settings(max_examples=60, deadline=None)
@given(counts, levels, st.sampled_from(METHODS))
def test_property_mirror_symmetry(xn, level, method):
    x, n = xn
    a = proportion_ci(x / n, n, method=method, confidence_level=level)
    b = proportion_ci((n - x) / n, n, method=method, confidence_level=level)
    assert_allclose([a.ci_low, a.ci_high], [1 - b.ci_high, 1 - b.ci_low], atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6), st.sampled_from(METHODS))
def test_property_scalar_array_series_agree(xns, method):
    x = np.array([v[0] for v in xns], float)
    n = np.array([v[1] for v in xns], float)
    arr = proportion_ci(x / n, n, method=method)
    ser = proportion_ci(pd.Series(x / n), pd.Series(n), method=method)
    assert_allclose(ser.ci_low.to_numpy(), arr.ci_low)
    for i in range(len(x)):
        one = proportion_ci(x[i] / n[i], n[i], method=method)
        assert_allclose([one.ci_low, one.ci_high], [arr.ci_low[i], arr.ci_high[i]], rtol=1e-9,
                        atol=1e-12)  # fmt: skip


# ------------------------------------------------------------------ robustness


def _random_counts(size, seed):
    rng = np.random.default_rng(seed)
    n = np.floor(10 ** rng.uniform(0, 9, size))
    n[:4] = [1, 2, 1e9, 1e9]
    x = np.floor(rng.random(size) * (n + 1))
    x[::7] = 0
    x[3::7] = n[3::7]
    level = rng.choice([0.5, 0.8, 0.9, 0.95, 0.99, 1 - 1e-9], size)
    return x, n, level


@pytest.mark.parametrize("method", METHODS)
def test_robust_100k_random_counts(method):
    """100,000 random (count, n) with 0, n and n up to 1e9: no exception, no NaN.

    mid-p evaluates incomplete beta functions of parameters up to 1e9, which costs
    microseconds each, so it is checked on 20,000 of the draws to keep the suite fast.
    """
    size = 20_000 if method == "mid-p" else 100_000
    x, n, level = _random_counts(size, 3)
    ci = proportion_ci(x / n, n, method=method, confidence_level=level)
    assert not np.isnan(ci.ci_low).any() and not np.isnan(ci.ci_high).any()
    assert np.all((ci.ci_low >= 0) & (ci.ci_low <= ci.ci_high) & (ci.ci_high <= 1))


# ------------------------------------------------------------------ lean hot paths
# Structural checks of issue 10, item 7 (speed itself is measured in benchmarks/).

NORMAL = ("wald", "wilson", "wilson-cc", "agresti-coull", "logit", "arcsine", "likelihood-ratio")


@pytest.mark.parametrize("method", NORMAL)
@pytest.mark.parametrize("alternative", ["two-sided", "less"])
def test_scalar_level_takes_one_normal_quantile(method, alternative, monkeypatch):
    """A scalar confidence level gives one quantile call on one value, whatever the rows."""
    from surveykit._core import numerics
    from surveykit.inference import proportion as module

    real = numerics.z_quantile
    sizes = []

    def spy(tail):
        sizes.append(np.size(tail))
        return real(tail)

    monkeypatch.setattr(module, "z_quantile", spy)
    monkeypatch.setattr(numerics, "z_quantile", spy)
    x, n, _ = _random_counts(20_000, 5)
    proportion_ci(x / n, n, method=method, confidence_level=0.9, alternative=alternative)
    assert sizes == [1]
    sizes.clear()
    proportion_ci(x / n, n, method=method, confidence_level=[[0.9], [0.95]])
    assert sizes == [2]  # one per distinct level given, broadcast against the rows


def test_scalar_inputs_are_not_repeated_per_row():
    x, n, _ = _random_counts(20_000, 6)
    ci = proportion_ci(x / n, n, confidence_level=0.9, deff=1.5)
    for field in (ci.confidence_level, ci.deff):
        assert field.shape == n.shape and field.strides == (0,)  # a view of one number
        assert not field.flags.writeable
    assert np.all(ci.confidence_level == 0.9) and np.all(ci.deff == 1.5)
    # inputs echoed are read-only views, never the caller's array made writable
    assert not ci.n.flags.writeable and np.array_equal(ci.n, n)
    frame = ci.to_frame()
    assert (frame.confidence_level == 0.9).all() and len(frame) == n.size


@pytest.mark.parametrize("method", ["wald", "wilson", "wilson-cc", "agresti-coull", "logit",
                                    "arcsine"])  # fmt: skip
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_blocks_give_the_same_numbers_as_whole_arrays(method, alternative, monkeypatch):
    """The closed forms are computed in cache-sized blocks: the block size changes no bit."""
    from surveykit.inference import proportion as module

    rng = np.random.default_rng(8)
    n = np.floor(10 ** rng.uniform(0, 6, (301, 7)))
    p = np.floor(rng.random((301, 7)) * (n + 1)) / n
    p[::13, 2] = np.nan
    n[5::17, 4] = np.nan
    level = np.array([0.5, 0.8, 0.9, 0.95, 0.99, np.nan, 0.999])  # broadcast along rows
    deff = rng.uniform(0.5, 3, (301, 1))
    kwargs = {"method": method, "alternative": alternative}
    cases = [{"confidence_level": level, "deff": deff}, {"confidence_level": 0.9}]
    for case in cases:
        monkeypatch.setattr(module, "BLOCK_SIZE", 1 << 30)
        whole = proportion_ci(p, n, **kwargs, **case)
        for block in (1, 7, 64):
            monkeypatch.setattr(module, "BLOCK_SIZE", block)
            parts = proportion_ci(p, n, **kwargs, **case)
            np.testing.assert_array_equal(parts.ci_low, whole.ci_low)
            np.testing.assert_array_equal(parts.ci_high, whole.ci_high)
            np.testing.assert_array_equal(parts.n_eff, whole.n_eff)
