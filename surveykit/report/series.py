"""The report's "Poll series" section, rendered from the findings of
:func:`surveykit.reanalysis.series.series_findings` (computed by the reanalysis; a poll
frame is also accepted, and its findings are computed here)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from surveykit.reanalysis.series import (
    ASSUMED_NS,
    FIT_N,
    MIN_POLLS,
    SeriesSection,
    points_text,
    series_findings,
)
from surveykit.series.trend import PollTrend

__all__ = ["series_blocks", "series_findings"]


def _house_table(trend: PollTrend) -> pd.DataFrame:
    houses = trend.house_effects
    level = f"{100 * trend.confidence_level:g}%"
    return pd.DataFrame(
        {
            "pollster": houses.index,
            "polls": houses["polls"].to_numpy(),
            "house effect (points)": [points_text(v) for v in houses["estimate"]],
            f"{level} interval": [
                f"{points_text(lo)} to {points_text(hi)}"
                for lo, hi in zip(houses["ci_low"], houses["ci_high"], strict=True)
            ],
        }
    )


def series_blocks(
    polls: pd.DataFrame | Sequence[SeriesSection],
    *,
    level: int,
    assumed_n: Sequence[float] = ASSUMED_NS,
    fit_n: float = FIT_N,
    min_polls: int = MIN_POLLS,
) -> list:
    """The report blocks of a "Poll series" section; ``[]`` when no option qualifies.

    Headings are at ``level`` (the section) and ``level + 1`` (each option). See
    :func:`series_findings` for what qualifies and what is computed.
    """
    sections = (
        series_findings(polls, assumed_n=assumed_n, fit_n=fit_n, min_polls=min_polls)
        if isinstance(polls, pd.DataFrame)
        else list(polls)
    )
    if not sections:
        return []
    sizes = " and ".join(f"{n:,.0f}" for n in assumed_n)
    blocks: list = [
        ("h", level, "Poll series"),
        (
            "p",
            "Where at least two pollsters published at least "
            f"{min_polls} polls of an option, their polls are pooled into a daily trend with "
            "each pollster's house effect (Jackman 2005; polls of differently worded "
            "questions with the same option are pooled, their wording differences becoming "
            f"part of the house effects; polls without a published n count as n = {fit_n:,.0f}"
            "). Each poll of a pollster with fewer polls is held against that trend, assuming "
            f"n = {sizes} where none was published: its house effect is unknown, so it is "
            "expected where the average pollster is, give or take the spread of house "
            "effects. Such a pollster's change between two polls is compared with the "
            "trend's change over the same days; its own house effect cancels.",
        ),
    ]
    for section in sections:
        blocks.append(("h", level + 1, section.option))
        blocks.append(("p", section.sentence))
        if section.trend is None:
            continue
        blocks.append(("table", _house_table(section.trend), f"House effects: {section.option}"))
        blocks += [("p", finding.sentence) for finding in section.findings]
    return blocks
