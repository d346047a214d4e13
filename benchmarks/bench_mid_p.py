"""mid-p against Clopper-Pearson on a million rows (issue 12, item 4).

Run from the repository root:  python benchmarks/bench_mid_p.py [--rows 1000000]

Both intervals are computed by :func:`surveykit.proportion_ci` on the same random
counts (n from 1 to 5,000); the mid-p bounds are found by a safeguarded Newton
iteration started at the Jeffreys quantiles, Clopper-Pearson's are two beta quantiles.
The two are timed in interleaved rounds, best round kept. Target: mid-p / Clopper-Pearson
<= 3. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from surveykit.inference.proportion import proportion_ci


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(12)
    n = rng.integers(1, 5000, args.rows).astype(float)
    x = np.floor(rng.random(args.rows) * (n + 1))
    best = {"clopper-pearson": np.inf, "mid-p": np.inf}
    for _ in range(args.rounds):
        for method in best:
            start = time.perf_counter()
            proportion_ci(x / n, n, method=method)
            best[method] = min(best[method], time.perf_counter() - start)
    print(f"Exact intervals on {args.rows:,} rows, 95% two-sided (best of {args.rounds})")
    for method, seconds in best.items():
        print(f"  {method:16} {seconds:8.3f} s")
    ratio = best["mid-p"] / best["clopper-pearson"]
    print(f"  ratio            {ratio:8.2f}x (mid-p / Clopper-Pearson; target <= 3)")


if __name__ == "__main__":
    main()
