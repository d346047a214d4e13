"""Printing a command's result: a table for people, or CSV or JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["SIZE_COLUMNS", "emit"]

#: columns that hold sample sizes: whole numbers in every format
SIZE_COLUMNS = ("n", "n1", "n2")


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Sizes that are whole as integers; no negative zero; dates as ISO dates."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            frame[column] = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna())
        elif pd.api.types.is_float_dtype(values):
            frame[column] = values + 0.0  # -0.0 + 0.0 is 0.0
            known = values.dropna()
            whole = bool(np.all(np.isfinite(known)) and np.all(known == np.round(known)))
            if column in SIZE_COLUMNS and whole and bool(np.all(np.abs(known) < 2**63)):
                frame[column] = values.astype("Int64")
    return frame


def _points(value: float) -> str:
    """A difference of shares in percentage points for people: ``+23.0 pp``, never -0.0."""
    if pd.isna(value):
        return "–"
    shown = round(100 * float(value), 1)
    return "0.0 pp" if shown == 0 else f"{shown:+.1f} pp"


def emit(
    frame: pd.DataFrame,
    fmt: str,
    *,
    points: Sequence[str] = (),
    plain: Sequence[str] = (),
) -> None:
    """Print ``frame`` as a table for people, or as CSV or JSON for scripts.

    ``points`` names the columns that are differences of shares: the table shows them in
    percentage points; CSV and JSON keep shares (0-1), unrounded, like the API. ``plain``
    names columns the table shows as numbers although their name usually means a share
    (the ``estimate`` of a mean).
    """
    from surveykit._core.formatting import frame_to_text

    frame = _tidy(frame)
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", double_precision=15))
        print(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        shown = frame.reset_index(drop=True)
        for column in points:
            if column in shown:
                shown[column] = [_points(v) for v in shown[column]]
        print(frame_to_text(shown, plain=tuple(plain)))
