"""``surveykit trend`` and ``surveykit survey``: numbers equal the library's (and R's).

The trend's numbers are those of :func:`surveykit.poll_trend` on the same polls; the
survey's are R's survey package, from ``tests/reference/design_R.csv`` (written by
``tests/reference/design.R``): the stratified design of ``apistrat``,
``svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import surveykit as sk
from surveykit.cli.main import main

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
TALKS = [
    "--option",
    "start peace talks",
    "--question",
    "Continue military actions or move to peace negotiations?",
    "--question",
    "Continue the special military operation or move to peace negotiations?",
    "--assumed-n",
    "1600",
]


def _usage_error(capsys, argv, *fragments):
    """Exit 2 with one line on stderr holding every fragment, nothing on stdout."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err
    assert captured.out == ""
    return err


# ---------------------------------------------------------------------------- trend
@pytest.fixture(scope="module")
def talks_fit():
    polls = sk.load_dataset("russia_war_polls")
    rows = polls[
        polls.pollster.isin(["Levada Center", "Russian Field"])
        & (polls.option == "start peace talks")
    ]
    return sk.poll_trend(
        rows, question=list(rows.question.unique()), option="start peace talks", assumed_n=1600
    )


def test_trend_json_equals_the_library(capsys, talks_fit):
    assert main(["trend", "russia_war_polls", *TALKS, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["option"] == "start peace talks" and record["polls"] == 19
    assert record["identification"] == "sum-zero"
    assert_allclose(record["sigma"], talks_fit.sigma, rtol=1e-12)
    houses = pd.DataFrame(record["house_effects"]).set_index("pollster")
    expected = talks_fit.house_effects
    assert list(houses.index) == list(expected.index)
    for column in ("estimate", "se", "ci_low", "ci_high"):
        assert_allclose(houses[column], expected[column], rtol=1e-12, atol=1e-15)
    trend = pd.DataFrame(record["trend"])
    assert len(trend) == len(talks_fit.trend)
    assert_allclose(trend["estimate"], talks_fit.trend["estimate"], rtol=1e-12)


def test_trend_csv_is_every_day(capsys, talks_fit):
    assert main(["trend", "russia_war_polls", *TALKS, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(captured.out))
    assert list(frame.columns) == [
        "option",
        "date",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "polls",
    ]
    assert len(frame) == len(talks_fit.trend)
    assert_allclose(frame["ci_high"], talks_fit.trend["ci_high"], rtol=1e-12)
    assert "house effects" in captured.err


def test_trend_table_shows_fit_house_effects_and_poll_days(capsys, talks_fit):
    assert main(["trend", "russia_war_polls", *TALKS]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trend of 'start peace talks': 19 polls of 2 pollster(s)")
    assert f"sigma = {talks_fit.sigma:.4g} a day" in out
    levada = 100 * talks_fit.house_effects.loc["Levada Center", "estimate"]
    assert f"Levada Center  {levada:+.1f} pp" in out
    last = talks_fit.trend[talks_fit.trend["polls"] > 0].iloc[-1]
    assert f"{last.name:%Y-%m-%d}    {100 * last['estimate']:.1f}%" in out


def test_trend_with_elections_as_anchors_is_jackmans_fit(capsys):
    aus = sk.load_dataset("australia_2004_2007")
    alp = aus[aus.option == "ALP"]
    results = alp[alp["mode"] == "election"]
    fit = sk.poll_trend(
        alp[alp["mode"] != "election"],
        option="ALP",
        assumed_n=1450.543,
        anchors=dict(zip(results.fieldwork_end, results.proportion, strict=True)),
    )
    argv = ["trend", "australia_2004_2007", "--option", "ALP", "--assumed-n", "1450.543"]
    assert main([*argv, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["identification"] == "free"
    houses = pd.DataFrame(record["house_effects"]).set_index("pollster")
    assert_allclose(houses["estimate"], fit.house_effects["estimate"], rtol=1e-12)
    assert main([*argv, "--house-effects", "Newspoll", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["identification"] == "Newspoll"
    assert pd.DataFrame(record["house_effects"]).set_index("pollster").loc[
        "Newspoll", "estimate"
    ] == pytest.approx(0, abs=1e-12)


def test_trend_pollster_picks_the_series(capsys, talks_fit):
    argv = [
        "trend",
        "russia_war_polls",
        "--option",
        "start peace talks",
        "--pollster",
        "Levada Center",
        "--pollster",
        "Russian Field",
        "--question",
        "Continue military actions or move to peace negotiations?",
        "--question",
        "Continue the special military operation or move to peace negotiations?",
        "--assumed-n",
        "1600",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    assert_allclose(json.loads(capsys.readouterr().out)["sigma"], talks_fit.sigma, rtol=1e-12)


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["trend", "no-such-data"], ["FILE|DATASET 'no-such-data'", "pass a poll file"]),
        (["trend", "russia_war_polls"], ["hold 6 questions", "--question", "repeat it"]),
        (
            [
                "trend",
                "russia_war_polls",
                "--question",
                "Continue military actions or move to peace negotiations?",
            ],
            ["2 options", "--option", "'start peace talks'"],
        ),
        (["trend", "russia_war_polls", "--option", "peace"], ["--option 'peace' is not in"]),
        (["trend", "russia_war_polls", "--pollster", "Levda"], ["--pollster 'Levda'", "choose"]),
        (TALKS[:6], ["neither n nor a margin of error", "--assumed-n 1000"]),
        (
            [*TALKS, "--house-effects", "Levda"],
            ["--house-effects 'Levda'", "choose sum-zero, free or one of", "'Levada Center'"],
        ),
        (
            [*TALKS, "--assumed-n", "0"],
            ["--assumed-n", "must be a positive, finite number, got '0'"],
        ),
        (
            [
                "russia_war_polls",
                "--option",
                "continue military action",
                "--question",
                "Continue military actions or move to peace negotiations?",
                "--question",
                "Favour peace talks with Ukraine or continuing the war? (exact wording not "
                "published)",
                "--assumed-n",
                "1600",
            ],
            ["sum-zero needs at least two polls per pollster", "--pollster", "--house-effects"],
        ),
    ],
)
def test_trend_usage_errors_exit_2_with_one_line(capsys, argv, fragments):
    argv = argv if argv[0] == "trend" else ["trend", *argv]
    if argv[1] == "--option":  # TALKS[:6] and friends: the data first
        argv = ["trend", "russia_war_polls", *argv[1:]]
    _usage_error(capsys, argv, *fragments)


def test_trend_from_a_poll_file(tmp_path, capsys, talks_fit):
    polls = sk.load_dataset("russia_war_polls")
    path = tmp_path / "polls.csv"
    polls.to_csv(path, index=False)
    argv = ["trend", str(path), *TALKS, "--format", "json"]
    assert main(argv) == 0
    assert_allclose(json.loads(capsys.readouterr().out)["sigma"], talks_fit.sigma, rtol=1e-12)


# ---------------------------------------------------------------------------- survey
@pytest.fixture
def apistrat(tmp_path):
    """apistrat.csv (R's api data) with its design in a JSON file of the sidecar format."""
    shutil.copy(REFERENCE / "data" / "apistrat.csv", tmp_path / "apistrat.csv")
    design = {"strata": "stype", "weights": "pw", "fpc": "fpc"}
    (tmp_path / "design.json").write_text(json.dumps(design), encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def r_strat():
    frame = pd.read_csv(REFERENCE / "design_R.csv", keep_default_na=False)
    return frame[frame["design"] == "strat"]


def _r(r_strat, call, name, domain=""):
    row = r_strat[(r_strat["call"] == call) & (r_strat["name"] == name)]
    row = row[row["domain"] == domain]
    assert len(row) == 1, (call, name, domain)
    return row.iloc[0]


def test_survey_mean_and_proportion_equal_r(apistrat, capsys, r_strat):
    argv = ["survey", str(apistrat / "apistrat.csv"), "--design", str(apistrat / "design.json")]
    assert main([*argv, "--mean", "api00", "--proportion", "sch.wide", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    mean = frame[frame["variable"] == "api00"].iloc[0]
    # svymean(~api00, d, na.rm = FALSE, deff = TRUE); confint(..., df = degf(d))
    r = _r(r_strat, "svymean(~api00, d, na.rm = FALSE, deff = TRUE)", "api00")
    for column in ("estimate", "se", "deff", "df", "ci_low", "ci_high"):
        assert_allclose(mean[column], float(r[column]), rtol=1e-9)
    share = frame[(frame["variable"] == "sch.wide") & (frame["level"] == "Yes")].iloc[0]
    # svyciprop(~I(sch.wide == "Yes"), d, method = "logit")
    r = _r(r_strat, 'svyciprop(~I(sch.wide == "Yes"), d, method = "logit")', "sch.wide==Yes")
    for column in ("estimate", "se", "ci_low", "ci_high"):
        assert_allclose(share[column], float(r[column]), rtol=1e-9)


def test_survey_by_domain_equals_r(apistrat, capsys, r_strat):
    argv = ["survey", str(apistrat / "apistrat.csv"), "--design", str(apistrat / "design.json")]
    assert main([*argv, "--proportion", "sch.wide", "--by", "stype", "--format", "json"]) == 0
    records = pd.DataFrame(json.loads(capsys.readouterr().out))
    call = (
        'svyby(~I(sch.wide == "Yes"), ~stype, d, svyciprop, method = "beta", '
        'vartype = c("se", "ci"))'
    )
    assert (
        main(
            [
                *argv,
                "--proportion",
                "sch.wide",
                "--by",
                "stype",
                "--method",
                "beta",
                "--format",
                "json",
            ]
        )
        == 0
    )
    beta = pd.DataFrame(json.loads(capsys.readouterr().out))
    for stype in ("E", "H", "M"):
        r = _r(r_strat, call, "sch.wide==Yes", f"stype={stype}")
        row = beta[(beta["stype"] == stype) & (beta["level"] == "Yes")].iloc[0]
        for column in ("estimate", "se", "ci_low", "ci_high", "df"):
            assert_allclose(row[column], float(r[column]), rtol=1e-9)
        logit = records[(records["stype"] == stype) & (records["level"] == "Yes")].iloc[0]
        assert_allclose(logit["estimate"], row["estimate"], rtol=1e-9)


def test_survey_table_shows_means_as_numbers_and_shares_as_percentages(apistrat, capsys):
    (apistrat / "apistrat.design.json").write_text(
        json.dumps({"strata": "stype", "weights": "pw", "fpc": "fpc"}), encoding="utf-8"
    )
    argv = [
        "survey",
        str(apistrat / "apistrat.csv"),
        "--mean",
        "api00",
        "--proportion",
        "sch.wide",
    ]
    assert main(argv) == 0  # the sidecar beside the data
    out = capsys.readouterr().out
    assert "mean of 'api00', 95% intervals" in out and "662.287" in out
    assert "proportion of 'sch.wide'" in out and "82.8%" in out and "77.5%" in out


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        ([], ["give --mean VAR or --proportion VAR"]),
        (["--mean", "api0"], ["--mean 'api0' is not a column", "choose from"]),
        (["--mean", "api00", "--by", "styp"], ["--by 'styp' is not a column"]),
        (
            ["--proportion", "sch.wide", "--method", "wilson"],
            ["--method must be one of", "'beta'"],
        ),
        (["--mean", "enroll", "--design", "nope.json"], ["--design 'nope.json': no such file"]),
        (["--mean", "enroll", "--design", "bad.json"], ["has unknown key 'cluster'", "psu"]),
        (["--mean", "enroll", "--design", "wrong.json"], ["the design does not fit the data"]),
        (["--mean", "enroll", "--confidence-level", "2"], ["--confidence-level", "0.95 or 95%"]),
    ],
)
def test_survey_usage_errors_exit_2_with_one_line(apistrat, capsys, monkeypatch, extra, fragments):
    monkeypatch.chdir(apistrat)
    (apistrat / "bad.json").write_text('{"cluster": "dnum"}', encoding="utf-8")
    (apistrat / "wrong.json").write_text('{"strata": "region"}', encoding="utf-8")
    design = [] if "--design" in extra else ["--design", "design.json"]
    _usage_error(capsys, ["survey", "apistrat.csv", *design, *extra], *fragments)


def test_survey_without_a_design_says_how_to_give_one(apistrat, capsys, monkeypatch):
    monkeypatch.chdir(apistrat)
    _usage_error(capsys, ["survey", "apistrat.csv", "--mean", "api00"], "--design", "{}")
    _usage_error(capsys, ["survey", "missing.csv", "--mean", "api00"], "FILE 'missing.csv'")


@pytest.mark.parametrize("flag", ["trend --help", "survey --help"])
def test_subcommand_help_loads_no_numerics(flag):
    home = str(Path(sk.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([home, os.environ.get("PYTHONPATH", "")])}
    code = (
        "import io, sys, contextlib\n"
        "from surveykit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    status = main({flag.split()!r})\n"
        "heavy = {'numpy', 'pandas', 'scipy', 'matplotlib'}\n"
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & heavy), "
        "'%%' in out.getvalue())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["0", "[]", "False"]
