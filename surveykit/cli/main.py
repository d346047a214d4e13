"""The ``surveykit`` command: a thin layer over the library for shells and scripts.

Exit status: 0 on success (also when the reader of the output goes away, as with
``| head -1``), 1 when an analysis fails or a report would overwrite files, 2 on bad usage
(with a one-line message and no traceback), 130 on Ctrl-C and 143 on SIGTERM (one line). The parser
(:mod:`surveykit.cli.parser`) needs only the standard library, so ``--help`` and
``--version`` start fast; the subcommands (:mod:`surveykit.cli.commands`) load numpy,
pandas and the statistics only when one of them runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence

from surveykit.cli.parser import UsageError, build_parser, parse_figure
from surveykit.exceptions import SurveyKitError

__all__ = ["main", "parse_figure"]


class Terminated(BaseException):
    """SIGTERM arrived: like KeyboardInterrupt, not an error of the analysis."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated` (main thread only)."""

    def _raise(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _quiet_stdout() -> None:
    """After a closed pipe: send what is left of stdout nowhere, so exit stays quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    What the ``surveykit`` command runs (``python -m surveykit`` too): parse the
    arguments, run the subcommand, print its result on stdout and any error as one line
    on stderr, and return the exit status rather than exit, so that scripts and tests
    can call it.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name, such as ``["ci", "55%", "--n", "1600"]``;
        by default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success (also after ``--help``, ``--version``, or when
        the reader of the output goes away, as with ``| head -1``); 1 when an analysis
        fails or a report would overwrite files (``FileExistsError``); 2 on bad usage or
        a bad value (a :class:`~surveykit.cli.parser.UsageError` or
        ``SurveyKitError``, one line, no traceback); 130 on Ctrl-C and 143 on SIGTERM.

    Raises
    ------
    Exception
        Only when the environment variable ``SURVEYKIT_DEBUG`` is set: an unexpected
        error of an analysis then propagates with its traceback. Otherwise nothing is
        raised: ``SurveyKitError``, ``FileExistsError``, usage errors, interrupts and a
        closed pipe all become the exit statuses above.

    See Also
    --------
    surveykit.cli.parser.build_parser : the commands and their options.
    surveykit.cli.parse_figure : how a typed figure such as ``55%`` is read.
    surveykit.proportion_ci : what ``surveykit ci`` computes.
    surveykit.report.write_report : what ``surveykit report`` writes.

    References
    ----------
    .. [1] AAPOR (2021). AAPOR Code of Professional Ethics and Practices, section III.A
       (an assumed sample size is disclosed: the ``n_status`` column says so).
    .. [2] IEEE and The Open Group (2018). POSIX.1-2017 (IEEE Std 1003.1-2017), Shell
       Command Language, section 2.8.2: exit status of a command (above 128 when a
       signal ended it).
    .. [3] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92 (``surveykit datasets`` and the shipped datasheets).

    Examples
    --------
    The leaked Kremlin poll's 55% for peace talks, if 1,600 people were asked:

    >>> from surveykit.cli import main
    >>> main(["ci", "55%", "--n", "1600"])  # doctest: +NORMALIZE_WHITESPACE
    figure estimate ci_low ci_high     n n_eff deff confidence_level method alternative n_status
       55%    55.0%  52.6%   57.4% 1,600 1,600    1              95% wilson   two-sided  assumed
    0

    The change from July's 32%, as CSV for a script (differences stay shares):

    >>> main(["compare", "55%", "32%", "--n", "800", "--format", "csv"])
    ... # doctest: +ELLIPSIS
    comparison,estimate,statistic,pvalue,significant,...
    55% - 32%,0.23...,True,...
    0

    A bare 55 is refused rather than guessed to be a percentage (the message goes to
    stderr):

    >>> main(["ci", "55"])
    2
    """
    try:
        with _sigterm_raises():
            status = _run(argv)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
            return status
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        _say("surveykit: interrupted")
        return 130
    except Terminated:
        _say("surveykit: terminated")
        return 143


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            print("surveykit: give a command, such as 'surveykit report'", file=sys.stderr)
            return 2
        args.argv = argv
        from surveykit.cli.commands import COMMANDS

        return int(COMMANDS[args.command](args))
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
    except BrokenPipeError:
        raise
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
