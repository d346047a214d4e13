"""The comparisons of a reanalysis: which figures are compared, and their intervals,
tests and critical sample sizes under every assumed n and design effect.

A *change* is one pollster's figure for one question and option in two consecutive polls
(in fieldwork order): a series. Figures of different pollsters are compared only on
request (``compare="all"`` or explicit ``pairs``) and are then labelled "between
pollsters", because house effects (question wording, mode, weighting) differ. A *lead*
is the top option over the runner-up inside one poll. Published sample sizes are used as
published; a published margin of error gives the poll's design effect (with n) or its
sample size (without); only what is still unknown takes the assumed values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.validation import check_deff, check_option
from surveykit.exceptions import SurveyKitError
from surveykit.inference.multiple import adjust_pvalues
from surveykit.unknowns.critical import critical_n
from surveykit.unknowns.margins import implied_deff, n_from_moe

__all__ = [
    "COMPARE_CHOICES",
    "RESULT_COLUMNS",
    "adjust_families",
    "changes_between_polls",
    "compare",
    "critical_sizes",
    "expand",
    "leads_within_polls",
    "option_names",
    "poll_designs",
    "poll_labels",
    "poll_names",
]

#: which changes :func:`changes_between_polls` forms
COMPARE_CHOICES = ("within-pollster", "all")

#: the columns :func:`compare` adds to every comparison
RESULT_COLUMNS = [
    "deff",
    "estimate",
    "ci_low",
    "ci_high",
    "statistic",
    "pvalue",
    "significant",
]

#: a poll's own margin of error may imply a design effect below 1 by this much through
#: rounding of the published margin alone (beyond it, the margin disagrees with n)
_ROUNDING_SLACK = 1e-9


def poll_labels(polls: pd.DataFrame) -> list[str]:
    """Short human labels of polls: the fieldwork month, else the poll id.

    The month is used when it names one poll of its pollster; two polls of one
    pollster in one month, or an unknown date, fall back to the poll id, so that with
    the pollster's name (see :func:`poll_names`) a label never stands for two polls.
    """
    ids = polls["poll_id"].astype(str).tolist()
    months = [None if pd.isna(end) else end.strftime("%b %Y") for end in polls["fieldwork_end"]]
    owners: dict[tuple[str, str | None], set[str]] = {}
    for pollster, month, pid in zip(polls["pollster"], months, ids, strict=True):
        owners.setdefault((str(pollster), month), set()).add(pid)
    return [
        month if month is not None and len(owners[(str(pollster), month)]) == 1 else pid
        for pollster, month, pid in zip(polls["pollster"], months, ids, strict=True)
    ]


def option_names(polls: pd.DataFrame) -> list[str]:
    """The option, with its question in brackets where the option's name alone would
    stand for options of several questions."""
    questions = polls.groupby("option")["question"].nunique()
    return [
        f"{o} [{q}]" if questions[o] > 1 else str(o)
        for o, q in zip(polls["option"], polls["question"], strict=True)
    ]


def poll_names(polls: pd.DataFrame) -> list[str]:
    """The label with the pollster in front when the file has several pollsters."""
    if polls["pollster"].nunique() <= 1:
        return polls["label"].tolist()
    return [f"{p} {lab}" for p, lab in zip(polls["pollster"], polls["label"], strict=True)]


def _floats(column: pd.Series) -> np.ndarray:
    """A nullable column as floats with NaN for missing values."""
    return pd.array(column, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _decimals_of(values: np.ndarray) -> np.ndarray:
    """How many decimals each percentage was published with (0 to 2)."""
    out = np.full(values.shape, 2)
    for d in (1, 0):
        scaled = values * 10**d
        out = np.where(np.abs(scaled - np.round(scaled)) < 1e-6, d, out)
    return out


def poll_designs(polls: pd.DataFrame) -> pd.DataFrame:
    """Per figure: the n and design effect the reanalysis uses, and why.

    Columns ``n_used`` (published n; else the n a published margin of error implies at
    a design effect of 1; else NaN, to be assumed), ``n_basis`` (``'published'``,
    ``'margin of error'``, ``'assumed'``), ``deff_poll`` (a ``deff`` column's value, as
    :meth:`SurveyProportion.to_polls <surveykit.design.results.SurveyProportion.to_polls>`
    writes it from microdata; else the design effect a published margin implies together
    with a published n; NaN otherwise, to be assumed),
    ``moe_flag`` (True where the margin is smaller than n allows even without any design
    effect, beyond the rounding of the margin) and ``design_note`` (a sentence).
    """
    n = pd.array(polls["n"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    moe = pd.array(polls["moe"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    has_n, has_moe = ~np.isnan(n), ~np.isnan(moe)
    n_used = n.copy()
    implied_n = np.full(n.shape, np.nan)
    if (has_moe & ~has_n).any():
        implied_n[has_moe & ~has_n] = n_from_moe(moe[has_moe & ~has_n])
        n_used = np.where(has_moe & ~has_n, implied_n, n_used)
    deff_poll = np.full(n.shape, np.nan)
    flag = np.zeros(n.shape, dtype=bool)
    both = has_n & has_moe
    if both.any():
        half = 0.5 * 10.0 ** -_decimals_of(100 * moe[both]) / 100  # half a published unit
        point = implied_deff(moe[both], n[both])
        highest = implied_deff(moe[both] + half, n[both])
        flag[both] = highest < 1 - _ROUNDING_SLACK
        # within rounding of simple random sampling, or below it (flagged): no design
        # effect below 1 is used
        deff_poll[both] = np.maximum(point, 1.0)
    # a design effect known from the poll's own microdata design (SurveyProportion.to_polls)
    own = _floats(polls["deff"]) if "deff" in polls.columns else np.full(n.shape, np.nan)
    designed = ~np.isnan(own) & has_n
    check_deff("deff", own[designed])  # 0 would be a share fixed by the design itself
    deff_poll = np.where(designed, own, deff_poll)
    flag &= ~designed
    basis = np.where(has_n, "published", np.where(has_moe, "margin of error", "assumed"))
    notes = []
    for i in range(len(polls)):
        if designed[i]:
            notes.append(
                f"design effect {own[i]:.2f} from the survey's own design (microdata, "
                f"n = {n[i]:,.0f}, effective n = {n[i] / own[i]:,.0f})"
            )
            continue
        m = f"±{100 * moe[i]:g} points" if has_moe[i] else ""
        if both[i] and flag[i]:
            notes.append(
                f"published margin {m} is smaller than n = {n[i]:,.0f} allows even without "
                "a design effect: the margin or the n is wrong; design effect 1 used"
            )
        elif both[i]:
            notes.append(
                f"published margin {m} with n = {n[i]:,.0f}: design effect {deff_poll[i]:.2f} used"
            )
        elif has_moe[i]:
            notes.append(f"n not published; margin {m} implies n = {implied_n[i]:,.0f}")
        elif has_n[i]:
            notes.append("n published, no margin: design effects assumed")
        else:
            notes.append("n not published: sizes and design effects assumed")
    return pd.DataFrame(
        {
            "n_used": n_used,
            "n_basis": basis,
            "deff_poll": deff_poll,
            "moe_flag": flag,
            "design_note": notes,
        },
        index=polls.index,
    )


def _pair(later: pd.Series, earlier: pd.Series, between: bool, several: bool) -> dict[str, Any]:
    if between:
        label = f"{later['option']}: {earlier['name']} → {later['name']} (between pollsters)"
    elif several:
        label = f"{later['option']} ({later['pollster']}): {earlier['label']} → {later['label']}"
    else:
        label = f"{later['option']}: {earlier['label']} → {later['label']}"
    return {
        "comparison": label,
        "question": later["question"],
        "option": later["option"],
        "pollster1": later["pollster"],
        "pollster2": earlier["pollster"],
        "between_pollsters": between,
        "poll1": later["poll_id"],
        "poll2": earlier["poll_id"],
        "p1": later["proportion"],
        "n1": later["n_used"],
        "p2": earlier["proportion"],
        "n2": earlier["n_used"],
        "deff1": later["deff_poll"],
        "deff2": earlier["deff_poll"],
        "moe1": later["moe"],
        "moe2": earlier["moe"],
    }


def _in_order(polls: pd.DataFrame) -> pd.DataFrame:
    return polls.assign(_order=np.arange(len(polls))).sort_values(
        ["fieldwork_end", "fieldwork_start", "_order"], na_position="last", kind="stable"
    )


def changes_between_polls(
    polls: pd.DataFrame,
    *,
    compare: str = "within-pollster",
    pairs: Sequence[tuple[Any, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The changes a reanalysis tests, later poll first in each.

    ``compare='within-pollster'`` (the default) forms one series per pollster, question
    and option and compares consecutive polls of it; ``'all'`` ignores the pollster
    (consecutive polls of any pollster, labelled between pollsters where they differ).
    ``pairs`` lists ``(poll_id, poll_id)`` pairs to compare instead, on every question
    and option the two polls share, whatever their pollsters. ``polls`` needs the
    columns of :func:`poll_designs` and a ``label`` column (:func:`poll_labels`).
    """
    compare = check_option("compare", compare, COMPARE_CHOICES)
    several = polls["pollster"].nunique() > 1
    ordered = _in_order(polls.assign(name=poll_names(polls), what=option_names(polls)))
    out: list[dict[str, Any]] = []
    if pairs is not None:
        return _requested_pairs(ordered, pairs, several)
    keys = ["question", "option"] if compare == "all" else ["pollster", "question", "option"]
    for _, group in ordered.groupby(keys, sort=False):
        rows = group.drop_duplicates("poll_id")
        for (_, earlier), (_, later) in zip(
            rows.iloc[:-1].iterrows(), rows.iloc[1:].iterrows(), strict=True
        ):
            between = later["pollster"] != earlier["pollster"]
            out.append(_pair(later, earlier, between, several))
    return out


def _requested_pairs(
    ordered: pd.DataFrame, pairs: Sequence[tuple[Any, Any]], several: bool
) -> list[dict[str, Any]]:
    known = set(ordered["poll_id"])
    out = []
    for pair in pairs:
        if not (isinstance(pair, tuple | list) and len(pair) == 2):
            raise SurveyKitError(
                f"pairs must list (poll_id, poll_id) pairs, got {pair!r}; for example "
                "pairs=[('pew-2021-07', 'pew-2021-09')]"
            )
        missing = [p for p in pair if p not in known]
        if missing:
            raise SurveyKitError(
                f"pairs names poll {missing[0]!r}, which is not in the data; the polls are "
                + ", ".join(repr(p) for p in sorted(known, key=str)[:12])
            )
        both = ordered[ordered["poll_id"].isin(pair)]
        for _, group in both.groupby(["question", "option"], sort=False):
            if group["poll_id"].nunique() < 2:
                continue
            earlier, later = group.iloc[0], group.iloc[-1]
            between = later["pollster"] != earlier["pollster"]
            out.append(_pair(later, earlier, between, several))
    return out


def leads_within_polls(polls: pd.DataFrame) -> list[dict[str, Any]]:
    """The lead of the top option over the runner-up in each poll and question."""
    leads = []
    polls = polls.assign(name=poll_names(polls))
    for (poll_id, question), group in polls.groupby(["poll_id", "question"], sort=False):
        if len(group) < 2:
            continue
        top = group.sort_values("proportion", ascending=False, kind="stable").iloc[:2]
        first, second = top.iloc[0], top.iloc[1]
        leads.append(
            {
                "comparison": f"{first['name']}: {first['option']} vs {second['option']}",
                "question": question,
                "poll_id": poll_id,
                "option1": first["option"],
                "option2": second["option"],
                "p1": first["proportion"],
                "p2": second["proportion"],
                "n": first["n_used"],
                "deff_poll": first["deff_poll"],
            }
        )
    return leads


def expand(
    frame: pd.DataFrame,
    n_grid: Sequence[int],
    deff_grid: Sequence[float],
    n_cols: list[str],
    deff_cols: list[str],
) -> pd.DataFrame:
    """Cross every row with the n and deff grids; known n and deff replace assumed ones.

    Each ``n_cols`` column gets a ``_status`` (``'published'`` when known, from n or a
    margin of error, else ``'assumed'``); each ``deff_cols`` column holds the poll's own
    design effect where a published margin gives it, else the grid's. Rows whose sizes
    are all known do not depend on the assumed n: one of them is kept per design effect.
    """
    grid = pd.DataFrame([(n, d) for n in n_grid for d in deff_grid], columns=["assumed_n", "deff"])
    out = frame.merge(grid, how="cross")
    for col in n_cols:
        given = pd.array(out[col], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(given)
        out[f"{col}_status"] = np.where(known, "published", "assumed")
        out[col] = np.where(known, given, out["assumed_n"])
    for col in deff_cols:
        own = pd.array(out[col], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        out[col] = np.where(np.isnan(own), out["deff"], own)
    known = np.logical_and.reduce([(out[f"{c}_status"] == "published").to_numpy() for c in n_cols])
    keep = ~known | (out["assumed_n"] == n_grid[0]).to_numpy()
    out = out[keep].copy()
    out.loc[known[keep], "assumed_n"] = np.nan
    return out.reset_index(drop=True)


def compare(
    rows: pd.DataFrame,
    columns: list[str],
    sizes: tuple[list[str], list[str]],
    arg_cols: list[str],
    functions: tuple[Callable[..., Any], Callable[..., Any]],
    grids: tuple[Sequence[int], Sequence[float], float, float],
) -> pd.DataFrame:
    """Interval and test of every comparison under every assumed n and design effect.

    ``sizes`` is (n columns, their design-effect columns, pairwise); each n is divided by
    its design effect (the effective size) before ``functions`` (interval, test) are
    called with the ``arg_cols`` columns, so polls with different design effects are
    compared exactly. ``grids`` is (assumed sizes, design effects, level, alpha).
    """
    n_cols, deff_cols = sizes
    status = [f"{c}_status" for c in n_cols]
    if rows.empty:
        return pd.DataFrame(columns=["assumed_n", *columns, *status, *deff_cols, *RESULT_COLUMNS])
    ci_func, test_func = functions
    n_grid, deff_grid, level, alpha = grids
    grid = expand(rows, n_grid, deff_grid, n_cols, deff_cols)
    effective = {
        n: grid[n].to_numpy(float) / grid[d].to_numpy(float)
        for n, d in zip(n_cols, deff_cols, strict=True)
    }
    args = [effective[c] if c in effective else grid[c].to_numpy(float) for c in arg_cols]
    ci = ci_func(*args, confidence_level=level)
    test = test_func(*args)
    grid = grid.assign(
        estimate=ci.estimate,
        ci_low=ci.ci_low,
        ci_high=ci.ci_high,
        statistic=test.statistic,
        pvalue=test.pvalue,
        significant=test.pvalue < alpha,
    )
    return grid[["assumed_n", *columns, *status, *deff_cols, *RESULT_COLUMNS]]


def adjust_families(
    frames: list[pd.DataFrame], n_grid: Sequence[int], method: str | None, alpha: float
) -> list[pd.DataFrame]:
    """Adjusted p-values over all comparisons tested under one scenario.

    A scenario is one design effect of the grid and one assumed n; comparisons whose
    sizes are all published belong to every scenario of their design effect (their one
    row gets the adjustment of the first assumed n, which has the same number of
    comparisons). Adds ``pvalue_adjusted``, ``significant_adjusted`` and
    ``family_size`` (how many comparisons the adjustment counted); with ``method=None``
    they repeat the raw values.
    """
    out = [f.assign(pvalue_adjusted=f["pvalue"].astype(float), family_size=1) for f in frames]
    if method is not None:
        for d in sorted({d for f in frames for d in f["deff"].unique()}):
            for k, n in enumerate(n_grid):
                picks = [
                    (f["deff"] == d) & ((f["assumed_n"] == n) | (f["assumed_n"].isna() & (k == 0)))
                    for f in out
                ]
                values = pd.concat([f.loc[m, "pvalue"] for f, m in zip(out, picks, strict=True)])
                if values.empty:
                    continue
                adjusted = adjust_pvalues(values.to_numpy(float), method=method)
                start = 0
                for f, m in zip(out, picks, strict=True):
                    count = int(m.sum())
                    f.loc[m, "pvalue_adjusted"] = adjusted[start : start + count]
                    f.loc[m, "family_size"] = int(np.isfinite(values.to_numpy(float)).sum())
                    start += count
    return [f.assign(significant_adjusted=f["pvalue_adjusted"] < alpha) for f in out]


def critical_sizes(
    pairs: pd.DataFrame, leads: pd.DataFrame, deff_grid: Sequence[float], alpha: float
) -> pd.DataFrame:
    """The critical n of every change and lead, one row per comparison x design effect.

    A poll whose published margin gives its design effect keeps it; the critical n of a
    pair whose two polls have different design effects is computed at the larger one
    (conservative), and ``deff_used`` says which design effect the number belongs to.
    """
    rows = []
    kinds = (("change", pairs, ["deff1", "deff2"], False), ("lead", leads, ["deff_poll"], True))
    for d in deff_grid:
        for kind, frame, deff_cols, within in kinds:
            if frame.empty:
                continue
            own = np.column_stack(
                [
                    pd.array(frame[c], dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
                    for c in deff_cols
                ]
            )
            used = np.nanmax(np.where(np.isnan(own), d, own), axis=1)
            crit = critical_n(
                frame["p1"].to_numpy(float),
                frame["p2"].to_numpy(float),
                alpha=alpha,
                deff=used,
                within=within,
            )
            for (_, row), value, u in zip(
                frame.iterrows(), np.atleast_1d(crit), used, strict=True
            ):
                rows.append(
                    {
                        "comparison": row["comparison"],
                        "kind": kind,
                        "estimate": row["p1"] - row["p2"],
                        "deff": d,
                        "deff_used": float(u),
                        "critical_n": float(value),
                    }
                )
    columns = ["comparison", "kind", "estimate", "deff", "deff_used", "critical_n"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {c: i for i, c in enumerate(dict.fromkeys(frame["comparison"]))}
    return frame.sort_values(
        ["comparison", "deff"], key=lambda s: s.map(order) if s.name == "comparison" else s
    ).reset_index(drop=True)
