"""Adversarial invariants of proportion_ci on 10^5 random and extreme rows per method.

Issue 12, item 9. Each method is called once on 10^5 rows (vectorised), never 10^5 times:
counts 0 and n, n = 1, sizes up to 10^12, fractional effective counts under design
effects, and confidence levels from 10^-6 to 1 - 10^-6. The invariants:

- bounds lie in [0, 1] and ci_low <= ci_high, with no NaN;
- the interval contains the estimate, for the methods whose construction promises it
  (the others are centred elsewhere and may miss it at low levels: see the Notes of
  ``proportion_ci``);
- a higher confidence level gives a wider interval (nested);
- mirror symmetry: the interval for 1 - p is (1 - ci_high, 1 - ci_low);
- scalar, array and Series inputs give the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit.inference.proportion import PROPORTION_CI_METHODS, proportion_ci

ROWS = 100_000
#: methods whose interval always contains the estimate x / n
CONTAINS_ESTIMATE = ("wilson", "wald", "wilson-cc", "clopper-pearson", "logit",
                     "likelihood-ratio")  # fmt: skip
#: bounds are compared with this absolute slack (floating-point error of 1 - p, of roots)
SLACK = 1e-9


def _rows(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = np.round(10 ** rng.uniform(0, 12, ROWS))
    n[:1000] = 1.0
    n[1000:2000] = 2.0
    x = np.floor(rng.random(ROWS) * (n + 1))
    x[2000:5000] = 0.0
    x[5000:8000] = n[5000:8000]
    x[8000:9000] = 1.0
    deff = np.where(rng.random(ROWS) < 0.3, rng.uniform(1, 5, ROWS), 1.0)
    level = rng.uniform(0.5, 0.999, ROWS)
    level[:500] = 1e-6
    level[-500:] = 1 - 1e-6
    return {"proportion": x / n, "n": n, "deff": deff, "level": level}


@pytest.fixture(scope="module")
def rows() -> dict[str, np.ndarray]:
    return _rows(12)


_BASE: dict[str, object] = {}


def _base(rows, method):  # type: ignore[no-untyped-def]
    """The interval on the rows at their own levels, computed once per method."""
    if method not in _BASE:
        _BASE[method] = _ci(rows, method)
    return _BASE[method]


def _ci(rows, method, *, proportion=None, level=None):  # type: ignore[no-untyped-def]
    return proportion_ci(
        rows["proportion"] if proportion is None else proportion,
        rows["n"],
        deff=rows["deff"],
        confidence_level=rows["level"] if level is None else level,
        method=method,
    )


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
def test_bounds_are_ordered_probabilities(rows, method):
    ci = _base(rows, method)
    assert not np.isnan(ci.ci_low).any() and not np.isnan(ci.ci_high).any()
    assert np.all((ci.ci_low >= 0) & (ci.ci_high <= 1))
    assert np.all(ci.ci_low <= ci.ci_high)


@pytest.mark.parametrize("method", CONTAINS_ESTIMATE)
def test_interval_contains_the_estimate(rows, method):
    ci = _base(rows, method)
    assert np.all(ci.ci_low <= ci.estimate + SLACK)
    assert np.all(ci.estimate <= ci.ci_high + SLACK)


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
def test_higher_level_gives_a_wider_interval(rows, method):
    narrow = _base(rows, method)
    wide = _ci(rows, method, level=1 - (1 - rows["level"]) / 2)
    assert np.all(wide.ci_low <= narrow.ci_low + SLACK)
    assert np.all(wide.ci_high >= narrow.ci_high - SLACK)


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
def test_mirror_symmetry(rows, method):
    ci = _base(rows, method)
    mirror = _ci(rows, method, proportion=1 - rows["proportion"])
    np.testing.assert_allclose(mirror.ci_low, 1 - ci.ci_high, rtol=0, atol=SLACK)
    np.testing.assert_allclose(mirror.ci_high, 1 - ci.ci_low, rtol=0, atol=SLACK)


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
def test_scalar_array_and_series_agree(rows, method):
    ci = _base(rows, method)
    index = pd.RangeIndex(ROWS, name="row")
    series = proportion_ci(
        pd.Series(rows["proportion"], index=index),
        rows["n"],
        deff=rows["deff"],
        confidence_level=rows["level"],
        method=method,
    )
    np.testing.assert_array_equal(series.ci_low.to_numpy(), ci.ci_low)
    np.testing.assert_array_equal(series.ci_high.to_numpy(), ci.ci_high)
    picks = np.random.default_rng(5).choice(ROWS, 25, replace=False)
    for i in (*picks, 0, 2500, 6000):  # n = 1, a count of 0, a count of n
        one = proportion_ci(
            float(rows["proportion"][i]),
            float(rows["n"][i]),
            deff=float(rows["deff"][i]),
            confidence_level=float(rows["level"][i]),
            method=method,
        )
        assert isinstance(one.ci_low, float)
        np.testing.assert_allclose(
            [one.ci_low, one.ci_high], [ci.ci_low[i], ci.ci_high[i]], rtol=1e-12, atol=1e-15
        )
