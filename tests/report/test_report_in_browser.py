"""The HTML report as a reader gets it (issue 11, item 11): titled by its dataset, every
figure with alt text that describes it, the datasheet in full, '< 0.001' unbroken; and,
where Chromium is installed, the page as the browser renders and prints it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest

import surveykit as sk
from surveykit.report.writer import write_report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fso")
    result = sk.reanalyse(sk.load_dataset("kremlin_fso_2022"))
    return result, write_report(result, folder / "r")


def test_title_is_the_dataset_title(report):
    _, paths = report
    page = paths["html"].read_text(encoding="utf-8")
    title = "Leaked Kremlin (FSO) poll, 2022: 55% for peace talks in November, up from 32% in July"
    assert f"<h1>{html.escape(title)}</h1>" in page
    assert paths["markdown"].read_text(encoding="utf-8").startswith(f"# {title}")


def test_every_figure_has_alt_text_that_describes_it(report):
    _, paths = report
    page = paths["html"].read_text(encoding="utf-8")
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert len(alts) == page.count("<img")
    sensitivity = next(a for a in alts if a.startswith("How the verdict depends"))
    # the critical sizes the figure marks are those of the tables
    assert "n = 36" in sensitivity and "n = 31" in sensitivity
    assert all(len(a) > 40 for a in alts)


def test_datasheet_is_printed_in_full_and_p_values_do_not_break(report):
    _, paths = report
    page = paths["html"].read_text(encoding="utf-8")
    assert "<details" not in page  # nothing collapsed: a printout shows the caveats
    assert "The July figure is disputed" in page
    assert "&lt; 0.001" not in page and "&lt;&nbsp;0.001" in page
    assert "break-after: avoid" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_chromium_renders_every_verdict_and_prints_every_figure(report, tmp_path):
    result, paths = report
    url = paths["html"].resolve().as_uri()
    common = ["chromium", "--headless", "--no-sandbox", "--disable-gpu"]
    dom = subprocess.run(
        [*common, "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout
    for sentence in result.summary().splitlines():
        assert html.escape(sentence) in dom
    pdf = tmp_path / "report.pdf"
    subprocess.run([*common, f"--print-to-pdf={pdf}", url], capture_output=True, timeout=120)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
    # every figure reaches the printout as an image (none cropped away)
    assert data.count(b"/Subtype /Image") >= result.polls.shape[0] // 3 + 1
