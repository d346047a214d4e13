"""Shared numerics: normal quantiles and p-values, z ratios, Wilson score bounds.

Used by several modules of :mod:`surveykit.inference`; everything here works on numpy
arrays that broadcast.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "compact",
    "pvalue_from_z",
    "ratio_into",
    "wilson_bounds",
    "wilson_bounds_at",
    "wilson_cc_bounds",
    "wilson_cc_bounds_at",
    "z_quantile",
    "z_ratio",
    "z_squared_pq",
]


def z_quantile(tail: np.ndarray) -> np.ndarray:
    """The normal quantile with ``tail`` above it (accurate for tails near 0)."""
    return -special.ndtri(tail)


def compact(arr: np.ndarray) -> np.ndarray:
    """The smallest view of ``arr`` that broadcasts back to it.

    Every axis along which ``arr`` repeats one value by broadcasting (stride 0) is cut to
    length 1, so that a scalar broadcast to a million rows becomes one element again
    (its normal quantile is then computed once, not per row). No data is copied.
    """
    if arr.ndim == 0 or all(stride != 0 for stride in arr.strides):
        return arr
    return arr[tuple(slice(0, 1) if s == 0 else slice(None) for s in arr.strides)]


def pvalue_from_z(z: np.ndarray, alternative: str) -> np.ndarray:
    """p-value of a standard normal statistic ``z`` for the given alternative.

    ``'greater'`` means the true difference exceeds the null one (large z is evidence),
    ``'less'`` the opposite; ``'two-sided'`` doubles the smaller tail.
    """
    if not isinstance(z, np.ndarray) or z.ndim == 0:
        if alternative == "greater":
            return special.ndtr(-z)
        if alternative == "less":
            return special.ndtr(z)
        return np.minimum(1.0, 2 * special.ndtr(-np.abs(z)))
    # whole arrays: the same values computed in place (2 ndtr(-|z|) = erfc(|z| / sqrt 2))
    if alternative == "less":
        return special.ndtr(z)
    tail = np.negative(z) if alternative == "greater" else np.abs(z)
    if alternative == "greater":
        return special.ndtr(tail, out=tail)
    tail *= np.sqrt(0.5)
    special.erfc(tail, out=tail)
    return np.minimum(tail, 1.0, out=tail)


def z_ratio(diff: np.ndarray, se: np.ndarray) -> np.ndarray:
    """diff / se, with 0/0 taken as 0 (no difference and no variance: no evidence)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.array(np.divide(diff, se), dtype=float, copy=None)
    undefined = np.isnan(z)
    if undefined.any():
        diff, se = np.broadcast_to(diff, z.shape), np.broadcast_to(se, z.shape)
        z[undefined & (diff == 0) & (se == 0)] = 0.0
    return z


def ratio_into(num: np.ndarray, se: np.ndarray, *inputs: np.ndarray) -> np.ndarray:
    """num / se written over ``se`` (a temporary), as :func:`z_ratio` but one array less.

    0/0 is 0 unless an input is NaN (the only other way ``se`` can be NaN).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.divide(num, se, out=se)
    undefined = np.isnan(z)
    if undefined.any():
        where = np.nonzero(undefined)
        zero = np.broadcast_to(num, z.shape)[where] == 0
        for arr in inputs:
            zero &= ~np.isnan(np.broadcast_to(arr, z.shape)[where])
        z[tuple(i[zero] for i in where)] = 0.0
    return z


def wilson_bounds(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score bounds for ``x`` of ``n``, ``tail`` left outside each bound."""
    return wilson_bounds_at(x, n, z_quantile(tail))


def wilson_bounds_at(x: np.ndarray, n: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score bounds at the normal quantile ``z`` (see :func:`wilson_bounds`)."""
    z2 = z * z
    p = x / n
    shrunk = n + z2
    centre = (x + z2 / 2) / shrunk
    half = z * np.sqrt(n) / shrunk * np.sqrt(p * (1 - p) + z2 / (4 * n))
    # exactly 0 and 1 at the edges (the formula can miss them by rounding)
    return np.where(x <= 0, 0.0, centre - half), np.where(x >= n, 1.0, centre + half)


def wilson_cc_bounds(
    x: np.ndarray, n: np.ndarray, tail: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Continuity-corrected Wilson bounds, ``tail`` left outside each bound."""
    return wilson_cc_bounds_at(x, n, z_quantile(tail))


def wilson_cc_bounds_at(
    x: np.ndarray, n: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Continuity-corrected Wilson bounds at the normal quantile ``z``."""
    z2 = z * z
    p = x / n
    root_lo = np.sqrt(np.maximum(z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1), 0.0))
    root_hi = np.sqrt(np.maximum(z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1), 0.0))
    lower = (2 * x + z2 - 1 - z * root_lo) / (2 * (n + z2))
    upper = (2 * x + z2 + 1 + z * root_hi) / (2 * (n + z2))
    lower = np.where(x <= 0.5, 0.0, lower)
    upper = np.where(x >= n - 0.5, 1.0, upper)
    return lower, upper


def z_squared_pq(proportion: np.ndarray, level: np.ndarray) -> np.ndarray:
    z = special.ndtri(1 - (1 - level) / 2)
    return z * z * proportion * (1 - proportion)
