"""Chunked evaluation on threads gives exactly the numbers of one call."""

from __future__ import annotations

import numpy as np
from scipy import special

from surveykit._core.parallel import MIN_SIZE, elementwise


def test_threaded_chunks_equal_one_call():
    rng = np.random.default_rng(7)
    n = rng.integers(1, 5000, 3 * MIN_SIZE + 11).astype(float)
    x = np.floor(rng.random(n.size) * (n + 1))
    a, b = x + 0.5, n - x + 0.5
    np.testing.assert_array_equal(
        elementwise(special.betaincinv, a, b, 0.025), special.betaincinv(a, b, 0.025)
    )


def test_broadcast_shapes_are_kept():
    a = np.full((2, MIN_SIZE), 3.0)
    out = elementwise(special.betaincinv, a, 4.0, np.array([[0.1], [0.9]]))
    assert out.shape == (2, MIN_SIZE)
    np.testing.assert_array_equal(out[1], special.betaincinv(3.0, 4.0, 0.9))


def test_small_arrays_in_one_call():
    assert elementwise(special.betaincinv, 2.0, 3.0, 0.5) == special.betaincinv(2.0, 3.0, 0.5)
