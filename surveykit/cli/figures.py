"""The figures a command works on: typed on the command line or picked from data.

``ci`` takes every figure picked; ``compare`` and ``sensitivity`` take exactly two, and
only like with like: one option of one question in two polls, or (``--within``) two
options of one poll. An ambiguous choice is refused with the choices listed, never
resolved by position in the file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.cli.parser import UsageError, parse_figure

__all__ = ["assign_n", "load", "pair", "pick", "typed"]

#: the columns of a frame of figures
COLUMNS = ("label", "poll_id", "question", "option", "proportion", "n", "n_status", "date")


def load(data: str) -> pd.DataFrame:
    """A shipped dataset by name, or a CSV file in the poll schema."""
    from surveykit.data.datasets import dataset_names, load_dataset
    from surveykit.data.polls import read_polls

    if data in dataset_names():
        return load_dataset(data)
    if Path(data).is_file():
        return read_polls(data)
    raise UsageError(
        f"--data {data!r} is neither a shipped dataset ({', '.join(dataset_names())}) "
        "nor an existing CSV file"
    )


def _choices(values: Sequence[str] | pd.Series, limit: int = 6) -> str:
    unique = list(dict.fromkeys(str(v) for v in values))
    shown = ", ".join(repr(c) for c in unique[:limit])
    return shown + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


def _check_choice(option: str, value: str, values: pd.Series) -> None:
    if value not in set(values.astype(str)):
        choices = _choices(sorted(set(values.astype(str))), limit=8)
        raise UsageError(f"{option} {value!r} is not in the data; choose from {choices}")


def typed(args: argparse.Namespace) -> pd.DataFrame:
    """Figures typed on the command line: each its own poll, unless ``--within``."""
    if args.question or args.option or args.poll:
        raise UsageError(
            "--question, --option and --poll pick figures from --data; give --data too"
        )
    if not args.figures:
        raise UsageError("give figures such as 55% 0.32 55/100, or --data and --option")
    parsed = [parse_figure(f) for f in args.figures]
    within = bool(getattr(args, "within", False))
    return pd.DataFrame(
        {
            "label": list(args.figures),
            "poll_id": ["the poll" if within else f"figure {i + 1}" for i in range(len(parsed))],
            "question": "",
            "option": list(args.figures),
            "proportion": [p for p, _ in parsed],
            "n": [np.nan if n is None else n for _, n in parsed],
            "n_status": ["unknown" if n is None else "given" for _, n in parsed],
            "date": pd.NaT,
        }
    )


def pick(args: argparse.Namespace) -> pd.DataFrame:
    """The rows of ``--data`` that ``--question``, ``--option`` and ``--poll`` pick,
    earliest first (figures of one poll in the file's order)."""
    if args.figures:
        raise UsageError("give either figures or --data, not both")
    polls = load(args.data)
    if args.question:
        _check_choice("--question", args.question, polls["question"])
        polls = polls[polls["question"] == args.question]
    for name, column in (("--option", "option"), ("--poll", "poll_id")):
        wanted = getattr(args, name[2:]) or []
        for value in wanted:
            _check_choice(name, value, polls[column])
        if wanted:
            polls = polls[polls[column].isin(wanted)]
    polls = polls.sort_values("fieldwork_end", kind="stable", na_position="last")
    return pd.DataFrame(
        {
            "label": (polls["poll_id"] + ": " + polls["option"]).astype(str).to_numpy(),
            "poll_id": polls["poll_id"].astype(str).to_numpy(),
            "question": polls["question"].astype(str).to_numpy(),
            "option": polls["option"].astype(str).to_numpy(),
            "proportion": polls["proportion"].to_numpy(float),
            "n": pd.array(polls["n"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan),
            "n_status": polls["n_status"].astype(str).to_numpy(),
            "date": polls["fieldwork_end"].to_numpy(),
        }
    ).reset_index(drop=True)


def pair(args: argparse.Namespace) -> pd.DataFrame:
    """Two figures to compare, FIRST then SECOND; with --data only like with like."""
    if args.data is None:
        figures = typed(args)
        if len(figures) != 2:
            raise UsageError(
                f"{args.command} needs exactly two figures, got {len(figures)}; "
                "type two (55% 32%) or pick them with --data and --option"
            )
        return figures
    figures = pick(args)
    if len(figures) == 0:
        raise UsageError("--question, --option and --poll together pick no figure in --data")
    questions = figures["question"].unique()
    if len(questions) > 1:
        raise UsageError(
            f"--data {args.data!r} holds {len(questions)} questions among the figures picked; "
            f"pick one with --question: {_choices(questions)}"
        )
    if args.within:
        return _within(args, figures)
    return _between(args, figures)


def _within(args: argparse.Namespace, figures: pd.DataFrame) -> pd.DataFrame:
    """Two options of one poll, the leading option first."""
    polls = figures["poll_id"].unique()
    if len(polls) > 1:
        if len(figures) == 2:
            raise UsageError(
                "--within compares two options of one poll, but these figures come from "
                f"two polls ({_choices(polls)}); drop --within to compare the polls, or "
                "pick one poll with --poll"
            )
        raise UsageError(
            f"--within compares two options of one poll; pick one with --poll: {_choices(polls)}"
        )
    if len(figures) != 2:
        raise UsageError(
            f"--within needs two options of poll {polls[0]!r}, got {len(figures)}; pick two "
            f"with --option A --option B: {_choices(figures['option'])}"
        )
    return figures.sort_values("proportion", ascending=False, kind="stable").reset_index(drop=True)


def _between(args: argparse.Namespace, figures: pd.DataFrame) -> pd.DataFrame:
    """One option in two polls: the latest minus the earliest picked."""
    options = figures["option"].unique()
    polls = figures["poll_id"].unique()
    if len(options) > 1:
        if len(polls) == 1 and len(figures) == 2:
            raise UsageError(
                f"these are two options of one poll ({polls[0]!r}); add --within to compare "
                "them, or pick one option with --option to compare polls"
            )
        raise UsageError(
            f"{args.command} takes one option across polls; pick it with --option: "
            f"{_choices(options)}"
        )
    if len(figures) < 2:
        raise UsageError(
            f"{args.command} needs two polls with option {options[0]!r}, got "
            f"{len(figures)}; pick two with --poll"
        )
    dated = figures.dropna(subset=["date"])
    if len(dated) < 2 or dated["date"].iloc[-1] == dated["date"].iloc[0]:
        raise UsageError(
            f"cannot tell which poll is later (fieldwork dates unknown or equal: "
            f"{_choices(polls)}); type the figures instead, the later first"
        )
    return dated.iloc[[-1, 0]].reset_index(drop=True)


def assign_n(
    figures: pd.DataFrame, values: Sequence[float] | None, *, skip: bool = False
) -> pd.DataFrame:
    """Fill unknown sample sizes from ``--n``: one for all, or one per poll in order.

    Polls whose n is known keep it. With no ``--n``, ``skip`` drops the figures without
    an n and says so on stderr (if any figure remains); otherwise the command is refused
    naming the polls that need one.
    """
    unknown = figures["n"].isna()
    need = list(dict.fromkeys(figures.loc[unknown, "poll_id"]))
    values = list(values or [])
    if not need:
        if values:
            raise UsageError(
                f"--n is not needed: every figure has a sample size "
                f"({_choices(figures['poll_id'])}); leave --n out"
            )
        return figures
    if not values:
        if skip and not unknown.all():
            print(
                f"surveykit: note: skipped {len(need)} poll(s) without a sample size "
                f"({_choices(need)}); pass --n N to include them",
                file=sys.stderr,
            )
            return figures[~unknown].reset_index(drop=True)
        raise UsageError(
            f"no sample size for {len(need)} poll(s) ({_choices(need)}): pass --n N to "
            "assume one for all, or one per poll in that order (or write a figure as count/n)"
        )
    if len(values) not in (1, len(need)):
        raise UsageError(
            f"--n got {len(values)} values, but {len(need)} poll(s) need a sample size "
            f"({_choices(need)}); give one for all, or one per poll in that order"
        )
    by_poll = dict(zip(need, values * len(need) if len(values) == 1 else values, strict=True))
    figures = figures.copy()
    figures.loc[unknown, "n"] = figures.loc[unknown, "poll_id"].map(by_poll).to_numpy(float)
    figures.loc[unknown, "n_status"] = "assumed"
    return figures
