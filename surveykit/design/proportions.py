"""Design-based proportions with R's ``svyciprop`` intervals.

The estimate and SE are those of :func:`surveykit.design.estimates.mean`; the interval
is one of R's six ``svyciprop`` methods. For ``'likelihood'`` the weighted logistic fit
of R's ``svyglm`` is reproduced from each domain's sufficient statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from surveykit._core.validation import check_option
from surveykit._core.validation import design as checks
from surveykit.design.estimates import AnalysisMatrix, Domains, mean, prepare
from surveykit.design.proportion_ci import SVYCIPROP_METHODS, ProfileData, svyciprop_interval
from surveykit.design.results import SurveyProportion

if TYPE_CHECKING:  # pragma: no cover
    from surveykit.design.survey_design import SurveyDesign

__all__ = ["proportion"]


def _irls(
    rescaled: np.ndarray, y: np.ndarray, successes: np.ndarray, failures: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """R's ``glm.fit`` of ``y ~ 1`` (binomial): final coefficient and naive variance.

    Reproduces R's iterations (start at ``(W y + 0.5) / (W + 1)``, stop when the
    deviance changes by less than 1e-8 relatively), because R's naive variance uses the
    working weights of the last iteration, not of the converged fit. Vectorised over
    the (domain, variable) elements; the iterations after the first use sufficient
    statistics only.
    """
    total = successes + failures
    with np.errstate(divide="ignore", invalid="ignore"):
        constant = 2 * np.einsum(
            "ne,ne->e", rescaled, special.xlogy(y, y) + special.xlogy(1 - y, 1 - y)
        )

        def deviance(mu: np.ndarray) -> np.ndarray:
            return constant - 2 * (successes * np.log(mu) + failures * np.log1p(-mu))

        start = (rescaled * y + 0.5) / (rescaled + 1)
        start = np.where(rescaled > 0, start, 0.5)
        dev_start = 2 * np.einsum(
            "ne,ne->e",
            rescaled,
            special.xlogy(y, y)
            - special.xlogy(y, start)
            + special.xlogy(1 - y, 1 - y)
            - special.xlogy(1 - y, 1 - start),
        )
        work = rescaled * start * (1 - start)
        z = special.logit(start) + (y - start) / (start * (1 - start))
        naive = 1 / work.sum(axis=0)
        coef = np.einsum("ne,ne->e", work, z) * naive
        dev_old, dev = dev_start, deviance(special.expit(coef))
        done = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < 1e-8
        for _ in range(24):
            if done.all():
                break
            mu = special.expit(coef)
            step_naive = 1 / (total * mu * (1 - mu))
            step = coef + (successes / total - mu) / (mu * (1 - mu))
            new_dev = deviance(special.expit(step))
            active = ~done
            naive = np.where(active, step_naive, naive)
            coef = np.where(active, step, coef)
            converged = np.abs(new_dev - dev) / (np.abs(new_dev) + 0.1) < 1e-8
            dev = np.where(active, new_dev, dev)
            done = done | converged
    return coef, naive


def _profile_data(
    design: SurveyDesign, matrix: AnalysisMatrix, domains_: Domains, p: int
) -> ProfileData:
    """R's quasibinomial ``svyglm(y ~ 1)`` in each domain, for the profile likelihood."""
    weights = design.weights.to_numpy()
    masks = domains_.masks
    g = masks.shape[1]
    rows = masks.sum(axis=0).astype(float)
    rescaled = weights[:, None] * masks / ((weights[:, None] * masks).sum(axis=0) / rows)
    rescaled = np.repeat(rescaled, p, axis=1)  # n x (g * p), domain-major
    y = np.tile(matrix.values, (1, g))
    successes = np.einsum("ne,ne->e", rescaled, y)
    failures = rescaled.sum(axis=0) - successes
    coef, naive = _irls(rescaled, y, successes, failures)
    fitted = special.expit(coef)
    dw = np.repeat(weights[:, None] * masks, p, axis=1)
    nobs = np.repeat((masks & (weights != 0)[:, None]).sum(axis=0).astype(float), p)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = (y - fitted) / np.sqrt(fitted * (1 - fitted))
        centre = np.einsum("ne,ne->e", dw, pearson) / dw.sum(axis=0)
        spread = np.einsum("ne,ne->e", dw, (pearson - centre) ** 2) / dw.sum(axis=0)
    return ProfileData(
        successes=successes,
        failures=failures,
        rows=np.repeat(rows, p),
        dispersion=spread * nobs / (nobs - 1),
        coef=coef,
        naive=naive,
    )


def proportion(
    design: SurveyDesign,
    variable: str | list[str],
    *,
    method: str = "logit",
    by: str | list[str] | None = None,
    na_rm: bool = False,
    confidence_level: float = 0.95,
    df: float | None = None,
    srs: str = "without-replacement",
) -> SurveyProportion:
    """Design-based proportions with R's ``svyciprop`` intervals.

    Parameters
    ----------
    design : SurveyDesign
    variable : str or list of str
        A 0/1 or boolean column (the share of 1s), or a categorical or text column (the
        share of each level, each with its own interval).
    method : {'logit', 'likelihood', 'asin', 'beta', 'mean', 'xlogit'}, default 'logit'
        R's ``svyciprop`` methods: ``'beta'`` is Korn-Graubard; ``'mean'`` the Wald
        interval; ``'logit'`` and ``'xlogit'`` Wald on the logit scale; ``'asin'`` on the
        arcsine square-root scale; ``'likelihood'`` the design-scaled profile likelihood.
    by, na_rm, confidence_level, srs
        As :meth:`SurveyDesign.mean`.
    df : float, optional
        Degrees of freedom; default the domain's (R's ``degf`` of the subset, as
        ``svyby(..., svyciprop)``). ``'beta'`` uses it in its adjustment
        :math:`(t_{n-1}/t_{df})^2`.

    Returns
    -------
    SurveyProportion
        As :class:`SurveyEstimate` (``deff`` as R's ``svymean(deff = TRUE)``), with
        ``n_eff`` :math:`= \\hat p(1-\\hat p)/SE^2` and :meth:`SurveyProportion.to_polls`.

    Raises
    ------
    SurveyKitError
        As :meth:`SurveyDesign.mean`; also for numeric values outside [0, 1] and an
        unknown method.

    See Also
    --------
    surveykit.design.proportion_ci.ci_from_se : the same intervals from published figures.

    Notes
    -----
    The estimate and SE are those of :func:`mean`; the intervals are R's (see
    :func:`~surveykit.design.proportion_ci.svyciprop_interval`) [1]_, [2]_.

    References
    ----------
    .. [1] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data. Survey
       Methodology 24, 193-201.
    .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, 2.4.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit.design as skd
    >>> data = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                      "trust": [1, 0, 1, 1, 0, 0, 1, 0]})
    >>> share = skd.SurveyDesign(data, psu="psu").proportion("trust", method="beta")
    >>> share.estimate, round(share.ci_low, 3)
    (0.5, 0.048)
    """
    method = check_option("method", method, SVYCIPROP_METHODS)
    result = mean(
        design,
        variable,
        by=by,
        na_rm=na_rm,
        confidence_level=confidence_level,
        df=df,
        srs=srs,
    )
    matrix, domains_ = prepare(design, variable, by, na_rm, "variable")
    values = matrix.values[domains_.masks.any(axis=1)]
    bad = (values < 0) | (values > 1)
    if bad.any():
        column = matrix.source[int(np.argwhere(bad)[0][1])]
        raise checks.SurveyKitError(
            f"column {column!r} must hold shares between 0 and 1 (0/1 answers) for "
            f"proportion, got {values[bad][0]!r}; use mean() for other numbers"
        )
    estimate = np.atleast_1d(np.asarray(result.estimate, float))
    fields = {
        name: np.atleast_1d(np.asarray(getattr(result, name), float))
        for name in ("se", "df", "n", "deff")
    }
    profile = None
    if method == "likelihood":
        profile = _profile_data(design, matrix, domains_, len(matrix.variable))
    level = result.confidence_level
    low, high = svyciprop_interval(
        method, estimate, fields["se"], fields["df"], fields["n"], level, profile
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = estimate * (1 - estimate) / fields["se"] ** 2
    scalar = np.ndim(result.estimate) == 0

    def out(values: np.ndarray) -> Any:
        return float(values[0]) if scalar else values

    return SurveyProportion(
        estimate=result.estimate,
        se=result.se,
        ci_low=out(low),
        ci_high=out(high),
        df=result.df,
        deff=result.deff,
        n=result.n,
        n_eff=out(n_eff),
        variable=result.variable,
        level=result.level,
        quantity="proportion",
        confidence_level=level,
        method=method,
        srs=result.srs,
        domain=result.domain,
        vcov=result.vcov,
    )
