"""The content of a report as a list of blocks, rendered both to HTML and to Markdown so
that the two formats always say the same thing.

A block is one of::

    ("h", level, text) | ("p", text) | ("ul", [text]) | ("table", frame, caption)
    | ("figure", key, caption) | ("sources", [(poll_id, urls)]) | ("doc", title, markdown)
"""

from __future__ import annotations

import datetime as _dt
import platform
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_frame
from surveykit._core.results import Result
from surveykit.exceptions import SurveyKitError
from surveykit.reanalysis.analysis import METHODS, Reanalysis
from surveykit.report.figures import build_figures
from surveykit.report.series import series_blocks
from surveykit.report.tables import (
    comparison_table,
    interval_table,
    provenance_table,
    robustness_table,
)

__all__ = ["Block", "footer", "reanalysis_blocks", "report_blocks"]

Block = tuple[Any, ...]


def footer(command: str | None) -> dict[str, str]:
    """What the reproducibility footer says: versions, the command and the date."""
    from surveykit._core.version import __version__

    return {
        "surveykit": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "command": command or "surveykit.report.write_report(...)",
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _verdict_blocks(r: Reanalysis, prefix: str, h: int) -> list[Block]:
    """What was assumed, the verdicts, the sensitivity figure and the critical sizes."""
    unknown = int((r.polls["n_status"] != "published").sum())
    return [
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
        *_design_blocks(r, h),
        ("h", h, "Critical sample sizes"),
        (
            "p",
            "The smallest whole n (per poll for a change, in the poll for a lead) at which the "
            f"difference is significant at alpha = {r.alpha:g}, for each design effect.",
        ),
        ("table", r.critical_table(), None),
    ]


def _design_blocks(r: Reanalysis, h: int) -> list[Block]:
    """How each poll's n and design effect were set, when any poll published one."""
    polls = r.polls.drop_duplicates("poll_id")
    if "design_note" not in polls or not (polls["n_basis"] != "assumed").any():
        return []
    table = pd.DataFrame(
        {
            "poll": [
                f"{p} {lab}" for p, lab in zip(polls["pollster"], polls["label"], strict=True)
            ],
            "n used": ["assumed" if pd.isna(n) else f"{n:,.0f}" for n in polls["n_used"]],
            "design effect": ["assumed" if pd.isna(d) else f"{d:.2f}" for d in polls["deff_poll"]],
            "how": polls["design_note"].to_numpy(),
        }
    )
    blocks: list[Block] = [
        ("h", h, "Sample sizes and design effects of each poll"),
        (
            "p",
            "A published margin of error gives its poll's design effect (with a published "
            "n) or its sample size (without); the tests use each poll's own.",
        ),
        ("table", table, None),
    ]
    flagged = polls[polls["moe_flag"]]
    if not flagged.empty:
        names = ", ".join(str(v) for v in flagged["poll_id"])
        blocks.append(
            (
                "p",
                f"Check the source: the published margin of error of {names} is smaller "
                "than its published n allows even without a design effect.",
            )
        )
    return blocks


def _robustness_blocks(r: Reanalysis, h: int) -> list[Block]:
    if r.robustness.empty:
        return []
    blocks: list[Block] = [
        ("h", h, "Robustness of each change"),
        (
            "p",
            "How each change depends on what was not published: the critical n, the "
            "worst case over the rounding of the published percentages, the critical "
            "design effect and the design effect implied by a published margin of error "
            "(where n is known), and the posterior probability of a real change in the "
            "reported direction. Each poll's own n and margin are used.",
        ),
    ]
    for comparison, part in r.robustness.groupby("comparison", sort=False):
        sentence = r.robustness_summaries.get(comparison)
        if sentence:
            blocks.append(("p", f"{comparison}: {sentence}"))
        blocks.append(("table", robustness_table(part), str(comparison)))
    return blocks


def _table_blocks(r: Reanalysis, prefix: str, h: int) -> list[Block]:
    """Each figure's intervals and each change and lead, at every design effect."""
    blocks: list[Block] = [("h", h, "Figures and their intervals")]
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
    return blocks


def _provenance_blocks(r: Reanalysis, h: int) -> list[Block]:
    """The data and where it came from, the methods with references, the datasheet."""
    blocks: list[Block] = [("h", h, "Data and provenance")]
    if r.dataset:
        blocks.append(("p", f"Dataset {r.dataset}, shipped with surveykit; datasheet below."))
    blocks.append(("table", provenance_table(r), None))
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


def reanalysis_blocks(r: Reanalysis, prefix: str, level: int) -> list[Block]:
    """The blocks of one reanalysis, its headings at ``level``, figure keys ``prefix``-ed."""
    return (
        _verdict_blocks(r, prefix, level)
        + _robustness_blocks(r, level)
        + _table_blocks(r, prefix, level)
        + series_blocks(r.series, level=level)
        + _provenance_blocks(r, level)
    )


def _result_blocks(result: Any, key: str) -> list[Block]:
    frame = result.to_frame() if hasattr(result, "to_frame") else result
    shown = format_frame(frame)
    blocks: list[Block] = [("table", shown.reset_index(drop=True), None)]
    blocks.append(("figure", key, f"{type(result).__name__}"))
    return blocks


def _result_figure(result: Any) -> Any:
    """The figure of a scalar result that has a plot of its own, else None."""
    if not isinstance(result, Result) or np.ndim(getattr(result, "estimate", np.nan)) != 0:
        return None
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.5), layout="constrained")
    try:
        result.plot(ax=fig.subplots())
    except SurveyKitError:  # no plot of its own
        return None
    return fig


def _title(analysis: Any) -> str:
    """The dataset's own title (from its datasheet's first heading), else its name."""
    if isinstance(analysis, Reanalysis):
        sheet = analysis.polls.attrs.get("datasheet") or ""
        first = sheet.strip().splitlines()[0] if sheet.strip() else ""
        if first.startswith("#"):
            name, _, title = first.lstrip("# ").partition(" — ")
            return (title or name).strip()
        return f"Reanalysis of {analysis.dataset or 'published figures'}"
    return type(analysis).__name__


def _sections(analyses: Any) -> list[tuple[str, Any]]:
    """(title, analysis) pairs from one analysis, a list, or a dict of titled ones."""
    if isinstance(analyses, dict):
        return [(str(k), v) for k, v in analyses.items()]
    if isinstance(analyses, list | tuple):
        return [(_title(a), a) for a in analyses]
    return [(_title(analyses), analyses)]


def report_blocks(
    analyses: Any, *, draw: bool = True
) -> tuple[str, list[Block], dict[str, Any], dict[str, pd.DataFrame]]:
    """Title, blocks, figures (matplotlib; none unless ``draw``) and tables of a report."""
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
            blocks += reanalysis_blocks(analysis, prefix, level)
            if draw:
                figures.update({prefix + k: v for k, v in build_figures(analysis).items()})
            for name in ("intervals", "changes", "gaps", "critical", "robustness"):
                tables[prefix + name] = getattr(analysis, name)
        elif hasattr(analysis, "to_frame") or isinstance(analysis, pd.DataFrame):
            key = prefix + ("result" if single else "section")
            blocks += _result_blocks(analysis, key)
            tables[key] = analysis if isinstance(analysis, pd.DataFrame) else analysis.to_frame()
            fig = _result_figure(analysis) if draw else None
            if fig is not None:
                figures[key] = fig
        else:
            raise SurveyKitError(
                "analyses must be Reanalysis objects, surveykit results or DataFrames, "
                f"got {type(analysis).__name__}"
            )
    title = sections[0][0] if single else "surveykit report"
    return title, blocks, figures, tables
