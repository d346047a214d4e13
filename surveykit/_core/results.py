"""Result objects: frozen dataclasses that echo their inputs and hold their numbers.

Every result has one protocol:

- ``to_frame()``: a tidy frame, one row per element, numbers unrounded;
- ``to_string(decimals=1)`` and ``to_html(decimals=1)``: the frame rendered for people
  (a terminal and a notebook or report), percentages with ``decimals`` decimals;
  ``decimals`` changes only the rendering, never a field or the frame;
- ``__str__`` is ``to_string()``, ``_repr_html_`` is ``to_html()`` and ``__repr__`` is one
  short line.

The fields an interval, a test and a sided procedure share are declared once, in
:class:`Estimated`, :class:`Interval`, :class:`Tested` and :class:`Sided`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeAlias

import numpy as np
import pandas as pd

from surveykit._core.formatting import frame_to_html, frame_to_text
from surveykit._core.validation.published import check_display_decimals
from surveykit.exceptions import SurveyKitError

__all__ = [
    "ChangeTest",
    "DifferenceCI",
    "Estimated",
    "Flags",
    "Interval",
    "McNemarTest",
    "MultinomialCI",
    "OptionDifferenceCI",
    "OptionDifferenceTest",
    "PosteriorChange",
    "ProportionCI",
    "RatioCI",
    "Result",
    "Robustness",
    "RoundingBounds",
    "Sided",
    "Tested",
    "TwoProportionTest",
    "Values",
]

#: where ``Result.plot`` finds the plotting functions named by each class's ``_plot``
PLOTTING_MODULE = "surveykit.plotting"

#: a number per element: scalar in, float out; array in, array out; a Series keeps its index
Values: TypeAlias = float | np.ndarray | pd.Series
#: a verdict per element, in the same shapes
Flags: TypeAlias = bool | np.ndarray | pd.Series

#: frame columns shown first and last; the others keep their declaration order
_FIRST = ("estimate", "ci_low", "ci_high", "statistic", "pvalue")
_LAST = ("confidence_level", "method", "alternative")


def _is_scalar(value: Any) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, pd.Series)


class Result:
    """The protocol of every result: a tidy frame, renderings for people, a short repr.

    ``to_frame()`` holds the unrounded numbers; ``to_string(decimals=1)`` and
    ``to_html(decimals=1)`` render it, with ``decimals`` decimals for percentages and
    two more for p-values and other numbers. ``decimals`` changes only the rendering.
    """

    #: the numeric fields shown first in ``__repr__``
    _headline: ClassVar[tuple[str, ...]] = ()
    #: fields shown as plain numbers although their names usually mean shares
    _plain: ClassVar[tuple[str, ...]] = ()
    #: fields that are differences of shares, shown in percentage points (``+23.0 pp``)
    _points: ClassVar[tuple[str, ...]] = ()
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
        """One row per element, one column per field (inputs echoed, numbers unrounded).

        The estimate, interval and test come first, the level, method and alternative
        last.
        """
        columns: dict[str, Any] = {}
        index: pd.Index | None = None
        length = 1
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        middle = [n for n in names if n not in _FIRST and n not in _LAST]
        ordered = [n for n in _FIRST if n in names] + middle + [n for n in _LAST if n in names]
        for name in ordered:
            value = getattr(self, name)
            if isinstance(value, pd.Series):
                index = value.index if index is None else index
                value = value.to_numpy()
            if not _is_scalar(value):
                value = np.asarray(value).ravel()
                length = max(length, len(value))
            columns[name] = value
        for key, value in columns.items():
            if _is_scalar(value):
                columns[key] = [value] * length
        return pd.DataFrame(columns, index=index)

    def to_html(self, decimals: int = 1) -> str:
        """An HTML table of :meth:`to_frame` for people (percentages with ``decimals``)."""
        decimals = check_display_decimals(decimals)
        return frame_to_html(
            self.to_frame(),
            decimals=decimals,
            caption=type(self).__name__,
            plain=self._plain,
            points=self._points,
        )

    def to_string(self, decimals: int = 1) -> str:
        """A plain-text table of :meth:`to_frame` for terminals, headed by the class."""
        decimals = check_display_decimals(decimals)
        table = frame_to_text(
            self.to_frame(), decimals=decimals, plain=self._plain, points=self._points
        )
        return f"{type(self).__name__}\n{table}"

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_string()

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
class Estimated(Result):
    """Fields of every estimate: ``estimate`` and the ``method`` that produced it."""

    estimate: Values
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate",)


@dataclass(frozen=True, eq=False, repr=False)
class Sided(Result):
    """Field of a one- or two-sided procedure: ``alternative``."""

    alternative: str


@dataclass(frozen=True, eq=False, repr=False)
class Interval(Estimated):
    """Fields of every interval: ``ci_low``, ``ci_high`` at ``confidence_level``."""

    ci_low: Values
    ci_high: Values
    confidence_level: Values

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False, repr=False)
class Tested(Estimated, Sided):
    """Fields of every test: ``statistic``, ``pvalue`` and the ``alternative``."""

    statistic: Values
    pvalue: Values

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")


@dataclass(frozen=True, eq=False, repr=False)
class ProportionCI(Interval, Sided):
    """Confidence interval for one proportion (see :func:`surveykit.proportion_ci`).

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    n: Values
    n_eff: Values
    deff: Values

    @property
    def moe(self) -> Values:
        """Half the width of the interval (the margin of error)."""
        return (self.ci_high - self.ci_low) / 2


@dataclass(frozen=True, eq=False, repr=False)
class DifferenceCI(Interval):
    """Confidence interval for p1 - p2 (see :func:`surveykit.difference_ci`).

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    p1: Values
    n1: Values
    p2: Values
    n2: Values

    _plot: ClassVar[str | None] = "plot_change"


@dataclass(frozen=True, eq=False, repr=False)
class OptionDifferenceCI(Interval):
    """Interval for the gap between two options of one poll (multinomial covariance).

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    p1: Values
    p2: Values
    n: Values

    @property
    def moe(self) -> Values:
        """Half the width of the interval: the margin of error of the lead."""
        return (self.ci_high - self.ci_low) / 2


@dataclass(frozen=True, eq=False, repr=False)
class TwoProportionTest(Tested):
    """Test of p1 - p2 against a null difference (see :func:`surveykit.two_proportion_test`).

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "null_difference")

    p1: Values
    n1: Values
    p2: Values
    n2: Values
    null_difference: Values
    deff: Values

    _plot: ClassVar[str | None] = "plot_change"


@dataclass(frozen=True, eq=False, repr=False)
class OptionDifferenceTest(Tested):
    """Test of p1 = p2 for two options of one poll.

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate",)

    p1: Values
    p2: Values
    n: Values
    deff: Values

    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class RatioCI(Interval):
    """Confidence interval for a risk ratio or odds ratio (see :func:`surveykit.ratio_ci`).

    ``estimate`` is p1 / p2 (risk ratio) or the odds ratio; it is infinite where the
    denominator is 0 and NaN where the ratio is 0 / 0. ``ci_high`` may be infinite.
    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)`` (the ratio is shown as a number, not a percentage).
    """

    p1: Values
    n1: Values
    p2: Values
    n2: Values
    deff: Values
    measure: str

    _plain: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False, repr=False)
class MultinomialCI(Interval):
    """Simultaneous intervals for all options of one question (one row per option).

    See :func:`surveykit.multinomial_ci`. With a Series of shares, the frame's index is
    the Series' index (the option labels). Has the protocol of :class:`Result`:
    ``to_frame()``, ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    n: Values
    deff: Values


@dataclass(frozen=True, eq=False, repr=False)
class RoundingBounds(Interval):
    """Best and worst cases over the true values behind rounded published shares.

    See :func:`surveykit.unknowns.rounding.rounding_bounds`. ``*_min``/``*_max`` are the extremes
    over every pair of true shares that round to the published ones; the unsuffixed
    fields are the values at the published shares themselves. ``method`` is the test's
    method, ``ci_method`` the interval's; ``published_decimals`` echoes the published
    figures' rounding (the display option ``to_html(decimals=...)`` is another thing).
    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = (
        "estimate",
        "estimate_min",
        "estimate_max",
        "ci_low",
        "ci_low_min",
        "ci_low_max",
        "ci_high",
        "ci_high_min",
        "ci_high_max",
    )

    estimate_min: Values
    estimate_max: Values
    ci_low_min: Values
    ci_low_max: Values
    ci_high_min: Values
    ci_high_max: Values
    pvalue: Values
    pvalue_min: Values
    pvalue_max: Values
    critical_n: Values
    critical_n_min: Values
    critical_n_max: Values
    significant_best: Flags
    significant_worst: Flags
    p1: Values
    p1_low: Values
    p1_high: Values
    p2: Values
    p2_low: Values
    p2_high: Values
    n1: Values
    n2: Values
    deff: Values
    alpha: Values
    published_decimals: int
    ci_method: str

    _headline: ClassVar[tuple[str, ...]] = ("estimate_min", "estimate_max", "pvalue_max")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class PosteriorChange(Interval):
    """Posterior of the change between two polls (see :func:`surveykit.posterior_change`).

    ``estimate`` is the posterior mean of ``p1 - p2`` (the later poll minus the earlier),
    ``ci_low``/``ci_high`` the equal-tailed credible interval at ``confidence_level`` and
    ``prob_increase`` the posterior probability that the later share is higher
    (``p1 > p2``). ``n1``/``n2`` echo the mean of the sample-size distribution when it
    was not a single number. Has the protocol of :class:`Result`: ``to_frame()``,
    ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    prob_increase: Values
    p1: Values
    n1: float
    p2: Values
    n2: float
    prior: str

    _headline: ClassVar[tuple[str, ...]] = ("prob_increase", "estimate", "ci_low", "ci_high")
    _plot: ClassVar[str | None] = "plot_posterior"


@dataclass(frozen=True, eq=False, repr=False)
class ChangeTest(Interval, Tested):
    """Test and interval of a change between two waves that share respondents.

    ``p1``/``n1`` describe the later wave, ``p2``/``n2`` the earlier one, and ``estimate``
    is ``p1 - p2``. See :func:`surveykit.inference.panel.change_test`. Has the protocol of
    :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")

    p1: Values
    n1: Values
    p2: Values
    n2: Values
    overlap: Values
    correlation: Values
    deff: Values

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "statistic", "pvalue")
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class McNemarTest(Tested):
    """McNemar's test of a change in a panel (see :func:`surveykit.inference.panel.mcnemar_test`).

    Has the protocol of :class:`Result`: ``to_frame()``, ``to_string(decimals=1)``,
    ``to_html(decimals=1)``.
    """

    _points: ClassVar[tuple[str, ...]] = ("estimate",)

    gained: Values
    lost: Values
    n: Values

    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class Robustness(Result):
    """Verdict table and summary of one comparison (see :func:`surveykit.robustness`).

    ``table`` has one row per check (``check``, ``value``, ``holds``, ``assumption``);
    ``summary`` is one plain-English sentence. ``published_decimals`` echoes the
    published figures' rounding. Has the protocol of :class:`Result`: ``to_frame()`` (the
    table), ``to_string(decimals=1)`` and ``to_html(decimals=1)`` (the table and the
    sentence).
    """

    table: pd.DataFrame
    summary: str
    p1: float
    p2: float
    n: float | None
    moe: float | None
    deff: float | None
    published_decimals: int
    alpha: float

    _plot: ClassVar[str | None] = None

    def to_frame(self) -> pd.DataFrame:
        """The verdict table (one row per check)."""
        return self.table.copy()

    def to_html(self, decimals: int = 1) -> str:
        """The verdict table as HTML, followed by the summary sentence."""
        from html import escape

        return f"{super().to_html(decimals)}<p>{escape(self.summary)}</p>"

    def to_string(self, decimals: int = 1) -> str:
        """The verdict table as text, followed by the summary sentence."""
        return f"{super().to_string(decimals)}\n{self.summary}"

    def __repr__(self) -> str:
        words = self.summary if len(self.summary) <= 80 else self.summary[:79] + "…"
        return f"Robustness({len(self.table)} checks: {words!r})"
