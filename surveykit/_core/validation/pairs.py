"""Checks of inputs that describe two shares: between polls, within one poll, in a panel.

Two shares are ``p1`` and ``p2``: the first is the one compared (the later poll, or the
leading option), and every difference is ``p1 - p2``. Their sample sizes are ``n1`` and
``n2``, and ``n_ratio`` is ``n2 / n1``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from surveykit._core.validation.common import (
    as_float_array,
    check_nonempty,
    check_proportion,
    first_bad,
)
from surveykit.exceptions import SurveyKitError

__all__ = [
    "as_share_pairs",
    "check_correlation",
    "check_counts",
    "check_fraction",
    "check_n1_given",
    "check_n2_within",
    "check_n_ratio",
    "check_null_difference",
    "check_switchers",
    "check_within_pair",
]


def check_within_pair(p1: np.ndarray, p2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two options of one question: shares in [0, 1] whose sum is at most 1."""
    q1 = check_proportion("p1", p1)
    q2 = check_proportion("p2", p2)
    over = q1 + q2 > 1 + 1e-9
    if over.any():
        i = np.flatnonzero(over.ravel())[0]
        raise SurveyKitError(
            "p1 + p2 must not exceed 1 for two options of one question, got "
            f"p1={q1.ravel()[i].item()!r} and p2={q2.ravel()[i].item()!r}; if they come from "
            "different polls, compare them as two polls (two_proportion_test, difference_ci, "
            "or within=False)"
        )
    return q1, q2


def check_n2_within(n2: Any) -> None:
    """``n2`` has no meaning for two options of one poll (``within=True``)."""
    if n2 is not None:
        raise SurveyKitError(
            f"n2 must be None with within=True (both options share one poll), got {n2!r}"
        )


def check_n1_given(n1: Any, n2: Any) -> None:
    """``n2`` defaults to ``n1``; giving ``n2`` alone is a mistake."""
    if n2 is not None and n1 is None:
        raise SurveyKitError(
            f"n1 must be given when n2 is, got n1=None and n2={n2!r}; pass n1= as well "
            "(n2 defaults to n1)"
        )


def check_n_ratio(arr: np.ndarray) -> np.ndarray:
    """``n_ratio`` (n2 / n1) is a positive, finite number."""
    bad = ~np.isnan(arr) & ~((arr > 0) & np.isfinite(arr))
    if bad.any():
        raise SurveyKitError(
            f"n_ratio (n2 / n1) must be a positive, finite number, got {first_bad(arr, bad)!r}; "
            "for twice as many in the second poll pass n_ratio=2"
        )
    return arr


def check_fraction(name: str, arr: np.ndarray) -> np.ndarray:
    """A fraction of respondents (such as a panel's ``overlap``) lies in [0, 1]."""
    bad = ~np.isnan(arr) & ~((arr >= 0) & (arr <= 1))
    if bad.any():
        value = first_bad(arr, bad)
        hint = f"; for {value:g}% pass {name}={value / 100:g}" if 1 < value <= 100 else ""
        raise SurveyKitError(f"{name} must be a fraction between 0 and 1, got {value!r}{hint}")
    return arr


def check_correlation(
    rho: np.ndarray, low: np.ndarray, high: np.ndarray, q1: np.ndarray, q2: np.ndarray
) -> np.ndarray:
    """A within-person correlation inside the bounds that the two shares allow."""
    bad = ~np.isnan(rho) & ((rho < low - 1e-12) | (rho > high + 1e-12))
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        raise SurveyKitError(
            f"correlation must lie between {low.ravel()[i]:.3f} and {high.ravel()[i]:.3f} "
            f"for shares p1={q1.ravel()[i].item()!r} and p2={q2.ravel()[i].item()!r}, got "
            f"{rho.ravel()[i].item()!r}; "
            "two yes/no answers with these shares cannot be more strongly correlated"
        )
    return rho


def check_counts(name: str, arr: np.ndarray) -> np.ndarray:
    """Counts of respondents (such as a panel's switchers) are whole numbers, 0 or more."""
    bad = ~np.isnan(arr) & ~((arr >= 0) & np.isfinite(arr) & (arr == np.round(arr)))
    if bad.any():
        raise SurveyKitError(
            f"{name} must be a whole number of respondents (0 or more), got "
            f"{first_bad(arr, bad)!r}"
        )
    return arr


def check_switchers(gained: np.ndarray, lost: np.ndarray, n: np.ndarray) -> None:
    """A panel's switchers cannot outnumber its respondents."""
    over = ~np.isnan(n) & (gained + lost > n)
    if over.any():
        i = np.flatnonzero(over.ravel())[0]
        raise SurveyKitError(
            f"gained + lost must not exceed n, got {gained.ravel()[i]:g} + "
            f"{lost.ravel()[i]:g} > {n.ravel()[i]:g}; n is the number of respondents in "
            "both waves"
        )


def check_null_difference(d0: np.ndarray, *, zero_only: str | None = None) -> np.ndarray:
    """A null difference ``p1 - p2`` lies strictly between -1 and 1.

    ``zero_only`` names a method that tests only ``p1 = p2``; then it must be 0.
    """
    bad = ~np.isnan(d0) & ~((d0 > -1) & (d0 < 1))
    if bad.any():
        raise SurveyKitError(
            f"null_difference must lie strictly between -1 and 1, got {first_bad(d0, bad)!r}"
        )
    nonzero = ~np.isnan(d0) & (d0 != 0)
    if zero_only is not None and nonzero.any():
        raise SurveyKitError(
            f"null_difference must be 0 for method={zero_only!r} (it tests p1 = p2), "
            f"got {first_bad(d0, nonzero)!r}; for a non-zero null use "
            "method='miettinen-nurminen' (the score test), 'likelihood-ratio' or 'z-unpooled'"
        )
    return d0


def as_share_pairs(p1: Any, p2: Any) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of shares ``(p1, p2)`` as two flat arrays of one length (one pair each)."""
    first = check_nonempty("p1", as_float_array("p1", p1))
    second = check_nonempty("p2", as_float_array("p2", p2))
    try:
        first, second = np.broadcast_arrays(np.atleast_1d(first), np.atleast_1d(second))
    except ValueError as exc:
        raise SurveyKitError(
            f"p1 and p2 must be numbers or lists of the same length (one pair each), got "
            f"{np.size(first)} and {np.size(second)} values"
        ) from exc
    if first.ndim > 1:
        raise SurveyKitError(
            f"p1 and p2 must be one-dimensional, got shape {first.shape}; pass flat lists"
        )
    return first, second
