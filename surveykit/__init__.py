"""surveykit: reanalyse published survey and poll figures.

Honest confidence intervals, tests of changes and differences under assumed sample
sizes, and how every verdict depends on what was never published.

The package is built in layers; imports run downwards only:

- :mod:`surveykit._core`: validation and its messages, result base classes, number
  formatting, shared numerics (imports nothing else from surveykit);
- :mod:`surveykit.data`: the poll schema and the shipped datasets;
- :mod:`surveykit.inference`: one proportion, differences, ratios, multinomial shares,
  leads within a poll, two-sample and exact tests, panels, Bayesian change;
- :mod:`surveykit.unknowns`: critical n and design effect, sensitivity, rounding,
  granularity, margins of error, robustness;
- :mod:`surveykit.planning`: power, sample size, coverage, simulation;
- :mod:`surveykit.design` (survey microdata) and :mod:`surveykit.series` (poll series);
- :mod:`surveykit.reanalysis`: everything at once on a file of polls;
- presentation on top: :mod:`surveykit.plotting`, :mod:`surveykit.report`,
  :mod:`surveykit.cli`.

``import surveykit`` loads numpy and pandas only; every name below is imported on first
use (as scipy does), so ``import surveykit as sk; sk.plotting.plot_intervals`` works
without importing the subpackage yourself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from surveykit._core.version import __version__
from surveykit.exceptions import SurveyKitError, SurveyKitWarning

#: public name -> the module that defines it
_LOCATIONS = {
    "adjust_pvalues": "surveykit.inference.multiple",
    "change_test": "surveykit.inference.panel",
    "check_poll": "surveykit.series.check",
    "ci_from_se": "surveykit.design.proportion_ci",
    "compare_change": "surveykit.series.check",
    "consistent_n": "surveykit.unknowns.granularity",
    "correlation_bounds": "surveykit.inference.panel",
    "coverage": "surveykit.planning.coverage",
    "critical_deff": "surveykit.unknowns.critical",
    "critical_n": "surveykit.unknowns.critical",
    "difference_ci": "surveykit.inference.difference",
    "difference_coverage": "surveykit.planning.coverage",
    "difference_interval_performance": "surveykit.planning.coverage",
    "equivalence_test": "surveykit.inference.equivalence",
    "implied_deff": "surveykit.unknowns.margins",
    "interval_performance": "surveykit.planning.coverage",
    "list_datasets": "surveykit.data.datasets",
    "load_dataset": "surveykit.data.datasets",
    "mcnemar_test": "surveykit.inference.panel",
    "minimum_detectable_difference": "surveykit.planning.sample_size",
    "multinomial_ci": "surveykit.inference.multinomial",
    "n_from_moe": "surveykit.unknowns.margins",
    "option_difference_ci": "surveykit.inference.within_poll",
    "option_difference_test": "surveykit.inference.within_poll",
    "poll_trend": "surveykit.series.trend",
    "poll_trends": "surveykit.series.trend",
    "posterior_change": "surveykit.inference.bayes",
    "power_curve": "surveykit.planning.power",
    "power_two_proportions": "surveykit.planning.power",
    "proportion_ci": "surveykit.inference.proportion",
    "ratio_ci": "surveykit.inference.ratio",
    "read_microdata": "surveykit.data.microdata",
    "read_polls": "surveykit.data.polls",
    "reanalyse": "surveykit.reanalysis.analysis",
    "Reanalysis": "surveykit.reanalysis.analysis",
    "robustness": "surveykit.unknowns.robustness",
    "rounding_bounds": "surveykit.unknowns.rounding",
    "rounding_interval": "surveykit.unknowns.rounding",
    "sample_size_proportion": "surveykit.planning.sample_size",
    "sample_size_two_proportions": "surveykit.planning.sample_size",
    "sensitivity": "surveykit.unknowns.sensitivity",
    "simulate_polls": "surveykit.planning.simulate",
    "SurveyDesign": "surveykit.design.survey_design",
    "two_proportion_test": "surveykit.inference.two_sample_tests",
}

#: subpackages loaded on attribute access
_SUBPACKAGES = (
    "cli",
    "data",
    "design",
    "exceptions",
    "inference",
    "planning",
    "plotting",
    "reanalysis",
    "report",
    "series",
    "unknowns",
)

__all__ = [
    "Reanalysis",
    "SurveyDesign",
    "SurveyKitError",
    "SurveyKitWarning",
    "__version__",
    "adjust_pvalues",
    "change_test",
    "check_poll",
    "ci_from_se",
    "compare_change",
    "consistent_n",
    "correlation_bounds",
    "coverage",
    "critical_deff",
    "critical_n",
    "difference_ci",
    "difference_coverage",
    "difference_interval_performance",
    "equivalence_test",
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
    "poll_trend",
    "poll_trends",
    "posterior_change",
    "power_curve",
    "power_two_proportions",
    "proportion_ci",
    "ratio_ci",
    "read_microdata",
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

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from surveykit.data.datasets import list_datasets, load_dataset
    from surveykit.data.microdata import read_microdata
    from surveykit.data.polls import read_polls
    from surveykit.design.proportion_ci import ci_from_se
    from surveykit.design.survey_design import SurveyDesign
    from surveykit.inference.bayes import posterior_change
    from surveykit.inference.difference import difference_ci
    from surveykit.inference.equivalence import equivalence_test
    from surveykit.inference.multinomial import multinomial_ci
    from surveykit.inference.multiple import adjust_pvalues
    from surveykit.inference.panel import change_test, correlation_bounds, mcnemar_test
    from surveykit.inference.proportion import proportion_ci
    from surveykit.inference.ratio import ratio_ci
    from surveykit.inference.two_sample_tests import two_proportion_test
    from surveykit.inference.within_poll import option_difference_ci, option_difference_test
    from surveykit.planning.coverage import (
        coverage,
        difference_coverage,
        difference_interval_performance,
        interval_performance,
    )
    from surveykit.planning.power import power_curve, power_two_proportions
    from surveykit.planning.sample_size import (
        minimum_detectable_difference,
        sample_size_proportion,
        sample_size_two_proportions,
    )
    from surveykit.planning.simulate import simulate_polls
    from surveykit.reanalysis.analysis import Reanalysis, reanalyse
    from surveykit.series.check import check_poll, compare_change
    from surveykit.series.trend import poll_trend, poll_trends
    from surveykit.unknowns.critical import critical_deff, critical_n
    from surveykit.unknowns.granularity import consistent_n
    from surveykit.unknowns.margins import implied_deff, n_from_moe
    from surveykit.unknowns.robustness import robustness
    from surveykit.unknowns.rounding import rounding_bounds, rounding_interval
    from surveykit.unknowns.sensitivity import sensitivity


def __getattr__(name: str) -> Any:
    """Import a public function or a subpackage on first use."""
    if name in _LOCATIONS:
        value = getattr(importlib.import_module(_LOCATIONS[name]), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"surveykit.{name}")
    else:
        raise AttributeError(f"module 'surveykit' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES})
