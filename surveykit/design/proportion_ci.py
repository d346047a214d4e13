"""Intervals for design-based proportions: R's ``svyciprop`` methods and ``ci_from_se``.

The six methods of R's ``svyciprop`` work from the estimate, its design-based standard
error and the design's degrees of freedom (and, for ``'likelihood'``, the weighted
sufficient statistics of the profile likelihood). :func:`ci_from_se` gives the intervals
that need only what a published table prints: a share, its SE and the degrees of freedom.
Every formula is written on whole arrays; only the profile-likelihood spline of
``'likelihood'`` is evaluated one estimate at a time (as R does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from surveykit._core.validation import (
    as_scalar,
    broadcast,
    check_confidence_level,
    check_n,
    check_option,
    check_proportion,
)
from surveykit.design.results import PublishedShareCI
from surveykit.exceptions import SurveyKitError

__all__ = [
    "CI_FROM_SE_METHODS",
    "SVYCIPROP_METHODS",
    "ProfileData",
    "ci_from_se",
    "svyciprop_interval",
]

#: R's svyciprop methods, under R's names
SVYCIPROP_METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit")
#: methods of ci_from_se
CI_FROM_SE_METHODS = ("korn-graubard", "logit", "wald", "arcsine")


@dataclass(frozen=True)
class ProfileData:
    """What the profile likelihood of an intercept-only logistic model needs, per estimate.

    With weights rescaled to mean 1 over the domain's rows (as R's ``svyglm``):
    ``successes`` :math:`\\sum W y`, ``failures`` :math:`\\sum W (1 - y)`, ``rows`` (the
    domain's rows), ``dispersion`` (R's ``svyvar`` of the Pearson residuals), and R's
    fitted ``coef`` (logit scale) with its ``naive`` (model-based, unscaled) variance.
    """

    successes: np.ndarray
    failures: np.ndarray
    rows: np.ndarray
    dispersion: np.ndarray
    coef: np.ndarray
    naive: np.ndarray


def _t(level: float, df: np.ndarray) -> np.ndarray:
    """Upper quantile of Student t (normal for infinite df); NaN for df <= 0."""
    with np.errstate(invalid="ignore"):
        safe = np.where(df > 0, df, 1.0)
        return np.where(df > 0, stats.t.ppf(0.5 + level / 2, safe), np.nan)


def _korn_graubard(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, n: np.ndarray | None, level: float
) -> tuple[np.ndarray, np.ndarray]:
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / se**2
        if n is not None:
            n_eff = n_eff * (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
    low = np.where(p == 0, 0.0, low)
    high = np.where(p == 1, 1.0, high)
    return low, high


def _transformed(
    method: str, p: np.ndarray, se: np.ndarray, q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Wald intervals on the scale of p ('mean'), logit p or arcsine sqrt p."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("mean", "wald"):
            return p - q * se, p + q * se
        if method in ("logit", "xlogit"):
            centre = special.logit(p)
            half = q * se / (p * (1 - p))
            return special.expit(centre - half), special.expit(centre + half)
        centre = np.arcsin(np.sqrt(p))
        half = q * se / (2 * np.sqrt(p * (1 - p)))
        return np.sin(centre - half) ** 2, np.sin(centre + half) ** 2


def _fmm_spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients of R's ``spline(method = "fmm")`` (Forsythe, Malcolm and Moler)."""
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
        return b, c, d
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, n - 1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0], b[n - 1] = -d[0], -d[n - 2]
    c[0] = c[n - 1] = 0.0
    if n > 3:
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] ** 2 / (x[3] - x[0])
        c[n - 1] = -c[n - 1] * d[n - 2] ** 2 / (x[n - 1] - x[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] -= t * d[i - 1]
        c[i] -= t * c[i - 1]
    c[n - 1] /= b[n - 1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2 * c[n - 1])
    for i in range(n - 1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] *= 3
    c[n - 1] *= 3
    d[n - 1] = d[n - 2]
    return b, c, d


def _spline_inverse(x: np.ndarray, y: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """R's ``approx(spline(x, y)$y, spline(x, y)$x, xout = cutoff)$y``."""
    b, c, d = _fmm_spline(x, y)
    grid = np.linspace(x[0], x[-1], 3 * len(x))
    i = np.clip(np.searchsorted(x, grid, side="right") - 1, 0, len(x) - 1)
    dx = grid - x[i]
    values = y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))
    order = np.argsort(values, kind="stable")
    return np.interp(cutoff, values[order], grid[order], left=np.nan, right=np.nan)


def _likelihood(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, level: float, profile: ProfileData
) -> tuple[np.ndarray, np.ndarray]:
    """R's ``confint(svyglm(y ~ 1, family = quasibinomial), method = "likelihood")``.

    The signed root deviance (scaled by the dispersion) is profiled on R's grid of at
    most 9 steps of ``zmax / 5`` standard errors each way, then inverted through R's
    interpolating spline at the cut-offs :math:`\\pm t_{df} \\sqrt{\\lambda}`.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        b0 = profile.coef
        se_logit = se / (p * (1 - p))
        lam = se_logit**2 / profile.naive
        alpha = stats.norm.cdf(stats.t.ppf((1 - level) / 2, df) * np.sqrt(lam)) / 2
        zmax = np.sqrt(stats.f.isf(alpha, 1, profile.rows - 1))
        cutoff = stats.norm.ppf(2 * alpha)
        steps = np.arange(1, 10)
        signs = np.array([-1.0, 1.0])
        beta = (
            b0[:, None, None] + signs[None, :, None] * steps * (zmax / 5 * se_logit)[:, None, None]
        )
        mu, mu0 = special.expit(beta), special.expit(b0)[:, None, None]
        dev = 2 * (
            profile.successes[:, None, None] * (np.log(mu0) - np.log(mu))
            + profile.failures[:, None, None] * (np.log1p(-mu0) - np.log1p(-mu))
        )
        z = signs[None, :, None] * np.sqrt(np.maximum(dev / profile.dispersion[:, None, None], 0))
    low = np.full(p.shape, np.nan)
    high = np.full(p.shape, np.nan)
    for k in np.flatnonzero(np.isfinite(b0) & np.isfinite(zmax) & (se > 0)):
        beyond = np.abs(z[k]) >= zmax[k]
        count = np.where(beyond.any(axis=1), beyond.argmax(axis=1) + 1, 9)
        xs = np.r_[beta[k, 0, : count[0]][::-1], b0[k], beta[k, 1, : count[1]]]
        ys = np.r_[z[k, 0, : count[0]][::-1], 0.0, z[k, 1, : count[1]]]
        low[k], high[k] = _spline_inverse(xs, ys, np.array([cutoff[k], -cutoff[k]]))
    return special.expit(low), special.expit(high)


def svyciprop_interval(
    method: str,
    p: np.ndarray,
    se: np.ndarray,
    df: np.ndarray,
    n: np.ndarray,
    level: float,
    profile: ProfileData | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of R's ``svyciprop(method = ...)`` from estimates and design-based SEs.

    Parameters
    ----------
    method : {'logit', 'likelihood', 'asin', 'beta', 'mean', 'xlogit'}
    p, se, df, n : ndarray
        Estimates, standard errors, degrees of freedom and rows of each domain (R's
        ``nrow(design)``, for ``'beta'``).
    level : float
    profile : ProfileData, optional
        Needed for ``'likelihood'``.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper limits.

    Notes
    -----
    ``'logit'`` and ``'xlogit'`` both give
    :math:`\\mathrm{expit}(\\mathrm{logit}\\,\\hat p \\pm t_{df}\\, SE / (\\hat p(1-\\hat p)))`
    (R fits a weighted logistic model for ``'logit'``, whose design-based SE of the
    intercept is that one); ``'asin'`` is
    :math:`\\sin^2(\\arcsin\\sqrt{\\hat p} \\pm t_{df} SE / (2\\sqrt{\\hat p(1-\\hat p)}))`;
    ``'beta'`` is Korn and Graubard's interval [1]_; ``'likelihood'`` the design-scaled
    profile likelihood of Rao and Scott, as R computes it [2]_.

    References
    ----------
    .. [1] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data. Survey
       Methodology 24, 193-201.
    .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, 2.4.

    Examples
    --------
    >>> import numpy as np
    >>> low, high = svyciprop_interval("mean", np.array([0.5]), np.array([0.05]),
    ...                                np.array([np.inf]), np.array([100.0]), 0.95)
    >>> np.round([low[0], high[0]], 4).tolist()
    [0.402, 0.598]
    """
    method = check_option("method", method, SVYCIPROP_METHODS)
    if method == "beta":
        return _korn_graubard(p, se, df, n, level)
    if method == "likelihood":
        if profile is None:
            raise SurveyKitError("method='likelihood' needs the microdata (profile statistics)")
        return _likelihood(p, se, df, level, profile)
    return _transformed(method, p, se, _t(level, df))


def ci_from_se(
    proportion: ArrayLike,
    se: ArrayLike,
    *,
    df: ArrayLike = np.inf,
    n: ArrayLike | None = None,
    method: str = "korn-graubard",
    confidence_level: float = 0.95,
) -> PublishedShareCI:
    """Confidence interval for a published share from its standard error.

    What a reader can compute from a table that prints a share, its standard error and
    the degrees of freedom (as CDC/NCHS and statistics offices publish them). All inputs
    broadcast; the formulas are computed on whole arrays.

    Parameters
    ----------
    proportion : array_like
        The published share (0-1).
    se : array_like
        Its design-based standard error (as a share: 0.019, not 1.9).
    df : array_like, default np.inf
        Design degrees of freedom (PSUs minus strata); ``np.inf`` for normal quantiles.
    n : array_like, optional
        Respondents behind the share: Korn-Graubard then multiplies the effective size
        by :math:`(t_{n-1} / t_{df})^2`, exactly as R's ``svyciprop(method = "beta")``.
        Required for ``'korn-graubard'`` with finite ``df``.
    method : {'korn-graubard', 'logit', 'wald', 'arcsine'}, default 'korn-graubard'
        Korn-Graubard (R's ``'beta'``), Wald on the logit scale (R's ``'logit'`` and
        ``'xlogit'``), Wald on the share (R's ``'mean'``), or Wald on
        :math:`\\arcsin\\sqrt p` (R's ``'asin'``).
    confidence_level : float, default 0.95

    Returns
    -------
    PublishedShareCI
        ``estimate`` (the share), ``se``, ``ci_low``, ``ci_high``, ``df``, ``n``,
        ``n_eff`` (:math:`p(1-p)/SE^2`), ``deff`` (``n / n_eff``; NaN without ``n``).

    Raises
    ------
    SurveyKitError
        For shares outside [0, 1], SEs below 0 or above 0.5 (no share has a larger
        SE: 1.92 points is se=0.0192), non-positive df or n, an unknown
        method, or Korn-Graubard with finite ``df`` but no ``n``.

    See Also
    --------
    surveykit.proportion_ci : intervals from a share and a sample size.

    Notes
    -----
    Korn-Graubard: with :math:`n^* = \\hat p(1 - \\hat p)/SE^2 \\cdot
    (t_{n-1,\\alpha/2}/t_{df,\\alpha/2})^2`, the limits are the Clopper-Pearson limits
    for :math:`x = n^* \\hat p` successes out of :math:`n^*`:
    :math:`B_{\\alpha/2}(x, n^* - x + 1)` and :math:`B_{1-\\alpha/2}(x + 1, n^* - x)`
    [1]_, [2]_. The Wald forms use :math:`t_{df}` quantiles.

    References
    ----------
    .. [1] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data. Survey
       Methodology 24, 193-201.
    .. [2] Parker, J. D. et al. (2017). National Center for Health Statistics data
       presentation standards for proportions. Vital Health Stat 2(175).

    Examples
    --------
    A health survey table prints 50.7% with SE 1.92 points, 922 respondents, 921 df:

    >>> import surveykit.design as skd
    >>> ci = skd.ci_from_se(0.5073, 0.0192, df=921, n=922)
    >>> round(ci.ci_low, 3), round(ci.ci_high, 3)
    (0.469, 0.546)
    """
    method = check_option("method", method, CI_FROM_SE_METHODS)
    level = as_scalar(
        "confidence_level",
        confidence_level,
        lambda name, arr: check_confidence_level(arr, name),
    )
    inputs = {"proportion": proportion, "se": se, "df": df}
    if n is not None:
        inputs["n"] = n
    shape, arrays = broadcast(**inputs)
    p = check_proportion("proportion", arrays["proportion"])
    se_arr = arrays["se"]
    if (se_arr[~np.isnan(se_arr)] < 0).any():
        raise SurveyKitError(
            f"se must be a standard error of 0 or more, got {se_arr[se_arr < 0].ravel()[0]!r}"
        )
    if (se_arr[~np.isnan(se_arr)] > 0.5).any():
        # no estimator of a share (a number between 0 and 1) has a standard error above 0.5
        value = se_arr[se_arr > 0.5].ravel()[0]
        hint = f"; for {value:g} points pass se={value / 100:g}" if value < 50 else ""
        raise SurveyKitError(
            f"se must be the standard error of a share, at most 0.5, got {value!r}{hint}"
        )
    df_arr = arrays["df"]
    if (df_arr[~np.isnan(df_arr)] <= 0).any():
        raise SurveyKitError(
            f"df must be positive degrees of freedom (np.inf for normal quantiles), got "
            f"{df_arr[df_arr <= 0].ravel()[0]!r}"
        )
    n_arr = check_n("n", arrays["n"]) if n is not None else None
    if method == "korn-graubard" and n_arr is None and np.isfinite(df_arr).any():
        raise SurveyKitError(
            "method='korn-graubard' with finite df needs n (the respondents behind the "
            "share) for its degrees-of-freedom adjustment; pass n=..., or df=np.inf"
        )
    if method == "korn-graubard":
        low, high = _korn_graubard(p, se_arr, df_arr, n_arr, level)
    else:
        low, high = _transformed(method, p, se_arr, _t(level, df_arr))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        n_eff = p * (1 - p) / se_arr**2
        deff = n_arr / n_eff if n_arr is not None else np.full(shape.shape, np.nan)
    return PublishedShareCI(
        estimate=shape.wrap(p),
        se=shape.wrap(se_arr),
        ci_low=shape.wrap(low),
        ci_high=shape.wrap(high),
        df=shape.wrap(df_arr),
        n=shape.wrap(n_arr) if n_arr is not None else None,
        n_eff=shape.wrap(n_eff),
        deff=shape.wrap(deff),
        confidence_level=level,
        method=method,
    )
