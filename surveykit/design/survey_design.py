"""The survey design object: built once from the data, immutable, with estimation methods.

:class:`SurveyDesign` is the counterpart of R's ``svydesign``: it records the sampling
units of each stage, the strata, the weights and the finite population corrections, and
offers means, totals, ratios, proportions, tables and tests whose variances come from
linearisation (:mod:`surveykit.design.variance`). Domains (``subset``, ``by=``,
``na_rm=True``) keep the whole design for variances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from surveykit._core.validation import check_flag, check_option
from surveykit._core.validation import design as checks
from surveykit.design.stages import StageColumns, build_stages
from surveykit.design.variance import Stage

if TYPE_CHECKING:  # pragma: no cover
    from surveykit.design.results import SurveyEstimate, SurveyProportion
    from surveykit.design.tables import SurveyChisq, SurveyTable

__all__ = ["SurveyDesign"]


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.array(values)
    values.flags.writeable = False
    return values


def _count_present(unit_codes: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Number of distinct codes with at least one row in each mask column."""
    order = np.argsort(unit_codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(unit_codes[order]) != 0])
    return (np.add.reduceat(masks[order].astype(np.int64), starts, axis=0) > 0).sum(axis=0)


class SurveyDesign:
    """A complex survey design: stages, strata, weights and finite population corrections.

    Built once from the data, as R's ``svydesign``; immutable. Estimation methods return
    result objects; :meth:`subset` returns a new design restricted to a domain.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    psu : str or list of str, optional
        The sampling units: one column for a one-stage cluster sample, one column per
        stage for a multistage sample (as R's ``id = ~dnum + snum``). None (default):
        every row is its own unit (``id = ~1``).
    strata : str or list of str, optional
        The strata of the first stage (a list: of the first stages, one column each).
    weights : str, optional
        Column of sampling weights (inverse selection probabilities; 0 or more). None:
        computed from ``fpc`` (the product over stages of ``N_h / n_h``), or 1 for
        everyone when there is no fpc, as R does.
    fpc : str or list of str, optional
        Finite population correction, one column per stage: population sizes (all
        values >= 1, some above 1) or sampling fractions (all <= 1), as R decides. With
        an fpc, later stages add their variance (R's ``svyrecvar``); without one the
        first stage is treated as sampled with replacement.
    nest : bool, default False
        Unit labels are reused across strata (unit 1 of stratum A is not unit 1 of B).
    lonely_psu : {'fail', 'remove', 'adjust', 'average', 'certainty'}, default 'fail'
        What to do with strata holding one sampled unit, as R's
        ``options(survey.lonely.psu)``: refuse the design; let them contribute nothing
        (``'remove'`` and ``'certainty'``); centre them at the grand mean rather than
        the stratum mean (``'adjust'``); or scale up the other strata's variance
        (``'average'``).

    Raises
    ------
    SurveyKitError
        For a missing column, missing design values, negative or non-finite weights,
        units labelled in several strata without ``nest=True``, a single unit, an fpc
        that mixes sizes and fractions, varies within a stratum or is smaller than the
        sample, and (under ``'fail'``) a stratum with one unit.

    See Also
    --------
    SurveyDesign.mean, SurveyDesign.total, SurveyDesign.ratio, SurveyDesign.proportion
    surveykit.design.proportion_ci.ci_from_se : an interval from a published share and SE.

    Notes
    -----
    The design mirrors R's ``svydesign`` [1]_: with several ``psu`` columns the units of
    stage :math:`k` are nested in those of stage :math:`k - 1`; the strata of stage
    :math:`k > 1` are the units of stage :math:`k - 1` (crossed with the ``strata``
    column of that stage if one is given); ``degrees_of_freedom`` is R's ``degf``:
    first-stage units minus first-stage strata, counting respondents with a positive
    weight.

    References
    ----------
    .. [1] Lumley, T. (2004). Analysis of complex survey samples. Journal of Statistical
       Software 9(8), 1-19.

    Examples
    --------
    A stratified sample of 6 schools from two school types:

    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> schools = pd.DataFrame({"type": ["E", "E", "E", "H", "H", "H"],
    ...                         "score": [700, 650, 720, 610, 640, 600],
    ...                         "weight": [40.0, 40, 40, 20, 20, 20],
    ...                         "N": [120, 120, 120, 60, 60, 60]})
    >>> design = skd.SurveyDesign(schools, strata="type", weights="weight", fpc="N")
    >>> design.degrees_of_freedom
    4
    >>> round(design.mean("score").estimate, 2)
    665.56
    """

    __slots__ = (
        "_data",
        "_domain",
        "_fpc",
        "_lonely_psu",
        "_nest",
        "_psu",
        "_psu_codes",
        "_stages",
        "_strata",
        "_stratum_codes",
        "_weights",
        "_weights_name",
    )

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        psu: str | list[str] | None = None,
        strata: str | list[str] | None = None,
        weights: str | None = None,
        fpc: str | list[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> None:
        data = checks.check_data_frame(data)
        lonely_psu = check_option("lonely_psu", lonely_psu, checks.LONELY_PSU_CHOICES)
        nest = check_flag("nest", nest)
        names = {
            "psu": checks.check_column_names("psu", psu, data),
            "strata": checks.check_column_names("strata", strata, data),
            "weights": checks.check_column_names("weights", weights, data),
            "fpc": checks.check_column_names("fpc", fpc, data),
        }
        if len(names["weights"]) > 1:
            raise checks.SurveyKitError(
                f"weights must be one column name, got {weights!r}; multiply the stage "
                "weights into one column first"
            )
        for role, columns in names.items():
            for column in columns:
                checks.check_design_column(role, column, data[column])
        n_stages = max(len(names["psu"]), 1)
        if len(names["strata"]) > n_stages:
            raise checks.fail_wrong_stage_count("strata", len(names["strata"]), n_stages)
        if names["fpc"] and len(names["fpc"]) != n_stages:
            raise checks.fail_wrong_stage_count("fpc", len(names["fpc"]), n_stages)
        ids = [data[c].to_numpy() for c in names["psu"]] or [np.arange(len(data))]
        if names["psu"] and not (nest and names["strata"]):
            checks.check_one_psu(names["psu"][0], len(pd.unique(ids[0])))
        fpc_values = None
        if names["fpc"]:
            fpc_values = np.column_stack(
                [checks.check_numeric_column("fpc", c, data[c]) for c in names["fpc"]]
            )
        cols = StageColumns(
            ids=ids,
            strata=[data[c].to_numpy() for c in names["strata"]],
            fpc=fpc_values,
            nest=nest,
            names=names,
        )
        stages, fpc_weights, first = build_stages(cols, lonely_psu)
        if names["weights"]:
            column = names["weights"][0]
            w = checks.check_numeric_column("weights", column, data[column])
            w = checks.check_weights(column, w, data.index)
        else:
            w = fpc_weights if fpc_weights is not None else np.ones(len(data))
        setter = object.__setattr__
        setter(self, "_data", data.copy())
        setter(self, "_weights", _read_only(w))
        setter(self, "_stages", stages)
        setter(self, "_psu_codes", _read_only(first[0]))
        setter(self, "_stratum_codes", _read_only(first[1]))
        setter(self, "_domain", _read_only(np.ones(len(data), bool)))
        setter(self, "_psu", names["psu"])
        setter(self, "_strata", names["strata"])
        setter(self, "_weights_name", weights)
        setter(self, "_fpc", names["fpc"])
        setter(self, "_nest", nest)
        setter(self, "_lonely_psu", lonely_psu)

    @classmethod
    def from_file(cls, path: Any, **design: Any) -> SurveyDesign:
        """Read microdata and build its design from the JSON sidecar beside it.

        Parameters
        ----------
        path : str or path-like
            A file :func:`surveykit.data.microdata.read_microdata` reads.
        **design
            Keyword arguments of :class:`SurveyDesign`; they override the sidecar's.

        Returns
        -------
        SurveyDesign

        Raises
        ------
        SurveyKitError
            As :func:`~surveykit.data.microdata.read_microdata`,
            :func:`~surveykit.data.microdata.read_design_sidecar` and the constructor.

        Examples
        --------
        >>> import json, tempfile, pathlib
        >>> import pandas as pd
        >>> import surveykit.design as skd
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> pd.DataFrame({"district": [1, 1, 2, 2], "x": [1, 2, 3, 4]}).to_csv(
        ...     folder / "s.csv", index=False)
        >>> _ = (folder / "s.design.json").write_text(json.dumps({"psu": "district"}))
        >>> skd.SurveyDesign.from_file(folder / "s.csv").degrees_of_freedom
        1
        """
        from surveykit.data.microdata import read_design_sidecar, read_microdata

        spec = read_design_sidecar(path) or {}
        spec.update(design)
        return cls(read_microdata(path), **spec)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"SurveyDesign is immutable: cannot set {name!r}; build a new design, or use "
            "subset() for a domain"
        )

    # -- description ---------------------------------------------------------------------

    @property
    def data(self) -> pd.DataFrame:
        """A copy of the data the design was built from (every row, domain or not)."""
        return self._data.copy()

    @property
    def weights(self) -> pd.Series:
        """The sampling weights, indexed like the data."""
        return pd.Series(self._weights, index=self._data.index, name="weight")

    @property
    def domain(self) -> pd.Series:
        """True for the rows of the domain (every row unless :meth:`subset` was used)."""
        return pd.Series(self._domain, index=self._data.index, name="domain")

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages entering variances (see :class:`~surveykit.design.variance.Stage`)."""
        return self._stages

    @property
    def lonely_psu(self) -> str:
        """How strata with a single sampled unit are handled."""
        return self._lonely_psu

    @property
    def n(self) -> int:
        """Number of respondents (rows) in the domain."""
        return int(self._domain.sum())

    @property
    def degrees_of_freedom(self) -> int:
        """Design degrees of freedom, as R's ``degf``.

        First-stage units minus first-stage strata among the domain's respondents with a
        positive weight.
        """
        return int(self.domain_degrees_of_freedom(self._domain[:, None])[0])

    def domain_degrees_of_freedom(self, masks: np.ndarray) -> np.ndarray:
        """R's ``degf`` of the subsets given by boolean ``masks`` (rows x domains)."""
        inset = masks & (self._weights != 0)[:, None]
        return _count_present(self._psu_codes, inset) - _count_present(self._stratum_codes, inset)

    def __repr__(self) -> str:
        parts = [f"{self.n} respondents"]
        if self.n != len(self._data):
            parts[0] += f" in a domain of {len(self._data)}"
        if self._strata:
            parts.append(f"strata={self._strata[0] if len(self._strata) == 1 else self._strata}")
        if self._psu:
            parts.append(f"psu={self._psu[0] if len(self._psu) == 1 else self._psu}")
        if self._weights_name:
            parts.append(f"weights={self._weights_name}")
        if self._fpc:
            parts.append(f"fpc={self._fpc[0] if len(self._fpc) == 1 else self._fpc}")
        parts.append(f"df={self.degrees_of_freedom}")
        return f"SurveyDesign({', '.join(parts)})"

    # -- domains -------------------------------------------------------------------------

    def subset(self, mask: Any) -> SurveyDesign:
        """The design restricted to a domain, keeping the whole sample for variances.

        Parameters
        ----------
        mask : array_like of bool or Series
            True for the rows of the domain (one per row of ``data``; a Series must have
            the data's index).

        Returns
        -------
        SurveyDesign
            A new design whose estimates are domain estimates (R's ``subset`` of a
            design): rows outside the domain count as zeros, not as dropped units.

        Raises
        ------
        SurveyKitError
            If the mask is not boolean, has the wrong length or selects nobody with a
            positive weight.

        Examples
        --------
        >>> import pandas as pd
        >>> import surveykit.design as skd
        >>> data = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3], "x": [1.0, 2, 3, 4, 5, 6],
        ...                      "sex": list("FMFMFM")})
        >>> women = skd.SurveyDesign(data, psu="psu").subset(data["sex"] == "F")
        >>> women.n, women.mean("x").estimate
        (3, 3.0)
        """
        values = checks.check_mask(mask, self._data.index)
        domain = self._domain & values
        if not (domain & (self._weights > 0)).any():
            raise checks.fail_empty_domain("mask")
        new = object.__new__(SurveyDesign)
        for name in self.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "_domain", _read_only(domain))
        return new

    # -- estimates (see surveykit.design.estimates) ---------------------------------------

    def mean(self, variables: str | list[str], **options: Any) -> SurveyEstimate:
        """Means (shares per level for categorical variables); see :func:`~surveykit.design.estimates.mean`."""  # noqa: E501
        from surveykit.design.estimates import mean

        return mean(self, variables, **options)

    def total(self, variables: str | list[str], **options: Any) -> SurveyEstimate:
        """Population totals; see :func:`~surveykit.design.estimates.total`."""
        from surveykit.design.estimates import total

        return total(self, variables, **options)

    def ratio(
        self, numerator: str | list[str], denominator: str | list[str], **options: Any
    ) -> SurveyEstimate:
        """Ratios of totals; see :func:`~surveykit.design.estimates.ratio`."""
        from surveykit.design.estimates import ratio

        return ratio(self, numerator, denominator, **options)

    def proportion(self, variable: str, **options: Any) -> SurveyProportion:
        """Proportions with R's ``svyciprop`` intervals; see :func:`~surveykit.design.proportions.proportion`."""  # noqa: E501
        from surveykit.design.proportions import proportion

        return proportion(self, variable, **options)

    def table(self, row: str, column: str | None = None, **options: Any) -> SurveyTable:
        """Weighted counts and shares with SEs; see :func:`~surveykit.design.tables.table`."""
        from surveykit.design.tables import table

        return table(self, row, column, **options)

    def chisq(self, row: str, column: str, **options: Any) -> SurveyChisq:
        """Rao-Scott and Wald tests of independence; see :func:`~surveykit.design.tables.chisq`."""
        from surveykit.design.tables import chisq

        return chisq(self, row, column, **options)
