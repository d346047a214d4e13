"""Proportions from microdata become poll figures the rest of surveykit takes directly."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

import surveykit as sk
from tests.design.conftest import make_design


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
