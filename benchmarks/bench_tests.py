"""Benchmark of surveykit.two_proportion_test against scipy and plain numpy, in one run.

Exact unconditional tests: Boschloo's and Barnard's tests on the FSO story (32% in July
against 55% in November) at n = 400 and n = 1600 per poll, against
``scipy.stats.boschloo_exact`` and ``scipy.stats.barnard_exact`` (default 32 nuisance
points). Asymptotic tests: one million rows, against a plain numpy expression of the
same formula computing the same numbers (estimate, statistic, p-value), without
validation or a result object.

Run from the repository root::

    python benchmarks/bench_tests.py            # everything (about 4 minutes)
    python benchmarks/bench_tests.py --quick    # n = 400 only, and fewer repeats

Ratios above 1 mean surveykit is faster (exact tests) or that the numpy expression is
slower than surveykit (asymptotic tests, printed as numpy time / surveykit time).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from scipy import special, stats

from surveykit import two_proportion_test


def _best(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _agreement(ours: float, ref: float) -> str:
    rel = (ours - ref) / ref if ref else 0.0
    if abs(rel) < 5e-7:
        return "same to 6 significant digits"
    return f"{'larger' if rel > 0 else 'SMALLER'} by {rel:.2e} (relative)"


def bench_exact(sizes: list[int], alternatives: list[str], repeats: int) -> None:
    print("Exact unconditional tests, 32% vs 55% (p1 = July, p2 = November)")
    header = f"{'test':9} {'n':>5} {'alternative':11} {'surveykit s':>12} {'scipy s':>9}"
    print(f"{header} {'ratio':>7}  p-value (surveykit, scipy)")
    for n in sizes:
        x1, x2 = round(0.32 * n), round(0.55 * n)
        table = [[x1, x2], [n - x1, n - x2]]
        for method, scipy_test in (
            ("boschloo", stats.boschloo_exact),
            ("barnard", stats.barnard_exact),
        ):
            for alternative in alternatives:

                def ours(method=method, alternative=alternative, n=n, x1=x1, x2=x2):
                    return two_proportion_test(
                        x1 / n, n, x2 / n, n, method=method, alternative=alternative
                    )

                t_ours = _best(ours, repeats)
                p_ours = ours().pvalue
                start = time.perf_counter()
                ref = scipy_test(table, alternative=alternative)
                t_ref = time.perf_counter() - start
                print(
                    f"{method:9} {n:5d} {alternative:11} {t_ours:12.3f} {t_ref:9.2f} "
                    f"{t_ref / t_ours:6.0f}x  {p_ours:.7g}, {ref.pvalue:.7g}: "
                    f"{_agreement(p_ours, ref.pvalue)}"
                )


def _asymptotic_references(p1, n1, p2, n2):  # type: ignore[no-untyped-def]
    """Plain numpy expressions, each as one would write it from the textbook formula.

    Each returns what two_proportion_test returns: estimate, statistic and p-value.
    """

    def z_pooled():
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return p1 - p2, z, 2 * special.ndtr(-np.abs(z))

    def z_unpooled():
        z = (p1 - p2 - 0.05) / np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        return p1 - p2, z, 2 * special.ndtr(-np.abs(z))

    def chi2_yates():
        # R's prop.test(correct = TRUE): sum((abs(x - E) - YATES)^2 / E) over 4 cells
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        yates = np.minimum(0.5, np.abs(p1 - p2) / (1 / n1 + 1 / n2))
        dev = (np.abs(p1 * n1 - n1 * pooled) - yates) ** 2
        inv_e = 1 / (n1 * pooled) + 1 / (n1 * (1 - pooled))
        inv_e += 1 / (n2 * pooled) + 1 / (n2 * (1 - pooled))
        x_squared = dev * inv_e
        return p1 - p2, x_squared, special.chdtrc(1, x_squared)

    def likelihood_ratio():
        x1, x2 = p1 * n1, p2 * n2
        pooled = (x1 + x2) / (n1 + n2)
        g2 = 2 * (
            special.xlogy(x1, p1 / pooled)
            + special.xlogy(n1 - x1, (1 - p1) / (1 - pooled))
            + special.xlogy(x2, p2 / pooled)
            + special.xlogy(n2 - x2, (1 - p2) / (1 - pooled))
        )
        return p1 - p2, g2, special.chdtrc(1, g2)

    def miettinen_nurminen():
        # the textbook closed form (Farrington and Manning 1990, eq. 6; Miettinen and
        # Nurminen's N / (N - 1) factor) written as one plain numpy expression
        delta = 0.05
        theta = n2 / n1
        a = 1 + theta
        b = -(1 + theta + p1 + theta * p2 + delta * (theta + 2))
        c = delta * delta + delta * (2 * p1 + theta + 1) + p1 + theta * p2
        d = -p1 * delta * (1 + delta)
        v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
        u = np.sign(v) * np.sqrt(b * b / (9 * a * a) - c / (3 * a))
        w = (np.pi + np.arccos(v / u**3)) / 3
        t1 = 2 * u * np.cos(w) - b / (3 * a)
        t2 = t1 - delta
        var = (t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2) * (n1 + n2) / (n1 + n2 - 1)
        z = (p1 - p2 - delta) / np.sqrt(var)
        return p1 - p2, z, 2 * special.ndtr(-np.abs(z))

    return {
        "z-pooled": (z_pooled, 0.0),
        "z-unpooled": (z_unpooled, 0.05),
        "chi2-yates": (chi2_yates, 0.0),
        "likelihood-ratio": (likelihood_ratio, 0.0),
        "miettinen-nurminen": (miettinen_nurminen, 0.05),
    }


def bench_asymptotic(rows: int, repeats: int) -> None:
    rng = np.random.default_rng(2026)
    n1 = rng.integers(300, 3000, rows).astype(float)
    n2 = rng.integers(300, 3000, rows).astype(float)
    p1 = rng.binomial(n1.astype(int), 0.32) / n1
    p2 = rng.binomial(n2.astype(int), 0.55) / n2
    print(f"\nAsymptotic tests, two-sided, {rows:,} rows (best of {repeats}, interleaved)")
    print(f"{'method':20} {'surveykit s':>12} {'numpy s':>9} {'numpy/surveykit':>16}")
    with np.errstate(all="ignore"):
        for method, (reference, d0) in _asymptotic_references(p1, n1, p2, n2).items():

            def ours(method=method, d0=d0):
                return two_proportion_test(p1, n1, p2, n2, method=method, null_difference=d0)

            np.testing.assert_allclose(ours().pvalue, reference()[2], rtol=1e-8, atol=1e-300)
            t_ours, t_ref = [], []
            for _ in range(repeats):
                t_ours.append(_best(ours, 1))
                t_ref.append(_best(reference, 1))
            a, b = min(t_ours), min(t_ref)
            print(f"{method:20} {a:12.4f} {b:9.4f} {b / a:15.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 400 only, fewer repeats")
    args = parser.parse_args()
    sizes = [400] if args.quick else [400, 1600]
    bench_exact(sizes, ["two-sided", "less"], repeats=2 if args.quick else 3)
    bench_asymptotic(1_000_000, repeats=5 if args.quick else 15)


if __name__ == "__main__":
    main()
