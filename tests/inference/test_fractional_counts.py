"""Fractional effective counts in the methods defined on counts (issue 12, item 7).

Clopper-Pearson and Jeffreys follow R survey's ``svyciprop(method = "beta")``: the
effective count x = p n / deff and size n_eff = n / deff enter the beta quantiles as they
are. Reference values: ``tests/reference/fractional_counts.R`` and its output
``fractional_counts.out`` (R 4, survey 4): part 1 evaluates svyciprop's formula,
``qbeta(alpha/2, x, n_eff - x + 1)`` and ``qbeta(1 - alpha/2, x + 1, n_eff - x)``; part 2
is svyciprop itself on a weighted sample.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from surveykit.exceptions import SurveyKitError
from surveykit.inference.proportion import proportion_ci

OUT = Path(__file__).parents[1] / "reference" / "fractional_counts.out"


def _parts() -> list[pd.DataFrame]:
    text = OUT.read_text().split("# part ")[1:]
    return [pd.read_csv(io.StringIO(part.split("\n", 1)[1])) for part in text]


FORMULA, SVYCIPROP = _parts()


@pytest.mark.parametrize("method", ["clopper-pearson", "jeffreys"])
def test_beta_intervals_use_fractional_effective_counts_as_svyciprop(method):
    prefix = "cp" if method == "clopper-pearson" else "jeffreys"
    got = proportion_ci(
        FORMULA["p"].to_numpy(),
        FORMULA["n"].to_numpy(),
        deff=FORMULA["deff"].to_numpy(),
        confidence_level=FORMULA["level"].to_numpy(),
        method=method,
    )
    assert_allclose(got.ci_low, FORMULA[f"{prefix}_low"], rtol=1e-9)
    assert_allclose(got.ci_high, FORMULA[f"{prefix}_high"], rtol=1e-9)
    assert_allclose(got.estimate, FORMULA["p"], rtol=1e-15)


def test_clopper_pearson_matches_svyciprop_on_a_weighted_sample():
    row = SVYCIPROP.iloc[0]
    # the weighted share is 11/28 with n_eff = 31.34: 11 of 28 at the design effect that
    # gives that n_eff
    assert_allclose(row["p"], 11 / 28, rtol=1e-14)
    got = proportion_ci(11 / 28, 28, deff=28 / row["n_eff"], method="clopper-pearson")
    assert_allclose([got.ci_low, got.ci_high], [row["ci_low"], row["ci_high"]], rtol=1e-9)


def test_the_case_of_the_issue_is_computed_not_refused():
    # 55% of 1,600 at deff 1.5: an effective count of 586.67 of 1,066.67
    got = proportion_ci(0.55, 1600, deff=1.5, method="clopper-pearson")
    assert_allclose([got.ci_low, got.ci_high], FORMULA.loc[0, ["cp_low", "cp_high"]], rtol=1e-9)
    assert_allclose(got.n_eff, 1600 / 1.5)


def test_mid_p_is_continued_to_fractional_counts_between_its_neighbours():
    # 55% of 1,000 at deff 1.5: an effective count of 366.67 of 666.67, whose bounds lie
    # between those of the whole counts 366 and 367 of the same effective size
    at = proportion_ci(0.55, 1000, deff=1.5, method="mid-p")
    n_eff = 1000 / 1.5
    below = proportion_ci(366 / n_eff, n_eff, method="mid-p")
    above = proportion_ci(367 / n_eff, n_eff, method="mid-p")
    assert below.ci_low < at.ci_low < above.ci_low
    assert below.ci_high < at.ci_high < above.ci_high


@pytest.mark.parametrize("method", ["clopper-pearson", "mid-p"])
def test_a_count_of_respondents_must_be_whole_or_rounded(method):
    # 55% of 1,001 is 550.55 respondents: impossible, refused unless rounded
    with pytest.raises(SurveyKitError, match=r"proportion x n must be a whole number"):
        proportion_ci(0.55, 1001, method=method)
    rounded = proportion_ci(0.55, 1001, method=method, round_counts=True)
    whole = proportion_ci(551 / 1001, 1001, method=method)
    assert_allclose([rounded.ci_low, rounded.ci_high], [whole.ci_low, whole.ci_high])
    assert rounded.estimate == 551 / 1001
