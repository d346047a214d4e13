"""Result objects of the survey-design wing: estimates with SEs, and shares from published SEs.

They share the behaviour of every surveykit result (:class:`surveykit._core.results.Result`):
``to_frame()`` gives one row per element (the domain columns first), ``_repr_html_`` renders
it, ``plot()`` draws the intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from surveykit._core.results import Interval, Result, Values
from surveykit.exceptions import SurveyKitError

__all__ = ["PublishedShareCI", "SurveyChisq", "SurveyEstimate", "SurveyProportion", "SurveyTable"]

_NUMBERS = ("estimate", "se", "ci_low", "ci_high", "df", "deff", "n", "n_eff")


@dataclass(frozen=True, eq=False, repr=False)
class SurveyEstimate(Interval):
    """Design-based estimates: means, totals or ratios with linearisation SEs.

    One element per variable (per level of a categorical variable) and domain. Fields
    are floats for a single element from a single column name, arrays otherwise.
    ``quantity`` says what is estimated (``'mean'``, ``'total'``, ``'ratio'`` or
    ``'proportion'``); ``variable`` and ``level`` name each element (``level`` is None
    for a numeric variable); ``domain`` holds the ``by`` values of each element (None
    without ``by``); ``vcov`` the covariance matrix of all elements (domains included).
    Has the protocol of :class:`~surveykit._core.results.Result`: ``to_frame()`` (domain
    columns first), ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    se: Values
    df: Values
    deff: Values
    n: Values
    n_eff: Values
    variable: str | np.ndarray
    level: str | np.ndarray | None
    quantity: str
    srs: str
    domain: pd.DataFrame | None
    vcov: np.ndarray

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "se")
    _plain: ClassVar[tuple[str, ...]] = ("estimate", "se", "ci_low", "ci_high")

    def to_frame(self) -> pd.DataFrame:
        """One row per element: domain columns, variable, level, then the numbers."""
        columns: dict[str, Any] = {}
        if self.domain is not None:
            for name in self.domain.columns:
                columns[name] = self.domain[name].to_numpy()
        columns["variable"] = np.atleast_1d(np.asarray(self.variable, dtype=object))
        columns["level"] = np.atleast_1d(np.asarray(self.level, dtype=object))
        for name in _NUMBERS:
            columns[name] = np.atleast_1d(np.asarray(getattr(self, name), dtype=float))
        length = len(columns["estimate"])
        for name in ("quantity", "confidence_level", "method"):
            columns[name] = [getattr(self, name)] * length
        return pd.DataFrame(columns)

    def __repr__(self) -> str:
        if np.ndim(self.estimate) == 0:
            return (
                f"{type(self).__name__}({self.quantity} of {self.variable!r}: "
                f"estimate={self.estimate:.6g}, se={self.se:.6g}, df={self.df:g})"
            )
        return f"{type(self).__name__}({self.quantity}, {np.size(self.estimate)} elements)"


@dataclass(frozen=True, eq=False, repr=False)
class SurveyProportion(SurveyEstimate):
    """Design-based proportions with R's ``svyciprop`` intervals.

    ``n_eff`` is :math:`\\hat p (1 - \\hat p) / \\widehat{SE}^2`, the size of a simple
    random sample with the same standard error (Korn and Graubard's effective size,
    before their degrees-of-freedom adjustment).
    """

    _plain: ClassVar[tuple[str, ...]] = ()

    def to_polls(
        self,
        *,
        pollster: str = "survey microdata",
        question: str | None = None,
        fieldwork_end: str | None = None,
    ) -> pd.DataFrame:
        """The proportions as published poll figures, in :func:`surveykit.read_polls`'s schema.

        Parameters
        ----------
        pollster : str, default 'survey microdata'
        question : str, optional
            The question; by default the variable's name.
        fieldwork_end : str, optional
            ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

        Returns
        -------
        DataFrame
            One row per element: ``proportion``, ``n`` (respondents in the domain, with
            ``n_status='published'``), and the extra columns ``deff`` (:math:`n / n_{eff}`:
            the design effect relative to the binomial variance :math:`p(1-p)/n`, so that
            ``two_proportion_test(p1, n1, p2, n2, deff=...)`` or ``n / deff`` reproduces
            the design-based SE), ``n_eff``, ``se``, ``ci_low``, ``ci_high``. Each domain
            is a poll of its own (``poll_id`` names it).

        Examples
        --------
        >>> import pandas as pd
        >>> import surveykit.design as skd
        >>> data = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3], "yes": [1, 0, 1, 1, 0, 1]})
        >>> share = skd.SurveyDesign(data, psu="psu").proportion("yes")
        >>> share.to_polls()[["option", "proportion", "n", "n_status"]].values.tolist()
        [['yes', 0.6666666666666666, 6, 'published']]
        """
        from surveykit.data.polls import read_polls

        frame = self.to_frame()
        if frame["n"].isna().any() or (frame["n"] <= 0).any():
            raise SurveyKitError("to_polls needs every element to have respondents (n > 0)")
        if self.domain is not None:
            labels = [
                "; ".join(f"{k}={v}" for k, v in row.items())
                for row in self.domain.to_dict("records")
            ]
        else:
            labels = [""] * len(frame)
        options = [
            str(lev) if lev is not None and not pd.isna(lev) else str(var)
            for var, lev in zip(frame["variable"], frame["level"], strict=True)
        ]
        polls = pd.DataFrame(
            {
                "poll_id": [f"{pollster} {lab}".strip() for lab in labels],
                "pollster": pollster,
                "fieldwork_end": fieldwork_end or "",
                "question": [question or str(v) for v in frame["variable"]],
                "option": options,
                "proportion": frame["estimate"].to_numpy(),
                "n": frame["n"].round().astype(int).to_numpy(),
                "n_status": "published",
                "deff": (frame["n"] / frame["n_eff"]).to_numpy(),
                "n_eff": frame["n_eff"].to_numpy(),
                "se": frame["se"].to_numpy(),
                "ci_low": frame["ci_low"].to_numpy(),
                "ci_high": frame["ci_high"].to_numpy(),
            }
        )
        return read_polls(polls)


@dataclass(frozen=True, eq=False, repr=False)
class PublishedShareCI(Interval):
    """Interval for a published share from its standard error (see ``ci_from_se``).

    ``n_eff`` is :math:`p(1-p)/SE^2` (before Korn and Graubard's degrees-of-freedom
    adjustment); ``deff`` is ``n / n_eff`` (NaN without ``n``; ``n`` is None when it
    was not given). Has the protocol of :class:`~surveykit._core.results.Result`:
    ``to_frame()``, ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    se: Values
    df: Values
    n: Values | None
    n_eff: Values
    deff: Values

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high")


@dataclass(frozen=True, eq=False, repr=False)
class SurveyChisq(Result):
    """Design-based test of independence in a two-way table (see ``SurveyDesign.chisq``).

    ``statistic`` is the Rao-Scott F (``'F'``), Pearson's X² (``'Chisq'``, whose
    p-value uses X² divided by the mean generalised design effect) or the Wald F
    (``'Wald'``); ``ndf`` and ``ddf`` are the degrees of freedom of its reference
    distribution (``ddf`` NaN for ``'Chisq'``); ``pearson`` is the unadjusted X² of the
    weighted table scaled to the sample size, ``mean_deff`` the mean of the generalised
    design effects; ``method`` is the statistic chosen.

    Not a :class:`~surveykit._core.results.Tested`: a test of independence has no single
    estimate to carry (R's ``svychisq`` reports none) and no direction (it is always the
    upper tail), so it declares its ``statistic`` and ``pvalue`` itself. It has the
    protocol of :class:`~surveykit._core.results.Result`: ``to_frame()`` (one row),
    ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    statistic: float
    pvalue: float
    ndf: float
    ddf: float
    pearson: float
    mean_deff: float
    row: str
    column: str
    n: int
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("statistic", "pvalue")
    _plain: ClassVar[tuple[str, ...]] = ("statistic",)
    _plot: ClassVar[str | None] = None


@dataclass(frozen=True, eq=False, repr=False)
class SurveyTable(Result):
    """Weighted counts and shares of a one- or two-way table, with linearisation SEs.

    One element per cell: ``row_level`` (and ``column_level``), the estimated
    population ``count`` and its ``count_se``, the ``share`` of the total and its
    ``share_se``.

    Not an :class:`~surveykit._core.results.Interval`: a table of counts and shares has
    no single estimate and no interval. It has the protocol of
    :class:`~surveykit._core.results.Result`: ``to_frame()`` (one row per cell),
    ``to_string(decimals=1)``, ``to_html(decimals=1)``.
    """

    row_level: np.ndarray
    column_level: np.ndarray
    count: np.ndarray
    count_se: np.ndarray
    share: np.ndarray
    share_se: np.ndarray
    row: str
    column: str | None
    n: int

    _headline: ClassVar[tuple[str, ...]] = ("count", "share")
    _plain: ClassVar[tuple[str, ...]] = ("count", "count_se")
    _plot: ClassVar[str | None] = None

    def __repr__(self) -> str:
        return f"SurveyTable({self.row} x {self.column}, {np.size(self.count)} cells)"
