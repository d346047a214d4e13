"""The subcommands of the ``surveykit`` command line.

Imported only once the parser knows which subcommand runs (numpy and pandas load here,
the statistics on first use inside each command). :data:`COMMANDS` maps each
subcommand's name to its function; each returns the exit status.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from surveykit.cli.figures import assign_n, load, pair, pick, typed
from surveykit.cli.output import emit
from surveykit.cli.parser import THOUSANDS, UsageError, level, parse_figure, parse_number
from surveykit.cli.survey import cmd_survey
from surveykit.cli.trend import cmd_trend
from surveykit.exceptions import SurveyKitError

__all__ = [
    "COMMANDS",
    "cmd_ci",
    "cmd_compare",
    "cmd_datasets",
    "cmd_power",
    "cmd_report",
    "cmd_sensitivity",
    "cmd_survey",
    "cmd_trend",
    "emit",
]


def _numbers(values: Sequence[str] | None, name: str, *, integer: bool = False) -> list[float]:
    """Numbers of a grid from ``--n 400 800`` or ``--n 400,800``.

    A token that reads as one number with thousands separators (``1,600``) is refused as
    ambiguous: in a grid a comma also separates values.
    """
    out: list[float] = []
    for item in values or []:
        text = str(item).strip()
        if THOUSANDS.match(text):
            raise UsageError(
                f"{name} {text!r} is ambiguous: write {text.replace(',', '')} for one value, "
                f"or {text.replace(',', ' ')} (with spaces) for several"
            )
        for piece in text.split(","):
            if not piece.strip():
                continue
            try:
                number = parse_number(piece)
            except ValueError:
                raise UsageError(f"{name} must be numbers, got {piece.strip()!r}") from None
            if not np.isfinite(number) or number <= 0:
                raise UsageError(f"{name} must be positive, finite numbers, got {piece.strip()!r}")
            if integer and number != int(number):
                raise UsageError(f"{name} must be whole numbers, got {piece.strip()!r}")
            out.append(number)
    return out


def cmd_report(args: argparse.Namespace) -> int:
    from surveykit.data.datasets import DEFAULT_DATASET
    from surveykit.reanalysis.analysis import DEFAULT_DEFFS, DEFAULT_NS, reanalyse
    from surveykit.report import check_out_dir, summary_text, write_report

    check_out_dir(args.out)  # before the analysis, not after it
    polls = load(args.data or DEFAULT_DATASET)
    n = _numbers(args.n, "--n", integer=True) or list(DEFAULT_NS)
    deff = _numbers(args.deff, "--deff") or list(DEFAULT_DEFFS)
    try:
        result = reanalyse(polls, n=n, deff=deff, confidence_level=args.confidence_level)
    except SurveyKitError as exc:
        raise UsageError(str(exc)) from None
    print(summary_text(result))
    command = "surveykit " + " ".join(args.argv)
    paths = write_report(
        result, args.out, force=args.force, command=command.strip(), title=args.title
    )
    print()
    print(f"Report written to {paths['html']} (with report.md, figures and tables in {args.out})")
    return 0


def cmd_datasets(args: argparse.Namespace) -> int:
    from surveykit.data.datasets import dataset_names, datasheet, list_datasets, load_dataset

    if not args.name:
        emit(list_datasets(), args.format)
        return 0
    if args.name not in dataset_names():
        raise UsageError(f"no dataset {args.name!r}; choose from {', '.join(dataset_names())}")
    if args.format == "table":
        print(datasheet(args.name).rstrip())
        print()
    emit(load_dataset(args.name), args.format)
    return 0


def cmd_ci(args: argparse.Namespace) -> int:
    from surveykit.inference.proportion import proportion_ci

    if args.data is None:
        figures = assign_n(typed(args), args.n)
    else:
        figures = pick(args)
        if len(figures) == 0:
            raise UsageError("--question, --option and --poll together pick no figure")
        figures = assign_n(figures, args.n, skip=True)
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
    emit(frame, args.format)
    return 0


#: what compare and sensitivity show of a difference, in percentage points in tables
DIFFERENCE_COLUMNS = ("estimate", "ci_low", "ci_high")


def _verdict(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``significant``: the p-value below 1 - the confidence level, after ``pvalue``."""
    significant = frame["pvalue"].to_numpy(float) < 1 - frame["confidence_level"].to_numpy(float)
    frame.insert(frame.columns.get_loc("pvalue") + 1, "significant", significant)
    return frame


def _methods(args: argparse.Namespace) -> tuple[str, str]:
    """The test and interval methods asked for, checked against --within."""
    from surveykit.inference.difference import DIFFERENCE_CI_METHODS
    from surveykit.inference.two_sample_tests import TWO_PROPORTION_TEST_METHODS
    from surveykit.inference.within_poll import OPTION_DIFFERENCE_METHODS

    if args.within:
        tests, intervals, context = (
            OPTION_DIFFERENCE_METHODS,
            OPTION_DIFFERENCE_METHODS,
            (" with --within (two options of one poll)"),
        )
        defaults = ("wald", "wald")
    else:
        tests, intervals, context = TWO_PROPORTION_TEST_METHODS, DIFFERENCE_CI_METHODS, ""
        defaults = ("z-pooled", "newcombe")
    chosen = []
    for option, value, choices, default in (
        ("--method", args.method, tests, defaults[0]),
        ("--ci-method", args.ci_method, intervals, defaults[1]),
    ):
        if value is not None and value not in choices:
            listed = ", ".join(repr(c) for c in choices)
            raise UsageError(f"{option} must be one of {listed}{context}; got {value!r}")
        chosen.append(default if value is None else value)
    return chosen[0], chosen[1]


def cmd_compare(args: argparse.Namespace) -> int:
    from surveykit.inference.difference import difference_ci
    from surveykit.inference.two_sample_tests import two_proportion_test

    method, ci_method = _methods(args)
    figures = assign_n(pair(args), args.n)
    p1, p2 = figures["proportion"]
    n1, n2 = figures["n"]
    level = args.confidence_level
    if args.within:
        from surveykit.inference.within_poll import option_difference_ci, option_difference_test

        if n1 != n2:
            raise UsageError(
                f"--within compares two options of one poll: they share one n, got "
                f"{n1:g} and {n2:g}"
            )
        test = option_difference_test(
            p1, p2, n1, method=method, deff=args.deff, alternative=args.alternative
        )
        ci = option_difference_ci(
            p1, p2, n1, method=ci_method, deff=args.deff, confidence_level=level
        )
    else:
        test = two_proportion_test(
            p1, n1, p2, n2, method=method, alternative=args.alternative, deff=args.deff
        )
        ci = difference_ci(
            p1, n1, p2, n2, method=ci_method, deff=args.deff, confidence_level=level
        )
    frame = test.to_frame().assign(
        ci_low=ci.ci_low, ci_high=ci.ci_high, ci_method=ci.method, confidence_level=level
    )
    frame.insert(0, "comparison", f"{figures['label'][0]} - {figures['label'][1]}")
    emit(_verdict(frame), args.format, points=DIFFERENCE_COLUMNS)
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from surveykit.reanalysis.analysis import DEFAULT_NS
    from surveykit.unknowns.sensitivity import sensitivity

    grid_n = _numbers(args.grid_n, "--n", integer=True)
    if args.grid_n and not grid_n:
        raise UsageError(f"--n must be numbers, got {' '.join(args.grid_n)!r}")
    grid_n = grid_n or list(DEFAULT_NS)
    deff = _numbers(args.grid_deff, "--deff") or [1.0]
    try:
        levels = [level(v) for v in args.levels or ["0.95"]]
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"--confidence-level {exc}") from None
    method, ci_method = _methods(args)
    figures = pair(args)  # the grid assumes every n: published ones are not used here
    frame = sensitivity(
        figures["proportion"][0],
        figures["proportion"][1],
        n1=grid_n,
        deff=deff,
        confidence_level=levels,
        method=method,
        ci_method=ci_method,
        alternative=args.alternative,
        within=args.within,
    )
    frame.insert(0, "comparison", f"{figures['label'][0]} - {figures['label'][1]}")
    emit(_verdict(frame), args.format, points=DIFFERENCE_COLUMNS)
    return 0


def cmd_power(args: argparse.Namespace) -> int:
    if args.moe is not None:
        frame = _plan_margin(args)
    elif len(args.figures) == 1:
        frame = _detectable_change(args)
    elif len(args.figures) == 2:
        frame = _two_shares(args)
    else:
        raise UsageError("give two shares (power or sample size), one share and --n, or --moe")
    emit(frame, args.format, points=("minimum_detectable_difference",))
    return 0


def _whole(n_needed: float) -> float:
    """A sample size needed, rounded up to whole respondents (NaN and inf stay)."""
    return float(np.ceil(n_needed)) if np.isfinite(n_needed) else float(n_needed)


def _finite_moe_n(n_needed: float, moe: str) -> float:
    if np.isinf(n_needed):
        raise UsageError(
            f"--moe {moe!r} is too small: the sample size needed is beyond any number this "
            "can count; give a margin such as 1% or 0.1%"
        )
    return n_needed


def _plan_margin(args: argparse.Namespace) -> pd.DataFrame:
    """``power --moe``: the n of one poll for a margin of error."""
    from surveykit.planning.sample_size import sample_size_proportion

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
    return pd.DataFrame(
        {
            "moe": [moe],
            "proportion": [proportion],
            "confidence_level": [1 - args.alpha],
            "deff": [args.deff],
            "population": [args.population],
            "n": [_whole(_finite_moe_n(n_needed, args.moe))],
        }
    )


def _detectable_change(args: argparse.Namespace) -> pd.DataFrame:
    """``power SHARE --n N``: the smallest change detectable with the power asked."""
    from surveykit.planning.sample_size import minimum_detectable_difference

    if args.n is None:
        raise UsageError("with one figure, give --n to find the smallest detectable change")
    p1 = parse_figure(args.figures[0])[0]
    mdd = minimum_detectable_difference(
        p1,
        args.n,
        power=args.power,
        alternative=args.alternative,
        alpha=args.alpha,
        method=args.method,
        deff=args.deff,
    )
    return pd.DataFrame(
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


def _two_shares(args: argparse.Namespace) -> pd.DataFrame:
    """``power SHARE SHARE``: the n per poll for the power asked, or the power at --n."""
    from surveykit.planning.power import power_two_proportions
    from surveykit.planning.sample_size import sample_size_two_proportions

    common = {"alpha": args.alpha, "method": args.method, "deff": args.deff}
    p1, p2 = (parse_figure(f)[0] for f in args.figures)
    echo = {"p1": [p1], "p2": [p2]}
    settings = {"alpha": [args.alpha], "deff": [args.deff], "method": [args.method]}
    if args.n is None:
        n_needed = sample_size_two_proportions(
            p1, p2, power=args.power, n_ratio=args.n_ratio, alternative=args.alternative, **common
        )
        return pd.DataFrame(
            {
                **echo,
                "power": [args.power],
                "alpha": [args.alpha],
                "n_ratio": [args.n_ratio],
                "deff": [args.deff],
                "method": [args.method],
                "n1": [_whole(n_needed)],
                "n2": [_whole(args.n_ratio * n_needed)],
            }
        )
    n2 = args.n_ratio * args.n
    power = power_two_proportions(p1, args.n, p2, n2, alternative=args.alternative, **common)
    return pd.DataFrame({**echo, "n1": [args.n], "n2": [n2], **settings, "power": [power]})


#: subcommand name -> its function
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "report": cmd_report,
    "datasets": cmd_datasets,
    "ci": cmd_ci,
    "compare": cmd_compare,
    "sensitivity": cmd_sensitivity,
    "power": cmd_power,
    "trend": cmd_trend,
    "survey": cmd_survey,
}
