"""The tidy poll schema: one row per poll x question x option, validated.

:func:`read_polls` turns a CSV file or a DataFrame of published figures into that
schema. Nothing is silently dropped, clipped or rounded: every problem raises a
:class:`~surveykit.SurveyKitError` naming the row and the column (the checks and their
messages are in :mod:`surveykit._core.validation.polls`).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.validation import (
    N_STATUSES,
    PollRows,
    check_fieldwork_order,
    check_flag,
    check_margins,
    check_n_statuses,
    check_option_totals,
    check_poll_columns,
    check_poll_source,
    check_required_cells,
    check_sample_sizes,
    check_shares,
    check_unique_options,
    fail_unreadable_csv,
    parse_alternatives,
    parse_numbers,
    parse_poll_dates,
)

__all__ = ["N_STATUSES", "SCHEMA", "read_polls"]

#: the columns every frame from :func:`read_polls` starts with, in this order
SCHEMA = (
    "poll_id",
    "pollster",
    "fieldwork_start",
    "fieldwork_end",
    "date_precision",
    "question",
    "option",
    "proportion",
    "n",
    "n_status",
    "moe",
    "mode",
    "source",
)
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}
_TEXT_COLUMNS = ("poll_id", "pollster", "question", "option", "n_status", "mode", "source")


def _text(frame: pd.DataFrame, column: str, default: str) -> pd.Series:
    if column not in frame:
        return pd.Series(default, index=frame.index, dtype="string")
    values = frame[column].astype("string").str.strip()
    return values.fillna(default).replace("", default)


def read_polls(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    percent: bool = False,
) -> pd.DataFrame:
    """Read published poll figures into the validated tidy schema.

    Parameters
    ----------
    source : path or DataFrame
        A CSV file or a DataFrame with one row per poll x question x option. Columns:

        - required: ``pollster``, ``question``, ``option``, and the share as
          ``proportion`` (0-1) or ``share_pct`` (0-100);
        - optional: ``poll_id`` (derived from pollster and dates when absent),
          ``fieldwork_start``, ``fieldwork_end`` (``2021-09-17``, ``2021-09``,
          ``Sep 2021``, ``2021`` or ``17 September 2021``; blank when unknown), ``n``
          (``1000`` or ``1,000``), ``n_status``, ``moe`` (0-1) or ``moe_pct``, ``mode``,
          ``source`` or ``source_url``. Other columns are kept.

        A share (or margin of error) written with a % sign is a percentage in any of
        these columns: ``55%`` is 0.55.
    percent : bool, default False
        The ``proportion`` (and ``moe``) columns hold percentages (55 for 55%).

    Returns
    -------
    DataFrame
        Columns :data:`SCHEMA` first, then any other columns of the input:
        ``proportion`` in 0-1; ``n`` a nullable integer; ``n_status`` one of
        ``'published'`` (n given), ``'assumed'`` (n supplied by the analyst) or
        ``'unknown'``; ``moe`` nullable, as a proportion; ``fieldwork_start`` and
        ``fieldwork_end`` timestamps (a month-only date spans the whole month) with
        ``date_precision`` saying how precise they were.

    Raises
    ------
    SurveyKitError
        If ``source`` is neither a DataFrame nor the path of an existing UTF-8 CSV file
        with at least one row, or ``percent`` is not True or False. Naming the row and
        the column, for: a missing required column (or the share or the margin given
        twice, as ``proportion`` and ``share_pct``), a blank pollster, question or option,
        a cell that is not a number, a share missing or outside [0, 1] (with a hint when
        it looks like a percentage), an n that is not a positive whole number, an
        ``n_status`` that is unknown or contradicts the n column, a margin of error
        outside (0, 1], options of one poll and question adding up to more than 100%
        beyond rounding, an unparseable date or one with day and month as numbers
        (``09/10/2021``, whose order cannot be told), fieldwork that ends before it
        starts, an ``alternative_pct`` that is not percentages separated by ``|``, or the
        same poll, question and option given twice.

    See Also
    --------
    surveykit.data.datasets.load_dataset : the shipped datasets, read by this function.
    surveykit.reanalysis.analysis.reanalyse : everything at once on a file of polls.
    surveykit.series.trend.poll_trend : the trend of one option over many polls.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. Journal of Statistical Software 59(10), 1-23.
    .. [2] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (the items of disclosure: sponsor, fieldwork dates, sample size, margin of error).

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit as sk
    >>> polls = sk.read_polls(pd.DataFrame({
    ...     "pollster": ["FSO", "FSO"], "fieldwork_end": ["2022-07", "2022-11"],
    ...     "question": ["talks?", "talks?"], "option": ["talks", "talks"],
    ...     "share_pct": [32, 55]}))
    >>> polls[["poll_id", "proportion", "n_status"]].values.tolist()
    [['FSO 2022-07', 0.32, 'unknown'], ['FSO 2022-11', 0.55, 'unknown']]
    """
    rows, has_pct = _read(source, percent)
    frame = rows.frame
    check_required_cells(rows)
    share_col = "share_pct" if has_pct else "proportion"
    scale = 100.0 if (has_pct or percent) else 1.0
    proportion = check_shares(rows, share_col, parse_numbers(rows, share_col, scale=scale), scale)
    n_values = _sizes(rows)
    statuses = check_n_statuses(rows, _text(frame, "n_status", "").tolist(), n_values)
    moe_col, moe = _margins(rows, percent)
    starts, ends, precision = _dates(rows)
    source_col = "source" if "source" in frame.columns else "source_url"
    out = pd.DataFrame(
        {
            "poll_id": _poll_ids(frame),
            "pollster": _text(frame, "pollster", "").to_numpy(),
            "fieldwork_start": pd.to_datetime(pd.Series(starts, dtype="object")),
            "fieldwork_end": pd.to_datetime(pd.Series(ends, dtype="object")),
            "date_precision": pd.array(precision, dtype="string"),
            "question": _text(frame, "question", "").to_numpy(),
            "option": _text(frame, "option", "").to_numpy(),
            "proportion": proportion,
            "n": pd.array([pd.NA if np.isnan(v) else int(v) for v in n_values], dtype="Int64"),
            "n_status": statuses,
            "moe": pd.array([pd.NA if np.isnan(v) else v for v in moe], dtype="Float64"),
            "mode": _text(frame, "mode", "unknown").to_numpy(),
            "source": _text(frame, source_col, "").to_numpy(),
        }
    )
    _carry_columns(out, rows, {*SCHEMA, share_col, moe_col, source_col})
    check_unique_options(out, rows)
    check_option_totals(out, rows, share_col)
    if isinstance(source, pd.DataFrame) and not isinstance(source.index, pd.RangeIndex):
        out.index = source.index
    return out


def _read(source: Any, percent: Any) -> tuple[PollRows, bool]:
    """The frame of cells as given, checked for its columns; True if it has ``share_pct``."""
    path = check_poll_source(source)
    if path is None:
        frame = source.copy()
    else:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise fail_unreadable_csv(source, exc) from exc
    check_flag("percent", percent)
    csv_path = None if path is None else str(source)
    frame.columns = [str(c).strip() for c in frame.columns]
    has_pct = check_poll_columns(frame, csv_path)
    labels = source.index if isinstance(source, pd.DataFrame) else None
    return PollRows(frame.reset_index(drop=True), csv_path, labels), has_pct


def _sizes(rows: PollRows) -> np.ndarray:
    """The sample sizes, NaN where not given."""
    if "n" not in rows.frame.columns:
        return np.full(len(rows.frame), np.nan)
    return check_sample_sizes(rows, parse_numbers(rows, "n", thousands=True))


def _margins(rows: PollRows, percent: bool) -> tuple[str, np.ndarray]:
    """The column of the margins of error and the margins as shares (NaN where blank)."""
    moe_col = "moe_pct" if "moe_pct" in rows.frame.columns else "moe"
    moe_scale = 100.0 if (moe_col == "moe_pct" or percent) else 1.0
    if moe_col not in rows.frame.columns:
        return moe_col, np.full(len(rows.frame), np.nan)
    moe = parse_numbers(rows, moe_col, scale=moe_scale) / moe_scale
    return moe_col, check_margins(rows, moe_col, moe)


def _dates(rows: PollRows) -> tuple[list[Any], list[Any], list[str]]:
    """Start and end of fieldwork, and how precisely they were given together."""
    unknown = ([pd.NaT] * len(rows.frame), ["unknown"] * len(rows.frame))
    has = rows.frame.columns
    starts, start_prec = (
        parse_poll_dates(rows, "fieldwork_start", end=False)
        if "fieldwork_start" in has
        else unknown
    )
    ends, end_prec = (
        parse_poll_dates(rows, "fieldwork_end", end=True) if "fieldwork_end" in has else unknown
    )
    check_fieldwork_order(rows, starts, ends)
    precision = [
        max(s, e, key=_PRECISION_RANK.__getitem__) if s != "unknown" or e != "unknown" else s
        for s, e in zip(start_prec, end_prec, strict=True)
    ]
    return starts, ends, precision


def _poll_ids(frame: pd.DataFrame) -> np.ndarray:
    """The poll_id column, derived from pollster and dates where blank or absent."""
    pollster = _text(frame, "pollster", "")
    if "poll_id" in frame.columns:
        poll_id = _text(frame, "poll_id", "")
    else:
        poll_id = pd.Series("", index=frame.index, dtype="string")
    raw_start = _text(frame, "fieldwork_start", "")
    raw_end = _text(frame, "fieldwork_end", "")
    derived = [
        f"{p} {e if s in ('', e) else f'{s}/{e}'}".strip()
        for p, s, e in zip(pollster, raw_start, raw_end, strict=True)
    ]
    return pd.Series(
        [pid if pid else d for pid, d in zip(poll_id, derived, strict=True)], dtype="string"
    ).to_numpy()


def _carry_columns(out: pd.DataFrame, rows: PollRows, consumed: set[str]) -> None:
    """Text columns as strings, the alternatives of disputed figures, and other columns."""
    frame = rows.frame
    for column in _TEXT_COLUMNS:
        out[column] = out[column].astype("string")
    if "alternative_pct" in frame.columns:
        # other published values of a disputed figure, with their sources
        out["alternatives"] = parse_alternatives(rows, frame["alternative_pct"])
        out["alternative_source"] = _text(frame, "alternative_source", "").to_numpy()
        consumed = consumed | {"alternative_pct", "alternative_source"}
    for column in frame.columns:
        if column not in consumed:
            out[column] = frame[column].to_numpy()
