"""Reading survey microdata: CSV, Parquet, Stata and SPSS files, with a design sidecar.

:func:`read_microdata` returns one row per respondent, with value labels (Stata, SPSS)
turned into pandas categories. :func:`read_design_sidecar` reads the small JSON file that
names the design columns, so that :meth:`surveykit.design.SurveyDesign.from_file` can
build the design in one call.

The sidecar lies beside the data, named like it with ``.design.json`` in place of the
extension (``survey.sav`` -> ``survey.design.json``), and holds the keyword arguments of
``SurveyDesign``::

    {"psu": ["district", "school"], "strata": "region", "weights": "weight",
     "fpc": ["n_districts", "n_schools"], "nest": false, "lonely_psu": "adjust"}

Every key is optional; unknown keys are refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from surveykit._core.validation import (
    check_microdata_format,
    check_microdata_path,
    check_sidecar,
    fail_microdata_reader,
    fail_sidecar_json,
    fail_unreadable_microdata,
)
from surveykit.exceptions import SurveyKitError

__all__ = ["MICRODATA_FORMATS", "SIDECAR_KEYS", "read_design_sidecar", "read_microdata"]

#: file extensions read by :func:`read_microdata`, and their format
MICRODATA_FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".dta": "stata",
    ".sav": "spss",
    ".zsav": "spss",
}
#: keys a design sidecar may hold (the keyword arguments of SurveyDesign)
SIDECAR_KEYS = ("psu", "strata", "weights", "fpc", "nest", "lonely_psu")


def _read_spss(path: Path) -> pd.DataFrame:
    try:
        import pyreadstat
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise fail_microdata_reader("spss", exc) from exc
    frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
    for column, labels in meta.variable_value_labels.items():
        if not labels:
            continue
        values = frame[column]
        categories = [labels[k] for k in sorted(labels)]
        unlabelled = sorted(set(values.dropna().unique()) - set(labels))
        mapped = values.map(lambda v, lab=labels: lab.get(v, v) if pd.notna(v) else v)
        frame[column] = pd.Categorical(
            mapped, categories=list(dict.fromkeys(categories + unlabelled))
        )
    return frame


def read_microdata(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a file of survey microdata: one row per respondent.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.parquet`` (needs pyarrow), ``.dta`` (Stata) or ``.sav``/``.zsav``
        (SPSS, needs pyreadstat) file.

    Returns
    -------
    DataFrame
        The data; in Stata and SPSS files, variables with value labels become pandas
        categories in the order of their codes (codes without a label are kept as
        further categories), and SPSS user-missing values become missing.

    Raises
    ------
    SurveyKitError
        If there is no such file, the extension is not one of the formats above, or the
        file cannot be read.

    See Also
    --------
    read_design_sidecar : the design columns named beside the data.
    surveykit.design.SurveyDesign.from_file : data and design in one call.

    Notes
    -----
    Readers: :func:`pandas.read_csv`, :func:`pandas.read_parquet`,
    :func:`pandas.read_stata` (``convert_categoricals=True``) and
    ``pyreadstat.read_sav`` [1]_.

    References
    ----------
    .. [1] pyreadstat: read and write SAS, SPSS and Stata files into pandas data frames.
       https://github.com/Roche/pyreadstat

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from surveykit.data.microdata import read_microdata
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"psu": [1, 2], "vote": ["A", "B"]}).to_csv(folder / "s.csv", index=False)
    >>> read_microdata(folder / "s.csv").shape
    (2, 2)
    """
    found = check_microdata_path(path)
    kind = check_microdata_format(path, found, MICRODATA_FORMATS)
    try:
        if kind == "csv":
            return pd.read_csv(found)
        if kind == "parquet":
            return pd.read_parquet(found)
        if kind == "stata":
            return pd.read_stata(found, convert_categoricals=True)
        return _read_spss(found)
    except SurveyKitError:
        raise
    except ImportError as exc:
        raise fail_microdata_reader(kind, exc) from exc
    except Exception as exc:  # the readers raise many types for malformed files
        raise fail_unreadable_microdata(path, kind, exc) from exc


def read_design_sidecar(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The design named in the JSON sidecar of a microdata file, or None if there is none.

    Parameters
    ----------
    path : str or path-like
        The microdata file (``survey.sav``) or the sidecar itself (``survey.design.json``).

    Returns
    -------
    dict or None
        The keyword arguments of :class:`surveykit.design.SurveyDesign` (a subset of
        :data:`SIDECAR_KEYS`).

    Raises
    ------
    SurveyKitError
        If the sidecar is not valid JSON, not an object, or holds unknown keys.

    See Also
    --------
    read_microdata

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> from surveykit.data.microdata import read_design_sidecar
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.design.json").write_text(json.dumps({"psu": "district"}))
    >>> read_design_sidecar(folder / "s.csv")
    {'psu': 'district'}
    """
    given = Path(path)
    sidecar = given if given.name.endswith(".design.json") else given.with_suffix(".design.json")
    if not sidecar.is_file():
        return None
    try:
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail_sidecar_json(sidecar, exc) from exc
    return check_sidecar(spec, sidecar, SIDECAR_KEYS)
