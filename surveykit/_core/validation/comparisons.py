"""Checks of the inputs of tests beyond one comparison: equivalence margins and levels,
one poll's n, lists of p-values."""

from __future__ import annotations

from typing import Any

import numpy as np

from surveykit._core.validation.common import as_float_array, check_alpha
from surveykit.exceptions import SurveyKitError

__all__ = ["check_margin", "check_pvalues", "check_same_poll_n", "check_tost_alpha"]


def check_margin(margin: Any) -> np.ndarray:
    """An equivalence margin is a share strictly between 0 and 1 (0.03 for 3 points)."""
    arr = as_float_array("margin", margin)
    bad = ~np.isnan(arr) & ~((arr > 0) & (arr < 1))
    if np.any(bad):
        value = np.asarray(arr)[bad].ravel()[0].item()
        hint = f"; for {value:g} points pass margin={value / 100:g}" if 1 <= value < 100 else ""
        raise SurveyKitError(
            f"margin must be a share strictly between 0 and 1, got {value!r}{hint}"
        )
    return arr


def check_tost_alpha(alpha: Any) -> float:
    """A level for two one-sided tests: a single number in (0, 0.5)."""
    arr = check_alpha(as_float_array("alpha", alpha))
    if np.ndim(arr) != 0:
        raise SurveyKitError(f"alpha must be a single number, got {alpha!r}; for example 0.05")
    value = float(arr)
    if not value < 0.5:
        raise SurveyKitError(
            f"alpha must be below 0.5 for two one-sided tests, got {alpha!r}; "
            "the usual choice is 0.05"
        )
    return value


def check_same_poll_n(n1: np.ndarray, n2: np.ndarray) -> None:
    """Two options of one poll were answered by the same n respondents."""
    differ = ~np.isnan(n1) & ~np.isnan(n2) & (n1 != n2)
    if np.any(differ):
        i = np.flatnonzero(differ.ravel())[0]
        raise SurveyKitError(
            "n1 and n2 must be equal with within=True (two options of one poll), got "
            f"n1={n1.ravel()[i].item()!r} and n2={n2.ravel()[i].item()!r}; for two "
            "polls pass within=False"
        )


def check_pvalues(name: str, values: Any) -> np.ndarray:
    """A non-empty array of p-values in [0, 1] (NaN allowed: a comparison not tested)."""
    arr = np.atleast_1d(as_float_array(name, values))
    if arr.size == 0:
        raise SurveyKitError(f"{name} must hold at least one p-value, got an empty array")
    bad = ~np.isnan(arr) & ~((arr >= 0) & (arr <= 1))
    if bad.any():
        raise SurveyKitError(
            f"{name} must be p-values between 0 and 1, got {arr[bad].ravel()[0].item()!r}"
        )
    return arr
