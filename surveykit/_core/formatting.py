"""Formatting numbers for people: percentages, p-values, sample sizes.

Used only when rendering (notebooks, terminal tables, reports); returned numbers are
never rounded.
"""

from __future__ import annotations

import html
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "format_frame",
    "format_pvalue",
    "frame_to_html",
    "frame_to_text",
    "level_pct",
    "pct",
    "points_pp",
]

#: columns shown as percentages
PERCENT_COLUMNS = frozenset(
    {
        "estimate",
        "ci_low",
        "ci_high",
        "proportion",
        "p1",
        "p2",
        "moe",
        "difference",
        "minimum_detectable_difference",
    }
)
PVALUE_COLUMNS = frozenset({"pvalue"})
COUNT_COLUMNS = frozenset({"n", "n1", "n2", "n_eff", "critical_n", "count"})


def pct(value: Any, decimals: int = 1, *, signed: bool = False) -> str:
    """``0.5531`` -> ``'55.3%'``; NaN -> ``'–'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    sign = "+" if signed else ""
    return f"{100 * float(value):{sign}.{decimals}f}%"


def level_pct(value: Any) -> str:
    """A confidence level as a percentage with every digit it has, never rounded up.

    ``0.95`` -> ``'95%'``, ``0.975`` -> ``'97.5%'``, ``0.999999999`` -> ``'99.9999999%'``
    (not ``'100.0%'``): the shortest decimal that reads back as the same float, times 100.
    NaN -> ``'–'``.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    shown = format(Decimal(repr(value)).scaleb(2).normalize(), "f")
    return f"{shown}%"


def points(value: float) -> str:
    """A difference of shares in signed percentage points: 0.23 -> '+23.0'."""
    shown = round(100 * value, 1)
    return "0.0" if shown == 0 else f"{shown:+.1f}"  # never "-0.0"


def format_pvalue(p: Any, decimals: int = 3) -> str:
    """p-values as people read them: ``< 0.001``, ``0.032``, ``0.47``.

    ``decimals`` places below 0.1 (and the floor ``< 0.001``), one fewer from 0.1 up.
    """
    if p is None or p is pd.NA or (isinstance(p, float) and math.isnan(p)):
        return "–"
    p = float(p)
    floor = 10.0**-decimals
    if p < floor:
        return f"< {floor:.{decimals}f}"
    if p >= 0.1:
        return f"{p:.{max(decimals - 1, 1)}f}"
    return f"{p:.{decimals}f}"


def _format_number(value: Any, decimals: int) -> str:
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:.{decimals}g}" if abs(value) < 1e-3 else f"{value:,.{decimals}f}"
    return str(value)


_SUFFIXES = ("_min", "_max", "_low", "_high", "_worst", "_best")


def _kind_of(column: str) -> str:
    """The display kind of a column, also for derived names such as ``pvalue_max``."""
    base = column
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and base[: -len(suffix)] in (
            PERCENT_COLUMNS | PVALUE_COLUMNS | COUNT_COLUMNS
        ):
            base = base[: -len(suffix)]
            break
    if base in PERCENT_COLUMNS:
        return "percent"
    if base in PVALUE_COLUMNS:
        return "pvalue"
    if base in COUNT_COLUMNS:
        return "count"
    return "other"


def points_pp(value: Any, decimals: int = 1) -> str:
    """A difference of shares in signed percentage points: 0.23 -> '+23.0 pp' (never -0)."""
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if not math.isfinite(v):
        return f"{'+' if v > 0 else '-'}inf pp"
    shown = round(100 * v, decimals)
    return f"{0.0:.{decimals}f} pp" if shown == 0 else f"{shown:+.{decimals}f} pp"


def format_frame(
    frame: pd.DataFrame,
    decimals: int = 1,
    *,
    plain: tuple[str, ...] = (),
    points: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A copy of ``frame`` with every cell turned into display text.

    Percentages get ``decimals`` decimals; p-values and other numbers two more (so the
    default, 1, shows ``55.3%``, ``0.032`` and ``1.234``). Counts are whole numbers.

    Columns named in ``plain`` are shown as numbers even if their name usually means a
    share (a ratio's ``estimate`` is not a percentage); columns named in ``points`` are
    differences of shares, shown in signed percentage points (``+23.0 pp``).
    """
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        kind = "other" if col in plain else _kind_of(str(col))
        if col in points and pd.api.types.is_numeric_dtype(values):
            out[col] = [points_pp(v, decimals) for v in values]
        elif kind == "percent" and pd.api.types.is_numeric_dtype(values):
            out[col] = [pct(v, decimals) for v in values]
        elif kind == "pvalue" and pd.api.types.is_numeric_dtype(values):
            out[col] = [format_pvalue(v, decimals + 2) for v in values]
        elif kind == "count" and pd.api.types.is_numeric_dtype(values):
            out[col] = [_format_number(v, 1) for v in values]
        elif col == "confidence_level" and pd.api.types.is_numeric_dtype(values):
            out[col] = [level_pct(v) for v in values]
        elif pd.api.types.is_float_dtype(values):
            out[col] = [_format_number(v, decimals + 2) for v in values]
        else:
            out[col] = ["–" if pd.isna(v) else str(v) for v in values]
    return out


def frame_to_html(
    frame: pd.DataFrame,
    *,
    decimals: int = 1,
    caption: str | None = None,
    plain: tuple[str, ...] = (),
    points: tuple[str, ...] = (),
) -> str:
    """A compact, escaped HTML table of ``frame`` formatted for people."""
    shown = format_frame(frame, decimals, plain=plain, points=points)
    show_index = not isinstance(frame.index, pd.RangeIndex)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    if show_index:
        head = f"<th>{html.escape(str(frame.index.name or ''))}</th>" + head
    rows = []
    for idx, row in shown.iterrows():
        cells = "".join(f"<td>{html.escape(v)}</td>" for v in row)
        if show_index:
            cells = f"<th>{html.escape(str(idx))}</th>" + cells
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        '<table class="surveykit">'
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def frame_to_text(
    frame: pd.DataFrame,
    *,
    decimals: int = 1,
    plain: tuple[str, ...] = (),
    points: tuple[str, ...] = (),
) -> str:
    """A plain-text table of ``frame`` formatted for people (for terminals)."""
    shown = format_frame(frame, decimals, plain=plain, points=points)
    show_index = not isinstance(frame.index, pd.RangeIndex)
    return shown.to_string(index=show_index)
