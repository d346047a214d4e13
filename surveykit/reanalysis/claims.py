"""Verdicts as structured claims, and the sentences rendered from them.

Every sentence a reanalysis prints is rendered from a :class:`Claim`, and every field of
the claim is copied from the row of the table it describes (same n, design effect,
method, level and significance level): the sentence cannot say more, or other, than the
table beside it. The claim holds the direction, whether the comparison is significant
(at the published n, or from which n), the adjusted p-value when several comparisons are
tested, and for a lead that is not significant whether it is a statistical tie.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._core.formatting import format_pvalue

__all__ = [
    "ADJUSTMENT_NAMES",
    "Claim",
    "claim_from_row",
    "claims_frame",
    "render_claim",
    "share_text",
]

#: how the adjustment methods are named in sentences
ADJUSTMENT_NAMES = {
    "holm": "Holm's",
    "benjamini-hochberg": "the Benjamini-Hochberg",
    "bonferroni": "the Bonferroni",
    "hochberg": "Hochberg's",
    "benjamini-yekutieli": "the Benjamini-Yekutieli",
}


@dataclass(frozen=True)
class Claim:
    """What one verdict sentence says, field by field.

    ``direction`` is ``'increase'``, ``'decrease'`` or ``'no change'`` for a change and
    ``'lead'`` or ``'tie'`` (equal shares) for a lead; ``basis`` is ``'published'`` when
    every sample size is known (published, or implied by a published margin of error)
    and ``'assumed'`` otherwise. ``significant`` and ``pvalue`` are those at the known
    sizes (None when assumed); ``critical_n`` the smallest n per poll from which the
    comparison is significant at ``alpha`` with design effect ``deff`` (inf: at no n up
    to ``search_limit``). ``significant_adjusted`` is None when only one comparison was
    tested or sizes are assumed. ``tie`` is, for a lead that is not significant at known
    sizes, whether the equivalence test shows a tie within ``tie_margin``.
    """

    comparison: str
    kind: str
    between_pollsters: bool
    p1: float
    p2: float
    estimate: float
    direction: str
    basis: str
    n1: float | None
    n2: float | None
    deff: float
    alpha: float
    pvalue: float | None
    significant: bool | None
    critical_n: float
    search_limit: float
    adjustment: str | None = None
    comparisons: int = 1
    pvalue_adjusted: float | None = None
    significant_adjusted: bool | None = None
    tie: bool | None = None
    tie_margin: float | None = None
    tie_pvalue: float | None = None


def share_text(p: float) -> str:
    """A share as people read it: 0.55 -> '55%', 0.325 -> '32.5%' (no trailing zeros)."""
    text = f"{100 * p:.6f}".rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text}%"


def _points(d: float) -> str:
    value = abs(100 * d)
    return f"{value:.1f} point{'' if f'{value:.1f}' == '1.0' else 's'}"


def _design(deff: float) -> str:
    return "simple random sampling" if deff == 1 else f"design effect {deff:.3g}"


def _direction(kind: str, estimate: float) -> str:
    if kind == "lead":
        return "tie" if estimate == 0 else "lead"
    if estimate > 0:
        return "increase"
    return "decrease" if estimate < 0 else "no change"


def _opt(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def claim_from_row(
    row: pd.Series,
    *,
    alpha: float,
    search_limit: float,
    adjustment: str | None = None,
    comparisons: int = 1,
) -> Claim:
    """The claim about one comparison, from its row of the reanalysis tables.

    ``row`` holds ``comparison``, ``kind``, ``p1``, ``p2``, ``estimate``, ``basis``,
    ``n1``/``n2`` (or ``n`` for a lead), ``deff_used``, ``critical_n`` and, at known
    sizes, ``pvalue``, ``significant``, ``pvalue_adjusted``, ``significant_adjusted``
    and for leads ``tie``/``tie_pvalue``/``tie_margin``.
    """
    kind = str(row["kind"])
    known = row["basis"] == "published"
    n1 = _opt(row.get("n1", row.get("n"))) if known else None
    n2 = _opt(row.get("n2", row.get("n"))) if known else None
    comparisons = int(row.get("family_size", comparisons))
    several = known and comparisons > 1 and adjustment is not None
    return Claim(
        comparison=str(row["comparison"]),
        kind=kind,
        between_pollsters=bool(row.get("between_pollsters", False)),
        p1=float(row["p1"]),
        p2=float(row["p2"]),
        estimate=float(row["estimate"]),
        direction=_direction(kind, float(row["estimate"])),
        basis="published" if known else "assumed",
        n1=n1,
        n2=n2,
        deff=float(row["deff_used"]),
        alpha=float(alpha),
        pvalue=_opt(row["pvalue"]) if known else None,
        significant=bool(row["significant"]) if known else None,
        critical_n=float(row["critical_n"]),
        search_limit=float(search_limit),
        adjustment=adjustment if several else None,
        comparisons=int(comparisons),
        pvalue_adjusted=_opt(row.get("pvalue_adjusted")) if several else None,
        significant_adjusted=bool(row["significant_adjusted"]) if several else None,
        tie=None if not known or kind != "lead" or pd.isna(row.get("tie")) else bool(row["tie"]),
        tie_margin=_opt(row.get("tie_margin")),
        tie_pvalue=_opt(row.get("tie_pvalue")),
    )


def _what(c: Claim) -> str:
    if c.kind == "lead":
        first, _, second = c.comparison.partition(": ")[2].partition(" vs ")
        if c.direction == "tie":
            return f"{first} and {second} are level at {share_text(c.p1)}"
        return (
            f"{first} leads {second} by {_points(c.estimate)} "
            f"({share_text(c.p1)} to {share_text(c.p2)})"
        )
    if c.direction == "no change":
        return f"{share_text(c.p2)} → {share_text(c.p1)}, no change"
    article = "an increase" if c.direction == "increase" else "a decrease"
    return f"{share_text(c.p2)} → {share_text(c.p1)}, {article} of {_points(c.estimate)}"


def _critical(c: Claim, per: str) -> str:
    if math.isfinite(c.critical_n):
        return f"it would be significant from {c.critical_n:,.0f} people {per}"
    return f"it would not be significant at any n up to {c.search_limit:,.0f} {per}"


def _p_text(p: float | None) -> str:
    """'= 0.012' or '< 0.001': a p-value as it follows the letter p in a sentence."""
    text = format_pvalue(p)
    return text if text.startswith(("<", ">")) else f"= {text}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_claim(c: Claim) -> str:
    """The sentence that says what ``c`` says (and nothing else)."""
    per = "per poll" if c.kind == "change" else "in the poll"
    level = f"{100 * c.alpha:g}%"
    head = "Between pollsters (house effects may differ): " if c.between_pollsters else ""
    head += f"{c.comparison}: {_what(c)}"
    if c.basis == "assumed":
        if math.isfinite(c.critical_n):
            body = (
                f"significant at the {level} level if at least {c.critical_n:,.0f} people "
                f"were asked {per} ({_design(c.deff)}); with fewer it is not"
            )
        else:
            body = (
                f"not significant at the {level} level at any n up to "
                f"{c.search_limit:,.0f} {per} ({_design(c.deff)})"
            )
        return _capitalised(f"{head}; {body}.")
    sizes = " and ".join(f"{v:,.0f}" for v in dict.fromkeys([c.n2, c.n1]))
    verdict = "significant" if c.significant else "not significant"
    p_text = _p_text(c.pvalue)
    body = (
        f"{verdict} at the {level} level with the published n ({sizes}; p {p_text}, "
        f"{_design(c.deff)})"
    )
    if not c.significant and c.direction not in ("no change", "tie"):
        body += f"; {_critical(c, per)}"
    if c.tie is not None and not c.significant:
        margin = f"±{100 * c.tie_margin:g} points"
        body += (
            f"; a statistical tie within {margin} (equivalence p {_p_text(c.tie_pvalue)})"
            if c.tie
            else f"; inconclusive: a tie within {margin} is not shown either"
        )
    if c.significant_adjusted is not None and c.significant:
        name = ADJUSTMENT_NAMES.get(c.adjustment or "", c.adjustment)
        survives = "still significant" if c.significant_adjusted else "no longer significant"
        body += (
            f"; {survives} after {name} adjustment for {c.comparisons} comparisons "
            f"(adjusted p {_p_text(c.pvalue_adjusted)})"
        )
    return _capitalised(f"{head}; {body}.")


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """The claims as a tidy frame (one row per comparison)."""
    if not claims:
        return pd.DataFrame(columns=list(Claim.__dataclass_fields__))
    return pd.DataFrame([c.__dict__ for c in claims]).replace({np.nan: None})
