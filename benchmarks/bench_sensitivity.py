"""Benchmark: a 1000 x 1000 sensitivity grid (10^6 rows) against a naive loop.

Run with ``python benchmarks/bench_sensitivity.py``. The grid crosses 1,000 assumed
sizes of the July poll with 1,000 of the November poll for the leaked FSO figures
(32% -> 55%). The naive reference calls statsmodels once per row (test and Newcombe
interval) on a random sample of rows and scales its time to the full grid.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

try:
    from surveykit.unknowns.sensitivity import sensitivity
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from surveykit.unknowns.sensitivity import sensitivity

SIZES = np.arange(20, 2020, 2)  # 1,000 assumed sample sizes per poll
NAIVE_SAMPLE = 2_000
BUDGET = 1.0  # seconds


def time_grid(repeats: int = 3) -> tuple[float, int]:
    best = np.inf
    rows = 0
    for _ in range(repeats):
        start = time.perf_counter()
        frame = sensitivity(0.55, 0.32, n1=SIZES, n2=SIZES)
        best = min(best, time.perf_counter() - start)
        rows = len(frame)
        del frame
    return best, rows


def time_naive(rows: int) -> float:
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    rng = np.random.default_rng(5)
    n1 = rng.choice(SIZES, NAIVE_SAMPLE)
    n2 = rng.choice(SIZES, NAIVE_SAMPLE)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b in zip(n1, n2, strict=True):
            proportions_ztest([0.55 * a, 0.32 * b], [a, b])
            confint_proportions_2indep(0.55 * a, a, 0.32 * b, b, method="newcomb")
    return (time.perf_counter() - start) * rows / NAIVE_SAMPLE


def main() -> None:
    sensitivity(0.55, 0.32, n1=SIZES[:10], n2=SIZES[:10])  # warm up imports
    seconds, rows = time_grid()
    print(f"sensitivity grid: {rows:,} rows in {seconds:.3f} s (best of 3; budget {BUDGET} s)")
    naive = time_naive(rows)
    print(
        f"naive statsmodels loop (sample of {NAIVE_SAMPLE:,} rows, scaled): {naive:.0f} s; "
        f"ratio {naive / seconds:,.0f}x"
    )
    print("PASS" if seconds < BUDGET else "FAIL: over budget")


if __name__ == "__main__":
    main()
