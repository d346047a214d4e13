"""The robustness checks of every change of a reanalysis (the verdict sentences are
rendered from claims: :mod:`surveykit.reanalysis.claims`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.inference.equivalence import equivalence_test
from surveykit.reanalysis.claims import claim_from_row, claims_frame, render_claim
from surveykit.unknowns.robustness import robustness

#: the largest n per poll a verdict searches (critical n beyond it reads "at any n")
SEARCH_LIMIT = float(2**40)

__all__ = ["SEARCH_LIMIT", "claims_table", "lead_ties", "published_decimals", "robustness_checks"]


def published_decimals(proportions: pd.Series) -> int:
    """Decimals of the published percentages: the fewest that write every share exactly."""
    pct = 100 * proportions.to_numpy(float)
    for decimals in range(4):
        scaled = pct * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return decimals
    return 4


def robustness_checks(
    pairs: pd.DataFrame, published_decimals: int, alpha: float
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`surveykit.robustness` for every change between polls.

    Each poll's own published n and margin of error are passed on (a margin gives the
    poll's design effect with its n, or its n without one); never the larger of the
    two. Returns the checks (one row per change and check) and each change's sentence.
    """
    frames, sentences = [], {}
    columns = ["comparison", "check", "value", "holds", "assumption"]
    for _, pair in pairs.iterrows():
        n1, n2 = _known(pair["n1"]), _known(pair["n2"])
        moe1, moe2 = _known(pair["moe1"]), _known(pair["moe2"])
        if (n1 is None) != (n2 is None):  # one n unknown: assumed alike, margins unused
            n1 = n2 = None
            moe1 = moe2 = None
        result = robustness(
            pair["p1"],
            pair["p2"],
            n=n1,
            n2=n2,
            moe=moe1 if n1 is not None else None,
            moe2=moe2 if n2 is not None else None,
            published_decimals=published_decimals,
            alpha=alpha,
        )
        frames.append(result.to_frame().assign(comparison=pair["comparison"]))
        sentences[pair["comparison"]] = result.summary
    if not frames:
        return pd.DataFrame(columns=columns), sentences
    return pd.concat(frames, ignore_index=True)[columns], sentences


def _known(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def lead_ties(gaps: pd.DataFrame, margin: float, alpha: float) -> pd.DataFrame:
    """Equivalence tests of every lead (two one-sided Wald tests within the poll)."""
    if gaps.empty:
        return gaps.assign(tie=pd.Series(dtype=object), tie_pvalue=np.nan, tie_margin=margin)
    n_eff = gaps["n"].to_numpy(float) / gaps["deff_poll"].to_numpy(float)
    tost = equivalence_test(
        gaps["p1"].to_numpy(float),
        n_eff,
        gaps["p2"].to_numpy(float),
        n_eff,
        margin=margin,
        within=True,
        alpha=alpha,
    )
    return gaps.assign(tie=tost.equivalent, tie_pvalue=tost.pvalue, tie_margin=margin)


def claims_table(
    changes: pd.DataFrame,
    gaps: pd.DataFrame,
    critical: pd.DataFrame,
    deff0: float,
    alpha: float,
    adjust: str | None,
) -> pd.DataFrame:
    """One claim per comparison, at the first design effect of the grid.

    At known sizes the claim copies the one row of the table; at assumed sizes it is
    about the critical n (the n from which the comparison is significant).
    """
    crit = critical[critical["deff"] == deff0].set_index("comparison")
    rows = []
    for kind, frame in (("change", changes), ("lead", gaps)):
        part = frame[frame["deff"] == deff0]
        for comparison, group in part.groupby("comparison", sort=False):
            first = group.iloc[0]
            known = bool(group["assumed_n"].isna().all())
            row = first.to_dict() | {
                "kind": kind,
                "basis": "published" if known else "assumed",
                "critical_n": crit.loc[comparison, "critical_n"],
                "deff_used": crit.loc[comparison, "deff_used"],
            }
            rows.append(row)
    claims = [
        claim_from_row(
            pd.Series(r),
            alpha=alpha,
            search_limit=SEARCH_LIMIT,
            adjustment=adjust,
        )
        for r in rows
    ]
    frame = claims_frame(claims)
    return frame.assign(sentence=[render_claim(c) for c in claims])
