"""Checks and messages of the survey-design wing (:mod:`surveykit.design`).

Every message names the parameter or the column, shows the offending value with ``!r``
and says the fix. The checks run on whole columns at once (no loops over rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit.exceptions import SurveyKitError

__all__ = [
    "LONELY_PSU_CHOICES",
    "SRS_CHOICES",
    "check_by_missing",
    "check_column_names",
    "check_data_frame",
    "check_design_column",
    "check_fpc_values",
    "check_fpc_within_strata",
    "check_lonely_strata",
    "check_mask",
    "check_nested",
    "check_numeric_column",
    "check_one_psu",
    "check_population_size",
    "check_variables_missing",
    "check_weights",
    "fail_empty_domain",
    "fail_no_weights_from_fpc",
    "fail_wrong_stage_count",
]

#: R's ``survey.lonely.psu`` choices
LONELY_PSU_CHOICES = ("fail", "remove", "adjust", "average", "certainty")
#: simple random sampling variances a design effect can be relative to
SRS_CHOICES = ("without-replacement", "with-replacement")


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def check_data_frame(data: Any) -> pd.DataFrame:
    """The data of a design must be a non-empty pandas DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise SurveyKitError(
            f"data must be a pandas DataFrame with one row per respondent, got "
            f"{type(data).__name__}; read files with surveykit.data.microdata.read_microdata"
        )
    if len(data) == 0:
        raise SurveyKitError("data has no rows; a survey design needs at least two respondents")
    return data


def check_column_names(name: str, value: Any, data: pd.DataFrame) -> list[str]:
    """A column name or a list of column names, each of which must be in ``data``."""
    if value is None:
        return []
    names = [value] if isinstance(value, str) or np.ndim(value) == 0 else list(value)
    if not names:
        raise SurveyKitError(f"{name} is an empty list; pass a column name or None")
    for column in names:
        if column not in data.columns:
            close = [c for c in data.columns if str(c).lower() == str(column).lower()]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SurveyKitError(
                f"{name}: no column {column!r} in data{hint}; the columns are "
                f"{list(data.columns)[:20]!r}"
            )
    return names


def check_design_column(name: str, column: str, values: pd.Series) -> None:
    """Design variables may not be missing."""
    missing = values.isna().to_numpy()
    if missing.any():
        first = values.index[np.flatnonzero(missing)[0]]
        raise SurveyKitError(
            f"{name} column {column!r} has {int(missing.sum())} missing value(s) (first at "
            f"row {_plain(first)!r}); a design variable must be known for every respondent: "
            "fill them in or drop those rows before building the design"
        )


def check_numeric_column(name: str, column: str, values: pd.Series) -> np.ndarray:
    """A numeric design column (weights, fpc) as floats."""
    if values.dtype == bool or not (
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    ):
        raise SurveyKitError(
            f"{name} column {column!r} must hold numbers, got dtype {str(values.dtype)!r} "
            f"(first value {_plain(values.iloc[0])!r}); convert it with pd.to_numeric"
        )
    return values.to_numpy(dtype=float, na_value=np.nan)


def check_weights(column: str, weights: np.ndarray, index: pd.Index) -> np.ndarray:
    """Sampling weights must be finite and not negative."""
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SurveyKitError(
            f"weights column {column!r} must hold finite weights of 0 or more, got "
            f"{_plain(weights[i])!r} at row {_plain(index[i])!r}; sampling weights are "
            "inverse selection probabilities (use 0 to keep a row out of every estimate)"
        )
    if not (weights > 0).any():
        raise SurveyKitError(
            f"weights column {column!r} is 0 for every row; at least one respondent "
            "needs a positive weight"
        )
    return weights


def check_one_psu(column: str, count: int) -> None:
    """A design needs more than one primary sampling unit (as R's svydesign)."""
    if count < 2:
        raise SurveyKitError(
            f"psu column {column!r} holds a single primary sampling unit; a design needs "
            "at least two (for strata with their own unit numbers pass strata=... and "
            "nest=True)"
        )


def check_nested(psu: str, strata: str, counts: pd.Series) -> None:
    """Without ``nest``, each first-stage unit must lie in one stratum."""
    bad = counts[counts > 1]
    if len(bad):
        raise SurveyKitError(
            f"psu {psu!r} value {_plain(bad.index[0])!r} appears in {int(bad.iloc[0])} "
            f"strata of {strata!r}: units are numbered within strata; pass nest=True to "
            "treat equal labels in different strata as different units"
        )


def fail_wrong_stage_count(name: str, given: int, stages: int) -> SurveyKitError:
    return SurveyKitError(
        f"{name} names {given} column(s) but psu has {stages} stage(s); give one {name} "
        f"column per sampling stage (as R's svydesign), or fewer strata columns than stages"
        if name == "strata"
        else f"{name} names {given} column(s) but psu has {stages} stage(s); give one "
        f"{name} column per sampling stage, as R's svydesign(fpc = ~fpc1 + fpc2)"
    )


def check_fpc_values(columns: Sequence[str], values: np.ndarray) -> bool:
    """All fpc values are population sizes (>= 1) or all are sampling fractions (<= 1).

    Returns True for population sizes. As R's ``as.fpc``: any value above 1 means
    population sizes; otherwise sampling fractions (a column of ones is ambiguous).
    """
    bad = np.isnan(values) | (values <= 0)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise SurveyKitError(
            f"fpc column {columns[col]!r} must hold population sizes (>= 1) or sampling "
            f"fractions (between 0 and 1), got {_plain(values[row, col])!r}"
        )
    is_size = bool((values > 1).any())
    if is_size != bool((values >= 1).all()):
        small = np.argwhere(values < 1)
        big = np.argwhere(values >= 1)
        if is_size:
            (row, col), (row2, col2) = small[0], big[0]
            detail = (
                f"{columns[col]!r} has {_plain(values[row, col])!r} but "
                f"{columns[col2]!r} has {_plain(values[row2, col2])!r}"
            )
            fix = "give every stage as population sizes or every stage as sampling fractions"
        else:
            detail = "every value is 1"
            fix = (
                "a census stage has a sampling fraction of 1: give population sizes "
                "(the number of units in each stratum) instead"
            )
        raise SurveyKitError(f"fpc must be all population sizes or all fractions: {detail}; {fix}")
    return is_size


def check_fpc_within_strata(column: str, stage: int, spread: np.ndarray, labels: Any) -> None:
    """The fpc is one number per stratum and stage."""
    bad = np.flatnonzero(spread > 0)
    if bad.size:
        raise SurveyKitError(
            f"fpc column {column!r} varies within stratum {_plain(labels[bad[0]])!r} at "
            f"stage {stage}; the population size (or sampling fraction) is one number per "
            "stratum: check the fpc and strata columns"
        )


def check_population_size(
    column: str, stage: int, popsize: np.ndarray, sampsize: np.ndarray, labels: Any
) -> None:
    """The population of a stratum cannot be smaller than its sample."""
    bad = np.flatnonzero(popsize < sampsize)
    if bad.size:
        h = bad[0]
        raise SurveyKitError(
            f"fpc column {column!r} implies {_plain(popsize[h])!r} units in stratum "
            f"{_plain(labels[h])!r} at stage {stage}, fewer than the {int(sampsize[h])} "
            "sampled there; the fpc must be the population size (>= the sample) or the "
            "sampling fraction (<= 1)"
        )


def fail_no_weights_from_fpc(column: str) -> SurveyKitError:
    return SurveyKitError(
        f"no weights given and fpc column {column!r} implies populations above 1e12, "
        "from which weights cannot be computed; pass weights=..."
    )


def check_lonely_strata(stage: int, lonely: np.ndarray, labels: Any, strata: Any) -> None:
    """Under ``lonely_psu='fail'`` no stratum may hold a single sampled unit."""
    bad = np.flatnonzero(lonely)
    if bad.size:
        where = f" of {strata!r}" if strata else ""
        raise SurveyKitError(
            f"stratum {_plain(labels[bad[0]])!r}{where} has only one sampling unit at stage "
            f"{stage} ({bad.size} such strata), so its variance cannot be estimated; pass "
            "lonely_psu='adjust' (centre it at the grand mean), 'average', 'remove' or "
            "'certainty', or merge it with a similar stratum"
        )


def check_mask(mask: Any, index: pd.Index) -> np.ndarray:
    """A domain mask: booleans, one per row of the design's data."""
    if isinstance(mask, pd.Series):
        if not mask.index.equals(index):
            raise SurveyKitError(
                "mask is a Series whose index differs from the design's data; build it from "
                "design.data (for example design.data['age'] > 30) so rows line up"
            )
        values = mask.to_numpy()
    else:
        values = np.asarray(mask)
    if values.shape != (len(index),):
        raise SurveyKitError(
            f"mask must hold one True/False per row of the data ({len(index)} rows), got "
            f"shape {values.shape!r}"
        )
    if values.dtype != bool:
        if values.dtype == object and pd.isna(values).any():
            raise SurveyKitError(
                "mask has missing values; decide what they mean, e.g. mask.fillna(False)"
            )
        raise SurveyKitError(
            f"mask must be boolean (True keeps a row in the domain), got dtype "
            f"{str(values.dtype)!r}; compare a column, e.g. design.data['sex'] == 'F'"
        )
    return values


def check_variables_missing(column: str, missing: np.ndarray, index: pd.Index) -> None:
    """Analysis variables may be missing only when ``na_rm=True``."""
    if missing.any():
        first = index[np.flatnonzero(missing)[0]]
        raise SurveyKitError(
            f"column {column!r} has {int(missing.sum())} missing value(s) in the domain "
            f"(first at row {_plain(first)!r}); pass na_rm=True to estimate over the "
            "respondents who answered (a domain, as R's na.rm = TRUE), or impute them first"
        )


def check_by_missing(column: str, missing: np.ndarray, index: pd.Index) -> None:
    """Domain (``by``) columns may be missing only when ``na_rm=True``."""
    if missing.any():
        first = index[np.flatnonzero(missing)[0]]
        raise SurveyKitError(
            f"by column {column!r} has {int(missing.sum())} missing value(s) (first at row "
            f"{_plain(first)!r}); pass na_rm=True to leave those rows out of every domain, "
            "or give the missing values a level of their own"
        )


def fail_empty_domain(what: str) -> SurveyKitError:
    return SurveyKitError(
        f"{what} has no respondents with a positive weight; nothing can be estimated there"
    )
