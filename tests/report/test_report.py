"""Reports built from the library: several analyses, HTML and Markdown agree."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import surveykit as sk
from surveykit.report import render_html, render_markdown, write_report


@pytest.fixture(scope="module")
def fso():
    return sk.reanalyse(sk.load_dataset(), n=[400, 1600], deff=[1, 2])


def test_report_of_several_analyses(tmp_path, fso):
    analyses = {
        "The leak": fso,
        "One interval": sk.proportion_ci(0.55, 1600),
        "A grid": pd.DataFrame({"n": [10, 20], "pvalue": [0.2, 0.04]}),
    }
    paths = write_report(analyses, tmp_path, title="Three analyses")
    names = {p.name for p in paths.values()}
    assert {"1-critical.csv", "1-sensitivity.png", "2-section.csv", "2-section.png"} <= names
    assert "3-section.csv" in names
    html = paths["html"].read_text(encoding="utf-8")
    assert "<h1>Three analyses</h1>" in html
    for title in analyses:
        assert f"<h2>{title}</h2>" in html
    assert html.count("data:image/png;base64,") == 3
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "# Three analyses" in md and "![" in md and "(1-sensitivity.png)" in md


def test_html_and_markdown_show_the_same_tables(fso):
    html = render_html(fso, figures={})
    md = render_markdown(fso)
    cells = re.findall(r"<td>([^<]*)</td>", html)
    # the same verdict at every assumed n: one folded line, intervals at n = 400 … 1,600
    for cell in ("27.6–36.7%", "+16.2 to +29.5 … +19.6 to +26.3", "36", "72", "fso-2022-07"):
        assert cell in cells
        assert cell in md
    for url in sk.load_dataset()["source"].str.split(" | ", regex=False).explode().unique():
        assert url in md
        assert url.replace("&", "&amp;") in html


def test_report_shows_the_datasheet_and_methods(fso):
    html = render_html(fso, figures={})
    assert "Datasheet of kremlin_fso_2022" in html
    assert "Newcombe (1998)" in html and "Wilson (1927)" in html
    assert "30%" in html  # the disputed July figure, from the datasheet


def test_report_rejects_unknown_analyses(tmp_path):
    with pytest.raises(sk.SurveyKitError, match="analyses must be Reanalysis objects"):
        write_report(["not an analysis"], tmp_path)
    with pytest.raises(sk.SurveyKitError, match="at least one analysis"):
        write_report([], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_refusal_names_the_existing_files_and_writes_nothing(tmp_path, fso):
    write_report(fso, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    with pytest.raises(FileExistsError, match=r"refusing to overwrite \d+ existing file"):
        write_report(fso, tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_out_path_that_is_a_file(tmp_path, fso):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError, match="is a file"):
        write_report(fso, target)
    assert target.read_text(encoding="utf-8") == "x"


def test_notebook_view_of_a_reanalysis(fso):
    html = fso._repr_html_()
    assert "at least 36 people were asked per poll" in html and "<table" in html


def test_report_shows_robustness_of_every_change(tmp_path):
    from surveykit.unknowns.robustness import robustness

    result = sk.reanalyse(sk.load_dataset(), n=[400], deff=[1])
    expected = robustness(0.55, 0.32, published_decimals=0, alpha=0.05)
    comparison = "start peace talks: Jul 2022 → Nov 2022"
    assert result.robustness_summaries[comparison] == expected.summary
    got = result.robustness[result.robustness.comparison == comparison]
    assert got["value"].tolist() == expected.table["value"].tolist()
    paths = write_report(result, tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert "Robustness of each change" in html
    assert "critical n, worst-case rounding" in html
    assert expected.summary.split(";")[0] in html
    table = pd.read_csv(paths["table:robustness"])
    assert set(table["comparison"]) == {comparison}


def test_robustness_uses_published_n_and_margin():
    from surveykit.unknowns.robustness import robustness

    polls = sk.load_dataset("russia_war_polls")
    levada = polls[polls.poll_id.isin(["levada-2023-10", "levada-2023-11"])]
    result = sk.reanalyse(levada, n=[1600], deff=[1])
    comparison = "start peace talks: Oct 2023 → Nov 2023"
    # each poll with its own n and margin (Nov 2023: 1,625; Oct 2023: 1,607; both ±3.4)
    expected = robustness(0.57, 0.55, n=1625, n2=1607, moe=0.034, moe2=0.034, published_decimals=0)
    assert result.robustness_summaries[comparison] == expected.summary
