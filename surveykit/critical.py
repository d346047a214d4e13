"""Critical values under unknown sample sizes: the smallest n at which a verdict holds."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._validate import (
    broadcast,
    check_alpha,
    check_deff,
    check_option,
    check_proportion,
)
from .compare import ALTERNATIVES, TWO_PROPORTION_TEST_METHODS, two_proportion_test
from .exceptions import SurveyKitError
from .within import OPTION_DIFFERENCE_METHODS, _check_pair, option_difference_test

__all__ = ["critical_n"]


def _variance_at_one(
    p1: np.ndarray, p2: np.ndarray, ratio: np.ndarray, method: str, within: bool
) -> np.ndarray:
    """n1 x Var(estimate) under the method's standard error (closed forms)."""
    if within:
        d = p1 - p2
        return p1 + p2 - d * d if method == "wald" else p1 + p2
    if method == "z-pooled":
        pooled = (p1 + ratio * p2) / (1 + ratio)
        return pooled * (1 - pooled) * (1 + 1 / ratio)
    return p1 * (1 - p1) + p2 * (1 - p2) / ratio


def critical_n(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    alpha: ArrayLike = 0.05,
    method: str | None = None,
    ratio: ArrayLike = 1.0,
    deff: ArrayLike = 1.0,
    alternative: str = "two-sided",
    within: bool = False,
) -> float | np.ndarray:
    """Smallest whole sample size at which the difference ``p1 - p2`` is significant.

    For two independent polls the answer is the smallest integer ``n1`` (with
    ``n2 = ratio * n1``) whose test of :func:`two_proportion_test` gives a p-value below
    ``alpha``. With ``within=True``, ``p1`` and ``p2`` are two options of the same poll
    and the answer is that poll's smallest ``n`` (test of
    :func:`option_difference_test`). Inputs broadcast and are computed on whole arrays.

    Parameters
    ----------
    p1, p2 : array_like
        The two published shares (0-1).
    alpha : array_like, default 0.05
        Significance level; "significant" means ``pvalue < alpha``.
    method : str, optional
        Test method: one of ``'z-pooled'`` (default), ``'z-unpooled'`` for two polls;
        ``'wald'`` (default) or ``'score'`` with ``within=True``.
    ratio : array_like, default 1.0
        ``n2 / n1`` for two polls (ignored with ``within=True``).
    deff : array_like, default 1.0
        Design effect: the sample size needed grows in proportion to it.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        As in :func:`two_proportion_test`; with a one-sided alternative pointing away
        from the observed difference the answer is infinite.
    within : bool, default False
        Compare two options of one poll (multinomial covariance) instead of two polls.

    Returns
    -------
    float or ndarray
        The critical n1 as a whole number (float so that ``inf`` can say "never": equal
        shares are not significant at any n). A Series input keeps its index.

    Notes
    -----
    For these z-tests :math:`z = d\\sqrt{n_1}/\\sqrt{v}` with :math:`v` free of
    :math:`n_1`, so the critical size is :math:`\\lceil z_{crit}^2\\, v\\, D / d^2\\rceil`
    (``D`` the design effect), checked against the test itself at the integer found
    and the one below so that floating-point error cannot move it by one.

    Examples
    --------
    The July-to-November change in the leaked FSO polls, 32% to 55%, is significant with
    36 respondents in each poll, and 72 with a design effect of 2:

    >>> import surveykit as sk
    >>> sk.critical_n(0.55, 0.32), sk.critical_n(0.55, 0.32, deff=2)
    (36.0, 72.0)
    """
    if not isinstance(within, bool | np.bool_):
        raise SurveyKitError(f"within must be True or False, got {within!r}")
    if within:
        method = check_option("method", method or "wald", OPTION_DIFFERENCE_METHODS)
    else:
        method = check_option("method", method or "z-pooled", TWO_PROPORTION_TEST_METHODS)
    alternative = check_option("alternative", alternative, ALTERNATIVES)
    shape, a = broadcast(p1=p1, p2=p2, alpha=alpha, ratio=ratio, deff=deff)
    if within:
        q1, q2 = _check_pair({"p_a": a["p1"], "p_b": a["p2"]})
    else:
        q1 = check_proportion("p1", a["p1"])
        q2 = check_proportion("p2", a["p2"])
    level = check_alpha(a["alpha"])
    rat = check_deff("ratio", a["ratio"]) if not within else np.ones_like(q1)
    design = check_deff("deff", a["deff"])

    d = q1 - q2
    tail = level / 2 if alternative == "two-sided" else level
    z_crit = special.ndtri(1 - tail)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = z_crit**2 * _variance_at_one(q1, q2, rat, method, within) * design / (d * d)
    wrong_way = (alternative == "greater") & (d <= 0) | (alternative == "less") & (d >= 0)
    exact = np.where((d == 0) | wrong_way, np.inf, exact)
    candidate = np.maximum(np.ceil(exact), 1.0)
    finite = np.isfinite(candidate)

    def significant(n1: np.ndarray) -> np.ndarray:
        n1 = np.where(finite & (n1 >= 1), n1, 1.0)
        if within:
            res = option_difference_test(
                q1, q2, n1, method=method, alternative=alternative, deff=design
            )
        else:
            res = two_proportion_test(
                q1, n1, q2, rat * n1, method=method, alternative=alternative, deff=design
            )
        return np.asarray(res.pvalue) < level

    # Guard the closed form against rounding at the boundary.
    step_down = finite & (candidate > 1) & significant(candidate - 1)
    candidate = np.where(step_down, candidate - 1, candidate)
    step_up = finite & ~significant(candidate)
    candidate = np.where(step_up, candidate + 1, candidate)
    nan = np.isnan(q1) | np.isnan(q2) | np.isnan(level) | np.isnan(rat) | np.isnan(design)
    return shape.wrap(np.where(nan, np.nan, candidate), "critical_n")
