"""``python -m surveykit`` runs the command line."""

import os
import signal
import sys


def _stop_while_starting(signum: int, frame: object) -> None:
    # Ctrl-C or SIGTERM before the command line is loaded: one line, no traceback
    print(
        "surveykit: interrupted" if signum == signal.SIGINT else "surveykit: terminated",
        file=sys.stderr,
        flush=True,
    )
    os._exit(128 + signum)


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _stop_while_starting)
signal.signal(signal.SIGTERM, _stop_while_starting)

from surveykit.cli.main import main  # noqa: E402

if signal.getsignal(signal.SIGINT) is _stop_while_starting:
    signal.signal(signal.SIGINT, signal.default_int_handler)
sys.exit(main())
