"""Start-up times: ``import surveykit`` and the command line against the libraries below it.

Each case runs in fresh subprocesses of this Python (nothing cached in the process), the
best of several runs counting. The command line is started as its console script does
(``from surveykit.cli import main``), from this checkout. Issue 10, item 7 asks that

- ``import surveykit`` take at most a third of ``import statsmodels.api``, and
- ``surveykit --version`` and ``surveykit --help`` take no longer than ``import pandas``
  (the command line imports no numpy, pandas, scipy or matplotlib before it knows which
  subcommand runs).

Run from the repository root::

    python benchmarks/bench_import.py            # 7 runs per case
    python benchmarks/bench_import.py --repeats 15
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from surveykit.cli import main; sys.exit(main())"

CASES = {
    "python (nothing imported)": ["-c", "pass"],
    "import surveykit": ["-c", "import surveykit"],
    "import pandas": ["-c", "import pandas"],
    "import scipy.stats": ["-c", "import scipy.stats"],
    "import statsmodels.api": ["-c", "import statsmodels.api"],
    "surveykit --version": ["-c", CLI, "--version"],
    "surveykit --help": ["-c", CLI, "--help"],
}


def _once(args: list[str]) -> float:
    """Seconds of one fresh ``python ARGS`` process (this checkout first on the path)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per case (best counts)")
    repeats = parser.parse_args().repeats
    # interleave the cases, so that a busy moment of the machine hits all of them alike
    best = dict.fromkeys(CASES, float("inf"))
    for _ in range(repeats):
        for name, args in CASES.items():
            best[name] = min(best[name], _once(args))
    width = max(map(len, CASES))
    print(f"best of {repeats} fresh processes each ({sys.executable})")
    for name, seconds in best.items():
        print(f"  {name:<{width}}  {1000 * seconds:7.1f} ms")
    checks = [
        (
            "import surveykit / import statsmodels.api",
            "import surveykit",
            "import statsmodels.api",
            1 / 3,
        ),
        ("surveykit --version / import pandas", "surveykit --version", "import pandas", 1.0),
        ("surveykit --help / import pandas", "surveykit --help", "import pandas", 1.0),
    ]
    print("ratios (item 7 asks at most the bound)")
    failed = False
    for label, ours, theirs, bound in checks:
        ratio = best[ours] / best[theirs]
        ok = ratio <= bound
        failed |= not ok
        print(f"  {label:<44} {ratio:6.3f}  (at most {bound:.3g}: {'ok' if ok else 'NOT MET'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
