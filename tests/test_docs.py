"""The documentation site builds without warnings, and every name it mentions exists.

The build runs Sphinx with warnings as errors into a temporary folder (the ``docs`` extra
installs Sphinx, numpydoc, pydata-sphinx-theme and myst-nb). It executes the user guide's
examples and the notebooks of ``examples/``, so a renamed function or a changed output
fails here. The name check needs no Sphinx: every dotted name ``surveykit.x.y`` and every
``sk.name`` written in README.md or in docs/ must import.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dotted_names import resolves

import surveykit

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
#: folders under docs/ that the build writes (API stubs, copies of the notebooks)
GENERATED = ("_build", "api/reference", "examples/notebooks", "jupyter_execute")

DOTTED = re.compile(r"\bsurveykit(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
SHORT = re.compile(r"(?<![\w.])sk\.([A-Za-z_][A-Za-z0-9_]*)")


def _written_pages() -> list[Path]:
    """README.md and the hand-written pages of docs/ (not what the build generates)."""
    pages = [REPO / "README.md"]
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS).as_posix()
        if path.suffix in (".md", ".rst") and not relative.startswith(GENERATED):
            pages.append(path)
    return pages


def test_there_are_pages_to_check():
    names = {p.relative_to(REPO).as_posix() for p in _written_pages()}
    assert {"README.md", "docs/index.md", "docs/checking.md"} <= names, sorted(names)


def test_every_dotted_name_in_readme_and_docs_imports():
    missing = {}
    for page in _written_pages():
        text = page.read_text(encoding="utf-8")
        for name in sorted(set(DOTTED.findall(text))):
            if not resolves(name):
                missing.setdefault(page.relative_to(REPO).as_posix(), []).append(name)
    assert not missing, f"names that do not import: {missing}"


def test_every_sk_name_in_readme_and_docs_exists():
    missing = {}
    for page in _written_pages():
        text = page.read_text(encoding="utf-8")
        for name in sorted(set(SHORT.findall(text))):
            if not hasattr(surveykit, name):
                missing.setdefault(page.relative_to(REPO).as_posix(), []).append(f"sk.{name}")
    assert not missing, f"names that surveykit does not have: {missing}"


# --------------------------------------------------------------------------------------
# The Sphinx build
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the HTML site once for this module; fail with Sphinx's output on a warning."""
    pytest.importorskip("sphinx", reason="the docs extra is not installed: pip install .[docs]")
    out = tmp_path_factory.mktemp("docs")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    # -j 2: the pages' examples run in two kernels at once (the machines have two cores)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", "2", "-b", "html"]
    command += ["-d", str(out / "doctrees"), str(DOCS), str(out / "html")]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = done.stdout[-5000:] + done.stderr[-20000:]
    assert done.returncode == 0, f"sphinx-build failed after {seconds:.0f} s:\n{log}"
    print(f"documentation built in {seconds:.1f} s")
    return out / "html"


def test_site_builds_without_warnings(site):
    for page in ("index.html", "checking.html", "guide/index.html", "api/index.html"):
        assert (site / page).exists(), page


def test_api_reference_has_a_page_for_every_public_name(site):
    generated = site / "api" / "reference" / "generated"
    names = [n for n in surveykit.__all__ if not n.startswith("__")]
    missing = [n for n in names if not (generated / f"surveykit.{n}.html").exists()]
    assert not missing, missing
    for sub in ("plotting", "report"):
        module = importlib.import_module(f"surveykit.{sub}")
        pages = [generated / f"surveykit.{sub}.{n}.html" for n in module.__all__]
        assert all(p.exists() for p in pages), [p.name for p in pages if not p.exists()]
    results = importlib.import_module("surveykit._core.results")
    pages = [generated / f"surveykit._core.results.{n}.html" for n in results.__all__]
    assert all(p.exists() for p in pages), [p.name for p in pages if not p.exists()]


def test_pages_show_what_their_code_printed(site):
    """The notebooks and the guide's examples were executed: their outputs are on the page."""
    for notebook in sorted((REPO / "examples").glob("*.ipynb")):
        html = (site / "examples" / "notebooks" / f"{notebook.stem}.html").read_text("utf-8")
        assert "cell_output" in html, notebook.name
    intervals = (site / "guide" / "intervals.html").read_text("utf-8")
    assert "cell_output" in intervals and "ProportionCI" in intervals
    plots = (site / "guide" / "plots.html").read_text("utf-8")
    assert plots.count("<img") >= 4
