"""Every public function's docstring has the numpydoc sections STYLE.md asks for.

The sections checked are Parameters, Returns, Raises, See Also, References and Examples.
Functions whose docstrings still lack some are listed in ``INCOMPLETE`` and marked
``xfail`` (not strict): they pass as soon as the missing sections are written, and the
entry can then be deleted. A function not listed must have them all.

The second check follows every dotted name ``surveykit.x.y`` written in a docstring
(in See Also, in ``:func:`` references): it must import. Names left behind by the move
into subpackages are listed in ``STALE`` the same way.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import warnings

import pytest
from dotted_names import resolves

import surveykit

REQUIRED = ("Parameters", "Returns", "Raises", "See Also", "References", "Examples")

#: public function -> the sections its docstring lacks (to be written by its owners)
INCOMPLETE: dict[str, list[str]] = {}

#: object whose docstring names a surveykit path that no longer exists -> those names
STALE: dict[str, list[str]] = {}


def _public_functions() -> dict[str, object]:
    """surveykit.__all__, and the namespaces of plotting, report and cli."""
    found = {}
    for name in surveykit.__all__:
        obj = getattr(surveykit, name)
        if inspect.isfunction(obj):
            found[f"surveykit.{name}"] = obj
    for sub in ("plotting", "report", "cli"):
        module = importlib.import_module(f"surveykit.{sub}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                found[f"surveykit.{sub}.{name}"] = obj
    return found


def _documented_objects() -> dict[str, object]:
    """Every module of surveykit, and the functions, classes and methods defined in it."""
    found = {}
    for info in pkgutil.walk_packages(surveykit.__path__, "surveykit."):
        if info.name == "surveykit.__main__":
            continue
        module = importlib.import_module(info.name)
        found[info.name] = module
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != info.name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{info.name}.{name}"] = obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) or isinstance(member, property):
                        found[f"{info.name}.{name}.{attr}"] = member
    return found


def _marked(table: dict[str, list[str]], what: str, names) -> list:
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=False, reason=f"{what}: {', '.join(table[name])}"),
        )
        if name in table
        else name
        for name in names
    ]


DOTTED = re.compile(r"\bsurveykit(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
PUBLIC = _public_functions()
#: the objects whose docstrings name something in surveykit by its dotted path
OBJECTS = {
    k: v for k, v in _documented_objects().items() if DOTTED.search(inspect.getdoc(v) or "")
}


@pytest.mark.parametrize("name", _marked(INCOMPLETE, "lacks", sorted(PUBLIC)))
def test_docstring_has_every_section(name):
    docscrape = pytest.importorskip("numpydoc.docscrape", reason="the docs extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpydoc warns on unknown or malformed sections
        doc = docscrape.NumpyDocString(inspect.getdoc(PUBLIC[name]) or "")
    # a function without parameters has nothing to list under Parameters
    takes = bool(inspect.signature(PUBLIC[name]).parameters)
    missing = [s for s in REQUIRED if not doc[s] and (takes or s != "Parameters")]
    assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("name", _marked(STALE, "names", sorted(OBJECTS)))
def test_dotted_names_in_docstrings_import(name):
    doc = inspect.getdoc(OBJECTS[name]) or ""
    stale = sorted({d for d in DOTTED.findall(doc) if not resolves(d)})
    assert not stale, f"{name} names {stale}"


def test_incomplete_list_names_public_functions():
    """An entry for a function that was renamed or removed is deleted from the list."""
    assert not set(INCOMPLETE) - set(PUBLIC), sorted(set(INCOMPLETE) - set(PUBLIC))
