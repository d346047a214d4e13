"""The integer search behind the critical n of tests without a closed form, and what it
costs: the smallest N significant at every whole n from N up to a limit, vectorised over
the elements, and the estimated seconds of a search before it runs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from surveykit.inference import exact

__all__ = [
    "EXACT_SEARCH",
    "N_CEILING",
    "SCAN_WIDTH",
    "SECONDS_ASYMPTOTIC",
    "faster_method",
    "search_cost",
    "search_smallest_n",
]

#: largest search limit of the integer search (2**40 respondents)
N_CEILING = float(2**40)
#: columns of the scan over [crossing, limit] evaluated per call
SCAN_WIDTH = 512


def search_smallest_n(
    significant: Callable[[np.ndarray, np.ndarray], np.ndarray],
    active: np.ndarray,
    limit: np.ndarray | None,
) -> np.ndarray:
    """Smallest N with ``significant`` at every whole n in [N, L], on whole arrays.

    ``significant(n, index)`` returns, for the flat element numbers ``index`` and whole
    sample sizes ``n`` of the same shape, whether the test is significant. ``active``
    marks the (flat) elements to search; the others return NaN. ``limit`` is the search
    limit L per element, or None for the second power of two at which the test is
    significant (the first, if no second one is found up to 2**40; elements never
    significant at a power of two up to 2**40 return inf).

    Three vectorised stages: (1) an exponential search over powers of two (only when
    ``limit`` is None); (2) a bisection on [0, L] for a crossing c, significant at c and
    not at c - 1 (n = 0 counts as not significant); (3) a scan of [c, L] in blocks for
    the last non-significant n, which the answer follows. Each stage calls
    ``significant`` once per step on all unfinished elements together.
    """
    size = active.size
    result = np.full(size, np.nan)
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return result
    if limit is None:
        power = np.ones(idx.size)
        first = np.full(idx.size, np.inf)
        hits = np.zeros(idx.size, dtype=int)
        while True:
            todo = (hits < 2) & (power <= N_CEILING)
            if not todo.any():
                break
            hit = significant(power[todo], idx[todo])
            sub = np.flatnonzero(todo)
            hits[sub[hit]] += 1
            first[sub[hit & (hits[sub] == 1)]] = power[sub[hit & (hits[sub] == 1)]]
            power[sub[hits[sub] < 2]] *= 2
        high = np.where(hits == 2, power, first)
    else:
        high = np.asarray(limit, dtype=float).ravel()[idx].copy()
        ok = np.isfinite(high) & (high >= 1)
        hit = np.zeros(idx.size, dtype=bool)
        hit[ok] = significant(high[ok], idx[ok])
        high = np.where(hit, high, np.inf)
    never = ~np.isfinite(high)
    result[idx[never]] = np.inf
    idx, limit_n = idx[~never], high[~never]
    if idx.size == 0:
        return result
    # (2) bisection: significant at hi, not at lo
    lo = np.zeros(idx.size)
    hi = limit_n.copy()
    while True:
        todo = hi - lo > 1
        if not todo.any():
            break
        mid = np.floor((lo[todo] + hi[todo]) / 2)
        hit = significant(mid, idx[todo])
        sub = np.flatnonzero(todo)
        hi[sub[hit]] = mid[hit]
        lo[sub[~hit]] = mid[~hit]
    # (3) scan [hi, limit] for the last non-significant n
    answer = hi.copy()
    start = hi.copy()
    while True:
        todo = start <= limit_n
        if not todo.any():
            break
        sub = np.flatnonzero(todo)
        n = start[sub, None] + np.arange(SCAN_WIDTH)[None, :]
        inside = n <= limit_n[sub, None]
        rows, cols = np.nonzero(inside)
        hit = np.ones(n.shape, dtype=bool)
        hit[rows, cols] = significant(n[rows, cols], idx[sub][rows])
        miss = ~hit
        last = np.where(miss.any(axis=1), SCAN_WIDTH - 1 - np.argmax(miss[:, ::-1], axis=1), -1)
        answer[sub] = np.where(last >= 0, start[sub] + last + 1, answer[sub])
        start[sub] += SCAN_WIDTH
    result[idx] = answer
    return result


EXACT_SEARCH = frozenset({"fisher", "barnard", "boschloo"})
#: calibrated seconds per asymptotic test on arrays (exact tests: see
#: surveykit.inference.exact.SECONDS_FISHER and SECONDS_UNCONDITIONAL)
SECONDS_ASYMPTOTIC = 1e-6


def search_cost(
    method: str,
    rough: np.ndarray,
    rat: np.ndarray,
    design: np.ndarray,
    limit: np.ndarray | None,
    searched: np.ndarray,
) -> tuple[float, float]:
    """Estimated (seconds, tests) of the integer search over the ``searched`` elements.

    ``rough`` is the z-test's critical n1 (infinite where it is never significant: the
    exponential stage then stops at 2**40 after 41 tests). The scan covers about
    [N, L] with L the second power of two at which the test is significant (or the
    limit); the other stages about 2 log2 L tests.
    """
    rough, rat, design = np.broadcast_arrays(rough, rat, design)
    big_n = np.where(np.isfinite(rough), rough, 1.0)
    if limit is None:
        top = 2.0 ** (np.ceil(np.log2(np.maximum(big_n, 1.0))) + 1)
        top = np.minimum(np.where(np.isfinite(rough), top, N_CEILING), N_CEILING)
    else:
        top = np.broadcast_to(np.asarray(limit, dtype=float), big_n.shape)
        top = np.where(np.isfinite(top), np.maximum(top, 1.0), 1.0)
    big_n = np.minimum(big_n, top)
    scan = np.where(np.isfinite(rough), top - big_n + 1, 0.0)
    tests = scan + 2 * np.log2(top) + 1
    # sums over the scanned n of n (for Fisher) and of n^2 (for the unconditional tests),
    # at the effective sizes n / deff
    sum_n = (top**2 - big_n**2) / 2 / design
    sum_n2 = (top**3 - big_n**3) / 3 / design**2
    if method == "fisher":
        base, per_table = exact.SECONDS_FISHER
        seconds = tests * base + per_table * np.minimum(1.0, rat) * sum_n
    elif method in EXACT_SEARCH:
        base, per_table = exact.SECONDS_UNCONDITIONAL
        seconds = tests * base + per_table * rat * sum_n2
    else:
        seconds = tests * SECONDS_ASYMPTOTIC
    with np.errstate(invalid="ignore", over="ignore"):
        total_seconds = float(np.sum(np.where(searched, seconds, 0.0)))
        total_tests = float(np.sum(np.where(searched, tests, 0.0)))
    return total_seconds, total_tests


def faster_method(method: str, largest: float) -> str:
    """What else to do than a long search: a bound, or a faster method."""
    bound = "; or pass n_max= to bound the search"
    if method in ("barnard", "boschloo"):
        return (
            f"{bound}, or use method='fisher' (exact, and much faster) or 'z-pooled' (the "
            f"z-test gives {largest:,.0f})"
        )
    return (
        f"{bound}, or use method='z-pooled' or 'z-unpooled', which have a closed form (the "
        f"z-test gives {largest:,.0f}) and are accurate at this size"
    )
