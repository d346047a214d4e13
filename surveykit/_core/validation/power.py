"""Checks of the inputs of power and sample-size calculations."""

from __future__ import annotations

import numpy as np

from surveykit._core.validation.common import first_bad
from surveykit.exceptions import SurveyKitError

__all__ = [
    "check_exact_test_option",
    "check_population",
    "check_power",
    "check_power_above_alpha",
    "check_sample_size_method",
]


def check_power(arr: np.ndarray) -> np.ndarray:
    """A target power lies strictly between 0 and 1."""
    bad = ~np.isnan(arr) & ~((arr > 0) & (arr < 1))
    if bad.any():
        value = first_bad(arr, bad)
        hint = f"; for {value:g}% pass power={value / 100:g}" if 1 < value < 100 else ""
        raise SurveyKitError(f"power must be strictly between 0 and 1, got {value!r}{hint}")
    return arr


def check_power_above_alpha(power: np.ndarray, tail: np.ndarray) -> None:
    """A target power above the test's tail level (a test with no data rejects that often)."""
    bad = ~np.isnan(power) & ~np.isnan(tail) & (power <= tail)
    if bad.any():
        raise SurveyKitError(
            f"power must exceed the significance level of the test ({tail[bad].ravel()[0]:g} "
            f"in each tail), got {power[bad].ravel()[0].item()!r}; a test with no data "
            "already rejects that often, so ask for a larger power such as 0.8"
        )


def check_exact_test_option(method: str, test: str | None) -> None:
    """``test`` names the test whose exact power is computed: only with method='exact'."""
    if method != "exact" and test is not None:
        raise SurveyKitError(
            f"test applies only to method='exact' (the test whose exact power is computed), "
            f"got test={test!r} with method={method!r}; drop test, or pass method='exact'"
        )


def check_sample_size_method(method: str) -> str:
    """A sample size needs an approximate power: exact power is saw-toothed in n."""
    if method == "exact":
        raise SurveyKitError(
            "method must be 'normal' or 'arcsine' for a sample size, got 'exact'; exact "
            "power is saw-toothed in n, so compute the normal n and check it with "
            "power_two_proportions(..., method='exact')"
        )
    return method


def check_population(arr: np.ndarray) -> np.ndarray:
    """A finite population size is at least 1 (infinite means a large population)."""
    bad = ~np.isnan(arr) & ~(arr >= 1)
    if bad.any():
        raise SurveyKitError(
            f"population must be a population size of at least 1, got "
            f"{first_bad(arr, bad)!r}; pass population=None for a large population"
        )
    return arr
