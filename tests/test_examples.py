"""Every example notebook and script runs top to bottom on the installed package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import surveykit as sk

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
HOME = str(Path(sk.__file__).resolve().parent.parent)


@pytest.fixture
def package_on_path(monkeypatch):
    """Child processes import the same surveykit as the tests (installed or checkout)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([HOME, os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 3, [n.name for n in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, package_on_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "notebooks are stored without outputs"
    )
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    errors = [
        out
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors


def test_report_script_runs_and_refuses_to_overwrite(tmp_path, package_on_path):
    script = EXAMPLES / "build_report.py"
    run = [sys.executable, str(script), str(tmp_path / "out")]
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "fso" / "report.html").exists()
    assert (tmp_path / "out" / "levada" / "report.html").exists()
    assert "at least 36 people were asked per poll" in done.stdout
    again = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    forced = subprocess.run([*run, "--force"], capture_output=True, text=True, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
