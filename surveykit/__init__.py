"""surveykit: reanalyse published survey and poll figures.

Honest confidence intervals, tests of changes and differences under assumed sample
sizes, and how every verdict depends on what was never published.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .compare import two_proportion_test
from .critical import critical_n
from .datasets import list_datasets, load_dataset
from .difference import difference_ci
from .exceptions import SmallSampleWarning, SurveyKitError, SurveyKitWarning
from .polls import read_polls
from .proportion import proportion_ci
from .reanalysis import Reanalysis, reanalyse
from .within import option_difference_ci, option_difference_test

try:
    __version__ = version("surveykit")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Reanalysis",
    "SmallSampleWarning",
    "SurveyKitError",
    "SurveyKitWarning",
    "__version__",
    "critical_n",
    "difference_ci",
    "list_datasets",
    "load_dataset",
    "option_difference_ci",
    "option_difference_test",
    "proportion_ci",
    "read_polls",
    "reanalyse",
    "two_proportion_test",
]
