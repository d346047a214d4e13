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
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from surveykit._core.formatting import points
from surveykit._core.results import Result
from surveykit._core.validation import (
    as_axis,
    as_scalar,
    check_alpha,
    check_confidence_level,
    check_deff,
    check_file,
    check_margin,
    check_n,
    check_no_nan,
    check_option,
)
from surveykit.data.datasets import dataset_names, load_dataset
from surveykit.data.polls import read_polls
from surveykit.exceptions import SurveyKitError
from surveykit.inference.difference import difference_ci
from surveykit.inference.proportion import proportion_ci
from surveykit.inference.two_sample_tests import two_proportion_test
from surveykit.inference.within_poll import option_difference_ci, option_difference_test
from surveykit.reanalysis.claims import (
    ADJUSTMENT_NAMES,
)
from surveykit.reanalysis.disputed import disputed_figures
from surveykit.reanalysis.pairs import (
    adjust_families,
    changes_between_polls,
    critical_sizes,
    expand,
    leads_within_polls,
    poll_designs,
    poll_labels,
)
from surveykit.reanalysis.pairs import compare as compare_rows
from surveykit.reanalysis.series import SeriesSection, series_findings
from surveykit.reanalysis.verdicts import (
    claims_table,
    lead_ties,
    published_decimals,
    robustness_checks,
)

__all__ = ["DEFAULT_DEFFS", "DEFAULT_NS", "METHODS", "Reanalysis", "reanalyse"]

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


@dataclass(frozen=True, eq=False, repr=False)
class Reanalysis(Result):
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
        significant at ``alpha`` (``deff_used``: the design effect it belongs to).
    series : list of SeriesSection
        For every option that at least two pollsters published repeatedly: its trend
        with house effects, and the other pollsters' polls and changes held against it,
        each with its sentence (:mod:`surveykit.reanalysis.series`).
    alternatives : DataFrame
        For a figure published with disputed alternative values (``alternative_pct``),
        one row per alternative and comparison involving it: the verdict under the value
        analysed and under the alternative, and whether it depends on which is true.
    claims : DataFrame
        One row per comparison: what its verdict sentence says (direction, basis,
        significance, p-values raw and adjusted, critical n, tie) and the ``sentence``
        rendered from it.
    robustness : DataFrame
        For every change, the checks of :func:`surveykit.unknowns.robustness.robustness` (critical
        n, worst case of rounding, critical design effect, posterior probability of an
        increase, design effect implied by a published margin), one row per check.
    robustness_summaries : dict
        For every change, the one-sentence summary of those checks.

    Notes
    -----
    Has the protocol of every result: ``to_frame()`` is the ``critical`` frame (one row
    per comparison and design effect, unrounded); ``to_string(decimals=1)`` and
    ``to_html(decimals=1)`` render the verdicts and that frame, percentages with
    ``decimals`` decimals; ``summary()`` gives the verdicts alone.
    """

    polls: pd.DataFrame
    intervals: pd.DataFrame
    changes: pd.DataFrame
    gaps: pd.DataFrame
    critical: pd.DataFrame
    claims: pd.DataFrame
    n_grid: tuple[int, ...]
    deff_grid: tuple[float, ...]
    confidence_level: float
    alpha: float
    dataset: str | None = None
    robustness: pd.DataFrame = field(default_factory=pd.DataFrame)
    robustness_summaries: dict[str, str] = field(default_factory=dict)
    adjustment: str | None = "holm"
    tie_margin: float = 0.03
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame)
    series: list[SeriesSection] = field(default_factory=list)

    _plot: ClassVar[str | None] = None

    def summary(self) -> str:
        """Plain-English verdicts, one per comparison, each rendered from its claim.

        The claims (``self.claims``) copy their numbers from the tables at the first
        design effect of the grid; see :mod:`surveykit.reanalysis.claims`.
        """
        lines = [] if self.claims.empty else list(self.claims["sentence"])
        if not self.alternatives.empty:
            lines += list(dict.fromkeys(self.alternatives["sentence"]))
        for section in self.series:  # the trend behind the polls and where polls sit
            lines += [section.sentence, *(f.sentence for f in section.findings)]
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

    def pvalue_curves(self, n: Any, *, deff: float | None = None) -> pd.DataFrame:
        """The p-value of each comparison against an assumed n per poll.

        Only comparisons whose sample sizes were not all published depend on the
        assumed n; each gets one row per value of ``n`` (columns ``n``, ``pvalue``,
        ``comparison``), tested as in the reanalysis at design effect ``deff`` (the
        first of the grid by default).
        """
        design = self.deff_grid[0] if deff is None else deff
        grid = np.asarray(n, dtype=float)
        curves = []
        for _, row in self.changes.drop_duplicates("comparison").iterrows():
            if row["n1_status"] == "published" and row["n2_status"] == "published":
                continue
            test = two_proportion_test(row["p1"], grid, row["p2"], grid, deff=design)
            curves.append(
                pd.DataFrame({"n": grid, "pvalue": test.pvalue, "comparison": row["comparison"]})
            )
        for _, row in self.gaps.drop_duplicates("comparison").iterrows():
            if row["n_status"] == "published":
                continue
            test = option_difference_test(row["p1"], row["p2"], grid, deff=design)
            curves.append(
                pd.DataFrame({"n": grid, "pvalue": test.pvalue, "comparison": row["comparison"]})
            )
        if not curves:
            return pd.DataFrame(columns=["n", "pvalue", "comparison"])
        return pd.concat(curves, ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The critical n of every comparison, one row per design effect (unrounded)."""
        return self.critical.copy()

    def to_html(self, decimals: int = 1) -> str:
        """The verdicts as a list, then the critical sizes (percentages with ``decimals``)."""
        table = super().to_html(decimals)  # checks decimals
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.summary().splitlines())
        return (
            f"<div><b>Reanalysis of {html.escape(self.dataset or 'figures')}</b>"
            f"<ul>{items}</ul>{table}</div>"
        )

    def to_string(self, decimals: int = 1) -> str:
        """The verdicts, one per line, then the critical sizes as a text table."""
        table = super().to_string(decimals)
        title = f"Reanalysis of {self.dataset or 'figures'}"
        verdicts = "\n".join(f"- {s}" for s in self.summary().splitlines())
        return f"{title}\n{verdicts}\n{table}"

    def __repr__(self) -> str:
        comparisons = self.critical["comparison"].nunique()
        return (
            f"Reanalysis(dataset={self.dataset!r}, {len(self.polls)} figures, "
            f"{comparisons} comparisons)"
        )


def _grid(name: str, values: Any, check: Any) -> tuple[float, ...]:
    arr = as_axis(name, values)
    check_no_nan(**{name: arr})
    check(name, arr)
    return tuple(dict.fromkeys(arr.tolist()))


def _n_grid(values: Any) -> tuple[int, ...]:
    grid = _grid("n", values, lambda name, arr: check_n(name, arr, integer=True))
    return tuple(int(v) for v in grid)


def reanalyse(
    polls: pd.DataFrame | str,
    *,
    n: Sequence[int] | int = DEFAULT_NS,
    deff: Sequence[float] | float = DEFAULT_DEFFS,
    confidence_level: float = 0.95,
    alpha: float | None = None,
    compare: str = "within-pollster",
    pairs: Sequence[tuple[Any, Any]] | None = None,
    adjust: str | None = "holm",
    tie_margin: float = 0.03,
    robustness: bool = True,
    series: bool = True,
) -> Reanalysis:
    """Reanalyse published figures under assumed sample sizes and design effects.

    Changes are tested within one series: the same pollster, question and option, in
    fieldwork order (later poll first, estimate later minus earlier). Figures of
    different pollsters are compared only with ``compare='all'`` or explicit ``pairs``,
    and every such comparison is labelled "between pollsters". A published margin of
    error gives its poll's design effect (with a published n) or its sample size
    (without); only what is still unknown takes the assumed ``n`` and ``deff``.

    Parameters
    ----------
    polls : DataFrame or str
        A tidy poll frame from :func:`surveykit.read_polls` or
        :func:`surveykit.load_dataset`, or a path to a CSV file in that schema.
    n : int or sequence of int, default (400, 800, 1600, 3000)
        Sample sizes to assume for every poll whose n is not known.
    deff : float or sequence of float, default (1, 1.5, 2)
        Design effects to assume for every poll whose design effect is not known.
    confidence_level : float, default 0.95
    alpha : float, optional
        Significance level of the tests; ``1 - confidence_level`` by default.
    compare : {'within-pollster', 'all'}, default 'within-pollster'
        Which changes to test; ``'all'`` also compares consecutive polls of different
        pollsters (labelled between pollsters).
    pairs : list of (poll_id, poll_id), optional
        Compare exactly these polls (on every question and option they share) instead.
    adjust : {'holm', 'benjamini-hochberg', 'bonferroni', 'hochberg', \
'benjamini-yekutieli'} or None, default 'holm'
        Adjustment of the p-values for the number of comparisons tested together
        (``pvalue_adjusted`` beside ``pvalue``); None leaves them unadjusted.
    tie_margin : float, default 0.03
        Margin of the equivalence test of leads that are not significant: a lead is a
        statistical tie within it only when that test says so.
    robustness : bool, default True
        Run :func:`surveykit.robustness` on every change (rounding, design effect,
        posterior); False skips these checks (faster on large files).
    series : bool, default True
        Fit the trend behind the polls of every option that at least two pollsters
        published repeatedly, and hold the other pollsters' polls against it
        (:func:`surveykit.reanalysis.series.series_findings`); False skips it.

    Returns
    -------
    Reanalysis

    Raises
    ------
    SurveyKitError
        For a malformed poll frame or file, invalid grids, level, alpha, adjustment or
        margin, or ``pairs`` naming polls not in the data.

    See Also
    --------
    surveykit.report.write_report : the report of a reanalysis.
    surveykit.robustness : the checks of one change.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65-70.

    Examples
    --------
    >>> import surveykit as sk
    >>> result = sk.reanalyse(sk.load_dataset("kremlin_fso_2022"), n=[400, 1600], deff=1)
    >>> result.critical[["comparison", "critical_n"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['start peace talks: Jul 2022 → Nov 2022', 36.0],
     ['Nov 2022: start peace talks vs continue military action', 31.0]]
    """
    polls, n_grid, deff_grid, level, alpha = _checked(polls, n, deff, confidence_level, alpha)
    margin = check_margin(tie_margin)
    if adjust is not None:
        adjust = check_option("adjust", adjust, tuple(ADJUSTMENT_NAMES))
    polls = _prepared(polls)
    grids = (n_grid, deff_grid, level, alpha)
    pair_rows = pd.DataFrame(changes_between_polls(polls, compare=compare, pairs=pairs))
    lead_rows = pd.DataFrame(leads_within_polls(polls))
    changes, gaps = _tested(pair_rows, lead_rows, grids, adjust, margin)
    critical = critical_sizes(pair_rows, lead_rows, deff_grid, alpha)
    claims = claims_table(changes, gaps, critical, deff_grid[0], alpha, adjust)
    robust, sentences = (
        robustness_checks(pair_rows, published_decimals(polls["proportion"]), alpha)
        if robustness
        else (pd.DataFrame(columns=["comparison", "check", "value", "holds", "assumption"]), {})
    )
    rerun = {
        "n": n_grid,
        "deff": deff_grid,
        "confidence_level": level,
        "alpha": alpha,
        "compare": compare,
        "pairs": pairs,
        "adjust": adjust,
        "tie_margin": tie_margin,
        "robustness": False,
    }
    disputed = disputed_figures(polls, changes, gaps, claims, rerun, reanalyse)
    sections = series_findings(polls) if series else []
    return Reanalysis(
        polls=polls,
        intervals=_intervals(polls, n_grid, deff_grid, level),
        changes=changes,
        gaps=gaps,
        critical=critical,
        claims=claims,
        n_grid=n_grid,
        deff_grid=deff_grid,
        confidence_level=level,
        alpha=alpha,
        dataset=polls.attrs.get("dataset"),
        robustness=robust,
        robustness_summaries=sentences,
        adjustment=adjust,
        tie_margin=float(margin),
        alternatives=disputed,
        series=sections,
    )


def _prepared(polls: pd.DataFrame) -> pd.DataFrame:
    """The poll frame with labels and each poll's n and design effect (and why)."""
    polls = polls.reset_index(drop=True).copy()
    polls["label"] = poll_labels(polls)
    attrs = dict(polls.attrs)  # the dataset's name and datasheet travel with the frame
    polls = polls.join(poll_designs(polls))
    polls.attrs.update(attrs)
    return polls


#: the columns of the changes frame that describe a pair (before the results)
_PAIR_COLUMNS = [
    "comparison",
    "pollster1",
    "pollster2",
    "between_pollsters",
    "poll1",
    "poll2",
    "p1",
    "n1",
    "p2",
    "n2",
]


def _tested(
    pair_rows: pd.DataFrame,
    lead_rows: pd.DataFrame,
    grids: tuple[tuple[int, ...], tuple[float, ...], float, float],
    adjust: str | None,
    margin: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Intervals and tests of every change and lead, adjusted p-values, ties of leads."""
    changes = compare_rows(
        pair_rows,
        _PAIR_COLUMNS,
        (["n1", "n2"], ["deff1", "deff2"]),
        ["p1", "n1", "p2", "n2"],
        (difference_ci, two_proportion_test),
        grids,
    )
    gaps = compare_rows(
        lead_rows,
        ["comparison", "poll_id", "option1", "option2", "p1", "p2", "n"],
        (["n"], ["deff_poll"]),
        ["p1", "p2", "n"],
        (option_difference_ci, option_difference_test),
        grids,
    )
    alpha = grids[3]
    changes, gaps = adjust_families([changes, gaps], grids[0], adjust, alpha)
    return changes, lead_ties(gaps, margin, alpha)


def _checked(
    polls: Any, n: Any, deff: Any, confidence_level: Any, alpha: Any
) -> tuple[pd.DataFrame, tuple[int, ...], tuple[float, ...], float, float]:
    """The validated poll frame, grids, level and significance level of :func:`reanalyse`."""
    if isinstance(polls, str) and polls in dataset_names() and not Path(polls).is_file():
        polls = load_dataset(polls)  # a shipped dataset by name, as the command line takes
    elif isinstance(polls, str | Path):
        polls = read_polls(check_file("polls", polls))
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
    return polls, n_grid, deff_grid, level, alpha


def _intervals(
    polls: pd.DataFrame, n_grid: tuple[int, ...], deff_grid: tuple[float, ...], level: float
) -> pd.DataFrame:
    """Every figure's Wilson interval under every assumed n and design effect.

    A poll's known n (published or implied by its margin) and known design effect
    (implied by its margin and n) replace the assumed ones; ``deff`` is the grid's
    scenario and ``deff_poll`` the design effect used.
    """
    fig = polls[
        [
            "poll_id",
            "label",
            "pollster",
            "question",
            "option",
            "proportion",
            "n_used",
            "deff_poll",
            "moe",
            "n_basis",
        ]
    ].rename(columns={"n_used": "n"})
    fig = expand(fig, n_grid, deff_grid, ["n"], ["deff_poll"])
    ci = proportion_ci(
        fig["proportion"].to_numpy(),
        fig["n"].to_numpy(float),
        deff=fig["deff_poll"].to_numpy(float),
        confidence_level=level,
    )
    return fig.assign(
        n_eff=ci.n_eff,
        confidence_level=level,
        method=ci.method,
        estimate=ci.estimate,
        ci_low=ci.ci_low,
        ci_high=ci.ci_high,
        moe=ci.moe,
        published_moe=fig["moe"],
    ).drop(columns=["proportion"])
