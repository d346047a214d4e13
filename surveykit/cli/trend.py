"""``surveykit trend``: the trend behind a series of polls, with house effects.

The polls of one option (of one question, or of several wordings pooled with repeated
``--question``) are fitted by :func:`surveykit.poll_trend`. Election results in the data
(``mode == 'election'``) become the fit's anchors, as in Jackman's Australian example.
Every choice the data leaves open (which question, which option, which pollster as the
reference) is refused with the choices listed, never guessed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from pathlib import Path

import pandas as pd

from surveykit.cli.output import emit
from surveykit.cli.parser import UsageError
from surveykit.exceptions import SurveyKitError, SurveyKitWarning

__all__ = ["cmd_trend", "load_series_data", "select_polls"]

#: the library's words for a fix, and the command line's
_CLI_WORDS = (
    (re.compile(r"assumed_n=(\d+)"), r"--assumed-n \1"),
    (re.compile(r"house_effects='<pollster>'"), "--house-effects NAME"),
    (re.compile(r"house_effects='([^']*)'"), r"--house-effects \1"),
    (re.compile(r"anchors=\{date: share\}"), "election results in the data (mode 'election')"),
    (re.compile(r"Drop the pollster"), "Drop the pollster (pick the others with --pollster)"),
    (re.compile(r"\bquestion=( and )?"), r"--question\1"),
    (re.compile(r"\boption=\B"), "--option"),
)


def _cli_message(message: str) -> str:
    """A library message with its parameter names as the command line's options."""
    for pattern, replacement in _CLI_WORDS:
        message = pattern.sub(replacement, message)
    return message


def load_series_data(data: str) -> pd.DataFrame:
    """A shipped dataset by name, or a CSV in the poll schema (for ``FILE|DATASET``)."""
    from surveykit.data.datasets import dataset_names, load_dataset
    from surveykit.data.polls import read_polls

    if data in dataset_names():
        return load_dataset(data)
    if Path(data).is_file():
        return read_polls(data)
    raise UsageError(
        f"FILE|DATASET {data!r} is neither a shipped dataset ({', '.join(dataset_names())}) "
        "nor an existing CSV file; pass a poll file or a dataset name"
    )


def _listed(values: list[str], limit: int = 8) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _pick(polls: pd.DataFrame, option: str, column: str, wanted: list[str]) -> pd.DataFrame:
    present = sorted(set(polls[column].astype(str)))
    for value in wanted:
        if value not in present:
            raise UsageError(
                f"{option} {value!r} is not in the data; choose from {_listed(present)}"
            )
    return polls[polls[column].astype(str).isin(wanted)]


def select_polls(polls: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    """The rows of one series: --pollster, --question and --option applied and checked."""
    if args.pollster:
        # election results are kept: they anchor whatever pollsters are picked
        elections = polls[polls["mode"].astype(str) == "election"]
        polls = pd.concat([_pick(polls, "--pollster", "pollster", args.pollster), elections])
        polls = polls[~polls.index.duplicated()]
    if args.question:
        polls = _pick(polls, "--question", "question", args.question)
    if args.option:
        polls = _pick(polls, "--option", "option", [args.option])
    questions = sorted(set(polls["question"].astype(str)))
    if not args.question and len(questions) > 1:
        raise UsageError(
            f"the polls picked hold {len(questions)} questions; pick one with --question "
            f"(repeat it to pool differently worded questions): {_listed(questions)}"
        )
    options = sorted(set(polls["option"].astype(str)))
    if not args.option and len(options) > 1:
        raise UsageError(
            f"the question has {len(options)} options; pick one with --option: {_listed(options)}"
        )
    return polls


def _house_effects(value: str | None, pollsters: list[str]) -> str | None:
    if value is None or value in ("sum-zero", "free") or value in pollsters:
        return value
    raise UsageError(
        f"--house-effects {value!r} is neither sum-zero, free nor a pollster of the series; "
        f"choose sum-zero, free or one of {_listed(pollsters)}"
    )


def _fit(polls: pd.DataFrame, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """poll_trend on the selected rows, elections as anchors; messages in CLI words."""
    from surveykit.series.trend import poll_trend

    is_election = polls["mode"].astype(str) == "election"
    elections, rows = polls[is_election], polls[~is_election]
    pollsters = sorted(set(rows["pollster"].astype(str)))
    house_effects = _house_effects(args.house_effects, pollsters)
    anchors = dict(zip(elections["fieldwork_end"], elections["proportion"], strict=True)) or None
    question = args.question if args.question and len(args.question) > 1 else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SurveyKitWarning)
        try:
            fit = poll_trend(
                rows,
                question=question,
                option=args.option,
                house_effects=house_effects,
                anchors=anchors,
                assumed_n=args.assumed_n,
                confidence_level=args.confidence_level,
            )
        except SurveyKitError as exc:
            raise UsageError(_cli_message(str(exc))) from None
    for warning in caught:
        print(f"surveykit: warning: {_cli_message(str(warning.message))}", file=sys.stderr)
    return fit


def _describe(fit) -> str:  # type: ignore[no-untyped-def]
    """One line: what was fitted and how the house effects are identified."""
    houses = {
        "sum-zero": "house effects sum to zero (the trend is the average pollster)",
        "free": f"house effects identified by {len(fit.anchors)} election result(s)",
    }.get(fit.identification, f"{fit.identification!r} taken as unbiased")
    first, last = fit.trend.index[0], fit.trend.index[-1]
    return (
        f"Trend of {fit.option!r}: {fit.n_polls} polls of {len(fit.house_effects)} "
        f"pollster(s), {first:%Y-%m-%d} to {last:%Y-%m-%d}; sigma = {fit.sigma:.4g} a day "
        f"({'estimated' if fit.sigma_estimated else 'given'}); {houses}."
    )


def cmd_trend(args: argparse.Namespace) -> int:
    polls = select_polls(load_series_data(args.data), args)
    fit = _fit(polls, args)
    trend = fit.trend.reset_index()
    houses = fit.house_effects.reset_index()
    if args.format == "csv":
        emit(trend.assign(option=fit.option)[["option", *trend.columns]], "csv")
        print(
            "surveykit: note: the csv is the trend of every day; the house effects are in "
            "--format table or json",
            file=sys.stderr,
        )
    elif args.format == "json":
        record = fit.summary().iloc[0].to_dict()
        record["confidence_level"] = fit.confidence_level
        record["house_effects"] = json.loads(houses.to_json(orient="records", double_precision=15))
        shown = trend.assign(date=trend["date"].dt.strftime("%Y-%m-%d"))
        record["trend"] = json.loads(shown.to_json(orient="records", double_precision=15))
        print(json.dumps(record, indent=2, ensure_ascii=False, default=_plain))
    else:
        print(_describe(fit))
        print()
        level = f"{100 * fit.confidence_level:g}%"
        print(f"House effects (percentage points, {level} intervals)")
        emit(houses.drop(columns="se"), "table", points=("estimate", "ci_low", "ci_high"))
        print()
        print(f"Trend on the days with polls ({level} intervals; --format csv: every day)")
        emit(trend[trend["polls"] > 0].drop(columns="se"), "table")
    return 0


def _plain(value: object) -> object:
    """numpy scalars in the JSON summary as Python numbers."""
    return value.item() if hasattr(value, "item") else str(value)
