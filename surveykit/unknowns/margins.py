"""Published margins of error: the sample size and the design effect they imply.

Pollsters often publish a margin of error instead of (or beside) their sample size.
Under the usual formula :math:`m = z\\sqrt{D\\,p(1-p)/n}` the two can be inverted: a margin
alone implies a sample size, and a margin together with a sample size implies the design
effect the pollster allowed for.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.numerics import z_squared_pq
from surveykit._core.validation import (
    broadcast,
    check_confidence_level,
    check_deff,
    check_moe,
    check_n,
    check_proportion,
)

__all__ = ["implied_deff", "n_from_moe"]


def n_from_moe(
    moe: ArrayLike,
    *,
    proportion: ArrayLike = 0.5,
    confidence_level: ArrayLike = 0.95,
    deff: ArrayLike = 1.0,
) -> float | np.ndarray:
    """Sample size implied by a published margin of error.

    Inverts :math:`m = z\\sqrt{D\\,p(1-p)/n}`. Pollsters usually quote the margin at
    :math:`p = 0.5` (its maximum), which is the default. Inputs broadcast (scalars,
    arrays, Series; a Series keeps its index) and are computed on whole arrays.

    Parameters
    ----------
    moe : array_like
        Published margin of error as a proportion (0.034 for "3.4 points").
    proportion : array_like, default 0.5
        The share at which the margin was computed.
    confidence_level : array_like, default 0.95
        Confidence level of the margin.
    deff : array_like, default 1.0
        Design effect the pollster is assumed to have allowed for; the implied n grows
        in proportion to it.

    Returns
    -------
    float or ndarray
        The implied sample size, unrounded (round up to get a whole number of
        respondents). A proportion of 0 or 1 implies 0.

    Raises
    ------
    SurveyKitError
        If the inputs are empty, not numeric or do not broadcast; ``moe`` is not strictly
        between 0 and 1 (3.4 points is refused with the fix ``moe=0.034``); ``proportion``
        lies outside [0, 1]; ``confidence_level`` is not strictly between 0 and 1; or
        ``deff`` is not positive and finite.

    See Also
    --------
    implied_deff : the design effect implied by a margin and a sample size.
    surveykit.unknowns.granularity.consistent_n : sample sizes consistent with rounded
        percentages.
    surveykit.unknowns.critical.critical_n : the sample size at which a change becomes
        significant.

    Notes
    -----
    .. math:: n = D\\, z_{1-\\alpha/2}^2\\, p(1-p) / m^2

    with :math:`z_{1-\\alpha/2}` the exact normal quantile (1.959964 at 95%, not 1.96).

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, sections 2.5 and 8.2.
    .. [2] AAPOR (2016). Margin of sampling error / credibility interval. American
       Association for Public Opinion Research.

    Examples
    --------
    The leaked FSO polls (32% for peace talks in July, 55% in November, 25% for
    continuing the war in November) came with no sample size. Had they been published
    with the usual "plus or minus 3.4 points", that margin would imply about 831
    respondents under simple random sampling (830.77: a margin quoted at 1.96 rather
    than the exact quantile gives 830.80):

    >>> from surveykit.unknowns.margins import n_from_moe
    >>> round(n_from_moe(0.034), 2)
    830.77

    and, at the November share of 55% with a design effect of 2:

    >>> round(n_from_moe(0.034, proportion=0.55, deff=2), 1)
    1644.9
    """
    shape, a = broadcast(
        moe=moe, proportion=proportion, confidence_level=confidence_level, deff=deff
    )
    m = check_moe(a["moe"])
    p = check_proportion("proportion", a["proportion"])
    level = check_confidence_level(a["confidence_level"])
    design = check_deff("deff", a["deff"])
    with np.errstate(over="ignore", divide="ignore"):  # a vanishing margin: infinite n
        n = design * z_squared_pq(p, level) / (m * m)
    return shape.wrap(n, "n")


def implied_deff(
    moe: ArrayLike,
    n: ArrayLike,
    *,
    proportion: ArrayLike = 0.5,
    confidence_level: ArrayLike = 0.95,
) -> float | np.ndarray:
    """Design effect implied by a published margin of error and sample size.

    A pollster who reports a margin wider than :math:`z\\sqrt{p(1-p)/n}` has allowed for
    a design effect (weighting, clustering); this returns it. Inputs broadcast and are
    computed on whole arrays.

    Parameters
    ----------
    moe : array_like
        Published margin of error as a proportion (0.034 for "3.4 points").
    n : array_like
        Published sample size.
    proportion : array_like, default 0.5
        The share at which the margin was computed.
    confidence_level : array_like, default 0.95
        Confidence level of the margin.

    Returns
    -------
    float or ndarray
        The implied design effect :math:`D`; below 1 means the margin is narrower than
        simple random sampling would give (often a sign that it was rounded down or
        computed at another share).

    Raises
    ------
    SurveyKitError
        If the inputs are empty, not numeric or do not broadcast; ``moe`` is not strictly
        between 0 and 1; ``n`` is not a positive, finite sample size; ``proportion`` lies
        outside [0, 1]; or ``confidence_level`` is not strictly between 0 and 1.

    See Also
    --------
    n_from_moe : the sample size implied by a margin.
    surveykit.unknowns.critical.critical_deff : the design effect at which a change stops
        being significant.
    surveykit.design.SurveyDesign : design effects estimated from microdata.

    Notes
    -----
    .. math:: D = n\\, m^2 / (z_{1-\\alpha/2}^2\\, p(1-p))

    The effective sample size is :math:`n / D`.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 8.2.

    Examples
    --------
    Levada publishes n = 1,600 and a margin of at most 3.4 points, which implies a
    design effect of about 1.9. The same allowance applied to the leaked FSO polls
    (32% in July, 55% in November, no n) would halve any assumed sample size:

    >>> from surveykit.unknowns.margins import implied_deff
    >>> round(implied_deff(0.034, 1600), 3)
    1.926
    """
    shape, a = broadcast(moe=moe, n=n, proportion=proportion, confidence_level=confidence_level)
    m = check_moe(a["moe"])
    size = check_n("n", a["n"])
    p = check_proportion("proportion", a["proportion"])
    level = check_confidence_level(a["confidence_level"])
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = size * m * m / z_squared_pq(p, level)
    return shape.wrap(deff, "deff")
