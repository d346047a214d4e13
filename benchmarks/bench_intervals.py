"""Speed of surveykit's intervals against statsmodels, timed in the same run.

Run from the repository root:  python benchmarks/bench_intervals.py [--rows 1000000]

* Miettinen-Nurminen difference interval on a million random 2x2 tables, against
  statsmodels' ``confint_proportions_2indep(method="score")``, which takes one table a
  call: a sample of its calls is timed and scaled to the same number of rows (tables
  where it raises are counted and skipped). Target: at least 1000x faster per interval.
* Clopper-Pearson and Jeffreys on a million rows against statsmodels'
  ``proportion_confint`` (vectorised too). Target: no slower.
* Wilson, Agresti-Coull and Wald on a million rows against statsmodels'
  ``proportion_confint`` with the same methods, and against the memory-bandwidth floor:
  a trivial numpy expression over the same input arrays that writes two arrays of the
  same size (``lo = x / n; hi = lo + 1.0``). The three are timed in interleaved rounds
  (one call each per round, its result dropped), best round kept. Targets: surveykit /
  statsmodels <= 1 and surveykit / floor <= 3. Only this section runs with
  ``--closed-forms``.

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

# Always the checkout this file belongs to, even where another one is installed (an
# editable install of a different worktree would otherwise be timed instead).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import surveykit
from surveykit.inference.difference import difference_ci
from surveykit.inference.proportion import proportion_ci


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(funcs: dict[str, object], rounds: int) -> dict[str, float]:
    """Best time of each function over rounds that call each once, in turn."""
    best = dict.fromkeys(funcs, np.inf)
    for _ in range(rounds):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()  # type: ignore[operator]
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def closed_forms(rows: int, rounds: int) -> None:
    """Wilson, Agresti-Coull and Wald against statsmodels and the memory-bandwidth floor."""
    rng = np.random.default_rng(2026)
    n = rng.integers(1, 5000, rows).astype(float)
    x = np.floor(rng.random(rows) * (n + 1))
    p = x / n

    def floor() -> tuple[np.ndarray, np.ndarray]:
        lo = x / n
        hi = lo + 1.0
        return lo, hi

    print(f"Closed-form intervals on {rows:,} rows, 95% two-sided "
          f"(best of {rounds} interleaved rounds)")  # fmt: skip
    print(f"  {'method':14} {'surveykit':>10} {'statsmodels':>12} {'floor':>8}   "
          f"{'sk/statsmodels':>14} {'sk/floor':>8}")  # fmt: skip
    for ours_method, sm_method in (
        ("wilson", "wilson"),
        ("agresti-coull", "agresti_coull"),
        ("wald", "normal"),
    ):
        ci = proportion_ci(p, n, method=ours_method)
        lo, hi = proportion_confint(x, n, alpha=0.05, method=sm_method)
        gap = max(np.max(np.abs(ci.ci_low - lo)), np.max(np.abs(ci.ci_high - hi)))
        best = interleaved(
            {
                "surveykit": lambda m=ours_method: proportion_ci(p, n, method=m),
                "statsmodels": lambda m=sm_method: proportion_confint(x, n, alpha=0.05, method=m),
                "floor": floor,
            },
            rounds,
        )
        ours, theirs, base = best["surveykit"], best["statsmodels"], best["floor"]
        print(f"  {ours_method:14} {ours * 1e3:8.2f} ms {theirs * 1e3:9.2f} ms "
              f"{base * 1e3:5.2f} ms   {ours / theirs:14.2f} {ours / base:8.2f}"
              f"   (largest difference from statsmodels {gap:.1e})")  # fmt: skip
    print("  targets: sk/statsmodels <= 1.0, sk/floor <= 3.0; timings on a shared machine "
          "are noisy: repeat the run")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200, help="statsmodels score calls timed")
    parser.add_argument("--rounds", type=int, default=30, help="rounds for the closed forms")
    parser.add_argument(
        "--closed-forms", action="store_true", help="only Wilson, Agresti-Coull and Wald"
    )
    args = parser.parse_args()
    rows = args.rows
    print(f"surveykit from {Path(surveykit.__file__).parent}")
    if args.closed_forms:
        closed_forms(rows, args.rounds)
        return
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

    # ------------------------------------------------------------- Wilson, Agresti-Coull, Wald
    closed_forms(rows, args.rounds)


if __name__ == "__main__":
    main()
