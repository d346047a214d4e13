"""What the command line prints: extremes, units, formats, help (issue 11, items 8-9;
issue 12, item 8)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import surveykit as sk
from surveykit._core.formatting import format_frame, level_pct
from surveykit.cli.main import main, parse_figure


@pytest.mark.parametrize(
    ("level", "shown"),
    [
        (0.95, "95%"),
        (0.9, "90%"),
        (0.975, "97.5%"),
        (0.999999999, "99.9999999%"),
        (0.9999999999999999, "99.99999999999999%"),
        (1e-9, "0.0000001%"),
    ],
)
def test_levels_print_every_digit_they_have(level, shown):
    assert level_pct(level) == shown
    assert format_frame(pd.DataFrame({"confidence_level": [level]}))["confidence_level"][0] == (
        shown
    )


def test_extreme_level_on_the_command_line(capsys):
    assert main(["ci", "0.55", "--n", "100", "--confidence-level", "99.9999999%"]) == 0
    out = capsys.readouterr().out
    assert "99.9999999%" in out and "100.0%" not in out


@pytest.mark.parametrize(
    ("text", "share"),
    [("1e-3", 0.001), ("1E-3", 0.001), (".5", 0.5), ("5.", None), ("5e1%", 0.5), ("2.5e-1", 0.25)],
)
def test_numeric_forms_of_a_share(text, share):
    if share is None:
        with pytest.raises(Exception, match="above 1"):
            parse_figure(text)
    else:
        assert parse_figure(text)[0] == pytest.approx(share, rel=1e-15)


def test_a_share_as_1e_3_everywhere(capsys):
    assert main(["ci", "1e-3", "--n", "1000", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["estimate"] == 0.001
    assert main(["power", "--moe", "1e-2", "--format", "json"]) == 0
    n = json.loads(capsys.readouterr().out)[0]["n"]
    assert n == int(n) and n >= sk.n_from_moe(0.01) - 1


@pytest.mark.parametrize("out", ["", "  "])
def test_report_out_blank_is_refused(tmp_path, monkeypatch, capsys, out):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", out]) == 2
    err = capsys.readouterr().err.strip()
    assert "--out" in err and "must name a folder" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_report_title(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--n", "400", "--deff", "1", "--title", "Peace talks, 2022"]) == 0
    html = (tmp_path / "surveykit-report" / "report.html").read_text(encoding="utf-8")
    assert "Peace talks, 2022" in html


@pytest.mark.parametrize("command", ["", "report", "datasets", "ci", "compare", "sensitivity"])
def test_help_shows_single_percent_signs(capsys, command):
    assert main([*command.split(), "--help"]) == 0
    text = capsys.readouterr().out
    assert "%%" not in text
    if command in ("ci", "compare"):
        assert "55%" in text


def test_datasets_name_honours_the_format(capsys):
    polls = sk.load_dataset("kremlin_fso_2022")
    assert main(["datasets", "kremlin_fso_2022", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert frame["proportion"].tolist() == polls["proportion"].tolist()
    assert frame["fieldwork_end"].tolist() == ["2022-07-31", "2022-11-30", "2022-11-30"]
    assert main(["datasets", "kremlin_fso_2022", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["option"] for r in records] == polls["option"].tolist()
    assert records[0]["n"] is None
    assert main(["datasets", "kremlin_fso_2022"]) == 0
    table = capsys.readouterr().out
    assert "No sample size" in table and "start peace talks" in table


def test_json_sizes_are_integers(capsys):
    levada = ["--data", "russia_war_polls", "--poll", "levada-2022-08", "--format", "json"]
    assert main(["ci", *levada]) == 0
    assert all(type(r["n"]) is int for r in json.loads(capsys.readouterr().out))
    assert main(["compare", "55%", "32%", "--n", "800", "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert type(record["n1"]) is int and type(record["n2"]) is int
    assert main(["ci", "55%", "--n", "1600", "--format", "csv"]) == 0
    assert ",1600," in capsys.readouterr().out


def test_differences_in_points_and_no_negative_zero(capsys):
    assert main(["compare", "32%", "32%", "--n", "100"]) == 0
    out = capsys.readouterr().out
    assert "0.0 pp" in out and "-0.0" not in out
    assert main(["compare", "0.3200000001", "0.32", "--n", "100", "--format", "json"]) == 0
    assert main(["power", "32%", "--n", "1600"]) == 0
    out = capsys.readouterr().out
    assert " pp" in out and "%" in out  # the share in %, the detectable change in points
    assert main(["power", "50%", "55%", "--n-ratio", "1.5"]) == 0
    out = capsys.readouterr().out
    assert "1,304" in out and "1,955" in out  # whole respondents, rounded up
