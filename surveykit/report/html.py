"""The report as one self-contained HTML page: styles inline, figures as PNG data."""

from __future__ import annotations

import base64
import html
from typing import Any

import pandas as pd

from surveykit.plotting import describe_figure
from surveykit.report.blocks import footer, report_blocks
from surveykit.report.figures import png_bytes

__all__ = ["render_html", "table_html"]

_CSS = """
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1d1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1.2rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
.lede { color: #444; margin-top: 0; }
table.surveykit { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem;
                  font-variant-numeric: tabular-nums; }
table.surveykit caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
table.surveykit th, table.surveykit td { border-bottom: 1px solid #e5e5e5; padding: .25rem .6rem;
                                         text-align: right; vertical-align: top; }
table.surveykit th:first-child, table.surveykit td:first-child { text-align: left; }
table.surveykit thead th { border-bottom: 2px solid #999; }
.verdicts li { margin-bottom: .4rem; }
.note { background: #fff8e5; border-left: 4px solid #e0a800; padding: .5rem .8rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; }
pre.doc { white-space: pre-wrap; font-size: .8rem; background: #fafafa; padding: .6rem; }
details { margin: 1rem 0; }
footer { margin-top: 3rem; border-top: 1px solid #ddd; color: #555; font-size: .82rem; }
code { background: #f3f3f3; padding: 0 .2rem; border-radius: 3px; }
a { color: #0b5cad; word-break: break-all; }
table.surveykit td { white-space: nowrap; } table.surveykit td:first-child { white-space: normal; }
section.doc h3 { font-size: 1rem; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  figure, table, tr, li { break-inside: avoid; } a { color: inherit; } }
"""


def _links(sources: str) -> str:
    parts = [s.strip() for s in str(sources).split("|") if s.strip()]
    return "<br>".join(
        f'<a href="{html.escape(u)}">{html.escape(u)}</a>'
        if u.startswith(("http://", "https://"))
        else html.escape(u)
        for u in parts
    )


def _cell(value: Any) -> str:
    """Escaped cell text; '< 0.001' and '> 0.999' never break between sign and number."""
    text = html.escape(str(value))
    return text.replace("&lt; ", "&lt;&nbsp;").replace("&gt; ", "&gt;&nbsp;")


def table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """A frame of display text as an escaped HTML table (``None.`` when empty)."""
    if frame.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="surveykit">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def render_html(
    analyses: Any,
    figures: dict[str, bytes] | None = None,
    *,
    command: str | None = None,
    title: str | None = None,
    alt_texts: dict[str, str] | None = None,
) -> str:
    """A complete, self-contained HTML document: styles inline, figures as PNG data URIs.

    ``analyses`` is a :class:`~surveykit.Reanalysis`, a result object, a DataFrame, a
    list of them or a dict of titled ones. ``figures`` maps figure names to PNG bytes;
    without it the figures are drawn here. ``alt_texts`` maps figure names to their
    alternative text (what the figure shows, from
    :func:`surveykit.plotting.describe_figure`); figures drawn here get theirs.

    Parameters
    ----------
    analyses : Reanalysis, result, DataFrame, list or dict
        What to report: one analysis, a list of them, or a dict mapping section titles
        to analyses.
    figures : dict, optional
        Figure names to PNG bytes (as :func:`surveykit.report.write_report` passes
        them). By default the figures are drawn here; ``{}`` leaves them out.
    command : str, optional
        How the report was made, for the reproducibility footer (by default
        ``surveykit.report.write_report(...)``).
    title : str, optional
        The page's title; by default the dataset's own title (from its datasheet), the
        result's class name, or ``'surveykit report'`` for several analyses.
    alt_texts : dict, optional
        Figure names to their alternative text; a figure without one is described by
        its caption.

    Returns
    -------
    str
        The HTML document, from ``<!DOCTYPE html>`` to ``</html>``.

    Raises
    ------
    SurveyKitError
        If ``analyses`` is an empty list or dict, or holds something other than a
        :class:`~surveykit.Reanalysis`, a surveykit result or a DataFrame.

    See Also
    --------
    surveykit.report.render_markdown : the same report in Markdown.
    surveykit.report.write_report : writes this page with the figures and tables.
    surveykit.plotting.describe_figure : the alternative text of each figure.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (the items of disclosure the report's provenance section shows).
    .. [2] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92 (the dataset's datasheet, printed in full).
    .. [3] W3C (2023). Web Content Accessibility Guidelines 2.2, success criterion 1.1.1
       (non-text content: every figure has a text alternative).

    Examples
    --------
    The leaked Kremlin poll's 55% for peace talks, if 1,600 people were asked, as a
    page with its table and its figure embedded:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import surveykit as sk
    >>> from surveykit.report import render_html
    >>> page = render_html(sk.proportion_ci(0.55, 1600), title="Peace talks, Nov 2022")
    >>> page.splitlines()[0]
    '<!DOCTYPE html>'
    >>> "<h1>Peace talks, Nov 2022</h1>" in page, page.count('<img alt="')
    (True, 1)
    >>> render_html([])
    Traceback (most recent call last):
    ...
    surveykit.exceptions.SurveyKitError: analyses must hold at least one analysis to report
    """
    default_title, blocks, drawn, _ = report_blocks(analyses, draw=figures is None)
    if figures is None:
        figures = {k: png_bytes(f) for k, f in drawn.items()}
        alt_texts = {k: describe_figure(f) for k, f in drawn.items()}
    alt_texts = alt_texts or {}
    title = title or default_title
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for block in blocks:
        kind = block[0]
        if kind == "h":
            parts.append(f"<h{block[1]}>{html.escape(block[2])}</h{block[1]}>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "ul":
            items = "".join(f"<li>{html.escape(t)}</li>" for t in block[1])
            parts.append(f'<ul class="verdicts">{items}</ul>')
        elif kind == "table":
            parts.append(table_html(block[1], block[2]))
        elif kind == "figure" and block[1] in figures:
            alt = alt_texts.get(block[1]) or block[2]
            parts.append(_figure_html(figures[block[1]], alt, block[2]))
        elif kind == "sources":
            items = "".join(
                f"<li><b>{html.escape(pid)}</b>: {_links(urls)}</li>" for pid, urls in block[1]
            )
            parts.append(f"<h4>Sources</h4><ul>{items}</ul>")
        elif kind == "doc":
            # printed and read in full: the datasheet's caveats are part of the report
            parts.append(
                f'<section class="doc"><h3>{html.escape(block[1])}</h3>'
                f'<pre class="doc">{html.escape(block[2])}</pre></section>'
            )
    foot = footer(command)
    parts.append(
        "<footer><p>Made with surveykit "
        f"{html.escape(foot['surveykit'])} (Python {foot['python']}, numpy {foot['numpy']}, "
        f"pandas {foot['pandas']}) on {foot['date']}.</p><p>Reproduce with: "
        f"<code>{html.escape(foot['command'])}</code></p></footer></body></html>"
    )
    return "\n".join(parts)


def _figure_html(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )
