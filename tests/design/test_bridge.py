"""Proportions from microdata become poll figures the rest of surveykit takes directly."""

from __future__ import annotations

import numpy as np
import pytest
from design_data import make_design
from numpy.testing import assert_allclose

import surveykit as sk


def test_to_polls_keeps_the_design_based_se():
    result = make_design("clus1").proportion("yes", by="stype")
    polls = result.to_polls(fieldwork_end="2000")
    assert list(polls["poll_id"]) == [
        "survey microdata stype=E",
        "survey microdata stype=H",
        "survey microdata stype=M",
    ]
    assert (polls["n_status"] == "published").all()
    p, n, deff = polls["proportion"], polls["n"].astype(float), polls["deff"]
    assert_allclose(np.sqrt(p * (1 - p) * deff / n), result.se, rtol=1e-12)
    assert_allclose(polls["n_eff"], result.n_eff)


def test_polls_feed_the_tests_and_the_reanalysis():
    polls = make_design("strat").proportion("yes", by="stype").to_polls()
    e, h = polls.iloc[0], polls.iloc[1]
    test = sk.two_proportion_test(
        e["proportion"], int(e["n"]), h["proportion"], int(h["n"]), deff=float(e["deff"])
    )
    assert 0 <= test.pvalue <= 1
    critical = sk.critical_deff(e["proportion"], int(e["n"]), h["proportion"], int(h["n"]))
    assert critical > 0
    analysis = sk.reanalyse(polls, deff=[1.0, float(polls["deff"].max())])
    assert len(analysis.to_frame() if hasattr(analysis, "to_frame") else analysis.critical) > 0


def test_categorical_shares_become_options_of_one_question():
    polls = make_design("srs").proportion("stype").to_polls(question="school type")
    assert list(polls["option"]) == ["E", "H", "M"]
    assert_allclose(polls["proportion"].sum(), 1.0)
    assert (polls["question"] == "school type").all()


def test_reanalysis_uses_the_microdata_design_effect_and_says_so():
    polls = make_design("clus1").proportion("stype").to_polls(question="school type")
    analysis = sk.reanalyse(polls, deff=[2.0], n=[400], robustness=False)
    lead = analysis.gaps.iloc[0]
    # the design effect of the leading option's own estimate, not the assumed 2.0
    leader = polls.set_index("option").loc[lead["option1"]]
    assert_allclose(lead["deff_poll"], leader["deff"], rtol=1e-12)
    notes = analysis.polls["design_note"]
    assert notes.str.contains("from the survey's own design \\(microdata").all()


def test_a_share_fixed_by_the_design_is_refused_by_name():
    # the share of each stratum in a stratified design has no sampling error: deff 0
    polls = make_design("strat").proportion("stype").to_polls(question="school type")
    with pytest.raises(sk.SurveyKitError, match=r"deff"):
        sk.reanalyse(polls, robustness=False)
