"""Power and sample size for comparing two independent polls, and n for a margin of error.

Three methods share one vocabulary. ``'normal'`` is the normal approximation of the
pooled z-test (R's ``power.prop.test``), ``'arcsine'`` is Cohen's arcsine effect size
(R's ``pwr::pwr.2p.test``), and ``'exact'`` enumerates every pair of counts: the
rejection region of a chosen test is computed once as a 0/1 matrix :math:`M` over
:math:`\\{0..n_1\\} \\times \\{0..n_2\\}` and the power is :math:`b_1^\\top M b_2` with
:math:`b_i` the binomial probability vectors.

``alternative`` means what it means in :func:`surveykit.two_proportion_test`:
``'greater'`` is :math:`p_1 > p_2`, ``'less'`` is :math:`p_1 < p_2`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from surveykit._core.validation import (
    broadcast,
    check_alpha,
    check_alternative,
    check_deff,
    check_exact_test_option,
    check_n,
    check_option,
    check_proportion,
)
from surveykit.planning.exact_power import exact_tests, power_exact

__all__ = [
    "POWER_METHODS",
    "checked_sizes",
    "cohen_h",
    "power_curve",
    "power_of",
    "power_options",
    "power_two_proportions",
    "signed_difference",
    "tail_of",
]

POWER_METHODS = ("normal", "arcsine", "exact")


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def tail_of(alpha: np.ndarray, alternative: str) -> np.ndarray:
    return alpha / 2 if alternative == "two-sided" else alpha


def power_options(method: str, alternative: str, test: str | None) -> tuple[str, str, str | None]:
    method = check_option("method", method, POWER_METHODS)
    alternative = check_alternative(alternative)
    check_exact_test_option(method, test)
    if method == "exact":
        test = check_option("test", "z-pooled" if test is None else test, exact_tests())
    return method, alternative, test


# --------------------------------------------------------------------------------------
# Power formulas on arrays (effective sample sizes n1, n2)
# --------------------------------------------------------------------------------------


def signed_difference(p1: np.ndarray, p2: np.ndarray, alternative: str) -> np.ndarray:
    """The difference in the direction the alternative looks for (abs if two-sided)."""
    d = p1 - p2
    if alternative == "two-sided":
        return np.abs(d)
    return d if alternative == "greater" else -d


def _power_normal(p1, p2, n1, n2, alpha, alternative):  # type: ignore[no-untyped-def]
    z = -special.ndtri(tail_of(alpha, alternative))
    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    null_sd = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    sd = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    margin = signed_difference(p1, p2, alternative) - z * null_sd
    with np.errstate(divide="ignore", invalid="ignore"):
        power = special.ndtr(margin / sd)
    # no variance under the alternative (p1, p2 in {0, 1}): rejection is certain or never
    return np.where(sd == 0, np.where(margin > 0, 1.0, 0.0), power)


def cohen_h(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def _power_arcsine(p1, p2, n1, n2, alpha, alternative):  # type: ignore[no-untyped-def]
    z = -special.ndtri(tail_of(alpha, alternative))
    t = cohen_h(p1, p2) * np.sqrt(n1 * n2 / (n1 + n2))
    if alternative == "greater":
        return special.ndtr(t - z)
    if alternative == "less":
        return special.ndtr(-t - z)
    return special.ndtr(np.abs(t) - z) + special.ndtr(-np.abs(t) - z)


def power_of(method, test, p1, p2, n1, n2, alpha, alternative, cache=None):  # type: ignore[no-untyped-def]
    if method == "normal":
        return _power_normal(p1, p2, n1, n2, alpha, alternative)
    if method == "arcsine":
        return _power_arcsine(p1, p2, n1, n2, alpha, alternative)
    return power_exact(p1, p2, n1, n2, alpha, alternative, test, cache)


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def power_two_proportions(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    alpha: ArrayLike = 0.05,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
    test: str | None = None,
) -> float | np.ndarray:
    """Power to detect a difference between two independent polls.

    The probability that a test at level ``alpha`` rejects :math:`p_1 = p_2` when the
    true shares are ``p1`` and ``p2`` and the polls have ``n1`` and ``n2`` respondents.
    Inputs broadcast (scalars, arrays, Series; a Series keeps its index). The
    approximations are formulas on whole arrays; the exact power enumerates the count
    grid once per distinct pair of sizes, with vector operations only.

    Parameters
    ----------
    p1, n1 : array_like
        True proportion (0.32 for 32%) and sample size of the first poll (the later
        one, or the one compared).
    p2 : array_like
        True proportion of the second poll; the difference is ``p1 - p2``.
    n2 : array_like, optional
        Sample size of the second poll; by default equal to ``n1``.
    alpha : array_like, default 0.05
        Significance level of the test (two-sided: ``alpha / 2`` in each tail).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        ``'greater'`` tests :math:`p_1 > p_2`, ``'less'`` :math:`p_1 < p_2`.
    method : {'normal', 'arcsine', 'exact'}, default 'normal'
        ``'normal'``: R's ``power.prop.test``; ``'arcsine'``: ``pwr::pwr.2p.test``
        (``pwr.2p2n.test`` for unequal sizes); ``'exact'``: the exact probability of
        rejection by the chosen ``test``. See Notes.
    deff : array_like, default 1.0
        Design effect of both polls: each n is replaced by ``n / deff``. For
        ``method='exact'`` the effective sizes must be whole numbers.
    test : str, optional
        For ``method='exact'`` only: a method of :func:`surveykit.two_proportion_test`
        (read at call time; default ``'z-pooled'``), including the exact tests
        ``'fisher'``, ``'barnard'`` and ``'boschloo'``.

    Returns
    -------
    float or ndarray
        The power, between 0 and 1 (a Series if an input was one).

    Raises
    ------
    SurveyKitError
        For proportions outside [0, 1], non-positive sizes or design effects, an
        ``alpha`` outside (0, 1), an unknown option, a ``test`` without
        ``method='exact'``, effective sizes that are not whole numbers for
        ``method='exact'``, or count grids too large to enumerate (above about 10,000
        per poll; 3,000 per poll for Barnard's and Boschloo's tests).

    See Also
    --------
    sample_size_two_proportions : the n that gives a target power.
    minimum_detectable_difference : the smallest difference detected with that power.

    Notes
    -----
    With :math:`\\delta = p_1 - p_2` signed towards the alternative
    (:math:`|\\delta|` two-sided), :math:`z = \\Phi^{-1}(1 - \\tau)` for the tail
    :math:`\\tau` (:math:`\\alpha/2` two-sided, :math:`\\alpha` one-sided),
    :math:`\\bar p = (n_1p_1 + n_2p_2)/(n_1 + n_2)`:

    - ``'normal'`` [1]_: :math:`\\Phi\\bigl((\\delta - z\\sqrt{\\bar p(1-\\bar p)
      (1/n_1 + 1/n_2)})/\\sqrt{p_1(1-p_1)/n_1 + p_2(1-p_2)/n_2}\\bigr)`. With
      :math:`n_1 = n_2 = n` this is R's ``power.prop.test(n, p1, p2)`` exactly, including
      its default ``strict = FALSE``: a two-sided test is credited only with rejections
      in the direction of the true difference (the opposite tail adds at most
      :math:`\\alpha/2`, and far less unless :math:`\\delta` is tiny; ``method='exact'``
      counts both). With no variance under the alternative (:math:`p_1, p_2 \\in
      \\{0, 1\\}`) the power is 1 if the shares differ and 0 if not (R gives NaN for
      0/0). One-sided, it equals R's ``alternative = "one.sided"`` when the
      difference lies in the direction of the alternative (R takes
      :math:`|\\delta|` always; here a difference the other way gives a power below
      :math:`\\alpha`).
    - ``'arcsine'`` [2]_: with Cohen's :math:`h = 2\\arcsin\\sqrt{p_1} -
      2\\arcsin\\sqrt{p_2}` and :math:`t = h\\sqrt{n_1n_2/(n_1+n_2)}`, power
      :math:`\\Phi(t - z)` (``'greater'``), :math:`\\Phi(-t - z)` (``'less'``) and
      :math:`\\Phi(|t| - z) + \\Phi(-|t| - z)` (two-sided, both tails, as ``pwr``).
    - ``'exact'`` [3]_: :math:`\\sum_{x_1, x_2} b(x_1; n_1, p_1) b(x_2; n_2, p_2)
      M(x_1, x_2)`, where :math:`M = 1` when the test's p-value of the table is at most
      :math:`\\alpha`. :math:`M` is computed once per pair of sizes, by calling the test
      on the whole grid (in blocks of about a million tables); each row of :math:`M` is
      two tails in :math:`x_2`, so the sum is gathered from binomial cumulative sums.
      Fisher's p-values are computed margin by margin. Barnard's and Boschloo's
      p-values are suprema over the nuisance parameter, non-decreasing in their
      statistic (the pooled z, Fisher's one-sided p-value), so their region is the set
      of tables beyond a critical value found by bisection over the sorted values of
      the statistic, about 20 suprema in all [4]_. Several thousand per poll take a few
      seconds (Barnard's and Boschloo's tests: a thousand per poll, about two seconds).

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for
       Rates and Proportions, 3rd ed., Wiley, section 4.2; R Core Team,
       ``stats::power.prop.test``.
    .. [2] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6; Champely, S., ``pwr`` R package, ``pwr.2p.test``.
    .. [3] Suissa, S. and Shuster, J. J. (1985). Exact unconditional sample sizes for
       the 2 x 2 binomial trial. Journal of the Royal Statistical Society A 148,
       317-327.
    .. [4] Mehrotra, D. V., Chan, I. S. F. and Berger, R. L. (2003). A cautionary note
       on exact unconditional inference for a difference between two independent
       binomial proportions. Biometrics 59, 441-450.

    Examples
    --------
    The leaked FSO polls put support for peace talks at 32% in July and 55% in
    November, with no sample size. Two polls of 100 would have detected a change that
    large nine times in ten, by the normal approximation and by the exact pooled z-test:

    >>> from surveykit.planning.power import power_two_proportions
    >>> round(power_two_proportions(0.55, 100, 0.32), 4)
    0.9127
    >>> round(power_two_proportions(0.55, 100, 0.32, method="exact"), 4)
    0.9176

    A 5-point change (32% to 37%) is another matter, even with 1,000 in each poll:

    >>> round(power_two_proportions(0.37, 1000, 0.32), 3)
    0.653
    """
    method, alternative, test = power_options(method, alternative, test)
    shape, a, m1, m2 = checked_sizes(p1=p1, n1=n1, p2=p2, n2=n2, alpha=alpha, deff=deff)
    q1 = check_proportion("p1", a["p1"])
    q2 = check_proportion("p2", a["p2"])
    level = check_alpha(a["alpha"])
    power = power_of(method, test, q1, q2, m1, m2, level, alternative)
    return shape.wrap(power, "power")


def power_curve(
    p1: ArrayLike,
    n1: ArrayLike,
    p2: ArrayLike,
    n2: ArrayLike | None = None,
    *,
    alpha: ArrayLike = 0.05,
    alternative: str = "two-sided",
    method: str = "normal",
    deff: ArrayLike = 1.0,
    test: str | None = None,
) -> pd.DataFrame:
    """Power over a grid of effects and sizes, as a tidy frame (for tables and plots).

    The inputs broadcast as in :func:`power_two_proportions`; a column of ``p1``
    against a row of ``n1`` gives one curve per ``p1``.

    Parameters
    ----------
    p1, n1, p2, n2, alpha, alternative, method, deff, test
        As :func:`power_two_proportions`.

    Returns
    -------
    DataFrame
        One row per element of the broadcast inputs, with columns ``p1``, ``n1``,
        ``p2``, ``n2``, ``deff``, ``alpha``, ``alternative``, ``method``, ``test``
        (None unless ``method='exact'``) and ``power``.

    Raises
    ------
    SurveyKitError
        As :func:`power_two_proportions`: if ``method`` is not one of
        :data:`POWER_METHODS` or ``alternative`` not one of 'two-sided', 'less',
        'greater'; ``test`` is given with a method other than 'exact', or is not one of
        the exact tests; the inputs are not numeric or do not broadcast; a share lies
        outside [0, 1]; a sample size is not positive and finite; ``deff`` is not
        positive and finite; or ``alpha`` is not strictly between 0 and 1.

    See Also
    --------
    power_two_proportions : the power as numbers.
    surveykit.plotting.plot_power : draws this frame.

    Notes
    -----
    The power is that of :func:`power_two_proportions` (formulas there), evaluated
    on the flattened broadcast inputs in one call.

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., Erlbaum, chapter 6 (power tables and curves).

    Examples
    --------
    November figures of 37% and 42% against July's 32%, with 500 or 1,000 per poll:

    >>> import numpy as np
    >>> from surveykit.planning.power import power_curve
    >>> frame = power_curve(np.array([[0.37], [0.42]]), [500, 1000], 0.32)
    >>> frame[["p1", "n1", "power"]].round(3)
         p1      n1  power
    0  0.37   500.0  0.383
    1  0.37  1000.0  0.653
    2  0.42   500.0  0.907
    3  0.42  1000.0  0.996
    """
    method, alternative, test = power_options(method, alternative, test)
    n2 = n1 if n2 is None else n2
    _, a = broadcast(p1=p1, n1=n1, p2=p2, n2=n2, alpha=alpha, deff=deff)
    flat = {k: np.ravel(v) for k, v in a.items()}
    power = power_two_proportions(
        flat["p1"],
        flat["n1"],
        flat["p2"],
        flat["n2"],
        alpha=flat["alpha"],
        alternative=alternative,
        method=method,
        deff=flat["deff"],
        test=test,
    )
    return pd.DataFrame(
        {
            "p1": flat["p1"],
            "n1": flat["n1"],
            "p2": flat["p2"],
            "n2": flat["n2"],
            "deff": flat["deff"],
            "alpha": flat["alpha"],
            "alternative": alternative,
            "method": method,
            "test": test,
            "power": np.asarray(power, dtype=float).reshape(-1),
        }
    )


def checked_sizes(**inputs):  # type: ignore[no-untyped-def]
    """Broadcast inputs; n2 defaults to n1; return effective sizes n / deff."""
    if inputs.get("n2") is None:
        inputs["n2"] = inputs["n1"]
    shape, a = broadcast(**inputs)
    m1 = check_n("n1", a["n1"])
    m2 = check_n("n2", a["n2"])
    design = check_deff("deff", a["deff"])
    return shape, a, m1 / design, m2 / design
