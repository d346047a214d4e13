"""A report is written whole or not at all (issue 12, item 2): a real ``surveykit report``
process interrupted by SIGINT or SIGTERM at several moments leaves either no report
folder or a complete one (every file it names), never a half-written one and never a
staging folder; the next run then works without --force."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.report.atomic import STAGING_PREFIX

HOME = str(Path(sk.__file__).resolve().parent.parent)
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([HOME, os.environ.get("PYTHONPATH", "")])}
COMMAND = [sys.executable, "-m", "surveykit", "report", "--out", "r"]


def _run(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        COMMAND,
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _complete(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()}
    return {"report.html", "report.md", "intervals.csv", "changes.csv"} <= names


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5, 3.5])
def test_interrupted_report_leaves_nothing_or_everything(tmp_path, signum, delay):
    process = _run(tmp_path)
    time.sleep(delay)
    process.send_signal(signum)
    process.communicate(timeout=120)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert leftovers == []
    report = tmp_path / "r"
    if report.exists():
        assert _complete(report)  # published before the signal took effect
    else:
        rerun = subprocess.run(COMMAND, cwd=tmp_path, env=ENV, capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr  # no --force needed
        assert _complete(report)


def test_an_interrupted_rewrite_keeps_the_previous_report(tmp_path):
    first = subprocess.run(COMMAND, cwd=tmp_path, env=ENV, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in (tmp_path / "r").iterdir()}
    process = subprocess.Popen(
        [*COMMAND, "--force", "--n", "200"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    after = {p.name: p.read_bytes() for p in (tmp_path / "r").iterdir()}
    if process.returncode == 130:  # interrupted: the old report, byte for byte
        assert after == before
    else:  # finished first: a complete new report
        assert _complete(tmp_path / "r")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]
