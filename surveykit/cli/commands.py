"""The subcommands of the ``surveykit`` command line.

Imported only once the parser knows which subcommand runs (numpy and pandas load here,
the statistics on first use inside each command). :data:`COMMANDS` maps each
subcommand's name to its function; each returns the exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.cli.parser import UsageError, level, parse_figure
from surveykit.exceptions import SurveyKitError

__all__ = [
    "COMMANDS",
    "cmd_ci",
    "cmd_compare",
    "cmd_datasets",
    "cmd_power",
    "cmd_report",
    "cmd_sensitivity",
    "emit",
]


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


def emit(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> None:
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


def cmd_report(args: argparse.Namespace) -> int:
    from surveykit.data.datasets import DEFAULT_DATASET
    from surveykit.reanalysis.analysis import DEFAULT_DEFFS, DEFAULT_NS, reanalyse
    from surveykit.report import check_out_dir, summary_text, write_report

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


def cmd_datasets(args: argparse.Namespace) -> int:
    from surveykit.data.datasets import dataset_names, datasheet, list_datasets

    if args.name:
        if args.name not in dataset_names():
            raise UsageError(f"no dataset {args.name!r}; choose from {', '.join(dataset_names())}")
        print(datasheet(args.name))
        return 0
    emit(list_datasets(), args.format)
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


def cmd_ci(args: argparse.Namespace) -> int:
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
    emit(frame, args.format)
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


def cmd_compare(args: argparse.Namespace) -> int:
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
    emit(frame, args.format)
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from surveykit.unknowns.sensitivity import sensitivity

    args.n = None
    grid_n = _numbers(args.grid_n, "--n", integer=True)
    if not grid_n:
        raise UsageError("give the sample sizes to try: --n 100 400 1600")
    args.n = grid_n[0]  # figures without a published n take the grid's values below
    pair = _pair(args)
    deff = _numbers(args.grid_deff, "--deff") or [1.0]
    try:
        levels = [level(v) for v in args.levels or ["0.95"]]
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
    emit(frame, args.format)
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
    emit(frame, args.format)
    return 0


def _plan_margin(args: argparse.Namespace) -> pd.DataFrame:
    """``power --moe``: the n of one poll for a margin of error."""
    from surveykit.planning.power import sample_size_proportion

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
            "n": [n_needed],
        }
    )


def _detectable_change(args: argparse.Namespace) -> pd.DataFrame:
    """``power SHARE --n N``: the smallest change detectable with the power asked."""
    from surveykit.planning.power import minimum_detectable_difference

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
    from surveykit.planning.power import power_two_proportions, sample_size_two_proportions

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
                "n1": [n_needed],
                "n2": [args.n_ratio * n_needed],
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
}
