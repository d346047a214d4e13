"""The ``surveykit`` command: a thin layer over the library for shells and scripts.

Exit status: 0 on success, 1 when an analysis fails or a report would overwrite files,
2 on bad usage (with a one-line message and no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pandas as pd

from .exceptions import SurveyKitError

__all__ = ["main", "parse_figure"]

FORMATS = ("table", "csv", "json")


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


_FIGURE = re.compile(
    r"^\s*(?:(?P<pct>[0-9]*\.?[0-9]+)\s*%|(?P<num>[0-9]*\.?[0-9]+)\s*/\s*(?P<den>[0-9]*\.?[0-9]+)"
    r"|(?P<prop>[0-9]*\.?[0-9]+))\s*$"
)


def parse_figure(text: str) -> tuple[float, float | None]:
    """Parse ``'55%'``, ``'0.55'`` or ``'55/100'`` into (proportion, n or None).

    A bare number above 1 is refused rather than guessed to be a percentage.
    """
    match = _FIGURE.match(str(text))
    if not match:
        raise UsageError(f"cannot read the figure {text!r}; write it as 55%, 0.55 or 55/100")
    if match["pct"] is not None:
        value = float(match["pct"]) / 100
        n = None
    elif match["num"] is not None:
        count, n = float(match["num"]), float(match["den"])
        if n <= 0:
            raise UsageError(
                f"the figure {text!r} has a sample size of {n:g}; it must be positive"
            )
        value = count / n
    else:
        value = float(match["prop"])
        n = None
        if value > 1:
            raise UsageError(
                f"the figure {text!r} is above 1; write a percentage with a % sign ({text}%) "
                "or a proportion such as 0.55"
            )
    if not 0 <= value <= 1:
        raise UsageError(f"the figure {text!r} is not a share between 0% and 100%")
    return value, n


def _numbers(values: Sequence[str] | None, name: str, *, integer: bool = False) -> list[float]:
    """Numbers from ``--n 400 800`` or ``--n 400,800``."""
    out: list[float] = []
    for item in values or []:
        for piece in str(item).split(","):
            if not piece.strip():
                continue
            try:
                number = float(piece.strip().replace("_", ""))
            except ValueError:
                raise UsageError(f"{name} must be numbers, got {piece.strip()!r}") from None
            if integer and number != int(number):
                raise UsageError(f"{name} must be whole numbers, got {piece.strip()!r}")
            out.append(number)
    return out


def _level(text: str) -> float:
    message = f"must be a level such as 0.95 or 95%, got {text!r}"
    try:
        value, n = parse_figure(text)
    except UsageError:
        raise argparse.ArgumentTypeError(message) from None
    if n is not None or not 0 < value < 1:
        raise argparse.ArgumentTypeError(message)
    return value


def _emit(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> None:
    from ._format import frame_to_text

    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", double_precision=15))
        print(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        if title:
            print(title)
        print(frame_to_text(frame.reset_index(drop=True)))


# ------------------------------------------------------------------------ subcommands
def _cmd_report(args: argparse.Namespace) -> int:
    from . import reanalyse
    from .datasets import DEFAULT_DATASET, _names, load_dataset
    from .polls import read_polls
    from .reanalysis import DEFAULT_DEFFS, DEFAULT_NS
    from .report import summary_text, write_report

    data = args.data or DEFAULT_DATASET
    if data in _names():
        polls = load_dataset(data)
    elif Path(data).is_file():
        polls = read_polls(data)
    else:
        raise UsageError(
            f"--data {data!r} is neither a shipped dataset ({', '.join(_names())}) "
            "nor an existing CSV file"
        )
    n = _numbers(args.n, "--n", integer=True) or list(DEFAULT_NS)
    deff = _numbers(args.deff, "--deff") or list(DEFAULT_DEFFS)
    try:
        result = reanalyse(polls, n=n, deff=deff, confidence_level=args.confidence_level)
    except SurveyKitError as exc:
        raise UsageError(str(exc)) from None
    print(summary_text(result))
    command = "surveykit " + " ".join(args.argv)
    paths = write_report(result, args.out, force=args.force, command=command.strip())
    print()
    print(f"Report written to {paths['html']} (with report.md, figures and tables in {args.out})")
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from .datasets import _names, datasheet, list_datasets

    if args.name:
        if args.name not in _names():
            raise UsageError(f"no dataset {args.name!r}; choose from {', '.join(_names())}")
        print(datasheet(args.name))
        return 0
    _emit(list_datasets(), args.format)
    return 0


def _cmd_ci(args: argparse.Namespace) -> int:
    from . import proportion_ci

    figures = [parse_figure(f) for f in args.figures]
    ns = []
    for text, (_, n_inline) in zip(args.figures, figures, strict=True):
        n = n_inline if n_inline is not None else args.n
        if n is None:
            raise UsageError(f"no sample size for {text!r}: pass --n N or write it as count/n")
        ns.append(n)
    try:
        result = proportion_ci(
            [p for p, _ in figures],
            ns,
            method=args.method,
            confidence_level=args.confidence_level,
            deff=args.deff,
        )
    except SurveyKitError as exc:
        raise UsageError(str(exc)) from None
    _emit(result.to_frame(), args.format)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from . import difference_ci, two_proportion_test

    (p1, n1), (p2, n2) = parse_figure(args.first), parse_figure(args.second)
    n1 = n1 if n1 is not None else args.n1 if args.n1 is not None else args.n
    n2 = n2 if n2 is not None else args.n2 if args.n2 is not None else args.n
    if n1 is None or n2 is None:
        raise UsageError("give the sample sizes: --n N (both polls), or --n1 and --n2")
    try:
        test = two_proportion_test(p1, n1, p2, n2, deff=args.deff)
        ci = difference_ci(p1, n1, p2, n2, deff=args.deff, confidence_level=args.confidence_level)
    except SurveyKitError as exc:
        raise UsageError(str(exc)) from None
    frame = test.to_frame().assign(
        ci_low=ci.ci_low, ci_high=ci.ci_high, confidence_level=args.confidence_level
    )
    _emit(frame, args.format)
    return 0


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="surveykit",
        description=(
            "Reanalyse published poll figures: intervals, tests and how each verdict "
            "depends on sample sizes nobody published."
        ),
        epilog=(
            "examples:\n"
            "  surveykit report                      reanalyse the leaked 2022 FSO poll\n"
            "  surveykit report --data russia_war_polls --out levada/\n"
            "  surveykit ci 55% --n 1600 --format json\n"
            "  surveykit compare 55% 32% --n 800\n"
            "  surveykit datasets"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"surveykit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    rep = sub.add_parser(
        "report",
        help="reanalyse a dataset and write a self-contained report",
        description=(
            "Reanalyse published figures under assumed sample sizes and design effects: "
            "each figure's interval, each change between polls, each lead within a poll, "
            "and the critical n of each comparison. Prints a summary and writes report.html "
            "(self-contained), report.md, PNG figures and CSV tables into --out. Published "
            "sample sizes are used as published; --n only fills in unknown ones."
        ),
    )
    rep.add_argument(
        "--data",
        metavar="FILE|DATASET",
        help="a CSV in the poll schema or a shipped dataset name (default: kremlin_fso_2022)",
    )
    rep.add_argument(
        "--n", nargs="+", metavar="N", help="assumed sample sizes (default: 400 800 1600 3000)"
    )
    rep.add_argument("--deff", nargs="+", metavar="D", help="design effects (default: 1 1.5 2)")
    rep.add_argument(
        "--confidence-level",
        type=_level,
        default=0.95,
        metavar="L",
        help="confidence level, 0.95 or 95%% (default: 0.95)",
    )
    rep.add_argument(
        "--out",
        default="surveykit-report",
        metavar="DIR",
        help="output folder (default: surveykit-report/)",
    )
    rep.add_argument(
        "--force", action="store_true", help="overwrite report files that already exist in --out"
    )
    rep.set_defaults(func=_cmd_report)

    ds = sub.add_parser(
        "datasets",
        help="list the shipped datasets, or show one's datasheet",
        description="List the shipped datasets, or print one's datasheet.",
    )
    ds.add_argument("name", nargs="?", help="a dataset name: print its datasheet")
    ds.add_argument("--format", choices=FORMATS, default="table")
    ds.set_defaults(func=_cmd_datasets)

    ci = sub.add_parser(
        "ci",
        help="confidence interval of one or more published shares",
        description="Confidence interval of published shares (55%%, 0.55 or 55/100).",
    )
    ci.add_argument("figures", nargs="+", metavar="FIGURE", help="55%%, 0.55 or 55/100")
    ci.add_argument("--n", type=float, help="sample size (unless given as count/n)")
    ci.add_argument("--method", default="wilson", help="interval method (default: wilson)")
    ci.add_argument("--confidence-level", type=_level, default=0.95, metavar="L")
    ci.add_argument("--deff", type=float, default=1.0, help="design effect (default: 1)")
    ci.add_argument("--format", choices=FORMATS, default="table")
    ci.set_defaults(func=_cmd_ci)

    cmp_ = sub.add_parser(
        "compare",
        help="test the difference between two polls' shares",
        description="Difference FIRST - SECOND of two independent polls: "
        "Newcombe interval and pooled z-test.",
    )
    cmp_.add_argument("first", metavar="FIRST", help="later/first share: 55%%, 0.55 or 55/100")
    cmp_.add_argument("second", metavar="SECOND", help="earlier/second share")
    cmp_.add_argument("--n", type=float, help="sample size of both polls")
    cmp_.add_argument("--n1", type=float, help="sample size of the first poll")
    cmp_.add_argument("--n2", type=float, help="sample size of the second poll")
    cmp_.add_argument("--deff", type=float, default=1.0, help="design effect (default: 1)")
    cmp_.add_argument("--confidence-level", type=_level, default=0.95, metavar="L")
    cmp_.add_argument("--format", choices=FORMATS, default="table")
    cmp_.set_defaults(func=_cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        args.argv = argv
        return int(args.func(args))
    except UsageError as exc:
        message = str(exc)
        print(
            message if message.startswith("surveykit") else f"surveykit: {message}",
            file=sys.stderr,
        )
        return 2
    except SurveyKitError as exc:
        print(f"surveykit: {exc}", file=sys.stderr)
        return 2
    except FileExistsError as exc:
        print(f"surveykit: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # no traceback for people; SURVEYKIT_DEBUG=1 shows it
        if os.environ.get("SURVEYKIT_DEBUG"):
            raise
        print(
            f"surveykit: the analysis failed: {type(exc).__name__}: {exc} "
            "(set SURVEYKIT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
