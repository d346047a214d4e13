"""``surveykit survey``: design-based means and proportions of survey microdata.

The data are read by :func:`surveykit.read_microdata`, the design from a JSON file in the
sidecar format of :func:`surveykit.data.microdata.read_design_sidecar` (keys ``psu``,
``strata``, ``weights``, ``fpc``, ``nest``, ``lonely_psu``), and the estimates are those
of :class:`surveykit.SurveyDesign`, equal to R's survey package.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from surveykit.cli.output import emit
from surveykit.cli.parser import UsageError
from surveykit.exceptions import SurveyKitError

__all__ = ["cmd_survey", "survey_design"]

#: the library's parameter names, and the command line's options
_CLI_WORDS = (
    ("na_rm=True", "--na-rm"),
    ("method must", "--method must"),
    ("variables", "--mean/--proportion"),
)


def _cli_message(message: str) -> str:
    for word, option in _CLI_WORDS:
        message = message.replace(word, option)
    return message


def _read_design(path: str) -> dict:
    """The design file: a JSON object with the sidecar's keys (any file name)."""
    from surveykit.data.microdata import SIDECAR_KEYS

    if not Path(path).is_file():
        raise UsageError(f"--design {path!r}: no such file; pass the design's JSON file")
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"--design {path!r} is not valid JSON: {exc}") from None
    if not isinstance(spec, dict):
        raise UsageError(
            f"--design {path!r} must hold a JSON object such as "
            '{"psu": "district", "weights": "weight"}, got ' + type(spec).__name__
        )
    unknown = [key for key in spec if key not in SIDECAR_KEYS]
    if unknown:
        raise UsageError(
            f"--design {path!r} has unknown key {unknown[0]!r}; the keys are "
            f"{', '.join(SIDECAR_KEYS)}"
        )
    return spec


def survey_design(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The design of FILE: its --design file, or the sidecar beside it, or none (SRS)."""
    from surveykit.data.microdata import read_design_sidecar, read_microdata
    from surveykit.design.survey_design import SurveyDesign

    if not Path(args.file).is_file():
        raise UsageError(f"FILE {args.file!r}: no such file; pass the microdata file")
    try:
        data = read_microdata(args.file)
        spec = _read_design(args.design) if args.design else read_design_sidecar(args.file)
    except SurveyKitError as exc:
        raise UsageError(str(exc)) from None
    if spec is None:
        raise UsageError(
            f"no design for {args.file!r}: pass --design design.json, or put "
            f"{Path(args.file).with_suffix('.design.json').name} beside it (write {{}} for "
            "a simple random sample)"
        )
    try:
        return SurveyDesign(data, **spec)
    except SurveyKitError as exc:
        raise UsageError(f"the design does not fit the data: {exc}") from None


def _check_columns(design, names: list[str], option: str) -> None:  # type: ignore[no-untyped-def]
    columns = [str(c) for c in design.data.columns]
    for name in names:
        if name not in columns:
            shown = ", ".join(repr(c) for c in columns[:10])
            more = f" and {len(columns) - 10} more" if len(columns) > 10 else ""
            raise UsageError(
                f"{option} {name!r} is not a column of the data; choose from {shown}{more}"
            )


def _estimates(args: argparse.Namespace) -> list[pd.DataFrame]:
    from surveykit.design.proportion_ci import SVYCIPROP_METHODS

    if not args.mean and not args.proportion:
        raise UsageError("give --mean VAR or --proportion VAR (or both)")
    if args.method not in SVYCIPROP_METHODS:
        listed = ", ".join(repr(m) for m in SVYCIPROP_METHODS)
        raise UsageError(f"--method must be one of {listed}; got {args.method!r}")
    design = survey_design(args)
    for option, names in (
        ("--mean", args.mean),
        ("--proportion", args.proportion),
        ("--by", args.by),
    ):
        _check_columns(design, names or [], option)
    by = args.by or None
    common = {"by": by, "na_rm": args.na_rm, "confidence_level": args.confidence_level}
    frames = []
    try:
        for variable in args.mean or []:
            frames.append(design.mean(variable, **common).to_frame())
        for variable in args.proportion or []:
            result = design.proportion(variable, method=args.method, **common)
            frames.append(result.to_frame())
    except SurveyKitError as exc:
        raise UsageError(_cli_message(str(exc))) from None
    return frames


def cmd_survey(args: argparse.Namespace) -> int:
    frames = _estimates(args)
    if args.format != "table":
        emit(pd.concat(frames, ignore_index=True), args.format)
        return 0
    for i, frame in enumerate(frames):
        if i:
            print()
        quantity = str(frame["quantity"].iloc[0])
        variable = str(frame["variable"].iloc[0])
        print(f"{quantity} of {variable!r}, {100 * args.confidence_level:g}% intervals")
        shown = frame.drop(columns=["quantity", "confidence_level"])
        if shown["level"].isna().all():
            shown = shown.drop(columns="level")
        numbers = ("estimate", "se", "ci_low", "ci_high")
        emit(shown, "table", plain=() if quantity == "proportion" else numbers)
    return 0
