"""The command line end to end: the report, its numbers, refusals and usage errors."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.cli.main import main, parse_figure


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def default_report(tmp_path_factory):
    """`surveykit report` with no arguments, run once in an empty folder."""
    folder = tmp_path_factory.mktemp("report")
    old = os.getcwd()
    os.chdir(folder)
    try:
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = main(["report"])
    finally:
        os.chdir(old)
    return status, out.getvalue(), folder / "surveykit-report"


def test_report_writes_every_file(default_report):
    status, _, out = default_report
    assert status == 0
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "report.md", "intervals.png", "sensitivity.png"} <= names
    assert {"intervals.csv", "changes.csv", "gaps.csv", "critical.csv"} <= names
    assert (out / "intervals.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_html_is_self_contained(default_report):
    html = (default_report[2] / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in html
    # no external resources: no scripts, stylesheets or images fetched from elsewhere
    assert "<script" not in html
    assert "<link" not in html
    assert 'src="http' not in html
    assert "@import" not in html
    # provenance and reproducibility
    assert "meduza" in html
    assert "unknown" in html
    assert f"surveykit {sk.__version__}" in html
    assert "surveykit report" in html


def test_report_numbers_equal_the_library(default_report):
    _, printed, out = default_report
    intervals = pd.read_csv(out / "intervals.csv")
    july = intervals[(intervals.poll_id == "fso-2022-07") & (intervals.deff == 1.0)]
    ci = sk.proportion_ci(0.32, july["n"].to_numpy())
    np.testing.assert_allclose(july["ci_low"], ci.ci_low, rtol=1e-12)
    np.testing.assert_allclose(july["ci_high"], ci.ci_high, rtol=1e-12)
    assert sorted(intervals["assumed_n"].unique()) == [400, 800, 1600, 3000]
    assert sorted(intervals["deff"].unique()) == [1.0, 1.5, 2.0]
    assert len(intervals) == 3 * 4 * 3

    changes = pd.read_csv(out / "changes.csv")
    test = sk.two_proportion_test(0.55, changes["n1"], 0.32, changes["n2"], deff=changes["deff"])
    np.testing.assert_allclose(changes["pvalue"], test.pvalue, rtol=1e-12)
    np.testing.assert_allclose(changes["estimate"], 0.23, rtol=1e-12)
    diff = sk.difference_ci(0.55, changes["n1"], 0.32, changes["n2"], deff=changes["deff"])
    np.testing.assert_allclose(changes["ci_low"], diff.ci_low, rtol=1e-12)

    gaps = pd.read_csv(out / "gaps.csv")
    lead = sk.option_difference_ci(0.55, 0.25, gaps["n"], deff=gaps["deff"])
    np.testing.assert_allclose(gaps["ci_high"], lead.ci_high, rtol=1e-12)

    critical = pd.read_csv(out / "critical.csv")
    change = critical[critical.kind == "change"].set_index("deff")["critical_n"]
    assert change[1.0] == 36 and change[2.0] == 72
    lead_n = critical[critical.kind == "lead"].set_index("deff")["critical_n"]
    assert lead_n[1.0] == sk.critical_n(0.55, 0.25, within=True)

    # the printed summary and the HTML show the same numbers
    html = (out / "report.html").read_text(encoding="utf-8")
    july400 = f"{100 * ci.ci_low[0]:.1f}–{100 * ci.ci_high[0]:.1f}%"
    assert july400 in printed and july400 in html
    verdict = "at least 36 people were asked per poll"
    assert verdict in printed and verdict in html


def test_report_refuses_to_overwrite_and_leaves_files_untouched(workdir, capsys):
    out = workdir / "out"
    out.mkdir()
    (out / "report.html").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["report", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "refusing to overwrite" in err and "--force" in err
    assert (out / "report.html").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.html"]
    assert main(["report", "--out", str(out), "--force"]) == 0
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_report_options(workdir, capsys):
    status = main(
        [
            "report",
            "--data",
            "russia_war_polls",
            "--n",
            "500,1000",
            "--deff",
            "1",
            "2",
            "--confidence-level",
            "90%",
            "--out",
            "levada",
        ]
    )
    assert status == 0
    intervals = pd.read_csv(workdir / "levada" / "intervals.csv")
    assert set(intervals["confidence_level"]) == {0.9}
    assert set(intervals["assumed_n"].dropna()) == {500, 1000}
    # published sample sizes are used as published
    levada = intervals[intervals.poll_id == "levada-2022-08"]
    assert set(levada["n"]) == {1612}
    assert (workdir / "levada" / "trend.png").exists()


def test_report_from_a_csv_file(workdir):
    path = workdir / "mine.csv"
    path.write_text(
        "pollster,fieldwork_end,question,option,share_pct,n\n"
        "A,2024-01,q,yes,40,1000\nA,2024-02,q,yes,45,\n",
        encoding="utf-8",
    )
    assert main(["report", "--data", str(path), "--out", "r"]) == 0
    changes = pd.read_csv(workdir / "r" / "changes.csv")
    assert set(changes["n2"]) == {1000}
    assert set(changes["n2_status"]) == {"published"}
    assert set(changes["n1_status"]) == {"assumed"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--n", "-5"], "--n must be positive, finite numbers"),
        (["report", "--n", "12.5"], "--n must be whole numbers"),
        (["report", "--deff", "abc"], "--deff must be numbers"),
        (["report", "--data", "nope"], "neither a shipped dataset"),
        (["report", "--confidence-level", "150%"], "--confidence-level"),
        (["report", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice"),
        (["ci", "55"], "above 1"),
        (["ci", "55%"], "no sample size"),
        (["ci", "55%", "--n", "100", "--method", "wilsn"], "method must be one of"),
        (["compare", "55%", "32%"], "pass --n N to assume one"),
    ],
)
def test_bad_usage_exits_2_with_one_line(workdir, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert not (workdir / "surveykit-report").exists()


def test_ci_json_prints_the_wilson_interval(capsys):
    assert main(["ci", "55%", "--n", "1600", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    ci = sk.proportion_ci(0.55, 1600)
    assert record["method"] == "wilson"
    assert record["ci_low"] == pytest.approx(ci.ci_low, rel=1e-12)
    assert record["ci_high"] == pytest.approx(ci.ci_high, rel=1e-12)
    assert 0.5255 < record["ci_low"] < 0.5256 and 0.5742 < record["ci_high"] < 0.5743


def test_ci_csv_and_inline_counts(capsys):
    assert main(["ci", "55/100", "0.3", "--n", "50", "--format", "csv"]) == 0
    frame = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert frame["n"].tolist() == [100, 50]
    np.testing.assert_allclose(frame["estimate"], [0.55, 0.3])


def test_compare_table(capsys):
    assert main(["compare", "55%", "32%", "--n", "400"]) == 0
    out = capsys.readouterr().out
    # a difference in percentage points, the shares as percentages
    assert "+23.0 pp" in out and "23.0%" not in out and "55.0%" in out and "< 0.001" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("55%", (0.55, None)),
        ("0.55", (0.55, None)),
        ("55/100", (0.55, 100.0)),
        (" 7.5 % ", (0.075, None)),
        ("0", (0.0, None)),
    ],
)
def test_parse_figure(text, expected):
    value, n = parse_figure(text)
    assert value == pytest.approx(expected[0]) and n == expected[1]


def test_help_is_clear(capsys):
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for word in ("report", "ci", "compare", "datasets", "examples"):
        assert word in text
    assert main(["report", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--data", "--n", "--deff", "--confidence-level", "--out", "--force"):
        assert option in text


def test_datasets_command(capsys):
    assert main(["datasets"]) == 0
    assert "kremlin_fso_2022" in capsys.readouterr().out
    assert main(["datasets", "kremlin_fso_2022"]) == 0
    assert "No sample size" in capsys.readouterr().out


def test_console_script_runs(workdir):
    """The installed `surveykit` command (or `python -m surveykit`) works as a process."""
    exe = shutil.which("surveykit", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "surveykit"]
    # the package this test imported, whether installed or in a checkout
    home = str(Path(sk.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([home, os.environ.get("PYTHONPATH", "")])}

    def run(*args):
        return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env)

    done = run("report", "--n", "400")
    assert done.returncode == 0, done.stderr
    assert "at least 36 people were asked per poll" in done.stdout
    again = run("report", "--n", "400")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    bad = run("report", "--n", "x")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("flag", ["--help", "--version", "ci --help"])
def test_help_and_version_start_without_numerics(flag):
    """--help and --version load no numpy, pandas, scipy or matplotlib (issue 10, item 7)."""
    home = str(Path(sk.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([home, os.environ.get("PYTHONPATH", "")])}
    code = (
        "import io, sys, contextlib\n"
        "from surveykit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({flag.split()!r})\n"
        "heavy = {'numpy', 'pandas', 'scipy', 'matplotlib'}\n"
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["0", "[]"]


def test_ci_from_dataset_and_option(capsys):
    argv = ["ci", "--data", "kremlin_fso_2022", "--option", "start peace talks", "--n", "1600"]
    assert main([*argv, "--format", "csv"]) == 0
    frame = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert frame["figure"].tolist() == [
        "fso-2022-07: start peace talks",
        "fso-2022-11: start peace talks",
    ]
    assert set(frame["n_status"]) == {"assumed"}
    ci = sk.proportion_ci([0.32, 0.55], 1600)
    np.testing.assert_allclose(frame["ci_low"], ci.ci_low, rtol=1e-12)


def test_published_n_is_used_from_data(capsys):
    argv = ["ci", "--data", "russia_war_polls", "--poll", "levada-2022-08", "--format", "json"]
    assert main(argv) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["n"] for r in records} == {1612}
    assert {r["n_status"] for r in records} == {"published"}


def test_compare_from_dataset_is_latest_minus_earliest(capsys):
    argv = ["compare", "--data", "kremlin_fso_2022", "--option", "start peace talks"]
    assert main([*argv, "--n", "800", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    test = sk.two_proportion_test(0.55, 800, 0.32, 800)
    assert record["estimate"] == pytest.approx(0.23)
    assert record["pvalue"] == pytest.approx(test.pvalue, rel=1e-12)


def test_compare_within_a_poll(capsys):
    assert main(["compare", "55%", "25%", "--n", "100", "--within", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    ci = sk.option_difference_ci(0.55, 0.25, 100)
    assert record["ci_low"] == pytest.approx(ci.ci_low, rel=1e-12)


def test_sensitivity_command_matches_the_library(capsys):
    from surveykit.unknowns.sensitivity import sensitivity

    argv = ["sensitivity", "55%", "32%", "--n", "30", "36", "--deff", "1", "2", "--format", "csv"]
    assert main(argv) == 0
    frame = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    expected = sensitivity(0.55, 0.32, n1=[30, 36], deff=[1, 2])
    assert len(frame) == 4
    np.testing.assert_allclose(frame["pvalue"], expected["pvalue"], rtol=1e-12)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ci", "--data", "kremlin_fso_2022", "--option", "peace"], "--option 'peace' is not in"),
        (["ci", "--option", "x", "55%"], "give --data too"),
        (["ci", "--data", "kremlin_fso_2022"], "pass --n N to assume one"),
        (["compare", "55%", "--n", "10"], "exactly two figures"),
        (["sensitivity", "55%", "32%", "--n", ",,,"], "--n must be numbers"),
    ],
)
def test_figure_selection_errors(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_power_command_matches_the_library(capsys):
    from surveykit.planning.power import power_two_proportions
    from surveykit.planning.sample_size import (
        minimum_detectable_difference,
        sample_size_proportion,
        sample_size_two_proportions,
    )

    assert main(["power", "32%", "55%", "--n", "50", "--format", "json"]) == 0
    assert _json(capsys)[0]["power"] == pytest.approx(power_two_proportions(0.32, 50, 0.55))
    assert main(["power", "50%", "55%", "--format", "json"]) == 0
    # sample sizes needed are whole respondents, rounded up
    record = _json(capsys)[0]
    assert record["n1"] == math.ceil(sample_size_two_proportions(0.5, 0.55))
    assert isinstance(record["n1"], int) and isinstance(record["n2"], int)
    assert main(["power", "32%", "--n", "1600", "--format", "json"]) == 0
    mdd = _json(capsys)[0]["minimum_detectable_difference"]
    assert mdd == pytest.approx(minimum_detectable_difference(0.32, 1600))
    assert main(["power", "--moe", "3%", "--format", "json"]) == 0
    assert _json(capsys)[0]["n"] == math.ceil(sample_size_proportion(0.03))


def test_power_usage_errors(capsys):
    assert main(["power"]) == 2
    assert "give two shares" in capsys.readouterr().err
    assert main(["power", "32%"]) == 2
    assert "give --n" in capsys.readouterr().err
