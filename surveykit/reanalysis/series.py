"""The report's "Poll series" section: trends with house effects, and polls held against them.

For each option that at least two pollsters polled often enough, the polls are pooled
into a trend (:func:`surveykit.poll_trend`); each poll of a pollster with too few polls
to fit (a leak, a one-off) is held against that trend (:func:`surveykit.check_poll`), and
such a pollster's change between two polls against the trend's change over the same days
(:func:`surveykit.compare_change`). Every sentence is written from the numbers of the
result it describes; :func:`series_findings` returns both, :func:`series_blocks` the
report blocks (the tuples of :mod:`surveykit.report.blocks`).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue, pct
from surveykit.exceptions import SurveyKitError, SurveyKitWarning
from surveykit.series.check import PollCheck, TrendChange, check_poll, compare_change
from surveykit.series.trend import PollTrend, poll_trend

__all__ = [
    "ASSUMED_NS",
    "FIT_N",
    "MIN_POLLS",
    "SeriesFinding",
    "SeriesSection",
    "points_text",
    "series_findings",
]

#: sample sizes assumed for a held-out poll that published none
ASSUMED_NS = (400, 1600)
#: sample size assumed in the fit for polls that publish neither n nor a margin of error
FIT_N = 1600
#: polls of an option a pollster needs to be part of the fit
MIN_POLLS = 3


@dataclass(frozen=True)
class SeriesFinding:
    """One sentence of the section and the result it was written from."""

    kind: str  # "check" (one poll against the trend) or "change" (two polls against it)
    pollster: str
    result: PollCheck | TrendChange
    sentence: str


@dataclass(frozen=True)
class SeriesSection:
    """One option's trend, the sentence describing it, and the polls held against it."""

    option: str
    questions: list[str]
    trend: PollTrend | None
    sentence: str
    findings: list[SeriesFinding] = field(default_factory=list)


# ------------------------------------------------------------------------------ wording
def points_text(value: float) -> str:
    """A difference of shares in points, signed: ``+9.0``; never ``-0.0``."""
    shown = round(100 * float(value), 1)
    return "0.0" if shown == 0 else f"{shown:+.1f}"


def _p(value: float) -> str:
    text = format_pvalue(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _month(date: pd.Timestamp) -> str:
    return f"{date:%B %Y}"


def _months(earlier: pd.Timestamp, later: pd.Timestamp) -> str:
    if earlier.year == later.year:
        return f"{earlier:%B} → {later:%B %Y}"
    return f"{_month(earlier)} → {_month(later)}"


def _sizes(n: Any, pvalue: Any, *, per_poll: bool) -> tuple[str, np.ndarray]:
    """'p = 0.33 at n = 400; p = 0.28 at n = 1,600' and the p-values, over the sizes."""
    sizes, pvalues = np.atleast_1d(np.asarray(n, float)), np.atleast_1d(np.asarray(pvalue))
    unit = " per poll" if per_poll else ""
    parts = [
        f"{_p(p)} at its published n" if np.isnan(size) else f"{_p(p)} at n = {size:,.0f}{unit}"
        for size, p in zip(np.broadcast_to(sizes, pvalues.shape), pvalues, strict=True)
    ]
    return "; ".join(parts), pvalues


def _verdict(pvalues: np.ndarray, alpha: float, sizes: Any, yes: str, no: str) -> str:
    """Whether the difference is significant at every, no or only some assumed n."""
    below = pvalues < alpha
    if below.all():
        return f"{yes} at every n shown" if below.size > 1 else yes
    if not below.any():
        return f"{no} at every n shown" if below.size > 1 else no
    shown = np.broadcast_to(np.atleast_1d(np.asarray(sizes, float)), below.shape)
    return f"{yes} only at n = {', '.join(f'{s:,.0f}' for s in shown[below])}"


def check_sentence(check: PollCheck, *, pollster: str, option: str, fitted: Sequence[str]) -> str:
    """The sentence of one poll held against the trend, from the check's own fields."""
    sizes, pvalues = _sizes(check.n, check.pvalue, per_poll=False)
    alpha = 1 - check.confidence_level
    verdict = _verdict(
        pvalues,
        alpha,
        check.n,
        f"out of line with the series at the {100 * alpha:g}% level",
        "in line with the series",
    )
    direction = "above" if check.proportion > check.expected else "below"
    return (
        f"{check.poll_id}, a poll of {pollster} in {_month(check.date)}: "
        f"{pct(check.proportion)} for "
        f"'{option}', {direction} the {pct(check.expected)} at which the trend of "
        f"{_names(fitted)} expects a poll from a pollster outside the fit on "
        f"{check.date:%-d %B %Y} (the trend itself: {pct(check.estimate)}). That is "
        f"{verdict} ({sizes})."
    )


def change_sentence(
    change: TrendChange, *, pollster: str, option: str, fitted: Sequence[str]
) -> str:
    """The sentence of one pollster's change against the trend's, from the change's fields."""
    sizes, pvalues = _sizes(change.n1, change.pvalue, per_poll=True)
    alpha = 1 - change.confidence_level
    moved = "rose" if change.poll_change > 0 else "fell" if change.poll_change < 0 else "stayed"
    trend_moved = "rose" if change.trend_change > 0 else "fell"
    trend = f"the trend of {_names(fitted)} {trend_moved} over the same days"
    if np.sign(change.poll_change) == np.sign(change.trend_change):
        larger = abs(change.poll_change) > abs(change.trend_change)
        relation = f"{'more' if larger else 'less'} than {trend}"
    else:
        relation = f"while {trend}"
    verdict = _verdict(
        pvalues,
        alpha,
        change.n1,
        f"unlikely by chance at the {100 * alpha:g}% level",
        "one chance alone could explain",
    )
    return (
        f"In the polls of {pollster}, '{option}' {moved} from {pct(change.p2)} to "
        f"{pct(change.p1)} ({_months(change.date2, change.date1)}, "
        f"{points_text(change.poll_change)} points), {relation} "
        f"({points_text(change.trend_change)} points). The difference, "
        f"{points_text(np.atleast_1d(change.estimate)[0])} points, is {verdict} ({sizes})."
    )


def _fit_sentence(trend: PollTrend, option: str, questions: list[str]) -> str:
    counts = trend.house_effects["polls"]
    who = _names([f"{name} ({count})" for name, count in counts.items()])
    first, last = trend.trend.index[0], trend.trend.index[-1]
    houses = {
        "sum-zero": "house effects sum to zero, so the trend is the average pollster",
        "free": f"house effects are identified by {len(trend.anchors)} election result(s)",
    }.get(trend.identification, f"{trend.identification} is taken as unbiased")
    wordings = (
        f" The {len(questions)} question wordings are pooled: their differences are part of "
        "the house effects."
        if len(questions) > 1
        else ""
    )
    return (
        f"'{option}': {trend.n_polls} polls of {who}, {_month(first)} – {_month(last)}. The "
        f"trend moves by sigma = {100 * trend.sigma:.2f} points a day (estimated by maximum "
        f"likelihood); {houses}.{wordings}"
    )


# ------------------------------------------------------------------------------ analysis
def _anchors(elections: pd.DataFrame) -> dict | None:
    return dict(zip(elections["fieldwork_end"], elections["proportion"], strict=True)) or None


def _held_out(
    trend: PollTrend, rows: pd.DataFrame, option: str, fitted: list[str], sizes: Sequence[float]
) -> list[SeriesFinding]:
    """Checks of each held-out poll and changes between a held-out pollster's polls."""
    findings = []
    for pollster, polls in rows.groupby("pollster", sort=True):
        polls = polls.sort_values("fieldwork_end", kind="stable")
        for _, poll in polls.iterrows():
            n = list(sizes) if pd.isna(poll["n"]) and pd.isna(poll["moe"]) else None
            check = check_poll(trend, poll, n=n)
            sentence = check_sentence(check, pollster=str(pollster), option=option, fitted=fitted)
            findings.append(SeriesFinding("check", str(pollster), check, sentence))
        rows = [poll for _, poll in polls.iterrows()]
        for earlier, later in itertools.pairwise(rows):
            sizes_ = {
                name: list(sizes)
                for name, poll in (("n1", later), ("n2", earlier))
                if pd.isna(poll["n"]) and pd.isna(poll["moe"])
            }
            try:
                change = compare_change(trend, later, earlier, **sizes_)
            except SurveyKitError:  # two polls on the same days: no change to compare
                continue
            sentence = change_sentence(
                change, pollster=str(pollster), option=option, fitted=fitted
            )
            findings.append(SeriesFinding("change", str(pollster), change, sentence))
    return findings


def _section(
    rows: pd.DataFrame, option: str, *, fit_n: float, sizes: Sequence[float], min_polls: int
) -> SeriesSection | None:
    """One option: the fit of the pollsters with enough polls, the others held against it."""
    is_election = rows["mode"].astype(str) == "election"
    polls = rows[~is_election & rows[["fieldwork_start", "fieldwork_end"]].notna().any(axis=1)]
    counts = polls["pollster"].astype(str).value_counts()
    fitted = sorted(counts[counts >= min_polls].index)
    if len(fitted) < 2:
        return None
    in_fit = polls["pollster"].astype(str).isin(fitted)
    questions = sorted(set(polls.loc[in_fit, "question"].astype(str)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveyKitWarning)
        try:
            trend = poll_trend(
                polls[in_fit],
                question=questions if len(questions) > 1 else None,
                option=option,
                assumed_n=fit_n,
                anchors=_anchors(rows[is_election]),
            )
        except SurveyKitError as exc:
            return SeriesSection(option, questions, None, f"'{option}': no trend fitted: {exc}")
    sentence = _fit_sentence(trend, option, questions)
    findings = _held_out(trend, polls[~in_fit], option, fitted, sizes)
    return SeriesSection(option, questions, trend, sentence, findings)


def series_findings(
    polls: pd.DataFrame,
    *,
    assumed_n: Sequence[float] = ASSUMED_NS,
    fit_n: float = FIT_N,
    min_polls: int = MIN_POLLS,
) -> list[SeriesSection]:
    """Each option's trend and the polls held against it, with their sentences.

    An option qualifies when at least two pollsters published ``min_polls`` polls of it
    (the same option label, pooled across question wordings); their polls are fitted
    with sum-zero house effects (or anchored at election results, rows with ``mode ==
    'election'``), polls without n or margin of error at ``fit_n``. Each poll of the
    other pollsters is checked against the trend at the sample sizes ``assumed_n`` (at
    its own n where published), and each pair of consecutive polls of one such pollster
    is compared with the trend's change. Returns one :class:`SeriesSection` per
    qualifying option (an empty list when none does).
    """
    sections = []
    for option, rows in polls.groupby(polls["option"].astype(str), sort=True):
        section = _section(
            rows, str(option), fit_n=fit_n, sizes=tuple(assumed_n), min_polls=min_polls
        )
        if section is not None:
            sections.append(section)
    return sections
