"""Checks of the options that bound long computations (time budgets, enumerations)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from surveykit.exceptions import SurveyKitError

__all__ = ["check_max_seconds", "check_nonempty_options"]


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
