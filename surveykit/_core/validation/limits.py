"""Checks of what bounds a computation: time budgets, lists of options, and the shares of
all options of one question (which cannot add up to more than everyone)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from surveykit.exceptions import SurveyKitError

__all__ = [
    "check_max_seconds",
    "check_nonempty_options",
    "check_shares_of_one_question",
    "check_simulated_n",
]


def check_max_seconds(value: Any) -> float:
    """A time budget is a positive number of seconds (``math.inf`` for no limit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SurveyKitError(
            f"max_seconds must be a positive number of seconds, got {value!r}; "
            "for no limit pass max_seconds=math.inf"
        )
    seconds = float(value)
    if math.isnan(seconds) or seconds <= 0:
        raise SurveyKitError(
            f"max_seconds must be a positive number of seconds, got {value!r}; "
            "for no limit pass max_seconds=math.inf"
        )
    return seconds


def check_nonempty_options(name: str, values: Any, example: str) -> None:
    """A list of options (methods, levels, sizes) that the result has a row per element of."""
    if len(values) == 0:
        raise SurveyKitError(
            f"{name} must name at least one value, got an empty list; for example pass "
            f"{name}={example}"
        )


#: how far each published share may be from the true one through rounding to whole
#: percentages (half a percentage point); the sum of k shares may exceed 1 by k times it
ROUNDING_PER_OPTION = 0.005


def check_shares_of_one_question(name: str, shares: np.ndarray) -> np.ndarray:
    """The shares of the options of one question add up to at most 1, beyond rounding.

    Each published share may be rounded by up to half a percentage point, so k shares
    may add up to ``1 + 0.005 k`` (102% for four options rounded to whole percentages,
    as published tables often do); anything above is impossible. NaN shares are left out.
    """
    total = float(np.nansum(shares))
    allowed = 1 + ROUNDING_PER_OPTION * np.count_nonzero(~np.isnan(shares))
    if total > allowed:
        raise SurveyKitError(
            f"{name} must add up to at most 1 (the options of one question share its "
            f"respondents), got a sum of {total!r}, more than rounding to whole percentages "
            f"allows ({allowed:g}); for options of different polls or questions, call the "
            "function once per question"
        )
    return shares


#: largest sample size of a simulated poll: numpy draws binomial counts as 64-bit
#: integers, and 1e15 respondents already give a share exact to 1e-7
MAX_SIMULATED_N = 1e15


def check_simulated_n(n: np.ndarray) -> np.ndarray:
    """The size of a simulated poll fits the binomial generator (at most 1e15)."""
    over = ~np.isnan(n) & (n > MAX_SIMULATED_N)
    if over.any():
        value = n[over].ravel()[0].item()
        raise SurveyKitError(
            f"n must be at most {MAX_SIMULATED_N:g} respondents for a simulated poll, got "
            f"{value!r}; at such sizes every simulated share equals the true proportion to "
            "within 1e-7, so simulate with n=1e15 or use the proportion itself"
        )
    return n
