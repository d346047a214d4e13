"""The tidy poll schema: one row per poll x question x option, validated.

:func:`read_polls` turns a CSV file or a DataFrame of published figures into that
schema. Nothing is silently dropped, clipped or rounded: every problem raises a
:class:`~surveykit.SurveyKitError` naming the row and the column.
"""

from __future__ import annotations

import calendar
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError

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
N_STATUSES = ("published", "assumed", "unknown")
_REQUIRED = ("pollster", "question", "option")
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
#: "Sep 2021", "17 September 2021", "September 17, 2021" (English month names)
_NAMED_DATES = (
    re.compile(rf"^{_MONTH},?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<day>\d{{1,2}})\.?\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$"),
)
#: day and month as numbers, in an order no single cell can tell: 09/10/2021
_NUMERIC_DAY_MONTH = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
#: a whole number with thousands separators: 1,000 or 1,234,567
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


class _Rows:
    """How to name a row in messages: CSV line numbers, or DataFrame index labels."""

    def __init__(self, frame: pd.DataFrame, csv_path: str | None, labels: pd.Index | None):
        self.frame = frame
        self.csv_path = csv_path
        self.labels = labels

    def name(self, position: int) -> str:
        if self.csv_path is not None:
            return f"line {position + 2} of {self.csv_path}"
        label = self.labels[position] if self.labels is not None else position
        return f"row {label!r}"

    def fail(self, position: int, column: str, value: Any, problem: str) -> SurveyKitError:
        if isinstance(value, np.generic):  # show 55, not np.int64(55)
            value = value.item()
        return SurveyKitError(
            f"{self.name(position)}, column {column!r}: {problem}, got {value!r}"
        )


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number(
    rows: _Rows, column: str, *, thousands: bool = False, scale: float | None = None
) -> np.ndarray:
    """Parse a numeric column cell by cell; blanks become NaN, text raises.

    ``thousands`` accepts whole numbers written with thousands separators (``1,000``);
    ``scale`` (the column's units per 100%) accepts percentages written with a % sign
    (``55%`` is 0.55 in a column of shares, 55 in a column of percentages).
    """
    values = rows.frame[column].tolist()
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if _blank(value):
            continue
        if isinstance(value, bool | np.bool_):
            raise rows.fail(i, column, value, "must be a number")
        text = str(value).strip() if isinstance(value, str) else None
        factor = 1.0
        if text is not None and thousands and _THOUSANDS.match(text):
            text = text.replace(",", "")
        if text is not None and scale is not None and text.endswith("%"):
            text, factor = text[:-1].strip(), scale / 100
        try:
            out[i] = (float(text) if text is not None else float(value)) * factor
        except (TypeError, ValueError):
            hint = ""
            if isinstance(value, str) and value.strip().endswith("%"):
                hint = "; write the number without the % sign (use the share_pct column)"
            elif isinstance(value, str) and "," in value:
                hint = (
                    "; write numbers without decimal commas (0.55, not 0,55) and thousands "
                    "separators only between groups of three digits (1,000)"
                )
            raise rows.fail(i, column, value, f"must be a number{hint}") from None
        if not np.isfinite(out[i]):
            raise rows.fail(i, column, value, "must be a finite number")
    return out


def _named_date(text: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of "Sep 2021", "17 September 2021" or "Sep 17, 2021"."""
    for pattern in _NAMED_DATES:
        match = pattern.match(text)
        if match and match["month"].lower() in _MONTHS:
            day = match.groupdict().get("day")
            return int(match["year"]), _MONTHS[match["month"].lower()], int(day) if day else None
    return None


def _parse_date(rows: _Rows, column: str, *, end: bool) -> tuple[list[Any], list[str]]:
    """ISO dates (``2021-09-17``), months (``2021-09``, ``Sep 2021``), years, or dates
    with the month's English name (``17 September 2021``); blank means unknown.

    Day and month both as numbers (``09/10/2021``) are refused: their order cannot be
    told from the cell."""
    dates: list[Any] = []
    precision: list[str] = []
    for i, value in enumerate(rows.frame[column].tolist()):
        if _blank(value):
            dates.append(pd.NaT)
            precision.append("unknown")
            continue
        if isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "isoformat"):
            dates.append(pd.Timestamp(value))
            precision.append("day")
            continue
        text = str(value).strip()
        problem = (
            "is not a date; use YYYY-MM-DD (2021-09-17), YYYY-MM or 'Sep 2021' (month "
            "only), YYYY, or '17 September 2021'"
        )
        if _NUMERIC_DAY_MONTH.match(text):
            raise rows.fail(
                i,
                column,
                value,
                "is ambiguous: day/month or month/day? write the date as YYYY-MM-DD "
                "(2021-10-09 for 9 October) or with the month's name (9 Oct 2021)",
            )
        match = _DATE.match(text)
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
        else:
            named = _named_date(text)
            if named is None:
                raise rows.fail(i, column, value, problem)
            year, month, day = named
        try:
            if day is not None:
                stamp = pd.Timestamp(year=year, month=month, day=day)
                kind = "day"
            elif month is not None:
                last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
                stamp = pd.Timestamp(year=year, month=month, day=last if end else 1)
                kind = "month"
            else:
                stamp = pd.Timestamp(year=year, month=12 if end else 1, day=31 if end else 1)
                kind = "year"
        except ValueError:
            raise rows.fail(i, column, value, problem) from None
        dates.append(stamp)
        precision.append(kind)
    return dates, precision


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
        Naming the row and the column, for: a missing required column, a share outside
        [0, 1] (with a hint when it looks like a percentage), an n that is not a
        positive whole number, options of one poll and question adding up to more than
        100% beyond rounding, an unparseable date or one with day and month as numbers
        (``09/10/2021``, whose order cannot be told), an unknown ``n_status``, or the same
        poll, question and option given twice.

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
    csv_path: str | None = None
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise SurveyKitError(
                f"source must be a CSV file or a DataFrame; no file at {str(source)!r}"
            )
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise SurveyKitError(
                f"source {str(source)!r} could not be read as a UTF-8 CSV file: {exc}"
            ) from exc
        csv_path = str(source)
    else:
        raise SurveyKitError(
            f"source must be a path to a CSV file or a pandas DataFrame, got {source!r}"
        )
    if not isinstance(percent, bool):
        raise SurveyKitError(f"percent must be True or False, got {percent!r}")
    frame.columns = [str(c).strip() for c in frame.columns]
    where = f" in {csv_path}" if csv_path else ""
    missing = [c for c in _REQUIRED if c not in frame.columns]
    has_prop, has_pct = "proportion" in frame.columns, "share_pct" in frame.columns
    if not (has_prop or has_pct):
        missing.append("proportion (or share_pct)")
    if missing:
        raise SurveyKitError(
            f"missing required column(s) {', '.join(map(repr, missing))}{where}; "
            f"found {list(frame.columns)!r}"
        )
    if has_prop and has_pct:
        raise SurveyKitError(
            f"give the share once, as 'proportion' (0-1) or 'share_pct' (0-100), not both{where}"
        )
    if "moe" in frame.columns and "moe_pct" in frame.columns:
        raise SurveyKitError(
            f"give the margin of error once, as 'moe' (0-1) or 'moe_pct' (0-100){where}"
        )
    if len(frame) == 0:
        raise SurveyKitError(f"source has no rows{where}; there is nothing to analyse")
    labels = source.index if isinstance(source, pd.DataFrame) else None
    frame = frame.reset_index(drop=True)
    rows = _Rows(frame, csv_path, labels)

    for column in _REQUIRED:
        values = frame[column].tolist()
        for i, value in enumerate(values):
            if _blank(value):
                raise rows.fail(i, column, value, "must not be blank")

    share_col = "share_pct" if has_pct else "proportion"
    scale = 100.0 if (has_pct or percent) else 1.0
    share = _number(rows, share_col, scale=scale)
    for i, value in enumerate(share):
        if np.isnan(value):
            raise rows.fail(i, share_col, frame[share_col].iloc[i], "the share is missing")
    proportion = share / scale
    bad = np.flatnonzero((proportion < 0) | (proportion > 1))
    if bad.size:
        i = int(bad[0])
        hint = ""
        if scale == 1.0 and np.nanmax(share) <= 100 and 1 < share[i] <= 100:
            hint = (
                "; the column looks like percentages: pass percent=True or name the "
                "column share_pct"
            )
        span = "0 and 100" if scale == 100 else "0 and 1"
        raise rows.fail(i, share_col, frame[share_col].iloc[i], f"must be between {span}{hint}")

    n_values = (
        _number(rows, "n", thousands=True) if "n" in frame.columns else np.full(len(frame), np.nan)
    )
    for i, value in enumerate(n_values):
        if np.isnan(value):
            continue
        if value <= 0 or value != np.round(value):
            raise rows.fail(
                i, "n", frame["n"].iloc[i], "n must be a positive whole number of respondents"
            )

    statuses = _text(frame, "n_status", "").tolist()
    for i, status in enumerate(statuses):
        has_n = not np.isnan(n_values[i])
        if status == "":
            statuses[i] = "published" if has_n else "unknown"
        elif status not in N_STATUSES:
            raise rows.fail(
                i, "n_status", status, f"must be one of {', '.join(map(repr, N_STATUSES))}"
            )
        elif status in ("published", "assumed") and not has_n:
            raise rows.fail(i, "n_status", status, "says n is known but the n column is blank")
        elif status == "unknown" and has_n:
            raise rows.fail(
                i, "n_status", status, f"says n is unknown but n is {int(n_values[i])}"
            )

    moe_col = "moe_pct" if "moe_pct" in frame.columns else "moe"
    moe_scale = 100.0 if (moe_col == "moe_pct" or percent) else 1.0
    moe = (
        _number(rows, moe_col, scale=moe_scale)
        if moe_col in frame.columns
        else np.full(len(frame), np.nan)
    )
    moe = moe / moe_scale
    bad = np.flatnonzero(~np.isnan(moe) & ~((moe > 0) & (moe <= 1)))
    if bad.size:
        i = int(bad[0])
        hint = "; it looks like a percentage: use the moe_pct column" if moe[i] > 1 else ""
        raise rows.fail(i, moe_col, frame[moe_col].iloc[i], f"must be in (0, 1]{hint}")

    starts, start_prec = (
        _parse_date(rows, "fieldwork_start", end=False)
        if "fieldwork_start" in frame.columns
        else ([pd.NaT] * len(frame), ["unknown"] * len(frame))
    )
    ends, end_prec = (
        _parse_date(rows, "fieldwork_end", end=True)
        if "fieldwork_end" in frame.columns
        else ([pd.NaT] * len(frame), ["unknown"] * len(frame))
    )
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start is not pd.NaT and end is not pd.NaT and start > end:
            raise rows.fail(
                i,
                "fieldwork_end",
                frame["fieldwork_end"].iloc[i],
                f"fieldwork ends before it starts ({frame['fieldwork_start'].iloc[i]!r})",
            )
    precision = [
        max(s, e, key=_PRECISION_RANK.__getitem__) if s != "unknown" or e != "unknown" else s
        for s, e in zip(start_prec, end_prec, strict=True)
    ]

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
    poll_id = pd.Series(
        [pid if pid else d for pid, d in zip(poll_id, derived, strict=True)], dtype="string"
    )

    source_col = "source" if "source" in frame.columns else "source_url"
    out = pd.DataFrame(
        {
            "poll_id": poll_id.to_numpy(),
            "pollster": pollster.to_numpy(),
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
    for column in ("poll_id", "pollster", "question", "option", "n_status", "mode", "source"):
        out[column] = out[column].astype("string")
    consumed = {*SCHEMA, share_col, moe_col, source_col}
    if "alternative_pct" in frame.columns:
        # other published values of a disputed figure, with their sources
        out["alternatives"] = _alternatives(rows, frame["alternative_pct"])
        out["alternative_source"] = _text(frame, "alternative_source", "").to_numpy()
        consumed |= {"alternative_pct", "alternative_source"}
    for column in frame.columns:
        if column not in consumed:
            out[column] = frame[column].to_numpy()

    keys = ["poll_id", "question", "option"]
    dup = out.duplicated(keys, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        key = tuple(out.loc[i, keys])
        raise rows.fail(
            i, "option", key[2], f"poll {key[0]!r}, question {key[1]!r} lists this option twice"
        )
    _check_totals(out, rows, share_col)
    if isinstance(source, pd.DataFrame) and not isinstance(source.index, pd.RangeIndex):
        out.index = source.index
    return out


def _alternatives(rows: _Rows, column: pd.Series) -> list[tuple[float, ...]]:
    """Alternative published values of each figure, as shares: '30' or '30 | 31.5'."""
    out = []
    for i, value in enumerate(column.tolist()):
        if _blank(value):
            out.append(())
            continue
        shares = []
        for piece in str(value).split("|"):
            text = piece.strip().removesuffix("%").strip()
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            if not 0 <= number <= 100:
                raise rows.fail(
                    i,
                    "alternative_pct",
                    value,
                    "must be percentages between 0 and 100, several separated by ' | ' "
                    "(for example '30' or '30 | 31')",
                )
            shares.append(number / 100)
        out.append(tuple(shares))
    return out


def _check_totals(out: pd.DataFrame, rows: _Rows, share_col: str) -> None:
    """Options of one poll and question may not add up to more than 100% + rounding.

    Each published share may be rounded by up to half a percentage point, so ``k``
    options may add up to ``100 + k/2`` percent and no more.
    """
    groups = out.groupby(["poll_id", "question"], sort=False)["proportion"]
    total = groups.transform("sum").to_numpy()
    count = groups.transform("size").to_numpy()
    over = total > 1 + 0.005 * count + 1e-9
    if over.any():
        i = int(np.flatnonzero(over)[-1])
        raise rows.fail(
            i,
            share_col,
            rows.frame[share_col].iloc[i],
            f"the {int(count[i])} options of poll {out['poll_id'].iloc[i]!r}, question "
            f"{out['question'].iloc[i]!r} add up to {100 * total[i]:.4g}%, more than 100% "
            "beyond rounding; check for a typo or options from different questions",
        )
