"""compare and sensitivity compare only like with like; every option is honoured or refused
(issue 12, item 1), and --n takes one value for all or one per poll (issue 11, item 9)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import surveykit as sk
from surveykit.cli.main import main


def _run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err.strip()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        # two options of different polls: the choice of option is ambiguous
        (["compare", "--data", "kremlin_fso_2022", "--n", "800"], "pick it with --option"),
        (["sensitivity", "--data", "kremlin_fso_2022", "--n", "100"], "pick it with --option"),
        # figures from different questions
        (["compare", "--data", "russia_war_polls", "--n", "800"], "pick one with --question"),
        # --within across two polls
        (
            [
                "compare",
                "--data",
                "kremlin_fso_2022",
                "--option",
                "start peace talks",
                "--n",
                "800",
                "--within",
            ],
            "come from two polls",
        ),
        # two options of one poll without --within
        (
            ["compare", "--data", "kremlin_fso_2022", "--poll", "fso-2022-11", "--n", "800"],
            "add --within",
        ),
        # methods that --within cannot honour
        (
            ["compare", "55%", "32%", "--n", "800", "--within", "--method", "fisher"],
            "--method must be one of 'wald', 'score' with --within",
        ),
        (
            ["compare", "55%", "32%", "--n", "800", "--within", "--ci-method", "newcombe"],
            "--ci-method must be one of 'wald', 'score' with --within",
        ),
        (
            ["sensitivity", "55%", "32%", "--within", "--method", "fisher"],
            "--method must be one of 'wald', 'score' with --within",
        ),
        (["compare", "55%", "32%", "--n", "800", "--method", "wald"], "--method must be one of"),
        # --question and --option must exist
        (["compare", "--data", "kremlin_fso_2022", "--question", "x"], "--question 'x' is not"),
        (["ci", "--question", "x", "55%"], "give --data too"),
    ],
)
def test_ambiguous_or_unlike_figures_exit_2_listing_the_choices(capsys, argv, message):
    status, out, err = _run(capsys, argv)
    assert status == 2
    assert message in err
    assert len(err.splitlines()) == 1 and out == ""


def test_option_choices_are_listed(capsys):
    _, _, err = _run(capsys, ["compare", "--data", "kremlin_fso_2022", "--n", "800"])
    assert "'start peace talks'" in err and "'continue military action'" in err


def test_question_choices_are_listed_and_picking_one_works(capsys):
    _, _, err = _run(capsys, ["compare", "--data", "russia_war_polls", "--n", "800"])
    question = "Continue military actions or move to peace negotiations?"
    assert repr(question) in err
    argv = ["compare", "--data", "russia_war_polls", "--question", question]
    argv += ["--option", "start peace talks", "--poll", "levada-2022-08"]
    argv += ["--poll", "levada-2022-10", "--format", "json"]
    status, out, err = _run(capsys, argv)
    assert status == 0, err
    (record,) = json.loads(out)
    # the later poll first; both sizes published, so no --n is needed
    assert record["comparison"] == (
        "levada-2022-10: start peace talks - levada-2022-08: start peace talks"
    )
    test = sk.two_proportion_test(0.57, 1604, 0.44, 1612)
    assert record["pvalue"] == pytest.approx(test.pvalue, rel=1e-12)
    assert record["n1"] == 1604 and record["n2"] == 1612


def test_within_from_data_takes_the_leading_option_first(capsys):
    argv = ["compare", "--data", "kremlin_fso_2022", "--poll", "fso-2022-11", "--within"]
    status, out, err = _run(capsys, [*argv, "--n", "800", "--format", "json"])
    assert status == 0, err
    (record,) = json.loads(out)
    assert record["comparison"].startswith("fso-2022-11: start peace talks - ")
    ci = sk.option_difference_ci(0.55, 0.25, 800)
    test = sk.option_difference_test(0.55, 0.25, 800)
    assert record["estimate"] == pytest.approx(0.30)
    assert record["ci_low"] == pytest.approx(ci.ci_low, rel=1e-12)
    assert record["pvalue"] == pytest.approx(test.pvalue, rel=1e-12)
    assert record["method"] == "wald" and record["ci_method"] == "wald"


def test_within_honours_the_score_methods(capsys):
    argv = ["compare", "55%", "25%", "--n", "100", "--within", "--format", "json"]
    status, out, _ = _run(capsys, [*argv, "--method", "score", "--ci-method", "score"])
    assert status == 0
    (record,) = json.loads(out)
    ci = sk.option_difference_ci(0.55, 0.25, 100, method="score")
    test = sk.option_difference_test(0.55, 0.25, 100, method="score")
    assert record["method"] == "score" and record["ci_method"] == "score"
    assert record["ci_high"] == pytest.approx(ci.ci_high, rel=1e-12)
    assert record["pvalue"] == pytest.approx(test.pvalue, rel=1e-12)


def test_between_polls_honours_both_methods(capsys):
    argv = ["compare", "55%", "32%", "--n", "800", "--format", "json"]
    status, out, _ = _run(capsys, [*argv, "--method", "fisher", "--ci-method", "wald"])
    assert status == 0
    (record,) = json.loads(out)
    assert record["method"] == "fisher" and record["ci_method"] == "wald"
    ci = sk.difference_ci(0.55, 800, 0.32, 800, method="wald")
    assert record["ci_low"] == pytest.approx(ci.ci_low, rel=1e-12)


def test_sensitivity_from_data_picks_one_option(capsys):
    argv = ["sensitivity", "--data", "kremlin_fso_2022", "--option", "start peace talks"]
    status, out, err = _run(capsys, [*argv, "--n", "100", "--format", "csv"])
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert frame["p1"].tolist() == [0.55] and frame["p2"].tolist() == [0.32]
    assert frame["significant"].tolist() == [True]


def test_sensitivity_without_n_uses_the_default_grid(capsys):
    from surveykit.reanalysis.analysis import DEFAULT_NS
    from surveykit.unknowns.sensitivity import sensitivity

    status, out, err = _run(capsys, ["sensitivity", "32%", "55%", "--format", "csv"])
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert frame["n1"].tolist() == list(DEFAULT_NS)
    expected = sensitivity(0.32, 0.55, n1=list(DEFAULT_NS))
    pd.testing.assert_series_equal(frame["pvalue"], expected["pvalue"], rtol=1e-12)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", ["compare", "sensitivity"])
def test_verdict_column_in_every_format(capsys, fmt, command):
    status, out, _ = _run(capsys, [command, "55%", "52%", "--n", "100", "--format", fmt])
    assert status == 0
    assert "significant" in out
    if fmt == "json":
        assert json.loads(out)[0]["significant"] is False


# ------------------------------------------------------------------ --n per poll
def test_n_one_per_poll_in_the_order_shown(capsys):
    argv = ["compare", "55%", "32%", "--n", "800", "600", "--format", "json"]
    status, out, _ = _run(capsys, argv)
    assert status == 0
    (record,) = json.loads(out)
    assert (record["n1"], record["n2"]) == (800, 600)
    test = sk.two_proportion_test(0.55, 800, 0.32, 600)
    assert record["pvalue"] == pytest.approx(test.pvalue, rel=1e-12)


def test_n_per_poll_from_data_fills_only_the_unknown_ones(capsys):
    argv = ["ci", "--data", "russia_war_polls", "--option", "start peace talks", "--poll"]
    argv = [*argv[:-1], "--poll", "levada-2022-08", "--poll", "levada-2022-09"]
    argv += ["--poll", "levada-2022-11", "--n", "1,600", "1_500", "--format", "json"]
    status, out, err = _run(capsys, argv)
    assert status == 0, err
    records = json.loads(out)
    assert [r["n"] for r in records] == [1612, 1600, 1500]
    assert [r["n_status"] for r in records] == ["published", "assumed", "assumed"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "55%", "32%", "--n", "1", "2", "3"], "--n got 3 values, but 2 poll(s)"),
        (["compare", "55/100", "32/100", "--n", "800"], "--n is not needed"),
        (["ci", "55%", "--n", "1,5"], "argument --n: must be a number, got '1,5'"),
        (["ci", "55%", "--n", "100.5"], "whole number of respondents"),
        (["sensitivity", "55%", "32%", "--n", "1,600"], "'1,600' is ambiguous"),
        (["report", "--n", "400,800"], "write 400800 for one value, or 400 800"),
    ],
)
def test_n_refusals(capsys, argv, message):
    status, _, err = _run(capsys, argv)
    assert status == 2
    assert message in err and len(err.splitlines()) == 1


def test_n_with_thousands_separator_is_one_number(capsys):
    status, out, _ = _run(capsys, ["ci", "55%", "--n", "1,600", "--format", "json"])
    assert status == 0
    assert json.loads(out)[0]["n"] == 1600


# ------------------------------------------------------------- ci --data, unknown n
def test_ci_data_skips_polls_without_n_with_a_note(capsys):
    argv = ["ci", "--data", "russia_war_polls", "--option", "start peace talks"]
    argv += ["--poll", "levada-2022-08", "--poll", "levada-2022-09", "--format", "csv"]
    status, out, err = _run(capsys, argv)
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert frame["figure"].tolist() == ["levada-2022-08: start peace talks"]
    assert err.startswith("surveykit: note: skipped 1 poll(s)") and "'levada-2022-09'" in err
    assert "--n" in err and len(err.splitlines()) == 1


def test_ci_data_without_any_n_names_the_polls(capsys):
    status, _, err = _run(capsys, ["ci", "--data", "kremlin_fso_2022"])
    assert status == 2
    assert "'fso-2022-07', 'fso-2022-11'" in err and "pass --n N" in err
