"""High-precision reference for the Miettinen-Nurminen and Farrington-Manning statistics.

Run with ``python tests/reference/score_extremes.py`` (needs mpmath); it writes
``score_extremes.csv`` beside itself. The restricted maximum-likelihood estimate under
H0: p1 - p2 = delta is found by bisection on the likelihood score in 60-digit arithmetic
(400 halvings of the feasible interval), and the statistic is

    z = (p1 - p2 - delta) / sqrt((t1 (1 - t1) / n1 + t2 (1 - t2) / n2) * f)

with f = N / (N - 1) for Miettinen-Nurminen and f = 1 for Farrington-Manning. The inputs
are the binary64 numbers written in the CSV (17 significant digits), taken as exact.
"""

from __future__ import annotations

import csv
from pathlib import Path

import mpmath as mp

mp.mp.dps = 60


def restricted_t2(p1, n1, p2, n2, d):  # type: ignore[no-untyped-def]
    x1, x2 = p1 * n1, p2 * n2
    lo, hi = max(mp.mpf(0), -d), min(mp.mpf(1), 1 - d)

    def score(t2):  # type: ignore[no-untyped-def]
        t1 = t2 + d
        value = mp.mpf(0)
        if x1:
            value += x1 / t1
        if n1 - x1:
            value -= (n1 - x1) / (1 - t1)
        if x2:
            value += x2 / t2
        if n2 - x2:
            value -= (n2 - x2) / (1 - t2)
        return value

    tiny = (hi - lo) * mp.mpf(10) ** -50
    if score(lo + tiny) <= 0:
        return lo
    if score(hi - tiny) >= 0:
        return hi
    a, b = lo, hi
    for _ in range(400):
        m = (a + b) / 2
        if score(m) > 0:
            a = m
        else:
            b = m
    return (a + b) / 2


def reference_z(p1, n1, p2, n2, d, correction):  # type: ignore[no-untyped-def]
    p1, n1, p2, n2, d = (mp.mpf(v) for v in (p1, n1, p2, n2, d))
    t2 = restricted_t2(p1, n1, p2, n2, d)
    t1 = t2 + d
    var = t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2
    if correction:
        var *= (n1 + n2) / (n1 + n2 - 1)
    diff = p1 - p2 - d
    if var == 0:  # no variance: no evidence without a difference, certainty with one
        return mp.mpf(0) if diff == 0 else mp.inf * mp.sign(diff)
    return diff / mp.sqrt(var)


def cases():  # type: ignore[no-untyped-def]
    for n in (10.0, 1e3, 1e5, 1e7, 1e9):
        for ratio in (1.0, 1.5):
            shares = (0.0, 1 / n, 3 / n, 0.5, 1 - 3 / n, 1 - 1 / n, 1.0)
            for p1 in shares:
                for p2 in (0.0, 2 / n, 0.5, 1 - 2 / n, 1.0):
                    for d in (0.0, 1e-9, -1e-9, 1e-4, -0.3):
                        yield p1, n, p2, n * ratio, d
    yield 1.0, 2618520.0, 2618519 / 2618520, 2618520.0, 0.0  # the case reported in issue 12


def main() -> None:
    out = Path(__file__).with_name("score_extremes.csv")
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["p1", "n1", "p2", "n2", "delta", "z_mn", "z_fm"])
        for p1, n1, p2, n2, d in cases():
            z_mn = reference_z(p1, n1, p2, n2, d, True)
            z_fm = reference_z(p1, n1, p2, n2, d, False)
            writer.writerow(
                [repr(float(v)) for v in (p1, n1, p2, n2, d)]
                + [mp.nstr(z_mn, 20), mp.nstr(z_fm, 20)]
            )


if __name__ == "__main__":
    main()
