"""The package's architecture, checked from its source with ``ast``.

Imports run downwards only: the core imports nothing else from surveykit, the statistical
layers never import the presentation layer (plotting, report, command line), nothing
imports a private name from another module, and there is no import cycle. Imports inside
functions count as much as those at the top of a module; imports for type checkers only
(under ``if TYPE_CHECKING:``) are not imports at run time and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import surveykit

PACKAGE = Path(surveykit.__file__).resolve().parent

#: each room and the rooms it may import from (besides itself and surveykit.exceptions)
ALLOWED = {
    "_core": set(),
    "data": {"_core"},
    "inference": {"_core"},
    "unknowns": {"_core", "inference"},
    "planning": {"_core", "inference", "unknowns"},
    "design": {"_core", "data", "inference"},
    "series": {"_core", "data", "inference"},
    "reanalysis": {"_core", "data", "inference", "unknowns", "planning", "design", "series"},
    "plotting": {"_core", "data", "inference", "unknowns", "planning", "design", "series"},
    "report": {
        "_core",
        "data",
        "inference",
        "unknowns",
        "planning",
        "design",
        "series",
        "reanalysis",
        "plotting",
    },
    "cli": {
        "_core",
        "data",
        "inference",
        "unknowns",
        "planning",
        "design",
        "series",
        "reanalysis",
        "plotting",
        "report",
    },
}
PRESENTATION = {"plotting", "report", "cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module imported, name imported from it or None, line) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    # imports for type checkers only (``if TYPE_CHECKING:``) never run: they are no edge
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return found


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def _graph() -> dict[str, set[str]]:
    """Module -> the surveykit modules it imports (a name imported from a package that is
    itself a submodule counts as an import of that submodule)."""
    sources = _sources()
    graph: dict[str, set[str]] = {m: set() for m in sources}
    for module, path in sources.items():
        for target, name, _ in _imports(path):
            if not target.startswith("surveykit"):
                continue
            if name and f"{target}.{name}" in sources:
                graph[module].add(f"{target}.{name}")
            elif target in sources:
                graph[module].add(target)
    return graph


def test_the_walk_finds_the_package():
    sources = _sources()
    assert "surveykit._core.results" in sources
    assert "surveykit.inference.proportion" in sources
    assert len(sources) > 40


def test_rooms_import_only_downwards():
    bad = []
    for module, path in _sources().items():
        room = _room(module)
        if room is None:
            continue  # the top-level package, __main__ and exceptions sit outside the rooms
        for target, _, line in _imports(path):
            if not target.startswith("surveykit.") and target != "surveykit":
                continue
            if target in ("surveykit.exceptions",):
                continue
            other = _room(target)
            if other is None or other == room:
                if other is None:
                    bad.append(f"{module}:{line} imports {target} (above the rooms)")
                continue
            if other not in ALLOWED[room]:
                bad.append(f"{module}:{line} imports {target} ({room} may not use {other})")
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


def test_nothing_below_imports_presentation():
    bad = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if _room(module) not in PRESENTATION
        and module.split(".")[-1] != "__main__"
        and module != "surveykit"
        for target in targets
        if _room(target) in PRESENTATION
    ]
    assert not bad, "\n".join(bad)


def test_no_private_name_is_imported_from_another_module():
    bad = []
    for module, path in _sources().items():
        for target, name, line in _imports(path):
            if not target.startswith("surveykit"):
                continue
            dunder = name is not None and name.startswith("__") and name.endswith("__")
            private_name = name is not None and name.startswith("_") and not dunder
            private_module = any(
                part.startswith("_") and part not in ("_core", "__init__")
                for part in target.split(".")[1:]
            )
            if private_name or private_module:
                bad.append(f"{module}:{line} imports {name or ''} from {target}")
    assert not bad, "private names used outside their module:\n" + "\n".join(bad)


def test_no_import_cycles():
    graph = _graph()
    # the top-level package imports lazily by design; its rooms never import it
    graph.pop("surveykit", None)
    for targets in graph.values():
        targets.discard("surveykit")
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_rooms_never_import_the_top_level_package():
    bad = [
        f"{module}:{line}"
        for module, path in _sources().items()
        if _room(module) is not None
        for target, _, line in _imports(path)
        if target == "surveykit"
    ]
    assert not bad, "import the defining module instead of surveykit:\n" + "\n".join(bad)


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_every_room_exists_and_says_what_it_holds(room):
    init = PACKAGE / room / "__init__.py"
    assert init.is_file()
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))


#: the size of a room: a module past this many lines holds two concepts or should be split
MODULE_LINES = 600
#: a function past this many lines of code (docstring excluded) is split along its steps
FUNCTION_LINES = 80


def test_rooms_are_small():
    too_long = []
    for module, path in _sources().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MODULE_LINES:
            too_long.append(f"{module}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            first = node.body[0]
            has_doc = isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant
            )
            start = first.end_lineno + 1 if has_doc else first.lineno
            code = node.end_lineno - start + 1
            if code > FUNCTION_LINES:
                too_long.append(f"{module}.{node.name}: {code} lines of code")
    assert not too_long, "split these along their natural steps:\n" + "\n".join(too_long)
