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
    """The same report as :func:`render_html`, in Markdown, linking PNG files by name.

    The blocks are those of the HTML page, so the two always say the same thing; the
    figures are not drawn here but linked as files, and the datasheet is folded into a
    ``<details>`` element.

    Parameters
    ----------
    analyses : Reanalysis, result, DataFrame, list or dict
        What to report: one analysis, a list of them, or a dict mapping section titles
        to analyses.
    figure_files : dict, optional
        Figure names to the file names of their PNGs (as
        :func:`surveykit.report.write_report` writes them); figures not named are left
        out.
    command : str, optional
        How the report was made, for the reproducibility footer.
    title : str, optional
        The report's title; by default as :func:`render_html` chooses it.

    Returns
    -------
    str
        The Markdown text, ending with a newline.

    Raises
    ------
    SurveyKitError
        If ``analyses`` is an empty list or dict, or holds something other than a
        :class:`~surveykit.Reanalysis`, a surveykit result or a DataFrame.

    See Also
    --------
    surveykit.report.render_html : the same report as a self-contained page.
    surveykit.report.write_report : writes this file with the figures and tables.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (the items of disclosure the report's provenance section shows).
    .. [2] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92.
    .. [3] Gruber, J. (2004). Markdown. https://daringfireball.net/projects/markdown/

    Examples
    --------
    The leaked Kremlin poll's 55% for peace talks, if 1,600 people were asked:

    >>> import surveykit as sk
    >>> from surveykit.report import render_markdown
    >>> text = render_markdown(sk.proportion_ci(0.55, 1600), title="Peace talks, Nov 2022")
    >>> print("\\n".join(text.splitlines()[:5]))
    # Peace talks, Nov 2022
    <BLANKLINE>
    | estimate | ci_low | ci_high | n | n_eff | deff | confidence_level | method | alternative |
    |---|---|---|---|---|---|---|---|---|
    | 55.0% | 52.6% | 57.4% | 1,600 | 1,600 | 1 | 95% | wilson | two-sided |
    """
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
