"""The robustness checks of every change of a reanalysis (the verdict sentences are
rendered from claims: :mod:`surveykit.reanalysis.claims`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit.unknowns.robustness import robustness

__all__ = ["published_decimals", "robustness_checks"]


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
