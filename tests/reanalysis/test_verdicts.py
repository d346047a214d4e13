"""Verdict sentences cannot contradict the numbers (issue 11, item 2).

A property test over 10,000 random comparisons (shares, published or unknown n, published
margins, assumed n and design effect, alpha, level, direction): every sentence is parsed
back, and what it says (direction, points, significant or not, the sample sizes, the
critical n, the p-value, the design effect, the adjusted verdict) is compared with
(a) the structured claim it was rendered from and (b) the statistics recomputed here,
independently, with :func:`two_proportion_test` and :func:`critical_n` on each poll's
effective size.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit._core.formatting import format_pvalue
from surveykit.inference.two_sample_tests import two_proportion_test
from surveykit.reanalysis.claims import Claim, render_claim
from surveykit.unknowns.critical import critical_n
from surveykit.unknowns.margins import implied_deff

CASES = 10_000
BATCHES = [  # (alpha, confidence level, assumed n, assumed design effect)
    (0.05, 0.95, 400, 1.0),
    (0.01, 0.99, 1600, 1.5),
    (0.1, 0.9, 100, 2.0),
    (0.05, 0.9, 3000, 1.2),
]

SENTENCE = re.compile(
    r"^(?P<label>.+?): (?P<p2>[\d.]+)% → (?P<p1>[\d.]+)%, "
    r"(?:(?:an increase|a decrease) of (?P<points>[\d.]+) points?|no change); "
    r"(?P<rest>.*)\.$"
)
KNOWN = re.compile(
    r"^(?P<verdict>significant|not significant) at the (?P<level>[\d.]+)% level with the "
    r"published n \((?P<sizes>[\d, and]+); p (?P<p>[=<>] ?[\d.e+-]+), "
    r"(?P<design>simple random sampling|design effect [\d.]+)\)(?P<tail>.*)$"
)
ASSUMED = re.compile(
    r"^significant at the (?P<level>[\d.]+)% level if at least (?P<crit>[\d,]+) people were "
    r"asked per poll \((?P<design>simple random sampling|design effect [\d.]+)\); "
    r"with fewer it is not$"
)


def _random_polls(rng: np.random.Generator, size: int, batch: int) -> pd.DataFrame:
    """``size`` two-poll series (one pollster, one question each), later poll second."""
    decimals = rng.integers(0, 2, size)
    p = rng.uniform(0.01, 0.99, (size, 2))
    scale = 10.0 ** decimals[:, None]  # whole percentages or one decimal
    p = np.round(p * 100 * scale) / scale / 100
    same = rng.random(size) < 0.03  # some exact ties: "no change"
    p[same, 1] = p[same, 0]
    n = rng.integers(30, 20_000, (size, 2)).astype(float)
    n[rng.random((size, 2)) < 0.4] = np.nan
    moe = np.where(
        rng.random((size, 2)) < 0.3, np.round(rng.uniform(0.01, 0.08, (size, 2)), 3), np.nan
    )
    rows = []
    for i in range(size):
        for k, (start, end) in enumerate(
            (("2022-07-01", "2022-07-05"), ("2022-11-01", "2022-11-05"))
        ):
            rows.append(
                {
                    "poll_id": f"b{batch}-s{i}-{k}",
                    "pollster": f"P{i % 7}",
                    "fieldwork_start": start,
                    "fieldwork_end": end,
                    "question": f"q{batch}-{i}",
                    "option": "yes",
                    "proportion": p[i, k],
                    "n": n[i, k],
                    "moe": moe[i, k],
                }
            )
    return sk.read_polls(pd.DataFrame(rows))


def _deff_of(n: float, moe: float) -> float:
    if np.isnan(n) or np.isnan(moe):
        return np.nan
    return max(float(implied_deff(moe, n)), 1.0)


def _check_sentence(sentence: str, claim: pd.Series, poll: dict, alpha: float) -> None:
    m = SENTENCE.match(sentence)
    assert m, sentence
    p1, p2 = poll["p1"], poll["p2"]
    assert float(m["p1"]) == pytest.approx(100 * p1, abs=1e-9)
    assert float(m["p2"]) == pytest.approx(100 * p2, abs=1e-9)
    diff = p1 - p2
    word = "increase" if diff > 0 else "decrease" if diff < 0 else "no change"
    assert claim["direction"] == word
    assert (word in sentence) or (word == "no change" and "no change" in sentence)
    if m["points"] is not None:
        assert float(m["points"]) == pytest.approx(round(abs(100 * diff), 1), abs=1e-9)
    d1, d2 = poll["d1"], poll["d2"]
    rest = m["rest"]
    if poll["known"]:
        # the statistics, recomputed here on each poll's effective size
        test = two_proportion_test(p1, poll["n1"] / d1, p2, poll["n2"] / d2)
        k = KNOWN.match(rest)
        assert k, sentence
        assert (k["verdict"] == "significant") == bool(test.pvalue < alpha) == claim["significant"]
        assert float(k["level"]) == pytest.approx(100 * alpha)
        sizes = [int(s.replace(",", "")) for s in k["sizes"].split(" and ")]
        assert sizes == list(dict.fromkeys([round(poll["n2"]), round(poll["n1"])]))
        p_text = format_pvalue(test.pvalue)
        assert k["p"].lstrip("= ") == p_text.lstrip("= ") or k["p"] == p_text
        design = max(d1, d2)
        shown = "simple random sampling" if design == 1 else f"design effect {design:.3g}"
        assert k["design"] == shown
        tail = k["tail"]
        if not test.pvalue < alpha and word != "no change":
            crit = critical_n(p1, p2, alpha=alpha, deff=design)
            assert f"it would be significant from {crit:,.0f} people per poll" in tail
        if "adjustment" in tail:
            assert claim["significant"]
            survives = "still significant" in tail
            assert survives == bool(claim["significant_adjusted"])
            assert claim["pvalue_adjusted"] >= claim["pvalue"]
            assert f"for {int(claim['comparisons'])} comparisons" in tail
    else:
        design = max(d for d in (d1, d2))
        crit = critical_n(p1, p2, alpha=alpha, deff=design)
        if np.isfinite(crit):
            a = ASSUMED.match(rest)
            assert a, sentence
            assert int(a["crit"].replace(",", "")) == crit == claim["critical_n"]
            assert float(a["level"]) == pytest.approx(100 * alpha)
            shown = "simple random sampling" if design == 1 else f"design effect {design:.3g}"
            assert a["design"] == shown
        else:
            assert word == "no change" and "not significant" in rest


@pytest.mark.parametrize(("batch", "setting"), list(enumerate(BATCHES)))
def test_every_sentence_says_what_the_numbers_say(batch, setting):
    alpha, level, assumed_n, assumed_deff = setting
    rng = np.random.default_rng(20221130 + batch)
    size = CASES // len(BATCHES)
    polls = _random_polls(rng, size, batch)
    result = sk.reanalyse(
        polls, n=[assumed_n], deff=[assumed_deff], confidence_level=level, alpha=alpha,
        robustness=False,
        series=False,
    )  # fmt: skip
    claims = result.claims.set_index("comparison")
    assert len(claims) == size  # one change per series, no between-pollster pairs
    for _, group in polls.groupby("question", sort=False):
        earlier, later = group.iloc[0], group.iloc[1]
        comparison = result.changes.loc[result.changes["poll1"] == later["poll_id"], "comparison"]
        claim = claims.loc[comparison.iloc[0]]
        n1 = later["n"] if pd.notna(later["n"]) else np.nan
        n2 = earlier["n"] if pd.notna(earlier["n"]) else np.nan
        moe1 = later["moe"] if pd.notna(later["moe"]) else np.nan
        moe2 = earlier["moe"] if pd.notna(earlier["moe"]) else np.nan
        # a margin without n gives the n; with n it gives the design effect
        from surveykit.unknowns.margins import n_from_moe

        n1 = float(n_from_moe(moe1)) if np.isnan(n1) and not np.isnan(moe1) else float(n1)
        n2 = float(n_from_moe(moe2)) if np.isnan(n2) and not np.isnan(moe2) else float(n2)
        d1 = _deff_of(float(later["n"]) if pd.notna(later["n"]) else np.nan, moe1)
        d2 = _deff_of(float(earlier["n"]) if pd.notna(earlier["n"]) else np.nan, moe2)
        poll = {
            "p1": float(later["proportion"]),
            "p2": float(earlier["proportion"]),
            "n1": n1,
            "n2": n2,
            "d1": assumed_deff if np.isnan(d1) else d1,
            "d2": assumed_deff if np.isnan(d2) else d2,
            "known": not (np.isnan(n1) or np.isnan(n2)),
        }
        _check_sentence(claim["sentence"], claim, poll, alpha)


def _claim(**changes) -> Claim:
    base = dict(
        comparison="approve (Pew): Jul 2021 → Sep 2021",
        kind="change",
        between_pollsters=False,
        p1=0.44,
        p2=0.55,
        estimate=-0.11,
        direction="decrease",
        basis="published",
        n1=10371.0,
        n2=2000.0,
        deff=1.0,
        alpha=0.05,
        pvalue=1e-20,
        significant=True,
        critical_n=159.0,
        search_limit=2.0**40,
    )
    base.update(changes)
    return Claim(**base)


def test_rendering_of_each_kind_of_claim():
    assert render_claim(_claim()) == (
        "Approve (Pew): Jul 2021 → Sep 2021: 55% → 44%, a decrease of 11.0 points; "
        "significant at the 5% level with the published n (2,000 and 10,371; p < 0.001, "
        "simple random sampling)."
    )
    flat = _claim(p1=0.44, p2=0.43, estimate=0.01, direction="increase", pvalue=0.54,
                  significant=False, critical_n=31460.0)  # fmt: skip
    assert render_claim(flat).endswith(
        "an increase of 1.0 point; not significant at the 5% level with the published n "
        "(2,000 and 10,371; p = 0.54, simple random sampling); it would be significant from "
        "31,460 people per poll."
    )
    between = _claim(between_pollsters=True)
    assert render_claim(between).startswith("Between pollsters (house effects may differ): ")
    adjusted = _claim(adjustment="holm", comparisons=5, pvalue=0.02, pvalue_adjusted=0.1,
                      significant_adjusted=False)  # fmt: skip
    assert (
        "no longer significant after Holm's adjustment for 5 comparisons (adjusted p = 0.10)"
        in render_claim(adjusted)
    )


def test_a_lead_is_a_tie_only_when_the_equivalence_test_says_so():
    lead = _claim(
        comparison="Gallup Aug 2021: approve vs disapprove", kind="lead", p1=0.49, p2=0.48,
        estimate=0.01, direction="lead", n1=4000.0, n2=4000.0, pvalue=0.4,
        significant=False, tie=True, tie_margin=0.03, tie_pvalue=0.01,
    )  # fmt: skip
    text = render_claim(lead)
    assert "approve leads disapprove by 1.0 point (49% to 48%)" in text
    assert "a statistical tie within ±3 points (equivalence p = 0.010)" in text
    unsure = _claim(**{**lead.__dict__, "tie": False})
    assert "inconclusive: a tie within ±3 points is not shown either" in render_claim(unsure)
