"""From tidy poll rows to the model's data: dates on a daily grid, shares and variances.

Each poll is dated at its fieldwork midpoint, ``fieldwork_start + floor((fieldwork_end -
fieldwork_start) / 2)`` days (a poll with one date known sits on that date), and gets
the sampling variance of its share: :math:`p(1-p)D/n` with the published (or assumed)
n, or :math:`p(1-p)(m/z_{0.975})^2/0.25` from a published 95% margin of error ``m``
(quoted at 50%, as pollsters do) where n is missing. On the logit scale the share
becomes :math:`\\log(p/(1-p))` and its variance is divided by :math:`(p(1-p))^2`
(the delta method).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from surveykit._core.validation.series import (
    check_anchors,
    check_no_elections,
    check_poll_dates,
    check_poll_shares,
    check_positive_number,
    check_series_deff,
    require_sample_size,
    select_series,
)

__all__ = ["MOE_Z", "PreparedSeries", "midpoints", "prepare_series", "to_model_scale"]

#: the normal quantile of a published 95% margin of error
MOE_Z = float(special.ndtri(0.975))


@dataclass(frozen=True)
class PreparedSeries:
    """One series ready for the smoother: ``polls`` in grid order and the grid itself."""

    polls: pd.DataFrame  # one row per poll: schema columns + date, day, fieldwork_days, ...
    houses: list[str]
    start: pd.Timestamp
    n_days: int
    anchor_day: np.ndarray
    anchor_value: np.ndarray  # on the model scale
    anchors: dict[pd.Timestamp, float]  # as given (shares)


def midpoints(start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Fieldwork midpoints (floor of half the span) and fieldwork lengths in days."""
    start = start.fillna(end)
    end = end.fillna(start)
    span = (end - start).dt.days
    return start + pd.to_timedelta(span // 2, unit="D"), span + 1


def to_model_scale(share: Any, variance: Any, scale: str) -> tuple[Any, Any]:
    """Shares and their variances on the model's scale (``'share'`` or ``'logit'``)."""
    if scale == "logit":
        share = np.asarray(share, dtype=float)
        return special.logit(share), variance / (share * (1 - share)) ** 2
    return share, variance


def _variances(rows: pd.DataFrame, deff: np.ndarray, assumed_n: float | None) -> np.ndarray:
    share = rows["proportion"].to_numpy(dtype=float)
    n = rows["n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    moe = rows["moe"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    from_moe = np.isnan(n) & ~np.isnan(moe)
    if assumed_n is not None:
        n = np.where(np.isnan(n) & ~from_moe, assumed_n, n)
    missing = np.isnan(n) & ~from_moe
    require_sample_size(rows.loc[missing, "poll_id"].astype(str).tolist())
    base = share * (1 - share)
    moe_var = base * (moe / MOE_Z) ** 2 / 0.25
    return np.where(from_moe, moe_var, base * deff / np.where(from_moe, 1.0, n))


def prepare_series(
    polls: pd.DataFrame,
    *,
    question: Any,
    option: Any,
    scale: str,
    deff: Any,
    assumed_n: Any,
    anchors: Any,
) -> PreparedSeries:
    """Select one series, date its polls, give each a variance and lay out the grid."""
    rows = select_series(polls, question, option).reset_index(drop=True)
    check_no_elections(rows)
    check_poll_dates(rows)
    check_poll_shares(rows, scale)
    if assumed_n is not None:
        assumed_n = check_positive_number(
            "assumed_n", assumed_n, "pass the sample size assumed for polls without one"
        )
    deffs = check_series_deff(deff, rows["pollster"].astype(str))
    given = check_anchors(anchors, scale)
    variance = _variances(rows, deffs, assumed_n)
    date, length = midpoints(rows["fieldwork_start"], rows["fieldwork_end"])
    share = rows["proportion"].to_numpy(dtype=float)
    y, var = to_model_scale(share, variance, scale)
    anchor_dates = pd.DatetimeIndex(list(given))
    start = min([date.min(), *anchor_dates])
    end = max([date.max(), *anchor_dates])
    frame = rows.assign(
        date=date,
        fieldwork_days=length.astype(int),
        deff=deffs,
        variance=variance,
        y=y,
        model_variance=var,
        day=(date - start).dt.days.astype(int),
    )
    frame = frame.sort_values(["day", "poll_id"], kind="stable").reset_index(drop=True)
    houses = sorted(frame["pollster"].astype(str).unique())
    values = np.array(list(given.values()), dtype=float)
    return PreparedSeries(
        polls=frame,
        houses=houses,
        start=start,
        n_days=int((end - start).days) + 1,
        anchor_day=np.asarray((anchor_dates - start).days, dtype=int),
        anchor_value=special.logit(values) if scale == "logit" else values,
        anchors=given,
    )
