"""Exact power of two-proportion tests by enumeration of the count grid.

The rejection region of a test is computed once per pair of sizes as a 0/1 matrix
:math:`M` over :math:`\\{0..n_1\\} \\times \\{0..n_2\\}` (by calling the test on whole
blocks of the grid; Fisher's test margin by margin) and the power at every pair of true
proportions is :math:`b_1^\\top M b_2`, gathered from binomial cumulative sums. The
public entry point is :func:`surveykit.planning.power.power_two_proportions`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import special, stats

from surveykit.exceptions import SurveyKitError

__all__ = ["exact_tests", "power_exact", "whole_sizes"]

#: cells of the count grid evaluated per call of the test (bounds memory to ~100 MB)
_CHUNK_CELLS = 1 << 20
#: largest count grid (n1 + 1)(n2 + 1): about 10,000 per poll (a 100 MB region)
MAX_CELLS = 10_001 * 10_001
#: largest size per poll for the exact power of Barnard's and Boschloo's tests. A budget
#: of its own, smaller than :data:`surveykit.inference.exact.MAX_UNCONDITIONAL_N` (the
#: limit for one p-value): power needs the rejection region over the whole count grid,
#: a bisection of many tests, and 3,000 per poll already takes about 20 s
MAX_UNCONDITIONAL_POWER_N = 3000


def exact_tests() -> tuple[str, ...]:
    """The tests of :func:`surveykit.two_proportion_test` whose exact power is offered.

    Read at call time: every test of ``TWO_PROPORTION_TEST_METHODS``. Those with a
    vectorised p-value are called on whole blocks of the count grid; Fisher's test is
    vectorised here margin by margin; Barnard's and Boschloo's rejection regions are
    found by bisection on the critical value of their statistic.
    """
    from surveykit.inference.two_sample_tests import TWO_PROPORTION_TEST_METHODS

    return tuple(TWO_PROPORTION_TEST_METHODS)


def _threshold(stat: np.ndarray, alpha: float, tol: float = 0.0) -> np.ndarray:
    """Rejection region of an unconditional test whose p-value is monotone in ``stat``.

    The p-value of a table with statistic :math:`t` (smaller is more extreme) is
    :math:`\\sup_\\pi P_\\pi(S \\le t(1 + \\text{tol}))`, non-decreasing in :math:`t`,
    so the tables rejected at level alpha are those with :math:`S \\le c` for the largest
    observed value :math:`c` whose p-value is at most alpha. :math:`c` is found by
    bisection over the sorted distinct values: about 20 suprema, not one per table.
    """
    from surveykit.inference import exact

    values = np.unique(stat)
    lo, hi = -1, values.size  # p(values[lo]) <= alpha < p(values[hi]) (virtual ends)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if exact._supremum(stat <= values[mid] + tol * abs(values[mid])) <= alpha:
            lo = mid
        else:
            hi = mid
    if lo < 0:
        return np.zeros(stat.shape, dtype=bool)
    return stat <= values[lo]


def _unconditional_region(test: str, alternative: str, n1: int, n2: int, alpha: float):  # type: ignore[no-untyped-def]
    """Barnard's (pooled z) and Boschloo's (Fisher's p) regions, as surveykit.inference.exact."""
    from surveykit.inference import exact

    if test == "barnard":
        z = exact._pooled_z_matrix(n1, n2)
        stat = {"greater": -z, "less": z}.get(alternative, -np.abs(z))
        return _threshold(stat, alpha)
    tol = exact.TIE_TOLERANCE
    if alternative != "two-sided":
        return _threshold(exact._fisher_one_sided_matrix(n1, n2, alternative), alpha, tol)
    # twice the smaller one-sided p-value <= alpha: either side at alpha / 2
    less = _threshold(exact._fisher_one_sided_matrix(n1, n2, "less"), alpha / 2, tol)
    greater = _threshold(exact._fisher_one_sided_matrix(n1, n2, "greater"), alpha / 2, tol)
    return less | greater


_UNCONDITIONAL = frozenset({"barnard", "boschloo"})


def _pvalue_grid(
    test: str, alternative: str, n1: int, n2: int
) -> Callable[[int, int], np.ndarray]:
    """A function giving the test's p-values for rows [start, stop) of the count grid."""
    from surveykit.inference.two_sample_tests import two_proportion_test

    k2 = np.arange(n2 + 1) / n2

    def rows(start: int, stop: int) -> np.ndarray:
        k1 = (np.arange(start, stop) / n1)[:, None]
        res = two_proportion_test(k1, n1, k2[None, :], n2, method=test, alternative=alternative)
        return np.asarray(res.pvalue)

    return rows


def _log_choose(n: int, k: np.ndarray) -> np.ndarray:
    return special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)


def _fisher_pvalues(alternative: str, n1: int, n2: int) -> np.ndarray:
    """Fisher's conditional p-value of every table, margin by margin (as R's fisher.test).

    Tables with the same total :math:`s = x_1 + x_2` share a hypergeometric distribution;
    one-sided p-values are its cumulative sums, two-sided ones the sum of the
    probabilities no larger than the table's own (relative tolerance 1e-7, as R).
    """
    out = np.empty((n1 + 1, n2 + 1))
    lc1 = _log_choose(n1, np.arange(n1 + 1))
    lc2 = _log_choose(n2, np.arange(n2 + 1))
    for s in range(n1 + n2 + 1):
        x1 = np.arange(max(0, s - n2), min(n1, s) + 1)
        logd = lc1[x1] + lc2[s - x1]
        d = np.exp(logd - logd.max())
        d /= d.sum()
        if alternative == "less":
            p = np.cumsum(d)
        elif alternative == "greater":
            p = np.cumsum(d[::-1])[::-1]
        else:
            order = np.argsort(d, kind="stable")
            sorted_d = d[order]
            cum = np.cumsum(sorted_d)
            last = np.searchsorted(sorted_d, d * (1 + 1e-7), side="right") - 1
            p = cum[last]
        out[x1, s - x1] = np.minimum(p, 1.0)
    return out


def _rejection_region(test: str, alternative: str, n1: int, n2: int, alpha: float) -> np.ndarray:
    """0/1 matrix over the count grid: where the test rejects at level alpha."""
    if test == "fisher":
        return _fisher_pvalues(alternative, n1, n2) <= alpha
    if test in _UNCONDITIONAL:
        return _unconditional_region(test, alternative, n1, n2, alpha)
    pvalues = _pvalue_grid(test, alternative, n1, n2)
    region = np.empty((n1 + 1, n2 + 1), dtype=bool)
    step = max(1, _CHUNK_CELLS // (n2 + 1))
    for start in range(0, n1 + 1, step):
        stop = min(n1 + 1, start + step)
        region[start:stop] = pvalues(start, stop) <= alpha
    return region


def _binomial_pmf(n: int, p: np.ndarray) -> np.ndarray:
    """Binomial(n, p) probabilities, shape (n + 1, K), for K values of p."""
    return stats.binom.pmf(np.arange(n + 1)[:, None], n, p[None, :])


def _region_power(region: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """:math:`b_1^\\top M b_2` for every pair (p1[k], p2[k]).

    When each row of M is a lower set plus an upper set of x2 (true of every test
    offered here), :math:`M b_2` is gathered from two binomial cumulative sums, so the
    cost is :math:`O((n_1 + n_2) K)`; otherwise it is the matrix product.
    """
    n1, n2 = region.shape[0] - 1, region.shape[1] - 1
    b1 = _binomial_pmf(n1, p1)
    b2 = _binomial_pmf(n2, p2)
    full = region.all(axis=1)
    lead = np.where(full, n2 + 1, np.argmin(region, axis=1))
    trail = np.where(full, 0, np.argmin(region[:, ::-1], axis=1))
    if np.all(full | (lead + trail == region.sum(axis=1))):
        below = np.zeros((n2 + 2, p2.size))  # below[j] = P(X2 < j)
        np.cumsum(b2, axis=0, out=below[1:])
        above = np.zeros((n2 + 2, p2.size))  # above[j] = P(X2 >= j)
        above[:-1] = np.cumsum(b2[::-1], axis=0)[::-1]
        inner = below[lead] + above[n2 + 1 - trail]
    else:  # pragma: no cover - no offered test has such a region
        inner = region.astype(float) @ b2
    return np.clip(np.einsum("ik,ik->k", b1, inner), 0.0, 1.0)


def whole_sizes(name: str, n: np.ndarray) -> np.ndarray:
    nearest = np.round(n)
    bad = ~np.isnan(n) & (np.abs(n - nearest) > 1e-9 * np.maximum(1, n))
    if bad.any():
        raise SurveyKitError(
            f"{name} / deff must be a whole number of respondents for method='exact', "
            f"got {n[bad].ravel()[0].item()!r}; pass sizes (and a design effect) whose "
            "effective size n / deff is an integer"
        )
    return nearest


def _check_grid(test: str, n1: np.ndarray, n2: np.ndarray) -> None:
    """Refuse count grids too large to enumerate, naming the limit and the alternative."""
    for name, n in (("n1", n1), ("n2", n2)):
        over = n > MAX_UNCONDITIONAL_POWER_N
        if test in _UNCONDITIONAL and over.any():
            raise SurveyKitError(
                f"{name} must be at most {MAX_UNCONDITIONAL_POWER_N:,} (after the design effect) "
                f"for the exact power of test={test!r}, got {n[over][0]:,.0f}; at this size "
                "use test='fisher' or 'z-pooled', whose exact power is close and fast"
            )
    over = (n1 + 1) * (n2 + 1) > MAX_CELLS
    if over.any():
        raise SurveyKitError(
            f"n1 x n2 must be at most about 10,000 x 10,000 for method='exact', got "
            f"{n1[over][0]:,.0f} x {n2[over][0]:,.0f}; at this size use method='normal', "
            "which is accurate here"
        )


def power_exact(p1, p2, n1, n2, alpha, alternative, test, cache=None):  # type: ignore[no-untyped-def]
    """Exact power, one rejection region per distinct (n1, n2, alpha).

    ``cache``, a dict, keeps the regions between calls (a bisection evaluates the power
    at the same sizes many times).
    """
    cache = {} if cache is None else cache
    n1 = whole_sizes("n1", n1)
    n2 = whole_sizes("n2", n2)
    out = np.full(np.broadcast(p1, p2, n1, n2, alpha).shape, np.nan)
    p1, p2, n1, n2, alpha = np.broadcast_arrays(p1, p2, n1, n2, alpha)
    ok = ~(np.isnan(p1) | np.isnan(p2) | np.isnan(n1) | np.isnan(n2) | np.isnan(alpha))
    if not ok.any():
        return out
    keys = np.stack([n1[ok], n2[ok], alpha[ok]], axis=-1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    values = np.empty(inverse.size)
    q1, q2 = p1[ok], p2[ok]
    _check_grid(test, unique[:, 0], unique[:, 1])
    for j, (m1, m2, level) in enumerate(unique):
        members = inverse == j
        key = (test, alternative, int(m1), int(m2), float(level))
        if key not in cache:
            cache[key] = _rejection_region(*key)
        region = cache[key]
        values[members] = _region_power(region, q1[members], q2[members])
    out[ok] = values
    return out
