"""The comparisons of a reanalysis: which figures are compared, and their intervals,
tests and critical sample sizes under every assumed n and design effect.

A *change* is the same question and option in two consecutive polls; a *lead* is the
top option over the runner-up inside one poll. Published sample sizes are used as
published; only unknown ones take the assumed values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.unknowns.critical import critical_n

__all__ = [
    "RESULT_COLUMNS",
    "changes_between_polls",
    "compare",
    "critical_sizes",
    "expand",
    "leads_within_polls",
    "poll_labels",
]

#: the columns :func:`compare` adds to every comparison
RESULT_COLUMNS = ["deff", "estimate", "ci_low", "ci_high", "statistic", "pvalue", "significant"]


def poll_labels(polls: pd.DataFrame) -> list[str]:
    """Short human labels of polls: the fieldwork month, else the poll id.

    With several pollsters, or two polls in one month, or unknown dates, the poll ids
    are used, so a label never stands for two polls.
    """
    ids = polls["poll_id"].astype(str).tolist()
    if polls["pollster"].nunique() > 1 or polls["fieldwork_end"].isna().any():
        return ids
    months = [end.strftime("%b %Y") for end in polls["fieldwork_end"]]
    owners: dict[str, set[str]] = {}
    for label, pid in zip(months, ids, strict=True):
        owners.setdefault(label, set()).add(pid)
    if any(len(v) > 1 for v in owners.values()):
        return ids
    return months


def _larger_moe(before: pd.Series, after: pd.Series) -> float:
    """The larger published margin of error of two polls (NaN when neither has one)."""
    if pd.isna(before["moe"]) and pd.isna(after["moe"]):
        return np.nan
    values = pd.array([before["moe"], after["moe"]], dtype="Float64")
    return float(np.nanmax(values.to_numpy(dtype=float, na_value=np.nan)))


def changes_between_polls(polls: pd.DataFrame) -> list[dict[str, Any]]:
    """Every change of one question and option between consecutive polls (in time).

    ``polls`` needs a ``label`` column (:func:`poll_labels`).
    """
    ordered = polls.assign(_order=np.arange(len(polls))).sort_values(
        ["fieldwork_end", "_order"], na_position="last", kind="stable"
    )
    pairs = []
    for (question, option), group in ordered.groupby(["question", "option"], sort=False):
        rows = group.drop_duplicates("poll_id")
        for (_, before), (_, after) in zip(
            rows.iloc[:-1].iterrows(), rows.iloc[1:].iterrows(), strict=True
        ):
            pairs.append(
                {
                    "comparison": f"{option}: {before['label']} -> {after['label']}",
                    "question": question,
                    "option": option,
                    "poll1": after["poll_id"],
                    "poll2": before["poll_id"],
                    "p1": after["proportion"],
                    "n1": after["n"],
                    "p2": before["proportion"],
                    "n2": before["n"],
                    "moe": _larger_moe(before, after),
                }
            )
    return pairs


def leads_within_polls(polls: pd.DataFrame) -> list[dict[str, Any]]:
    """The lead of the top option over the runner-up in each poll and question."""
    leads = []
    for (poll_id, question), group in polls.groupby(["poll_id", "question"], sort=False):
        if len(group) < 2:
            continue
        top = group.sort_values("proportion", ascending=False, kind="stable").iloc[:2]
        first, second = top.iloc[0], top.iloc[1]
        leads.append(
            {
                "comparison": f"{first['label']}: {first['option']} vs {second['option']}",
                "question": question,
                "poll_id": poll_id,
                "option1": first["option"],
                "option2": second["option"],
                "p1": first["proportion"],
                "p2": second["proportion"],
                "n": first["n"],
            }
        )
    return leads


def expand(
    frame: pd.DataFrame, n_grid: Sequence[int], deff_grid: Sequence[float], n_cols: list[str]
) -> pd.DataFrame:
    """Cross every row with the n and deff grids; published n replace the assumed one."""
    grid = pd.DataFrame([(n, d) for n in n_grid for d in deff_grid], columns=["assumed_n", "deff"])
    out = frame.merge(grid, how="cross")
    for col in n_cols:
        given = pd.array(out[col], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        published = ~np.isnan(given)
        out[f"{col}_status"] = np.where(published, "published", "assumed")
        out[col] = np.where(published, given, out["assumed_n"])
    # rows whose n are all published do not depend on the assumed n: keep one of them
    published = np.logical_and.reduce(
        [(out[f"{c}_status"] == "published").to_numpy() for c in n_cols]
    )
    keep = ~published | (out["assumed_n"] == n_grid[0]).to_numpy()
    out = out[keep].copy()
    out.loc[published[keep], "assumed_n"] = np.nan
    return out.reset_index(drop=True)


def compare(
    rows: pd.DataFrame,
    columns: list[str],
    n_cols: list[str],
    arg_cols: list[str],
    functions: tuple[Callable[..., Any], Callable[..., Any]],
    grids: tuple[Sequence[int], Sequence[float], float, float],
) -> pd.DataFrame:
    """Interval and test of every comparison under every assumed n and design effect.

    ``functions`` is the (interval, test) pair called with the ``arg_cols`` columns;
    ``grids`` is (assumed sizes, design effects, confidence level, alpha).
    """
    status = [f"{c}_status" for c in n_cols]
    if rows.empty:
        return pd.DataFrame(columns=["assumed_n", *columns, *status, *RESULT_COLUMNS])
    ci_func, test_func = functions
    n_grid, deff_grid, level, alpha = grids
    grid = expand(rows, n_grid, deff_grid, n_cols)
    args = [grid[c].to_numpy(float) for c in arg_cols]
    design = grid["deff"].to_numpy()
    ci = ci_func(*args, deff=design, confidence_level=level)
    test = test_func(*args, deff=design)
    grid = grid.assign(
        estimate=ci.estimate,
        ci_low=ci.ci_low,
        ci_high=ci.ci_high,
        statistic=test.statistic,
        pvalue=test.pvalue,
        significant=test.pvalue < alpha,
    )
    return grid[["assumed_n", *columns, *status, *RESULT_COLUMNS]]


def critical_sizes(
    pairs: pd.DataFrame, leads: pd.DataFrame, deff_grid: Sequence[float], alpha: float
) -> pd.DataFrame:
    """The critical n of every change and lead, one row per comparison x design effect."""
    rows = []
    kinds = (
        ("change", pairs, "p1", "p2", False),
        ("lead", leads, "p1", "p2", True),
    )
    for d in deff_grid:
        for kind, frame, first, second, within in kinds:
            if frame.empty:
                continue
            crit = critical_n(
                frame[first].to_numpy(),
                frame[second].to_numpy(),
                alpha=alpha,
                deff=d,
                within=within,
            )
            for (_, row), value in zip(frame.iterrows(), np.atleast_1d(crit), strict=True):
                rows.append(
                    {
                        "comparison": row["comparison"],
                        "kind": kind,
                        "estimate": row[first] - row[second],
                        "deff": d,
                        "critical_n": float(value),
                    }
                )
    columns = ["comparison", "kind", "estimate", "deff", "critical_n"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {c: i for i, c in enumerate(dict.fromkeys(frame["comparison"]))}
    return frame.sort_values(
        ["comparison", "deff"], key=lambda s: s.map(order) if s.name == "comparison" else s
    ).reset_index(drop=True)
