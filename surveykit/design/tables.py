"""Two-way tables of a survey design: weighted counts and shares, and tests of independence.

:func:`chisq` equals R's ``svychisq`` (Rao-Scott second-order F, first-order corrected
X² and the Wald test of Koch et al.); :func:`table` gives the cells' estimated counts
and shares with linearisation SEs (R's ``svytotal``/``svymean`` of the interaction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import linalg, stats

from surveykit._core.validation import check_flag, check_option
from surveykit._core.validation import design as checks
from surveykit.design.estimates import analysis_matrix
from surveykit.design.results import SurveyChisq, SurveyTable
from surveykit.design.variance import linearisation_variance

if TYPE_CHECKING:  # pragma: no cover
    from surveykit.design.survey_design import SurveyDesign

__all__ = ["CHISQ_STATISTICS", "chisq", "table"]

#: the statistics of R's svychisq offered here
CHISQ_STATISTICS = ("F", "Chisq", "Wald")


def _cells(design: SurveyDesign, row: str, column: str | None, na_rm: bool):  # type: ignore[no-untyped-def]
    """Indicators of the row levels, column levels and cells (row levels fastest)."""
    na_rm = check_flag("na_rm", na_rm)
    data = design.data
    names = [row] if column is None else [row, column]
    checks.check_column_names("row" if column is None else "row and column", names, data)
    as_levels = data[names].apply(
        lambda x: x if isinstance(x.dtype, pd.CategoricalDtype) else x.astype("category")
    )
    parts = [analysis_matrix(as_levels, [name], name="row") for name in names]
    inside = design.domain.to_numpy()
    missing = np.zeros(len(data), bool)
    for name, part in zip(names, parts, strict=True):
        gone = np.isnan(part.values).any(axis=1)
        if not na_rm:
            checks.check_variables_missing(name, gone & inside, data.index)
        missing |= gone
    rows = np.nan_to_num(parts[0].values)
    cols = np.nan_to_num(parts[1].values) if column is not None else np.ones((len(data), 1))
    cells = (rows[:, None, :] * cols[:, :, None]).reshape(len(data), -1)  # col-major: rows fastest
    levels = (parts[0].level, parts[1].level if column is not None else [None])
    return cells, rows, cols, inside & ~missing, inside, levels


def _mean_and_variance(design: SurveyDesign, x: np.ndarray, mask: np.ndarray, kind: str):  # type: ignore[no-untyped-def]
    """Totals or means of the columns of ``x`` over ``mask``, and their covariance."""
    w = design.weights.to_numpy() * mask
    total = w @ x
    if kind == "total":
        scores = w[:, None] * x
        estimate = total
    else:
        estimate = total / w.sum()
        scores = w[:, None] * (x - estimate) / w.sum()
    present = mask[:, None] if design.lonely_psu == "average" else None
    variance = linearisation_variance(
        scores, design.stages, lonely_psu=design.lonely_psu, present=present
    )
    return estimate, variance


def _pearson(counts: np.ndarray) -> float:
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum((counts - expected) ** 2 / expected))


def _wald(design, cells, rows, cols, mask, nr, nc, nu):  # type: ignore[no-untyped-def]
    """R's ``svychisq(statistic = "Wald")``: Koch, Freeman and Freeman's Wald test."""
    x = np.column_stack([cells, rows, cols, np.ones(len(cells))])
    totals, variance = _mean_and_variance(design, x, mask, "total")
    cell, row_tot, col_tot, grand = (
        totals[: nr * nc],
        totals[nr * nc : nr * nc + nr],
        totals[nr * nc + nr : -1],
        totals[-1],
    )
    i, j = np.tile(np.arange(nr), nc), np.repeat(np.arange(nc), nr)
    jacobian = np.column_stack(
        [
            np.eye(nr * nc),
            -(i[:, None] == np.arange(nr)).astype(float) * (col_tot[j] / grand)[:, None],
            -(j[:, None] == np.arange(nc)).astype(float) * (row_tot[i] / grand)[:, None],
            row_tot[i] * col_tot[j] / grand**2,
        ]
    )
    y = cell - row_tot[i] * col_tot[j] / grand
    v = jacobian @ variance @ jacobian.T
    use = (i > 0) & (j > 0)
    wald = float(y[use] @ linalg.solve(v[np.ix_(use, use)], y[use], assume_a="sym"))
    ndf = (nr - 1) * (nc - 1)
    return wald / ndf, ndf, float(nu)


def _rao_scott(design, cells, mask, nr, nc, n_rows):  # type: ignore[no-untyped-def]
    """Generalised design effects Delta of R's ``svychisq`` (Rao and Scott)."""
    share, variance = _mean_and_variance(design, cells, mask, "mean")
    i, j = np.tile(np.arange(nr), nc), np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(i == a).astype(float) for a in range(1, nr)]
        + [(j == b).astype(float) for b in range(1, nc)]
    )
    interaction = np.column_stack(
        [((i == a) & (j == b)).astype(float) for b in range(1, nc) for a in range(1, nr)]
    )
    coef, *_ = linalg.lstsq(main, interaction)
    contrast = interaction - main @ coef
    with np.errstate(divide="ignore"):
        inverse = np.where(share == 0, 0.0, 1 / share)
    denominator = contrast.T @ (inverse[:, None] / n_rows * contrast)
    numerator = contrast.T @ (inverse[:, None] * variance * inverse[None, :]) @ contrast
    return linalg.solve(denominator, numerator), share


def chisq(
    design: SurveyDesign,
    row: str,
    column: str,
    *,
    statistic: str = "F",
    na_rm: bool = False,
) -> SurveyChisq:
    """Design-based test of independence of two categorical variables (R's ``svychisq``).

    Parameters
    ----------
    design : SurveyDesign
    row, column : str
        Categorical columns (numbers are treated as levels).
    statistic : {'F', 'Chisq', 'Wald'}, default 'F'
        Rao-Scott second-order correction as an F statistic; Pearson's X² with the
        first-order (mean design effect) correction; or the design-based Wald F.
    na_rm : bool, default False
        Leave out respondents missing either variable (R's default ``na.rm = TRUE``).

    Returns
    -------
    SurveyChisq

    Raises
    ------
    SurveyKitError
        For unknown columns, missing values without ``na_rm``, an unknown statistic.

    See Also
    --------
    table

    Notes
    -----
    With cell shares :math:`\\hat p`, their covariance :math:`V`, the interaction
    contrasts :math:`C` (orthogonal to the main effects) and
    :math:`D = \\mathrm{diag}(\\hat p)`, the generalised design effects are the
    eigenvalues of :math:`\\Delta = (C^\\top D^{-1} C / n)^{-1} C^\\top D^{-1} V D^{-1} C`.
    ``'F'`` is :math:`X^2 / \\mathrm{tr}\\,\\Delta` on
    :math:`F(d, d\\,\\nu)` with :math:`d = (\\mathrm{tr}\\,\\Delta)^2 / \\mathrm{tr}\\,\\Delta^2`
    and :math:`\\nu` the design degrees of freedom [1]_; ``'Wald'`` is
    :math:`Y^\\top V_Y^{-1} Y / ((r-1)(c-1))` on :math:`F((r-1)(c-1), \\nu)` for the
    deviations :math:`Y` of cell totals from independence [2]_. As R, :math:`X^2` is
    that of the weighted table scaled to the domain's respondents (missing ones
    included) and :math:`\\nu` counts every unit and stratum of the domain.

    References
    ----------
    .. [1] Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway
       contingency tables with cell proportions estimated from survey data. Annals of
       Statistics 12, 46-60.
    .. [2] Koch, G. G., Freeman, D. H. and Freeman, J. L. (1975). Strategies in the
       multivariate analysis of data from complex surveys. International Statistical
       Review 43, 59-78.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
    ...                      "vote": list("AABBAABBABAB"), "sex": list("FFMMFMFMFFMM")})
    >>> test = skd.SurveyDesign(data, psu="psu").chisq("vote", "sex")
    >>> test.method, round(test.pearson, 3)
    ('F', 1.333)
    """
    statistic = check_option("statistic", statistic, CHISQ_STATISTICS)
    cells, rows, cols, mask, inside, _ = _cells(design, row, column, na_rm)
    nr, nc = rows.shape[1], cols.shape[1]
    n_rows = float(inside.sum())
    nu = float(
        design.domain_degrees_of_freedom(
            inside[:, None] & (design.weights.to_numpy() >= 0)[:, None]
        )[0]
    )
    weights = design.weights.to_numpy() * mask
    counts = (weights @ cells).reshape(nc, nr).T
    pearson = _pearson(counts * n_rows / counts.sum())
    delta, _ = _rao_scott(design, cells, mask, nr, nc, n_rows)
    trace = float(np.trace(delta))
    if statistic == "Wald":
        value, ndf, ddf = _wald(design, cells, rows, cols, mask, nr, nc, nu)
        pvalue = float(stats.f.sf(value, ndf, ddf))
    elif statistic == "F":
        d0 = trace**2 / float(np.trace(delta @ delta))
        value, ndf, ddf = pearson / trace, d0, d0 * nu
        pvalue = float(stats.f.sf(value, ndf, ddf))
    else:
        value, ndf, ddf = pearson, float(delta.shape[0]), np.nan
        pvalue = float(stats.chi2.sf(pearson / np.mean(np.diag(delta)), ndf))
    return SurveyChisq(
        statistic=float(value),
        pvalue=pvalue,
        ndf=float(ndf),
        ddf=float(ddf),
        pearson=pearson,
        mean_deff=trace / delta.shape[0],
        row=row,
        column=column,
        n=int(mask.sum()),
        method=statistic,
    )


def table(
    design: SurveyDesign, row: str, column: str | None = None, *, na_rm: bool = False
) -> SurveyTable:
    """Weighted counts and shares of the cells of a one- or two-way table, with SEs.

    Parameters
    ----------
    design : SurveyDesign
    row : str
        Categorical column of the rows.
    column : str, optional
        Categorical column of the columns (a one-way table without it).
    na_rm : bool, default False
        Leave out respondents missing either variable (as a domain).

    Returns
    -------
    SurveyTable
        One element per cell (row levels vary fastest, as R's ``interaction``): the
        estimated population count and share of the total, each with its SE (R's
        ``svytotal`` and ``svymean`` of ``interaction(row, column)``).

    Raises
    ------
    SurveyKitError
        For unknown columns or missing values without ``na_rm``.

    See Also
    --------
    chisq

    Notes
    -----
    A cell's count is :math:`\\sum_i w_i 1[\\text{cell}_i]` and its share that count
    over :math:`\\sum_i w_i`; SEs come from linearisation [1]_.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 6.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 2, 3, 4], "w": [10.0, 10, 20, 20],
    ...                      "vote": ["A", "B", "A", "A"]})
    >>> skd.SurveyDesign(data, psu="psu", weights="w").table("vote").count.tolist()
    [50.0, 10.0]
    """
    cells, rows, cols, mask, _, levels = _cells(design, row, column, na_rm)
    count, count_var = _mean_and_variance(design, cells, mask, "total")
    share, share_var = _mean_and_variance(design, cells, mask, "mean")
    nr, nc = rows.shape[1], cols.shape[1]
    return SurveyTable(
        row_level=np.array(list(levels[0]) * nc, dtype=object),
        column_level=np.repeat(np.array(levels[1], dtype=object), nr),
        count=count,
        count_se=np.sqrt(np.diag(count_var)),
        share=share,
        share_se=np.sqrt(np.diag(share_var)),
        row=row,
        column=column,
        n=int(mask.sum()),
    )
