"""The verdicts of a reanalysis: robustness checks of every change and one plain-English
sentence per comparison."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue
from surveykit.unknowns.robustness import robustness

__all__ = ["published_decimals", "robustness_checks", "verdict_sentence"]


def published_decimals(proportions: pd.Series) -> int:
    """Decimals of the published percentages: the fewest that write every share exactly."""
    pct = 100 * proportions.to_numpy(float)
    for decimals in range(4):
        scaled = pct * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return decimals
    return 4


def robustness_checks(
    pairs: list[dict[str, Any]], published_decimals: int, alpha: float
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`surveykit.robustness.robustness` for every change between polls.

    A published n is used (the smaller of the two polls', to be conservative); a
    published margin of error is passed on, so the implied design effect is used.
    Returns the checks (one row per change and check) and each change's sentence.
    """
    frames, sentences = [], {}
    for pair in pairs:
        sizes = [pair["n1"], pair["n2"]]
        n = float(min(sizes)) if all(pd.notna(v) for v in sizes) else None
        moe = None if np.isnan(pair["moe"]) or n is None else float(pair["moe"])
        result = robustness(
            pair["p1"],
            pair["p2"],
            n=n,
            moe=moe,
            published_decimals=published_decimals,
            alpha=alpha,
        )
        frames.append(result.to_frame().assign(comparison=pair["comparison"]))
        sentences[pair["comparison"]] = result.summary
    columns = ["comparison", "check", "value", "holds", "assumption"]
    if not frames:
        return pd.DataFrame(columns=columns), sentences
    return pd.concat(frames, ignore_index=True)[columns], sentences


def verdict_sentence(row: pd.Series, rows: pd.DataFrame, alpha: float, deff: float) -> str:
    """One plain-English sentence about a comparison.

    ``row`` is the comparison's critical-n row, ``rows`` its tests at design effect
    ``deff``. With every sample size published it reports the test at those sizes;
    otherwise it gives the critical n, the one number that settles the verdict whatever
    n was.
    """
    what = "change" if row["kind"] == "change" else "lead"
    size = "per poll" if row["kind"] == "change" else "in the poll"
    points = 100 * row["estimate"]
    level = f"{100 * alpha:g}%"
    design = "simple random sampling" if deff == 1 else f"design effect {deff:g}"
    crit = row["critical_n"]
    published = rows.empty or rows["assumed_n"].isna().all()
    if published and not rows.empty:
        first = rows.iloc[0]
        verdict = "significant" if first["significant"] else "not significant"
        ns = [int(first[c]) for c in ("n2", "n1", "n") if c in first.index]
        sizes = " and ".join(f"{n:,}" for n in dict.fromkeys(ns))
        need = "" if not np.isfinite(crit) else f"; it would need at least {int(crit):,} {size}"
        return (
            f"{row['comparison']}: the {what} of {points:+.1f} points is {verdict} at the "
            f"{level} level with the published n ({sizes}; p {format_pvalue(first['pvalue'])}, "
            f"{design}){need if verdict != 'significant' else ''}."
        )
    if not np.isfinite(crit):
        return (
            f"{row['comparison']}: a {what} of {points:+.1f} points is not significant "
            f"at any sample size."
        )
    return (
        f"{row['comparison']}: the {what} of {points:+.1f} points "
        f"is significant at the {level} level if at least {int(crit):,} "
        f"people were asked {size} ({design}); smaller samples cannot "
        f"rule out no {what}."
    )
