"""The exact smoother of a daily random walk seen through polls with house effects.

The model on a grid of days :math:`t = 0, \\dots, T-1`:

.. math::

    \\mu_t = \\mu_{t-1} + \\eta_t, \\quad \\eta_t \\sim N(0, \\sigma^2); \\qquad
    y_i = \\mu_{t_i} + \\delta_{h_i} + e_i, \\quad e_i \\sim N(0, v_i),

with :math:`\\mu_0` diffuse (a flat prior), house effects :math:`\\delta = C\\gamma`
flat on the subspace spanned by the orthonormal columns of ``basis`` (sum-zero, a
reference house, or free), and optional anchors that fix :math:`\\mu` on given days.

The posterior of :math:`\\theta = (\\mu_{\\text{free days}}, \\gamma)` is Gaussian with
precision :math:`H` (tridiagonal in the days, bordered by the house columns); its mean
is the generalised-least-squares solution, which is what an exact diffuse Kalman
filter and smoother compute. Here it is computed in information form: a banded
Cholesky factor of the days block and a Schur complement for the house effects, so a
fit costs :math:`O(T k^2 + n)` for T days, k houses and n polls. Posterior variances of
every day come from the Takahashi recursion on the banded factor.

The log-likelihood is the restricted (diffuse) likelihood

.. math::

    \\ell(\\sigma) = -\\tfrac12\\Big[(n + T - 1 - m)\\log 2\\pi + \\sum_i \\log v_i
        + (T - 1)\\log\\sigma^2 + \\log|H| - \\log|X'X| + S\\Big],

with :math:`m` the dimension of :math:`\\theta`, :math:`S` the minimised sum of
squares :math:`\\sum_i (y_i - \\hat\\mu_{t_i} - \\hat\\delta_{h_i})^2 / v_i +
\\sum_t (\\hat\\mu_t - \\hat\\mu_{t-1})^2/\\sigma^2` and :math:`X` the design of the
fixed effects (the level unless anchored, and the house parameters) on the polls.
Without the :math:`\\log|X'X|` term it is the density of the polls (and of every anchor
after the first) with the level and the house effects integrated against Lebesgue
measure, the exact diffuse likelihood; with it, Harville's (1974) REML of the same
linear mixed model written densely, which does not change with how the level and
the house effects are parametrised (sum-zero or a reference house give the same
value). The term does not depend on sigma.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize

__all__ = [
    "LevelData",
    "LevelFit",
    "LevelTerms",
    "design_logdet",
    "estimate_sigma",
    "fit_level",
    "house_basis",
    "level_terms",
]

#: the range of daily standard deviations searched by :func:`estimate_sigma`
SIGMA_RANGE = (1e-6, 0.3)


def house_basis(n_houses: int, reference: int | None = None, *, free: bool = False) -> np.ndarray:
    """Orthonormal columns spanning the allowed house effects.

    ``free``: every effect free (identity). ``reference``: that house's effect is zero.
    Otherwise the effects sum to zero (normalised Helmert contrasts).
    """
    if free:
        return np.eye(n_houses)
    if reference is not None:
        return np.delete(np.eye(n_houses), reference, axis=1)
    basis = np.zeros((n_houses, n_houses - 1))
    for j in range(1, n_houses):
        basis[:j, j - 1] = 1.0
        basis[j, j - 1] = -j
        basis[:, j - 1] /= math.sqrt(j * (j + 1))
    return basis


@dataclass(frozen=True)
class LevelData:
    """The polls and anchors on the daily grid (days are integers from 0)."""

    n_days: int
    day: np.ndarray
    house: np.ndarray
    y: np.ndarray
    var: np.ndarray
    basis: np.ndarray
    anchor_day: np.ndarray
    anchor_value: np.ndarray

    @property
    def n_houses(self) -> int:
        return self.basis.shape[0]


@dataclass(frozen=True, eq=False)
class LevelFit:
    """The exact smoother at one sigma: means, factors for variances, likelihood."""

    data: LevelData
    sigma: float
    free: np.ndarray  # the free (not anchored) days
    chol: np.ndarray  # banded upper Cholesky factor of the free-days block
    cross: np.ndarray  # Q_mu,gamma on the free days
    solved: np.ndarray  # Q_mu,mu^{-1} Q_mu,gamma
    schur_chol: np.ndarray  # upper Cholesky factor of the Schur complement
    mu: np.ndarray  # posterior mean of every day
    delta: np.ndarray  # posterior mean of every house effect
    loglik: float
    sum_sq_steps: float

    def gamma_cov(self) -> np.ndarray:
        """Posterior covariance of the house parameters gamma."""
        k = self.schur_chol.shape[0]
        if k == 0:
            return np.zeros((0, 0))
        return linalg.cho_solve((self.schur_chol, False), np.eye(k))

    def delta_cov(self) -> np.ndarray:
        """Posterior covariance of the house effects delta = basis @ gamma."""
        basis = self.data.basis
        return basis @ self.gamma_cov() @ basis.T

    def _inverse_bands(self) -> tuple[np.ndarray, np.ndarray]:
        """Diagonal and first off-diagonal of the inverse of the free-days block."""
        diag_u = self.chol[1].tolist()
        sup_u = self.chol[0].tolist()
        size = len(diag_u)
        dd = [0.0] * size
        off = [0.0] * max(size - 1, 0)
        if size:
            dd[-1] = 1.0 / diag_u[-1] ** 2
        for j in range(size - 2, -1, -1):
            ratio = sup_u[j + 1] / diag_u[j]
            off[j] = -ratio * dd[j + 1]
            dd[j] = 1.0 / diag_u[j] ** 2 - ratio * off[j]
        return np.array(dd), np.array(off)

    def mu_bands(self) -> tuple[np.ndarray, np.ndarray]:
        """Posterior variance of every day and covariance of consecutive days (0 if anchored)."""
        dd, off = self._inverse_bands()
        g = np.einsum("tc,cd->td", self.solved, self.gamma_cov())
        dd = dd + np.einsum("ij,ij->i", g, self.solved)
        off = off + np.einsum("ij,ij->i", g[:-1], self.solved[1:])
        var = np.zeros(self.data.n_days)
        var[self.free] = dd
        cov = np.zeros(max(self.data.n_days - 1, 0))
        adjacent = np.flatnonzero(np.diff(self.free) == 1)
        cov[self.free[adjacent]] = off[adjacent]
        return var, cov

    def mu_delta_cov(self) -> np.ndarray:
        """Posterior covariance of every day with every house effect (days x houses)."""
        out = np.zeros((self.data.n_days, self.data.n_houses))
        if self.solved.shape[1]:
            g = np.einsum("tc,cd->td", self.solved, self.gamma_cov())
            out[self.free] = -np.einsum("td,jd->tj", g, self.data.basis)
        return out

    def variance(self, mu_weights: np.ndarray, delta_weights: np.ndarray) -> np.ndarray:
        """Posterior variances of linear combinations ``mu_weights @ mu + delta_weights @ delta``.

        ``mu_weights`` is (T, r) and ``delta_weights`` (k, r): one column per combination.
        """
        a_mu = np.asarray(mu_weights, dtype=float)[self.free]
        a_g = self.data.basis.T @ np.asarray(delta_weights, dtype=float)
        x_mu = linalg.cho_solve_banded((self.chol, False), a_mu) if a_mu.size else a_mu
        if a_g.shape[0]:
            x_g = linalg.cho_solve((self.schur_chol, False), a_g - self.cross.T @ x_mu)
            x_mu = x_mu - self.solved @ x_g
            return np.einsum("ij,ij->j", a_mu, x_mu) + np.einsum("ij,ij->j", a_g, x_g)
        return np.einsum("ij,ij->j", a_mu, x_mu)

    def score(self) -> float:
        """Derivative of the log-likelihood with respect to log(sigma)."""
        var, cov = self.mu_bands()
        trace = float(np.sum(var[1:] + var[:-1] - 2 * cov))
        steps = self.data.n_days - 1
        return -steps + (trace + self.sum_sq_steps) / self.sigma**2


def _days_block(
    data: LevelData, sigma: float, free: np.ndarray, weight_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Banded free-days precision block and the anchors' contribution to its right side."""
    n_days = data.n_days
    inv = 1.0 / sigma**2
    neighbours = np.full(n_days, 2.0)
    neighbours[[0, -1]] = 1.0
    if n_days == 1:
        neighbours[:] = 0.0
    diag = neighbours * inv + weight_day
    band = np.zeros((2, free.size))
    band[1] = diag[free]
    band[0, 1:] = np.where(np.diff(free) == 1, -inv, 0.0)
    rhs = np.zeros(n_days)
    if data.anchor_day.size:
        fixed = np.zeros(n_days)
        fixed[data.anchor_day] = data.anchor_value
        rhs[1:] += fixed[:-1] * inv
        rhs[:-1] += fixed[1:] * inv
    return band, rhs[free]


def design_logdet(data: LevelData) -> float:
    """``log|X'X|`` of the fixed effects' design: the level (unless anchored) and gamma."""
    counts = np.bincount(data.house, minlength=data.n_houses).astype(float)
    basis = data.basis
    gram = basis.T @ (counts[:, None] * basis)
    if data.anchor_day.size == 0:
        border = basis.T @ counts
        gram = np.block([[np.array([[counts.sum()]]), border[None, :]], [border[:, None], gram]])
    if gram.size == 0:
        return 0.0
    return float(np.linalg.slogdet(gram)[1])


@dataclass(frozen=True, eq=False)
class LevelTerms:
    """The parts of the precision that do not depend on sigma (computed once per fit)."""

    free: np.ndarray
    known: np.ndarray
    weight_day: np.ndarray
    rhs_mu: np.ndarray
    cross: np.ndarray
    q_gg: np.ndarray
    rhs_g: np.ndarray
    design_logdet: float


def level_terms(data: LevelData) -> LevelTerms:
    """Polls' weights summed by day and by house, on the free days and the house basis."""
    n_days, k = data.n_days, data.n_houses
    basis = data.basis
    weight = 1.0 / data.var
    anchored = np.zeros(n_days, dtype=bool)
    anchored[data.anchor_day] = True
    free = np.flatnonzero(~anchored)
    known = np.zeros(n_days)
    known[data.anchor_day] = data.anchor_value
    # polls on anchored days see a known level: they inform the house effects only
    on_free = ~anchored[data.day]
    resid_known = data.y - known[data.day]
    day_house = np.bincount(data.day * k + data.house, weight * on_free, n_days * k).reshape(
        n_days, k
    )
    # skinny products as sums (BLAS threads cost more than they save at these sizes)
    cross = np.einsum("tj,jc->tc", day_house[free], basis)
    house_weight = np.bincount(data.house, weight, k)
    return LevelTerms(
        free=free,
        known=known,
        weight_day=np.bincount(data.day, weight * on_free, n_days),
        rhs_mu=np.bincount(data.day, weight * data.y * on_free, n_days)[free],
        cross=cross,
        q_gg=np.einsum("jc,j,jd->cd", basis, house_weight, basis),
        rhs_g=np.einsum("jc,j->c", basis, np.bincount(data.house, weight * resid_known, k)),
        design_logdet=design_logdet(data),
    )


def fit_level(data: LevelData, sigma: float, terms: LevelTerms | None = None) -> LevelFit:
    """The exact smoother (GLS solution) and the diffuse log-likelihood at ``sigma``.

    ``terms`` (from :func:`level_terms`) may be passed to reuse the sigma-free parts.
    """
    terms = level_terms(data) if terms is None else terms
    n_days, basis = data.n_days, data.basis
    free, known, cross = terms.free, terms.known, terms.cross
    band, rhs_mu = _days_block(data, sigma, free, terms.weight_day)
    rhs_mu = rhs_mu + terms.rhs_mu
    q_gg, rhs_g = terms.q_gg, terms.rhs_g

    chol = linalg.cholesky_banded(band, lower=False)
    both = linalg.cho_solve_banded((chol, False), np.column_stack([rhs_mu, cross]))
    z, solved = both[:, 0], both[:, 1:]
    schur = q_gg - np.einsum("tc,td->cd", cross, solved)
    schur_chol = linalg.cholesky(schur, lower=False) if schur.size else np.zeros((0, 0))
    if schur.size:
        gamma = linalg.cho_solve((schur_chol, False), rhs_g - np.einsum("tc,t->c", cross, z))
        mu_free = z - np.einsum("tc,c->t", solved, gamma)
    else:
        gamma = np.zeros(0)
        mu_free = z
    mu = known.copy()
    mu[free] = mu_free
    delta = basis @ gamma

    resid = data.y - mu[data.day] - delta[data.house]
    sum_sq_steps = float(np.sum(np.diff(mu) ** 2))
    quad = float(np.sum(resid**2 / data.var)) + sum_sq_steps / sigma**2
    logdet = 2.0 * float(np.sum(np.log(chol[1])))
    if schur.size:
        logdet += 2.0 * float(np.sum(np.log(np.diag(schur_chol))))
    m = free.size + basis.shape[1]
    n = data.y.size
    loglik = -0.5 * (
        (n + n_days - 1 - m) * math.log(2 * math.pi)
        + float(np.sum(np.log(data.var)))
        + (n_days - 1) * math.log(sigma**2)
        + logdet
        - terms.design_logdet
        + quad
    )
    return LevelFit(
        data=data,
        sigma=float(sigma),
        free=free,
        chol=chol,
        cross=cross,
        solved=solved,
        schur_chol=schur_chol,
        mu=mu,
        delta=delta,
        loglik=loglik,
        sum_sq_steps=sum_sq_steps,
    )


def estimate_sigma(data: LevelData) -> tuple[LevelFit, bool]:
    """Maximise the diffuse likelihood over sigma; returns the fit and whether it is interior.

    A coarse grid over :data:`SIGMA_RANGE` (log scale) finds the highest point; the
    maximum is then the root of the exact score (derivative in log sigma) between the
    neighbouring grid points, found by Brent's method to machine precision.
    """
    terms = level_terms(data)
    grid = np.geomspace(*SIGMA_RANGE, 17)
    values = [fit_level(data, s, terms).loglik for s in grid]
    best = int(np.argmax(values))
    if best in (0, grid.size - 1):
        return fit_level(data, float(grid[best]), terms), False
    lo, hi = math.log(grid[best - 1]), math.log(grid[best + 1])

    def score(log_sigma: float) -> float:
        return fit_level(data, math.exp(log_sigma), terms).score()

    if score(lo) > 0 > score(hi):
        root = optimize.brentq(score, lo, hi, xtol=1e-14, rtol=1e-14)
    else:  # pragma: no cover - a likelihood with two maxima between grid points
        found = optimize.minimize_scalar(
            lambda x: -fit_level(data, math.exp(x), terms).loglik,
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-12},
        )
        root = float(found.x)
    return fit_level(data, math.exp(root), terms), True
