"""The report's "Poll series" section: each sentence says what its result's numbers say.

The numbers themselves are checked against an independent call of the library (the fit
of Levada's and Russian Field's polls, Levada's unknown sizes at 1,600, whose check and
change are tested against R in tests/series/test_poll_check.py).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import surveykit as sk
from surveykit.report.series import series_blocks, series_findings
from surveykit.series import PollCheck, TrendChange

FSO = "FSO (Kremlin-commissioned, leaked via Meduza)"


@pytest.fixture(scope="module")
def polls():
    return sk.load_dataset("russia_war_polls")


@pytest.fixture(scope="module")
def sections(polls):
    return {s.option: s for s in series_findings(polls)}


@pytest.fixture(scope="module")
def talks_trend(polls):
    rows = polls[
        polls.pollster.isin(["Levada Center", "Russian Field"])
        & (polls.option == "start peace talks")
    ]
    return sk.poll_trend(
        rows, question=list(rows.question.unique()), option="start peace talks", assumed_n=1600
    )


def _percentages(sentence):
    return re.findall(r"(\d+\.\d)%", sentence)


def _pvalues(sentence):
    return re.findall(r"p (= [0-9.]+|< 0\.001) at n = ([0-9,]+)", sentence)


def _shown_p(p):
    return "< 0.001" if p < 0.001 else f"= {p:.2f}" if p >= 0.1 else f"= {p:.3f}"


def test_only_options_with_two_fitted_pollsters_qualify(sections):
    # 'support military operation': only Levada has three polls or more
    assert sorted(sections) == ["continue military action", "start peace talks"]
    for section in sections.values():
        assert list(section.trend.house_effects.index) == ["Levada Center", "Russian Field"]
        assert all(f.pollster == FSO for f in section.findings)
    kinds = [f.kind for f in sections["start peace talks"].findings]
    assert kinds == ["check", "check", "change"]
    assert [f.kind for f in sections["continue military action"].findings] == ["check"]


def test_the_results_are_the_librarys(sections, talks_trend, polls):
    section = sections["start peace talks"]
    assert_allclose(section.trend.sigma, talks_trend.sigma, rtol=1e-12)
    talks = polls[polls.option == "start peace talks"]
    november = talks[talks.poll_id == "fso-2022-11"]
    july = talks[talks.poll_id == "fso-2022-07"]
    check = talks_trend.check(november, n=[400, 1600])
    change = talks_trend.compare_change(november, july, n1=[400, 1600], n2=[400, 1600])
    found = {f.result.poll_id: f.result for f in section.findings if f.kind == "check"}
    assert_allclose(found["fso-2022-11"].pvalue, check.pvalue, rtol=1e-12)
    (changed,) = [f.result for f in section.findings if f.kind == "change"]
    assert (changed.p1, changed.p2) == (0.55, 0.32)  # the later poll first
    assert_allclose(changed.pvalue, change.pvalue, rtol=1e-12)
    assert_allclose(changed.estimate, change.estimate, rtol=1e-12)


def test_each_check_sentence_states_its_results_numbers(sections):
    for section in sections.values():
        for finding in (f for f in section.findings if f.kind == "check"):
            check, sentence = finding.result, finding.sentence
            assert isinstance(check, PollCheck)
            assert sentence.startswith(f"{check.poll_id}, a poll of {FSO} in {check.date:%B %Y}")
            shown = [f"{100 * v:.1f}" for v in (check.proportion, check.expected, check.estimate)]
            assert _percentages(sentence) == shown
            side = "above" if check.proportion > check.expected else "below"
            assert f"'{section.option}', {side} the" in sentence
            assert _pvalues(sentence) == [
                (_shown_p(p), f"{n:,.0f}") for n, p in zip(check.n, check.pvalue, strict=True)
            ]
            in_line = bool(np.all(check.pvalue >= 0.05))
            assert ("in line with the series at every n shown" in sentence) == in_line
            assert ("out of line" in sentence) == (not in_line)


def test_the_change_sentence_states_its_results_numbers(sections):
    (finding,) = [f for f in sections["start peace talks"].findings if f.kind == "change"]
    change, sentence = finding.result, finding.sentence
    assert isinstance(change, TrendChange)
    assert _percentages(sentence) == [f"{100 * change.p2:.1f}", f"{100 * change.p1:.1f}"]
    assert "rose from 32.0% to 55.0% (July → November 2022" in sentence
    points = re.findall(r"([+-]\d+\.\d) points", sentence)
    expected = (change.poll_change, change.trend_change, change.estimate[0])
    assert points == [f"{100 * v:+.1f}" for v in expected]
    assert_allclose(change.estimate, change.poll_change - change.trend_change, rtol=1e-12)
    more = abs(change.poll_change) > abs(change.trend_change) and change.trend_change > 0
    assert ("more than the trend of Levada Center and Russian Field rose" in sentence) == more
    assert [(p, n) for p, n in _pvalues(sentence)] == [
        (_shown_p(p), f"{n:,.0f}") for n, p in zip(change.n1, change.pvalue, strict=True)
    ]
    assert "per poll" in sentence
    significant = bool(np.all(change.pvalue < 0.05))
    assert ("unlikely by chance at the 5% level at every n shown" in sentence) == significant


def test_blocks_hold_headings_fit_house_effects_and_sentences(polls, sections):
    blocks = series_blocks(polls, level=3)
    assert blocks[0] == ("h", 3, "Poll series")
    headings = [b[2] for b in blocks if b[0] == "h" and b[1] == 4]
    assert headings == ["continue military action", "start peace talks"]
    sentences = [b[1] for b in blocks if b[0] == "p"]
    for section in sections.values():
        assert section.sentence in sentences
        assert f"sigma = {100 * section.trend.sigma:.2f} points a day" in section.sentence
        assert all(f.sentence in sentences for f in section.findings)
    tables = [b for b in blocks if b[0] == "table"]
    assert len(tables) == 2
    frame, caption = tables[1][1], tables[1][2]
    assert caption == "House effects: start peace talks"
    houses = sections["start peace talks"].trend.house_effects
    assert frame["house effect (points)"].tolist() == [
        f"{100 * v:+.1f}" for v in houses["estimate"]
    ]
    assert frame["polls"].tolist() == houses["polls"].tolist()


def test_nothing_qualifies_gives_no_blocks(polls):
    assert series_blocks(sk.load_dataset("kremlin_fso_2022"), level=2) == []
    levada = polls[polls.pollster == "Levada Center"]
    assert series_blocks(levada, level=2) == []
    assert series_blocks(polls.iloc[:0], level=2) == []


def test_published_sizes_are_used_as_published(polls):
    """A held-out poll with a published n is checked at that n only."""
    extra = polls[polls.poll_id == "fso-2022-11"].copy()
    extra["poll_id"], extra["pollster"], extra["n"] = "other-2022-11", "Other", 1000
    extra["n_status"] = "published"
    findings = {
        f.result.poll_id: f
        for s in series_findings(pd.concat([polls, extra], ignore_index=True))
        for f in s.findings
        if f.kind == "check"
    }
    check = findings["other-2022-11"].result
    assert check.n == 1000 and np.ndim(check.pvalue) == 0
    assert f"(p = {check.pvalue:.2f} at n = 1,000)" in findings["other-2022-11"].sentence
