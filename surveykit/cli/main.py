"""The ``surveykit`` command: a thin layer over the library for shells and scripts.

Exit status: 0 on success, 1 when an analysis fails or a report would overwrite files,
2 on bad usage (with a one-line message and no traceback). The parser
(:mod:`surveykit.cli.parser`) needs only the standard library, so ``--help`` and
``--version`` start fast; the subcommands (:mod:`surveykit.cli.commands`) load numpy,
pandas and the statistics only when one of them runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from surveykit.cli.parser import UsageError, build_parser, parse_figure
from surveykit.exceptions import SurveyKitError

__all__ = ["main", "parse_figure"]


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
