"""Checks of the Bayesian view of a change: the prior and the distributions of n.

The functions checked are :func:`surveykit.inference.bayes.posterior_change` and
:func:`surveykit.inference.bayes.posterior_densities`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from surveykit._core.validation.common import (
    as_float_array,
    check_n,
    check_no_nan,
    check_nonempty,
)
from surveykit.exceptions import SurveyKitError

__all__ = [
    "check_posterior_result",
    "check_prior",
    "check_sample_size_list",
    "check_size_distribution",
    "check_size_weights",
]


def check_prior(prior: Any, priors: Mapping[str, tuple[float, float]]) -> tuple[float, float, str]:
    """A named prior (one of ``priors``) or a pair (a, b) of positive, finite beta
    parameters: its parameters and its name (``'jeffreys'``, ``'beta(2, 2)'``)."""
    if isinstance(prior, str) and prior in priors:
        a, b = priors[prior]
        return a, b, prior
    try:
        if isinstance(prior, str):
            raise TypeError
        a, b = (float(v) for v in prior)
    except (TypeError, ValueError):
        a = b = np.nan
    if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
        listed = ", ".join(repr(k) for k in priors)
        raise SurveyKitError(
            f"prior must be one of {listed} or a pair (a, b) of positive, finite beta "
            f"parameters, got {prior!r}; for a flat prior pass prior='uniform' or (1, 1)"
        )
    return a, b, f"beta({a:g}, {b:g})"


def check_sample_size_list(name: str, n: Any, most: int) -> np.ndarray:
    """Equally likely sample sizes: a number or a flat list of at most ``most``."""
    values = check_nonempty(name, np.ravel(as_float_array(name, n)))
    if values.size > most:
        raise SurveyKitError(
            f"{name} must hold at most {most:,} sample sizes, got {values.size:,}; "
            "pass a coarser list of representative sizes"
        )
    check_no_nan(**{name: values})
    return check_n(name, values)


def check_size_distribution(name: str, low: float, high: float, most: int) -> None:
    """A distribution of n whose central 1 - 2e-9 spans at most ``most`` positive sizes."""
    if not np.isfinite(high) or high - low >= most:
        raise SurveyKitError(
            f"{name} is a distribution whose central 1 - 2e-9 spans {low:g} to {high:g}, "
            f"more than {most:,} sample sizes; pass a narrower one, or a list "
            "of representative sizes (equally likely)"
        )


def check_size_weights(name: str, low: float, weights: np.ndarray) -> np.ndarray:
    """The probabilities a distribution of n gives its sizes: some must be positive."""
    if not weights.sum() > 0:
        raise SurveyKitError(
            f"{name} must be a distribution over positive sample sizes, got support from {low:g}"
        )
    return weights / weights.sum()


def check_posterior_result(result: Any) -> Any:
    """One (scalar) result of posterior_change."""
    for name in ("p1", "p2", "prob_increase", "prior"):
        if not hasattr(result, name):
            raise SurveyKitError(
                f"result must come from posterior_change, got {type(result).__name__}"
            )
    if np.ndim(result.p1) != 0 or np.ndim(result.p2) != 0:
        raise SurveyKitError("posterior_densities takes one change; pass a scalar result")
    return result
