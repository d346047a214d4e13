"""Benchmark of surveykit.series.poll_trend against a dense GLS solution, in one run.

Simulated poll series: a daily random walk (sd 0.2 points a day) around 45%, pollsters
with house effects (sd 2 points), polls of 500-2,500 respondents on random days, each
three days long. Two sizes, from issue 13:

- 1,000 polls of 10 pollsters over 3,000 days (target: a fit with sigma estimated
  under 1 s);
- 10,000 polls of 20 pollsters over 3,650 days (target: under 10 s).

The dense reference writes the posterior of (every day's level, the house parameters)
as one (T + k) x (T + k) precision matrix, as a textbook would: numpy's dense
``slogdet`` for the restricted likelihood, ``solve`` for the GLS means and ``inv`` for
their variances. It maximises the same likelihood over log sigma with scipy's bounded
scalar minimiser only with ``--full`` (each evaluation costs a dense factorisation and
inverse: the search takes minutes); by default it is timed for one evaluation at
surveykit's sigma, which is a lower bound on its time with sigma estimated.
Agreement (sigma, trend, standard errors, house effects) is printed beside the times.
Ratios above 1 mean surveykit is faster.

Run from the repository root::

    python benchmarks/bench_series.py           # about a minute on 2 cores
    python benchmarks/bench_series.py --full    # the dense sigma search too (many minutes)

On the development machine (2 shared cores), surveykit took 0.25 s (1,000 polls) and
0.43 s (10,000 polls); one dense evaluation 21 s and 45 s (ratios 83x and 105x); the
dense sigma search on the smaller series 213 s in 13 evaluations (861x), agreeing on
sigma to 1.6e-7 (its tolerance) and on everything else to 2e-14.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd
from scipy import optimize

import surveykit as sk
from surveykit.series import poll_trend
from surveykit.series.prepare import prepare_series
from surveykit.series.smoother import LevelData, design_logdet, house_basis


def simulate(n_polls: int, n_days: int, n_houses: int, seed: int = 13) -> pd.DataFrame:
    """A poll series in the schema of sk.read_polls."""
    rng = np.random.default_rng(seed)
    walk = np.clip(0.45 + np.cumsum(rng.normal(0, 0.002, n_days)), 0.05, 0.95)
    day = rng.integers(1, n_days + 1, n_polls)  # the fieldwork's last day; midpoint a day earlier
    day[:2] = [1, n_days]
    house = rng.integers(0, n_houses, n_polls)
    effects = rng.normal(0, 0.02, n_houses)
    n = rng.integers(500, 2500, n_polls)
    truth = walk[day - 1] + effects[house]
    share = np.clip(truth + rng.normal(0, np.sqrt(truth * (1 - truth) / n)), 0.01, 0.99)
    end = pd.Timestamp("2015-01-01") + pd.to_timedelta(day, unit="D")
    return sk.read_polls(
        pd.DataFrame(
            {
                "poll_id": [f"poll-{i}" for i in range(n_polls)],
                "pollster": [f"house-{h:02d}" for h in house],
                "fieldwork_start": (end - pd.Timedelta(days=2)).strftime("%Y-%m-%d"),
                "fieldwork_end": end.strftime("%Y-%m-%d"),
                "question": "vote intention",
                "option": "party A",
                "proportion": np.round(share, 3),
                "n": n,
            }
        )
    )


def dense_fit(data: LevelData, sigma: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Restricted log-likelihood, trend, its standard errors and house effects, densely."""
    n_days, basis = data.n_days, data.basis
    n = data.y.size
    weight = 1.0 / data.var
    size = n_days + basis.shape[1]
    design = np.zeros((n, size))  # one row per poll: its day and its house's basis row
    design[np.arange(n), data.day] = 1.0
    design[:, n_days:] = basis[data.house]
    precision = design.T @ (weight[:, None] * design)
    steps = np.diff(np.eye(n_days), axis=0)
    precision[:n_days, :n_days] += steps.T @ steps / sigma**2
    theta = np.linalg.solve(precision, design.T @ (weight * data.y))
    cov = np.linalg.inv(precision)
    resid = data.y - design @ theta
    quad = resid @ (weight * resid) + np.sum(np.diff(theta[:n_days]) ** 2) / sigma**2
    loglik = -0.5 * (
        (n - 1 - basis.shape[1]) * math.log(2 * math.pi)
        + np.sum(np.log(data.var))
        + (n_days - 1) * math.log(sigma**2)
        + np.linalg.slogdet(precision)[1]
        - design_logdet(data)
        + quad
    )
    se = np.sqrt(np.diag(cov)[:n_days])
    return float(loglik), theta[:n_days], se, basis @ theta[n_days:]


def dense_sigma(data: LevelData, start: float) -> tuple[float, int]:
    """Maximise the dense likelihood over log sigma near ``start`` (bounded Brent)."""
    calls = 0

    def minus(log_sigma: float) -> float:
        nonlocal calls
        calls += 1
        return -dense_fit(data, math.exp(log_sigma))[0]

    found = optimize.minimize_scalar(
        minus,
        bounds=(math.log(start) - 1, math.log(start) + 1),
        method="bounded",
        options={"xatol": 1e-7},
    )
    return math.exp(found.x), calls


def bench(n_polls: int, n_days: int, n_houses: int, target: float, dense_search: bool) -> None:
    polls = simulate(n_polls, n_days, n_houses)
    start = time.perf_counter()
    fit = poll_trend(polls)
    t_ours = time.perf_counter() - start
    prepared = prepare_series(
        polls, question=None, option=None, scale="share", deff=1.0, assumed_n=None, anchors=None
    )
    houses = prepared.polls["pollster"].astype(str).map(prepared.houses.index).to_numpy()
    data = LevelData(
        n_days=prepared.n_days,
        day=prepared.polls["day"].to_numpy(),
        house=houses,
        y=prepared.polls["y"].to_numpy(dtype=float),
        var=prepared.polls["model_variance"].to_numpy(dtype=float),
        basis=house_basis(len(prepared.houses)),
        anchor_day=np.array([], dtype=int),
        anchor_value=np.array([]),
    )
    print(
        f"\n{n_polls:,} polls, {n_houses} pollsters, {prepared.n_days:,} days "
        f"(target {target:g} s)"
    )
    print(f"  surveykit poll_trend, sigma estimated: {t_ours:8.3f} s   sigma = {fit.sigma:.10g}")
    start = time.perf_counter()
    loglik, mu, se, delta = dense_fit(data, fit.sigma)
    t_one = time.perf_counter() - start
    print(
        f"  dense GLS, one evaluation at that sigma: {t_one:6.3f} s   ratio {t_one / t_ours:.1f}x"
    )
    worst = max(
        np.max(np.abs(mu - fit.trend["estimate"].to_numpy()) / np.abs(mu)),
        np.max(np.abs(se - fit.trend["se"].to_numpy()) / se),
        np.max(np.abs(delta - fit.house_effects["estimate"].to_numpy())) / np.max(np.abs(delta)),
        abs(loglik - fit.loglik) / abs(loglik),
    )
    print(
        f"  agreement (trend, se, house effects, loglik): largest relative difference {worst:.1e}"
    )
    if dense_search:
        start = time.perf_counter()
        sigma, calls = dense_sigma(data, fit.sigma)
        t_dense = time.perf_counter() - start
        print(
            f"  dense GLS with sigma estimated ({calls} evaluations): {t_dense:8.2f} s   "
            f"ratio {t_dense / t_ours:.0f}x   sigma = {sigma:.10g} "
            f"(relative difference {abs(sigma / fit.sigma - 1):.1e})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="dense sigma search on both sizes")
    args = parser.parse_args()
    bench(1_000, 3_000, 10, 1.0, dense_search=args.full)
    bench(10_000, 3_650, 20, 10.0, dense_search=args.full)


if __name__ == "__main__":
    main()
