"""Means, totals, ratios and proportions of a survey design, with linearisation SEs.

Each function equals its R counterpart (``svymean``, ``svytotal``, ``svyratio``,
``svyciprop``, and ``svyby`` for domains). All variables and all domains of one call
are computed at once: the scores of every (domain, variable) pair form the columns of
one matrix whose covariance :func:`~surveykit.design.variance.linearisation_variance`
returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from surveykit._core.validation import (
    as_float_array,
    check_confidence_level,
    check_flag,
    check_option,
)
from surveykit._core.validation import design as checks
from surveykit.design.results import SurveyEstimate
from surveykit.design.variance import linearisation_variance

if TYPE_CHECKING:  # pragma: no cover
    from surveykit.design.survey_design import SurveyDesign

__all__ = [
    "AnalysisMatrix",
    "Domains",
    "analysis_matrix",
    "domains",
    "mean",
    "prepare",
    "ratio",
    "total",
]


@dataclass(frozen=True)
class AnalysisMatrix:
    """Analysis variables as numbers: one column per variable (per level if categorical)."""

    values: np.ndarray  # rows x columns, NaN where missing
    variable: list[str]
    level: list[Any]
    source: list[str]  # the data column of each matrix column


def analysis_matrix(data: pd.DataFrame, variables: list[str], *, name: str) -> AnalysisMatrix:
    """Numbers for numeric and boolean columns, one indicator per level for the others.

    Levels are the categories of a categorical column, or the sorted distinct values of
    a text column (as R's factor levels).
    """
    columns: list[np.ndarray] = []
    variable: list[str] = []
    level: list[Any] = []
    for column in checks.check_column_names(name, variables, data):
        values = data[column]
        missing = values.isna().to_numpy()
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            columns.append(values.to_numpy(dtype=float, na_value=np.nan))
            variable.append(column)
            level.append(None)
            continue
        categorical = values.astype("category")
        if isinstance(values.dtype, pd.CategoricalDtype):
            categorical = values
        else:
            categorical = categorical.cat.reorder_categories(
                sorted(categorical.cat.categories, key=str)
            )
        codes = categorical.cat.codes.to_numpy()
        for k, lev in enumerate(categorical.cat.categories):
            indicator = (codes == k).astype(float)
            indicator[missing] = np.nan
            columns.append(indicator)
            variable.append(column)
            level.append(lev)
    return AnalysisMatrix(np.column_stack(columns), variable, level, list(variable))


@dataclass(frozen=True)
class Domains:
    """Domain membership (rows x domains) and the ``by`` values of each domain."""

    masks: np.ndarray
    frame: pd.DataFrame | None


def domains(
    design: SurveyDesign, data: pd.DataFrame, base: np.ndarray, by: Any, na_rm: bool
) -> Domains:
    """The design's domain restricted to ``base``, split by the ``by`` columns (as svyby).

    Domains are sorted by their ``by`` values; those without a respondent with a
    positive weight are dropped (R's ``drop.empty.groups``).
    """
    weights = design.weights.to_numpy()
    if by is None:
        if not (base & (weights > 0)).any():
            raise checks.fail_empty_domain("the domain")
        return Domains(base[:, None], None)
    names = checks.check_column_names("by", by, data)
    keys = data[names]
    for column in names:
        missing = keys[column].isna().to_numpy() & base
        if not na_rm:
            checks.check_by_missing(column, missing, data.index)
    base = base & ~keys.isna().any(axis=1).to_numpy()
    group = keys.groupby(names, sort=True, dropna=True, observed=True).ngroup().to_numpy()
    group = np.where(base, group, -1)
    positive = np.unique(group[(group >= 0) & (weights > 0)])
    if positive.size == 0:
        raise checks.fail_empty_domain("every domain")
    masks = group[:, None] == positive[None, :]
    first = np.argmax(masks, axis=0)
    frame = keys.iloc[first].reset_index(drop=True)
    return Domains(masks, frame)


def prepare(
    design: SurveyDesign, variables: Any, by: Any, na_rm: bool, name: str
) -> tuple[AnalysisMatrix, Domains]:
    """Analysis matrix with missing rows zeroed, and the domains (missing rows left out)."""
    na_rm = check_flag("na_rm", na_rm)
    data = design.data
    matrix = analysis_matrix(data, variables, name=name)
    missing = np.isnan(matrix.values).any(axis=1)
    inside = design.domain.to_numpy()
    if not na_rm:
        for j, column in enumerate(matrix.source):
            checks.check_variables_missing(
                column, np.isnan(matrix.values[:, j]) & inside, data.index
            )
    values = np.where(missing[:, None], 0.0, matrix.values)
    matrix = AnalysisMatrix(values, matrix.variable, matrix.level, matrix.source)
    return matrix, domains(design, data, inside & ~missing, by, na_rm)


def _element_variance(
    design: SurveyDesign, scores: np.ndarray, masks: np.ndarray, p: int
) -> np.ndarray:
    """Covariance of the (domain, variable) elements from scores of shape (n, G, p)."""
    n, g = masks.shape
    present = np.repeat(masks, p, axis=1) if design.lonely_psu == "average" else None
    return linearisation_variance(
        scores.reshape(n, g * p), design.stages, lonely_psu=design.lonely_psu, present=present
    )


def _srs_variance(
    scores: np.ndarray, centred: np.ndarray, masks: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's ``svyvar`` per element, the domains' weight sums and respondent counts."""
    psum = (weights[:, None] * masks).sum(axis=0)
    nobs = (masks & (weights != 0)[:, None]).sum(axis=0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        svyvar = (scores * centred).sum(axis=0) * (nobs / (nobs - 1))[:, None]
    return svyvar, psum, nobs


def _finish(
    design: SurveyDesign,
    *,
    estimate: np.ndarray,
    variance: np.ndarray,
    vsrs: np.ndarray,
    domains_: Domains,
    matrix: AnalysisMatrix,
    quantity: str,
    options: dict[str, Any],
    scalar: bool,
    cls: type[SurveyEstimate] = SurveyEstimate,
) -> SurveyEstimate:
    """Assemble the result: SEs, t intervals with the domains' degrees of freedom."""
    g, p = estimate.shape
    se = np.sqrt(np.diag(variance)).reshape(g, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = np.diag(variance).reshape(g, p) / vsrs
    masks = domains_.masks
    n = np.repeat(masks.sum(axis=0).astype(float)[:, None], p, axis=1)
    df = options["df"]
    if df is None:
        df = np.repeat(design.domain_degrees_of_freedom(masks).astype(float)[:, None], p, axis=1)
    else:
        df = np.broadcast_to(df, (g, p))
    level = options["confidence_level"]
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.where(df > 0, stats.t.ppf(0.5 + level / 2, np.where(df > 0, df, 1)), np.nan)
        n_eff = n / deff
    frame = None
    if domains_.frame is not None:
        frame = domains_.frame.loc[np.repeat(np.arange(g), p)].reset_index(drop=True)
    fields = {
        "estimate": estimate,
        "se": se,
        "ci_low": estimate - quantile * se,
        "ci_high": estimate + quantile * se,
        "df": df,
        "deff": deff,
        "n": n,
        "n_eff": n_eff,
        "variable": np.array(matrix.variable * g, dtype=object).reshape(g, p),
        "level": np.array(matrix.level * g, dtype=object).reshape(g, p),
    }
    fields = {k: np.asarray(v).ravel() for k, v in fields.items()}
    if scalar and g * p == 1:
        fields = {
            k: (v[0] if k in ("variable", "level") else float(v[0])) for k, v in fields.items()
        }
    return cls(
        **fields,
        quantity=quantity,
        confidence_level=level,
        method=options.get("method", "linearisation"),
        srs=options["srs"],
        domain=frame,
        vcov=variance,
    )


def _options(confidence_level: Any, df: Any, srs: str) -> dict[str, Any]:
    level = float(check_confidence_level(as_float_array("confidence_level", confidence_level)))
    if df is not None:
        df = as_float_array("df", df)
        if np.ndim(df) != 0 or not df > 0:
            raise checks.SurveyKitError(
                f"df must be one positive number of degrees of freedom (np.inf for normal "
                f"intervals) or None for the design's, got {df!r}"
            )
        df = float(df)
    srs = check_option("srs", srs, checks.SRS_CHOICES)
    return {"confidence_level": level, "df": df, "srs": srs}


def _mean_parts(design: SurveyDesign, matrix: AnalysisMatrix, domains_: Domains):  # type: ignore[no-untyped-def]
    weights = design.weights.to_numpy()
    masks = domains_.masks
    x = matrix.values
    dw = weights[:, None] * masks  # n x G
    psum = dw.sum(axis=0)
    estimate = (dw.T @ x) / psum[:, None]  # G x p
    centred = x[:, None, :] - estimate[None, :, :]
    scores = dw[:, :, None] * centred / psum[None, :, None]
    return estimate, scores, centred, psum


def mean(
    design: SurveyDesign,
    variables: str | list[str],
    *,
    by: str | list[str] | None = None,
    na_rm: bool = False,
    confidence_level: float = 0.95,
    df: float | None = None,
    srs: str = "without-replacement",
) -> SurveyEstimate:
    """Design-based means, or shares per level of categorical variables (R's ``svymean``).

    Parameters
    ----------
    design : SurveyDesign
    variables : str or list of str
        Numeric or boolean columns (their means), or categorical / text columns (the
        share of each level).
    by : str or list of str, optional
        Domain columns: one estimate per combination of their values, with domain
        variances from the whole design (R's ``svyby``).
    na_rm : bool, default False
        Estimate over the respondents with no missing value among ``variables`` (and
        ``by``), as a domain (R's ``na.rm = TRUE``). Without it missing values raise.
    confidence_level : float, default 0.95
    df : float, optional
        Degrees of freedom of the Student t intervals; default the domain's design
        degrees of freedom (R's ``degf`` of the subset); ``np.inf`` gives R's default
        ``confint`` (normal intervals).
    srs : {'without-replacement', 'with-replacement'}, default 'without-replacement'
        The simple random sampling variance in the design effect: R's ``deff = TRUE``
        or ``deff = "replace"``.

    Returns
    -------
    SurveyEstimate
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``df``, ``deff``, ``n``
        (respondents in the domain), ``n_eff`` (``n / deff``), per variable (level) and
        domain; floats for one numeric column without ``by``.

    Raises
    ------
    SurveyKitError
        For an unknown column, missing values without ``na_rm=True``, a domain without
        respondents, or bad options.

    See Also
    --------
    total, ratio, proportion

    Notes
    -----
    With weights :math:`w_i` and domain indicators :math:`d_i`,
    :math:`\\hat\\mu = \\sum_i d_i w_i y_i / \\sum_i d_i w_i`; its scores
    :math:`d_i w_i (y_i - \\hat\\mu) / \\sum_i d_i w_i` go to the linearisation variance.
    The design effect divides that variance by :math:`s^2 (1 - n/\\hat N) / n`
    (:math:`s^2/n` with replacement), :math:`s^2` being the weighted variance with
    divisor :math:`n - 1` over the :math:`n` respondents with a positive weight [1]_.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 8.2.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                      "hours": [2.0, 3, 5, 4, 1, 2, 6, 5],
    ...                      "region": list("NNSSNNSS")})
    >>> design = skd.SurveyDesign(data, psu="psu")
    >>> result = design.mean("hours", by="region")
    >>> result.estimate.tolist()
    [2.0, 5.0]
    """
    options = _options(confidence_level, df, srs)
    matrix, domains_ = prepare(design, variables, by, na_rm, "variables")
    estimate, scores, centred, psum = _mean_parts(design, matrix, domains_)
    variance = _element_variance(design, scores, domains_.masks, estimate.shape[1])
    svyvar, psum, nobs = _srs_variance(scores, centred, domains_.masks, design.weights.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        if srs == "with-replacement":
            vsrs = svyvar / nobs[:, None]
        else:
            factor = np.where(psum < nobs, np.nan, (psum - nobs) / (psum * nobs))
            vsrs = svyvar * factor[:, None]
    scalar = isinstance(variables, str) and by is None
    return _finish(
        design,
        estimate=estimate,
        variance=variance,
        vsrs=vsrs,
        domains_=domains_,
        matrix=matrix,
        quantity="mean",
        options=options,
        scalar=scalar,
    )


def total(
    design: SurveyDesign,
    variables: str | list[str],
    *,
    by: str | list[str] | None = None,
    na_rm: bool = False,
    confidence_level: float = 0.95,
    df: float | None = None,
    srs: str = "without-replacement",
) -> SurveyEstimate:
    """Design-based population totals (counts per level for categorical variables).

    Equals R's ``svytotal`` (and ``svyby(..., svytotal)`` with ``by``). Parameters,
    returns and errors as :func:`mean`.

    Parameters
    ----------
    design : SurveyDesign
    variables : str or list of str
    by : str or list of str, optional
    na_rm : bool, default False
    confidence_level : float, default 0.95
    df : float, optional
    srs : {'without-replacement', 'with-replacement'}, default 'without-replacement'

    Returns
    -------
    SurveyEstimate

    Raises
    ------
    SurveyKitError

    See Also
    --------
    mean

    Notes
    -----
    :math:`\\hat Y = \\sum_i d_i w_i y_i`; the scores are :math:`d_i w_i y_i`
    (uncentred: the variance centres unit totals within strata). The design effect
    divides by :math:`\\hat N^2 s^2 (1 - n/\\hat N)/n` (R's ``deff = TRUE``) [1]_.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 2.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 2, 3, 4], "w": [10.0, 10, 20, 20],
    ...                      "voted": [1, 0, 1, 1]})
    >>> skd.SurveyDesign(data, psu="psu", weights="w").total("voted").estimate
    50.0
    """
    options = _options(confidence_level, df, srs)
    matrix, domains_ = prepare(design, variables, by, na_rm, "variables")
    weights = design.weights.to_numpy()
    masks = domains_.masks
    dw = weights[:, None] * masks
    estimate = dw.T @ matrix.values
    scores = dw[:, :, None] * matrix.values[:, None, :]
    variance = _element_variance(design, scores, masks, estimate.shape[1])
    _, mean_scores, centred, _ = _mean_parts(design, matrix, domains_)
    svyvar, psum, nobs = _srs_variance(mean_scores, centred, masks, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        if srs == "with-replacement":
            factor = psum**2 / nobs
        else:
            factor = psum**2 * (psum - nobs) / (psum * nobs)
    return _finish(
        design,
        estimate=estimate,
        variance=variance,
        vsrs=svyvar * factor[:, None],
        domains_=domains_,
        matrix=matrix,
        quantity="total",
        options=options,
        scalar=isinstance(variables, str) and by is None,
    )


def ratio(
    design: SurveyDesign,
    numerator: str | list[str],
    denominator: str | list[str],
    *,
    by: str | list[str] | None = None,
    na_rm: bool = False,
    confidence_level: float = 0.95,
    df: float | None = None,
    srs: str = "without-replacement",
) -> SurveyEstimate:
    """Ratios of population totals, :math:`\\hat Y / \\hat X` (R's ``svyratio``).

    Parameters
    ----------
    design : SurveyDesign
    numerator, denominator : str or list of str
        Numeric columns; every numerator is divided by every denominator.
    by, na_rm, confidence_level, df, srs
        As :func:`mean`; with ``na_rm`` a row missing any numerator or denominator is
        left out of every ratio (as R).

    Returns
    -------
    SurveyEstimate
        ``variable`` names the pair as ``'numerator/denominator'``.

    Raises
    ------
    SurveyKitError
        As :func:`mean`; also for categorical columns.

    See Also
    --------
    mean, total

    Notes
    -----
    The scores are :math:`d_i w_i (y_i - \\hat R x_i) / \\hat X`. The design effect is
    that of the total of :math:`(y_i - \\hat R x_i)/\\hat X`, as R computes it [1]_.

    References
    ----------
    .. [1] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, ch. 6.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 2, 3, 4], "spend": [10.0, 20, 30, 40],
    ...                      "income": [100.0, 100, 200, 200]})
    >>> skd.SurveyDesign(data, psu="psu").ratio("spend", "income").estimate
    0.16666666666666666
    """
    options = _options(confidence_level, df, srs)
    nums = checks.check_column_names("numerator", numerator, design.data)
    dens = checks.check_column_names("denominator", denominator, design.data)
    matrix, domains_ = prepare(design, nums + dens, by, na_rm, "numerator")
    categorical = [
        c for c, lev in zip(matrix.source, matrix.level, strict=True) if lev is not None
    ]
    if categorical:
        raise checks.SurveyKitError(
            f"ratio needs numeric columns; {categorical[0]!r} is categorical: make "
            "indicators (e.g. data['x'] == 'yes') first"
        )
    weights = design.weights.to_numpy()
    masks = domains_.masks
    dw = weights[:, None] * masks
    y = matrix.values[:, np.repeat(np.arange(len(nums)), len(dens))]
    x = matrix.values[:, len(nums) + np.tile(np.arange(len(dens)), len(nums))]
    x_total = dw.T @ x  # G x p
    estimate = (dw.T @ y) / x_total
    residual = (y[:, None, :] - estimate[None] * x[:, None, :]) / x_total[None]
    scores = dw[:, :, None] * residual
    variance = _element_variance(design, scores, masks, estimate.shape[1])
    svyvar, psum, nobs = _srs_variance(scores / dw.sum(0)[None, :, None], residual, masks, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        if srs == "with-replacement":
            factor = psum**2 / nobs
        else:
            factor = psum**2 * (psum - nobs) / (psum * nobs)
    pairs = [f"{a}/{b}" for a in nums for b in dens]
    return _finish(
        design,
        estimate=estimate,
        variance=variance,
        vsrs=svyvar * factor[:, None],
        domains_=domains_,
        matrix=AnalysisMatrix(matrix.values, pairs, [None] * len(pairs), pairs),
        quantity="ratio",
        options=options,
        scalar=isinstance(numerator, str) and isinstance(denominator, str) and by is None,
    )
