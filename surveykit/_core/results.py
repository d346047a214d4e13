"""Result objects: frozen dataclasses that echo their inputs and hold their numbers.

Each has ``to_frame()`` (tidy, one row per element), ``_repr_html_`` (rendered from
``to_frame()`` for notebooks) and a short ``__repr__``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from surveykit._core.formatting import frame_to_html, frame_to_text
from surveykit.exceptions import SurveyKitError

__all__ = [
    "ChangeTest",
    "DifferenceCI",
    "McNemarTest",
    "MultinomialCI",
    "OptionDifferenceCI",
    "OptionDifferenceTest",
    "PosteriorChange",
    "ProportionCI",
    "RatioCI",
    "Result",
    "RoundingBounds",
    "TwoProportionTest",
]

#: where ``Result.plot`` finds the plotting functions named by each class's ``_plot``
PLOTTING_MODULE = "surveykit.plotting"


def _is_scalar(value: Any) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, pd.Series)


class Result:
    """Behaviour shared by every result dataclass."""

    #: the numeric fields shown first in ``__repr__``
    _headline: ClassVar[tuple[str, ...]] = ()
    #: fields shown as plain numbers although their names usually mean shares
    _plain: ClassVar[tuple[str, ...]] = ()
    #: the function of :mod:`surveykit.plotting` that draws this result
    _plot: ClassVar[str | None] = "plot_intervals"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the result with :mod:`surveykit.plotting`; returns the matplotlib Axes.

        The plotting layer sits above this one, so it is looked up by name when a plot is
        asked for (as pandas finds its plotting backend), never imported here.
        """
        plotting = importlib.import_module(PLOTTING_MODULE)

        name = self._plot
        if name == "plot_change" and np.ndim(getattr(self, "estimate", 0)) != 0:
            name = "plot_intervals" if hasattr(self, "ci_low") else None
        if name is None:
            raise SurveyKitError(
                f"{type(self).__name__} has no plot of its own; use to_frame() with a "
                "function of surveykit.plotting"
            )
        return getattr(plotting, name)(self, ax=ax, **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """One row per element, one column per field (inputs echoed, numbers unrounded)."""
        columns: dict[str, Any] = {}
        index: pd.Index | None = None
        length = 1
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, pd.Series):
                index = value.index if index is None else index
                value = value.to_numpy()
            if not _is_scalar(value):
                value = np.asarray(value).ravel()
                length = max(length, len(value))
            columns[f.name] = value
        for key, value in columns.items():
            if _is_scalar(value):
                columns[key] = [value] * length
        frame = pd.DataFrame(columns, index=index)
        return frame

    def _repr_html_(self) -> str:
        return frame_to_html(self.to_frame(), caption=type(self).__name__, plain=self._plain)

    def __str__(self) -> str:
        return f"{type(self).__name__}\n{frame_to_text(self.to_frame(), plain=self._plain)}"

    def __repr__(self) -> str:
        method = getattr(self, "method", None)
        head = f"method={method!r}" if method is not None else ""
        first = getattr(self, self._headline[0]) if self._headline else None
        if first is not None and not _is_scalar(first):
            size = np.size(first)
            return f"{type(self).__name__}({head}, {size} elements)"
        parts = [head] if head else []
        for name in self._headline:
            value = getattr(self, name)
            parts.append(f"{name}={value:.6g}" if isinstance(value, float) else f"{name}={value}")
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclass(frozen=True, eq=False, repr=False)
class ProportionCI(Result):
    """Confidence interval for one proportion (see :func:`surveykit.proportion_ci`)."""

    estimate: Any
    ci_low: Any
    ci_high: Any
    n: Any
    n_eff: Any
    deff: Any
    confidence_level: Any
    method: str
    alternative: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    @property
    def moe(self) -> Any:
        """Half the width of the interval (the margin of error)."""
        return (self.ci_high - self.ci_low) / 2


@dataclass(frozen=True, eq=False, repr=False)
class DifferenceCI(Result):
    """Confidence interval for p1 - p2 (see :func:`surveykit.difference_ci`)."""

    estimate: Any
    ci_low: Any
    ci_high: Any
    p1: Any
    n1: Any
    p2: Any
    n2: Any
    confidence_level: Any
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")
    _plot: ClassVar[str | None] = "plot_change"


@dataclass(frozen=True, eq=False, repr=False)
class OptionDifferenceCI(Result):
    """Interval for the gap between two options of one poll (multinomial covariance)."""

    estimate: Any
    ci_low: Any
    ci_high: Any
    p1: Any
    p2: Any
    n: Any
    confidence_level: Any
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    @property
    def moe(self) -> Any:
        """Half the width of the interval: the margin of error of the lead."""
        return (self.ci_high - self.ci_low) / 2


@dataclass(frozen=True, eq=False, repr=False)
class TwoProportionTest(Result):
    """Test of p1 - p2 against a null difference (see :func:`surveykit.two_proportion_test`)."""

    estimate: Any
    statistic: Any
    pvalue: Any
    p1: Any
    n1: Any
    p2: Any
    n2: Any
    null_difference: Any
    deff: Any
    method: str
    alternative: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = "plot_change"


@dataclass(frozen=True, eq=False, repr=False)
class OptionDifferenceTest(Result):
    """Test of p1 = p2 for two options of one poll."""

    estimate: Any
    statistic: Any
    pvalue: Any
    p1: Any
    p2: Any
    n: Any
    deff: Any
    method: str
    alternative: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class RatioCI(Result):
    """Confidence interval for a risk ratio or odds ratio (see :func:`surveykit.ratio_ci`).

    ``estimate`` is p1 / p2 (risk ratio) or the odds ratio; it is infinite where the
    denominator is 0 and NaN where the ratio is 0 / 0. ``ci_high`` may be infinite.
    """

    estimate: Any
    ci_low: Any
    ci_high: Any
    p1: Any
    n1: Any
    p2: Any
    n2: Any
    deff: Any
    confidence_level: Any
    measure: str
    method: str

    _plain: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")
    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False, repr=False)
class MultinomialCI(Result):
    """Simultaneous intervals for all options of one question (one row per option).

    See :func:`surveykit.multinomial_ci`. With a Series of shares, the frame's index is
    the Series' index (the option labels).
    """

    estimate: Any
    ci_low: Any
    ci_high: Any
    n: Any
    deff: Any
    confidence_level: Any
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False, repr=False)
class RoundingBounds(Result):
    """Best and worst cases over the true values behind rounded published shares.

    See :func:`surveykit.rounding.rounding_bounds`. ``*_min``/``*_max`` are the extremes
    over every pair of true shares that round to the published ones; the unsuffixed
    fields are the values at the published shares themselves.
    """

    estimate: Any
    estimate_min: Any
    estimate_max: Any
    ci_low: Any
    ci_low_min: Any
    ci_low_max: Any
    ci_high: Any
    ci_high_min: Any
    ci_high_max: Any
    pvalue: Any
    pvalue_min: Any
    pvalue_max: Any
    critical_n: Any
    critical_n_min: Any
    critical_n_max: Any
    significant_best: Any
    significant_worst: Any
    p1: Any
    p1_low: Any
    p1_high: Any
    p2: Any
    p2_low: Any
    p2_high: Any
    n1: Any
    n2: Any
    deff: Any
    alpha: Any
    confidence_level: Any
    published_decimals: int
    method: str
    ci_method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate_min", "estimate_max", "pvalue_max")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class PosteriorChange(Result):
    """Posterior of the change between two polls (see :func:`surveykit.bayes.posterior_change`).

    ``estimate`` is the posterior mean of ``p1 - p2`` (the later poll minus the earlier),
    ``ci_low``/``ci_high`` the equal-tailed credible interval at ``confidence_level`` and
    ``prob_increase`` the posterior probability that the later share is higher
    (``p1 > p2``). ``n1``/``n2`` echo the mean of the sample-size distribution when it
    was not a single number.
    """

    prob_increase: Any
    estimate: Any
    ci_low: Any
    ci_high: Any
    p1: Any
    n1: Any
    p2: Any
    n2: Any
    confidence_level: Any
    prior: str
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("prob_increase", "estimate", "ci_low", "ci_high")
    _plot: ClassVar[str | None] = "plot_posterior"


@dataclass(frozen=True, eq=False, repr=False)
class ChangeTest(Result):
    """Test and interval of a change between two waves that share respondents.

    ``p1``/``n1`` describe the later wave, ``p2``/``n2`` the earlier one, and ``estimate``
    is ``p1 - p2``. See :func:`surveykit.panel.change_test`.
    """

    estimate: Any
    ci_low: Any
    ci_high: Any
    statistic: Any
    pvalue: Any
    p1: Any
    n1: Any
    p2: Any
    n2: Any
    overlap: Any
    correlation: Any
    deff: Any
    confidence_level: Any
    method: str
    alternative: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class McNemarTest(Result):
    """McNemar's test of a change in a panel (see :func:`surveykit.panel.mcnemar_test`)."""

    estimate: Any
    statistic: Any
    pvalue: Any
    gained: Any
    lost: Any
    n: Any
    method: str
    alternative: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class Robustness:
    """Verdict table and summary of one comparison (see :func:`surveykit.robustness`).

    ``table`` has one row per check (``check``, ``value``, ``verdict``, ``assumption``);
    ``summary`` is one plain-English sentence.
    """

    table: pd.DataFrame
    summary: str
    p1: float
    p2: float
    n: Any
    moe: Any
    deff: Any
    published_decimals: int
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """The verdict table (one row per check)."""
        return self.table.copy()

    def _repr_html_(self) -> str:
        from html import escape

        table = frame_to_html(self.to_frame(), caption=type(self).__name__)
        return f"{table}<p>{escape(self.summary)}</p>"

    def __str__(self) -> str:
        return f"{type(self).__name__}\n{frame_to_text(self.to_frame())}\n{self.summary}"

    def __repr__(self) -> str:
        return f"Robustness({len(self.table)} checks: {self.summary!r})"
