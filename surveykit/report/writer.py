"""Reports of a reanalysis: a terminal summary, self-contained HTML, Markdown, figures.

The HTML file embeds its figures as PNG data and its styles inline: it needs no
network, fonts, scripts or other files, and prints cleanly. Every report shows the
data and where it came from (dataset, source URLs, which sample sizes were published
and which assumed), the methods with references, the verdict tables, the figures, and
a footer saying how to reproduce it.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_frame, format_pvalue, pct, points
from surveykit.exceptions import SurveyKitError
from surveykit.reanalysis.analysis import METHODS, Reanalysis

__all__ = [
    "REPORT_FILES",
    "build_figures",
    "render_html",
    "render_markdown",
    "summary_text",
    "write_report",
]

#: the files a report writes into its folder (besides one PNG per figure)
REPORT_FILES = (
    "report.html",
    "report.md",
    "intervals.csv",
    "changes.csv",
    "gaps.csv",
    "critical.csv",
)


# ----------------------------------------------------------------------------- tables
def _interval_text(low: float, high: float) -> str:
    return f"{100 * low:.1f}–{100 * high:.1f}%"


def _n_header(value: Any) -> str:
    return "published n" if pd.isna(value) else f"n = {int(value):,}"


def interval_table(r: Reanalysis, deff: float) -> pd.DataFrame:
    """One row per figure, one column per assumed n: its interval at design effect deff."""
    part = r.intervals[r.intervals["deff"] == deff].copy()
    part["figure"] = part["label"] + ": " + part["option"].astype(str)
    part["share"] = [pct(v) for v in part["estimate"]]
    part["interval"] = [
        _interval_text(lo, hi) for lo, hi in zip(part["ci_low"], part["ci_high"], strict=True)
    ]
    part["column"] = [_n_header(v) for v in part["assumed_n"]]
    part.loc[part["n_status"] == "published", "interval"] = [
        f"{_interval_text(lo, hi)} (n = {int(n):,})"
        for lo, hi, n in zip(
            part.loc[part["n_status"] == "published", "ci_low"],
            part.loc[part["n_status"] == "published", "ci_high"],
            part.loc[part["n_status"] == "published", "n"],
            strict=True,
        )
    ]
    table = part.pivot_table(
        index=["figure", "share"], columns="column", values="interval", aggfunc="first", sort=False
    )
    order = [_n_header(n) for n in r.n_grid] + ["published n"]
    table = table[[c for c in order if c in table.columns]].fillna("")
    table.columns.name = None
    return table.reset_index()


def comparison_table(frame: pd.DataFrame, deff: float, alpha: float) -> pd.DataFrame:
    """Changes or leads at one design effect, formatted for people."""
    part = frame[frame["deff"] == deff]
    if part.empty:
        return pd.DataFrame()
    n_text = []
    for _, row in part.iterrows():
        cols = [c for c in ("n2", "n1", "n") if c in row.index]  # in the label's order
        status = [row[f"{c}_status"] for c in cols]
        values = [
            f"{int(row[c]):,}" + ("" if s == "published" else "*")
            for c, s in zip(cols, status, strict=True)
        ]
        n_text.append(" / ".join(dict.fromkeys(values)) if len(values) > 1 else values[0])
    return pd.DataFrame(
        {
            "comparison": part["comparison"].to_numpy(),
            "n": n_text,
            "difference (points)": [points(v) for v in part["estimate"]],
            f"{100 * (1 - alpha):g}% interval (points)": [
                f"{points(lo)} to {points(hi)}"
                for lo, hi in zip(part["ci_low"], part["ci_high"], strict=True)
            ],
            "p-value": [format_pvalue(p) for p in part["pvalue"]],
            "verdict": np.where(part["significant"], "significant", "not significant"),
        }
    )


def robustness_table(part: pd.DataFrame) -> pd.DataFrame:
    """The checks of one change, formatted for people."""

    def value(v: Any) -> str:
        if pd.isna(v):
            return "–"
        v = float(v)
        if not np.isfinite(v):
            return "never"
        return f"{v:,.0f}" if v.is_integer() else f"{v:.3g}"

    return pd.DataFrame(
        {
            "check": part["check"].astype(str).to_numpy(),
            "value": [value(v) for v in part["value"]],
            "holds": ["–" if pd.isna(v) else ("yes" if v else "no") for v in part["holds"]],
            "assumption": part["assumption"].astype(str).to_numpy(),
        }
    )


def summary_text(r: Reanalysis, *, limit: int = 12) -> str:
    """The terminal summary of a reanalysis: what was assumed, and the verdicts."""
    lines = []
    name = r.dataset or "the given figures"
    unknown = (r.polls["n_status"] != "published").sum()
    assumed = ", ".join(f"{n:,}" for n in r.n_grid)
    lines.append(f"surveykit reanalysis of {name}: {len(r.polls)} figures")
    lines.append(
        f"  n not published for {unknown} of them: assumed n = {assumed} per poll; "
        f"design effects {', '.join(f'{d:g}' for d in r.deff_grid)}; "
        f"{100 * r.confidence_level:g}% intervals; tests at alpha = {r.alpha:g}"
    )
    deff0 = r.deff_grid[0]
    lines.append("")
    lines.append(f"Figures: Wilson {100 * r.confidence_level:g}% intervals (deff = {deff0:g})")
    lines.append(_indent(interval_table(r, deff0).head(limit).to_string(index=False)))
    if len(r.polls) > limit:
        lines.append(f"  … {len(r.polls) - limit} more figures in the report")
    for title, frame in (
        ("Changes between polls (Newcombe interval, pooled z-test)", r.changes),
        ("Leads within a poll (multinomial variance)", r.gaps),
    ):
        table = comparison_table(frame, deff0, r.alpha)
        if table.empty:
            continue
        lines.append("")
        lines.append(f"{title}, deff = {deff0:g}; * = assumed n")
        lines.append(_indent(table.head(limit).to_string(index=False)))
        if len(table) > limit:
            lines.append(f"  … {len(table) - limit} more rows in the report")
    crit = r.critical_table()
    if not crit.empty:
        lines.append("")
        lines.append("Critical n: smallest n per poll at which the difference is significant")
        lines.append(_indent(crit.head(limit).to_string(index=False)))
    groups = [] if r.robustness.empty else list(r.robustness.groupby("comparison", sort=False))
    for comparison, part in groups[:limit]:
        lines.append("")
        lines.append(f"Robustness: {comparison}")
        lines.append(_indent(robustness_table(part).to_string(index=False)))
    if not crit.empty:
        lines.append("")
        lines.append("Verdicts")
        sentences = r.summary().splitlines()
        lines.extend(f"  - {s}" for s in sentences[:limit])
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# ---------------------------------------------------------------------------- figures
def build_figures(r: Reanalysis) -> dict[str, Any]:
    """The report's figures as matplotlib Figures (made without pyplot)."""
    from matplotlib.figure import Figure

    from surveykit.inference.two_sample_tests import two_proportion_test
    from surveykit.inference.within_poll import option_difference_test
    from surveykit.plotting.figures import plot_intervals, plot_sensitivity, plot_trend

    figures: dict[str, Any] = {}
    deff0 = r.deff_grid[0]
    part = r.intervals[r.intervals["deff"] == deff0].copy()
    part["figure"] = part["label"] + ": " + part["option"].astype(str)
    part["assumed"] = [_n_header(v) for v in part["assumed_n"]]
    rows = part["figure"].nunique()
    fig = Figure(
        figsize=(7.5, 1.2 + 0.55 * rows * max(1, len(r.n_grid)) ** 0.5), layout="constrained"
    )
    ax = fig.subplots()
    plot_intervals(part, y="figure", hue="assumed", ax=ax)
    ax.set_title(
        f"Each figure's {100 * r.confidence_level:g}% Wilson interval under assumed n "
        f"(deff = {deff0:g})",
        fontsize="medium",
    )
    ax.set_xlabel("share")
    figures["intervals"] = fig

    # p-value against the assumed n for each comparison that depends on it
    curves = []
    crit = r.critical[r.critical["deff"] == deff0].set_index("comparison")["critical_n"]
    finite = [v for v in crit if np.isfinite(v)]
    top = max([200, *[4 * v for v in finite]]) if finite else max(r.n_grid)
    grid = np.unique(np.geomspace(5, top, 200).round())
    changes = r.changes.drop_duplicates("comparison")
    for _, row in changes.iterrows():
        if row["n1_status"] == "published" and row["n2_status"] == "published":
            continue
        p = two_proportion_test(row["p1"], grid, row["p2"], grid, deff=deff0).pvalue
        curves.append(pd.DataFrame({"n": grid, "pvalue": p, "comparison": row["comparison"]}))
    for _, row in r.gaps.drop_duplicates("comparison").iterrows():
        if row["n_status"] == "published":
            continue
        p = option_difference_test(row["p1"], row["p2"], grid, deff=deff0).pvalue
        curves.append(pd.DataFrame({"n": grid, "pvalue": p, "comparison": row["comparison"]}))
    if curves:
        shown = pd.concat(curves[:8], ignore_index=True)
        fig = Figure(figsize=(7.5, 4.2), layout="constrained")
        ax = fig.subplots()
        plot_sensitivity(
            shown,
            hue="comparison",
            alpha=r.alpha,
            critical={c: crit.get(c) for c in shown["comparison"].unique()},
            ax=ax,
        )
        ax.set_xscale("log")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_title(
            f"How the verdict depends on the unknown sample size (deff = {deff0:g})",
            fontsize="medium",
        )
        figures["sensitivity"] = fig

    if r.polls["poll_id"].nunique() > 3:
        options = r.polls["option"].value_counts()
        option = options.index[0]
        fig = Figure(figsize=(7.5, 4.0), layout="constrained")
        ax = fig.subplots()
        plot_trend(r.polls, option=option, ax=ax)
        ax.set_title(f"'{option}' over time (open markers: n not published)", fontsize="medium")
        figures["trend"] = fig
    return figures


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=144)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- render
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
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } figure, table { break-inside: avoid; } a { color: inherit; } }
"""


def _links(sources: str) -> str:
    parts = [s.strip() for s in str(sources).split("|") if s.strip()]
    return "<br>".join(
        f'<a href="{html.escape(u)}">{html.escape(u)}</a>'
        if u.startswith(("http://", "https://"))
        else html.escape(u)
        for u in parts
    )


def _provenance(r: Reanalysis) -> pd.DataFrame:
    polls = r.polls
    return pd.DataFrame(
        {
            "poll": polls["poll_id"].astype(str),
            "pollster": polls["pollster"].astype(str),
            "fieldwork": [
                _fieldwork(s, e, p)
                for s, e, p in zip(
                    polls["fieldwork_start"],
                    polls["fieldwork_end"],
                    polls["date_precision"],
                    strict=True,
                )
            ],
            "option": polls["option"].astype(str),
            "share": [
                pct(v, 0 if float(100 * v).is_integer() else 1) for v in polls["proportion"]
            ],
            "n": ["–" if pd.isna(v) else f"{int(v):,}" for v in polls["n"]],
            "n status": polls["n_status"].astype(str),
            "mode": polls["mode"].astype(str),
        }
    )


def _fieldwork(start: Any, end: Any, precision: str) -> str:
    fmt = {"month": "%b %Y", "year": "%Y"}.get(precision, "%Y-%m-%d")
    a = "?" if pd.isna(start) else start.strftime(fmt)
    b = "?" if pd.isna(end) else end.strftime(fmt)
    if a == b == "?":
        return "unknown"
    return a if a == b else f"{a} – {b}"


def _table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    if frame.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="surveykit">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _footer(command: str | None) -> dict[str, str]:
    from surveykit._core.version import __version__

    return {
        "surveykit": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "command": command or "surveykit.report.write_report(...)",
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --------------------------------------------------------------------- report blocks
# A report is a list of blocks rendered both to HTML and to Markdown, so the two
# formats always say the same thing:
#   ("h", level, text) | ("p", text) | ("ul", [text]) | ("table", frame, caption)
#   | ("figure", key, caption) | ("sources", [(poll_id, urls)]) | ("doc", title, markdown)
Block = tuple[Any, ...]


def _reanalysis_blocks(r: Reanalysis, prefix: str, level: int) -> list[Block]:
    unknown = int((r.polls["n_status"] != "published").sum())
    h = level
    blocks: list[Block] = [
        (
            "p",
            f"{len(r.polls)} published figures; the sample size of {unknown} of them was not "
            "published, so every result for those rests on an assumed n "
            f"({', '.join(f'{n:,}' for n in r.n_grid)}) and design effect "
            f"({', '.join(f'{d:g}' for d in r.deff_grid)}), and is labelled as such "
            "(* marks an assumed n).",
        ),
        ("h", h, "Verdicts"),
        ("ul", r.summary().splitlines()),
        (
            "figure",
            f"{prefix}sensitivity",
            "p-value of each comparison against the assumed n per poll; the dashed line is "
            "alpha, dotted lines mark the critical n.",
        ),
        ("h", h, "Critical sample sizes"),
        (
            "p",
            "The smallest whole n (per poll for a change, in the poll for a lead) at which the "
            f"difference is significant at alpha = {r.alpha:g}, for each design effect.",
        ),
        ("table", r.critical_table(), None),
    ]
    if not r.robustness.empty:
        blocks += [
            ("h", h, "Robustness of each change"),
            (
                "p",
                "How each change depends on what was not published: the critical n, the "
                "worst case over the rounding of the published percentages, the critical "
                "design effect and the design effect implied by a published margin of error "
                "(where n is known), and the posterior probability of a real increase.",
            ),
        ]
        for comparison, part in r.robustness.groupby("comparison", sort=False):
            blocks.append(("table", robustness_table(part), str(comparison)))
    blocks.append(("h", h, "Figures and their intervals"))
    for d in r.deff_grid:
        caption = f"{100 * r.confidence_level:g}% Wilson intervals, design effect {d:g}"
        blocks.append(("table", interval_table(r, d), caption))
    blocks.append(
        ("figure", f"{prefix}intervals", "Each figure with its interval under every assumed n.")
    )
    for heading, frame, text in (
        (
            "Changes between polls",
            r.changes,
            "Later minus earlier poll, same question and option. Newcombe hybrid score "
            "interval; pooled two-sample z-test.",
        ),
        (
            "Leads within a poll",
            r.gaps,
            "Top option minus runner-up among the same respondents, with the multinomial "
            "variance (p1 + p2 − (p1 − p2)²)/n.",
        ),
    ):
        if frame.empty:
            continue
        blocks += [("h", h, heading), ("p", text)]
        for d in r.deff_grid:
            blocks.append(("table", comparison_table(frame, d, r.alpha), f"design effect {d:g}"))
    blocks.append(
        (
            "figure",
            f"{prefix}trend",
            "Polls over time, one colour per pollster; intervals only where n was published.",
        )
    )
    blocks.append(("h", h, "Data and provenance"))
    if r.dataset:
        blocks.append(("p", f"Dataset {r.dataset}, shipped with surveykit; datasheet below."))
    blocks.append(("table", _provenance(r), None))
    sources = [
        (str(pid), " | ".join(dict.fromkeys(g["source"].astype(str))))
        for pid, g in r.polls.groupby("poll_id", sort=False)
    ]
    blocks.append(("sources", sources))
    blocks.append(("h", h, "Methods"))
    blocks.append(
        (
            "ul",
            [f"{what}: {method}; {ref}" for what, (method, ref) in METHODS.items()]
            + ["Design effect D: every n becomes the effective sample size n / D (Kish 1965)."],
        )
    )
    datasheet = r.polls.attrs.get("datasheet")
    if datasheet:
        blocks.append(("doc", f"Datasheet of {r.dataset}", datasheet))
    return blocks


def _result_blocks(result: Any, key: str) -> list[Block]:
    frame = result.to_frame() if hasattr(result, "to_frame") else result
    shown = format_frame(frame)
    blocks: list[Block] = [("table", shown.reset_index(drop=True), None)]
    blocks.append(("figure", key, f"{type(result).__name__}"))
    return blocks


def _title(analysis: Any) -> str:
    if isinstance(analysis, Reanalysis):
        return f"Reanalysis of {analysis.dataset or 'published figures'}"
    return type(analysis).__name__


def _sections(analyses: Any) -> list[tuple[str, Any]]:
    """(title, analysis) pairs from one analysis, a list, or a dict of titled ones."""
    if isinstance(analyses, dict):
        return [(str(k), v) for k, v in analyses.items()]
    if isinstance(analyses, list | tuple):
        return [(_title(a), a) for a in analyses]
    return [(_title(analyses), analyses)]


def _blocks(analyses: Any) -> tuple[str, list[Block], dict[str, Any], dict[str, pd.DataFrame]]:
    """Title, blocks, figures (matplotlib) and tables (frames) of a whole report."""
    sections = _sections(analyses)
    if not sections:
        raise SurveyKitError("analyses must hold at least one analysis to report")
    single = len(sections) == 1
    blocks: list[Block] = []
    figures: dict[str, Any] = {}
    tables: dict[str, pd.DataFrame] = {}
    for i, (title, analysis) in enumerate(sections):
        prefix = "" if single else f"{i + 1}-"
        if not single:
            blocks.append(("h", 2, title))
        level = 2 if single else 3
        if isinstance(analysis, Reanalysis):
            blocks += _reanalysis_blocks(analysis, prefix, level)
            figures.update({prefix + k: v for k, v in build_figures(analysis).items()})
            for name in ("intervals", "changes", "gaps", "critical", "robustness"):
                tables[prefix + name] = getattr(analysis, name)
        elif hasattr(analysis, "to_frame") or isinstance(analysis, pd.DataFrame):
            key = prefix + ("result" if single else "section")
            blocks += _result_blocks(analysis, key)
            tables[key] = analysis if isinstance(analysis, pd.DataFrame) else analysis.to_frame()
            if getattr(analysis, "_plot", None) and np.ndim(analysis.estimate) == 0:
                from matplotlib.figure import Figure

                fig = Figure(figsize=(7, 3.5), layout="constrained")
                analysis.plot(ax=fig.subplots())
                figures[key] = fig
        else:
            raise SurveyKitError(
                "analyses must be Reanalysis objects, surveykit results or DataFrames, "
                f"got {type(analysis).__name__}"
            )
    title = sections[0][0] if single else "surveykit report"
    return title, blocks, figures, tables


def render_html(
    analyses: Any,
    figures: dict[str, bytes] | None = None,
    *,
    command: str | None = None,
    title: str | None = None,
) -> str:
    """A complete, self-contained HTML document: styles inline, figures as PNG data URIs.

    ``analyses`` is a :class:`~surveykit.Reanalysis`, a result object, a DataFrame, a
    list of them or a dict of titled ones. ``figures`` maps figure names to PNG bytes;
    without it the figures are drawn here.
    """
    default_title, blocks, drawn, _ = _blocks(analyses)
    if figures is None:
        figures = {k: _png(f) for k, f in drawn.items()}
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
            parts.append(_table_html(block[1], block[2]))
        elif kind == "figure" and block[1] in figures:
            parts.append(_figure_html(figures[block[1]], block[1], block[2]))
        elif kind == "sources":
            items = "".join(
                f"<li><b>{html.escape(pid)}</b>: {_links(urls)}</li>" for pid, urls in block[1]
            )
            parts.append(f"<h4>Sources</h4><ul>{items}</ul>")
        elif kind == "doc":
            parts.append(
                f"<details><summary>{html.escape(block[1])}</summary>"
                f'<pre class="doc">{html.escape(block[2])}</pre></details>'
            )
    foot = _footer(command)
    parts.append(
        "<footer><p>Made with surveykit "
        f"{html.escape(foot['surveykit'])} (Python {foot['python']}, numpy {foot['numpy']}, "
        f"pandas {foot['pandas']}) on {foot['date']}.</p><p>Reproduce with: "
        f"<code>{html.escape(foot['command'])}</code></p></footer></body></html>"
    )
    return "\n".join(parts)


def _figure_html(png: bytes, name: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(name)} figure" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


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
    default_title, blocks, _, _ = _blocks(analyses)
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
    foot = _footer(command)
    out += [
        "---",
        f"Made with surveykit {foot['surveykit']} (Python {foot['python']}) on {foot['date']}. "
        f"Reproduce with: `{foot['command']}`",
        "",
    ]
    return "\n".join(out)


# ------------------------------------------------------------------------------ write
def check_out_dir(out_dir: str | Path) -> Path:
    """The output folder, if it is or can become a folder; else ``FileExistsError``."""
    out = Path(out_dir)
    for place in (out, *out.parents):
        if place.exists() and not place.is_dir():
            raise FileExistsError(
                f"--out {str(out)!r} cannot be a folder: {str(place)!r} is a file"
            )
    return out


def write_report(
    analyses: Any,
    out_dir: str | Path = "surveykit-report",
    *,
    force: bool = False,
    command: str | None = None,
    title: str | None = None,
) -> dict[str, Path]:
    """Write a report into ``out_dir``: HTML, Markdown, PNG figures and CSV tables.

    Parameters
    ----------
    analyses : Reanalysis, result, DataFrame, list or dict
        What to report: one analysis, a list of them, or a dict mapping section titles
        to analyses. A :class:`~surveykit.Reanalysis` gives verdicts, critical sample
        sizes, interval and comparison tables, figures, provenance and methods; a result
        object or frame gives its table and, where it has one, its plot.
    out_dir : path, default 'surveykit-report'
    force : bool, default False
        Replace report files that already exist. Without it the call refuses
        (``FileExistsError``) before writing anything, leaving every file as it was.
        Other files in the folder are never touched.
    command : str, optional
        How the report was made, for the reproducibility footer.
    title : str, optional

    Returns
    -------
    dict
        Maps each file's role (``'html'``, ``'markdown'``, ``'figure:<name>'``,
        ``'table:<name>'``) to its path.

    Examples
    --------
    >>> import tempfile
    >>> import surveykit as sk
    >>> from surveykit.report.writer import write_report
    >>> result = sk.reanalyse(sk.load_dataset(), n=[400, 1600], deff=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_report(result, folder)
    ...     sorted(p.name for p in paths.values())[:3]
    ['changes.csv', 'critical.csv', 'gaps.csv']
    """
    out = check_out_dir(out_dir)
    _, _, figures, tables = _blocks(analyses)
    targets = {
        "html": out / "report.html",
        "markdown": out / "report.md",
        **{f"figure:{k}": out / f"{k}.png" for k in figures},
        **{f"table:{k}": out / f"{k}.csv" for k in tables},
    }
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        shown = ", ".join(existing[:4]) + (" …" if len(existing) > 4 else "")
        raise FileExistsError(
            f"refusing to overwrite {len(existing)} existing file(s): {shown}; "
            "pass --force (force=True) to replace them, or choose another --out folder"
        )
    pngs = {k: _png(f) for k, f in figures.items()}
    out.mkdir(parents=True, exist_ok=True)
    for key, data in pngs.items():
        targets[f"figure:{key}"].write_bytes(data)
    targets["html"].write_text(
        render_html(analyses, pngs, command=command, title=title), encoding="utf-8"
    )
    files = {k: targets[f"figure:{k}"].name for k in pngs}
    targets["markdown"].write_text(
        render_markdown(analyses, files, command=command, title=title), encoding="utf-8"
    )
    for key, frame in tables.items():
        frame.to_csv(targets[f"table:{key}"], index=False)
    return targets
