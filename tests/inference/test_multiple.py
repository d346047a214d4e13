"""Adjusted p-values against R's p.adjust (tests/reference/p_adjust.R and its CSV)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.multiple import adjust_pvalues

REFERENCE = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "p_adjust.csv")
R_NAMES = {
    "holm": "holm",
    "BH": "benjamini-hochberg",
    "bonferroni": "bonferroni",
    "hochberg": "hochberg",
    "BY": "benjamini-yekutieli",
}


@pytest.mark.parametrize(
    ("case", "r_method"), sorted({*zip(REFERENCE.case, REFERENCE.method, strict=True)})
)
def test_matches_r_p_adjust(case, r_method):
    rows = REFERENCE[(REFERENCE.case == case) & (REFERENCE.method == r_method)]
    got = adjust_pvalues(rows.pvalue.to_numpy(), method=R_NAMES[r_method])
    assert_allclose(got, rows.adjusted.to_numpy(), rtol=1e-12)


def test_nan_is_not_a_comparison_and_series_keep_their_index():
    s = pd.Series([0.01, np.nan, 0.04, 0.03], index=list("abcd"))
    got = adjust_pvalues(s)
    assert got.index.tolist() == list("abcd") and np.isnan(got["b"])
    # three comparisons, not four: Holm multiplies the smallest by 3
    assert_allclose(got[["a", "c", "d"]], [0.03, 0.06, 0.06], rtol=1e-14)


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([0.5, 1.2], {}, r"pvalues must be p-values between 0 and 1, got 1.2"),
        ([], {}, r"pvalues must hold at least one p-value"),
        ([0.5], {"method": "fdr_bh"}, r"method must be one of 'holm', 'benjamini-hochberg'"),
    ],
)
def test_errors(values, kwargs, match):
    with pytest.raises(SurveyKitError, match=match):
        adjust_pvalues(values, **kwargs)
