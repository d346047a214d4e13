"""Every docstring example runs and prints what it says (on the imported package)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import surveykit

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(surveykit.__path__, "surveykit.")
    if m.name != "surveykit.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_public_api_is_documented():
    for name in surveykit.__all__:
        obj = getattr(surveykit, name)
        if callable(obj) and not isinstance(obj, type):
            doc = obj.__doc__ or ""
            assert "Parameters" in doc or "Returns" in doc, f"{name} lacks a numpydoc docstring"


def test_readme_example_runs(capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "0.23" in out and "at least 36 people were asked per poll" in out
