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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from surveykit._core.validation import ALTERNATIVES
from surveykit.exceptions import SurveyKitError

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
            if not np.isfinite(number) or number <= 0:
                raise UsageError(f"{name} must be positive, finite numbers, got {piece.strip()!r}")
            if integer and number != int(number):
                raise UsageError(f"{name} must be whole numbers, got {piece.strip()!r}")
            out.append(number)
    return out


def _positive(text: str) -> float:
    """argparse type: a positive, finite number (no nan, inf or 0)."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number, got {text!r}")
    return value


def _between_0_and_1(example: str) -> Callable[[str], float]:
    """argparse type: a share strictly between 0 and 1, written as 0.05 or 5%."""

    def parse(text: str) -> float:
        message = f"must be strictly between 0 and 1, such as {example}, got {text!r}"
        try:
            value, n = parse_figure(text)
        except UsageError:
            raise argparse.ArgumentTypeError(message) from None
        if n is not None or not 0 < value < 1:
            raise argparse.ArgumentTypeError(message)
        return value

    return parse


_probability = _between_0_and_1("0.05 or 5%")
_level = _between_0_and_1("0.95 or 95%")


def _emit(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> None:
    from surveykit._core.formatting import frame_to_text

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
    from surveykit.data.datasets import DEFAULT_DATASET
    from surveykit.reanalysis.analysis import DEFAULT_DEFFS, DEFAULT_NS, reanalyse
    from surveykit.report.writer import check_out_dir, summary_text, write_report

    check_out_dir(args.out)  # before the analysis, not after it
    polls = _load(args.data or DEFAULT_DATASET)
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
    from surveykit.data.datasets import dataset_names, datasheet, list_datasets

    if args.name:
        if args.name not in dataset_names():
            raise UsageError(f"no dataset {args.name!r}; choose from {', '.join(dataset_names())}")
        print(datasheet(args.name))
        return 0
    _emit(list_datasets(), args.format)
    return 0


def _load(data: str) -> pd.DataFrame:
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


def _figures(args: argparse.Namespace) -> pd.DataFrame:
    """The figures a command works on: typed on the command line, or picked from data.

    Returns a frame with ``label``, ``proportion``, ``n`` (NaN where unknown) and
    ``n_status``; unknown sample sizes are filled from ``--n`` and marked assumed.
    """
    if args.data is None:
        if args.option or args.poll:
            raise UsageError("--option and --poll pick figures from --data; give --data too")
        if not args.figures:
            raise UsageError("give figures such as 55% 0.32 55/100, or --data and --option")
        parsed = [parse_figure(f) for f in args.figures]
        frame = pd.DataFrame(
            {
                "label": args.figures,
                "proportion": [p for p, _ in parsed],
                "n": [np.nan if n is None else n for _, n in parsed],
            }
        )
        frame["n_status"] = np.where(frame["n"].isna(), "unknown", "given")
    else:
        if args.figures:
            raise UsageError("give either figures or --data, not both")
        polls = _load(args.data)
        if args.option:
            _check_choice("--option", args.option, polls["option"])
            polls = polls[polls["option"] == args.option]
        if args.poll:
            for poll in args.poll:
                _check_choice("--poll", poll, polls["poll_id"])
            polls = polls[polls["poll_id"].isin(args.poll)]
        polls = polls.sort_values("fieldwork_end", kind="stable", na_position="last")
        frame = pd.DataFrame(
            {
                "label": (polls["poll_id"] + ": " + polls["option"]).astype(str).to_numpy(),
                "proportion": polls["proportion"].to_numpy(float),
                "n": pd.array(polls["n"], dtype="Float64").to_numpy(dtype=float, na_value=np.nan),
                "n_status": polls["n_status"].astype(str).to_numpy(),
            }
        )
    unknown = frame["n"].isna()
    if unknown.any():
        if args.n is None:
            first = frame.loc[unknown, "label"].iloc[0]
            raise UsageError(
                f"no sample size for {first!r}: pass --n N to assume one "
                "(or write the figure as count/n)"
            )
        frame.loc[unknown, "n"] = args.n
        frame.loc[unknown, "n_status"] = "assumed"
    return frame.reset_index(drop=True)


def _check_choice(option: str, value: str, values: pd.Series) -> None:
    choices = sorted(set(values.astype(str)))
    if value not in choices:
        shown = ", ".join(repr(c) for c in choices[:8]) + (" …" if len(choices) > 8 else "")
        raise UsageError(f"{option} {value!r} is not in the data; choose from {shown}")


def _cmd_ci(args: argparse.Namespace) -> int:
    from surveykit.inference.proportion import proportion_ci

    figures = _figures(args)
    result = proportion_ci(
        figures["proportion"].to_numpy(),
        figures["n"].to_numpy(),
        method=args.method,
        confidence_level=args.confidence_level,
        deff=args.deff,
    )
    frame = result.to_frame()
    frame.insert(0, "figure", figures["label"].to_numpy())
    frame["n_status"] = figures["n_status"].to_numpy()
    _emit(frame, args.format)
    return 0


def _pair(args: argparse.Namespace) -> pd.DataFrame:
    """Two figures to compare: FIRST and SECOND, or the latest and earliest in --data."""
    figures = _figures(args)
    if args.data is not None and len(figures) >= 2:
        figures = figures.iloc[[-1, 0]].reset_index(drop=True)
    if len(figures) != 2:
        raise UsageError(
            f"compare needs exactly two figures, got {len(figures)}; "
            "pick them with --option and --poll"
        )
    return figures


def _cmd_compare(args: argparse.Namespace) -> int:
    from surveykit.inference.difference import difference_ci
    from surveykit.inference.two_sample_tests import two_proportion_test

    pair = _pair(args)
    p1, p2 = pair["proportion"]
    n1, n2 = pair["n"]
    if args.within:
        from surveykit.inference.within_poll import option_difference_ci, option_difference_test

        if n1 != n2:
            raise UsageError("--within compares two options of one poll: they share one n")
        test = option_difference_test(p1, p2, n1, deff=args.deff, alternative=args.alternative)
        ci = option_difference_ci(
            p1, p2, n1, deff=args.deff, confidence_level=args.confidence_level
        )
    else:
        test = two_proportion_test(
            p1, n1, p2, n2, method=args.method, alternative=args.alternative, deff=args.deff
        )
        ci = difference_ci(
            p1,
            n1,
            p2,
            n2,
            method=args.ci_method,
            deff=args.deff,
            confidence_level=args.confidence_level,
        )
    frame = test.to_frame().assign(
        ci_low=ci.ci_low,
        ci_high=ci.ci_high,
        ci_method=ci.method,
        confidence_level=args.confidence_level,
    )
    frame.insert(0, "comparison", f"{pair['label'][0]} - {pair['label'][1]}")
    _emit(frame, args.format)
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from surveykit.unknowns.sensitivity import sensitivity

    args.n = None
    grid_n = _numbers(args.grid_n, "--n", integer=True)
    if not grid_n:
        raise UsageError("give the sample sizes to try: --n 100 400 1600")
    args.n = grid_n[0]  # figures without a published n take the grid's values below
    pair = _pair(args)
    deff = _numbers(args.grid_deff, "--deff") or [1.0]
    try:
        levels = [_level(v) for v in args.levels or ["0.95"]]
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"--confidence-level {exc}") from None
    frame = sensitivity(
        pair["proportion"][0],
        pair["proportion"][1],
        n1=grid_n,
        deff=deff,
        confidence_level=levels,
        method=args.method,
        within=args.within,
    )
    _emit(frame, args.format)
    return 0


def _cmd_power(args: argparse.Namespace) -> int:
    from surveykit.planning.power import (
        minimum_detectable_difference,
        power_two_proportions,
        sample_size_proportion,
        sample_size_two_proportions,
    )

    common = {"alpha": args.alpha, "method": args.method, "deff": args.deff}
    if args.moe is not None:
        if args.figures:
            raise UsageError("--moe plans one poll: give no figures (use --proportion)")
        moe, n = parse_figure(args.moe)
        if n is not None:
            raise UsageError(f"--moe must be like 3% or 0.03, got {args.moe!r}")
        proportion = parse_figure(args.proportion)[0]
        n_needed = sample_size_proportion(
            moe,
            proportion=proportion,
            confidence_level=1 - args.alpha,
            deff=args.deff,
            population=args.population,
        )
        frame = pd.DataFrame(
            {
                "moe": [moe],
                "proportion": [proportion],
                "confidence_level": [1 - args.alpha],
                "deff": [args.deff],
                "population": [args.population],
                "n": [n_needed],
            }
        )
    elif len(args.figures) == 1:
        if args.n is None:
            raise UsageError("with one figure, give --n to find the smallest detectable change")
        p1 = parse_figure(args.figures[0])[0]
        mdd = minimum_detectable_difference(
            p1, args.n, power=args.power, alternative=args.alternative, **common
        )
        frame = pd.DataFrame(
            {
                "p1": [p1],
                "n1": [args.n],
                "n2": [args.n],
                "power": [args.power],
                "alpha": [args.alpha],
                "deff": [args.deff],
                "method": [args.method],
                "minimum_detectable_difference": [mdd],
            }
        )
    elif len(args.figures) == 2:
        p1, p2 = (parse_figure(f)[0] for f in args.figures)
        if args.n is None:
            n_needed = sample_size_two_proportions(
                p1,
                p2,
                power=args.power,
                n_ratio=args.n_ratio,
                alternative=args.alternative,
                **common,
            )
            frame = pd.DataFrame(
                {
                    "p1": [p1],
                    "p2": [p2],
                    "power": [args.power],
                    "alpha": [args.alpha],
                    "n_ratio": [args.n_ratio],
                    "deff": [args.deff],
                    "method": [args.method],
                    "n1": [n_needed],
                    "n2": [args.n_ratio * n_needed],
                }
            )
        else:
            n2 = args.n_ratio * args.n
            power = power_two_proportions(
                p1, args.n, p2, n2, alternative=args.alternative, **common
            )
            frame = pd.DataFrame(
                {
                    "p1": [p1],
                    "p2": [p2],
                    "n1": [args.n],
                    "n2": [n2],
                    "alpha": [args.alpha],
                    "deff": [args.deff],
                    "method": [args.method],
                    "power": [power],
                }
            )
    else:
        raise UsageError("give two shares (power or sample size), one share and --n, or --moe")
    _emit(frame, args.format)
    return 0


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    from surveykit._core.version import __version__

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
            "  surveykit compare --data kremlin_fso_2022 --option 'start peace talks' --n 800\n"
            "  surveykit sensitivity 55% 32% --n 50 100 400 --deff 1 2 --format csv\n"
            "  surveykit power 32% 55% --n 100\n"
            "  surveykit power 50% 55% --power 0.8\n"
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

    def figure_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("figures", nargs="*", metavar="FIGURE", help="55%%, 0.55 or 55/100")
        p.add_argument("--data", metavar="FILE|DATASET", help="pick figures from a dataset")
        p.add_argument("--option", help="with --data: the option to take")
        p.add_argument(
            "--poll",
            action="append",
            metavar="POLL_ID",
            help="with --data: a poll to take (repeatable)",
        )
        p.add_argument(
            "--format",
            choices=FORMATS,
            default="table",
            help="table for people, csv or json for scripts (default: table)",
        )

    def single_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--n", type=_positive, help="sample size where none is given or published")
        p.add_argument("--deff", type=_positive, default=1.0, help="design effect (default: 1)")
        p.add_argument(
            "--confidence-level",
            type=_level,
            default=0.95,
            metavar="L",
            help="0.95 or 95%% (default: 0.95)",
        )

    ci = sub.add_parser(
        "ci",
        help="confidence interval of published shares",
        description="Confidence interval of published shares, typed (55%%, 0.55, 55/100) or "
        "picked from a dataset (--data kremlin_fso_2022 --option 'start peace talks').",
    )
    figure_options(ci)
    single_options(ci)
    ci.add_argument("--method", default="wilson", help="interval method (default: wilson)")
    ci.set_defaults(func=_cmd_ci)

    cmp_ = sub.add_parser(
        "compare",
        help="difference between two shares: interval and test",
        description="Difference FIRST - SECOND of two independent polls (or, with --within, "
        "two options of one poll): interval and test. From --data, the latest minus the "
        "earliest of the picked polls.",
    )
    figure_options(cmp_)
    single_options(cmp_)
    cmp_.add_argument("--method", default="z-pooled", help="test method (default: z-pooled)")
    cmp_.add_argument(
        "--ci-method", default="newcombe", help="interval method (default: newcombe)"
    )
    cmp_.add_argument("--alternative", default="two-sided", choices=ALTERNATIVES)
    cmp_.add_argument(
        "--within", action="store_true", help="two options of one poll (multinomial covariance)"
    )
    cmp_.set_defaults(func=_cmd_compare)

    sen = sub.add_parser(
        "sensitivity",
        help="a comparison under every assumed n, design effect and level",
        description="Estimate, interval and p-value of FIRST - SECOND for every combination "
        "of the assumed sample sizes, design effects and confidence levels.",
    )
    figure_options(sen)
    sen.add_argument("--n", dest="grid_n", nargs="+", metavar="N", help="sample sizes to try")
    sen.add_argument("--deff", dest="grid_deff", nargs="+", metavar="D", help="design effects")
    sen.add_argument(
        "--confidence-level",
        dest="levels",
        nargs="+",
        metavar="L",
        help="confidence levels (default: 0.95)",
    )
    sen.add_argument("--method", default=None, help="test method")
    sen.add_argument("--within", action="store_true", help="two options of one poll")
    sen.set_defaults(func=_cmd_sensitivity)
    pw = sub.add_parser(
        "power",
        help="power, sample size, detectable change, or n for a margin of error",
        description="Plan or judge polls. Two shares and --n: the power to detect their "
        "difference. Two shares without --n: the n per poll for --power. One share and "
        "--n: the smallest change detectable with --power. --moe: the n for a margin of "
        "error.",
    )
    pw.add_argument("figures", nargs="*", metavar="FIGURE", help="55%%, 0.55")
    pw.add_argument("--n", type=_positive, help="sample size of the first poll")
    pw.add_argument("--n-ratio", type=_positive, default=1.0, help="n2 / n1 (default: 1)")
    pw.add_argument("--power", type=_probability, default=0.8, help="target power (default: 0.8)")
    pw.add_argument("--alpha", type=_probability, default=0.05, help="significance level")
    pw.add_argument("--alternative", default="two-sided", choices=ALTERNATIVES)
    pw.add_argument("--method", default="normal", help="normal, arcsine or exact")
    pw.add_argument("--deff", type=_positive, default=1.0, help="design effect (default: 1)")
    pw.add_argument("--moe", help="target margin of error, 3%% or 0.03")
    pw.add_argument("--proportion", default="0.5", help="expected share for --moe")
    pw.add_argument("--population", type=_positive, help="population size (finite correction)")
    pw.add_argument("--format", choices=FORMATS, default="table")
    pw.set_defaults(func=_cmd_power)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            print("surveykit: give a command, such as 'surveykit report'", file=sys.stderr)
            return 2
        args.argv = argv
        return int(args.func(args))
    except SystemExit as exc:  # --help and --version: argparse exits; we return
        return exc.code if isinstance(exc.code, int) else 0
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
