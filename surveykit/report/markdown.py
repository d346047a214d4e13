"""The report in Markdown, linking its PNG figures by file name."""

from __future__ import annotations

from typing import Any

import pandas as pd

from surveykit.report.blocks import footer, report_blocks

__all__ = ["render_markdown"]


def _markdown_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "None.\n"

    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows]) + "\n"


def render_markdown(
    analyses: Any,
    figure_files: dict[str, str] | None = None,
    *,
    command: str | None = None,
    title: str | None = None,
) -> str:
    """The same report as :func:`render_html`, in Markdown, linking PNG files by name."""
    default_title, blocks, _, _ = report_blocks(analyses, draw=False)
    figure_files = figure_files or {}
    out = [f"# {title or default_title}", ""]
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out += ["#" * block[1] + " " + block[2], ""]
        elif kind == "p":
            out += [block[1], ""]
        elif kind == "ul":
            out += [f"- {t}" for t in block[1]] + [""]
        elif kind == "table":
            if block[2]:
                out += [f"{block[2]}:", ""]
            out += [_markdown_table(block[1])]
        elif kind == "figure" and block[1] in figure_files:
            out += [f"![{block[2]}]({figure_files[block[1]]})", ""]
        elif kind == "sources":
            out += ["Sources:", ""]
            out += [
                f"- **{pid}**: " + ", ".join(u.strip() for u in urls.split("|"))
                for pid, urls in block[1]
            ]
            out.append("")
        elif kind == "doc":
            out += [f"<details><summary>{block[1]}</summary>", ""]
            out += [block[2].replace("\n# ", "\n#### ").lstrip("# "), "</details>", ""]
    foot = footer(command)
    out += [
        "---",
        f"Made with surveykit {foot['surveykit']} (Python {foot['python']}) on {foot['date']}. "
        f"Reproduce with: `{foot['command']}`",
        "",
    ]
    return "\n".join(out)
