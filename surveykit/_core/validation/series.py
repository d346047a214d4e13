"""Checks and messages of the poll-series wing (:mod:`surveykit.series`).

Every message names the parameter, shows the value with ``!r`` and says the fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.validation.common import check_confidence_level, check_option
from surveykit.exceptions import SurveyKitError

__all__ = [
    "POLL_COLUMNS",
    "SCALES",
    "check_anchors",
    "check_check_result",
    "check_date",
    "check_house_effects",
    "check_house_sd",
    "check_later_first",
    "check_no_elections",
    "check_not_in_fit",
    "check_one_poll_houses",
    "check_option_anchors",
    "check_poll_dates",
    "check_poll_shares",
    "check_polls_frame",
    "check_positive_number",
    "check_same_pollster",
    "check_scale",
    "check_series_deff",
    "check_sigma",
    "check_trend_level",
    "check_trend_result",
    "read_one_poll",
    "require_poll_n",
    "require_sample_size",
    "select_question",
    "select_series",
]

#: the columns of :func:`surveykit.read_polls` that a poll series needs
POLL_COLUMNS = (
    "poll_id",
    "pollster",
    "fieldwork_start",
    "fieldwork_end",
    "question",
    "option",
    "proportion",
    "n",
    "moe",
)
#: the scales a trend can be fitted on
SCALES = ("share", "logit")


def _listed(values: Sequence[Any], limit: int = 6) -> str:
    shown = ", ".join(repr(str(v)) for v in list(values)[:limit])
    more = len(values) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def check_polls_frame(polls: Any) -> pd.DataFrame:
    """A frame in the poll schema of :func:`surveykit.read_polls`."""
    if not isinstance(polls, pd.DataFrame):
        raise SurveyKitError(
            f"polls must be a DataFrame from sk.read_polls or sk.load_dataset, got "
            f"{type(polls).__name__} {polls!r:.80}; read a CSV file with sk.read_polls(path)"
        )
    missing = [c for c in POLL_COLUMNS if c not in polls.columns]
    if missing:
        raise SurveyKitError(
            f"polls lacks the column(s) {_listed(missing)}; pass the frame through "
            "sk.read_polls(frame) first, which checks it and adds them"
        )
    if len(polls) == 0:
        raise SurveyKitError("polls has no rows; pass at least two polls of one question")
    return polls


def _choose(polls: pd.DataFrame, name: str, value: Any, hint: str) -> pd.DataFrame:
    """Rows whose ``name`` column is ``value`` (a label or a list of labels)."""
    present = list(dict.fromkeys(polls[name].astype(str)))
    if value is None:
        if len(present) > 1:
            raise SurveyKitError(
                f"polls hold {len(present)} {name}s ({_listed(present)}); pass "
                f"{name}= one of them{hint}"
            )
        return polls
    wanted = [value] if isinstance(value, str) else list(value) if np.ndim(value) else [value]
    for label in wanted:
        if not isinstance(label, str) or label not in present:
            raise SurveyKitError(
                f"{name} must be one of {_listed(present, 10)}; got {label!r}"
                + (" (a list of them is fitted as one series)" if name == "question" else "")
            )
    return polls[polls[name].astype(str).isin(wanted)]


def select_question(polls: pd.DataFrame, question: Any) -> pd.DataFrame:
    """The rows of one question (or of a list of questions fitted as one series)."""
    return _choose(polls, "question", question, " (or a list of questions worded alike)")


def select_series(polls: pd.DataFrame, question: Any, option: Any) -> pd.DataFrame:
    """The rows of one question (or a list of questions) and one option."""
    rows = select_question(polls, question)
    return _choose(
        rows, "option", option, "; sk.poll_trends fits every option of a question at once"
    )


def check_scale(scale: Any) -> str:
    """``'share'`` or ``'logit'``."""
    return check_option("scale", scale, SCALES)


def check_house_effects(value: Any, pollsters: Sequence[str], has_anchors: bool) -> str:
    """How house effects are identified: ``'sum-zero'``, ``'free'`` or a reference pollster.

    ``None`` means ``'free'`` with anchors and ``'sum-zero'`` without.
    """
    if value is None:
        return "free" if has_anchors else "sum-zero"
    if isinstance(value, str) and (value in ("sum-zero", "free") or value in pollsters):
        if value == "free" and not has_anchors:
            raise SurveyKitError(
                "house_effects='free' leaves the level unidentified without anchors; pass "
                "anchors={date: share} (e.g. an election result), or house_effects='sum-zero'"
            )
        return value
    raise SurveyKitError(
        f"house_effects must be 'sum-zero', or the name of the reference pollster "
        f"({_listed(pollsters, 10)}), or 'free' with anchors; got {value!r}"
    )


def check_date(name: str, value: Any) -> pd.Timestamp:
    """One calendar day (a string 'YYYY-MM-DD', a date or a Timestamp)."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT or isinstance(value, bool | int | float):
        raise SurveyKitError(
            f"{name} must be a date such as '2007-11-24' (or a Timestamp), got {value!r}"
        )
    return stamp.normalize()


def check_anchors(anchors: Any, scale: str) -> dict[pd.Timestamp, float]:
    """Known true shares on given days: ``{date: share}`` with shares inside (0, 1)."""
    if anchors is None:
        return {}
    if not isinstance(anchors, Mapping) or len(anchors) == 0:
        raise SurveyKitError(
            "anchors must be a non-empty mapping {date: share}, e.g. "
            f"{{'2007-11-24': 0.4338}}, got {anchors!r}"
        )
    out: dict[pd.Timestamp, float] = {}
    for key, share in anchors.items():
        day = check_date("anchors' dates", key)
        if isinstance(share, bool) or not isinstance(share, int | float | np.number):
            raise SurveyKitError(f"anchors[{key!r}] must be a share (0-1), got {share!r}")
        share = float(share)
        if not 0 < share < 1:
            hint = f"; for {share:g}% pass {share / 100:g}" if 1 < share < 100 else ""
            raise SurveyKitError(
                f"anchors[{key!r}] must be a share strictly between 0 and 1 (on the {scale} "
                f"scale a known share of 0 or 1 cannot anchor a trend), got {share!r}{hint}"
            )
        if day in out:
            raise SurveyKitError(f"anchors give the day {str(day.date())!r} twice; give it once")
        out[day] = share
    return out


def check_option_anchors(anchors: Any, options: Sequence[str]) -> dict[str, Any]:
    """Anchors of several options: a mapping {option: {date: share}}."""
    if anchors is None:
        return {}
    if not isinstance(anchors, Mapping) or not all(
        isinstance(v, Mapping) for v in anchors.values()
    ):
        raise SurveyKitError(
            "anchors of poll_trends must map each option to its anchors, "
            f"{{option: {{date: share}}}}, got {anchors!r:.100}"
        )
    unknown = [o for o in anchors if o not in options]
    if unknown:
        raise SurveyKitError(
            f"anchors name option(s) {_listed(unknown)} that are not fitted; the options "
            f"are {_listed(options, 10)}"
        )
    return dict(anchors)


#: largest standard deviation of the trend's daily steps or of house effects accepted: a
#: share moves within [0, 1], and 10 on the logit scale spans shares from 0.00005 to 0.99995
MAX_SPREAD = 10.0


def check_sigma(sigma: Any) -> float | None:
    """The daily standard deviation of the random walk: None (estimated) or positive."""
    if sigma is None:
        return None
    if isinstance(sigma, bool) or not isinstance(sigma, int | float | np.number):
        raise SurveyKitError(f"sigma must be None (estimated) or a positive number, got {sigma!r}")
    if not (math.isfinite(sigma) and 0 < sigma <= MAX_SPREAD):
        raise SurveyKitError(
            f"sigma must be positive and finite, at most {MAX_SPREAD:g} (a daily standard "
            f"deviation of the trend, e.g. 0.002 on the share scale), got {sigma!r}; pass "
            "sigma=None to estimate it"
        )
    return float(sigma)


def check_positive_number(name: str, value: Any, fix: str) -> float:
    """A positive finite number (an assumed sample size, a design effect)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise SurveyKitError(f"{name} must be a positive number, got {value!r}; {fix}")
    if not (math.isfinite(value) and value > 0):
        raise SurveyKitError(f"{name} must be positive and finite, got {value!r}; {fix}")
    return float(value)


def check_series_deff(deff: Any, pollsters: pd.Series) -> np.ndarray:
    """Design effects per poll: one number, or a mapping {pollster: deff} (1 if absent)."""
    fix = "pass one number (1 for simple random sampling) or a mapping {pollster: deff}"
    if isinstance(deff, Mapping):
        unknown = [p for p in deff if p not in set(pollsters)]
        if unknown:
            raise SurveyKitError(
                f"deff names pollster(s) {_listed(unknown)} that have no poll in the series; "
                f"the pollsters are {_listed(sorted(set(pollsters)), 10)}"
            )
        values = {p: check_positive_number(f"deff[{p!r}]", v, fix) for p, v in deff.items()}
        return np.array([values.get(p, 1.0) for p in pollsters], dtype=float)
    value = check_positive_number("deff", deff, fix)
    return np.full(len(pollsters), value)


def check_trend_level(confidence_level: Any) -> float:
    """A confidence level strictly between 0 and 1."""
    if isinstance(confidence_level, bool) or not isinstance(
        confidence_level, int | float | np.number
    ):
        raise SurveyKitError(
            f"confidence_level must be a number strictly between 0 and 1, got {confidence_level!r}"
        )
    check_confidence_level(np.asarray(float(confidence_level)))
    if math.isnan(confidence_level):
        raise SurveyKitError("confidence_level must be a number between 0 and 1, got nan")
    return float(confidence_level)


def check_poll_dates(rows: pd.DataFrame) -> None:
    """Every poll needs at least one fieldwork date."""
    undated = rows["fieldwork_start"].isna() & rows["fieldwork_end"].isna()
    if undated.any():
        ids = rows.loc[undated, "poll_id"].tolist()
        raise SurveyKitError(
            f"poll(s) {_listed(ids)} have no fieldwork dates, so they cannot be placed on the "
            "trend; give fieldwork_start/fieldwork_end (a month such as '2022-11' will do) "
            "or drop them"
        )


def check_no_elections(rows: pd.DataFrame) -> None:
    """Election results (``mode == 'election'``) are anchors, not polls."""
    if "mode" not in rows.columns:
        return
    election = rows["mode"].astype(str) == "election"
    if election.any():
        ids = rows.loc[election, "poll_id"].astype(str).tolist()
        raise SurveyKitError(
            f"row(s) {_listed(ids)} are election results (mode 'election'), not polls; "
            "drop them from polls and pass them as anchors, e.g. "
            "anchors=dict(zip(results.fieldwork_end, results.proportion))"
        )


def check_poll_shares(rows: pd.DataFrame, scale: str) -> None:
    """Shares of 0 or 1 have no sampling variance (and no logit)."""
    edge = (rows["proportion"] <= 0) | (rows["proportion"] >= 1)
    if edge.any():
        i = int(np.flatnonzero(edge.to_numpy())[0])
        share = float(rows["proportion"].iloc[i])
        raise SurveyKitError(
            f"poll {rows['poll_id'].iloc[i]!r} has a share of {share!r}: "
            f"at 0 or 1 the binomial variance is 0 (and the logit infinite) on the {scale} "
            "scale; drop the poll or replace the share by (x + 0.5) / (n + 1)"
        )


def require_sample_size(poll_ids: Sequence[str]) -> None:
    """Polls with neither n nor a margin of error need an assumed n."""
    if len(poll_ids):
        raise SurveyKitError(
            f"poll(s) {_listed(poll_ids)} publish neither n nor a margin of error, so their "
            "sampling variance is unknown; pass assumed_n=1000 (or another size you can "
            "defend), or fill their n column with n_status='assumed'"
        )


def check_one_poll_houses(counts: pd.Series, n_polls: int, n_days: int) -> None:
    """Sum-zero house effects need at least two polls per pollster, and two polls in all."""
    if n_polls < 2:
        raise SurveyKitError(
            f"the series holds {n_polls} poll; a trend needs at least two polls (check "
            "question= and option=, or use sk.proportion_ci for a single poll)"
        )
    if n_days < 2:
        raise SurveyKitError(
            "every poll of the series sits on the same day, so there is no trend to fit; "
            "use sk.proportion_ci on a pooled estimate instead"
        )
    single = counts[counts < 2]
    if len(single) and len(counts) > 1:
        raise SurveyKitError(
            f"house_effects='sum-zero' needs at least two polls per pollster, but "
            f"{_listed(single.index.tolist())} has one; its house effect would only absorb "
            "that poll. Drop the pollster, or name a reference pollster "
            "(house_effects='<pollster>'), or anchor the trend with anchors={date: share}"
        )


def check_house_sd(house_sd: Any, n_houses: int) -> float | None:
    """The standard deviation of house effects among pollsters: None (estimated) or >= 0."""
    if house_sd is None:
        if n_houses < 2:
            raise SurveyKitError(
                "house_sd cannot be estimated from a single pollster; pass house_sd= the "
                "spread of house effects you assume (e.g. 0.02 on the share scale)"
            )
        return None
    if isinstance(house_sd, bool) or not isinstance(house_sd, int | float | np.number):
        raise SurveyKitError(f"house_sd must be None or a number >= 0, got {house_sd!r}")
    if not (math.isfinite(house_sd) and 0 <= house_sd <= MAX_SPREAD):
        raise SurveyKitError(
            f"house_sd must be a finite number >= 0 and at most {MAX_SPREAD:g} (a standard "
            f"deviation of house effects, e.g. 0.02 on the share scale), got {house_sd!r}"
        )
    return float(house_sd)


def read_one_poll(name: str, poll: Any) -> dict[str, Any]:
    """One poll given as a one-row DataFrame, a Series (a row) or a mapping.

    Returns ``proportion``, ``fieldwork_start``, ``fieldwork_end`` (Timestamps, one may
    stand for the other), ``poll_id``, ``pollster``, ``n`` and ``moe`` (NaN if absent).
    """
    fix = (
        "pass a row of sk.read_polls (polls.loc[[i]]) or a mapping such as "
        "{'proportion': 0.55, 'fieldwork_start': '2022-11-01', 'fieldwork_end': '2022-11-30'}"
    )
    if isinstance(poll, pd.DataFrame):
        if len(poll) != 1:
            raise SurveyKitError(
                f"{name} must be one poll, got a DataFrame of {len(poll)} rows; {fix}"
            )
        poll = poll.iloc[0]
    if isinstance(poll, pd.Series):
        poll = poll.to_dict()
    if not isinstance(poll, Mapping):
        raise SurveyKitError(f"{name} must be one poll, got {poll!r:.80}; {fix}")
    share = poll.get("proportion")
    if isinstance(share, bool) or not isinstance(share, int | float | np.number):
        raise SurveyKitError(f"{name} needs a 'proportion' (a share 0-1), got {share!r}; {fix}")
    if not 0 < float(share) < 1:
        raise SurveyKitError(
            f"{name}'s proportion must be strictly between 0 and 1, got {share!r}"
            + (f"; for {share:g}% pass {share / 100:g}" if 1 < share <= 100 else "")
        )
    start, end = poll.get("fieldwork_start"), poll.get("fieldwork_end")
    start = (
        None if start is None or pd.isna(start) else check_date(f"{name}'s fieldwork_start", start)
    )
    end = None if end is None or pd.isna(end) else check_date(f"{name}'s fieldwork_end", end)
    if start is None and end is None:
        raise SurveyKitError(f"{name} needs a fieldwork_start or fieldwork_end date; {fix}")

    def number(key: str) -> float:
        value = poll.get(key)
        return float("nan") if value is None or pd.isna(value) else float(value)

    return {
        "proportion": float(share),
        "fieldwork_start": start if start is not None else end,
        "fieldwork_end": end if end is not None else start,
        "poll_id": str(poll.get("poll_id") or name),
        "pollster": None if pd.isna(poll.get("pollster", None)) else str(poll.get("pollster")),
        "n": number("n"),
        "moe": number("moe"),
    }


def check_not_in_fit(name: str, poll_id: str, fitted: Sequence[str]) -> None:
    """A poll checked against the trend must not be one of the polls fitted."""
    if poll_id in set(fitted):
        raise SurveyKitError(
            f"{name} {poll_id!r} is one of the polls of the fit; its distance from the "
            "other polls' prediction is in trend.residuals (statistic, pvalue), or refit "
            "without it"
        )


def require_poll_n(name: str, poll_id: str, parameter: str) -> None:
    """A poll with neither n nor margin of error needs an assumed n (``parameter``)."""
    raise SurveyKitError(
        f"{name} {poll_id!r} publishes neither n nor a margin of error; pass {parameter}= an "
        "assumed sample size, or several to see how the answer depends on it "
        "(e.g. [400, 1000, 1600, 3000])"
    )


def check_same_pollster(first: Any, second: Any) -> None:
    """A change within one pollster: both polls must come from the same house."""
    if first is not None and second is not None and first != second:
        raise SurveyKitError(
            f"first and second come from different pollsters ({first!r}, {second!r}); the "
            "change within one pollster cancels its house effect only if both polls share it: "
            "compare polls of one pollster, or check each poll with trend.check()"
        )


def check_later_first(first: Any, second: Any, date1: Any, date2: Any) -> None:
    """A change is the later poll minus the earlier one: ``first`` must not be the earlier."""
    if date1 < date2:
        raise SurveyKitError(
            f"first ({first!r}, {date1:%Y-%m-%d}) is earlier than second ({second!r}, "
            f"{date2:%Y-%m-%d}); the first poll is the later one, as in (p1, n1, p2, n2): "
            "pass compare_change(trend, later, earlier, n1=<later n>, n2=<earlier n>)"
        )


def check_trend_result(name: str, value: Any) -> Any:
    """A fitted trend: an object with ``trend``, ``house_effects`` and ``residuals`` frames."""
    if not all(
        isinstance(getattr(value, a, None), pd.DataFrame)
        for a in ("trend", "house_effects", "residuals")
    ):
        raise SurveyKitError(
            f"{name} must be a fitted trend from sk.series.poll_trend, got "
            f"{type(value).__name__}; fit one with sk.series.poll_trend(polls, option=...)"
        )
    return value


def check_check_result(name: str, value: Any) -> None:
    """A result of ``check_poll`` (for plots that draw held-out polls)."""
    needed = ("poll_id", "date", "proportion", "prediction_low", "prediction_high")
    if not all(hasattr(value, f) for f in needed):
        raise SurveyKitError(
            f"{name} must hold results of surveykit.series.check_poll, got "
            f"{type(value).__name__}; pass trend.check(poll) or a list of them"
        )
