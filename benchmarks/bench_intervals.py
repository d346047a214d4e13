"""Speed of surveykit's intervals against statsmodels, timed in the same run.

Run from the repository root:  python benchmarks/bench_intervals.py [--rows 1000000]

* Miettinen-Nurminen difference interval on a million random 2x2 tables, against
  statsmodels' ``confint_proportions_2indep(method="score")``, which takes one table a
  call: a sample of its calls is timed and scaled to the same number of rows (tables
  where it raises are counted and skipped). Target: at least 1000x faster per interval.
* Clopper-Pearson and Jeffreys on a million rows against statsmodels'
  ``proportion_confint`` (vectorised too). Target: no slower.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

try:
    from surveykit.inference.difference import difference_ci
except ImportError:  # run from a checkout that was never installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from surveykit.inference.difference import difference_ci
from surveykit.inference.proportion import proportion_ci


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200, help="statsmodels score calls timed")
    args = parser.parse_args()
    rows = args.rows
    rng = np.random.default_rng(2026)

    # ------------------------------------------------------------- Miettinen-Nurminen
    n1 = rng.integers(10, 3000, rows).astype(float)
    n2 = rng.integers(10, 3000, rows).astype(float)
    x1 = np.floor(rng.random(rows) * (n1 + 1))
    x2 = np.floor(rng.random(rows) * (n2 + 1))
    ours = best_of(
        lambda: difference_ci(x1 / n1, n1, x2 / n2, n2, method="miettinen-nurminen"), repeat=2
    )
    sample = rng.choice(rows, args.sample, replace=False)
    failures = 0
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in sample:
            try:
                confint_proportions_2indep(
                    int(x1[i]), int(n1[i]), int(x2[i]), int(n2[i]), method="score",
                    compare="diff",
                )  # fmt: skip
            except Exception:  # statsmodels raises on some tables (see the issue)
                failures += 1
    per_call = (time.perf_counter() - start) / args.sample
    ours_per_row = ours / rows
    print(f"Miettinen-Nurminen difference interval, {rows:,} rows")
    print(f"  surveykit   : {ours:8.3f} s in all, {ours_per_row * 1e6:8.3f} us per interval")
    print(f"  statsmodels : {per_call * 1e3:8.3f} ms per call ({args.sample} calls timed, "
          f"{failures} raised); {per_call * rows:,.0f} s for all rows")  # fmt: skip
    print(f"  ratio       : {per_call / ours_per_row:,.0f}x faster per interval (target 1000x)")

    # ------------------------------------------------------------- Clopper-Pearson, Jeffreys
    n = rng.integers(1, 5000, rows).astype(float)
    x = np.floor(rng.random(rows) * (n + 1))
    for ours_method, sm_method in (("clopper-pearson", "beta"), ("jeffreys", "jeffreys")):
        ours = best_of(lambda m=ours_method: proportion_ci(x / n, n, method=m))
        theirs = best_of(lambda m=sm_method: proportion_confint(x, n, alpha=0.05, method=m))
        print(f"{ours_method} on {rows:,} rows")
        print(f"  surveykit   : {ours:8.3f} s")
        print(f"  statsmodels : {theirs:8.3f} s  (proportion_confint(method={sm_method!r}))")
        print(f"  ratio       : {theirs / ours:8.2f}x (statsmodels time / surveykit time; "
              "target >= 1)")  # fmt: skip


if __name__ == "__main__":
    main()
