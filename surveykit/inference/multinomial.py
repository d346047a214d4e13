"""Simultaneous confidence intervals for all options of one question (multinomial)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.results import MultinomialCI
from surveykit._core.sizes import formula_size
from surveykit._core.validation import (
    as_float_array,
    check_confidence_level,
    check_deff,
    check_flag,
    check_n,
    check_option,
    check_proportion,
    check_shares_of_one_question,
    integer_counts,
)
from surveykit.exceptions import SurveyKitError

__all__ = ["MULTINOMIAL_CI_METHODS", "multinomial_ci"]

MULTINOMIAL_CI_METHODS = ("goodman", "sison-glaz", "quesenberry-hurst", "wilson-bonferroni")


def _score_bounds(x: np.ndarray, n: float, a: float) -> tuple[np.ndarray, np.ndarray]:
    """Roots of (x - n p)^2 = a n p (1 - p): the score bounds shared by three methods."""
    root = np.sqrt(a * (a + 4 * x * (n - x) / n))
    return (a + 2 * x - root) / (2 * (n + a)), (a + 2 * x + root) / (2 * (n + a))


def _poisson_cdf(k: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """P(Z <= k) for Z ~ Poisson(lam), 0 for k < 0 (scipy's pdtr gives NaN there)."""
    return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0.0), lam))


def _sison_glaz_coverage(c: np.ndarray, x: np.ndarray, n: float) -> np.ndarray:
    """Sison and Glaz's Edgeworth approximation to P(x_i - c <= X_i <= x_i + c, all i).

    ``c`` has shape (m,), ``x`` (the counts, the Poisson means) shape (k,); the result
    has shape (m,). A transcription of R MultinomialCI's ``truncpoi`` on whole arrays.
    """
    c = c[:, None]
    lam = x[None, :]
    upper = lam + c
    lower = np.maximum(lam - c, 0.0)
    cdf_upper = _poisson_cdf(upper, lam)
    cdf_below = _poisson_cdf(lower - 1, lam)
    den = cdf_upper - cdf_below
    mu = []
    for r in range(1, 5):
        pois_a = cdf_upper - _poisson_cdf(upper - r, lam)
        pois_b = cdf_below - _poisson_cdf(lower - r - 1, lam)
        mu.append(lam**r * (1 - (pois_a - pois_b) / den))
    m1, m2, m3, m4 = mu
    mom2 = m2 + m1 - m1**2
    mom3 = m3 + m2 * (3 - 3 * m1) + (m1 - 3 * m1**2 + 2 * m1**3)
    mom4 = (
        m4
        + m3 * (6 - 4 * m1)
        + m2 * (7 - 12 * m1 + 6 * m1**2)
        + m1
        - 4 * m1**2
        + 6 * m1**3
        - 3 * m1**4
    )
    s1 = m1.sum(axis=1)
    s2 = mom2.sum(axis=1)
    s3 = mom3.sum(axis=1)
    s4 = (mom4 - 3 * mom2**2).sum(axis=1)
    z = (n - s1) / np.sqrt(s2)
    g1 = s3 / s2**1.5
    g2 = s4 / s2**2
    poly = (
        1
        + g1 * (z**3 - 3 * z) / 6
        + g2 * (z**4 - 6 * z**2 + 3) / 24
        + g1**2 * (z**6 - 15 * z**4 + 45 * z**2 - 15) / 72
    )
    f = poly * np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi)
    log_probx = np.log(den).sum(axis=1)
    log_pmf_n = n * np.log(n) - n - special.gammaln(n + 1)
    return np.exp(log_probx - log_pmf_n) * f / np.sqrt(s2)


def _sison_glaz(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Sison-Glaz bounds for integer counts ``x`` (their sum is the sample size)."""
    n = float(x.sum())
    p = x / n
    target = level
    previous = 0.0  # R MultinomialCI starts from a coverage of 0 before c = 1
    c_found, nu_c, nu_c1 = float(n), 1.0, 1.0
    start, width = 1, 64
    while start <= n:
        cs = np.arange(start, min(start + width, n + 1), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            nu = _sison_glaz_coverage(cs, x, n)
        # no probability left in some option's window (den = 0): the coverage is 0
        nu = np.where(np.isfinite(nu), nu, 0.0)
        before = np.concatenate(([previous], nu[:-1]))
        hits = np.flatnonzero((nu > target) & (before < target))
        if hits.size:
            i = hits[0]
            c_found, nu_c, nu_c1 = cs[i] - 1, before[i], nu[i]
            break
        previous = nu[-1]
        start += cs.size
        width *= 2
    delta = (target - nu_c) / (nu_c1 - nu_c) if nu_c1 > nu_c else 0.0
    return p - c_found / n, p + (c_found + 2 * delta) / n


def multinomial_ci(
    proportions: ArrayLike,
    n: float,
    *,
    method: str = "goodman",
    confidence_level: float = 0.95,
    deff: float = 1.0,
    round_counts: bool = False,
) -> MultinomialCI:
    """Simultaneous confidence intervals for the shares of all options of one question.

    The intervals hold jointly: with 95% confidence every option's share lies in its
    interval at once. The formulas are evaluated on the whole vector of options; the
    Sison-Glaz constant is found by scanning its coverage on whole arrays of candidate
    values.

    Parameters
    ----------
    proportions : array_like
        The shares of the k options, one-dimensional (a Series keeps its index, the
        option labels). They are taken as all cells of the question; the counts are
        ``proportions * n``.
    n : float
        Sample size of the poll.
    method : {'goodman', 'sison-glaz', 'quesenberry-hurst', 'wilson-bonferroni'}, \
default 'goodman'
        See Notes.
    confidence_level : float, default 0.95
        Joint coverage, strictly between 0 and 1.
    deff : float, default 1.0
        Design effect: the intervals use ``n / deff`` respondents (for Sison-Glaz the
        effective counts are rounded to whole numbers).
    round_counts : bool, default False
        Sison-Glaz needs whole-number counts: ``proportions * n`` within 1e-9 of an
        integer is accepted, anything else raises unless ``round_counts=True``.

    Returns
    -------
    MultinomialCI
        One element per option: ``estimate``, ``ci_low``, ``ci_high``; ``to_frame()``
        gives one row per option.

    Raises
    ------
    SurveyKitError
        For an unknown ``method``, a share outside [0, 1], proportions that are not
        one-dimensional, an invalid ``n``, ``deff`` or confidence level, or a
        non-integer count for Sison-Glaz.

    See Also
    --------
    surveykit.inference.proportion.proportion_ci : one share at a time.
    surveykit.inference.within_poll.option_difference_ci : the lead of one option over
        another in the same poll.
    surveykit.unknowns.granularity.consistent_n : sample sizes consistent with the
        published percentages.

    Notes
    -----
    With counts :math:`x_i`, k options and :math:`\\alpha = 1 -` ``confidence_level``,
    ``goodman``, ``quesenberry-hurst`` and ``wilson-bonferroni`` are the roots of
    :math:`(x_i - np)^2 = A\\,np(1-p)`:
    :math:`\\bigl(A + 2x_i \\pm \\sqrt{A(A + 4x_i(n-x_i)/n)}\\bigr) / (2(n + A))`,

    - ``goodman`` [1]_: :math:`A = \\chi^2_{1}(1 - \\alpha/k)`;
    - ``wilson-bonferroni``: Wilson's score interval for each option at level
      :math:`1 - \\alpha/k`, which is algebraically the same as Goodman's (his
      intervals are the Bonferroni-adjusted score intervals); both names are kept
      because both are in use;
    - ``quesenberry-hurst`` [2]_: :math:`A = \\chi^2_{k-1}(1 - \\alpha)` (a single
      option uses one degree of freedom), wider than Goodman's for k > 2.

    ``sison-glaz`` [3]_: :math:`[\\hat p_i - c/n,\\ \\hat p_i + (c + 2\\gamma)/n]`,
    where :math:`c` is the integer with :math:`\\nu(c) < 1 - \\alpha < \\nu(c + 1)`,
    :math:`\\nu(c)` the probability that every count lies within :math:`c` of its
    observed value (Levin's representation with Poisson variables and an Edgeworth
    expansion), and :math:`\\gamma = (1 - \\alpha - \\nu(c))/(\\nu(c+1) - \\nu(c))`,
    as R's MultinomialCI (with :math:`\\nu(0)` taken as 0, as there). If no such
    :math:`c \\le n` exists, :math:`c = n`; if a design effect leaves no whole effective
    respondent, every interval is [0, 1].

    The score bounds stay in [0, 1]; the Sison-Glaz bounds can leave it and are
    truncated to it, as R's MultinomialCI does.

    References
    ----------
    .. [1] Goodman, L. A. (1965). On simultaneous confidence intervals for multinomial
       proportions. Technometrics 7, 247-254.
    .. [2] Quesenberry, C. P. and Hurst, D. C. (1964). Large sample simultaneous
       confidence intervals for multinomial proportions. Technometrics 6, 191-195.
    .. [3] Sison, C. P. and Glaz, J. (1995). Simultaneous confidence intervals and
       sample size determination for multinomial proportions. JASA 90, 366-369.

    Examples
    --------
    The leaked FSO poll: 55% for talks, 25% for continuing the war, 20% undecided.
    With an assumed 1,600 respondents, all three shares at once:

    >>> from surveykit.inference.multinomial import multinomial_ci
    >>> ci = multinomial_ci([0.55, 0.25, 0.20], 1600)
    >>> ci.ci_low.round(3).tolist()
    [0.52, 0.225, 0.177]
    """
    method = check_option("method", method, MULTINOMIAL_CI_METHODS)
    index = getattr(proportions, "index", None) if hasattr(proportions, "to_numpy") else None
    p = as_float_array("proportions", proportions)
    if p.ndim != 1 or p.size == 0:
        raise SurveyKitError(
            f"proportions must be a one-dimensional list of the options' shares, got shape "
            f"{p.shape}; call multinomial_ci once per question"
        )
    p = check_shares_of_one_question("proportions", check_proportion("proportions", p))
    scalars = {}
    for name, value in (("n", n), ("confidence_level", confidence_level), ("deff", deff)):
        arr = as_float_array(name, value)
        if arr.ndim != 0:
            raise SurveyKitError(
                f"{name} must be a single number for one question, got shape {arr.shape}"
            )
        scalars[name] = arr
    size = float(check_n("n", scalars["n"]))
    level = float(check_confidence_level(scalars["confidence_level"]))
    design = float(check_deff("deff", scalars["deff"]))
    n_eff = size / design
    k = p.size
    alpha = 1 - level
    check_flag("round_counts", round_counts)
    valid = ~np.isnan(p)
    lower = np.full(k, np.nan)
    upper = np.full(k, np.nan)
    if np.isnan(size) or np.isnan(level) or np.isnan(design):
        valid[:] = False
    if method == "sison-glaz":
        count = integer_counts(
            "proportions", p * size, np.asarray(size), round_counts=round_counts
        )
        p = np.where(valid, count / size, np.nan)
        x = np.round(count[valid] / design)
        if x.size and x.sum() > 0:
            lo, hi = _sison_glaz(x, level)
            lower[valid], upper[valid] = lo, hi
        else:  # no whole effective respondent left: nothing bounds the shares
            lower[valid], upper[valid] = 0.0, 1.0
    else:
        if method == "quesenberry-hurst":
            a = special.chdtri(max(k - 1, 1), alpha)
        else:  # goodman and wilson-bonferroni: z^2 at alpha / (2k) in each tail
            a = special.ndtri(alpha / (2 * k)) ** 2
        m = formula_size(n_eff)  # beyond 1e30 the bounds are the shares (no overflow)
        with np.errstate(invalid="ignore"):
            lo, hi = _score_bounds(p * m, m, a)
        lower, upper = np.where(valid, lo, np.nan), np.where(valid, hi, np.nan)
    lower = np.clip(lower, 0.0, 1.0)
    upper = np.clip(upper, 0.0, 1.0)

    def wrap(values: np.ndarray, name: str):  # type: ignore[no-untyped-def]
        import pandas as pd

        return pd.Series(values, index=index, name=name) if index is not None else values

    return MultinomialCI(
        estimate=wrap(p, "estimate"),
        ci_low=wrap(lower, "ci_low"),
        ci_high=wrap(upper, "ci_high"),
        n=size,
        deff=design,
        confidence_level=level,
        method=method,
    )
