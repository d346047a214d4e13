"""The end-to-end reanalysis of a set of published figures under assumed sample sizes.

:func:`reanalyse` takes a tidy poll frame (see :func:`surveykit.read_polls`) and works out
everything ``surveykit report`` shows: each figure's interval under a grid of assumed
sample sizes and design effects, every change of the same question and option between
consecutive polls, the lead of the top option over the runner-up inside each poll, and
the critical sample size of each comparison. Published sample sizes are used as
published; only unknown ones are replaced by the assumed grid.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.formatting import frame_to_html, points
from surveykit._core.validation import (
    as_axis,
    as_scalar,
    check_alpha,
    check_confidence_level,
    check_deff,
    check_n,
    check_no_nan,
)
from surveykit.data.polls import read_polls
from surveykit.exceptions import SurveyKitError
from surveykit.inference.difference import difference_ci
from surveykit.inference.proportion import proportion_ci
from surveykit.inference.two_sample_tests import two_proportion_test
from surveykit.inference.within_poll import option_difference_ci, option_difference_test
from surveykit.unknowns.critical import critical_n

__all__ = ["DEFAULT_DEFFS", "DEFAULT_NS", "Reanalysis", "reanalyse"]

DEFAULT_NS = (400, 800, 1600, 3000)
DEFAULT_DEFFS = (1.0, 1.5, 2.0)

#: the methods the reanalysis uses, with the papers that define them
METHODS = {
    "interval of a share": ("wilson", "Wilson (1927), JASA 22:209-212"),
    "interval of a change": (
        "newcombe",
        "Newcombe (1998), Statistics in Medicine 17:873-890, method 10",
    ),
    "test of a change": ("z-pooled", "two-sample z-test, Agresti (2013) section 3.1"),
    "interval and test of a lead": (
        "wald",
        "multinomial variance (p1 + p2 - (p1 - p2)^2)/n; Franklin (2007)",
    ),
    "critical n": (
        "closed form",
        "smallest whole n at which the test's p-value falls below alpha",
    ),
}


@dataclass(frozen=True, eq=False)
class Reanalysis:
    """Everything :func:`reanalyse` works out, as tidy frames.

    Attributes
    ----------
    polls : DataFrame
        The figures analysed (the validated input).
    intervals : DataFrame
        One row per figure x sample size x design effect.
    changes : DataFrame
        One row per change (consecutive polls, same question and option) x sample size
        x design effect: estimate (later minus earlier), interval, statistic, p-value.
    gaps : DataFrame
        One row per lead (top option minus runner-up in one poll) x n x design effect.
    critical : DataFrame
        One row per comparison x design effect: the smallest n per poll at which it is
        significant at ``alpha``.
    robustness : DataFrame
        For every change, the checks of :func:`surveykit.robustness.robustness` (critical
        n, worst case of rounding, critical design effect, posterior probability of an
        increase, design effect implied by a published margin), one row per check.
    robustness_summaries : dict
        For every change, the one-sentence summary of those checks.
    """

    polls: pd.DataFrame
    intervals: pd.DataFrame
    changes: pd.DataFrame
    gaps: pd.DataFrame
    critical: pd.DataFrame
    n_grid: tuple[int, ...]
    deff_grid: tuple[float, ...]
    confidence_level: float
    alpha: float
    dataset: str | None = None
    robustness: pd.DataFrame = field(default_factory=pd.DataFrame)
    robustness_summaries: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """Plain-English sentences, one per comparison, for the top of a report."""
        lines = []
        deff0 = self.deff_grid[0]
        crit = self.critical[self.critical["deff"] == deff0]
        for _, row in crit.iterrows():
            if row["kind"] == "change" and row["comparison"] in self.robustness_summaries:
                lines.append(
                    f"{row['comparison']}: {self.robustness_summaries[row['comparison']]}"
                )
                continue
            frame = self.changes if row["kind"] == "change" else self.gaps
            rows = frame[(frame["comparison"] == row["comparison"]) & (frame["deff"] == deff0)]
            lines.append(_verdict_sentence(row, rows, self.alpha, deff0))
        return "\n".join(lines)

    def critical_table(self) -> pd.DataFrame:
        """Critical n per comparison (rows) and design effect (columns), for people."""
        if self.critical.empty:
            return pd.DataFrame()
        crit = self.critical
        table = crit.assign(
            value=["never" if not np.isfinite(v) else f"{int(v):,}" for v in crit["critical_n"]],
            column=[f"deff = {d:g}" for d in crit["deff"]],
            difference=[points(v) for v in crit["estimate"]],
        ).pivot_table(
            index=["comparison", "kind", "difference"],
            columns="column",
            values="value",
            aggfunc="first",
            sort=False,
        )
        table.columns.name = None
        return table.reset_index().rename(columns={"difference": "difference (points)"})

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.summary().splitlines())
        return (
            f"<div><b>Reanalysis of {html.escape(self.dataset or 'figures')}</b>"
            f"<ul>{items}</ul>{frame_to_html(self.critical_table())}</div>"
        )


def _grid(name: str, values: Any, check: Any) -> tuple[float, ...]:
    arr = as_axis(name, values)
    check_no_nan(**{name: arr})
    check(name, arr)
    return tuple(dict.fromkeys(arr.tolist()))


def _n_grid(values: Any) -> tuple[int, ...]:
    grid = _grid("n", values, lambda name, arr: check_n(name, arr, integer=True))
    return tuple(int(v) for v in grid)


def _labels(polls: pd.DataFrame) -> list[str]:
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


def _expand(frame: pd.DataFrame, n_grid: Sequence[int], deff_grid: Sequence[float], n_cols):
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


def reanalyse(
    polls: pd.DataFrame | str,
    *,
    n: Sequence[int] | int = DEFAULT_NS,
    deff: Sequence[float] | float = DEFAULT_DEFFS,
    confidence_level: float = 0.95,
    alpha: float | None = None,
) -> Reanalysis:
    """Reanalyse published figures under assumed sample sizes and design effects.

    Parameters
    ----------
    polls : DataFrame or str
        A tidy poll frame from :func:`surveykit.read_polls` or
        :func:`surveykit.load_dataset`, or a path to a CSV file in that schema.
    n : int or sequence of int, default (400, 800, 1600, 3000)
        Sample sizes to assume for every poll whose n was not published.
    deff : float or sequence of float, default (1, 1.5, 2)
        Design effects to assume (applied to every poll).
    confidence_level : float, default 0.95
    alpha : float, optional
        Significance level of the tests; ``1 - confidence_level`` by default.

    Returns
    -------
    Reanalysis

    Examples
    --------
    >>> import surveykit as sk
    >>> result = sk.reanalyse(sk.load_dataset("kremlin_fso_2022"), n=[400, 1600], deff=1)
    >>> result.critical[["comparison", "critical_n"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['start peace talks: Jul 2022 -> Nov 2022', 36.0],
     ['Nov 2022: start peace talks vs continue military action', 31.0]]
    """
    if isinstance(polls, str | Path):
        if not Path(polls).is_file():
            raise SurveyKitError(
                f"polls must be a poll DataFrame or the path of a CSV file; no file at "
                f"{str(polls)!r}"
            )
        polls = read_polls(polls)
    if not isinstance(polls, pd.DataFrame):
        raise SurveyKitError(
            f"polls must be a DataFrame from read_polls or load_dataset, got {type(polls)!r}"
        )
    if "n_status" not in polls or "date_precision" not in polls:
        polls = read_polls(polls)
    n_grid = _n_grid(n)
    deff_grid = _grid("deff", deff, check_deff)
    level = as_scalar(
        "confidence_level", confidence_level, lambda name, arr: check_confidence_level(arr)
    )
    if alpha is None:
        alpha = 1 - level
    alpha = as_scalar("alpha", alpha, lambda name, arr: check_alpha(arr, name))

    polls = polls.reset_index(drop=True).copy()
    polls["label"] = _labels(polls)

    # 1. every figure under every assumption
    fig = polls[["poll_id", "label", "pollster", "question", "option", "proportion", "n"]]
    fig = _expand(fig, n_grid, deff_grid, ["n"])
    ci = proportion_ci(
        fig["proportion"].to_numpy(),
        fig["n"].to_numpy(float),
        deff=fig["deff"].to_numpy(),
        confidence_level=level,
    )
    intervals = fig.assign(
        n_eff=ci.n_eff,
        confidence_level=level,
        method=ci.method,
        estimate=ci.estimate,
        ci_low=ci.ci_low,
        ci_high=ci.ci_high,
        moe=ci.moe,
    ).drop(columns=["proportion"])

    # 2. changes between consecutive polls with the same question and option
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
                    "moe": np.nanmax(
                        pd.array([before["moe"], after["moe"]], dtype="Float64").to_numpy(
                            dtype=float, na_value=np.nan
                        )
                    )
                    if pd.notna(before["moe"]) or pd.notna(after["moe"])
                    else np.nan,
                }
            )
    grids = (n_grid, deff_grid, level, alpha)
    changes = _compare(
        pd.DataFrame(pairs),
        ["comparison", "poll1", "poll2", "p1", "n1", "p2", "n2"],
        ["n1", "n2"],
        ["p1", "n1", "p2", "n2"],
        difference_ci,
        two_proportion_test,
        grids,
    )

    # 3. the lead of the top option over the runner-up inside each poll and question
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
    gaps = _compare(
        pd.DataFrame(leads),
        ["comparison", "poll_id", "option1", "option2", "p1", "p2", "n"],
        ["n"],
        ["p1", "p2", "n"],
        option_difference_ci,
        option_difference_test,
        grids,
    )

    critical = _critical(pd.DataFrame(pairs), pd.DataFrame(leads), deff_grid, alpha)
    robust, sentences = _robustness(pairs, _published_decimals(polls["proportion"]), alpha)
    return Reanalysis(
        polls=polls,
        intervals=intervals,
        changes=changes,
        gaps=gaps,
        critical=critical,
        n_grid=n_grid,
        deff_grid=deff_grid,
        confidence_level=level,
        alpha=alpha,
        dataset=polls.attrs.get("dataset"),
        robustness=robust,
        robustness_summaries=sentences,
    )


def _published_decimals(proportions: pd.Series) -> int:
    """Decimals of the published percentages: the fewest that write every share exactly."""
    pct = 100 * proportions.to_numpy(float)
    for places in range(4):
        scaled = pct * 10**places
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return places
    return 4


def _robustness(
    pairs: list[dict[str, Any]], published_decimals: int, alpha: float
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`surveykit.robustness.robustness` for every change between polls.

    A published n is used (the smaller of the two polls', to be conservative); a
    published margin of error is passed on, so the implied design effect is used.
    """
    from surveykit.unknowns.robustness import robustness

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


_RESULT_COLUMNS = ["deff", "estimate", "ci_low", "ci_high", "statistic", "pvalue", "significant"]


def _compare(
    rows: pd.DataFrame,
    columns: list[str],
    n_cols: list[str],
    arg_cols: list[str],
    ci_func: Any,
    test_func: Any,
    grids: tuple[Sequence[int], Sequence[float], float, float],
) -> pd.DataFrame:
    """Interval and test of every comparison under every assumed n and design effect."""
    status = [f"{c}_status" for c in n_cols]
    if rows.empty:
        return pd.DataFrame(columns=["assumed_n", *columns, *status, *_RESULT_COLUMNS])
    n_grid, deff_grid, level, alpha = grids
    grid = _expand(rows, n_grid, deff_grid, n_cols)
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
    return grid[["assumed_n", *columns, *status, *_RESULT_COLUMNS]]


def _critical(pairs, leads, deff_grid, alpha) -> pd.DataFrame:
    rows = []
    for d in deff_grid:
        if not pairs.empty:
            crit = critical_n(pairs["p1"].to_numpy(), pairs["p2"].to_numpy(), alpha=alpha, deff=d)
            for (_, pair), value in zip(pairs.iterrows(), np.atleast_1d(crit), strict=True):
                rows.append(
                    {
                        "comparison": pair["comparison"],
                        "kind": "change",
                        "estimate": pair["p1"] - pair["p2"],
                        "deff": d,
                        "critical_n": float(value),
                    }
                )
        if not leads.empty:
            crit = critical_n(
                leads["p1"].to_numpy(), leads["p2"].to_numpy(), alpha=alpha, deff=d, within=True
            )
            for (_, lead), value in zip(leads.iterrows(), np.atleast_1d(crit), strict=True):
                rows.append(
                    {
                        "comparison": lead["comparison"],
                        "kind": "lead",
                        "estimate": lead["p1"] - lead["p2"],
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


def _verdict_sentence(row: pd.Series, rows: pd.DataFrame, alpha: float, deff: float) -> str:
    """One plain-English sentence about a comparison.

    With every sample size published it reports the test at those sizes; otherwise it
    gives the critical n, the one number that settles the verdict whatever n was.
    """
    from surveykit._core.formatting import format_pvalue

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
