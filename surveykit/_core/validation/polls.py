"""Checks of a file of published poll figures (the schema of :func:`surveykit.read_polls`).

Every problem names the row (a CSV line number or a DataFrame index label) and the
column, shows the cell as written, and says the fix. The cells are parsed here too, since
a cell that cannot be parsed is the commonest problem: numbers (``1,000``, ``55%``),
dates (``2021-09-17``, ``Sep 2021``, ``17 September 2021``) and the alternative values
of a disputed figure (``30 | 31.5``).
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.validation.common import check_file
from surveykit.exceptions import SurveyKitError

__all__ = [
    "N_STATUSES",
    "POLL_REQUIRED_COLUMNS",
    "PollRows",
    "check_fieldwork_order",
    "check_margins",
    "check_n_statuses",
    "check_option_totals",
    "check_poll_columns",
    "check_poll_source",
    "check_required_cells",
    "check_sample_sizes",
    "check_shares",
    "check_unique_options",
    "fail_unreadable_csv",
    "is_blank",
    "parse_alternatives",
    "parse_numbers",
    "parse_poll_dates",
]

#: how sure the sample size of a poll is
N_STATUSES = ("published", "assumed", "unknown")
#: columns every poll file must have (besides the share, as proportion or share_pct)
POLL_REQUIRED_COLUMNS = ("pollster", "question", "option")
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


class PollRows:
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


def is_blank(value: Any) -> bool:
    """An empty cell: None, NA, NaN, NaT or whitespace."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def check_poll_source(source: Any) -> Path | None:
    """The file to read, or None for a DataFrame."""
    if isinstance(source, pd.DataFrame):
        return None
    if isinstance(source, str | os.PathLike):
        return check_file("source", source)
    raise SurveyKitError(
        f"source must be a path to a CSV file or a pandas DataFrame, got {source!r}"
    )


def fail_unreadable_csv(source: Any, exc: Exception) -> SurveyKitError:
    """A file that is there but is not a UTF-8 CSV file."""
    return SurveyKitError(f"source {str(source)!r} could not be read as a UTF-8 CSV file: {exc}")


def check_poll_columns(frame: pd.DataFrame, csv_path: str | None) -> bool:
    """The required columns, each figure given once, and some rows; True if ``share_pct``."""
    where = f" in {csv_path}" if csv_path else ""
    missing = [c for c in POLL_REQUIRED_COLUMNS if c not in frame.columns]
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
    return has_pct


def check_required_cells(rows: PollRows) -> None:
    """No blank pollster, question or option."""
    for column in POLL_REQUIRED_COLUMNS:
        for i, value in enumerate(rows.frame[column].tolist()):
            if is_blank(value):
                raise rows.fail(i, column, value, "must not be blank")


def _number_hint(value: Any) -> str:
    if isinstance(value, str) and value.strip().endswith("%"):
        return "; write the number without the % sign (use the share_pct column)"
    if isinstance(value, str) and "," in value:
        return (
            "; write numbers without decimal commas (0.55, not 0,55) and thousands "
            "separators only between groups of three digits (1,000)"
        )
    return ""


def parse_numbers(
    rows: PollRows, column: str, *, thousands: bool = False, scale: float | None = None
) -> np.ndarray:
    """Parse a numeric column cell by cell; blanks become NaN, text raises.

    ``thousands`` accepts whole numbers written with thousands separators (``1,000``);
    ``scale`` (the column's units per 100%) accepts percentages written with a % sign
    (``55%`` is 0.55 in a column of shares, 55 in a column of percentages).
    """
    values = rows.frame[column].tolist()
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if is_blank(value):
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
            raise rows.fail(i, column, value, f"must be a number{_number_hint(value)}") from None
        if not np.isfinite(out[i]):
            raise rows.fail(i, column, value, "must be a finite number")
    return out


def check_shares(rows: PollRows, column: str, share: np.ndarray, scale: float) -> np.ndarray:
    """Every row has a share, within [0, 1] once divided by ``scale``; the shares (0-1)."""
    for i, value in enumerate(share):
        if np.isnan(value):
            raise rows.fail(i, column, rows.frame[column].iloc[i], "the share is missing")
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
        raise rows.fail(i, column, rows.frame[column].iloc[i], f"must be between {span}{hint}")
    return proportion


def check_sample_sizes(rows: PollRows, n_values: np.ndarray) -> np.ndarray:
    """Each given n is a positive whole number of respondents."""
    for i, value in enumerate(n_values):
        if np.isnan(value):
            continue
        if value <= 0 or value != np.round(value):
            raise rows.fail(
                i, "n", rows.frame["n"].iloc[i], "n must be a positive whole number of respondents"
            )
    return n_values


def check_n_statuses(rows: PollRows, statuses: list[str], n_values: np.ndarray) -> list[str]:
    """Each ``n_status`` agrees with the n column; a blank one is inferred from it."""
    statuses = list(statuses)
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
    return statuses


def check_margins(rows: PollRows, column: str, moe: np.ndarray) -> np.ndarray:
    """Each given margin of error (as a share) lies in (0, 1]."""
    bad = np.flatnonzero(~np.isnan(moe) & ~((moe > 0) & (moe <= 1)))
    if bad.size:
        i = int(bad[0])
        hint = "; it looks like a percentage: use the moe_pct column" if moe[i] > 1 else ""
        raise rows.fail(i, column, rows.frame[column].iloc[i], f"must be in (0, 1]{hint}")
    return moe


def _named_date(text: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of "Sep 2021", "17 September 2021" or "Sep 17, 2021"."""
    for pattern in _NAMED_DATES:
        match = pattern.match(text)
        if match and match["month"].lower() in _MONTHS:
            day = match.groupdict().get("day")
            return int(match["year"]), _MONTHS[match["month"].lower()], int(day) if day else None
    return None


def _date_parts(rows: PollRows, i: int, column: str, value: Any, problem: str) -> tuple:
    """(year, month or None, day or None) of one cell of text."""
    text = str(value).strip()
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
        return tuple(int(g) if g else None for g in match.groups())
    named = _named_date(text)
    if named is None:
        raise rows.fail(i, column, value, problem)
    return named


def _stamp(year: int, month: int | None, day: int | None, *, end: bool) -> tuple:
    """The timestamp of a date and its precision; a month or a year opens or closes it."""
    if day is not None:
        return pd.Timestamp(year=year, month=month, day=day), "day"
    if month is not None:
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return pd.Timestamp(year=year, month=month, day=last if end else 1), "month"
    return pd.Timestamp(year=year, month=12 if end else 1, day=31 if end else 1), "year"


def parse_poll_dates(rows: PollRows, column: str, *, end: bool) -> tuple[list[Any], list[str]]:
    """ISO dates (``2021-09-17``), months (``2021-09``, ``Sep 2021``), years, or dates
    with the month's English name (``17 September 2021``); blank means unknown.

    Day and month both as numbers (``09/10/2021``) are refused: their order cannot be
    told from the cell."""
    problem = (
        "is not a date; use YYYY-MM-DD (2021-09-17), YYYY-MM or 'Sep 2021' (month "
        "only), YYYY, or '17 September 2021'"
    )
    dates: list[Any] = []
    precision: list[str] = []
    for i, value in enumerate(rows.frame[column].tolist()):
        if is_blank(value):
            stamp, kind = pd.NaT, "unknown"
        elif isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "isoformat"):
            stamp, kind = pd.Timestamp(value), "day"
        else:
            year, month, day = _date_parts(rows, i, column, value, problem)
            try:
                stamp, kind = _stamp(year, month, day, end=end)
            except ValueError:
                raise rows.fail(i, column, value, problem) from None
        dates.append(stamp)
        precision.append(kind)
    return dates, precision


def check_fieldwork_order(rows: PollRows, starts: Sequence[Any], ends: Sequence[Any]) -> None:
    """No fieldwork ends before it starts."""
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start is not pd.NaT and end is not pd.NaT and start > end:
            raise rows.fail(
                i,
                "fieldwork_end",
                rows.frame["fieldwork_end"].iloc[i],
                f"fieldwork ends before it starts ({rows.frame['fieldwork_start'].iloc[i]!r})",
            )


def parse_alternatives(rows: PollRows, column: pd.Series) -> list[tuple[float, ...]]:
    """Alternative published values of each figure, as shares: '30' or '30 | 31.5'."""
    out = []
    for i, value in enumerate(column.tolist()):
        if is_blank(value):
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


def check_unique_options(out: pd.DataFrame, rows: PollRows) -> None:
    """No poll lists the same option of a question twice."""
    keys = ["poll_id", "question", "option"]
    dup = out.duplicated(keys, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        key = tuple(out.loc[i, keys])
        raise rows.fail(
            i, "option", key[2], f"poll {key[0]!r}, question {key[1]!r} lists this option twice"
        )


def check_option_totals(out: pd.DataFrame, rows: PollRows, share_col: str) -> None:
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
