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
    """Run the command line; returns the exit status."""
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
