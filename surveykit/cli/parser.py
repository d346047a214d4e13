"""The command line's parser and argument types.

This module imports no numpy, pandas, scipy or matplotlib: ``surveykit --help`` and
``surveykit --version`` run on the standard library alone. Each subcommand names its
function in :mod:`surveykit.cli.commands` (``command=``), imported only when it runs.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from typing import NoReturn

from surveykit._core.options import ALTERNATIVES, FORMATS

__all__ = [
    "ALTERNATIVES",
    "FORMATS",
    "THOUSANDS",
    "UsageError",
    "build_parser",
    "folder",
    "level",
    "parse_figure",
    "parse_number",
    "positive",
    "probability",
    "size",
]


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


#: a number as people type it: 55, 0.55, .5, 5., 1e-3
_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_FIGURE = re.compile(
    rf"^\s*(?:(?P<pct>{_NUMBER})\s*%|(?P<num>{_NUMBER})\s*/\s*(?P<den>{_NUMBER})"
    rf"|(?P<prop>{_NUMBER}))\s*$"
)
#: a whole number with thousands separators: 1,600 or 1,234,567
THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")


def parse_figure(text: str) -> tuple[float, float | None]:
    """Parse ``'55%'``, ``'0.55'``, ``'1e-3'`` or ``'55/100'`` into (proportion, n or None).

    A bare number above 1 is refused rather than guessed to be a percentage.

    Parameters
    ----------
    text : str
        A figure as people type it: a percentage (``55%``, ``32.5 %``), a share
        (``0.55``, ``.5``, ``1e-3``), or a count over a sample size (``55/100``).

    Returns
    -------
    tuple of (float, float or None)
        The share (0-1) and the sample size: the denominator of ``count/n``, else None.

    Raises
    ------
    UsageError
        If ``text`` is not a figure in one of those forms (a decimal comma, a minus
        sign or words included); if a ``count/n`` has n of 0; if a bare number is
        above 1; or if the share is not between 0% and 100% (``120%``, ``120/100``).
        The command line prints the message and exits with status 2.

    See Also
    --------
    surveykit.cli.main : the command line that reads its figures with this.
    surveykit.cli.parser.parse_number : a number such as ``1,600`` for ``--n``.
    surveykit.proportion_ci : the interval of a figure read here.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (results are published as percentages, with the sample size beside them).
    .. [2] Python Software Foundation. re: regular expression operations.
       https://docs.python.org/3/library/re.html

    Examples
    --------
    The Kremlin poll's figures as typed on the command line:

    >>> from surveykit.cli import parse_figure
    >>> parse_figure("55%")
    (0.55, None)
    >>> parse_figure("0.32")
    (0.32, None)
    >>> parse_figure("880/1600")
    (0.55, 1600.0)
    >>> parse_figure("55")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    surveykit.cli.parser.UsageError: the figure '55' is above 1; write a percentage ...
    """
    match = _FIGURE.match(str(text))
    if not match:
        raise UsageError(f"cannot read the figure {text!r}; write it as 55%, 0.55, 1e-3 or 55/100")
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


def parse_number(text: str) -> float:
    """A number as typed: ``1600``, ``1,600`` (thousands), ``1_600`` or ``1.6e3``.

    Raises ``ValueError`` for anything else (a decimal comma such as ``1,5`` included).
    """
    text = str(text).strip()
    if THOUSANDS.match(text):
        text = text.replace(",", "")
    if "," in text:
        raise ValueError(text)
    return float(text.replace("_", ""))


def positive(text: str) -> float:
    """argparse type: a positive, finite number (no nan, inf or 0); ``1,600`` is 1600."""
    try:
        value = parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number, got {text!r}")
    return value


def size(text: str) -> float:
    """argparse type: a sample size, a positive whole number (``1600``, ``1,600``, ``1e3``)."""
    value = positive(text)
    if value != math.floor(value):
        raise argparse.ArgumentTypeError(f"must be a whole number of respondents, got {text!r}")
    return value


def folder(text: str) -> str:
    """argparse type: a folder name that is not blank (``''`` would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"must name a folder, got {text!r}; pass --out DIR, such as --out report"
        )
    return text


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


#: argparse types: a significance level or power, and a confidence level
probability = _between_0_and_1("0.05 or 5%")
level = _between_0_and_1("0.95 or 95%")

_EPILOG = (
    "examples:\n"
    "  surveykit report                      reanalyse the leaked 2022 FSO poll\n"
    "  surveykit report --data russia_war_polls --out levada/ --title 'Levada'\n"
    "  surveykit ci 55% --n 1600 --format json\n"
    "  surveykit compare 55% 32% --n 800\n"
    "  surveykit compare --data kremlin_fso_2022 --option 'start peace talks' --n 800\n"
    "  surveykit compare --data kremlin_fso_2022 --poll fso-2022-11 --within --n 800\n"
    "  surveykit sensitivity 55% 32% --n 50 100 400 --deff 1 2 --format csv\n"
    "  surveykit power 32% 55% --n 100\n"
    "  surveykit power 50% 55% --power 0.8\n"
    "  surveykit trend russia_war_polls --option 'start peace talks' --pollster 'Levada Center'"
    " --pollster 'Russian Field' --assumed-n 1600\n"
    "  surveykit survey apistrat.csv --design apistrat.design.json --mean api00 --by stype\n"
    "  surveykit datasets"
)


def build_parser() -> argparse.ArgumentParser:
    """The ``surveykit`` parser; each subcommand sets ``command`` to its function's name."""
    from surveykit._core.version import __version__

    parser = _Parser(
        prog="surveykit",
        description=(
            "Reanalyse published poll figures: intervals, tests and how each verdict "
            "depends on sample sizes nobody published."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"surveykit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in (
        _add_report,
        _add_datasets,
        _add_ci,
        _add_compare,
        _add_sensitivity,
        _add_power,
        _add_trend,
        _add_survey,
    ):
        add(sub)
    return parser


# argparse %-formats help= strings (so they write 55%%) but not descriptions (55%).


def _add_report(sub: argparse._SubParsersAction) -> None:
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
    _level_option(rep)
    rep.add_argument(
        "--out",
        type=folder,
        default="surveykit-report",
        metavar="DIR",
        help="output folder (default: surveykit-report/)",
    )
    rep.add_argument("--title", help="the report's title (default: one naming the data)")
    rep.add_argument(
        "--force", action="store_true", help="overwrite report files that already exist in --out"
    )


def _add_datasets(sub: argparse._SubParsersAction) -> None:
    ds = sub.add_parser(
        "datasets",
        help="list the shipped datasets, or show one's datasheet and figures",
        description="List the shipped datasets, or show one: with --format table its "
        "datasheet and figures, with csv or json its figures in the poll schema.",
    )
    ds.add_argument("name", nargs="?", help="a dataset name: show its datasheet and figures")
    _format_option(ds)


def _figure_options(p: argparse.ArgumentParser, *, options: str) -> None:
    p.add_argument("figures", nargs="*", metavar="FIGURE", help="55%%, 0.55, 1e-3 or 55/100")
    p.add_argument("--data", metavar="FILE|DATASET", help="pick figures from a dataset")
    p.add_argument("--question", help="with --data: the question to take")
    p.add_argument("--option", action="append", help=f"with --data: {options} (repeatable)")
    p.add_argument(
        "--poll",
        action="append",
        metavar="POLL_ID",
        help="with --data: a poll to take (repeatable)",
    )
    _format_option(p)


def _single_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--n",
        type=size,
        nargs="+",
        metavar="N",
        help="sample size where none is given or published: one for all, or one per poll "
        "in the order shown (1600 or 1,600)",
    )
    p.add_argument("--deff", type=positive, default=1.0, help="design effect (default: 1)")
    _level_option(p)


def _add_ci(sub: argparse._SubParsersAction) -> None:
    ci = sub.add_parser(
        "ci",
        help="confidence interval of published shares",
        description="Confidence interval of published shares, typed (55%, 0.55, 55/100) or "
        "picked from a dataset (--data kremlin_fso_2022 --option 'start peace talks'). "
        "Figures from --data without a published n need --n; without it they are skipped "
        "with a note.",
    )
    _figure_options(ci, options="an option to take")
    _single_options(ci)
    ci.add_argument("--method", default="wilson", help="interval method (default: wilson)")


_VERDICT = " The column 'significant' says whether the p-value is below 1 - the confidence level."


def _add_compare(sub: argparse._SubParsersAction) -> None:
    cmp_ = sub.add_parser(
        "compare",
        help="difference between two shares: interval and test",
        description="Difference FIRST - SECOND, in percentage points, of two independent "
        "polls (FIRST the later one) or, with --within, of two options of one poll (FIRST "
        "the leading one): interval and test. From --data, the figures must be one option "
        "of one question in two polls (the latest minus the earliest of those picked), or "
        "with --within two options of one poll; otherwise the choices are listed." + _VERDICT,
    )
    _figure_options(cmp_, options="the option to compare (with --within, two)")
    _single_options(cmp_)
    cmp_.add_argument(
        "--method",
        help="test method (default: z-pooled; with --within wald, or score)",
    )
    cmp_.add_argument(
        "--ci-method",
        help="interval method (default: newcombe; with --within wald, or score)",
    )
    cmp_.add_argument("--alternative", default="two-sided", choices=ALTERNATIVES)
    cmp_.add_argument(
        "--within", action="store_true", help="two options of one poll (multinomial covariance)"
    )


def _add_sensitivity(sub: argparse._SubParsersAction) -> None:
    sen = sub.add_parser(
        "sensitivity",
        help="a comparison under every assumed n, design effect and level",
        description="Estimate, interval and p-value of FIRST - SECOND for every combination "
        "of the assumed sample sizes, design effects and confidence levels. The figures "
        "are picked as by 'surveykit compare'." + _VERDICT,
    )
    _figure_options(sen, options="the option to compare (with --within, two)")
    sen.add_argument(
        "--n",
        dest="grid_n",
        nargs="+",
        metavar="N",
        help="sample sizes to try (default: 400 800 1600 3000)",
    )
    sen.add_argument(
        "--deff", dest="grid_deff", nargs="+", metavar="D", help="design effects (default: 1)"
    )
    sen.add_argument(
        "--confidence-level",
        dest="levels",
        nargs="+",
        metavar="L",
        help="confidence levels (default: 0.95)",
    )
    sen.add_argument("--method", default=None, help="test method (default: as compare)")
    sen.add_argument("--ci-method", default=None, help="interval method (default: as compare)")
    sen.add_argument("--alternative", default="two-sided", choices=ALTERNATIVES)
    sen.add_argument("--within", action="store_true", help="two options of one poll")


def _add_power(sub: argparse._SubParsersAction) -> None:
    pw = sub.add_parser(
        "power",
        help="power, sample size, detectable change, or n for a margin of error",
        description="Plan or judge polls. Two shares and --n: the power to detect their "
        "difference. Two shares without --n: the n per poll for --power. One share and "
        "--n: the smallest change detectable with --power. --moe: the n for a margin of "
        "error. Sample sizes needed are rounded up to whole respondents.",
    )
    pw.add_argument("figures", nargs="*", metavar="FIGURE", help="55%%, 0.55")
    pw.add_argument("--n", type=size, help="sample size of the first poll")
    pw.add_argument("--n-ratio", type=positive, default=1.0, help="n2 / n1 (default: 1)")
    pw.add_argument("--power", type=probability, default=0.8, help="target power (default: 0.8)")
    pw.add_argument("--alpha", type=probability, default=0.05, help="significance level")
    pw.add_argument("--alternative", default="two-sided", choices=ALTERNATIVES)
    pw.add_argument("--method", default="normal", help="normal, arcsine or exact")
    pw.add_argument("--deff", type=positive, default=1.0, help="design effect (default: 1)")
    pw.add_argument("--moe", help="target margin of error, 3%% or 0.03")
    pw.add_argument("--proportion", default="0.5", help="expected share for --moe")
    pw.add_argument("--population", type=positive, help="population size (finite correction)")
    _format_option(pw)


def _level_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--confidence-level",
        type=level,
        default=0.95,
        metavar="L",
        help="confidence level, 0.95 or 95%% (default: 0.95)",
    )


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table for people, csv or json for scripts (default: table)",
    )


def _add_trend(sub: argparse._SubParsersAction) -> None:
    tr = sub.add_parser(
        "trend",
        help="the trend behind a series of polls, with each pollster's house effect",
        description="Pool the polls of one option: the daily trend and each pollster's house "
        "effect (Jackman's local-level model, fitted exactly). Election results in the data "
        "(mode 'election') anchor the trend. The table shows the fit, the house effects (in "
        "percentage points) and the trend on the days with polls; csv prints the trend of "
        "every day, json everything.",
    )
    tr.add_argument("data", metavar="FILE|DATASET", help="a CSV in the poll schema or a dataset")
    tr.add_argument(
        "--question",
        action="append",
        help="the question (repeatable: differently worded questions pooled as one series)",
    )
    tr.add_argument("--option", help="the option to follow (needed if the question has several)")
    tr.add_argument("--pollster", action="append", help="only this pollster's polls (repeatable)")
    tr.add_argument(
        "--house-effects",
        metavar="sum-zero|free|NAME",
        help="sum-zero (the trend is the average pollster; default without elections), "
        "free (with election anchors; their default) or a pollster taken as unbiased",
    )
    tr.add_argument(
        "--assumed-n",
        type=positive,
        metavar="N",
        help="sample size assumed for polls that publish neither n nor a margin of error",
    )
    _level_option(tr)
    _format_option(tr)


def _add_survey(sub: argparse._SubParsersAction) -> None:
    sv = sub.add_parser(
        "survey",
        help="design-based means and proportions from survey microdata",
        description="Means and proportions of survey microdata (CSV, Parquet, Stata, SPSS) "
        "with linearisation standard errors, design effects and intervals, as R's survey "
        "package. The design is a JSON file with the keys psu, strata, weights, fpc, nest "
        "and lonely_psu (default: FILE's sidecar, survey.design.json beside survey.csv).",
    )
    sv.add_argument("file", metavar="FILE", help="the microdata")
    sv.add_argument("--design", metavar="JSON", help="the design (default: FILE's sidecar)")
    sv.add_argument("--mean", action="append", metavar="VAR", help="a mean (repeatable)")
    sv.add_argument(
        "--proportion",
        action="append",
        metavar="VAR",
        help="a 0/1 variable's share, or each level's of a categorical one (repeatable)",
    )
    sv.add_argument("--by", action="append", metavar="COL", help="domains (repeatable)")
    sv.add_argument(
        "--method",
        default="logit",
        help="interval of proportions, as R's svyciprop: logit, likelihood, asin, beta, mean "
        "or xlogit (default: logit)",
    )
    sv.add_argument(
        "--na-rm", action="store_true", help="leave out respondents with a missing value"
    )
    _level_option(sv)
    _format_option(sv)
