"""Build a reanalysis report from a script: the leaked FSO poll and Levada's series.

Usage::

    python examples/build_report.py [OUT_DIR] [--force]

Writes ``OUT_DIR/fso`` (the leaked poll under assumed sample sizes) and
``OUT_DIR/levada`` (the published series, whose sample sizes are mostly known), each a
self-contained ``report.html`` with Markdown, figures and CSV tables. Like the command
line, it refuses to overwrite an earlier report unless ``--force`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import surveykit as sk
from surveykit.report import write_report


def main(argv: list[str]) -> int:
    force = "--force" in argv
    args = [a for a in argv if a != "--force"]
    out = Path(args[0]) if args else Path("example-reports")

    fso = sk.reanalyse(sk.load_dataset("kremlin_fso_2022"), n=[100, 400, 1600], deff=[1, 2])
    levada = sk.reanalyse(sk.load_dataset("russia_war_polls"), n=[1600], deff=[1, 1.9])
    command = "python examples/build_report.py " + " ".join(argv)
    for name, analysis in (("fso", fso), ("levada", levada)):
        try:
            paths = write_report(analysis, out / name, force=force, command=command.strip())
        except FileExistsError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"{name}: {paths['html']}")
    print()
    print(fso.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
