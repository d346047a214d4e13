"""Exact coverage and expected length of confidence intervals for proportions.

The coverage of an interval method at a true proportion :math:`p` is the probability
that the interval computed from a poll contains :math:`p`. For a poll of :math:`n` it
is a finite sum over the outcomes :math:`x = 0, \\dots, n`, with no simulation:

.. math:: C(p) = \\sum_{x=0}^{n} \\binom{n}{x} p^x (1-p)^{n-x}\\,
   \\mathbf 1\\{L(x) \\le p \\le U(x)\\}.

The interval is computed once for every count (one vectorised call of
:func:`surveykit.proportion_ci`), and the coverage at every :math:`p` is a masked sum of
binomial probabilities, evaluated on whole arrays. The same holds for the difference of
two proportions (:func:`surveykit.difference_ci`) over the grid of pairs of counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from surveykit._core.validation import (
    as_label_list,
    broadcast,
    check_confidence_level,
    check_given_together,
    check_n,
    check_nonempty_options,
    check_option,
    check_proportion,
)
from surveykit.exceptions import SurveyKitError

__all__ = [
    "coverage",
    "difference_coverage",
    "difference_interval_performance",
    "interval_performance",
]

#: cells (outcomes x true values) evaluated at once: bounds memory to ~50 MB
_CHUNK_CELLS = 1 << 21
#: the default grid of true proportions: 0.001, 0.002, ..., 0.999
DEFAULT_P = np.arange(1, 1000) / 1000
#: the default grid of true pairs: every (p1, p2) in 0.05, 0.10, ..., 0.95
DEFAULT_PAIRS = np.linspace(0.05, 0.95, 19)


def _proportion_methods() -> tuple[str, ...]:
    from surveykit.inference.proportion import PROPORTION_CI_METHODS

    return PROPORTION_CI_METHODS


def _difference_methods() -> tuple[str, ...]:
    from surveykit.inference.difference import DIFFERENCE_CI_METHODS

    return DIFFERENCE_CI_METHODS


def _groups(*keys: np.ndarray, valid: np.ndarray) -> list[tuple[tuple[float, ...], np.ndarray]]:
    """The distinct rows of ``keys`` among the valid elements, with their positions."""
    stacked = np.stack([k[valid] for k in keys], axis=-1)
    if stacked.size == 0:
        return []
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    positions = np.flatnonzero(valid)
    inverse = inverse.ravel()
    return [(tuple(u), positions[inverse == j]) for j, u in enumerate(unique)]


def _single_bounds(method: str, n: int, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The interval of every count 0..n, in one call."""
    from surveykit.inference.proportion import proportion_ci

    ci = proportion_ci(np.arange(n + 1) / n, n, method=method, confidence_level=level)
    return np.asarray(ci.ci_low, dtype=float), np.asarray(ci.ci_high, dtype=float)


def _single_performance(
    lower: np.ndarray, upper: np.ndarray, p: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coverage and expected length at each p: masked sums of binomial probabilities."""
    n = lower.size - 1
    x = np.arange(n + 1)[:, None]
    cover = np.empty(p.size)
    length = np.empty(p.size)
    step = max(1, _CHUNK_CELLS // (n + 1))
    for start in range(0, p.size, step):
        part = p[start : start + step][None, :]
        pmf = stats.binom.pmf(x, n, part)
        inside = (lower[:, None] <= part) & (part <= upper[:, None])
        cover[start : start + step] = np.sum(pmf * inside, axis=0)
        length[start : start + step] = (upper - lower) @ pmf
    return np.minimum(cover, 1.0), length


#: largest n of exact coverage for one proportion (n + 1 outcomes per value of p)
MAX_N = 20_000
#: largest number of outcome pairs (n1 + 1)(n2 + 1) for a difference interval
MAX_PAIRS = 4_000_000


def _whole(name: str, n: np.ndarray, *, known: bool = False) -> np.ndarray:
    """Sample sizes for exact enumeration: whole and small enough to enumerate (and, with
    ``known``, not NaN: a performance table needs a real n)."""
    n = check_n(name, n, integer=True)
    if known and np.isnan(n).any():
        raise SurveyKitError(f"{name} must be a known sample size for exact coverage, got nan")
    if (n > MAX_N).any():
        raise SurveyKitError(
            f"{name} must be at most {MAX_N:,} for exact coverage (it sums over every "
            f"outcome), got {np.max(n):g}; coverage is close to nominal there, or use "
            "simulate_polls to estimate it"
        )
    return n


def _check_pairs(m1: np.ndarray, m2: np.ndarray) -> None:
    pairs = (np.asarray(m1) + 1) * (np.asarray(m2) + 1)
    if (pairs > MAX_PAIRS).any():
        raise SurveyKitError(
            f"n1 and n2 give {np.max(pairs):,.0f} outcome pairs to enumerate, more than the "
            f"limit of {MAX_PAIRS:,}; use smaller n1 and n2 (exact coverage is for small "
            "polls) or simulate_polls"
        )


def coverage(
    proportion: ArrayLike,
    n: ArrayLike,
    *,
    method: str = "wilson",
    confidence_level: ArrayLike = 0.95,
) -> float | np.ndarray:
    """Exact coverage probability of a :func:`surveykit.proportion_ci` method.

    The probability that the interval from a poll of ``n`` contains the true
    ``proportion``,
    summed over every possible count (no simulation). Inputs broadcast (a Series keeps
    its index); the intervals are computed once per distinct (n, level) for all counts
    at once, and the sum is vectorised over all true shares.

    Parameters
    ----------
    proportion : array_like
        True proportion(s), in [0, 1].
    n : array_like
        Sample size(s), whole numbers.
    method : str, default 'wilson'
        A method of :func:`surveykit.proportion_ci` (its list is read at call time,
        e.g. ``'wald'``, ``'wilson'``, ``'clopper-pearson'``).
    confidence_level : array_like, default 0.95
        Nominal level of the two-sided interval.

    Returns
    -------
    float or ndarray
        Coverage, shaped like the broadcast inputs (like ``proportion`` for a scalar n).

    Raises
    ------
    SurveyKitError
        For an unknown method, a non-integer or non-positive n, a proportion outside
        [0, 1] or a level outside (0, 1).

    See Also
    --------
    interval_performance : coverage and expected length over a grid of true shares.
    difference_coverage : the same for an interval for p1 - p2.

    Notes
    -----
    .. math:: C(p) = \\sum_{x=0}^{n} b(x; n, p)\\, \\mathbf 1\\{L(x) \\le p \\le U(x)\\}

    with :math:`b` the binomial probability and :math:`[L(x), U(x)]` the closed
    interval at count :math:`x`. As a function of :math:`p` it jumps wherever
    :math:`p` crosses a bound, which gives the erratic oscillations of Brown, Cai and
    DasGupta [1]_: the Wald interval's coverage falls far below the nominal level
    near 0 and 1, and at some p even for large n, while the Clopper-Pearson
    interval's never falls below it [2]_.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133.
    .. [2] Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.

    Examples
    --------
    Had the FSO asked 50 people, and had the truth been the July figure of 32% or a
    fringe view held by 3%, how often would a "95%" interval contain it?

    >>> from surveykit.planning.coverage import coverage
    >>> coverage([0.32, 0.03], 50, method="wald").round(4)
    array([0.9296, 0.7812])
    >>> coverage([0.32, 0.03], 50, method="wilson").round(4)
    array([0.9527, 0.9372])
    """
    method = check_option("method", method, _proportion_methods())
    shape, a = broadcast(proportion=proportion, n=n, confidence_level=confidence_level)
    size = _whole("n", a["n"])
    truth = check_proportion("proportion", a["proportion"])
    level = check_confidence_level(a["confidence_level"])
    size, truth, level = (np.array(v, dtype=float) for v in (size, truth, level))
    out = np.full(shape.shape, np.nan)
    valid = ~(np.isnan(size) | np.isnan(truth) | np.isnan(level))
    flat_out, flat_p = out.reshape(-1), truth.reshape(-1)
    for (m, lv), where in _groups(size.ravel(), level.ravel(), valid=valid.ravel()):
        lower, upper = _single_bounds(method, int(m), lv)
        flat_out[where] = _single_performance(lower, upper, flat_p[where])[0]
    return shape.wrap(out, "coverage")


def _summaries(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=False)["coverage"]
    return frame.assign(
        mean_coverage=grouped.transform("mean"), min_coverage=grouped.transform("min")
    )


def interval_performance(
    n: ArrayLike,
    *,
    method: str | Sequence[str] = "wilson",
    proportion: ArrayLike | None = None,
    confidence_level: ArrayLike = 0.95,
) -> pd.DataFrame:
    """Coverage and expected length of interval methods over a grid of true shares.

    Parameters
    ----------
    n : int or sequence of int
        One or several sample sizes.
    method : str or sequence of str, default 'wilson'
        One or several methods of :func:`surveykit.proportion_ci`.
    proportion : array_like, optional
        The true proportions; by default 0.001, 0.002, ..., 0.999.
    confidence_level : float or sequence of float, default 0.95
        One or several nominal levels.

    Returns
    -------
    DataFrame
        Tidy: one row per method, n, level and true share, with columns ``method``,
        ``n``, ``confidence_level``, ``proportion``, ``coverage`` (exact),
        ``expected_length`` (:math:`E[U(X) - L(X)]`), and the summaries over the grid
        of true shares for that method,
        n and level, ``mean_coverage`` and ``min_coverage`` (the same on each of its
        rows).

    Raises
    ------
    SurveyKitError
        As :func:`coverage`.

    See Also
    --------
    coverage : the coverage at given true shares, as numbers.

    Notes
    -----
    Expected length :math:`\\sum_x b(x; n, p)(U(x) - L(x))`; the mean coverage is the
    average over the grid, which for the default (uniform) grid approximates
    :math:`\\int_0^1 C(p)\\,dp`, the summary of Brown, Cai and DasGupta [1]_.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133.

    Examples
    --------
    The intervals around the FSO's figures, had it asked 50 people:

    >>> from surveykit.planning.coverage import interval_performance
    >>> frame = interval_performance(50, method=["wald", "clopper-pearson"])
    >>> summary = frame.groupby("method", sort=False)[["mean_coverage", "min_coverage"]]
    >>> summary.first().round(3)
                     mean_coverage  min_coverage
    method
    wald                     0.902         0.049
    clopper-pearson          0.969         0.953
    """
    methods = [
        check_option("method", m, _proportion_methods()) for m in as_label_list("method", method)
    ]
    check_nonempty_options("method", methods, "['wilson', 'clopper-pearson']")
    truth = DEFAULT_P
    if proportion is not None:
        truth = np.ravel(check_proportion("proportion", _floats("proportion", proportion)))
    frames = []
    for lv in np.ravel(_floats("confidence_level", confidence_level)):
        check_confidence_level(np.asarray(lv))
        for m in np.ravel(_floats("n", n)):
            _whole("n", np.asarray(m), known=True)
            for name in methods:
                lower, upper = _single_bounds(name, int(m), float(lv))
                cover, length = _single_performance(lower, upper, truth)
                frames.append(
                    pd.DataFrame(
                        {
                            "method": name,
                            "n": int(m),
                            "confidence_level": float(lv),
                            "proportion": truth,
                            "coverage": cover,
                            "expected_length": length,
                        }
                    )
                )
    frame = pd.concat(frames, ignore_index=True)
    return _summaries(frame, ["method", "n", "confidence_level"])


def _floats(name: str, value: ArrayLike) -> np.ndarray:
    _, a = broadcast(**{name: value})
    return np.asarray(a[name], dtype=float)


# --------------------------------------------------------------------------------------
# Difference of two proportions
# --------------------------------------------------------------------------------------


def _difference_bounds(method: str, n1: int, n2: int, level: float) -> tuple[np.ndarray, ...]:
    """The interval of every pair of counts, shape (n1 + 1, n2 + 1), in one call."""
    from surveykit.inference.difference import difference_ci

    k1 = (np.arange(n1 + 1) / n1)[:, None]
    k2 = (np.arange(n2 + 1) / n2)[None, :]
    ci = difference_ci(k1, n1, k2, n2, method=method, confidence_level=level)
    return np.asarray(ci.ci_low, dtype=float), np.asarray(ci.ci_high, dtype=float)


def _difference_performance(
    lower: np.ndarray, upper: np.ndarray, p1: np.ndarray, p2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n1, n2 = lower.shape[0] - 1, lower.shape[1] - 1
    b1 = stats.binom.pmf(np.arange(n1 + 1)[:, None], n1, p1[None, :])
    b2 = stats.binom.pmf(np.arange(n2 + 1)[:, None], n2, p2[None, :])
    delta = p1 - p2
    cover = np.empty(p1.size)
    step = max(1, _CHUNK_CELLS // lower.size)
    for start in range(0, p1.size, step):
        stop = start + step
        d = delta[start:stop, None, None]
        inside = (lower[None] <= d) & (d <= upper[None])
        cover[start:stop] = np.einsum("ik,kij,jk->k", b1[:, start:stop], inside, b2[:, start:stop])
    length = np.einsum("ik,ij,jk->k", b1, upper - lower, b2)
    return np.minimum(cover, 1.0), length


def difference_coverage(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike,
    *,
    method: str = "newcombe",
    confidence_level: ArrayLike = 0.95,
) -> float | np.ndarray:
    """Exact coverage of a :func:`surveykit.difference_ci` method at true (p1, p2).

    The probability that the interval for :math:`p_1 - p_2` from two independent polls
    of ``n1`` and ``n2`` contains the true difference, summed over every pair of counts.
    Inputs broadcast; the intervals are computed once per distinct (n1, n2, level) for
    the whole grid of counts, and the sums are vectorised over the true pairs.

    Parameters
    ----------
    p1, n1 : array_like
        True proportion and size (a whole number) of the first poll.
    p2, n2 : array_like
        True proportion and size of the second poll; the difference is ``p1 - p2``.
    method : str, default 'newcombe'
        A method of :func:`surveykit.difference_ci` (read at call time).
    confidence_level : array_like, default 0.95

    Returns
    -------
    float or ndarray
        Coverage, shaped like the broadcast inputs.

    Raises
    ------
    SurveyKitError
        For an unknown method, non-integer sizes, proportions outside [0, 1] or a level
        outside (0, 1).

    See Also
    --------
    surveykit.planning.coverage.coverage : the coverage of an interval for one share.
    surveykit.planning.coverage.difference_interval_performance : coverage and width over
        a grid of true shares.
    surveykit.inference.difference.difference_ci : the intervals whose coverage this is.

    Notes
    -----
    .. math:: C(p_1, p_2) = \\sum_{x_1, x_2} b(x_1; n_1, p_1)\\, b(x_2; n_2, p_2)\\,
       \\mathbf 1\\{L(x_1, x_2) \\le p_1 - p_2 \\le U(x_1, x_2)\\}

    as in Newcombe's evaluation of eleven methods [1]_.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.

    Examples
    --------
    The FSO's change from 32% to 55%, with 40 respondents in each poll:

    >>> from surveykit.planning.coverage import difference_coverage
    >>> round(difference_coverage(0.55, 40, 0.32, 40, method="wald"), 4)
    0.9448
    >>> round(difference_coverage(0.55, 40, 0.32, 40, method="newcombe"), 4)
    0.9473
    """
    method = check_option("method", method, _difference_methods())
    shape, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, confidence_level=confidence_level)
    m1 = _whole("n1", a["n1"])
    m2 = _whole("n2", a["n2"])
    _check_pairs(m1, m2)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    level = check_confidence_level(a["confidence_level"])
    m1, m2, q1, q2, level = (np.array(v, dtype=float) for v in (m1, m2, q1, q2, level))
    out = np.full(shape.shape, np.nan)
    valid = ~(np.isnan(m1) | np.isnan(m2) | np.isnan(q1) | np.isnan(q2) | np.isnan(level))
    flat_out = out.reshape(-1)
    for (s1, s2, lv), where in _groups(m1.ravel(), m2.ravel(), level.ravel(), valid=valid.ravel()):
        lower, upper = _difference_bounds(method, int(s1), int(s2), lv)
        flat_out[where] = _difference_performance(
            lower, upper, q1.ravel()[where], q2.ravel()[where]
        )[0]
    return shape.wrap(out, "coverage")


def difference_interval_performance(
    n1: int,
    n2: int | None = None,
    *,
    method: str | Sequence[str] = "newcombe",
    p1: ArrayLike | None = None,
    p2: ArrayLike | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Coverage and expected length of difference intervals over pairs of true values.

    Parameters
    ----------
    n1 : int
        Size of the first poll.
    n2 : int, optional
        Size of the second poll; by default ``n1``.
    method : str or sequence of str, default 'newcombe'
        One or several methods of :func:`surveykit.difference_ci`.
    p1, p2 : array_like, optional
        The true pairs (broadcast together). By default every pair of 0.05, 0.10, ...,
        0.95 (361 pairs); give both or neither.
    confidence_level : float, default 0.95

    Returns
    -------
    DataFrame
        Tidy: one row per method and pair, with columns ``method``, ``n1``, ``n2``,
        ``confidence_level``, ``p1``, ``p2``, ``difference`` (p1 - p2), ``coverage``,
        ``expected_length``, and the summaries over the pairs for that method,
        ``mean_coverage`` and ``min_coverage``.

    Raises
    ------
    SurveyKitError
        As :func:`difference_coverage`, and when only one of p1, p2 is given.

    See Also
    --------
    difference_coverage : the coverage at given pairs, as numbers.
    interval_performance : the same for one proportion.

    Notes
    -----
    Coverage as in :func:`difference_coverage`; expected length
    :math:`\\sum_{x_1, x_2} b(x_1; n_1, p_1) b(x_2; n_2, p_2)(U - L)`. The default grid
    of pairs follows the spirit of Newcombe's evaluation [1]_, which averaged over
    many parameter pairs and reported the mean and minimum coverage.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.

    Examples
    --------
    Intervals for the change between two polls like the FSO's July and November waves,
    had each asked only 30 people, over every pair of true shares from 5% to 95%:

    >>> from surveykit.planning.coverage import difference_interval_performance
    >>> frame = difference_interval_performance(30, method=["wald", "newcombe"])
    >>> frame.groupby("method", sort=False)["min_coverage"].first().round(3)
    method
    wald        0.805
    newcombe    0.922
    Name: min_coverage, dtype: float64
    """
    methods = [
        check_option("method", m, _difference_methods()) for m in as_label_list("method", method)
    ]
    check_nonempty_options("method", methods, "['newcombe', 'wald']")
    n2 = n1 if n2 is None else n2
    check_given_together(p1=p1, p2=p2)
    if p1 is None:
        g1, g2 = np.meshgrid(DEFAULT_PAIRS, DEFAULT_PAIRS, indexing="ij")
        q1, q2 = g1.ravel(), g2.ravel()
    else:
        _, a = broadcast(p1=p1, p2=p2)
        q1 = np.ravel(check_proportion("p1", a["p1"]))
        q2 = np.ravel(check_proportion("p2", a["p2"]))
    m1 = int(_whole("n1", _floats("n1", n1), known=True))
    m2 = int(_whole("n2", _floats("n2", n2), known=True))
    _check_pairs(np.array(m1), np.array(m2))
    level = float(check_confidence_level(_floats("confidence_level", confidence_level)))
    frames = []
    for name in methods:
        lower, upper = _difference_bounds(name, m1, m2, level)
        cover, length = _difference_performance(lower, upper, q1, q2)
        frames.append(
            pd.DataFrame(
                {
                    "method": name,
                    "n1": m1,
                    "n2": m2,
                    "confidence_level": level,
                    "p1": q1,
                    "p2": q2,
                    "difference": q1 - q2,
                    "coverage": cover,
                    "expected_length": length,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    return _summaries(frame, ["method"])
