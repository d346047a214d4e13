"""The Miettinen-Nurminen and Farrington-Manning statistics keep full precision at the
extremes: shares within a few respondents of 0 or 1, n up to 1e9, null differences of
0, +-1e-9, 1e-4 and -0.3.

Reference: ``tests/reference/score_extremes.csv``, written by
``tests/reference/score_extremes.py`` (mpmath, 60 digits, restricted MLE by bisection).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit._core.score import restricted_mle, score_z
from surveykit.inference.two_sample_tests import two_proportion_test

REFERENCE = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "score_extremes.csv")


def test_the_grid_reaches_the_extremes():
    assert len(REFERENCE) == 1751
    assert REFERENCE["n2"].max() == 1.5e9
    assert ((REFERENCE["p1"] > 0) & (REFERENCE["p1"] < 1e-8)).any()
    assert ((REFERENCE["p2"] < 1) & (REFERENCE["p2"] > 1 - 1e-8)).any()


@pytest.mark.parametrize(("column", "correction"), [("z_mn", True), ("z_fm", False)])
def test_score_statistic_matches_60_digit_reference(column, correction):
    r = REFERENCE
    z = score_z(
        r["p1"].to_numpy(),
        r["n1"].to_numpy(),
        r["p2"].to_numpy(),
        r["n2"].to_numpy(),
        r["delta"].to_numpy(),
        correction=correction,
    )
    expected = r[column].to_numpy()
    finite = np.isfinite(expected)
    assert_allclose(z[finite], expected[finite], rtol=1e-10, atol=0)
    assert_allclose(z[~finite], expected[~finite])  # the same infinities, same signs


def test_the_reported_case_is_exact_to_ten_digits():
    # issue 12: z was 0.99982 and p 0.158699; the 60-digit values are in the reference
    row = REFERENCE.iloc[-1]
    result = two_proportion_test(
        1, 2618520, 2618519 / 2618520, 2618520, method="miettinen-nurminen",
        alternative="greater",
    )  # fmt: skip
    assert_allclose(result.statistic, row["z_mn"], rtol=1e-10)
    assert_allclose(result.pvalue, 0.15865525393145705 * 1.0, rtol=1e-6)


def test_restricted_mle_is_symmetric_under_swapping_successes_and_failures():
    # dyadic shares, so that 1 - p is exact and the two problems are the same problem
    p1 = np.array([2.0**-30, 3 * 2.0**-31, 0.203125, 1 - 3 * 2.0**-31])
    p2 = np.array([0.0, 2.0**-31, 0.09375, 1.0])
    d = np.array([2.0**-30, -(2.0**-31), 0.0625, -(2.0**-31)])
    t1, t2 = restricted_mle(p1, 1e9, p2, 1.5e9, d)
    u1, u2 = restricted_mle(1 - p1, 1e9, 1 - p2, 1.5e9, -d)
    assert_allclose(t1, 1 - u1, rtol=1e-12, atol=2.3e-16)  # 1 - u is rounded near 1
    assert_allclose(t2, 1 - u2, rtol=1e-12, atol=2.3e-16)  # 1 - u is rounded near 1
