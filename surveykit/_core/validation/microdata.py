"""Checks of microdata files and of the design sidecar beside them.

The readers are :func:`surveykit.data.microdata.read_microdata` and
:func:`surveykit.data.microdata.read_design_sidecar`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from surveykit._core.validation.common import check_file
from surveykit.exceptions import SurveyKitError

__all__ = [
    "check_microdata_format",
    "check_microdata_path",
    "check_sidecar",
    "fail_microdata_reader",
    "fail_sidecar_json",
    "fail_unreadable_microdata",
]


def check_microdata_path(path: Any) -> Path:
    """A path (a string or a path-like object) naming an existing file."""
    if not isinstance(path, str | os.PathLike):
        raise SurveyKitError(f"path must be a file path, got {type(path).__name__}")
    return check_file("path", path)


def check_microdata_format(path: Any, found: Path, formats: Mapping[str, str]) -> str:
    """The format of a microdata file, from its extension (one of ``formats``)."""
    kind = formats.get(found.suffix.lower())
    if kind is None:
        raise SurveyKitError(
            f"path {str(path)!r} has extension {found.suffix!r}; microdata files must be one "
            f"of {', '.join(formats)} (convert other formats with pandas first)"
        )
    return kind


def fail_microdata_reader(kind: str, exc: ImportError) -> SurveyKitError:
    """The optional package that reads this format is not installed."""
    if kind == "spss":
        return SurveyKitError("reading SPSS files needs pyreadstat: pip install pyreadstat")
    return SurveyKitError(
        f"reading {kind} files needs an optional package: {exc}; for Parquet pip install pyarrow"
    )


def fail_unreadable_microdata(path: Any, kind: str, exc: Exception) -> SurveyKitError:
    """A file that its reader could not read."""
    return SurveyKitError(f"path {str(path)!r} could not be read as {kind}: {exc}")


def fail_sidecar_json(sidecar: Path, exc: Exception) -> SurveyKitError:
    """A design sidecar that is not JSON."""
    return SurveyKitError(f"design sidecar {str(sidecar)!r} is not valid JSON: {exc}")


def check_sidecar(spec: Any, sidecar: Path, keys: Sequence[str]) -> dict[str, Any]:
    """A design sidecar holds a JSON object whose keys are among ``keys``."""
    if not isinstance(spec, dict):
        raise SurveyKitError(
            f"design sidecar {str(sidecar)!r} must hold a JSON object such as "
            '{"psu": "district", "weights": "weight"}, got ' + type(spec).__name__
        )
    unknown = [key for key in spec if key not in keys]
    if unknown:
        raise SurveyKitError(
            f"design sidecar {str(sidecar)!r} has unknown key {unknown[0]!r}; the keys are "
            f"{', '.join(keys)}"
        )
    return spec
