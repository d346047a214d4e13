"""Reports: a self-contained HTML page, Markdown, figures as PNG and tables as CSV.

The content is a list of blocks (:mod:`~surveykit.report.blocks`) built from tables
(:mod:`~surveykit.report.tables`) and figures (:mod:`~surveykit.report.figures`), and
rendered by :mod:`~surveykit.report.html` and :mod:`~surveykit.report.markdown`;
:mod:`~surveykit.report.writer` writes the files.
"""

from surveykit.report.figures import build_figures
from surveykit.report.html import render_html
from surveykit.report.markdown import render_markdown
from surveykit.report.tables import summary_text
from surveykit.report.writer import REPORT_FILES, check_out_dir, write_report

__all__ = [
    "REPORT_FILES",
    "build_figures",
    "check_out_dir",
    "render_html",
    "render_markdown",
    "summary_text",
    "write_report",
]
