"""Two independent proportions: tests of p1 - p2."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._results import TwoProportionTest
from ._validate import broadcast, check_deff, check_n, check_option, check_proportion
from .exceptions import SurveyKitError

__all__ = ["TWO_PROPORTION_TEST_METHODS", "pvalue_from_z", "two_proportion_test"]

ALTERNATIVES = ("two-sided", "less", "greater")


def pvalue_from_z(z: np.ndarray, alternative: str) -> np.ndarray:
    """p-value of a standard normal statistic ``z`` for the given alternative.

    ``'greater'`` means the true difference exceeds the null one (large z is evidence),
    ``'less'`` the opposite; ``'two-sided'`` doubles the smaller tail.
    """
    if alternative == "greater":
        return special.ndtr(-z)
    if alternative == "less":
        return special.ndtr(z)
    return np.minimum(1.0, 2 * special.ndtr(-np.abs(z)))


def _z_ratio(diff: np.ndarray, se: np.ndarray) -> np.ndarray:
    """diff / se, with 0/0 taken as 0 (no difference and no variance: no evidence)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = diff / se
    return np.where((diff == 0) & (se == 0), 0.0, z)


def _z_pooled(p1, n1, p2, n2, d0):  # type: ignore[no-untyped-def]
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return _z_ratio(p1 - p2 - d0, se)


def _z_unpooled(p1, n1, p2, n2, d0):  # type: ignore[no-untyped-def]
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return _z_ratio(p1 - p2 - d0, se)


_METHODS: dict[str, Callable[..., np.ndarray]] = {
    "z-pooled": _z_pooled,
    "z-unpooled": _z_unpooled,
}
TWO_PROPORTION_TEST_METHODS = tuple(_METHODS)
#: methods whose null hypothesis can only be p1 = p2
_ZERO_NULL_ONLY = frozenset({"z-pooled"})


def two_proportion_test(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    method: str = "z-pooled",
    alternative: str = "two-sided",
    null_difference: ArrayLike = 0.0,
    deff: ArrayLike = 1.0,
) -> TwoProportionTest:
    """Test whether two independent polls' proportions differ.

    The hypothesis is about :math:`\\delta = p_1 - p_2`: the null is
    :math:`\\delta = \\delta_0` (``null_difference``). ``alternative='greater'`` means
    :math:`\\delta > \\delta_0`, ``'less'`` means :math:`\\delta < \\delta_0`, and
    ``'two-sided'`` means :math:`\\delta \\ne \\delta_0`; this holds for every method.
    All inputs broadcast (scalars, arrays, Series) and are computed on whole arrays.

    Parameters
    ----------
    p1, n1 : array_like
        Proportion and sample size of the first poll.
    p2, n2 : array_like
        Proportion and sample size of the second poll.
    method : {'z-pooled', 'z-unpooled'}, default 'z-pooled'
        ``'z-pooled'`` is the usual two-sample z-test with the pooled proportion in the
        standard error; its square is the statistic of R's ``prop.test(correct=FALSE)``.
        ``'z-unpooled'`` uses each poll's own variance (the Wald test).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
    null_difference : array_like, default 0.0
        :math:`\\delta_0`. The pooled test assumes equal proportions under the null,
        so it accepts only 0.
    deff : array_like, default 1.0
        Design effect applied to both polls: each n becomes ``n / deff``.

    Returns
    -------
    TwoProportionTest
        ``estimate`` (p1 - p2), ``statistic`` (z) and ``pvalue``, with the inputs echoed.

    Notes
    -----
    Pooled: :math:`z = (\\hat p_1 - \\hat p_2)/\\sqrt{\\bar p(1-\\bar p)(1/n_1+1/n_2)}`
    with :math:`\\bar p = (x_1 + x_2)/(n_1 + n_2)`. Unpooled:
    :math:`z = (\\hat p_1 - \\hat p_2 - \\delta_0)/\\sqrt{\\hat p_1(1-\\hat p_1)/n_1
    + \\hat p_2(1-\\hat p_2)/n_2}`. When both the difference and its standard error are
    zero (0/n against 0/n), z is 0 and the two-sided p-value 1.

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., Wiley, section 3.1.

    Examples
    --------
    Support for peace talks in the leaked FSO polls: 55% in November, 32% in July.
    With an assumed 400 respondents in each:

    >>> import surveykit as sk
    >>> res = sk.two_proportion_test(0.55, 400, 0.32, 400)
    >>> round(res.estimate, 2), res.pvalue < 1e-9
    (0.23, True)
    """
    method = check_option("method", method, TWO_PROPORTION_TEST_METHODS)
    alternative = check_option("alternative", alternative, ALTERNATIVES)
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, null_difference=null_difference, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    design = check_deff("deff", a["deff"])
    d0 = a["null_difference"]
    bad = ~np.isnan(d0) & ~((d0 > -1) & (d0 < 1))
    if bad.any():
        raise SurveyKitError(
            f"null_difference must lie strictly between -1 and 1, got {d0[bad][0].item()!r}"
        )
    if method in _ZERO_NULL_ONLY and np.any(d0[~np.isnan(d0)] != 0):
        raise SurveyKitError(
            f"null_difference must be 0 for method={method!r} (it pools under p1 = p2), "
            f"got {d0[d0 != 0][0].item()!r}; use method='z-unpooled' for a non-zero null"
        )
    e1, e2 = m1 / design, m2 / design
    with np.errstate(invalid="ignore", divide="ignore"):
        z = _METHODS[method](q1, e1, q2, e2, d0)
    pvalue = pvalue_from_z(z, alternative)
    return TwoProportionTest(
        estimate=shape.wrap(q1 - q2, "estimate"),
        statistic=shape.wrap(z, "statistic"),
        pvalue=shape.wrap(pvalue, "pvalue"),
        p1=shape.wrap(q1, "p1"),
        n1=shape.wrap(m1, "n1"),
        p2=shape.wrap(q2, "p2"),
        n2=shape.wrap(m2, "n2"),
        null_difference=shape.wrap(d0, "null_difference"),
        deff=shape.wrap(design, "deff"),
        method=method,
        alternative=alternative,
    )
