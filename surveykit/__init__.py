"""surveykit: reanalyse published survey and poll figures.

Honest confidence intervals, tests of changes and differences under assumed sample
sizes, and how every verdict depends on what was never published.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .bayes import posterior_change
from .compare import two_proportion_test
from .coverage import (
    coverage,
    difference_coverage,
    difference_interval_performance,
    interval_performance,
)
from .critical import critical_deff, critical_n
from .datasets import list_datasets, load_dataset
from .difference import difference_ci
from .exceptions import SmallSampleWarning, SurveyKitError, SurveyKitWarning
from .granularity import consistent_n
from .moe import implied_deff, n_from_moe
from .multinomial import multinomial_ci
from .panel import change_test, correlation_bounds, mcnemar_test
from .polls import read_polls
from .power import (
    minimum_detectable_difference,
    power_curve,
    power_two_proportions,
    sample_size_proportion,
    sample_size_two_proportions,
)
from .proportion import proportion_ci
from .ratio import ratio_ci
from .reanalysis import Reanalysis, reanalyse
from .robustness import robustness
from .rounding import rounding_bounds, rounding_interval
from .sensitivity import sensitivity
from .simulate import simulate_polls
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
    "change_test",
    "consistent_n",
    "correlation_bounds",
    "coverage",
    "critical_deff",
    "critical_n",
    "difference_ci",
    "difference_coverage",
    "difference_interval_performance",
    "implied_deff",
    "interval_performance",
    "list_datasets",
    "load_dataset",
    "mcnemar_test",
    "minimum_detectable_difference",
    "multinomial_ci",
    "n_from_moe",
    "option_difference_ci",
    "option_difference_test",
    "posterior_change",
    "power_curve",
    "power_two_proportions",
    "proportion_ci",
    "ratio_ci",
    "read_polls",
    "reanalyse",
    "robustness",
    "rounding_bounds",
    "rounding_interval",
    "sample_size_proportion",
    "sample_size_two_proportions",
    "sensitivity",
    "simulate_polls",
    "two_proportion_test",
]
