"""Packaging: the wheel carries the datasets, the type marker and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("surveykit-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_datasets_inside_the_package(wheel):
    names = set(wheel.namelist())
    for dataset in ("kremlin_fso_2022", "russia_war_polls"):
        assert f"surveykit/_datasets/{dataset}.csv" in names
        assert f"surveykit/_datasets/{dataset}.md" in names
    assert "surveykit/py.typed" in names


def test_wheel_declares_console_script_and_dependencies(wheel):
    meta = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "surveykit = surveykit.cli:main" in wheel.read(meta).decode()
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith("METADATA"))).decode()
    for dep in ("numpy", "pandas", "scipy", "statsmodels", "matplotlib"):
        assert f"Requires-Dist: {dep}" in metadata
    assert "Requires-Python: >=3.11" in metadata


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    block = readme.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2, "the quick start is exactly two commands"
    assert "surveykit report" in block[0]
    assert block[1] in ci.splitlines()
    assert "set -euo pipefail" in ci
