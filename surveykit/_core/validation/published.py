"""Checks of published figures: how they were rounded, which sample sizes they allow."""

from __future__ import annotations

from typing import Any

import numpy as np

from surveykit.exceptions import SurveyKitError

__all__ = [
    "MAX_DISPLAY_DECIMALS",
    "check_display_decimals",
    "check_n_range",
    "check_published_decimals",
    "reported_units",
]

#: most decimals a rendering of a result offers (``to_html(decimals=...)``)
MAX_DISPLAY_DECIMALS = 10


def check_published_decimals(published_decimals: Any) -> int:
    """How many decimal places the published percentages show (0 for 32%, 1 for 32.0%)."""
    value = published_decimals
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= 6:
        raise SurveyKitError(
            "published_decimals must be the number of decimal places shown in the published "
            f"percentages, a whole number from 0 to 6, got {value!r}; for 32% pass "
            "published_decimals=0, for 32.5% pass published_decimals=1"
        )
    return int(value)


def check_display_decimals(decimals: Any) -> int:
    """Decimals of a rendering for people (``to_html(decimals=...)``), not of the figures."""
    if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
        raise SurveyKitError(f"decimals must be a whole number such as 1 or 2, got {decimals!r}")
    if not 0 <= decimals <= MAX_DISPLAY_DECIMALS:
        raise SurveyKitError(
            f"decimals must be between 0 and {MAX_DISPLAY_DECIMALS}, got {decimals!r}"
        )
    return int(decimals)


def reported_units(proportions: np.ndarray, published_decimals: int) -> np.ndarray:
    """Published shares as whole numbers of units of ``10**-published_decimals`` percent.

    A share that is not such a whole number was not published with that many decimals.
    """
    scaled = proportions * 100 * 10.0**published_decimals
    units = np.round(scaled)
    bad = np.abs(scaled - units) > 1e-6 * np.maximum(1.0, np.abs(scaled))
    if bad.any():
        value = proportions[bad][0].item()
        raise SurveyKitError(
            f"proportions must be reported to {published_decimals} decimal place(s) of a "
            f"percent, got {value!r}; pass the figures as published (0.32 for 32%) and set "
            "published_decimals= to the number of decimals shown in the percentages"
        )
    return units.astype(np.int64)


def check_n_range(n_range: Any, most: int) -> tuple[int, int]:
    """A range (lowest, highest) of whole sample sizes, spanning at most ``most`` sizes."""
    try:
        lo, hi = (int(v) for v in n_range)
        ok = all(float(v) == int(v) for v in n_range)
    except (TypeError, ValueError, OverflowError) as exc:
        raise SurveyKitError(
            f"n_range must be a pair of finite whole numbers (lowest, highest), got {n_range!r}"
        ) from exc
    if not ok or lo < 1 or hi < lo:
        raise SurveyKitError(
            f"n_range must be a pair of whole numbers 1 <= lowest <= highest, got {n_range!r}"
        )
    if hi - lo >= most:
        raise SurveyKitError(
            f"n_range must span at most {most:,} sample sizes, got {n_range!r}; "
            "check a narrower range"
        )
    return lo, hi
