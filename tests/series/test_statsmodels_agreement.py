"""The smoother equals statsmodels' exact diffuse Kalman filter and smoother.

The same model written as a statsmodels state space (``MLEModel`` with exact diffuse
initialisation): the state is (level, house parameters gamma), the transition the
identity with noise sigma^2 on the level only; each day's polls form one observation
vector (NaN where a day has fewer polls), with a time-varying design (1, basis row of
the poll's house) and a diagonal time-varying observation variance.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.tsa.statespace.mlemodel import MLEModel

from surveykit.series.smoother import LevelData, fit_level, house_basis


def _statespace(data: LevelData, sigma: float) -> MLEModel:
    T, n, basis = data.n_days, data.y.size, data.basis
    per_day = np.bincount(data.day, minlength=T)
    width = int(per_day.max())
    states = 1 + basis.shape[1]
    endog = np.full((T, width), np.nan)
    design = np.zeros((width, states, T))
    obs_cov = np.zeros((width, width, T))
    slot = np.zeros(T, dtype=int)
    for i in range(n):
        t, j = data.day[i], slot[data.day[i]]
        slot[t] += 1
        endog[t, j] = data.y[i]
        design[j, 0, t] = 1.0
        design[j, 1:, t] = basis[data.house[i]]
        obs_cov[j, j, t] = data.var[i]
    for t in range(T):
        for j in range(slot[t], width):
            obs_cov[j, j, t] = 1.0  # missing observations: any positive variance
    model = MLEModel(endog, k_states=states, k_posdef=1, initialization="diffuse")
    model["design"] = design
    model["obs_cov"] = obs_cov
    model["transition"] = np.eye(states)
    selection = np.zeros((states, 1))
    selection[0, 0] = 1.0
    model["selection"] = selection
    model["state_cov"] = np.array([[sigma**2]])
    return model


@pytest.mark.parametrize("reference", [None, 1])
def test_smoothed_means_and_variances_equal_statsmodels(reference):
    rng = np.random.default_rng(3)
    T, n, k = 40, 30, 3
    day = np.sort(rng.integers(0, T, n))
    day[[0, -1]] = [0, T - 1]
    house = rng.integers(0, k, n)
    house[:k] = np.arange(k)
    y = 0.4 + rng.normal(0, 0.02, n)
    var = y * (1 - y) / rng.integers(500, 2000, n)
    basis = house_basis(k, reference=reference)
    data = LevelData(T, day, house, y, var, basis, np.array([], int), np.array([]))
    gaps = []
    for sigma in (0.001, 0.005, 0.02):
        ours = fit_level(data, sigma)
        theirs = _statespace(data, sigma).smooth([])
        assert_allclose(ours.mu, theirs.smoothed_state[0], rtol=1e-12)
        assert_allclose(ours.mu_bands()[0], theirs.smoothed_state_cov[0, 0], rtol=1e-10)
        assert_allclose(ours.delta, basis @ theirs.smoothed_state[1:, -1], atol=1e-14)
        cov = theirs.smoothed_state_cov[1:, 1:, -1]
        assert_allclose(ours.delta_cov(), basis @ cov @ basis.T, rtol=1e-10, atol=1e-20)
        gaps.append(theirs.llf - ours.loglik)
    # the two diffuse likelihoods differ by a constant, so they have the same maximum
    assert_allclose(gaps, gaps[0], rtol=1e-12)
