"""The Miettinen-Nurminen / Farrington-Manning score statistic for p1 - p2.

Shared by the score interval (:func:`surveykit.difference_ci`) and the score test
(:func:`surveykit.two_proportion_test`), so that the interval's bounds are exactly where
the test's p-value crosses alpha.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "POLISH_BELOW",
    "POLISH_ITERATIONS",
    "mle_from_terms",
    "polish_restricted_mle",
    "restricted_mle",
    "score_terms",
    "score_z",
    "solve_decreasing",
    "z_from_terms",
]


def score_terms(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, correction: bool
) -> tuple[np.ndarray, ...]:
    """Per-element constants of the score statistic, computed once per interval.

    Elements whose pooled share exceeds one half are solved on the other side (shares of
    failures, ``1 - p``, exact in floating point there, and the null difference negated):
    the restricted MLE then lies near 0, where floating point keeps its relative
    precision, instead of near 1, where ``1 - t`` would lose it. ``sign`` (-1 for those
    elements) turns the statistic back.
    """
    flip = p1 * n1 + p2 * n2 > 0.5 * (n1 + n2)
    sign = np.where(flip, -1.0, 1.0)
    q1 = np.where(flip, 1.0 - p1, p1)
    q2 = np.where(flip, 1.0 - p2, p2)
    theta = n2 / n1
    inv_a = 1 / (1 + theta)
    s = q1 + theta * q2
    k1 = (1 + theta + s) * inv_a
    k2 = (theta + 2) * inv_a
    k3 = 2 * q1 + theta + 1
    k4 = s * inv_a
    k5 = q1 * inv_a
    total = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        var_factor = np.where(total > 1, total / (total - 1), np.inf) if correction else 1.0
    var_factor = np.broadcast_to(var_factor, np.shape(theta))
    x1, x2 = q1 * n1, q2 * n2
    m1, m2 = (1.0 - q1) * n1, (1.0 - q2) * n2
    inv_n1, inv_n2, dhat = 1 / n1, 1 / n2, q1 - q2
    return (inv_a, k1, k2, k3, k4, k5, q1, inv_n1, inv_n2, var_factor, dhat, x1, m1, x2, m2, sign)


#: elements whose restricted MLE is polished by Newton steps: a share within this of 0
#: (after flipping), or a cubic within this of a double root
POLISH_BELOW = 1e-3
POLISH_ITERATIONS = 60


def _likelihood_score(t2, d, x1, m1, x2, m2):  # type: ignore[no-untyped-def]
    """The restricted log-likelihood's derivative in t2 (t1 = t2 + d) and its slope.

    A term whose count is 0 is absent from the likelihood (0 log 0 = 0).
    """
    t1 = t2 + d
    parts = ((x1, t1), (m1, 1.0 - t1), (x2, t2), (m2, 1.0 - t2))
    score = np.zeros_like(t2)
    slope = np.zeros_like(t2)
    for k, (count, base) in enumerate(parts):
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(count > 0, count / base, 0.0)
            curve = np.where(count > 0, term / base, 0.0)
        score += term if k % 2 == 0 else -term
        slope -= curve
    return score, slope


def polish_restricted_mle(t2, d, x1, m1, x2, m2):  # type: ignore[no-untyped-def]
    """The root of the likelihood score in t2 on its feasible interval, to full precision.

    The score is decreasing in t2 (the log-likelihood is concave), so a bracket kept from
    its signs and Newton steps that fall back to bisection when they leave the bracket
    converge from any start, including to a maximum on the boundary. Vectorised: every
    iteration works on the elements not yet converged.
    """
    lo = np.maximum(0.0, -d)
    hi = np.minimum(1.0, 1.0 - d)
    out = np.array(t2, dtype=float, copy=True)
    # a maximum on the boundary: the score never turns positive (or negative) inside
    s_lo, _ = _likelihood_score(lo, d, x1, m1, x2, m2)
    s_hi, _ = _likelihood_score(hi, d, x1, m1, x2, m2)
    at_lo, at_hi = s_lo <= 0, s_hi >= 0
    out = np.where(at_lo, lo, np.where(at_hi, hi, out))
    idx = np.flatnonzero(np.isfinite(out) & (hi > lo) & ~at_lo & ~at_hi)
    x, a, b = np.clip(out[idx], lo[idx], hi[idx]), lo[idx], hi[idx]
    dd, c1, c2, c3, c4 = d[idx], x1[idx], m1[idx], x2[idx], m2[idx]
    for _ in range(POLISH_ITERATIONS):
        if idx.size == 0:
            break
        score, slope = _likelihood_score(x, dd, c1, c2, c3, c4)
        a = np.where(score > 0, x, a)
        b = np.where(score < 0, x, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - score / slope
        bisect = ~((step > a) & (step < b))
        new = np.where(bisect, 0.5 * (a + b), step)
        done = (score == 0) | (np.abs(new - x) <= 4e-16 * np.maximum(np.abs(x), 1e-300))
        done |= b - a <= 4e-16 * np.maximum(np.abs(a), 1e-300)
        out[idx[done]] = np.where(score == 0, x, new)[done]
        keep = ~done
        idx, x, a, b = idx[keep], new[keep], a[keep], b[keep]
        dd, c1, c2, c3, c4 = dd[keep], c1[keep], c2[keep], c3[keep], c4[keep]
    out[idx] = x
    return out


def mle_from_terms(delta: np.ndarray, *t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The restricted MLE (t1, t2) in the (possibly flipped) frame of :func:`score_terms`.

    ``delta`` is the null difference in that frame. The closed-form root of the cubic
    is the start; elements near 0 or near a double root, where the trigonometric form
    keeps only about half its digits, are polished by :func:`polish_restricted_mle`.
    """
    inv_a, k1, k2, k3, k4, k5 = t[:6]
    # the likelihood cubic, normalised: x^3 + b x^2 + c x + d = 0
    b3 = -(k1 + delta * k2) / 3
    c = delta * (delta + k3) * inv_a + k4
    d = -k5 * delta * (1 + delta)
    v = b3 * (b3 * b3 - c / 2) + d / 2
    u = np.copysign(np.sqrt(np.maximum(b3 * b3 - c / 3, 0.0)), v)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = v / (u * u * u)
    ratio = np.where(u == 0, 0.0, ratio)
    w = (np.pi + np.arccos(np.clip(ratio, -1.0, 1.0))) / 3
    t1 = 2 * u * np.cos(w) - b3
    low, high = np.maximum(delta, 0.0), np.minimum(1.0, 1.0 + delta)
    t1 = np.clip(t1, low, high)
    q1, dhat = t[6], t[10]
    q2 = q1 - dhat
    # at a null of no difference the maximum is the pooled share, in closed form
    x1, m1, x2, m2 = t[11:15]
    pooled = (x1 + x2) / (x1 + m1 + x2 + m2)
    t1 = np.where(delta == 0, pooled, t1)
    t2 = np.clip(t1 - delta, 0.0, 1.0)
    risky = (delta != 0) & (
        (np.minimum(t1, t2) < POLISH_BELOW) | (np.abs(ratio) > 1 - POLISH_BELOW) | (q1 == q2)
    )
    if np.any(risky):
        shape = np.broadcast_shapes(*(np.shape(a) for a in (t2, delta, x1, m1, x2, m2)))
        args = [np.broadcast_to(a, shape)[risky] for a in (t2, delta, x1, m1, x2, m2)]
        t2 = np.array(np.broadcast_to(t2, shape), dtype=float)
        t2[risky] = polish_restricted_mle(*args)
        t1 = np.clip(t2 + np.broadcast_to(delta, shape), 0.0, 1.0)
    return t1, t2


def z_from_terms(delta: np.ndarray, *t: np.ndarray) -> np.ndarray:
    """The score statistic at null difference ``delta`` (in the caller's orientation)."""
    sign = t[15]
    inner = sign * delta
    t1, t2 = mle_from_terms(inner, *t)
    inv_n1, inv_n2, var_factor, dhat = t[7:11]
    base = t1 * (1 - t1) * inv_n1 + t2 * (1 - t2) * inv_n2
    var = np.where(base > 0, base * var_factor, 0.0)
    diff = dhat - inner
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / np.sqrt(var)
    z = np.where((diff == 0) & (var == 0), 0.0, z)
    return sign * np.where(np.isnan(base), np.nan, z)


def restricted_mle(
    p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood (p1, p2) under the constraint p1 - p2 = delta.

    The closed-form root of the likelihood cubic (Farrington and Manning 1990,
    Miettinen and Nurminen 1985), evaluated on whole arrays. Degenerate cubics (where the
    trigonometric form divides by zero or rounding pushes the arccos argument out of
    [-1, 1]) are handled by clipping and by the limits, never by raising.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = score_terms(p1, n1, p2, n2, False)
        sign = terms[15]
        t1, t2 = mle_from_terms(sign * delta, *terms)
    flip = sign < 0
    return np.where(flip, 1.0 - t1, t1), np.where(flip, 1.0 - t2, t2)


def score_z(
    p1: np.ndarray,
    n1: np.ndarray,
    p2: np.ndarray,
    n2: np.ndarray,
    delta: np.ndarray,
    *,
    correction: bool = True,
) -> np.ndarray:
    """Score statistic for H0: p1 - p2 = delta; decreasing in delta.

    ``correction=True`` applies Miettinen and Nurminen's variance factor N / (N - 1)
    (N = n1 + n2); ``False`` gives the Farrington-Manning / Mee statistic.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return z_from_terms(delta, *score_terms(p1, n1, p2, n2, correction))


def solve_decreasing(
    func: Callable[..., np.ndarray],
    params: Sequence[np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    target: np.ndarray,
    guess: np.ndarray,
    step: np.ndarray,
    *,
    xtol: float = 1e-10,
    maxiter: int = 200,
) -> np.ndarray:
    """Where ``func(x, *params)`` (decreasing in x) crosses ``target``, elementwise.

    A safeguarded secant method on whole arrays: each element keeps a bracket
    ``[lo, hi]`` with ``func(lo) > target > func(hi)``, starts at ``guess``, takes a first
    step of ``(func - target) * step`` (a Newton step with the derivative guessed as
    ``-1 / step``), then secant steps; a step that leaves the bracket, and every step
    after the twelfth, is a bisection instead. Only elements not yet converged are
    evaluated, so the cost is a few calls of ``func`` on shrinking arrays. ``func`` is
    never called at ``lower`` or ``upper``; an element whose crossing lies at (or
    beyond) an end converges to that end. NaN anywhere in an element gives NaN.

    An element stops when a secant step taken from nearby points is below ``xtol``
    (the secant point is returned; with superlinear convergence its error is far below
    ``xtol``) or when its bracket is narrower than ``xtol / 1000``.
    """
    shape = np.broadcast_shapes(np.shape(lower), np.shape(upper), np.shape(target))
    size = int(np.prod(shape))

    def flat(a: np.ndarray) -> np.ndarray:
        return np.array(np.broadcast_to(a, shape), dtype=float).reshape(size)

    lo, hi, tgt = flat(lower), flat(upper), flat(target)
    x, scale = flat(guess), flat(step)
    pars = [flat(p) for p in params]
    out = np.full(size, np.nan)
    bad = np.isnan(lo) | np.isnan(hi) | np.isnan(tgt) | np.isnan(x)
    for p in pars:
        bad |= np.isnan(p)
    idx = np.flatnonzero(~bad)
    lo, hi, tgt, x, scale = lo[idx], hi[idx], tgt[idx], x[idx], scale[idx]
    pars = [p[idx] for p in pars]
    inside = (x > lo) & (x < hi)
    x = np.where(inside, x, 0.5 * (lo + hi))
    x_prev = f_prev = None
    for it in range(maxiter):
        if idx.size == 0:
            break
        f = func(x, *pars) - tgt
        nan_f = np.isnan(f)
        lo = np.where(f > 0, x, lo)
        hi = np.where(f < 0, x, hi)
        if x_prev is None:
            x_new = x + f * scale
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                x_new = x - f * (x - x_prev) / (f - f_prev)
        # a tiny secant step means convergence only if the slope came from nearby points
        local = np.abs(x - x_prev) <= 1e-4 if x_prev is not None else False
        narrow = hi - lo <= xtol * 1e-3
        converged = (f == 0) | narrow | ((np.abs(x_new - x) <= xtol) & local)
        mid = 0.5 * (lo + hi)
        inside = (x_new > lo) & (x_new < hi)
        # converged by a tiny step: the secant point itself is the most accurate answer
        result = np.where(inside, x_new, x)
        result = np.where(f == 0, x, np.where(narrow, mid, result))
        x_new = np.where(~inside | (it >= 12), mid, x_new)
        done = converged | nan_f | (it == maxiter - 1)
        out[idx[done]] = np.where(nan_f, np.nan, result)[done]
        keep = ~done
        idx = idx[keep]
        x_prev, f_prev = x[keep], f[keep]
        x, lo, hi, tgt, scale = x_new[keep], lo[keep], hi[keep], tgt[keep], scale[keep]
        pars = [p[keep] for p in pars]
    return out.reshape(shape)
