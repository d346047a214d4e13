"""Option sets are defined once, in a module the fast parser can import."""

from __future__ import annotations

import ast
from pathlib import Path

import surveykit
from surveykit._core import options
from surveykit._core.validation import common
from surveykit.cli import parser

PACKAGE = Path(surveykit.__file__).resolve().parent


def test_parser_and_validation_share_one_definition():
    assert parser.ALTERNATIVES is options.ALTERNATIVES is common.ALTERNATIVES
    assert parser.FORMATS is options.FORMATS


def test_options_module_imports_the_standard_library_only():
    tree = ast.parse((PACKAGE / "_core" / "options.py").read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__"}


def test_no_other_module_spells_the_alternatives_out():
    spelled = '("two-sided", "less", "greater")'
    owners = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if spelled in p.read_text(encoding="utf-8")
    ]
    assert owners == ["_core/options.py"]
