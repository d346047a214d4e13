"""Tests of surveykit.exact: Fisher's, Barnard's and Boschloo's exact tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from surveykit.inference import exact
from surveykit.inference.two_sample_tests import two_proportion_test

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
ALTERNATIVES = ("two-sided", "less", "greater")
FUNCTIONS = {"fisher": exact.fisher, "barnard": exact.barnard, "boschloo": exact.boschloo}


def _counts(table: str) -> tuple[int, int, int, int]:
    """'7,12;8,3' (columns are the groups) -> (x1, n1, x2, n2)."""
    (a, b), (c, d) = (map(int, row.split(",")) for row in table.split(";"))
    return a, a + c, b, b + d


# --------------------------------------------------------------------------------------
# Published values: the scipy documentation examples
# (tests/reference/exact_tests_published.csv, sources in its last column)
# --------------------------------------------------------------------------------------

PUBLISHED = pd.read_csv(REFERENCE / "exact_tests_published.csv")


@pytest.mark.parametrize("row", PUBLISHED.itertuples(index=False), ids=lambda r: r.test)
def test_scipy_documentation_examples(row):
    x1, n1, x2, n2 = _counts(row.table)
    res = two_proportion_test(
        x1 / n1, n1, x2 / n2, n2, method=row.test, alternative=row.alternative
    )
    assert_allclose(res.statistic, row.statistic, rtol=1e-6)
    assert_allclose(res.pvalue, row.pvalue, rtol=1e-6)


# --------------------------------------------------------------------------------------
# Against scipy, and against a brute-force maximisation over a fine nuisance grid
# --------------------------------------------------------------------------------------


def _brute_force_supremum(region: np.ndarray) -> float:
    """max over 20001 equally spaced pi, then a finer grid around the best one."""
    n1, n2 = region.shape[0] - 1, region.shape[1] - 1

    def prob(pi):
        b1 = stats.binom.pmf(np.arange(n1 + 1)[:, None], n1, pi[None, :])
        b2 = stats.binom.pmf(np.arange(n2 + 1)[:, None], n2, pi[None, :])
        return np.einsum("ik,ik->k", b1, region.astype(float) @ b2)

    grid = np.linspace(0, 1, 20001)
    values = prob(grid)
    best = grid[np.argmax(values)]
    fine = np.clip(np.linspace(best - 1e-4, best + 1e-4, 2001), 0, 1)
    return float(max(values.max(), prob(fine).max()))


def _tables(count, max_n, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n1, n2 = (int(v) for v in rng.integers(1, max_n + 1, 2))
        out.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    return out


SMALL_TABLES = [(7, 15, 12, 15), (3, 4, 1, 1), (0, 5, 5, 5), (1, 14, 1, 2), (6, 18, 4, 4)]
SMALL_TABLES += _tables(12, 20, seed=4)


@pytest.mark.parametrize("table", SMALL_TABLES)
@pytest.mark.parametrize("method", ["barnard", "boschloo"])
def test_against_scipy_small_tables(table, method):
    x1, n1, x2, n2 = table
    scipy_test = stats.barnard_exact if method == "barnard" else stats.boschloo_exact
    for alternative in ALTERNATIVES:
        statistic, pvalue = FUNCTIONS[method](x1, n1, x2, n2, alternative)
        ref = scipy_test([[x1, x2], [n1 - x1, n2 - x2]], alternative=alternative)
        assert_allclose(statistic, ref.statistic, rtol=1e-9)
        # never smaller than scipy's (whose nuisance search may miss the supremum) ...
        assert pvalue >= ref.pvalue * (1 - 1e-9)
        # ... and equal to it to 6 digits here, where 32 points find the supremum
        assert_allclose(pvalue, ref.pvalue, rtol=1e-6)


@pytest.mark.parametrize("table", [*_tables(6, 40, seed=11), (12, 40, 30, 40), (1, 30, 0, 2)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_supremum_against_brute_force(table, alternative):
    x1, n1, x2, n2 = table
    z = exact._pooled_z_matrix(n1, n2)
    if alternative == "less":
        region = z <= z[x1, x2]
    elif alternative == "greater":
        region = z >= z[x1, x2]
    else:
        region = np.abs(z) >= abs(z[x1, x2])
    ours = exact._supremum(region)
    brute = _brute_force_supremum(region)
    assert brute * (1 - 1e-9) <= ours <= brute * (1 + 1e-7)
    assert_allclose(exact.barnard(x1, n1, x2, n2, alternative)[1], ours, rtol=1e-12)


def test_larger_than_scipy_where_its_search_misses_the_supremum():
    # 61/61 against 72/112, two-sided: scipy 1.17's 32 Sobol points give
    # stats.barnard_exact([[61, 72], [0, 40]]).pvalue = 8.859424240683962e-08, below the
    # supremum that a brute-force search over pi finds
    x1, n1, x2, n2 = 61, 61, 72, 112
    _, pvalue = exact.barnard(x1, n1, x2, n2, "two-sided")
    z = exact._pooled_z_matrix(n1, n2)
    brute = _brute_force_supremum(np.abs(z) >= abs(z[x1, x2]))
    assert_allclose(pvalue, brute, rtol=1e-9)
    assert pvalue > 8.859424240683962e-08 * (1 + 1e-4)


def test_moderate_size_against_scipy():
    # 32% vs 55% with 60 and 50 respondents; scipy takes a fraction of a second here
    x1, n1, x2, n2 = 19, 60, 28, 50
    table = [[x1, x2], [n1 - x1, n2 - x2]]
    for alternative in ("two-sided", "less"):
        ref = stats.boschloo_exact(table, alternative=alternative)
        got = exact.boschloo(x1, n1, x2, n2, alternative)
        assert_allclose(got, (ref.statistic, ref.pvalue), rtol=1e-6)
        ref = stats.barnard_exact(table, alternative=alternative)
        got = exact.barnard(x1, n1, x2, n2, alternative)
        assert_allclose(got, (ref.statistic, ref.pvalue), rtol=1e-6)


def test_region_probability_general_matrix_path():
    # a region whose rows are not a lower set plus an upper set uses b1' M b2 directly
    rng = np.random.default_rng(3)
    region = rng.random((9, 12)) < 0.3
    region[4, [2, 5, 9]] = [True, False, True]
    region[4, [3, 4]] = False
    ours = exact._supremum(region)
    assert_allclose(ours, _brute_force_supremum(region), rtol=1e-7)
    # and a two-tailed region gives the same probability by either path
    z = exact._pooled_z_matrix(8, 11)
    tails = np.abs(z) >= 1.2
    theta = np.linspace(0.05, 1.5, 7)
    fast = exact._region_probability(tails)(theta)
    pi = np.sin(theta) ** 2
    b1 = stats.binom.pmf(np.arange(9)[:, None], 8, pi)
    b2 = stats.binom.pmf(np.arange(12)[:, None], 11, pi)
    assert_allclose(fast, np.einsum("ik,ik->k", b1, tails.astype(float) @ b2), rtol=1e-10)


def test_trivial_regions():
    assert exact._supremum(np.zeros((3, 4), dtype=bool)) == 0.0
    assert exact._supremum(np.ones((3, 4), dtype=bool)) == 1.0
    # only the corner table (0, 0): its probability is 1 at pi = 0
    corner = np.zeros((3, 4), dtype=bool)
    corner[0, 0] = True
    assert exact._supremum(corner) == 1.0


# --------------------------------------------------------------------------------------
# Fisher's test and Boschloo's statistic
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", [*SMALL_TABLES, (220, 400, 128, 400), (512, 1600, 880, 1600)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_fisher_against_scipy(table, alternative):
    x1, n1, x2, n2 = table
    ref = stats.fisher_exact([[x1, x2], [n1 - x1, n2 - x2]], alternative=alternative)
    statistic, pvalue = exact.fisher(x1, n1, x2, n2, alternative)
    assert_allclose(pvalue, ref.pvalue, rtol=1e-6)
    assert_allclose(statistic, ref.statistic, rtol=1e-12)


@pytest.mark.parametrize("side", ["less", "greater"])
def test_boschloo_statistic_is_the_fisher_one_sided_pvalue(side):
    n1, n2 = 13, 9
    matrix = exact._fisher_one_sided_matrix(n1, n2, side)
    x1 = np.arange(n1 + 1)[:, None]
    x2 = np.arange(n2 + 1)[None, :]
    s = x1 + x2
    hyper = stats.hypergeom(n1 + n2, n1, s)
    expected = hyper.cdf(x1) if side == "less" else hyper.sf(x1 - 1)
    assert_allclose(matrix, expected, rtol=1e-12)


def test_fisher_two_sided_uses_r_tolerance_for_ties():
    # symmetric margins: the mirror table has the same probability up to rounding and
    # must count (R: fisher.test(matrix(c(3, 7, 7, 3), 2))$p.value = 0.178895407997576)
    _, p = exact.fisher(3, 10, 7, 10, "two-sided")
    assert_allclose(p, 0.178895407997576, rtol=1e-9)


def test_large_table_is_fast_enough_and_below_fisher():
    # the FSO story at 1,600 per arm: 32% in July, 55% in November
    _, boschloo = exact.boschloo(512, 1600, 880, 1600, "less")
    _, fisher = exact.fisher(512, 1600, 880, 1600, "less")
    assert 0 < boschloo <= fisher
