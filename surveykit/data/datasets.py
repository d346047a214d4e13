"""The datasets shipped with surveykit.

Each dataset is a CSV in the tidy poll schema plus a Markdown datasheet (what it is,
sources with URLs, which sample sizes are published, caveats). In the repository they
live in the top-level ``datasets/`` folder; an installed surveykit carries a copy
inside the package and reads only that.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from surveykit._core.validation import check_option
from surveykit.data.polls import read_polls
from surveykit.exceptions import SurveyKitError

__all__ = [
    "DEFAULT_DATASET",
    "MICRODATA_EXAMPLES",
    "dataset_names",
    "dataset_path",
    "datasheet",
    "list_datasets",
    "load_dataset",
    "microdata_path",
]

#: the dataset that ``surveykit report`` analyses when given none
DEFAULT_DATASET = "kremlin_fso_2022"


def _data_dir() -> Path:
    """The installed package's copy; in a never-installed checkout, the source folder."""
    packaged = Path(str(resources.files("surveykit"))) / "_datasets"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if checkout.is_dir():
        return checkout
    raise SurveyKitError(  # pragma: no cover - only for a broken installation
        "surveykit's datasets are missing from this installation; reinstall with pip install ."
    )


def dataset_names() -> list[str]:
    return sorted(p.stem for p in _data_dir().glob("*.csv"))


def dataset_path(name: str) -> Path:
    """Path of the CSV file of dataset ``name``."""
    check_option("name", name, dataset_names())
    return _data_dir() / f"{name}.csv"


#: the example survey microdata shipped beside the poll datasets
MICRODATA_EXAMPLES = ("apiclus1", "apistrat")


def microdata_path(name: str) -> Path:
    """Path of an example microdata file (R survey's California API samples).

    Parameters
    ----------
    name : {'apistrat', 'apiclus1'}
        The stratified sample of 200 schools, or the one-stage cluster sample of 15
        districts (see ``datasets/microdata/README.md`` for their designs and source).

    Returns
    -------
    Path
        The CSV file, readable with :func:`surveykit.read_microdata`.

    Raises
    ------
    SurveyKitError
        For an unknown name.

    See Also
    --------
    surveykit.read_microdata : reads it.
    surveykit.SurveyDesign : the design object to build from it.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley
       (the ``api`` data, section 2.2).

    Examples
    --------
    >>> from surveykit.data.datasets import microdata_path
    >>> microdata_path("apistrat").name
    'apistrat.csv'
    """
    check_option("name", name, MICRODATA_EXAMPLES)
    return _data_dir() / "microdata" / f"{name}.csv"


def datasheet(name: str) -> str:
    """The Markdown datasheet of dataset ``name``: sources, sample sizes, caveats."""
    check_option("name", name, dataset_names())
    return (_data_dir() / f"{name}.md").read_text(encoding="utf-8")


def _description(name: str) -> str:
    """The datasheet's title line, after the dataset name."""
    first = datasheet(name).splitlines()[0].lstrip("# ").strip()
    return first.split(" — ", 1)[1] if " — " in first else first


def list_datasets() -> pd.DataFrame:
    """The shipped datasets, one row each, with a one-line description.

    Returns
    -------
    DataFrame
        Columns ``name``, ``description`` and ``rows`` (number of figures).

    Raises
    ------
    SurveyKitError
        If the datasets are missing from the installation (reinstall the package), or a
        shipped file no longer passes the checks of :func:`~surveykit.data.polls.read_polls`.

    See Also
    --------
    load_dataset : one dataset as a validated frame.
    surveykit.data.datasets.datasheet : a dataset's sources, sample sizes and caveats.

    References
    ----------
    .. [1] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92.

    Examples
    --------
    >>> import surveykit as sk
    >>> "kremlin_fso_2022" in set(sk.list_datasets()["name"])
    True
    """
    names = dataset_names()
    rows = [(name, _description(name), len(load_dataset(name))) for name in names]
    return pd.DataFrame(rows, columns=["name", "description", "rows"])


def load_dataset(name: str = DEFAULT_DATASET) -> pd.DataFrame:
    """Load a shipped dataset as a validated tidy frame (see :func:`read_polls`).

    The frame's ``attrs`` carry ``dataset`` (the name) and ``datasheet`` (its text).

    Parameters
    ----------
    name : str, default 'kremlin_fso_2022'
        One of the names in :func:`list_datasets`.

    Returns
    -------
    DataFrame
        The figures in the schema of :func:`~surveykit.data.polls.read_polls`, with
        ``attrs['dataset']`` and ``attrs['datasheet']``.

    Raises
    ------
    SurveyKitError
        If ``name`` is not one of the shipped datasets (the message lists them), or the
        datasets are missing from the installation.

    See Also
    --------
    list_datasets : the names and a one-line description of each.
    surveykit.data.polls.read_polls : read your own file of polls into the same schema.
    surveykit.reanalysis.analysis.reanalyse : everything at once on a dataset.

    References
    ----------
    .. [1] Gebru, T., Morgenstern, J., Vecchione, B., Vaughan, J. W., Wallach, H.,
       Daumé III, H. and Crawford, K. (2021). Datasheets for datasets. Communications
       of the ACM 64(12), 86-92.

    Examples
    --------
    The leaked FSO figures, with no published sample size:

    >>> import surveykit as sk
    >>> fso = sk.load_dataset("kremlin_fso_2022")
    >>> fso[["poll_id", "option", "proportion", "n_status"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['fso-2022-07', 'start peace talks', 0.32, 'unknown'],
     ['fso-2022-11', 'start peace talks', 0.55, 'unknown'],
     ['fso-2022-11', 'continue military action', 0.25, 'unknown']]
    """
    path = dataset_path(name)
    frame = read_polls(path)
    frame.attrs["dataset"] = name
    frame.attrs["datasheet"] = datasheet(name)
    return frame
