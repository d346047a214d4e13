"""Benchmark: a 1000 x 1000 sensitivity grid (10^6 rows) against a naive loop, and the
peak memory of a 10^7-cell grid.

Run with ``python benchmarks/bench_sensitivity.py``. The grid crosses 1,000 assumed
sizes of the July poll with 1,000 of the November poll for the leaked FSO figures
(32% -> 55%). The naive reference calls statsmodels once per row (test and Newcombe
interval) on a random sample of rows and scales its time to the full grid.

The 10^7-cell grid adds ten design effects (1.0 to 2.8). It runs in a fresh
subprocess, so that its peak is its own: the peak of memory traced by ``tracemalloc``
(numpy's arrays included) during the call, and the process's peak resident size
(``ru_maxrss``, which includes the interpreter and libraries, printed too). Target: under
1 GB; the returned frame itself is 11 float64 columns and 3 categorical ones, about
0.91 GB, so nearly all of the peak is the result, not intermediate arrays.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

# Always the checkout this file belongs to, even where another one is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from surveykit.unknowns.sensitivity import sensitivity

SIZES = np.arange(20, 2020, 2)  # 1,000 assumed sample sizes per poll
DEFFS = np.linspace(1.0, 2.8, 10)  # with SIZES x SIZES: 10^7 cells
NAIVE_SAMPLE = 2_000
BUDGET = 1.0  # seconds
MEMORY_BUDGET = 1e9  # bytes, for 10^7 cells


def _current_rss() -> int:
    """Resident memory now, in bytes (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def large_grid_child() -> None:
    """In a fresh process: time and peak memory of the 10^7-cell grid, as JSON."""
    sensitivity(0.55, 0.32, n1=SIZES[:10], n2=SIZES[:10])  # warm up imports
    before = _current_rss()
    tracemalloc.start()
    start = time.perf_counter()
    frame = sensitivity(0.55, 0.32, n1=SIZES, n2=SIZES, deff=DEFFS)
    seconds = time.perf_counter() - start
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report = {
        "rows": len(frame),
        "seconds": seconds,
        "traced_peak": traced,
        "frame": int(frame.memory_usage(deep=True).sum()),
        "maxrss_before": before,
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    print(json.dumps(report))


def large_grid() -> bool:
    out = subprocess.run(
        [sys.executable, __file__, "--large-grid-child"],
        check=True,
        capture_output=True,
        text=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    mb = 1e6
    print(
        f"sensitivity grid: {r['rows']:,} cells in {r['seconds']:.1f} s (one run, traced, "
        f"fresh process)\n"
        f"  peak traced memory during the call : {r['traced_peak'] / mb:7.0f} MB "
        f"(budget {MEMORY_BUDGET / mb:.0f} MB)\n"
        f"  of which the returned frame        : {r['frame'] / mb:7.0f} MB\n"
        f"  intermediate arrays at the peak     : {(r['traced_peak'] - r['frame']) / mb:7.0f} MB\n"
        f"  process peak RSS (ru_maxrss)        : {r['maxrss'] / mb:7.0f} MB, "
        f"{r['maxrss_before'] / mb:.0f} MB resident before the call (interpreter, libraries)"
    )
    return r["traced_peak"] < MEMORY_BUDGET


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
    if "--large-grid-child" in sys.argv:
        large_grid_child()
        return
    fits = large_grid()  # first, so that the child starts from a small parent
    print("PASS" if fits else "FAIL: over the memory budget")
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
