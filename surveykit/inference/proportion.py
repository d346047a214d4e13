"""Confidence intervals for one proportion."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.numerics import compact, wilson_bounds_at, wilson_cc_bounds_at, z_quantile
from surveykit._core.parallel import elementwise, in_chunks
from surveykit._core.results import ProportionCI
from surveykit._core.roots import bisect_decreasing
from surveykit._core.validation import (
    broadcast,
    check_alternative,
    check_confidence_level,
    check_deff,
    check_flag,
    check_n,
    check_option,
    check_proportion,
    integer_counts,
)
from surveykit.exceptions import SurveyKitError

__all__ = ["PROPORTION_CI_METHODS", "proportion_ci"]


# Each method maps (count, n, tail) -> (lower, upper), where ``tail`` is the probability
# left outside each bound (alpha / 2 for a two-sided interval, alpha for a one-sided one);
# the methods built on the normal distribution take its quantile z = z_quantile(tail)
# instead, computed once per distinct level, never per row.
# Counts may be fractional (effective counts under a design effect).
_Method = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _wald(x: np.ndarray, n: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = x / n
    half = z * np.sqrt(p * (1 - p) / n)
    return p - half, p + half


def _agresti_coull(x: np.ndarray, n: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n_tilde = n + z * z
    p_tilde = (x + z * z / 2) / n_tilde
    half = z * np.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    return p_tilde - half, p_tilde + half


def _clopper_pearson(
    x: np.ndarray, n: np.ndarray, tail: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    lower = np.where(x > 0, elementwise(special.betaincinv, x, n - x + 1, tail), 0.0)
    upper = np.where(x < n, elementwise(special.betaincinv, x + 1, n - x, 1 - tail), 1.0)
    return lower, upper


def _jeffreys(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = x + 0.5, n - x + 0.5
    lower = np.where(x > 0, elementwise(special.betaincinv, a, b, tail), 0.0)
    upper = np.where(x < n, elementwise(special.betaincinv, a, b, 1 - tail), 1.0)
    return lower, upper


def _mid_p(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Each bound solves m(p) = target for the mid-p tail m(p) = [I_p(x, n-x+1) +
    # I_p(x+1, n-x)] / 2, which rises with p. A safeguarded Newton iteration on whole
    # arrays, started at the matching Jeffreys quantile (within a fraction of a standard
    # error of the root), converges in three or four steps; see _newton_mid_p. Large
    # arrays are solved in chunks on threads (scipy's special functions and numpy's
    # arithmetic release the GIL).
    return in_chunks(_mid_p_flat, x, n, tail)  # type: ignore[return-value]


def _mid_p_flat(x: np.ndarray, n: np.ndarray, tail: np.ndarray) -> tuple[np.ndarray, ...]:
    """Both mid-p bounds for 1-d arrays."""
    a = np.maximum(x, 1e-300)
    b = np.maximum(n - x, 1e-300)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # log B(a, b + 1), once per element; B(a + 1, b) = B(a, b + 1) a / b
        log_beta = special.betaln(a, b + 1)
        bounds = []
        for prob, edge in ((tail, x <= 0), (1 - tail, x >= n)):
            start = special.betaincinv(a + 0.5, b + 0.5, prob)
            bounds.append(np.where(edge, np.nan, _newton_mid_p(a, b, prob, start, log_beta)))
    return np.where(x > 0, bounds[0], 0.0), np.where(x < n, bounds[1], 1.0)


#: relative step below which the mid-p Newton iteration stops (about 1e-14 of p)
_MID_P_RTOL = 1e-14
_MID_P_ITERATIONS = 100


def _newton_mid_p(
    a: np.ndarray, b: np.ndarray, target: np.ndarray, start: np.ndarray, log_beta: np.ndarray
) -> np.ndarray:
    """Root p of [I_p(a, b + 1) + I_p(a + 1, b)] / 2 = target (x = a, n - x = b).

    Newton steps with the derivative, the mean of the two beta densities: with
    d1 = p^(a-1) (1-p)^b / B(a, b+1), the other is d1 p b / ((1 - p) a). The steps are
    kept inside a bracket [lo, hi] that every evaluation narrows; a step that would
    leave it is replaced by the bracket's midpoint, so the iteration cannot diverge.
    Only unconverged elements are evaluated at each step.
    """
    p = np.where(np.isfinite(start), start, 0.5)
    idx = np.flatnonzero(np.isfinite(a) & np.isfinite(b) & np.isfinite(target))
    out = np.full(p.shape, np.nan)
    lo, hi = np.zeros(idx.size), np.ones(idx.size)
    pp = p[idx]
    aa, bb, tt, lb = a[idx], b[idx], target[idx], log_beta[idx]
    for _ in range(_MID_P_ITERATIONS):
        if idx.size == 0:
            break
        f = 0.5 * (special.betainc(aa, bb + 1, pp) + special.betainc(aa + 1, bb, pp)) - tt
        lo = np.where(f < 0, pp, lo)
        hi = np.where(f > 0, pp, hi)
        qq = 1 - pp
        d1 = np.exp((aa - 1) * np.log(pp) + bb * np.log1p(-pp) - lb)
        slope = 0.5 * d1 * (1 + pp * bb / (qq * aa))
        step = np.where(f == 0, 0.0, f / slope)
        new = pp - step
        # converged when the Newton step is below the tolerance: the root is then within
        # rounding of the bracket, which the step may overshoot by a few ulps
        done = np.abs(step) <= _MID_P_RTOL * pp
        outside = ~((new > lo) & (new < hi))
        new = np.where(done, np.clip(new, lo, hi), np.where(outside, 0.5 * (lo + hi), new))
        done |= hi - lo <= _MID_P_RTOL * hi
        out[idx[done]] = new[done]
        keep = ~done
        idx, pp, lo, hi = idx[keep], new[keep], lo[keep], hi[keep]
        aa, bb, tt, lb = aa[keep], bb[keep], tt[keep], lb[keep]
    out[idx] = pp
    return out


def _logit(x: np.ndarray, n: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edge = (x <= 0) | (x >= n)
    # At 0 or n the logit is infinite: half a respondent is added to both cells there.
    xa = np.where(edge, x + 0.5, x)
    ya = np.where(edge, n - x + 0.5, n - x)
    centre = np.log(xa) - np.log(ya)
    se = np.sqrt(1 / xa + 1 / ya)
    lower = np.where(x <= 0, 0.0, special.expit(centre - z * se))
    upper = np.where(x >= n, 1.0, special.expit(centre + z * se))
    return lower, upper


def _arcsine(x: np.ndarray, n: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    angle = np.arcsin(np.sqrt((x + 0.375) / (n + 0.75)))
    half = z / (2 * np.sqrt(n))
    lower = np.sin(np.clip(angle - half, 0.0, np.pi / 2)) ** 2
    upper = np.sin(np.clip(angle + half, 0.0, np.pi / 2)) ** 2
    return lower, upper


def _deviance(x: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Likelihood-ratio statistic 2 [l(x/n) - l(p)] of Binomial(n, p) at count x."""
    phat = x / n
    return 2 * (
        special.xlogy(x, phat)
        - special.xlogy(x, p)
        + special.xlogy(n - x, 1 - phat)
        - special.xlogy(n - x, 1 - p)
    )


def _likelihood_ratio(
    x: np.ndarray, n: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    crit = z * z
    phat = x / n
    zero, one = np.zeros_like(phat), np.ones_like(phat)
    lower = bisect_decreasing(lambda p: _deviance(x, n, p), zero, phat, crit, iterations=60)
    upper = bisect_decreasing(lambda p: -_deviance(x, n, p), phat, one, -crit, iterations=60)
    return np.where(x > 0, lower, 0.0), np.where(x < n, upper, 1.0)


_METHODS: dict[str, _Method] = {
    "wilson": wilson_bounds_at,
    "wald": _wald,
    "wilson-cc": wilson_cc_bounds_at,
    "agresti-coull": _agresti_coull,
    "clopper-pearson": _clopper_pearson,
    "jeffreys": _jeffreys,
    "mid-p": _mid_p,
    "logit": _logit,
    "arcsine": _arcsine,
    "likelihood-ratio": _likelihood_ratio,
}
#: methods defined on counts: the count p x n must be whole (or round_counts=True rounds
#: it); the effective count p x n / deff enters their beta functions as it is (svyciprop)
_EXACT = frozenset({"clopper-pearson", "mid-p"})
#: methods that take the normal quantile z rather than the tail probability
_NORMAL = frozenset({"wilson", "wald", "wilson-cc", "agresti-coull", "logit", "arcsine",
                     "likelihood-ratio"})  # fmt: skip
#: closed forms, evaluated in blocks of rows whose temporaries stay in the CPU cache
_CLOSED_FORM = frozenset({"wilson", "wald", "wilson-cc", "agresti-coull", "logit", "arcsine"})
#: elements per block for the closed forms (temporaries of 256 kB stay in the CPU caches)
BLOCK_SIZE = 1 << 15
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
    index). Every method is evaluated on whole arrays (the closed forms in blocks that
    stay in the CPU cache, with the normal quantile computed once per distinct level);
    the ``mid-p`` and ``likelihood-ratio`` bounds are found by bisection on whole arrays,
    never by a loop over a scalar solver. For array input, the inputs given back in the
    result (``n``, ``deff``, ``confidence_level``; ``estimate`` but for the exact
    methods; ``n_eff`` when ``deff`` is 1) are read-only views, not copies repeated per
    row.

    Parameters
    ----------
    proportion : array_like
        Observed share(s), between 0 and 1 (0.55 for 55%).
    n : array_like
        Sample size(s). The count is ``proportion * n``.
    method : {'wilson', 'wald', 'wilson-cc', 'agresti-coull', 'clopper-pearson', \
'jeffreys', 'mid-p', 'logit', 'arcsine', 'likelihood-ratio'}, default 'wilson'
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
        The exact methods (``'clopper-pearson'``, ``'mid-p'``) need a whole number of
        respondents ``proportion * n`` (within 1e-9); anything else raises unless
        ``round_counts=True``, which rounds it to the nearest whole number (halves to
        even) and reports ``estimate`` as that count over ``n``. The *effective* count
        under a design effect need not be whole (see Notes: fractional counts).

    Returns
    -------
    ProportionCI
        Fields ``estimate``, ``ci_low``, ``ci_high``, the inputs echoed, and ``n_eff``.

    Raises
    ------
    SurveyKitError
        For an unknown ``method`` or ``alternative``, a proportion outside [0, 1], a
        non-positive ``n`` or ``deff``, a confidence level outside (0, 1), or a count
        ``proportion * n`` that is not a whole number for an exact method.

    See Also
    --------
    surveykit.inference.multinomial.multinomial_ci : simultaneous intervals for every
        option of a question.
    surveykit.inference.difference.difference_ci : the change between two polls.
    surveykit.planning.coverage.coverage : how often each method's interval covers.
    surveykit.design.proportion_ci.ci_from_se : an interval from a published standard
        error.

    Notes
    -----
    With count :math:`x`, :math:`\\hat p = x/n`, tail probability :math:`\\tau`
    (:math:`\\alpha/2` two-sided, :math:`\\alpha` one-sided) and
    :math:`z = \\Phi^{-1}(1 - \\tau)`:

    - ``wald`` [1]_: :math:`\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}`.
    - ``wilson`` [2]_: the score interval, the roots of
      :math:`|\\hat p - p| = z\\sqrt{p(1-p)/n}`; as R's ``prop.test(correct=FALSE)``.
    - ``wilson-cc`` [3]_: the score interval with continuity correction (Newcombe's
      method 4), :math:`\\bigl(2x + z^2 \\mp 1 \\mp z\\sqrt{z^2 \\mp 2 - 1/n
      + 4\\hat p(n(1-\\hat p) \\pm 1)}\\bigr) / (2(n + z^2))`, with the lower bound 0
      when :math:`x \\le 1/2` and the upper bound 1 when :math:`x \\ge n - 1/2`; as
      R's ``prop.test(correct=TRUE)``.
    - ``agresti-coull`` [4]_: the Wald formula at :math:`\\tilde n = n + z^2`,
      :math:`\\tilde p = (x + z^2/2)/\\tilde n`.
    - ``clopper-pearson`` [5]_: the exact interval, the :math:`\\tau` and
      :math:`1-\\tau` quantiles of Beta(x, n - x + 1) and Beta(x + 1, n - x); as R's
      ``binom.test``. Under a design effect it uses effective counts, like R survey's
      ``svyciprop(method="beta")``.
    - ``jeffreys`` [6]_: the quantiles of the Beta(x + 1/2, n - x + 1/2) posterior,
      with the lower bound 0 at x = 0 and the upper bound 1 at x = n (Brown, Cai and
      DasGupta's modification, as DescTools).
    - ``mid-p`` [7]_: the bounds where :math:`P(X > x) + P(X = x)/2 = \\tau` and
      :math:`P(X < x) + P(X = x)/2 = \\tau`, found by a safeguarded secant search
      (bisection where a secant step fails) between the Clopper-Pearson quantiles
      that bracket them.
    - ``logit`` [8]_: the Wald interval for :math:`\\log(\\hat p/(1-\\hat p))` with
      variance :math:`1/x + 1/(n-x)`, transformed back. At x = 0 or x = n, where the
      logit is infinite, half a respondent is added to both cells and the bound at the
      edge is 0 or 1.
    - ``arcsine`` [9]_: the variance-stabilised interval
      :math:`\\sin^2(\\arcsin\\sqrt{\\tilde p} \\mp z/(2\\sqrt n))` with Anscombe's
      :math:`\\tilde p = (x + 3/8)/(n + 3/4)`, as DescTools; the angle is kept in
      :math:`[0, \\pi/2]` so that a bound never wraps around.
    - ``likelihood-ratio`` [1]_: the set of :math:`p` with
      :math:`2[\\ell(\\hat p) - \\ell(p)] \\le z^2`, found by bisection.

    The ``wald``, ``agresti-coull`` and ``wilson-cc`` bounds can fall outside [0, 1];
    they are truncated to it, as R's ``prop.test`` and DescTools do. The other methods
    stay inside by construction. ``jeffreys``, ``mid-p`` and ``arcsine`` are centred
    on other points than :math:`\\hat p`, so at low confidence levels (below about 80%)
    their interval can miss :math:`\\hat p` near 0 or 1; that is the method, not a bug.
    The result never contains NaN unless an input is NaN (for that element only).

    **Fractional counts.** The methods defined on counts take the effective count
    :math:`x = \\hat p\\, n / D` and effective size :math:`n_{eff} = n / D`, which are
    fractional under most design effects :math:`D` even when :math:`\\hat p n` is a whole
    number of respondents. As R survey's ``svyciprop(method = "beta")``,
    ``clopper-pearson`` uses them as they are in the beta quantiles,
    :math:`\\mathrm{qbeta}(\\tau, x, n_{eff} - x + 1)` and
    :math:`\\mathrm{qbeta}(1 - \\tau, x + 1, n_{eff} - x)`; ``jeffreys`` in
    :math:`\\mathrm{Beta}(x + 1/2, n_{eff} - x + 1/2)`; and ``mid-p`` in the same
    incomplete beta functions that give its binomial tails at whole counts. Nothing is
    rounded: ``round_counts=True`` only rounds the count of respondents :math:`\\hat p n`
    before the design effect. The exact tests of :func:`~surveykit.two_proportion_test`,
    which enumerate tables, need whole effective counts and say so (or round with
    ``round_counts=True``).

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., Wiley, section 1.4.
    .. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.
    .. [3] Newcombe, R. G. (1998). Two-sided confidence intervals for the single
       proportion: comparison of seven methods. Statistics in Medicine 17, 857-872.
    .. [4] Agresti, A. and Coull, B. A. (1998). Approximate is better than "exact" for
       interval estimation of binomial proportions. The American Statistician 52,
       119-126.
    .. [5] Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.
    .. [6] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133.
    .. [7] Lancaster, H. O. (1961). Significance tests in discrete distributions.
       JASA 56, 223-234; Berry, G. and Armitage, P. (1995). Mid-P confidence intervals:
       a brief review. The Statistician 44, 417-423.
    .. [8] Vollset, S. E. (1993). Confidence intervals for a binomial proportion.
       Statistics in Medicine 12, 809-824.
    .. [9] Anscombe, F. J. (1948). The transformation of Poisson, binomial and
       negative-binomial data. Biometrika 35, 246-254.

    Examples
    --------
    The leaked FSO poll reported 55% for peace talks, with no sample size. Had 1,600
    people been asked:

    >>> import surveykit as sk
    >>> ci = sk.proportion_ci(0.55, 1600)
    >>> round(ci.ci_low, 4), round(ci.ci_high, 4)
    (0.5255, 0.5742)

    The exact interval needs a whole number of respondents (880 of 1,600):

    >>> ci = sk.proportion_ci(0.55, 1600, method="clopper-pearson")
    >>> round(ci.ci_low, 4), round(ci.ci_high, 4)
    (0.5252, 0.5746)

    and with a design effect of 2, the effective sample is 800:

    >>> round(sk.proportion_ci(0.55, 1600, deff=2).ci_low, 4)
    0.5154
    """
    method = check_option("method", method, PROPORTION_CI_METHODS)
    check_flag("round_counts", round_counts)
    alternative = check_alternative(alternative)
    shape, a = broadcast(proportion=proportion, n=n, confidence_level=confidence_level, deff=deff)
    # Each input at the size it was given (a scalar level stays one element). The closed
    # forms check shares and sizes block by block as they read them (see _check_block).
    p, size = compact(a["proportion"]), compact(a["n"])
    blocked = method in _CLOSED_FORM
    if not blocked and not _plainly_valid(p, size):
        _check_counts(p, size)
    level, design = compact(a["confidence_level"]), compact(a["deff"])
    try:
        check_confidence_level(level)
        check_deff("deff", design)
    except SurveyKitError:
        _check_counts(p, size)  # as in one pass: shares and sizes are reported first
        raise
    tail = 1 - level if alternative != "two-sided" else (1 - level) / 2
    quantile = z_quantile(tail) if method in _NORMAL else tail
    unit = design.size == 1 and bool(design.reshape(-1)[0] == 1.0)
    n_eff = size if unit else size / design  # dividing by exactly 1 changes no bit
    if blocked:
        estimate = shape.echo(p, "estimate")
        lower, upper = _closed_form_in_blocks(
            _METHODS[method], p, size, design, n_eff, quantile, np.isnan(tail), alternative
        )
    else:
        count = p * size
        exact = method in _EXACT
        if exact:
            count = integer_counts("proportion", count, size, round_counts=round_counts)
            p = count / size
        estimate = shape.wrap(p, "estimate", fresh=True) if exact else shape.echo(p, "estimate")
        lower, upper = _whole(_METHODS[method], count / design, n_eff, quantile, tail, alternative)
    return ProportionCI(
        estimate=estimate,
        ci_low=shape.wrap(lower, "ci_low", fresh=True),
        ci_high=shape.wrap(upper, "ci_high", fresh=True),
        n=shape.echo(size, "n"),
        n_eff=shape.echo(size, "n_eff") if unit else shape.wrap(n_eff, "n_eff", fresh=True),
        deff=shape.echo(design, "deff"),
        confidence_level=shape.echo(level, "confidence_level"),
        method=method,
        alternative=alternative,
    )


def _plainly_valid(p: np.ndarray, size: np.ndarray) -> bool:
    """Whether minimum and maximum alone vouch for shares in [0, 1] and positive, finite
    sizes: four reductions, no temporaries. False for any NaN (which is allowed)."""
    return bool(0.0 <= p.min() and p.max() <= 1.0 and 0.0 < size.min() and size.max() < np.inf)


def _check_counts(p: np.ndarray, size: np.ndarray) -> None:
    """The full checks of the shares and sizes, which word any error (NaN passes)."""
    check_proportion("proportion", p)
    check_n("n", size)


def _whole(
    method: _Method,
    x_eff: np.ndarray,
    n_eff: np.ndarray,
    quantile: np.ndarray,
    tail: np.ndarray,
    alternative: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The bounds on whole arrays (the exact and iterative methods), clipped to [0, 1]."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        lower, upper = method(x_eff, n_eff, quantile)
    nan = np.isnan(x_eff) | np.isnan(n_eff) | np.isnan(tail)
    lower = np.where(nan, np.nan, np.clip(lower, 0.0, 1.0))
    upper = np.where(nan, np.nan, np.clip(upper, 0.0, 1.0))
    if alternative == "less":
        lower = np.where(nan, np.nan, 0.0)
    elif alternative == "greater":
        upper = np.where(nan, np.nan, 1.0)
    return lower, upper


def _closed_form_in_blocks(
    method: _Method,
    p: np.ndarray,
    n: np.ndarray,
    design: np.ndarray,
    n_eff: np.ndarray,
    z: np.ndarray,
    undefined: np.ndarray,
    alternative: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The bounds of a closed-form method, written block by block into two new arrays.

    The inputs are compact (see :func:`~surveykit._core.numerics.compact`) and broadcast
    together. Blocks of about :data:`BLOCK_SIZE` elements along the first axis keep every
    temporary of the formula in the CPU cache, so that a million rows cost little more
    than reading the inputs and writing the two bounds. Shares and sizes are checked as
    they are read (minimum and maximum of each block; the full checks on the whole
    arrays when a block does not pass, so errors are those of one pass). Each element
    is computed by the same operations as on whole arrays: the numbers are identical.
    """
    inputs = (p, n, design, n_eff, z, undefined)
    shape = np.broadcast_shapes(*(arr.shape for arr in inputs))
    lower, upper = np.empty(shape), np.empty(shape)
    # dividing by a design effect of exactly 1 changes no bit: skip it
    unit = n_eff is n
    if shape:
        rows = max(1, BLOCK_SIZE // max(1, math.prod(shape[1:])))
        parts: list[Any] = [slice(i, i + rows) for i in range(0, shape[0], rows)]
    else:
        parts = [...]
    unchecked = True
    level_nan = bool(undefined.any())
    design_nan = bool(np.isnan(design).any())
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for part in parts:
            pb, nb, db, eb, zb, ub = (
                arr[part] if arr.ndim and len(arr) > 1 else arr for arr in inputs
            )
            clean = _plainly_valid(pb, nb)  # no bad value, and no NaN either
            if unchecked and not clean:
                _check_counts(p, n)  # the whole arrays: raises as one pass would, or NaN
                unchecked = False
            low, high = lower[part], upper[part]
            x = pb * nb if unit else pb * nb / db
            lo, hi = method(x, eb, zb)
            if alternative == "less":
                low[...] = 0.0
            else:
                np.clip(lo, 0.0, 1.0, out=low)
            if alternative == "greater":
                high[...] = 1.0
            else:
                np.clip(hi, 0.0, 1.0, out=high)
            if clean and not (design_nan or level_nan):
                continue  # nothing is NaN in this block
            # x = p n / deff is NaN wherever n_eff = n / deff is (checked n and deff)
            nan = np.isnan(x) | ub if level_nan else np.isnan(x)
            if nan.any():
                nan = np.broadcast_to(nan, low.shape)
                low[nan] = np.nan
                high[nan] = np.nan
    return lower, upper
