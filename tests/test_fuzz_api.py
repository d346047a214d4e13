"""Fuzzing the public API with malformed, extreme and random input.

The house rules under test (see STYLE.md): bad input raises ``SurveyKitError`` naming the
parameter; nothing is silently clipped, rounded or dropped; NaN in gives NaN out for that
element only; scalar in gives scalar out, an array an array, and a Series keeps its index.
Valid extreme input (count 0, count n, n = 1, n = 1e9, levels 1e-6 and 1 - 1e-9) gives
finite, in-range answers without warnings from the asymptotic methods.

Cases the library still gets wrong are marked ``xfail`` (not strict) with a one-line
reason, so that the suite stays green while the bug report names them; they turn into
passes as the library is fixed.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import signal
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

import surveykit
from surveykit import SurveyKitError, SurveyKitWarning
from surveykit.inference.bayes import posterior_change
from surveykit.inference.difference import DIFFERENCE_CI_METHODS
from surveykit.inference.multinomial import MULTINOMIAL_CI_METHODS, multinomial_ci
from surveykit.inference.proportion import PROPORTION_CI_METHODS
from surveykit.inference.ratio import RATIO_CI_METHODS, ratio_ci
from surveykit.inference.two_sample_tests import TWO_PROPORTION_TEST_METHODS
from surveykit.inference.within_poll import OPTION_DIFFERENCE_METHODS
from surveykit.unknowns.critical import critical_deff
from surveykit.unknowns.granularity import consistent_n
from surveykit.unknowns.margins import implied_deff, n_from_moe
from surveykit.unknowns.robustness import robustness
from surveykit.unknowns.rounding import rounding_bounds
from surveykit.unknowns.sensitivity import sensitivity

try:  # still being written by another engineer: test it when it is there
    from surveykit.inference.panel import change_test
except ImportError:  # pragma: no cover
    change_test = None

TIME_LIMIT = 10.0  # seconds for one call; far above any legitimate call below


class Hang(Exception):
    """A call ran past TIME_LIMIT."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def _raise(signum: int, frame: Any) -> None:
        raise Hang(f"call still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _strict_warnings() -> Iterator[None]:
    """RuntimeWarnings (overflow, 0/0, ...) and surveykit's own warnings become errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.filterwarnings("error", category=SurveyKitWarning)
        # numpy 2.4 deprecates np.testing.suppress_warnings, used by rounding.py: reported
        # separately, not what these tests are about.
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield


def _call(func: Callable[..., Any], kwargs: dict[str, Any]) -> tuple[str, Any]:
    """Run ``func(**kwargs)``: ('ok', result) or ('error', SurveyKitError).

    Any other exception (TypeError, RuntimeWarning turned error, a hang) propagates and
    fails the test with its own traceback.
    """
    with _time_limit(TIME_LIMIT), _strict_warnings():
        try:
            result = func(**kwargs)
        except SurveyKitError as exc:
            return "error", exc
        _check_usable(result)
    return "ok", result


def _check_usable(result: Any) -> None:
    """A returned result can be shown: to_frame(), repr() and str() work."""
    if hasattr(result, "to_frame"):
        frame = result.to_frame()
        assert isinstance(frame, pd.DataFrame)
        repr(result)
        str(result)


# --------------------------------------------------------------------------- registry
# kind of each parameter -> what counts as malformed for it (see MUST_RAISE below)
PROP, PROP_OPT, PROPS = "prop", "prop_opt", "props"
N, N_OPT, POPULATION = "n", "n_opt", "population"
LEVEL, ALPHA, ALPHA_OPT, POWER = "level", "alpha", "alpha_opt", "power"
DEFF, DEFF_OPT, RATIO, MOE, MOE_OPT = "deff", "deff_opt", "ratio", "moe", "moe_opt"
DIFF, CORR = "diff", "corr"
SE, DF, PVALUES = "se", "df", "pvalues"
SECONDS = "seconds"
OPTION, OPTION_OPT, FLAG, INT, GRID_N, GRID_DEFF = (
    "option",
    "option_opt",
    "flag",
    "int",
    "grid_n",
    "grid_deff",
)


@dataclass(frozen=True)
class Spec:
    name: str
    func: Callable[..., Any]
    base: dict[str, Any]
    kinds: dict[str, str]
    vectorised: bool = True  # Series inputs are aligned element by element
    grid: tuple[str, ...] = ()  # parameters that are grids (an outer product), not elements


def _kremlin() -> pd.DataFrame:
    return surveykit.load_dataset("kremlin_fso_2022")


SPECS = [
    Spec(
        "proportion_ci",
        surveykit.proportion_ci,
        dict(proportion=0.55, n=1000),
        dict(
            proportion=PROP,
            n=N,
            method=OPTION,
            confidence_level=LEVEL,
            deff=DEFF,
            alternative=OPTION,
            round_counts=FLAG,
        ),
    ),
    Spec(
        "two_proportion_test",
        surveykit.two_proportion_test,
        dict(p1=0.55, n1=1000, p2=0.5, n2=1000),
        dict(
            p1=PROP,
            n1=N,
            p2=PROP,
            n2=N,
            method=OPTION,
            alternative=OPTION,
            null_difference=DIFF,
            deff=DEFF,
            round_counts=FLAG,
        ),
    ),
    Spec(
        "difference_ci",
        surveykit.difference_ci,
        dict(p1=0.55, n1=1000, p2=0.5, n2=1000),
        dict(p1=PROP, n1=N, p2=PROP, n2=N, method=OPTION, confidence_level=LEVEL, deff=DEFF),
    ),
    Spec(
        "option_difference_ci",
        surveykit.option_difference_ci,
        dict(p1=0.55, p2=0.3, n=1000),
        dict(p1=PROP, p2=PROP, n=N, method=OPTION, confidence_level=LEVEL, deff=DEFF),
    ),
    Spec(
        "option_difference_test",
        surveykit.option_difference_test,
        dict(p1=0.55, p2=0.3, n=1000),
        dict(p1=PROP, p2=PROP, n=N, method=OPTION, alternative=OPTION, deff=DEFF),
    ),
    Spec(
        "ratio_ci",
        ratio_ci,
        dict(p1=0.55, n1=1000, p2=0.5, n2=1000),
        dict(
            p1=PROP,
            n1=N,
            p2=PROP,
            n2=N,
            measure=OPTION,
            method=OPTION,
            confidence_level=LEVEL,
            deff=DEFF,
        ),
    ),
    Spec(
        "coverage",
        surveykit.coverage,
        dict(proportion=0.3, n=20, method="wilson"),
        dict(proportion=PROP, n=N, method=OPTION, confidence_level=LEVEL),
    ),
    Spec(
        "difference_coverage",
        surveykit.difference_coverage,
        dict(p1=0.3, n1=15, p2=0.4, n2=15, method="newcombe"),
        dict(p1=PROP, n1=N, p2=PROP, n2=N, method=OPTION, confidence_level=LEVEL),
    ),
    Spec(
        "interval_performance",
        surveykit.interval_performance,
        dict(n=10, method="wilson"),
        dict(n=N, method=OPTION, proportion=PROP_OPT, confidence_level=LEVEL),
        grid=("method", "n", "proportion", "confidence_level"),
    ),
    Spec(
        "difference_interval_performance",
        surveykit.difference_interval_performance,
        dict(n1=5, method="newcombe"),
        dict(n1=N, n2=N_OPT, method=OPTION, p1=PROP_OPT, p2=PROP_OPT, confidence_level=LEVEL),
        grid=("method", "p1", "p2"),
    ),
    Spec(
        "critical_n",
        surveykit.critical_n,
        dict(p1=0.45, p2=0.4),
        dict(
            p1=PROP,
            p2=PROP,
            alpha=ALPHA,
            method=OPTION_OPT,
            n_ratio=RATIO,
            deff=DEFF,
            alternative=OPTION,
            within=FLAG,
            n_max=N_OPT,
            max_seconds=SECONDS,
        ),
    ),
    Spec(
        "critical_deff",
        critical_deff,
        dict(p1=0.45, p2=0.4, n1=1000),
        dict(
            p1=PROP,
            p2=PROP,
            n1=N,
            n2=N_OPT,
            alpha=ALPHA,
            method=OPTION_OPT,
            alternative=OPTION,
            within=FLAG,
        ),
    ),
    Spec(
        "power_two_proportions",
        surveykit.power_two_proportions,
        dict(p1=0.5, p2=0.55, n1=1000),
        dict(
            p1=PROP,
            p2=PROP,
            n1=N,
            n2=N_OPT,
            alpha=ALPHA,
            alternative=OPTION,
            method=OPTION,
            deff=DEFF,
            test=OPTION_OPT,
        ),
    ),
    Spec(
        "power_curve",
        surveykit.power_curve,
        dict(p1=0.5, p2=0.55, n1=[100, 200]),
        dict(
            p1=PROP,
            p2=PROP,
            n1=N,
            n2=N_OPT,
            alpha=ALPHA,
            alternative=OPTION,
            method=OPTION,
            deff=DEFF,
            test=OPTION_OPT,
        ),
        grid=("p1", "p2", "n1", "n2", "alpha", "deff"),
    ),
    Spec(
        "minimum_detectable_difference",
        surveykit.minimum_detectable_difference,
        dict(p1=0.5, n1=1000),
        dict(
            p1=PROP,
            n1=N,
            n2=N_OPT,
            power=POWER,
            alpha=ALPHA,
            alternative=OPTION,
            method=OPTION,
            deff=DEFF,
            test=OPTION_OPT,
        ),
    ),
    Spec(
        "sample_size_proportion",
        surveykit.sample_size_proportion,
        dict(moe=0.03),
        dict(moe=MOE, proportion=PROP, confidence_level=LEVEL, deff=DEFF, population=POPULATION),
    ),
    Spec(
        "sample_size_two_proportions",
        surveykit.sample_size_two_proportions,
        dict(p1=0.5, p2=0.55),
        dict(
            p1=PROP,
            p2=PROP,
            power=POWER,
            alpha=ALPHA,
            n_ratio=RATIO,
            alternative=OPTION,
            method=OPTION,
            deff=DEFF,
        ),
    ),
    Spec(
        "simulate_polls",
        surveykit.simulate_polls,
        dict(proportion=0.5, n=100, size=5, seed=1),
        dict(proportion=PROP, n=N, size=INT, deff=DEFF),
    ),
    Spec(
        "n_from_moe",
        n_from_moe,
        dict(moe=0.03),
        dict(moe=MOE, proportion=PROP, confidence_level=LEVEL, deff=DEFF),
    ),
    Spec(
        "implied_deff",
        implied_deff,
        dict(moe=0.035, n=1000),
        dict(moe=MOE, n=N, proportion=PROP, confidence_level=LEVEL),
    ),
    Spec(
        "multinomial_ci",
        multinomial_ci,
        dict(proportions=[0.5, 0.3, 0.2], n=1000),
        dict(
            proportions=PROPS,
            n=N,
            method=OPTION,
            confidence_level=LEVEL,
            deff=DEFF,
            round_counts=FLAG,
        ),
        vectorised=False,
    ),
    Spec(
        "consistent_n",
        consistent_n,
        dict(proportions=[0.55, 0.32], n_range=(1, 500)),
        dict(proportions=PROPS, published_decimals=INT),
        vectorised=False,
    ),
    Spec(
        "rounding_bounds",
        rounding_bounds,
        dict(p1=0.45, p2=0.4, n1=1000),
        dict(
            p1=PROP,
            p2=PROP,
            n1=N_OPT,
            n2=N_OPT,
            published_decimals=INT,
            deff=DEFF,
            alpha=ALPHA,
            confidence_level=LEVEL,
            method=OPTION_OPT,
            ci_method=OPTION_OPT,
            within=FLAG,
            resolution=INT,
        ),
    ),
    Spec(
        "sensitivity",
        sensitivity,
        dict(p1=0.45, p2=0.4, n1=[100, 1000]),
        dict(
            p1=PROP,
            p2=PROP,
            n1=N,
            n2=N_OPT,
            deff=DEFF,
            confidence_level=LEVEL,
            method=OPTION_OPT,
            ci_method=OPTION_OPT,
            alternative=OPTION,
            within=FLAG,
            max_seconds=SECONDS,
        ),
        grid=("n1", "n2", "deff", "confidence_level"),
    ),
    Spec(
        "posterior_change",
        posterior_change,
        dict(p1=0.55, n1=1000, p2=0.5, n2=1000),
        dict(
            p1=PROP,
            n1=N,
            p2=PROP,
            n2=N,
            prior=OPTION,
            confidence_level=LEVEL,
        ),
        grid=("n1", "n2"),  # lists of sizes are a prior over n, not elements
    ),
    Spec(
        "robustness",
        robustness,
        dict(p1=0.55, p2=0.5, n=1000),
        dict(
            p1=PROP,
            p2=PROP,
            n=N_OPT,
            moe=MOE_OPT,
            deff=DEFF_OPT,
            published_decimals=INT,
            alpha=ALPHA,
            method=OPTION,
        ),
        vectorised=False,
    ),
    Spec(
        "reanalyse",
        surveykit.reanalyse,
        dict(polls=None, n=(400, 800), deff=(1.0,)),  # polls filled in by _kwargs
        dict(n=GRID_N, deff=GRID_DEFF, confidence_level=LEVEL, alpha=ALPHA_OPT),
        vectorised=False,
    ),
]
SPECS += [
    Spec(
        "equivalence_test",
        surveykit.equivalence_test,
        dict(p1=0.55, n1=1000, p2=0.53, n2=1000, margin=0.05),
        dict(
            p1=PROP,
            n1=N,
            p2=PROP,
            n2=N,
            margin=MOE,
            deff=DEFF,
            method=OPTION_OPT,
            within=FLAG,
            alpha=ALPHA,
        ),
    ),
    Spec(
        "ci_from_se",
        surveykit.ci_from_se,
        dict(proportion=0.5073, se=0.0192, df=921, n=922),
        dict(proportion=PROP, se=SE, df=DF, n=N_OPT, method=OPTION, confidence_level=LEVEL),
    ),
    Spec(
        "adjust_pvalues",
        surveykit.adjust_pvalues,
        dict(pvalues=[0.01, 0.04, 0.03]),
        dict(pvalues=PVALUES, method=OPTION),
        vectorised=False,  # each adjusted p-value depends on all of them
    ),
    Spec(
        "rounding_interval",
        surveykit.rounding_interval,
        dict(proportion=0.32),
        dict(proportion=PROP, published_decimals=INT),
    ),
    Spec(
        "correlation_bounds",
        surveykit.correlation_bounds,
        dict(p1=0.55, p2=0.32),
        dict(p1=PROP, p2=PROP),
    ),
    Spec(
        "mcnemar_test",
        surveykit.mcnemar_test,
        dict(gained=30, lost=10, n=400),
        dict(n=N_OPT, method=OPTION, alternative=OPTION),
    ),
]
if change_test is not None:
    SPECS.append(
        Spec(
            "change_test",
            change_test,
            dict(p1=0.55, n1=1000, p2=0.5, n2=1000),
            dict(
                p1=PROP,
                n1=N,
                p2=PROP,
                n2=N,
                overlap=PROP,
                correlation=CORR,
                confidence_level=LEVEL,
                alternative=OPTION,
                deff=DEFF,
            ),
        )
    )
SPEC = {s.name: s for s in SPECS}


def _kwargs(spec: Spec, **changes: Any) -> dict[str, Any]:
    kwargs = dict(spec.base)
    if spec.name == "reanalyse":
        kwargs["polls"] = _kremlin()
    kwargs.update(changes)
    return kwargs


def test_registry_covers_the_public_api():
    """Every public function of surveykit.__all__ is fuzzed here (classes and data aside)."""
    functions = {
        name
        for name in surveykit.__all__
        if callable(getattr(surveykit, name)) and not isinstance(getattr(surveykit, name), type)
    }
    not_fuzzed = {"list_datasets", "load_dataset", "read_polls"}  # tested on their own below
    # functions of poll frames and files: their malformed scalar parameters are checked in
    # tests/series/test_series_errors.py (test_malformed_values_are_refused_by_name and the
    # refusals above it) and tests/design/test_microdata.py (test_refusals)
    not_fuzzed |= {"poll_trend", "poll_trends", "check_poll", "compare_change"}
    not_fuzzed |= {"read_microdata"}
    assert functions - not_fuzzed <= set(SPEC), sorted(functions - not_fuzzed - set(SPEC))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_baseline_calls_work(spec):
    status, result = _call(spec.func, _kwargs(spec))
    assert status == "ok", result


# ---------------------------------------------------------------- malformed values
BAD_TYPE = {
    "percent_string": "55%",
    "number_string": "0.55",
    "true": True,
    "numpy_true": np.True_,
    "complex": 1 + 2j,
    "dict": {"a": 1},
    "object": object(),
}
MALFORMED = {
    **BAD_TYPE,
    "none": None,
    "negative": -5,
    "zero": 0,
    "nan": float("nan"),
    "inf": float("inf"),
    "minus_inf": float("-inf"),
    "huge": 1e300,
    "percent_55": 55,
    "fraction_10.5": 10.5,
    "empty_list": [],
    "2d_array": [[0.5, 0.4], [0.3, 0.2]],
}
_TYPES = set(BAD_TYPE)
_OUT_OF_UNIT = {"negative", "inf", "minus_inf", "huge", "percent_55", "fraction_10.5"}
_NOT_POSITIVE = {"negative", "zero", "inf", "minus_inf"}
# value labels that must raise, per kind of parameter; any other value may raise (naming
# the parameter) or give a usable result
MUST_RAISE = {
    PROP: _TYPES | _OUT_OF_UNIT | {"none"},
    PROP_OPT: _TYPES | _OUT_OF_UNIT,
    PROPS: _TYPES | _OUT_OF_UNIT | {"none", "empty_list"},
    N: _TYPES | _NOT_POSITIVE | {"none"},
    N_OPT: _TYPES | _NOT_POSITIVE,
    POPULATION: _TYPES | {"negative", "zero", "minus_inf"},
    LEVEL: _TYPES | _OUT_OF_UNIT | {"zero", "none"},
    ALPHA: _TYPES | _OUT_OF_UNIT | {"zero", "none"},
    ALPHA_OPT: _TYPES | _OUT_OF_UNIT | {"zero"},
    POWER: _TYPES | _OUT_OF_UNIT | {"zero", "none"},
    DEFF: _TYPES | _NOT_POSITIVE | {"none"},
    DEFF_OPT: _TYPES | _NOT_POSITIVE,
    RATIO: _TYPES | _NOT_POSITIVE | {"none"},
    MOE: _TYPES | _OUT_OF_UNIT | {"zero", "none"},
    MOE_OPT: _TYPES | _OUT_OF_UNIT | {"zero"},
    DIFF: _TYPES | _OUT_OF_UNIT - {"negative"} | {"none"},
    SE: _TYPES | {"negative", "minus_inf", "none"},
    DF: _TYPES | {"negative", "zero", "minus_inf", "none"},
    PVALUES: _TYPES | _OUT_OF_UNIT | {"none"},
    CORR: _TYPES | _OUT_OF_UNIT | {"none"},
    INT: set(MALFORMED) - {"zero", "percent_55"},
    GRID_N: _TYPES | _NOT_POSITIVE | {"none", "nan", "empty_list", "fraction_10.5"},
    GRID_DEFF: _TYPES | _NOT_POSITIVE | {"none", "nan", "empty_list"},
    OPTION: set(MALFORMED),
    OPTION_OPT: set(MALFORMED) - {"none"},
    FLAG: {"percent_string", "number_string", "complex", "dict", "object"},
    SECONDS: _TYPES | {"negative", "zero", "nan", "minus_inf", "none", "empty_list", "2d_array"},
}


# Known failures, reported to the module owners with reproductions (see the QA report of
# 2026-11-26). Each entry is "function.parameter:value-label"; the tests run and are
# expected to fail (not strictly: they pass once the library is fixed).
_KNOWN_BY_REASON: dict[str, tuple[str, ...]] = {
    "scalar-only parameter given a list: TypeError from float()": (
        "difference_interval_performance.n1:empty_list",
        "difference_interval_performance.n2:empty_list",
        "difference_interval_performance.confidence_level:empty_list",
        "difference_interval_performance.confidence_level:2d_array",
        "reanalyse.confidence_level:empty_list reanalyse.confidence_level:2d_array",
        "reanalyse.alpha:empty_list reanalyse.alpha:2d_array",
    ),
}
KNOWN: dict[tuple[str, str, str], str] = {
    (func, param, label): reason
    for reason, cases in _KNOWN_BY_REASON.items()
    for case in " ".join(cases).split()
    for func, rest in [case.split(".", 1)]
    for param, label in [rest.split(":")]
}


def _known(func: str, param: str, label: str) -> str | None:
    return KNOWN.get((func, param, label))


def _check_case(spec: Spec, param: str, label: str) -> str | None:
    """None if ``spec.func`` handles ``param=MALFORMED[label]`` by the rules; else why not."""
    try:
        status, result = _call(spec.func, _kwargs(spec, **{param: MALFORMED[label]}))
        _check_outcome(spec, param, label, status, result)
    except Exception as exc:  # AssertionError, TypeError, RuntimeWarning, Hang, ...
        return f"{spec.name}({param}={MALFORMED[label]!r}): {type(exc).__name__}: {exc}"
    return None


def _names(message: Any, param: str) -> bool:
    """Whether ``message`` names ``param`` as a word ('n' in 'n must be', not in 'n1')."""
    return re.search(rf"(?<![\w.]){re.escape(param)}(?!\w)", str(message)) is not None


def _check_outcome(spec: Spec, param: str, label: str, status: str, result: Any) -> None:
    kind = spec.kinds[param]
    if status == "error":
        assert _names(result, param), f"error does not name {param!r}: {result}"
    else:
        assert label not in MUST_RAISE[kind], f"accepted, returning {result!r}"


@pytest.mark.parametrize(
    ("spec", "param"),
    [(s, p) for s in SPECS for p in s.kinds],
    ids=[f"{s.name}-{p}" for s in SPECS for p in s.kinds],
)
def test_malformed_values_are_refused_by_name_or_handled(spec, param):
    """Each malformed value: a usable result, or SurveyKitError naming the parameter."""
    problems = [
        problem
        for label in MALFORMED
        if (spec.name, param, label) not in KNOWN
        and (problem := _check_case(spec, param, label)) is not None
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("reason", list(_KNOWN_BY_REASON))
@pytest.mark.xfail(reason="known failures, reported with reproductions", strict=False)
def test_known_failures(reason):
    """The cases listed in _KNOWN_BY_REASON: these pass once the library is fixed."""
    cases = [key for key, why in KNOWN.items() if why == reason]
    problems = [
        problem
        for func, param, label in cases
        if (problem := _check_case(SPEC[func], param, label)) is not None
    ]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------- percentages and near misses
_PROPORTION_PARAMS = [(s, p) for s in SPECS for p, k in s.kinds.items() if k in (PROP, PROPS)]
_LEVEL_PARAMS = [(s, p) for s in SPECS for p, k in s.kinds.items() if k == LEVEL]


@pytest.mark.parametrize(
    ("spec", "param"), _PROPORTION_PARAMS, ids=[f"{s.name}-{p}" for s, p in _PROPORTION_PARAMS]
)
def test_percentage_given_as_proportion_is_refused_with_the_fix(spec, param):
    value = [55, 30] if spec.kinds[param] == PROPS else 55
    status, error = _call(spec.func, _kwargs(spec, **{param: value}))
    assert status == "error", f"{spec.name}({param}=55) accepted: {error!r}"
    assert _names(error, param), error
    assert "0.55" in str(error), f"no hint to pass 0.55: {error}"


@pytest.mark.parametrize(
    ("spec", "param"), _LEVEL_PARAMS, ids=[f"{s.name}-{p}" for s, p in _LEVEL_PARAMS]
)
def test_level_given_as_percentage_is_refused_with_the_fix(spec, param):
    status, error = _call(spec.func, _kwargs(spec, **{param: 95}))
    assert status == "error", f"{spec.name}({param}=95) accepted: {error!r}"
    assert _names(error, param), error
    assert "0.95" in str(error), f"no hint to pass 0.95: {error}"


_DEFAULT_OPTION = {
    ("proportion_ci", "method"): "wilson",
    ("two_proportion_test", "method"): "z-pooled",
    ("difference_ci", "method"): "newcombe",
    ("option_difference_ci", "method"): "wald",
    ("option_difference_test", "method"): "wald",
    ("equivalence_test", "method"): "miettinen-nurminen",
    ("ratio_ci", "method"): "miettinen-nurminen",
    ("ratio_ci", "measure"): "risk-ratio",
    ("coverage", "method"): "clopper-pearson",
    ("difference_coverage", "method"): "newcombe",
    ("interval_performance", "method"): "agresti-coull",
    ("difference_interval_performance", "method"): "newcombe",
    ("critical_n", "method"): "z-pooled",
    ("critical_deff", "method"): "z-unpooled",
    ("power_two_proportions", "method"): "normal",
    ("power_curve", "method"): "arcsine",
    ("minimum_detectable_difference", "method"): "normal",
    ("sample_size_two_proportions", "method"): "arcsine",
    ("multinomial_ci", "method"): "sison-glaz",
    ("rounding_bounds", "method"): "z-pooled",
    ("rounding_bounds", "ci_method"): "newcombe",
    ("sensitivity", "method"): "z-pooled",
    ("sensitivity", "ci_method"): "newcombe",
    ("posterior_change", "prior"): "jeffreys",
    ("ci_from_se", "method"): "korn-graubard",
    ("adjust_pvalues", "method"): "holm",
    ("robustness", "method"): "z-pooled",
}
_ALTERNATIVE_PARAMS = [(s.name, p) for s in SPECS for p in s.kinds if p == "alternative"]
_OPTIONS = sorted({**_DEFAULT_OPTION, **dict.fromkeys(_ALTERNATIVE_PARAMS, "two-sided")}.items())


def _near_misses(word: str) -> list[str]:
    misses = {
        word.upper(),
        word.title(),
        word.replace("-", "_"),
        word.replace("-", " "),
        word.replace("-", ""),
        word[:-1],
        word[:3],
        f" {word}",
        f"{word} ",
        word + "s",
        "",
    }
    misses.discard(word)
    return sorted(misses)


@pytest.mark.parametrize(("key", "good"), _OPTIONS, ids=[f"{f}-{p}" for (f, p), _ in _OPTIONS])
def test_near_miss_option_names_are_refused(key, good):
    """No prefix matching, case folding or aliases: each near miss raises, naming the option."""
    spec, param = SPEC[key[0]], key[1]
    status, result = _call(spec.func, _kwargs(spec, **{param: good}))
    assert status == "ok", result
    for miss in _near_misses(good):
        status, error = _call(spec.func, _kwargs(spec, **{param: miss}))
        assert status == "error", f"{spec.name}({param}={miss!r}) accepted"
        assert _names(error, param), error
        assert repr(miss) in str(error), f"the bad value is not shown with !r: {error}"


def test_ci_method_option_of_sensitivity_names_ci_method():
    with pytest.raises(SurveyKitError, match="ci_method"):
        sensitivity(0.45, 0.4, n1=100, ci_method="newcomb")


# ------------------------------------------------------------ scalars, arrays, Series
# Elementwise functions: the parameters that carry elements and two valid values for each.
_ELEMENTS = {
    "proportion_ci": {"proportion": (0.55, 0.2), "n": (1000, 50)},
    "two_proportion_test": {"p1": (0.55, 0.2), "n1": (1000, 50), "p2": (0.5, 0.3)},
    "difference_ci": {"p1": (0.55, 0.2), "n1": (1000, 50), "p2": (0.5, 0.3)},
    "option_difference_ci": {"p1": (0.55, 0.2), "p2": (0.3, 0.1), "n": (1000, 50)},
    "option_difference_test": {"p1": (0.55, 0.2), "p2": (0.3, 0.1), "n": (1000, 50)},
    "ratio_ci": {"p1": (0.55, 0.2), "n1": (1000, 50), "p2": (0.5, 0.3)},
    "equivalence_test": {"p1": (0.55, 0.2), "n1": (1000, 50), "p2": (0.5, 0.3)},
    "coverage": {"n": (20, 30), "proportion": (0.3, 0.6)},
    "difference_coverage": {"n1": (15, 20), "p1": (0.3, 0.6)},
    "critical_n": {"p1": (0.45, 0.2), "p2": (0.4, 0.3)},
    "critical_deff": {"p1": (0.45, 0.2), "p2": (0.4, 0.3), "n1": (1000, 500)},
    "power_two_proportions": {"p1": (0.5, 0.2), "p2": (0.55, 0.3), "n1": (1000, 50)},
    "minimum_detectable_difference": {"p1": (0.5, 0.2), "n1": (1000, 50)},
    "sample_size_proportion": {"moe": (0.03, 0.05), "proportion": (0.5, 0.2)},
    "sample_size_two_proportions": {"p1": (0.5, 0.2), "p2": (0.55, 0.3)},
    "n_from_moe": {"moe": (0.03, 0.05), "proportion": (0.5, 0.2)},
    "implied_deff": {"moe": (0.035, 0.05), "n": (1000, 500)},
    "rounding_bounds": {"p1": (0.45, 0.2), "p2": (0.4, 0.3)},
    "posterior_change": {"p2": (0.5, 0.2), "p1": (0.55, 0.3)},
    "change_test": {"p2": (0.5, 0.2), "p1": (0.55, 0.3), "n2": (1000, 50)},
    "ci_from_se": {"proportion": (0.5073, 0.3), "se": (0.0192, 0.02), "n": (922, 500)},
}
_ELEMENTS = {k: v for k, v in _ELEMENTS.items() if k in SPEC}
_HEADLINE = (
    "estimate",
    "ci_low",
    "ci_high",
    "statistic",
    "pvalue",
    "prob_increase",
    "estimate_min",
    "estimate_max",
    "pvalue_max",
)


def _numbers(result: Any) -> dict[str, Any]:
    """The headline numbers of a result object, or the result itself for a plain number."""
    if hasattr(result, "to_frame"):
        return {f: getattr(result, f) for f in _HEADLINE if hasattr(result, f)}
    return {"value": result}


def _element(values: Any, i: int) -> float:
    return float(values.iloc[i] if isinstance(values, pd.Series) else np.asarray(values)[i])


@pytest.mark.parametrize("name", sorted(_ELEMENTS))
def test_scalar_array_and_series_agree(name):
    """Scalar in, float out (a sample size: int); list in, ndarray out; Series in, Series
    with its index out."""
    spec, params = SPEC[name], _ELEMENTS[name]
    firsts = {p: v[0] for p, v in params.items()}
    seconds = {p: v[1] for p, v in params.items()}
    scalar = [_numbers(_call(spec.func, _kwargs(spec, **x))[1]) for x in (firsts, seconds)]
    for fields in scalar:
        for field, value in fields.items():
            whole = name == "critical_n" and isinstance(value, int)  # a count of people
            assert isinstance(value, float) or whole, (
                f"{name}: scalar input gave {field}={value!r}"
            )
    as_lists = {p: list(v) for p, v in params.items()}
    status, result = _call(spec.func, _kwargs(spec, **as_lists))
    assert status == "ok", result
    for field, values in _numbers(result).items():
        assert isinstance(values, np.ndarray) and values.shape == (2,), (field, values)
        for i in range(2):
            np.testing.assert_allclose(values[i], scalar[i][field], rtol=1e-9, equal_nan=True)
    index = pd.Index(["poll a", "poll b"], name="poll")
    as_series = {p: pd.Series(v, index=index) for p, v in params.items()}
    status, result = _call(spec.func, _kwargs(spec, **as_series))
    assert status == "ok", result
    for field, values in _numbers(result).items():
        assert isinstance(values, pd.Series), (field, type(values))
        assert values.index.equals(index), (field, values.index)
        np.testing.assert_allclose(values.to_numpy(float), [s[field] for s in scalar], rtol=1e-9)
    if hasattr(result, "to_frame"):
        assert result.to_frame().index.equals(index)


@pytest.mark.parametrize("name", sorted(_ELEMENTS))
def test_nan_propagates_to_its_own_element_only(name):
    spec, params = SPEC[name], _ELEMENTS[name]
    for param in params:
        columns = {p: [v[0], v[1], v[0]] for p, v in params.items()}
        columns[param] = [columns[param][0], float("nan"), columns[param][2]]
        status, result = _call(spec.func, _kwargs(spec, **columns))
        assert status == "ok", f"{name}({param}=[.., nan, ..]): {result}"
        for field, values in _numbers(result).items():
            if field == "estimate" and spec.kinds[param] in (N, N_OPT, SE):
                continue  # the observed share or difference needs no n (nor a published SE)
            assert np.isnan(_element(values, 1)), f"{name}: NaN {param} gave {field} not NaN"
            assert not np.isnan(_element(values, 0)), f"{name}: NaN {param} leaked into {field}"
            assert not np.isnan(_element(values, 2)), f"{name}: NaN {param} leaked into {field}"


@pytest.mark.parametrize("name", sorted(_ELEMENTS))
def test_series_with_different_indexes_are_refused(name):
    spec, params = SPEC[name], _ELEMENTS[name]
    first, second = list(params)[:2]
    changes = {
        first: pd.Series(params[first], index=["a", "b"]),
        second: pd.Series(params[second], index=["b", "a"]),
    }
    status, error = _call(spec.func, _kwargs(spec, **changes))
    assert status == "error", f"{name}: Series with indexes [a, b] and [b, a] were accepted"
    assert _names(error, first) and _names(error, second), error


@pytest.mark.parametrize("name", sorted(_ELEMENTS))
def test_inputs_of_different_lengths_are_refused(name):
    spec, params = SPEC[name], _ELEMENTS[name]
    first, second = list(params)[:2]
    changes = {first: list(params[first]), second: [*params[second], params[second][0]]}
    status, error = _call(spec.func, _kwargs(spec, **changes))
    assert status == "error", f"{name}: lengths 2 and 3 were accepted"
    assert _names(error, first) or _names(error, second), error


# ------------------------------------------------------------------ valid extremes
EXACT_TESTS = ("fisher", "barnard", "boschloo")
LEVELS = (1e-6, 0.95, 1 - 1e-9)
ALTERNATIVES = ("two-sided", "less", "greater")
# (count, n): none, all, a single respondent, a billion respondents
COUNTS = ((0, 1), (1, 1), (0, 10), (10, 10), (0, 1e9), (1e9, 1e9), (1, 1e9), (5e8, 1e9))


def _finite_in(values: dict[str, Any], low: float, high: float) -> None:
    for field, value in values.items():
        value = float(value)
        assert np.isfinite(value), f"{field}={value!r}"
        assert low - 1e-12 <= value <= high + 1e-12, f"{field}={value!r} outside [{low}, {high}]"


@pytest.mark.parametrize("method", PROPORTION_CI_METHODS)
def test_proportion_ci_at_the_extremes(method):
    for (x, size), level, alternative in itertools.product(COUNTS, LEVELS, ALTERNATIVES):
        kwargs = dict(
            proportion=x / size,
            n=size,
            method=method,
            confidence_level=level,
            alternative=alternative,
        )
        status, r = _call(surveykit.proportion_ci, kwargs)
        assert status == "ok", (kwargs, r)
        _finite_in({"estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high}, 0, 1)
        assert r.ci_low <= r.ci_high, kwargs


PAIRS = (
    ((0, 1), (0, 1)),
    ((1, 1), (0, 1)),
    ((0, 10), (10, 10)),
    ((0, 1e9), (0, 1e9)),
    ((1e9, 1e9), (0, 1e9)),
    ((1, 1e9), (0, 1)),
    ((5e8, 1e9), (4e8, 1e9)),
)


@pytest.mark.parametrize("method", DIFFERENCE_CI_METHODS)
def test_difference_ci_at_the_extremes(method):
    for ((x1, n1), (x2, n2)), level in itertools.product(PAIRS, LEVELS):
        kwargs = dict(p1=x1 / n1, n1=n1, p2=x2 / n2, n2=n2, method=method, confidence_level=level)
        status, r = _call(surveykit.difference_ci, kwargs)
        assert status == "ok", (kwargs, r)
        _finite_in({"estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high}, -1, 1)
        assert r.ci_low <= r.ci_high, kwargs


@pytest.mark.parametrize(
    "method", [m for m in TWO_PROPORTION_TEST_METHODS if m not in EXACT_TESTS]
)
def test_asymptotic_tests_at_the_extremes(method):
    for ((x1, n1), (x2, n2)), alternative in itertools.product(PAIRS, ALTERNATIVES):
        kwargs = dict(p1=x1 / n1, n1=n1, p2=x2 / n2, n2=n2, method=method, alternative=alternative)
        status, r = _call(surveykit.two_proportion_test, kwargs)
        assert status == "ok", (kwargs, r)
        _finite_in({"estimate": r.estimate, "pvalue": r.pvalue}, -1, 1)
        assert 0 <= r.pvalue <= 1, kwargs
        assert not np.isnan(r.statistic), kwargs


@pytest.mark.parametrize("method", EXACT_TESTS)
def test_exact_tests_at_small_extremes(method):
    for ((x1, n1), (x2, n2)), alternative in itertools.product(PAIRS[:3], ALTERNATIVES):
        kwargs = dict(p1=x1 / n1, n1=n1, p2=x2 / n2, n2=n2, method=method, alternative=alternative)
        status, r = _call(surveykit.two_proportion_test, kwargs)
        assert status == "ok", (kwargs, r)
        assert 0 <= r.pvalue <= 1, kwargs


@pytest.mark.parametrize("method", OPTION_DIFFERENCE_METHODS)
def test_option_difference_at_the_extremes(method):
    shares = ((0, 0, 1), (1, 0, 1), (0, 1, 1), (0.5, 0.5, 1e9), (0, 0, 1e9), (1, 0, 1e9))
    for (p1, p2, n), level in itertools.product(shares, LEVELS):
        kwargs = dict(p1=p1, p2=p2, n=n, method=method, confidence_level=level)
        status, r = _call(surveykit.option_difference_ci, kwargs)
        assert status == "ok", (kwargs, r)
        _finite_in({"estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high}, -1, 1)
        status, t = _call(surveykit.option_difference_test, dict(p1=p1, p2=p2, n=n))
        assert status == "ok", (kwargs, t)
        assert 0 <= t.pvalue <= 1, kwargs


@pytest.mark.parametrize(
    ("measure", "method"), [(m, k) for m, ks in RATIO_CI_METHODS.items() for k in ks]
)
def test_ratio_ci_at_the_extremes(measure, method):
    """Zero cells may give 0 or infinite bounds and undefined estimates, never a NaN bound."""
    for ((x1, n1), (x2, n2)), level in itertools.product(PAIRS, LEVELS):
        kwargs = dict(
            p1=x1 / n1,
            n1=n1,
            p2=x2 / n2,
            n2=n2,
            measure=measure,
            method=method,
            confidence_level=level,
        )
        status, r = _call(ratio_ci, kwargs)
        assert status == "ok", (kwargs, r)
        assert not np.isnan(r.ci_low) and not np.isnan(r.ci_high), (kwargs, r)
        assert 0 <= r.ci_low <= r.ci_high, (kwargs, r)
        if 0 < x1 < n1 and 0 < x2 < n2:
            assert np.isfinite(r.ci_low) and np.isfinite(r.ci_high), (kwargs, r)


@pytest.mark.parametrize("method", MULTINOMIAL_CI_METHODS)
def test_multinomial_ci_at_the_extremes(method):
    cases = [([1, 0, 0], 1), ([0.5, 0.5], 2), ([1, 0], 1e6), ([0.3, 0.3, 0.4], 1e6)]
    if method != "sison-glaz":  # see test_known_extreme_failures
        cases += [([1, 0], 1e9), ([0.3, 0.3, 0.4], 1e9)]
    for (shares, n), level in itertools.product(cases, LEVELS):
        kwargs = dict(proportions=shares, n=n, method=method, confidence_level=level)
        status, r = _call(multinomial_ci, kwargs)
        assert status == "ok", (kwargs, r)
        for low, high in zip(r.ci_low, r.ci_high, strict=True):
            _finite_in({"ci_low": low, "ci_high": high}, 0, 1)
            assert low <= high


def test_change_test_and_posterior_at_the_extremes():
    cases = (
        (0, 1, 1, 1),
        (0, 1e9, 0, 1e9),
        (1, 1e9, 0, 1e9),
        (0.5, 1, 0.5, 1),
        (0.3, 1e9, 0.7, 1),
    )
    for (pb, nb, pa, na), level in itertools.product(cases, LEVELS):
        kwargs = dict(p1=pa, n1=na, p2=pb, n2=nb, confidence_level=level)
        if change_test is not None:
            status, r = _call(change_test, kwargs)
            assert status == "ok", (kwargs, r)
            _finite_in({"estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high}, -1, 1)
            assert 0 <= r.pvalue <= 1, kwargs
        status, r = _call(posterior_change, kwargs)
        assert status == "ok", (kwargs, r)
        _finite_in({"ci_low": r.ci_low, "ci_high": r.ci_high, "p": r.prob_increase}, -1, 1)


def test_planning_functions_at_extreme_levels():
    for level, p in itertools.product(LEVELS, (0.0, 0.5, 1.0)):
        for func, kwargs in (
            (n_from_moe, dict(moe=0.03, proportion=p, confidence_level=level)),
            (
                surveykit.sample_size_proportion,
                dict(moe=0.03, proportion=p, confidence_level=level),
            ),
            (implied_deff, dict(moe=0.03, n=1e9, proportion=0.5, confidence_level=level)),
        ):
            status, value = _call(func, kwargs)
            assert status == "ok", (func.__name__, kwargs, value)
            assert np.isfinite(value) and value >= 0, (func.__name__, kwargs, value)
    for alpha, power in itertools.product((1e-9, 0.05, 0.4), (0.5, 0.8, 1 - 1e-9)):
        kwargs = dict(p1=0.5, p2=0.55, alpha=alpha, power=power)
        status, value = _call(surveykit.sample_size_two_proportions, kwargs)
        assert status == "ok" and value >= 0, (kwargs, value)
        status, value = _call(surveykit.power_two_proportions, dict(p1=0.5, p2=0.55, n1=1e9))
        assert status == "ok" and 0 <= value <= 1, value
        status, value = _call(
            surveykit.minimum_detectable_difference, dict(p1=0.5, n1=1e9, alpha=alpha, power=power)
        )
        assert status == "ok" and 0 <= value <= 1, (alpha, power, value)


# ------------------------------------------------------------------------ hypothesis
_NUMERIC_KINDS = {
    PROP,
    PROP_OPT,
    N,
    N_OPT,
    POPULATION,
    LEVEL,
    ALPHA,
    ALPHA_OPT,
    POWER,
    DEFF,
    DEFF_OPT,
    RATIO,
    MOE,
    MOE_OPT,
    DIFF,
    CORR,
    SE,
    DF,
    PVALUES,
}
_OPTIONAL = {PROP_OPT, N_OPT, POPULATION, ALPHA_OPT, DEFF_OPT, MOE_OPT}
_VALID_NUMBER: dict[str, Callable[[float], bool]] = {
    PROP: lambda v: 0 <= v <= 1,
    N: lambda v: 0 < v < np.inf,
    POPULATION: lambda v: v >= 1,
    LEVEL: lambda v: 0 < v < 1,
    DEFF: lambda v: 0 < v < np.inf,
    MOE: lambda v: 0 < v < 1,
    DIFF: lambda v: -1 < v < 1,
    CORR: lambda v: -1 <= v <= 1,
    SE: lambda v: 0 <= v < np.inf,
    DF: lambda v: v > 0,
    PVALUES: lambda v: 0 <= v <= 1,
}
for _alias, _kind in (
    (PROP_OPT, PROP),
    (N_OPT, N),
    (ALPHA, LEVEL),
    (ALPHA_OPT, LEVEL),
    (POWER, LEVEL),
    (DEFF_OPT, DEFF),
    (RATIO, DEFF),
    (MOE_OPT, MOE),
):
    _VALID_NUMBER[_alias] = _VALID_NUMBER[_kind]

junk = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**12),
    st.text(max_size=4),
    st.sampled_from(["55%", "0.55", "-5%", "1/0", "55/0", "nan", "", "wilson", "two-sided"]),
    st.booleans(),
    st.none(),
    st.complex_numbers(max_magnitude=10, allow_nan=False, allow_infinity=False),
    st.lists(st.floats(0, 1), max_size=3),
)


def _label_of(value: Any) -> str | None:
    """The MALFORMED label of a drawn value, to skip cases already known to fail."""
    if value is None:
        return "none"
    if isinstance(value, list) and not value:
        return "empty_list"
    if isinstance(value, float) and np.isnan(value):
        return "nan"
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) > 1e12:
        return "huge"
    return None


def _must_raise(kind: str, value: Any) -> bool:
    if value is None:
        return kind not in _OPTIONAL
    if isinstance(value, str | bool | complex | np.bool_):
        return True
    if isinstance(value, int | float):
        return not np.isnan(value) and not _VALID_NUMBER[kind](float(value))
    return False  # lists: judged by the malformed-value matrix above


# functions that enumerate every count up to n (no size guard yet: see the QA report)
_ENUMERATING = {
    "coverage",
    "difference_coverage",
    "interval_performance",
    "difference_interval_performance",
}
_SCALAR_ONLY = {
    ("difference_interval_performance", "n1"),
    ("difference_interval_performance", "n2"),
    ("difference_interval_performance", "confidence_level"),
    ("reanalyse", "confidence_level"),
    ("reanalyse", "alpha"),
}


def _known_junk(spec: Spec, param: str, value: Any) -> bool:
    """Random values that hit failures already reported (so the search looks elsewhere)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and spec.name in _ENUMERATING and abs(value) > 1000:
        return True  # grids of n x n counts: MemoryError or minutes, no SurveyKitError
    if number and spec.kinds[param] in (DEFF, DEFF_OPT) and 0 < abs(value) < 1e-300:
        return True  # n / deff overflows: RuntimeWarning
    if number and abs(value) > 1e150:
        return True  # huge n: overflow RuntimeWarnings (ratio, score, multinomial, bayes)
    return isinstance(value, list) and (spec.name, param) in _SCALAR_ONLY


_NUMERIC_SPECS = [s for s in SPECS if any(k in _NUMERIC_KINDS for k in s.kinds.values())]


@pytest.mark.parametrize("spec", _NUMERIC_SPECS, ids=lambda s: s.name)
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_random_junk_is_refused_by_name_or_handled(spec, data):
    params = sorted(p for p, k in spec.kinds.items() if k in _NUMERIC_KINDS)
    param = data.draw(st.sampled_from(params), label="param")
    value = data.draw(junk, label="value")
    label = _label_of(value)
    assume(label is None or (spec.name, param, label) not in KNOWN)
    assume(not _known_junk(spec, param, value))
    status, result = _call(spec.func, _kwargs(spec, **{param: value}))
    if status == "error":
        assert _names(result, param), result
    else:
        assert not _must_raise(spec.kinds[param], value), f"{param}={value!r} gave {result!r}"


counts_and_n = st.integers(1, 10**9).flatmap(
    lambda n: st.tuples(st.integers(0, n), st.just(n)) | st.sampled_from([(0, n), (n, n)])
)
levels = st.sampled_from(LEVELS) | st.floats(1e-6, 1 - 1e-9)
_ASYMPTOTIC_CI = [m for m in PROPORTION_CI_METHODS if m not in ("clopper-pearson", "mid-p")]
# intervals that always hold the observed share (arcsine, Agresti-Coull and Jeffreys centre
# on a shifted share, so at low levels and small n they may leave it out: by design)
_CENTRED_ON_ESTIMATE = ("wald", "wilson", "wilson-cc", "logit", "likelihood-ratio")


@settings(max_examples=60, deadline=None)
@given(counts_and_n, levels, st.sampled_from(_ASYMPTOTIC_CI), st.sampled_from(ALTERNATIVES))
def test_proportion_ci_is_finite_ordered_and_holds_the_estimate(xn, level, method, alternative):
    x, n = xn
    kwargs = dict(proportion=x / n, n=n, method=method, confidence_level=level)
    status, r = _call(surveykit.proportion_ci, {**kwargs, "alternative": alternative})
    assert status == "ok", r
    _finite_in({"ci_low": r.ci_low, "ci_high": r.ci_high}, 0, 1)
    assert r.ci_low <= r.ci_high, r
    if method in _CENTRED_ON_ESTIMATE and (alternative == "two-sided" or level >= 0.5):
        assert r.ci_low <= r.estimate <= r.ci_high, r


@settings(max_examples=60, deadline=None)
@given(counts_and_n, counts_and_n, levels, st.sampled_from(DIFFERENCE_CI_METHODS))
def test_difference_ci_is_finite_and_ordered(first, second, level, method):
    (x1, n1), (x2, n2) = first, second
    kwargs = dict(p1=x1 / n1, n1=n1, p2=x2 / n2, n2=n2, method=method, confidence_level=level)
    status, r = _call(surveykit.difference_ci, kwargs)
    assert status == "ok", r
    _finite_in({"ci_low": r.ci_low, "ci_high": r.ci_high}, -1, 1)
    assert r.ci_low <= r.ci_high


@settings(max_examples=60, deadline=None)
@given(
    counts_and_n,
    counts_and_n,
    st.sampled_from([m for m in TWO_PROPORTION_TEST_METHODS if m not in EXACT_TESTS]),
    st.sampled_from(ALTERNATIVES),
)
def test_asymptotic_test_pvalues_are_probabilities(first, second, method, alternative):
    (x1, n1), (x2, n2) = first, second
    kwargs = dict(p1=x1 / n1, n1=n1, p2=x2 / n2, n2=n2, method=method, alternative=alternative)
    status, r = _call(surveykit.two_proportion_test, kwargs)
    assert status == "ok", r
    assert 0 <= r.pvalue <= 1, r
    assert not np.isnan(r.statistic), r


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(1, 1e9),
    levels,
    st.sampled_from(OPTION_DIFFERENCE_METHODS),
)
def test_option_difference_ci_is_finite_and_ordered(p1, p2, n, level, method):
    assume(p1 + p2 <= 1)
    kwargs = dict(p1=p1, p2=p2, n=n, method=method, confidence_level=level)
    status, r = _call(surveykit.option_difference_ci, kwargs)
    assert status == "ok", r
    _finite_in({"ci_low": r.ci_low, "ci_high": r.ci_high}, -1, 1)
    assert r.ci_low <= r.ci_high


# --------------------------------------------------- further known failures, one each
def _refused_naming(name: str, func: Callable[..., Any], **kwargs: Any) -> None:
    status, result = _call(func, kwargs)
    assert status == "error", f"accepted: {result!r}"
    assert _names(result, name), result


def _degenerate_at_estimate(result: Any) -> None:
    np.testing.assert_allclose([result.ci_low, result.ci_high], result.estimate, rtol=1e-6)


@pytest.mark.parametrize("measure", ["risk-ratio", "odds-ratio"])
def test_ratio_ci_with_a_huge_n_is_degenerate(measure):
    status, r = _call(ratio_ci, dict(p1=0.5, n1=1e300, p2=0.4, n2=1e300, measure=measure))
    assert status == "ok", r
    _degenerate_at_estimate(r)


def test_option_difference_score_ci_with_a_huge_n():
    status, r = _call(
        surveykit.option_difference_ci, dict(p1=0.6, p2=0.3, n=1e200, method="score")
    )
    assert status == "ok", r
    _degenerate_at_estimate(r)


def test_multinomial_ci_with_a_huge_n():
    status, r = _call(multinomial_ci, dict(proportions=[0.5, 0.5], n=1e200))
    assert status == "ok", r
    np.testing.assert_allclose(r.ci_low, 0.5)


def test_simulate_polls_refuses_a_size_beyond_its_generator():
    _refused_naming("n", surveykit.simulate_polls, proportion=0.5, n=1e300, size=10)


@pytest.mark.parametrize("method", ["goodman", "sison-glaz", "quesenberry-hurst"])
def test_multinomial_ci_refuses_shares_adding_up_beyond_rounding(method):
    _refused_naming("proportions", multinomial_ci, proportions=[0.6, 0.5], n=1000, method=method)
    # whole-percent rounding of three options can add up to 101%
    status, r = _call(multinomial_ci, dict(proportions=[0.34, 0.34, 0.33], n=1000))
    assert status == "ok", r


@pytest.mark.parametrize("func", ["interval_performance", "difference_interval_performance"])
def test_empty_method_lists_are_refused_by_name(func):
    _refused_naming("method", SPEC[func].func, **{**SPEC[func].base, "method": []})


def test_sison_glaz_at_a_billion():
    status, r = _call(
        multinomial_ci, dict(proportions=[0.3, 0.3, 0.4], n=1e9, method="sison-glaz")
    )
    assert status == "ok", r
    assert np.all(np.isfinite(r.ci_low)) and np.all(r.ci_low <= r.ci_high)


@pytest.mark.parametrize(
    ("func", "kwargs"),
    [
        (n_from_moe, dict(moe=1e-200)),
        (surveykit.sample_size_proportion, dict(moe=1e-200)),
        (robustness, dict(p1=0.55, p2=0.5, moe=1e-300)),
    ],
    ids=["n_from_moe", "sample_size_proportion", "robustness"],
)
def test_tiny_margin_of_error(func, kwargs):
    status, result = _call(func, kwargs)
    assert status == "ok" or _names(result, "moe"), result


@pytest.mark.parametrize("func", [surveykit.critical_n, sensitivity], ids=lambda f: f.__name__)
def test_within_errors_name_p1_and_p2(func):
    kwargs = dict(p1=0.55, p2=0.5, within=True)
    if func is sensitivity:
        kwargs["n1"] = 100
    with pytest.raises(SurveyKitError) as info:
        func(**kwargs)
    assert "p1" in str(info.value) and "p2" in str(info.value)
    assert "np.float64" not in str(info.value)


def test_consistent_n_with_an_infinite_range():
    _refused_naming("n_range", consistent_n, proportions=[0.55], n_range=(1, float("inf")))


@pytest.mark.parametrize("seed", ["x", 0.5, -1])
def test_simulate_polls_refuses_a_bad_seed(seed):
    _refused_naming("seed", surveykit.simulate_polls, proportion=0.5, n=100, size=2, seed=seed)


def test_round_counts_must_be_a_bool():
    _refused_naming(
        "round_counts",
        surveykit.proportion_ci,
        proportion=0.555,
        n=100,
        method="clopper-pearson",
        round_counts="no",
    )


def test_read_polls_messages_show_plain_values():
    frame = pd.DataFrame(
        {"pollster": ["a"], "question": ["q"], "option": ["o"], "proportion": [55]}
    )
    with pytest.raises(SurveyKitError) as info:
        surveykit.read_polls(frame)
    assert "np.int64" not in str(info.value), info.value


def test_read_polls_refuses_malformed_sources(tmp_path):
    for source in (None, 55, tmp_path / "missing.csv", tmp_path, pd.DataFrame()):
        with pytest.raises(SurveyKitError):
            surveykit.read_polls(source)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage,,,\n\x00\x00")
    with pytest.raises(SurveyKitError):
        surveykit.read_polls(bad)


def test_load_dataset_refuses_near_misses_and_paths():
    for name in ("kremlin_fso_2023", "Kremlin_FSO_2022", "kremlin", "../datasets/x", "", None, 5):
        with pytest.raises(SurveyKitError, match="name"):
            surveykit.load_dataset(name)


def test_reanalyse_names_polls_in_its_errors():
    _refused_naming("polls", surveykit.reanalyse, polls="no-such-file.csv")


@pytest.mark.parametrize(
    "spec", [SPEC["proportion_ci"], SPEC["two_proportion_test"]], ids=lambda s: s.name
)
def test_subnormal_design_effect(spec):
    status, result = _call(spec.func, _kwargs(spec, deff=1e-308))
    assert status == "ok" or _names(result, "deff"), result
