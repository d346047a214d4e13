"""The command line as a Unix process: interrupts (issue 12, item 3) and closed pipes
(issue 11, item 9) end quietly with the conventional status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import surveykit as sk

HOME = str(Path(sk.__file__).resolve().parent.parent)
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([HOME, os.environ.get("PYTHONPATH", "")])}


@pytest.mark.parametrize("delay", [0.3, 0.8])
@pytest.mark.parametrize(
    ("signum", "status", "line"),
    [
        (signal.SIGINT, 130, "surveykit: interrupted"),
        (signal.SIGTERM, 143, "surveykit: terminated"),
    ],
)
def test_interrupted_report_ends_with_one_line(tmp_path, signum, status, line, delay):
    process = subprocess.Popen(
        [sys.executable, "-m", "surveykit", "report", "--out", "r"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C must reach the child even if this test runs in the background
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(delay)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip(f"the report finished within {delay} s, before the signal")
    assert process.returncode == status, err
    assert err.strip().splitlines() == [line]


def test_closed_pipe_ends_quietly_with_status_0():
    process = subprocess.Popen(
        [sys.executable, "-m", "surveykit", "datasets", "australia_2004_2007", "--format", "json"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()  # read one line, then go away (`| head -1`): the rest,
    # far more than a pipe holds, meets a closed pipe
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, err
    assert err == ""


def test_closed_pipe_through_a_shell_pipeline():
    done = subprocess.run(
        f"{sys.executable} -m surveykit ci 55% --n 1600 | head -1; echo status ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines()[-1] == "status 0"
    assert done.stderr == ""
