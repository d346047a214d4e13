"""Two independent proportions: tests of p1 - p2.

Every test of :func:`two_proportion_test` shares one meaning of ``alternative``: with
:math:`\\delta = p_1 - p_2` and :math:`\\delta_0` the ``null_difference``,
``'greater'`` is :math:`\\delta > \\delta_0`, ``'less'`` is :math:`\\delta < \\delta_0`
and ``'two-sided'`` is :math:`\\delta \\ne \\delta_0`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.numerics import pvalue_from_z, ratio_into
from surveykit._core.results import TwoProportionTest
from surveykit._core.score import restricted_mle, score_z
from surveykit._core.validation import (
    Broadcast,
    broadcast,
    check_alternative,
    check_deff,
    check_flag,
    check_n,
    check_null_difference,
    check_option,
    check_proportion,
    integer_counts,
)
from surveykit.exceptions import SurveyKitError
from surveykit.inference import exact

__all__ = [
    "TWO_PROPORTION_TEST_METHODS",
    "two_proportion_test",
]


# Asymptotic methods map (p1, n1, p2, n2, d0, p1 - p2), arrays that broadcast to the shape
# of p1 - p2 (which they must not change), to a signed statistic on the z scale whose
# p-value is pvalue_from_z(statistic, alternative). They work in place where they can: at
# a million rows, allocating temporaries costs as much as the arithmetic.


def _pooled_se(p1, n1, p2, n2):  # type: ignore[no-untyped-def]
    """sqrt(pbar (1 - pbar) (1/n1 + 1/n2)), with pbar the pooled proportion."""
    total = n1 + n2
    pooled = p1 * n1
    pooled += p2 * n2
    pooled /= total
    var = 1 - pooled
    var *= pooled
    var *= total  # 1/n1 + 1/n2 = (n1 + n2) / (n1 n2)
    var /= n1
    var /= n2
    return np.sqrt(var, out=var)


def _z_pooled(p1, n1, p2, n2, d0, diff):  # type: ignore[no-untyped-def]
    return ratio_into(diff, _pooled_se(p1, n1, p2, n2), p1, n1, p2, n2)  # d0 is 0


def _z_unpooled(p1, n1, p2, n2, d0, diff):  # type: ignore[no-untyped-def]
    var = 1 - p1
    var *= p1
    var /= n1
    other = 1 - p2
    other *= p2
    other /= n2
    var += other
    num = np.subtract(diff, d0, out=other) if np.any(d0 != 0) else diff
    return ratio_into(num, np.sqrt(var, out=var), p1, n1, p2, n2)


def _chi2_yates(p1, n1, p2, n2, d0, diff):  # type: ignore[no-untyped-def]
    # R prop.test(correct=TRUE): every cell of the 2x2 table is |d| n1 n2 / N away from
    # its expected count; YATES = min(0.5, |d| / (1/n1 + 1/n2)) shrinks that distance
    # to max(|d| - (1/n1 + 1/n2) / 2, 0) on the proportion scale.
    half_harmonic = n1 + n2
    half_harmonic /= n1
    half_harmonic /= n2
    half_harmonic *= 0.5
    shrunk = np.abs(diff)
    shrunk -= half_harmonic
    np.maximum(shrunk, 0.0, out=shrunk)
    z = ratio_into(shrunk, _pooled_se(p1, n1, p2, n2), p1, n1, p2, n2)
    z *= np.sign(diff)
    return z


def _polished_restricted_mle(p1, n1, p2, n2, d0):  # type: ignore[no-untyped-def]
    """The restricted MLE of :mod:`._score`, polished by projected Newton steps.

    The closed-form cubic root loses about half the digits near a double root (for
    example 0/n against 0/n at a tiny null difference, where it is 4e-9 instead of 0),
    which the score statistic tolerates but :math:`G^2` does not. The log-likelihood is
    concave in :math:`p_2` on the feasible interval, so Newton steps kept inside it
    converge to the maximum, including a maximum on the boundary.
    """
    _, t2 = restricted_mle(p1, n1, p2, n2, d0)
    x1, x2 = p1 * n1, p2 * n2
    lo, hi = np.maximum(0.0, -d0), np.minimum(1.0, 1.0 - d0)

    def ratio(x, t):  # type: ignore[no-untyped-def]
        return np.where(x == 0, 0.0, x / t)  # a term absent from the likelihood

    for _ in range(4):
        t1 = t2 + d0
        f1, g1, f2, g2 = (
            ratio(x1, t1),
            ratio(n1 - x1, 1 - t1),
            ratio(x2, t2),
            ratio(n2 - x2, 1 - t2),
        )
        score = f1 - g1 + f2 - g2
        slope = -(f1 / t1 + g1 / (1 - t1) + f2 / t2 + g2 / (1 - t2))
        step = np.clip(t2 - score / slope, lo, hi)
        t2 = np.where(np.isfinite(step), step, t2)
    return np.clip(t2 + d0, 0.0, 1.0), t2


def _likelihood_ratio(p1, n1, p2, n2, d0, diff):  # type: ignore[no-untyped-def]
    if np.any(d0 != 0):
        t1, t2 = _polished_restricted_mle(p1, n1, p2, n2, d0)
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        t1, t2 = np.where(d0 == 0, pooled, t1), np.where(d0 == 0, pooled, t2)
    else:
        t1 = p1 * n1
        t1 += p2 * n2
        t1 /= n1 + n2
        t2 = t1

    def part(x, p, t):  # type: ignore[no-untyped-def]
        # x log(p / t), with 0 log(anything) = 0 (then t may be 0 too)
        ratio = p / t
        ratio[x == 0] = 1.0
        return special.xlogy(x, ratio, out=ratio)

    g2 = part(p1 * n1, p1, t1)
    g2 += part((1 - p1) * n1, 1 - p1, 1 - t1)
    g2 += part(p2 * n2, p2, t2)
    g2 += part((1 - p2) * n2, 1 - p2, 1 - t2)
    g2 *= 2
    np.maximum(g2, 0.0, out=g2)
    z = np.sqrt(g2, out=g2)
    z *= np.sign(diff - d0)
    return z


def _miettinen_nurminen(p1, n1, p2, n2, d0, diff):  # type: ignore[no-untyped-def]
    return score_z(p1, n1, p2, n2, d0, correction=True)


_ASYMPTOTIC: dict[str, Callable[..., np.ndarray]] = {
    "z-pooled": _z_pooled,
    "z-unpooled": _z_unpooled,
    "chi2-yates": _chi2_yates,
    "likelihood-ratio": _likelihood_ratio,
    "miettinen-nurminen": _miettinen_nurminen,
}
_EXACT: dict[str, Callable[[int, int, int, int, str], tuple[float, float]]] = {
    "fisher": exact.fisher,
    "barnard": exact.barnard,
    "boschloo": exact.boschloo,
}
TWO_PROPORTION_TEST_METHODS = (*_ASYMPTOTIC, *_EXACT)
#: methods whose null hypothesis can only be p1 = p2
_ZERO_NULL_ONLY = frozenset({"z-pooled", "chi2-yates", "fisher", "barnard", "boschloo"})


def _exact_sizes(name: str, n: np.ndarray, deff: np.ndarray, round_counts: bool) -> np.ndarray:
    """Effective sample sizes n / deff as whole numbers, for an exact method."""
    n_eff = n / deff
    nearest = np.round(n_eff)
    if round_counts:
        return np.where(np.isnan(n_eff), np.nan, np.maximum(nearest, 1.0))
    tol = np.maximum(1e-9, 8 * np.finfo(float).eps * np.abs(n_eff))
    bad = ~np.isnan(n_eff) & (np.abs(n_eff - nearest) > tol)
    if bad.any():
        value = n_eff[bad].ravel()[0].item()
        raise SurveyKitError(
            f"{name} / deff must be a whole number of respondents for an exact method, "
            f"got {value!r}; pass a design effect that divides {name}, "
            "or round_counts=True to round the effective sample size"
        )
    return nearest


def _check_exact_size(method: str, n1: np.ndarray, n2: np.ndarray) -> None:
    """Refuse tables too large for an exact method, naming the limit and the alternative."""
    ok = np.isnan(n1) | np.isnan(n2)
    if method == "fisher":
        over = ~ok & (n1 + n2 > exact.MAX_FISHER_TOTAL)
        if over.any():
            total = (n1 + n2)[over].ravel()[0]
            raise SurveyKitError(
                f"n1 + n2 must be at most {exact.MAX_FISHER_TOTAL:,} for method='fisher', "
                f"got {total:,.0f}; at this size use method='z-pooled' or "
                "'miettinen-nurminen', whose asymptotic p-values are accurate here"
            )
        return
    for name, n in (("n1", n1), ("n2", n2)):
        over = ~ok & (n > exact.MAX_UNCONDITIONAL_N)
        if over.any():
            raise SurveyKitError(
                f"{name} must be at most {exact.MAX_UNCONDITIONAL_N:,} (per poll, after the "
                f"design effect) for method={method!r}, got {n[over].ravel()[0]:,.0f}; "
                "its cost grows as n1 x n2: at this size use method='miettinen-nurminen' "
                "or 'z-pooled', whose asymptotic p-values are accurate here"
            )


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
    round_counts: bool = False,
) -> TwoProportionTest:
    """Test whether two independent polls' proportions differ.

    The hypothesis is about :math:`\\delta = p_1 - p_2`: the null is
    :math:`\\delta = \\delta_0` (``null_difference``). ``alternative='greater'`` means
    :math:`\\delta > \\delta_0`, ``'less'`` means :math:`\\delta < \\delta_0`, and
    ``'two-sided'`` means :math:`\\delta \\ne \\delta_0`; this holds for every method.
    All inputs broadcast (scalars, arrays, Series). The asymptotic tests are computed on
    whole arrays at once; the exact tests loop over the tables, each table's sample
    space being computed with vector operations.

    Parameters
    ----------
    p1, n1 : array_like
        Proportion and sample size of the first poll. Its count is ``p1 * n1``.
    p2, n2 : array_like
        Proportion and sample size of the second poll.
    method : {'z-pooled', 'z-unpooled', 'chi2-yates', 'likelihood-ratio', \
'miettinen-nurminen', 'fisher', 'barnard', 'boschloo'}, default 'z-pooled'
        The test; see Notes. The last three are exact and need whole-number counts.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'``: :math:`p_1 - p_2 > \\delta_0`; ``'less'``:
        :math:`p_1 - p_2 < \\delta_0`; for every method.
    null_difference : array_like, default 0.0
        :math:`\\delta_0`, strictly between -1 and 1. Only ``'z-unpooled'``,
        ``'likelihood-ratio'`` and ``'miettinen-nurminen'`` test a non-zero difference;
        the others test :math:`p_1 = p_2` and accept only 0.
    deff : array_like, default 1.0
        Design effect applied to both polls: each n becomes ``n / deff`` (and each count
        ``p * n / deff``).
    round_counts : bool, default False
        Exact tests need whole numbers: a count ``p * n / deff`` (or an effective size
        ``n / deff``) within 1e-9 of an integer is accepted, anything else raises
        unless ``round_counts=True`` rounds it (the proportions echoed are then the
        rounded counts over the sizes).

    Returns
    -------
    TwoProportionTest
        ``estimate`` (p1 - p2), ``statistic`` and ``pvalue`` (see Notes for what the
        statistic is), with the inputs echoed (array inputs as read-only views, not
        copies: at a million rows copying them would cost more than the test).

    Raises
    ------
    SurveyKitError
        For a proportion outside [0, 1], a non-positive n or deff, an unknown method or
        alternative, a non-zero ``null_difference`` for a method that tests equality,
        counts that are not whole numbers for an exact test, or an exact unconditional
        test on more than 5,000 respondents per poll (Fisher's: 10,000,000 in total).

    See Also
    --------
    surveykit.difference_ci : intervals for p1 - p2; the Miettinen-Nurminen interval is
        the set of null differences this score test does not reject.

    Notes
    -----
    With counts :math:`x_i = \\hat p_i n_i`, :math:`d = \\hat p_1 - \\hat p_2`,
    :math:`N = n_1 + n_2`, :math:`\\bar p = (x_1 + x_2)/N` and
    :math:`h = 1/n_1 + 1/n_2`:

    - ``z-pooled``: :math:`z = d/\\sqrt{\\bar p(1-\\bar p)h}`; :math:`z^2` is the
      statistic of R's ``prop.test(correct=FALSE)`` and p-values agree with it.
    - ``z-unpooled`` (Wald): :math:`z = (d - \\delta_0)/\\sqrt{\\hat p_1(1-\\hat p_1)/n_1
      + \\hat p_2(1-\\hat p_2)/n_2}`.
    - ``chi2-yates``: Pearson's chi-square with Yates' continuity correction [2]_, as
      R's ``prop.test(correct=TRUE)``, including R's cap of the correction at
      :math:`|d|/h` (so a tiny difference gives 0, not a positive statistic):
      :math:`z = \\operatorname{sign}(d)\\max(|d| - h/2, 0)/\\sqrt{\\bar p(1-\\bar p)h}`.
    - ``likelihood-ratio``: :math:`G^2 = 2\\sum_i [x_i\\log(\\hat p_i/\\tilde p_i) +
      (n_i - x_i)\\log((1-\\hat p_i)/(1-\\tilde p_i))]` with :math:`\\tilde p_i` the
      maximum-likelihood estimates under :math:`p_1 - p_2 = \\delta_0` [1]_.
    - ``miettinen-nurminen``: the score test [3]_,
      :math:`z = (d - \\delta_0)/\\sqrt{(\\tilde p_1\\tilde q_1/n_1 +
      \\tilde p_2\\tilde q_2/n_2) N/(N-1)}` with the same restricted estimates; its
      two-sided p-value crosses alpha exactly at the bounds of the Miettinen-Nurminen
      interval.
    - ``fisher``: Fisher's exact conditional test [4]_ as R's ``fisher.test``:
      one-sided p-values are hypergeometric tails; the two-sided one sums the
      probabilities of the tables no more likely than the observed one (R's relative
      tolerance 1e-7 for ties).
    - ``barnard``: Barnard's exact unconditional test [5]_ [6]_ with the pooled z as
      statistic (as ``scipy.stats.barnard_exact``, and as recommended by [8]_): the
      p-value is the largest, over the common success probability :math:`\\pi`, of the
      probability of the tables whose z is at least as extreme as the observed one.
      Tables are compared by their computed z, as scipy does, so scipy's results are
      reproduced, including where rounding leaves out a table whose z equals the
      observed one mathematically (see :mod:`surveykit.inference.exact`).
    - ``boschloo``: Boschloo's exact unconditional test [7]_, the same construction with
      Fisher's one-sided p-value as statistic (smaller is more extreme; ties within a
      relative 1e-9 count as ties); it is uniformly more powerful than Fisher's
      one-sided test. Two-sided, it follows ``scipy.stats.boschloo_exact``: twice the
      smaller one-sided p-value, capped at 1 (not Fisher's two-sided ordering).

    The ``statistic`` is z for ``z-pooled``, ``z-unpooled`` and ``miettinen-nurminen``;
    for ``chi2-yates`` and ``likelihood-ratio`` it is the signed square root of the
    chi-square statistic (R's ``X-squared`` or :math:`G^2` is ``statistic**2``), whose
    sign is that of :math:`d - \\delta_0`, so that one-sided p-values are normal tails
    as in R's ``prop.test``. For ``fisher`` it is the sample odds ratio
    :math:`x_1(n_2-x_2)/((n_1-x_1)x_2)` (as ``scipy.stats.fisher_exact``; R reports the
    conditional estimate instead), for ``barnard`` the pooled z of the observed table
    and for ``boschloo`` Fisher's one-sided p-value (of the side chosen, if two-sided),
    as scipy reports them. The exact unconditional tests search the nuisance parameter
    on a grid uniform in :math:`\\arcsin\\sqrt\\pi` and refine every high local maximum
    (see :mod:`surveykit.inference.exact`), so their p-value is never below scipy's, which
    samples 32 points. When the difference and its standard error are both zero
    (0/n against 0/n), an asymptotic statistic is 0 and its two-sided p-value 1 (R
    returns NaN).

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., Wiley, sections 3.1
       and 3.2.
    .. [2] Yates, F. (1934). Contingency tables involving small numbers and the
       chi-squared test. Supplement to the Journal of the Royal Statistical Society 1,
       217-235.
    .. [3] Miettinen, O. and Nurminen, M. (1985). Comparative analysis of two rates.
       Statistics in Medicine 4, 213-226.
    .. [4] Fisher, R. A. (1935). The logic of inductive inference. Journal of the Royal
       Statistical Society 98, 39-82.
    .. [5] Barnard, G. A. (1945). A new test for 2 x 2 tables. Nature 156, 177.
    .. [6] Barnard, G. A. (1947). Significance tests for 2 x 2 tables. Biometrika 34,
       123-138.
    .. [7] Boschloo, R. D. (1970). Raised conditional level of significance for the
       2 x 2-table when testing the equality of two probabilities. Statistica
       Neerlandica 24, 1-9.
    .. [8] Mehrotra, D. V., Chan, I. S. F. and Berger, R. L. (2003). A cautionary note
       on exact unconditional inference for a difference between two independent
       binomial proportions. Biometrics 59, 441-450.

    Examples
    --------
    Support for peace talks in the leaked FSO polls: 55% in November, 32% in July.
    With an assumed 400 respondents in each:

    >>> import surveykit as sk
    >>> res = sk.two_proportion_test(0.55, 400, 0.32, 400)
    >>> round(res.estimate, 2), res.pvalue < 1e-9
    (0.23, True)

    Did support rise by more than 10 points? The score test at a null difference of 0.1,
    and Boschloo's exact test of any rise, with the same assumed sizes:

    >>> res = sk.two_proportion_test(0.55, 400, 0.32, 400, method="miettinen-nurminen",
    ...                              alternative="greater", null_difference=0.1)
    >>> f"{res.pvalue:.2g}"
    '9.7e-05'
    >>> res = sk.two_proportion_test(0.55, 400, 0.32, 400, method="boschloo",
    ...                              alternative="greater")
    >>> f"{res.pvalue:.3g}"
    '2.52e-11'
    """
    method = check_option("method", method, TWO_PROPORTION_TEST_METHODS)
    check_flag("round_counts", round_counts)
    alternative = check_alternative(alternative)
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, null_difference=null_difference, deff=deff)
    small = {name: _compact(value) for name, value in a.items()}
    _check_fast(check_proportion, "p1", small["p1"], 0.0, 1.0)
    _check_fast(check_proportion, "p2", small["p2"], 0.0, 1.0)
    _check_fast(check_n, "n1", small["n1"], 0.0, _MAX_FLOAT, above=True)
    _check_fast(check_n, "n2", small["n2"], 0.0, _MAX_FLOAT, above=True)
    _check_fast(check_deff, "deff", small["deff"], 1e-6, _MAX_FLOAT)
    check_null_difference(
        small["null_difference"], zero_only=method if method in _ZERO_NULL_ONLY else None
    )
    # computed on views of the common shape, at least 1-d so that work can be in place
    # (the null difference and deff, usually one number each, stay compact)
    q1, m1, q2, m2 = (np.atleast_1d(a[name]) for name in ("p1", "n1", "p2", "n2"))
    d0, design = np.atleast_1d(small["null_difference"]), np.atleast_1d(small["deff"])
    if method in _ASYMPTOTIC:
        with np.errstate(invalid="ignore", divide="ignore"):
            if np.all(small["deff"] == 1):
                e1, e2 = m1, m2
            else:
                e1, e2 = m1 / design, m2 / design
            estimate = q1 - q2
            statistic = _ASYMPTOTIC[method](q1, e1, q2, e2, d0, estimate)
        pvalue = pvalue_from_z(statistic, alternative)
        p1_out, p2_out = _echo(shape, a["p1"], "p1"), _echo(shape, a["p2"], "p2")
    else:
        q1, q2, statistic, pvalue = _exact_test(
            method, alternative, q1, m1, q2, m2, design, round_counts
        )
        p1_out, p2_out = _fresh(shape, q1, "p1"), _fresh(shape, q2, "p2")
        estimate = q1 - q2
    return TwoProportionTest(
        estimate=_fresh(shape, estimate, "estimate"),
        statistic=_fresh(shape, statistic, "statistic"),
        pvalue=_fresh(shape, pvalue, "pvalue"),
        p1=p1_out,
        n1=_echo(shape, a["n1"], "n1"),
        p2=p2_out,
        n2=_echo(shape, a["n2"], "n2"),
        null_difference=_echo_small(shape, small["null_difference"], "null_difference"),
        deff=_echo_small(shape, small["deff"], "deff"),
        method=method,
        alternative=alternative,
    )


_MAX_FLOAT = float(np.finfo(float).max)


def _compact(arr: np.ndarray) -> np.ndarray:
    """The smallest view that broadcasts back to ``arr``: a broadcast scalar is one value."""
    index = tuple(slice(0, 1) if stride == 0 else slice(None) for stride in arr.strides)
    return arr[index]


def _check_fast(
    check: Callable[[str, np.ndarray], np.ndarray],
    name: str,
    arr: np.ndarray,
    low: float,
    high: float,
    *,
    above: bool = False,
) -> None:
    """Run ``check`` (which words the error) unless min and max already vouch for ``arr``.

    Two reductions instead of several whole-array temporaries; NaN fails the quick test
    and so goes to ``check``, which lets it through.
    """
    if arr.size:
        lowest, highest = arr.min(), arr.max()
        if (lowest > low if above else lowest >= low) and highest <= high:
            return
    check(name, arr)


def _fresh(shape: Broadcast, values: np.ndarray, name: str) -> Any:
    """A result computed here: returned without another copy when it has the shape."""
    values = np.asarray(values)
    if values.size == math.prod(shape.shape):
        values = values.reshape(shape.shape)
    if shape.scalar or shape.index is not None or values.shape != shape.shape:
        return shape.wrap(values, name)
    return values


def _echo(shape: Broadcast, arr: np.ndarray, name: str) -> Any:
    """Echo an input array as a read-only view, not a copy (a Series or scalar as usual).

    At a million rows, copying four inputs would cost more than the test itself.
    """
    if shape.scalar or shape.index is not None:
        return shape.wrap(arr, name)
    return np.broadcast_to(arr, shape.shape)


def _echo_small(shape: Broadcast, small: np.ndarray, name: str) -> Any:
    """Echo an input that is usually one value: a read-only broadcast of a private copy."""
    if shape.scalar or shape.index is not None or small.size == math.prod(shape.shape):
        return shape.wrap(small.reshape(shape.shape) if small.ndim == 0 else small, name)
    return np.broadcast_to(small.copy(), shape.shape)


def _exact_test(
    method: str,
    alternative: str,
    q1: np.ndarray,
    m1: np.ndarray,
    q2: np.ndarray,
    m2: np.ndarray,
    design: np.ndarray,
    round_counts: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Whole-number effective counts, then the exact test table by table."""
    e1 = _exact_sizes("n1", m1, design, round_counts)
    e2 = _exact_sizes("n2", m2, design, round_counts)
    x1 = integer_counts("p1", q1 * e1, e1, round_counts=round_counts)
    x2 = integer_counts("p2", q2 * e2, e2, round_counts=round_counts)
    _check_exact_size(method, e1, e2)
    with np.errstate(invalid="ignore", divide="ignore"):
        q1, q2 = x1 / e1, x2 / e2
    statistic = np.full(x1.shape, np.nan)
    pvalue = np.full(x1.shape, np.nan)
    test = _EXACT[method]
    done: dict[tuple[int, int, int, int], tuple[float, float]] = {}
    for i in np.ndindex(x1.shape):
        values = (x1[i], e1[i], x2[i], e2[i])
        if np.isnan(values).any():
            continue
        key = tuple(int(v) for v in values)
        if key not in done:
            done[key] = test(*key, alternative)
        statistic[i], pvalue[i] = done[key]
    return q1, q2, statistic, pvalue
