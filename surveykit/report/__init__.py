"""Reports: a self-contained HTML page, Markdown, figures as PNG and tables as CSV."""

from surveykit.report.writer import (
    REPORT_FILES,
    build_figures,
    render_html,
    render_markdown,
    summary_text,
    write_report,
)

__all__ = [
    "REPORT_FILES",
    "build_figures",
    "render_html",
    "render_markdown",
    "summary_text",
    "write_report",
]
