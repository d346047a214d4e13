"""The report's tables, formatted for people, and the terminal summary."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue, pct, points
from surveykit.reanalysis.analysis import Reanalysis
from surveykit.reanalysis.claims import share_text

__all__ = [
    "comparison_table",
    "interval_table",
    "n_header",
    "provenance_table",
    "robustness_table",
    "summary_text",
]


def _interval_text(low: float, high: float) -> str:
    return f"{100 * low:.1f}–{100 * high:.1f}%"


def n_header(value: Any) -> str:
    """The column heading of an assumed n (``n = 400``), or of the published one."""
    return "published n" if pd.isna(value) else f"n = {int(value):,}"


def interval_table(r: Reanalysis, deff: float) -> pd.DataFrame:
    """One row per figure, one column per assumed n: its interval at design effect deff."""
    part = r.intervals[r.intervals["deff"] == deff].copy()
    part["figure"] = part["label"] + ": " + part["option"].astype(str)
    part["share"] = [share_text(v) for v in part["estimate"]]  # as published: 55%
    part["interval"] = [
        _interval_text(lo, hi) for lo, hi in zip(part["ci_low"], part["ci_high"], strict=True)
    ]
    part["column"] = [n_header(v) for v in part["assumed_n"]]
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
    order = [n_header(n) for n in r.n_grid] + ["published n"]
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
    table = pd.DataFrame(
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
    return fold_repeats(table)


def fold_repeats(table: pd.DataFrame) -> pd.DataFrame:
    """One line per comparison whose verdict is the same at every assumed n.

    The folded line gives the range of n (``400*–3,000*``), the interval and p-value at
    the two ends (``a … b``) and the common verdict; comparisons whose verdict changes
    with n keep one line per n, so the change stays visible.
    """
    if table.empty:
        return table
    rows = []
    for _, group in table.groupby("comparison", sort=False):
        if len(group) == 1 or group["verdict"].nunique() > 1:
            rows.extend(group.to_dict("records"))
            continue
        first, last = group.iloc[0].to_dict(), group.iloc[-1]
        for column in group.columns:
            if column in ("comparison", "verdict", "difference (points)"):
                continue
            values = list(dict.fromkeys(group[column]))
            first[column] = values[0] if len(values) == 1 else f"{values[0]} … {last[column]}"
        first["n"] = f"{group['n'].iloc[0]}–{group['n'].iloc[-1]}"
        rows.append(first)
    return pd.DataFrame(rows, columns=table.columns)


def robustness_table(part: pd.DataFrame) -> pd.DataFrame:
    """The checks of one change, formatted for people."""

    def value(v: Any) -> str:
        if pd.isna(v):
            return "–"
        v = float(v)
        if not np.isfinite(v):
            return "never"
        if abs(v) >= 1e9:  # astronomic sizes: three significant digits, not 20 digits
            return f"{v:.3g}"
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
    """The terminal summary of a reanalysis: what was assumed, and the verdicts.

    What ``surveykit report`` prints: the assumed sample sizes and design effects, each
    figure's interval, the changes and leads, the critical sample sizes, the robustness
    of each change and the verdicts in words, each part at the first design effect.

    Parameters
    ----------
    r : Reanalysis
        A reanalysis made by :func:`surveykit.reanalyse`.
    limit : int, default 12
        Most rows of each table (and verdicts) shown; the rest are counted and left to
        the report.

    Returns
    -------
    str
        Lines of text, no trailing newline.

    Raises
    ------
    AttributeError
        If ``r`` is not a :class:`~surveykit.Reanalysis`. Nothing else is checked here:
        the frames of a reanalysis were checked (``SurveyKitError``) when
        :func:`surveykit.reanalyse` made it.

    See Also
    --------
    surveykit.reanalyse : the reanalysis summarised here.
    surveykit.Reanalysis.summary : the verdicts alone, one sentence each.
    surveykit.report.write_report : the full report, with figures and tables.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (disclosure of sample sizes: an assumed n is said to be assumed).
    .. [2] American Association for Public Opinion Research. AAPOR Transparency
       Initiative (the disclosure elements its members commit to publish).

    Examples
    --------
    The leaked Kremlin poll published no sample size, so every verdict rests on an
    assumed n:

    >>> import surveykit as sk
    >>> from surveykit.report import summary_text
    >>> r = sk.reanalyse(sk.load_dataset(), n=[400, 1600], deff=1)
    >>> print(summary_text(r, limit=3).splitlines()[0])
    surveykit reanalysis of kremlin_fso_2022: 3 figures
    >>> print(summary_text(r).splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
      n not published for 3 of them: assumed n = 400, 1,600 per poll; design effects 1;
      95% intervals; tests at alpha = 0.05
    """
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


def provenance_table(r: Reanalysis) -> pd.DataFrame:
    """Each published figure with its poll, fieldwork, sample size and where it came from."""
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
