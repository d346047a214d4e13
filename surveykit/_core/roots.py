"""Vectorised root finding: bisection on whole arrays at once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["bisect_decreasing"]


def bisect_decreasing(
    func: Callable[[np.ndarray], np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    target: np.ndarray,
    *,
    iterations: int = 64,
) -> np.ndarray:
    """Where a decreasing function crosses ``target``, elementwise, by bisection.

    ``func`` maps an array of points to an array of values and must be decreasing in
    each element on ``[lower, upper]``. Every element is bisected simultaneously, so
    the cost is ``iterations`` calls of ``func`` on the whole array. Elements whose
    value at ``lower`` is already below ``target`` return ``lower``; those still above
    it at ``upper`` return ``upper``.
    """
    lo = np.array(lower, dtype=float, copy=True)
    hi = np.array(upper, dtype=float, copy=True)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        above = func(mid) > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return 0.5 * (lo + hi)
