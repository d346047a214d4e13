"""Disputed figures (issue 11, item 6): a figure published with alternative values is
analysed under each, and the report says whether the verdict depends on which is true."""

from __future__ import annotations

import pandas as pd
import pytest

import surveykit as sk


def test_fso_july_30_or_32():
    result = sk.reanalyse(sk.load_dataset("kremlin_fso_2022"))
    alt = result.alternatives
    assert len(alt) == 1
    row = alt.iloc[0]
    assert (row["poll_id"], row["published"], row["alternative"]) == ("fso-2022-07", 0.32, 0.3)
    # critical n by hand, pooled z at 5%: 1.959964^2 * 2 * pbar qbar / d^2
    # 32 -> 55: pbar 0.435, d 0.23 -> 35.7 -> 36;  30 -> 55: pbar 0.425, d 0.25 -> 30.0 -> 31
    assert row["critical_n"] == 36 and row["critical_n_alternative"] == 31
    assert not row["depends"]  # significant at every assumed n (400 to 3,000) either way
    assert row["sentence"] in result.summary().splitlines()
    assert "does not depend on which is true" in row["sentence"]
    assert "https://cpnn-world.org/new/?p=29317" in row["sentence"]


def _two_polls(later: float, earlier: float, alternative: str) -> pd.DataFrame:
    return sk.read_polls(
        pd.DataFrame(
            {
                "poll_id": ["a", "b"],
                "pollster": ["X", "X"],
                "fieldwork_start": ["2021-01-01", "2021-06-01"],
                "fieldwork_end": ["2021-01-05", "2021-06-05"],
                "question": ["q", "q"],
                "option": ["yes", "yes"],
                "share_pct": [earlier, later],
                "n": [1000, 1000],
                "alternative_pct": [alternative, ""],
                "alternative_source": ["https://example.org/other-report", ""],
            }
        )
    )


def test_a_verdict_that_depends_on_the_disputed_figure():
    # 40 -> 45 with n = 1,000 each: z = 0.05 / sqrt(0.425 * 0.575 * 2/1000) = 2.26,
    # significant; with 42 instead of 40: z = 0.03 / sqrt(0.435 * 0.565 * 0.002) = 1.35, not
    result = sk.reanalyse(_two_polls(45, 40, "42"), n=[1000], deff=[1])
    row = result.alternatives.iloc[0]
    assert row["significant"] and not row["significant_alternative"]
    assert row["depends"]
    assert "the verdict depends on which is true at the published n" in row["sentence"]


def test_alternatives_are_percentages():
    with pytest.raises(sk.SurveyKitError, match=r"column 'alternative_pct'.*between 0 and 100"):
        _two_polls(45, 40, "thirty")
    assert _two_polls(45, 40, "42% | 43")["alternatives"].iloc[0] == (0.42, 0.43)
