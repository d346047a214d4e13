"""Exact tests for two independent binomial samples (one 2x2 table at a time).

Fisher's conditional test [1]_, and Barnard's [2]_ [3]_ and Boschloo's [4]_
unconditional tests, whose p-value is the largest probability of the rejection region
over the common success probability :math:`\\pi` (the nuisance parameter) under
:math:`p_1 = p_2 = \\pi`.

Barnard's test uses the pooled z (score) statistic, as scipy does by default and as
Mehrotra, Chan and Berger [5]_ recommend over the unpooled Wald statistic.

Each function takes the counts of one table, ``x1`` successes of ``n1`` and ``x2`` of
``n2``, and returns ``(statistic, pvalue)``. ``alternative='greater'`` means
:math:`p_1 > p_2`, ``'less'`` :math:`p_1 < p_2`, as in
:func:`surveykit.two_proportion_test`, which is the public entry point, checks the
input and loops over arrays of tables.

Notes
-----
How the unconditional tests are made fast. The test statistic of every table in the
sample space :math:`\\{0..n_1\\} \\times \\{0..n_2\\}` is computed at once:
Barnard's pooled z by broadcasting, and Boschloo's statistic (Fisher's one-sided
p-value) by cumulative sums of the hypergeometric probabilities along each margin
:math:`x_1 + x_2 = s` (one vector operation per row of the table space, never a call
per table). The rejection region is a 0/1 matrix :math:`M`; at nuisance value
:math:`\\pi` its probability is :math:`b_1(\\pi)^\\top M\\, b_2(\\pi)` with
:math:`b_i` the binomial probability vectors. When every row of :math:`M` is a lower set
plus an upper set of :math:`x_2` (always so for these statistics, and checked), the
product reduces to binomial cumulative sums gathered at each row's boundaries, so a
whole grid of :math:`K` nuisance values costs :math:`O((n_1 + n_2) K)`; otherwise the
matrix product itself is used. The maximum is searched on a grid uniform in
:math:`\\arcsin\\sqrt{\\pi}` (where the probability curve has a nearly constant
width, about :math:`1/(2\\sqrt{n_1+n_2})`) with about 5 points per width, and the four
highest local maxima are refined by successive zooming to a width of 1e-12. The
reported supremum is the largest value evaluated, so it never exceeds the true one and
is at least scipy's (which samples 32 points) wherever the grid brackets the peak.

Ties. Boschloo's region counts the tables whose Fisher p-value is within a relative
1e-9 of the observed one (equal values differ by about 1e-12 after rounding), as scipy
intends with its 1e-13. Barnard's region compares the computed z values exactly, as
``scipy.stats.barnard_exact`` does, so that its results (and its documentation example)
are reproduced. Mathematically tied tables can then fall either side: in scipy's
example, 7/15 against 12/15 ('less'), the mirror table 3/15 against 8/15 has the same
z but is left out by rounding (p = 0.034077); counting it gives 0.034109.

The sample space has :math:`(n_1 + 1)(n_2 + 1)` tables, so Barnard's and Boschloo's
tests are limited to 5,000 respondents per group (about 200 MB of work space); the
asymptotic tests are accurate long before that size.

References
----------
.. [1] Fisher, R. A. (1935). The logic of inductive inference. Journal of the Royal
   Statistical Society 98, 39-82.
.. [2] Barnard, G. A. (1945). A new test for 2 x 2 tables. Nature 156, 177.
.. [3] Barnard, G. A. (1947). Significance tests for 2 x 2 tables. Biometrika 34,
   123-138.
.. [4] Boschloo, R. D. (1970). Raised conditional level of significance for the
   2 x 2-table when testing the equality of two probabilities. Statistica
   Neerlandica 24, 1-9.
.. [5] Mehrotra, D. V., Chan, I. S. F. and Berger, R. L. (2003). A cautionary note on
   exact unconditional inference for a difference between two independent binomial
   proportions. Biometrics 59, 441-450.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import special

__all__ = [
    "MAX_FISHER_TOTAL",
    "MAX_UNCONDITIONAL_N",
    "SECONDS_FISHER",
    "SECONDS_UNCONDITIONAL",
    "barnard",
    "boschloo",
    "fisher",
    "seconds_per_test",
]

#: largest sample size per group for one p-value of Barnard's and Boschloo's tests
#: (their cost and memory grow as n1 x n2; exact power has its own, smaller budget,
#: :data:`surveykit.planning.exact_power.MAX_UNCONDITIONAL_POWER_N`)
MAX_UNCONDITIONAL_N = 5000
#: largest n1 + n2 for Fisher's test (its cost grows as min(n1, n2))
MAX_FISHER_TOTAL = 10_000_000
#: calibrated cost of one p-value in seconds, (constant, per table): Fisher's test visits
#: the min(n1, n2) + 1 tables of its support, Barnard's and Boschloo's the n1 x n2 tables
#: of the sample space (measured on one core; right within a factor of about three)
SECONDS_FISHER = (2e-5, 5.5e-8)
SECONDS_UNCONDITIONAL = (1.5e-3, 3e-7)
#: relative tolerance under which two statistics count as tied (floating-point noise in
#: equal values is about 1e-12 here; R's fisher.test uses 1e-7 for the same purpose)
TIE_TOLERANCE = 1e-9
#: R's fisher.test: probabilities within this relative distance of the observed one tie
FISHER_RELATIVE_ERROR = 1e-7


def seconds_per_test(method: str, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Estimated seconds for one p-value of ``method`` on tables of sizes n1 and n2."""
    if method == "fisher":
        base, per_table = SECONDS_FISHER
        return base + per_table * np.minimum(n1, n2)
    base, per_table = SECONDS_UNCONDITIONAL
    return base + per_table * np.asarray(n1) * np.asarray(n2)


def _log_choose(n: int, k: np.ndarray) -> np.ndarray:
    """log C(n, k) for integer arrays k in [0, n]."""
    return special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)


# --------------------------------------------------------------------------------------
# Fisher's conditional test (R's fisher.test for a 2x2 table with odds ratio 1)
# --------------------------------------------------------------------------------------


def fisher(x1: int, n1: int, x2: int, n2: int, alternative: str) -> tuple[float, float]:
    """Fisher's exact test; the statistic is the sample odds ratio (as scipy's).

    Two-sided: the sum of the hypergeometric probabilities of the tables no more likely
    than the observed one, with R's relative tolerance of 1e-7 for ties.
    """
    s = x1 + x2
    lo, hi = max(0, s - n2), min(n1, s)
    support = np.arange(lo, hi + 1, dtype=float)
    logd = _log_choose(n1, support) + _log_choose(n2, s - support)
    d = np.exp(logd - logd.max())
    d /= d.sum()
    i = x1 - lo
    if alternative == "less":
        pvalue = d[: i + 1].sum()
    elif alternative == "greater":
        pvalue = d[i:].sum()
    else:
        pvalue = d[d <= d[i] * (1 + FISHER_RELATIVE_ERROR)].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        odds_ratio = np.float64(x1 * (n2 - x2)) / np.float64((n1 - x1) * x2)
    return float(odds_ratio), float(min(1.0, pvalue))


# --------------------------------------------------------------------------------------
# Statistics over the whole table space
# --------------------------------------------------------------------------------------


def _pooled_z_matrix(n1: int, n2: int) -> np.ndarray:
    """Pooled z of every table (x1, x2), rows x1; 0 where p1 = p2 (as scipy)."""
    x1 = np.arange(n1 + 1, dtype=float)[:, None]
    x2 = np.arange(n2 + 1, dtype=float)[None, :]
    p1, p2 = x1 / n1, x2 / n2
    p = (x1 + x2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z[p1 == p2] = 0.0
    return z


def _fisher_one_sided_matrix(n1: int, n2: int, side: str) -> np.ndarray:
    """Fisher's one-sided p-value of every table (x1, x2), from cumulative sums.

    ``side='less'``: :math:`P(X_1 \\le x_1 \\mid s)`; ``'greater'``:
    :math:`P(X_1 \\ge x_1 \\mid s)`, with :math:`X_1` hypergeometric given the margin
    :math:`s = x_1 + x_2`. Along a margin the tables are the anti-diagonal of the
    matrix, so the cumulative sum runs one row at a time over every margin at once.
    """
    k1 = np.arange(n1 + 1, dtype=float)
    k2 = np.arange(n2 + 1, dtype=float)
    total = np.arange(n1 + n2 + 1, dtype=float)
    lc1, lc2, lcn = _log_choose(n1, k1), _log_choose(n2, k2), _log_choose(n1 + n2, total)
    pmf = np.exp(lc1[:, None] + lc2[None, :] - lcn[np.add.outer(k1, k2).astype(np.intp)])
    out = np.empty_like(pmf)
    if side == "less":
        out[0] = pmf[0]
        for i in range(1, n1 + 1):
            out[i, :-1] = pmf[i, :-1] + out[i - 1, 1:]
            out[i, -1] = pmf[i, -1]
    else:
        out[n1] = pmf[n1]
        for i in range(n1 - 1, -1, -1):
            out[i, 1:] = pmf[i, 1:] + out[i + 1, :-1]
            out[i, 0] = pmf[i, 0]
    return np.minimum(out, 1.0)


# --------------------------------------------------------------------------------------
# Probability of a rejection region, maximised over the nuisance parameter
# --------------------------------------------------------------------------------------


def _binomial_pmf(n: int, log_pi: np.ndarray, log_1mpi: np.ndarray) -> np.ndarray:
    """Binomial(n, pi) probabilities, shape (n + 1, K), for K values of pi."""
    k = np.arange(n + 1, dtype=float)[:, None]
    logp = _log_choose(n, k) + k * log_pi[None, :] + (n - k) * log_1mpi[None, :]
    return np.exp(logp)


def _region_probability(region: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function of theta (pi = sin^2 theta, 0 < theta < pi/2) giving P(region)."""
    n1, n2 = region.shape[0] - 1, region.shape[1] - 1
    full = region.all(axis=1)
    lead = np.where(full, n2 + 1, np.argmin(region, axis=1))
    trail = np.where(full, 0, np.argmin(region[:, ::-1], axis=1))
    count = region.sum(axis=1)
    two_tails = bool(np.all(full | (lead + trail == count)))
    rows = np.flatnonzero(count > 0)
    if two_tails:
        lead, hi_start = lead[rows], (n2 + 1 - trail)[rows]
        has_lower, has_upper = bool(np.any(lead > 0)), bool(np.any(hi_start <= n2))
    else:
        matrix = region[rows].astype(float)

    def probability(theta: np.ndarray) -> np.ndarray:
        log_pi, log_1mpi = 2 * np.log(np.sin(theta)), 2 * np.log(np.cos(theta))
        b1 = _binomial_pmf(n1, log_pi, log_1mpi)[rows]
        b2 = _binomial_pmf(n2, log_pi, log_1mpi)
        if not two_tails:
            return np.einsum("ik,ik->k", b1, matrix @ b2)
        inner = np.zeros_like(b1)
        if has_lower:
            below = np.zeros((n2 + 2, theta.size))  # below[j] = P(X2 < j)
            np.cumsum(b2, axis=0, out=below[1:])
            inner += below[lead]
        if has_upper:
            above = np.zeros((n2 + 2, theta.size))  # above[j] = P(X2 >= j)
            above[:-1] = np.cumsum(b2[::-1], axis=0)[::-1]
            inner += above[hi_start]
        return np.einsum("ik,ik->k", b1, inner)

    return probability


def _supremum(region: np.ndarray) -> float:
    """max over 0 <= pi <= 1 of P(region | p1 = p2 = pi)."""
    n1, n2 = region.shape[0] - 1, region.shape[1] - 1
    if not region.any():
        return 0.0
    if region.all():
        return 1.0
    probability = _region_probability(region)
    # pi = 0 and pi = 1 put all mass on the tables (0, 0) and (n1, n2)
    best = float(max(region[0, 0], region[n1, n2]))
    size = int(np.clip(16 * np.sqrt(n1 + n2) + 64, 128, 4096))
    theta = np.linspace(0.0, np.pi / 2, size + 2)[1:-1]
    step = theta[1] - theta[0]
    values = probability(theta)
    best = max(best, float(values.max()))
    padded = np.concatenate(([-np.inf], values, [-np.inf]))
    peaks = np.flatnonzero((values >= padded[:-2]) & (values >= padded[2:]) & (values > 0))
    if peaks.size == 0:
        return min(best, 1.0)
    peaks = peaks[np.argsort(values[peaks])[::-1][:4]]
    lo = np.maximum(theta[peaks] - step, 1e-300)
    hi = np.minimum(theta[peaks] + step, np.pi / 2 - 1e-16)
    fractions = np.linspace(0.0, 1.0, 17)
    rows = np.arange(peaks.size)
    for _ in range(40):
        points = lo[:, None] + (hi - lo)[:, None] * fractions[None, :]
        found = probability(points.ravel()).reshape(points.shape)
        best = max(best, float(found.max()))
        j = np.argmax(found, axis=1)
        lo = points[rows, np.maximum(j - 1, 0)]
        hi = points[rows, np.minimum(j + 1, fractions.size - 1)]
        if np.all(hi - lo < 1e-12):
            break
    return min(best, 1.0)


def barnard(x1: int, n1: int, x2: int, n2: int, alternative: str) -> tuple[float, float]:
    """Barnard's unconditional test with the pooled z statistic (scipy's default)."""
    z = _pooled_z_matrix(n1, n2)
    observed = float(z[x1, x2])
    if alternative == "greater":
        region = z >= observed
    elif alternative == "less":
        region = z <= observed
    else:
        region = np.abs(z) >= abs(observed)
    return observed, _supremum(region)


def _boschloo_one_sided(x1: int, n1: int, x2: int, n2: int, side: str) -> tuple[float, float]:
    fisher_p = _fisher_one_sided_matrix(n1, n2, side)
    observed = float(fisher_p[x1, x2])
    tol = TIE_TOLERANCE * observed
    return observed, _supremum(fisher_p <= observed + tol)


def boschloo(x1: int, n1: int, x2: int, n2: int, alternative: str) -> tuple[float, float]:
    """Boschloo's unconditional test: Fisher's one-sided p-value as the statistic.

    Two-sided follows scipy.stats.boschloo_exact: twice the smaller one-sided p-value,
    capped at 1, with the statistic of that side.
    """
    if alternative != "two-sided":
        return _boschloo_one_sided(x1, n1, x2, n2, alternative)
    less = _boschloo_one_sided(x1, n1, x2, n2, "less")
    greater = _boschloo_one_sided(x1, n1, x2, n2, "greater")
    chosen = less if less[1] < greater[1] else greater
    return chosen[0], min(1.0, 2 * chosen[1])
