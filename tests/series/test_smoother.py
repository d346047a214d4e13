"""The information-form smoother against a dense solve of the same posterior, in numpy.

The dense solution builds the full (T + k) x (T + k) precision of (mu, gamma) -- the
polls' weights, the random walk's D'D / sigma^2 -- fixes anchored days, solves, and
inverts: the exact GLS means and covariances, with no banded algebra or recursion.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from surveykit.series.smoother import (
    LevelData,
    design_logdet,
    estimate_sigma,
    fit_level,
    house_basis,
)


def _dense(data: LevelData, sigma: float):
    T, basis = data.n_days, data.basis
    n = data.y.size
    D = np.diff(np.eye(T), axis=0)
    A = np.zeros((n, T))
    A[np.arange(n), data.day] = 1
    H = np.zeros((n, data.n_houses))
    H[np.arange(n), data.house] = 1
    X = np.hstack([A, H @ basis])
    W = np.diag(1 / data.var)
    Q = X.T @ W @ X
    Q[:T, :T] += D.T @ D / sigma**2
    b = X.T @ W @ data.y
    fixed = np.zeros(Q.shape[0], bool)
    fixed[data.anchor_day] = True
    theta = np.zeros(Q.shape[0])
    theta[data.anchor_day] = data.anchor_value
    free = ~fixed
    Qf = Q[np.ix_(free, free)]
    theta[free] = np.linalg.solve(Qf, b[free] - Q[np.ix_(free, fixed)] @ theta[fixed])
    cov = np.zeros_like(Q)
    cov[np.ix_(free, free)] = np.linalg.inv(Qf)
    r = data.y - X @ theta
    quad = r @ W @ r + np.sum((D @ theta[:T]) ** 2) / sigma**2
    m = free.sum()
    loglik = -0.5 * (
        (n + T - 1 - m) * math.log(2 * math.pi)
        + np.sum(np.log(data.var))
        + (T - 1) * math.log(sigma**2)
        + np.linalg.slogdet(Qf)[1]
        - design_logdet(data)
        + quad
    )
    return theta, cov, loglik


def _data(identification: str, seed: int = 1) -> LevelData:
    rng = np.random.default_rng(seed)
    T, n, k = 60, 45, 4
    day = np.sort(rng.integers(0, T, n))
    day[0] = 0
    house = rng.integers(0, k, n)
    house[:k] = np.arange(k)
    walk = 0.4 + np.cumsum(rng.normal(0, 0.004, T))
    y = walk[day] + np.array([0.02, -0.01, 0.0, 0.015])[house] + rng.normal(0, 0.012, n)
    var = y * (1 - y) / rng.integers(500, 2000, n)
    no_anchor = (np.array([], int), np.array([]))
    if identification == "sum-zero":
        basis, anchors = house_basis(k), no_anchor
    elif identification == "reference":
        basis, anchors = house_basis(k, reference=2), no_anchor
    else:  # anchors on the first day, inside, and on a day with polls
        basis = house_basis(k, free=True)
        anchors = (np.array([0, 30, int(day[-3])]), np.array([0.41, 0.38, 0.45]))
    return LevelData(T, day, house, y, var, basis, *anchors)


IDENTIFICATIONS = ["sum-zero", "reference", "anchors"]


@pytest.mark.parametrize("identification", IDENTIFICATIONS)
def test_means_variances_and_likelihood_equal_the_dense_solution(identification):
    data = _data(identification)
    assert np.any(np.diff(data.day) == 0)  # several polls on one day
    T, basis = data.n_days, data.basis
    for sigma in (0.001, 0.004, 0.02):
        fit = fit_level(data, sigma)
        theta, cov, loglik = _dense(data, sigma)
        assert_allclose(fit.mu, theta[:T], rtol=1e-10)
        assert_allclose(fit.delta, basis @ theta[T:], rtol=1e-8, atol=1e-14)
        assert_allclose(fit.loglik, loglik, rtol=1e-10)
        var, lag = fit.mu_bands()
        assert_allclose(var, np.diag(cov)[:T], rtol=1e-8, atol=1e-18)
        assert_allclose(lag, np.diag(cov[:T, :T], 1), rtol=1e-8, atol=1e-18)
        assert_allclose(fit.delta_cov(), basis @ cov[T:, T:] @ basis.T, rtol=1e-8, atol=1e-18)
        assert_allclose(fit.mu_delta_cov(), cov[:T, T:] @ basis.T, rtol=1e-8, atol=1e-18)
        a = np.zeros((T, 2))
        a[5, 0], a[40, 0], a[10, 1] = 1, -1, 1
        d = np.zeros((data.n_houses, 2))
        d[1, 1] = 1
        full = np.vstack([a, basis.T @ d])
        assert_allclose(fit.variance(a, d), np.einsum("ij,ij->j", full, cov @ full), rtol=1e-8)


@pytest.mark.parametrize("identification", IDENTIFICATIONS)
def test_score_is_the_derivative_of_the_likelihood(identification):
    data = _data(identification)
    for sigma in (0.002, 0.01):
        h = 1e-5
        up = fit_level(data, sigma * math.exp(h)).loglik
        down = fit_level(data, sigma * math.exp(-h)).loglik
        assert_allclose(fit_level(data, sigma).score(), (up - down) / (2 * h), rtol=1e-6)


@pytest.mark.parametrize("identification", IDENTIFICATIONS)
def test_estimated_sigma_maximises_the_likelihood(identification):
    data = _data(identification)
    fit, interior = estimate_sigma(data)
    assert interior
    assert abs(fit.score()) < 1e-8
    for factor in (0.999, 1.001):
        assert fit_level(data, fit.sigma * factor).loglik < fit.loglik


def test_house_bases_are_orthonormal_and_identify_as_documented():
    for k in (2, 3, 7):
        basis = house_basis(k)
        assert_allclose(basis.T @ basis, np.eye(k - 1), atol=1e-15)
        assert_allclose(basis.sum(axis=0), 0, atol=1e-15)
    assert_allclose(house_basis(3, reference=1), [[1, 0], [0, 0], [0, 1]])
    assert_allclose(house_basis(3, free=True), np.eye(3))
