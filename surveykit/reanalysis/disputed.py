"""Disputed figures: a figure published with alternative values (``alternative_pct``) is
analysed under each, and a sentence says whether the verdict depends on which is true."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from surveykit.reanalysis.claims import share_text

__all__ = ["ALTERNATIVE_COLUMNS", "DESIGN_COLUMNS", "disputed_figures"]


ALTERNATIVE_COLUMNS = [
    "comparison",
    "poll_id",
    "option",
    "published",
    "alternative",
    "source",
    "critical_n",
    "critical_n_alternative",
    "significant",
    "significant_alternative",
    "depends",
    "sentence",
]


def disputed_figures(
    polls: pd.DataFrame,
    changes: pd.DataFrame,
    gaps: pd.DataFrame,
    claims: pd.DataFrame,
    options: dict[str, Any],
    rerun: Callable[..., Any],
) -> pd.DataFrame:
    """Every comparison involving a disputed figure, under each alternative value.

    The reanalysis is repeated with the alternative in place of the value analysed; a
    verdict *depends* on which figure is true when, at the first design effect, the
    comparison is significant under one and not the other at some n of the grid (or at
    the published n). ``rerun`` is :func:`~surveykit.reanalysis.analysis.reanalyse`
    (passed in, so that this module does not import the one that imports it).
    """
    if "alternatives" not in polls.columns:
        return pd.DataFrame(columns=ALTERNATIVE_COLUMNS)
    tested = pd.concat([changes.assign(kind="change"), gaps.assign(kind="lead")])
    tested = tested[tested["deff"] == options["deff"][0]]
    base_claims = claims.set_index("comparison")
    rows = []
    for i, alts in polls["alternatives"].items():
        for value in alts:
            variant = polls.drop(columns=["alternatives", "label", *DESIGN_COLUMNS])
            variant.loc[i, "proportion"] = value
            other = rerun(variant, **options)
            other_tested = pd.concat(
                [other.changes.assign(kind="change"), other.gaps.assign(kind="lead")]
            )
            other_tested = other_tested[other_tested["deff"] == options["deff"][0]]
            involved = _involving(tested, polls.loc[i])
            other_claims = other.claims.set_index("comparison")
            for comparison in involved:
                mine = tested[tested["comparison"] == comparison]["significant"].tolist()
                theirs = other_tested[other_tested["comparison"] == comparison][
                    "significant"
                ].tolist()
                rows.append(
                    _alternative_row(
                        polls.loc[i],
                        value,
                        comparison,
                        base_claims.loc[comparison],
                        other_claims.loc[comparison],
                        depends=mine != theirs,
                        grid=options["n"],
                    )
                )
    return pd.DataFrame(rows, columns=ALTERNATIVE_COLUMNS)


#: the columns :func:`reanalyse` adds to the poll frame (dropped before a rerun)
DESIGN_COLUMNS = ["n_used", "n_basis", "deff_poll", "moe_flag", "design_note"]


def _flag(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def _involving(tested: pd.DataFrame, poll: pd.Series) -> list[str]:
    """The comparisons in which a poll's figure for one option takes part."""
    pid, option = poll["poll_id"], poll["option"]
    is_change = (
        (tested["kind"] == "change")
        & ((tested["poll1"] == pid) | (tested["poll2"] == pid))
        & tested["comparison"].str.startswith(str(option))
    )
    is_lead = (
        (tested["kind"] == "lead")
        & (tested["poll_id"] == pid)
        & ((tested["option1"] == option) | (tested["option2"] == option))
    )
    return list(dict.fromkeys(tested.loc[is_change | is_lead, "comparison"]))


def _alternative_row(
    poll: pd.Series,
    value: float,
    comparison: str,
    base: pd.Series,
    other: pd.Series,
    *,
    depends: bool,
    grid: Sequence[int],
) -> dict[str, Any]:
    published, source = float(poll["proportion"]), str(poll.get("alternative_source", ""))
    figure = f"{poll['label']} {poll['option']}"
    if base["basis"] == "published":
        verdict = (
            f"significant with {share_text(published)}, "
            f"{'' if other['significant'] else 'not '}significant with {share_text(value)}"
        )
    else:
        verdict = (
            f"significant from {base['critical_n']:,.0f} people per poll with "
            f"{share_text(published)}, from {other['critical_n']:,.0f} with {share_text(value)}"
        )
    sizes = ", ".join(f"{n:,}" for n in grid)
    where = "at the published n" if base["basis"] == "published" else f"at n = {sizes}"
    sentence = (
        f"Disputed figure: {figure} was published as {share_text(published)} and as "
        f"{share_text(value)}{f' ({source})' if source else ''}. "
        f"{comparison[:1].upper()}{comparison[1:]}: {verdict}; "
        f"the verdict {'depends' if depends else 'does not depend'} on which is true "
        f"{where}."
    )
    return {
        "comparison": comparison,
        "poll_id": poll["poll_id"],
        "option": poll["option"],
        "published": published,
        "alternative": value,
        "source": source,
        "critical_n": float(base["critical_n"]),
        "critical_n_alternative": float(other["critical_n"]),
        "significant": _flag(base["significant"]),
        "significant_alternative": _flag(other["significant"]),
        "depends": depends,
        "sentence": sentence,
    }
