"""Confidence intervals for one proportion."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._results import ProportionCI
from ._validate import (
    broadcast,
    check_confidence_level,
    check_deff,
    check_n,
    check_option,
    check_proportion,
    integer_counts,
)

__all__ = ["PROPORTION_CI_METHODS", "proportion_ci"]

ALTERNATIVES = ("two-sided", "less", "greater")

# Each method maps (count, n, tail) -> (lower, upper), where ``tail`` is the probability
# left outside each bound (alpha / 2 for a two-sided interval, alpha for a one-sided one).
# Counts may be fractional (effective counts under a design effect).
_Method = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _wald(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = special.ndtri(1 - tail)
    p = x / n
    half = z * np.sqrt(p * (1 - p) / n)
    return p - half, p + half


def _wilson(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = special.ndtri(1 - tail)
    z2 = z * z
    p = x / n
    centre = (x + z2 / 2) / (n + z2)
    half = z * np.sqrt(n) / (n + z2) * np.sqrt(p * (1 - p) + z2 / (4 * n))
    return centre - half, centre + half


def _clopper_pearson(
    x: np.ndarray, n: np.ndarray, tail: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, special.betaincinv(x, n - x + 1, tail), 0.0)
        upper = np.where(x < n, special.betaincinv(x + 1, n - x, 1 - tail), 1.0)
    nan = np.isnan(x) | np.isnan(n) | np.isnan(tail)
    return np.where(nan, np.nan, lower), np.where(nan, np.nan, upper)


_METHODS: dict[str, _Method] = {
    "wald": _wald,
    "wilson": _wilson,
    "clopper-pearson": _clopper_pearson,
}
#: methods that need whole-number counts (checked on proportion x n)
_EXACT = frozenset({"clopper-pearson"})
PROPORTION_CI_METHODS = tuple(_METHODS)


def proportion_ci(
    proportion: ArrayLike,
    n: ArrayLike,
    *,
    method: str = "wilson",
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
    alternative: str = "two-sided",
    round_counts: bool = False,
) -> ProportionCI:
    """Confidence interval for a proportion from a poll of ``n`` respondents.

    All inputs broadcast against each other (scalars, arrays, Series; a Series keeps its
    index). The formulas are evaluated on whole arrays at once.

    Parameters
    ----------
    proportion : array_like
        Observed share(s), between 0 and 1 (0.55 for 55%).
    n : array_like
        Sample size(s). The count is ``proportion * n``.
    method : {'wilson', 'wald', 'clopper-pearson'}, default 'wilson'
        Interval method (see Notes).
    confidence_level : array_like, default 0.95
        Coverage of the interval, strictly between 0 and 1.
    deff : array_like, default 1.0
        Design effect. The interval is computed on the effective sample size
        ``n_eff = n / deff`` (with the effective count ``proportion * n_eff``).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'two-sided'`` gives a two-sided interval; ``'less'`` an upper bound
        (``ci_low = 0``) and ``'greater'`` a lower bound (``ci_high = 1``), each at the
        full confidence level.
    round_counts : bool, default False
        Exact methods need whole-number counts: ``proportion * n`` within 1e-9 of an
        integer is accepted, anything else raises unless ``round_counts=True``.

    Returns
    -------
    ProportionCI
        Fields ``estimate``, ``ci_low``, ``ci_high``, the inputs echoed, and ``n_eff``.

    Notes
    -----
    With count :math:`x`, :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}(1 - \\alpha/2)`:

    - ``wald`` [1]_: :math:`\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}`. The bounds can
      leave [0, 1] and are then truncated, as R's DescTools does.
    - ``wilson`` [2]_: the score interval, the roots of
      :math:`|\\hat p - p| = z\\sqrt{p(1-p)/n}`; as R's ``prop.test(correct=FALSE)``.
    - ``clopper-pearson`` [3]_: the exact interval from beta quantiles, as R's
      ``binom.test``. Under a design effect it uses effective counts, like R survey's
      ``svyciprop(method="beta")``.

    References
    ----------
    .. [1] Laplace, P. S. (1812). Théorie analytique des probabilités.
    .. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.
    .. [3] Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.

    Examples
    --------
    The leaked FSO poll reported 55% for peace talks, with no sample size. Had 1,600
    people been asked:

    >>> import surveykit as sk
    >>> ci = sk.proportion_ci(0.55, 1600)
    >>> round(ci.ci_low, 4), round(ci.ci_high, 4)
    (0.5255, 0.5742)

    and with a design effect of 2, the effective sample is 800:

    >>> round(sk.proportion_ci(0.55, 1600, deff=2).ci_low, 4)
    0.5154
    """
    method = check_option("method", method, PROPORTION_CI_METHODS)
    alternative = check_option("alternative", alternative, ALTERNATIVES)
    shape, a = broadcast(proportion=proportion, n=n, confidence_level=confidence_level, deff=deff)
    p = check_proportion("proportion", a["proportion"])
    size = check_n("n", a["n"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    count = p * size
    if method in _EXACT:
        count = integer_counts("proportion", count, size, round_counts=round_counts)
        p = count / size
    n_eff = size / design
    x_eff = count / design
    tail = 1 - level if alternative != "two-sided" else (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = _METHODS[method](x_eff, n_eff, tail)
    lower = np.clip(lower, 0.0, 1.0)
    upper = np.clip(upper, 0.0, 1.0)
    if alternative == "less":
        lower = np.where(np.isnan(upper), np.nan, 0.0)
    elif alternative == "greater":
        upper = np.where(np.isnan(lower), np.nan, 1.0)
    return ProportionCI(
        estimate=shape.wrap(p, "estimate"),
        ci_low=shape.wrap(lower, "ci_low"),
        ci_high=shape.wrap(upper, "ci_high"),
        n=shape.wrap(size, "n"),
        n_eff=shape.wrap(n_eff, "n_eff"),
        deff=shape.wrap(design, "deff"),
        confidence_level=shape.wrap(level, "confidence_level"),
        method=method,
        alternative=alternative,
    )
