"""Sphinx configuration of the surveykit documentation.

The API reference is generated at build time from the package itself: ``surveykit.__all__``,
the ``__all__`` of every public module, and the subpackages found by walking the package.
Nothing here lists a function by hand, so renamed and moved functions never leave the
reference stale. The example notebooks are copied from ``examples/`` and executed, and so
are the examples of the user guide (MyST notebooks), so every output shown is current.

Build (after ``pip install ".[docs]"``), from the repository root::

    python -m sphinx -W --keep-going -j 2 -b html docs docs/_build/html

``tests/test_docs.py`` runs the same build into a temporary folder.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
# the notebook kernels import the same surveykit as this build
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
)
# figures in the executed pages are shown inline (an inherited MPLBACKEND=Agg would hide them)
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

import surveykit  # noqa: E402

project = "surveykit"
author = "surveykit developers"
copyright = "surveykit developers"
release = surveykit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]
templates_path = ["_templates"]

# ------------------------------------------------------------------ autodoc and numpydoc
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()  # tests/test_docstring_sections.py tracks them
numpydoc_xref_param_type = False
add_module_names = False

# No docstring needs a suppression today. If one does, add the narrowest warning type here
# with the function it is for, and tell the owner of the docstring.
suppress_warnings: list[str] = []

# ------------------------------------------------------------------ MyST and notebooks
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # examples/*.ipynb are stored without outputs
nb_execution_timeout = 300
nb_execution_in_temp = True  # notebooks that write files write them to a temporary folder
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# ------------------------------------------------------------------ HTML
html_theme = "pydata_sphinx_theme"
html_title = f"surveykit {release}"
html_static_path = ["_static"]
html_css_files = ["surveykit.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    # a table of contents beside the pages with sections (a page of one function has none;
    # in these patterns * does not cross a /)
    "secondary_sidebar_items": {
        pattern: ["page-toc"]
        for pattern in ("guide/*", "examples/**", "checking", "api/index", "api/reference/*")
    },
}
html_sidebars = {"index": [], "checking": []}  # pages without a section to navigate
html_show_sourcelink = False


# ------------------------------------------------------------------ generated pages
EXAMPLES = ROOT / "examples"
NOTEBOOK_DIR = DOCS / "examples" / "notebooks"
API_DIR = DOCS / "api" / "reference"

#: subpackages whose modules are documented, with a one-line title; the order is the
#: order of the layers (presentation last). Any other subpackage found by walking the
#: package is documented too, after these.
SECTIONS = {
    "inference": "Inference on published figures",
    "unknowns": "What was never published",
    "planning": "Planning and teaching",
    "data": "The poll schema and the datasets",
    "reanalysis": "Everything at once",
    "plotting": "Plots",
    "report": "Reports",
    "cli": "Command line",
    "design": "Survey microdata",
    "series": "Poll series",
}


def _public_names(module) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        return []
    return [n for n in names if not n.startswith("_")]


def _defined_here(module, name: str) -> bool:
    """True for a name the module defines (a constant, or an object whose home it is)."""
    obj = getattr(module, name)
    home = getattr(obj, "__module__", None)
    return home is None or home == module.__name__ or not callable(obj)


def _autosummary(names: list[str], *, template: str | None = None) -> list[str]:
    lines = [".. autosummary::", "   :toctree: generated", "   :nosignatures:"]
    if template:
        lines.append(f"   :template: {template}")
    return [*lines, "", *(f"   {n}" for n in names), ""]


def _title(text: str, char: str = "=") -> list[str]:
    return [text, char * len(text), ""]


def _top_level_page() -> str:
    """Every name in surveykit.__all__, grouped by the subpackage that defines it."""
    groups: dict[str, list[str]] = {}
    for name in surveykit.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(surveykit, name)
        home = getattr(obj, "__module__", "surveykit")
        sub = home.split(".")[1] if home.count(".") >= 1 else "surveykit"
        groups.setdefault(sub, []).append(name)
    lines = [
        ".. This page is generated by docs/conf.py from surveykit.__all__; do not edit.",
        "",
        *_title("The surveykit namespace"),
        ".. currentmodule:: surveykit",
        "",
        "Everything a reanalysis needs is one attribute away from ``import surveykit as sk``.",
        "The functions are loaded on first use; each lives in one of the subpackages below",
        "and is documented here under its short name, ``surveykit.<name>``.",
        "",
    ]
    order = [*SECTIONS, "exceptions"]
    for sub in sorted(groups, key=lambda s: order.index(s) if s in order else len(order)):
        heading = SECTIONS.get(sub, "Exceptions and warnings" if sub == "exceptions" else sub)
        lines += _title(f"{heading}", "-")
        lines += _autosummary(sorted(groups[sub], key=str.lower))
    return "\n".join(lines)


def _module_names(package) -> list[str]:
    if not hasattr(package, "__path__"):
        return []
    return sorted(
        m.name
        for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
        if not m.name.rsplit(".", 1)[1].startswith("_")
    )


def _subpackage_page(sub: str, title: str) -> str:
    package = importlib.import_module(f"surveykit.{sub}")
    top = set(surveykit.__all__)
    lines = [
        ".. This page is generated by docs/conf.py from the package; do not edit.",
        "",
        *_title(f"surveykit.{sub}: {title.lower()[0]}{title[1:]}"),
        f".. automodule:: surveykit.{sub}",
        "   :no-members:",
        "",
    ]
    exported = _public_names(package)
    if exported:  # the subpackage is itself the public namespace (plotting, report, cli)
        # a name that is also at the top level is documented there once (a class
        # documented twice is a duplicate object description); here it is a link
        short = [n for n in exported if n in top and getattr(surveykit, n) is getattr(package, n)]
        if short:
            links = ", ".join(f":obj:`sk.{n} <surveykit.{n}>`" for n in short)
            lines += [f"Also available at the top level: {links}.", ""]
        rest = [n for n in exported if n not in short]
        if rest:
            lines += [f".. currentmodule:: surveykit.{sub}", ""]
            lines += _autosummary(rest)
        return "\n".join(lines)
    modules = _module_names(package)
    if not modules:
        lines += ["Nothing lives here yet.", ""]
        return "\n".join(lines)
    for name in modules:
        module = importlib.import_module(name)
        public = [n for n in _public_names(module) if _defined_here(module, n)]
        if not public:
            continue
        lines += _title(name, "-")
        summary = (module.__doc__ or "").strip().split("\n\n", 1)[0]
        if summary:
            lines += [" ".join(summary.split()), ""]
        short = [n for n in public if n in top]
        rest = [n for n in public if n not in top]
        if short:
            links = ", ".join(f":obj:`sk.{n} <surveykit.{n}>`" for n in short)
            lines += [f"Also available at the top level: {links}.", ""]
        objects = [n for n in rest if callable(getattr(module, n))]
        constants = [n for n in rest if n not in objects]
        if objects or constants:
            lines += [f".. currentmodule:: {name}", ""]
        if objects:
            lines += _autosummary(objects)
        for constant in constants:
            lines += _constant(module, constant)
    return "\n".join(lines)


def _constant(module, name: str) -> list[str]:
    """A module constant: its value, and the ``#:`` comment above it where there is one."""
    from sphinx.pycode import ModuleAnalyzer

    try:
        comments = ModuleAnalyzer.for_module(module.__name__).find_attr_docs()
    except Exception:  # a module without source: the value alone
        comments = {}
    value = " ".join(repr(getattr(module, name)).split())
    if len(value) > 300:
        value = value[:297] + "..."
    lines = [f".. py:data:: {name}", f"   :value: {value}", ""]
    doc = comments.get(("", name), [])
    lines += [f"   {line}" if line else "" for line in doc]
    return [*lines, ""]


def _results_page() -> str:
    module = importlib.import_module("surveykit._core.results")
    lines = [
        ".. This page is generated by docs/conf.py from surveykit._core.results; do not edit.",
        "",
        *_title("Result objects"),
        ".. automodule:: surveykit._core.results",
        "   :no-members:",
        "",
        ".. currentmodule:: surveykit._core.results",
        "",
    ]
    names = _public_names(module)
    # the classes with their (inherited) members; the type aliases (Values, Flags) as data
    classes = [n for n in names if isinstance(getattr(module, n), type)]
    aliases = [n for n in names if n not in classes]
    lines += _autosummary(classes, template="autosummary/result_class.rst")
    if aliases:
        lines += _title("Types of the fields", "-")
        lines += _autosummary(aliases)
    return "\n".join(lines)


def _exceptions_page() -> str:
    module = importlib.import_module("surveykit.exceptions")
    rest = [n for n in _public_names(module) if n not in surveykit.__all__]
    lines = [
        ".. This page is generated by docs/conf.py from surveykit.exceptions; do not edit.",
        "",
        *_title("surveykit.exceptions: errors and warnings"),
        ".. automodule:: surveykit.exceptions",
        "   :no-members:",
        "",
        "``SurveyKitError`` and ``SurveyKitWarning`` are also at the top level",
        "(:obj:`surveykit.SurveyKitError`, :obj:`surveykit.SurveyKitWarning`).",
        "",
    ]
    if rest:
        lines += [".. currentmodule:: surveykit.exceptions", "", *_autosummary(rest)]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """Write only when the text changed, so that Sphinx rebuilds only what changed."""
    text = text.rstrip() + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def generate_api_pages() -> list[str]:
    """Write docs/api/reference/*.rst from the package; return the page names in order."""
    API_DIR.mkdir(parents=True, exist_ok=True)
    pages = {"surveykit": _top_level_page()}
    found = [
        m.name
        for m in pkgutil.iter_modules(surveykit.__path__)
        if m.ispkg and not m.name.startswith("_")
    ]
    for sub in [*SECTIONS, *sorted(set(found) - set(SECTIONS))]:
        if sub in found:
            pages[sub] = _subpackage_page(sub, SECTIONS.get(sub, sub))
    pages["results"] = _results_page()
    pages["exceptions"] = _exceptions_page()
    # autosummary writes one stub per name into generated/; start afresh so that the stub
    # of a renamed or removed name does not linger as a duplicate or orphan page
    shutil.rmtree(API_DIR / "generated", ignore_errors=True)
    for stale in API_DIR.glob("*.rst"):
        if stale.stem not in pages:
            stale.unlink()
    for name, text in pages.items():
        _write(API_DIR / f"{name}.rst", text)
    # the toctree of docs/api/index.md, included from there (.inc is not a source file)
    toctree = [".. toctree::", "   :maxdepth: 1", "", *(f"   reference/{n}" for n in pages)]
    _write(API_DIR / "toctree.inc", "\n".join(toctree))
    return list(pages)


def copy_notebooks() -> None:
    """Copy examples/*.ipynb beside the docs (Sphinx reads sources only under docs/)."""
    NOTEBOOK_DIR.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in EXAMPLES.glob("*.ipynb")}
    for stale in NOTEBOOK_DIR.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for name in sorted(wanted):
        source, target = EXAMPLES / name, NOTEBOOK_DIR / name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)


API_PAGES = generate_api_pages()
copy_notebooks()
