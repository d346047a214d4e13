"""Granularity of reported percentages: which sample sizes could have produced them.

With ``n`` respondents a share can only be ``k / n`` for a whole ``k``; rounded to a
whole percent (or to ``published_decimals`` places) not every percentage is reachable for every
``n``. Checking all the figures of one poll together narrows an unpublished ``n``, or
shows that a published one cannot be right (the GRIM test of Brown and Heathers).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from surveykit._core.validation import (
    as_float_array,
    check_n_range,
    check_no_nan,
    check_nonempty,
    check_proportion,
    check_published_decimals,
    reported_units,
)

__all__ = ["consistent_n"]

#: most sample sizes one call checks (memory grows with the range times the figures)
_MAX_SIZES = 10_000_000


def consistent_n(
    proportions: ArrayLike,
    *,
    published_decimals: int = 0,
    n_range: tuple[int, int] = (1, 5000),
) -> np.ndarray:
    """Sample sizes in a range that could produce all the reported percentages.

    A sample size ``n`` is consistent when every reported percentage is the rounding
    (to ``published_decimals`` places) of ``100 k / n`` for some whole count ``0 <= k <= n``. The
    check is exact integer arithmetic on a whole (sample size x figure) array at once.

    Parameters
    ----------
    proportions : array_like
        The reported shares of one poll, as proportions (0.55 for 55%). Figures of
        different questions of the same poll may be mixed; they must share one ``n``.
    published_decimals : int, default 0
        Decimal places of the published percentages (0 for "55%", 1 for "55.3%").
    n_range : (int, int), default (1, 5000)
        Smallest and largest sample size to consider, both included (at most 10 million
        sizes).

    Returns
    -------
    ndarray of int
        The consistent sample sizes in increasing order (empty if none is).

    Raises
    ------
    SurveyKitError
        If ``published_decimals`` is not a whole number from 0 to 6; ``n_range`` is not
        a pair of whole numbers ``1 <= lowest <= highest`` spanning at most 10 million
        sizes; ``proportions`` is empty, not numeric, holds NaN or a share outside
        [0, 1]; or a share is not a whole number of units of the published precision
        (0.325 with ``published_decimals=0``: pass the figures as published).

    See Also
    --------
    surveykit.unknowns.rounding.rounding_interval : the true shares behind one published
        percentage.
    surveykit.unknowns.margins.n_from_moe : the sample size implied by a published margin.
    surveykit.unknowns.robustness.robustness : every unknown of a change at once.

    Notes
    -----
    Write the reported percentage as :math:`r` units of :math:`10^{-d}` percent and
    :math:`M = 200 \\cdot 10^{d}`. A count :math:`k` rounds to :math:`r` when
    :math:`|100 \\cdot 10^{d} k / n - r| \\le 1/2`, that is when

    .. math:: \\lceil (2r - 1) n / M \\rceil \\le k \\le \\lfloor (2r + 1) n / M \\rfloor,

    so ``n`` is consistent when this range meets :math:`[0, n]` for every figure. Both
    ends of the rounding interval are accepted (a count that falls exactly halfway is
    consistent with either neighbour), since rounding conventions differ between
    pollsters; the test therefore never calls a possible set of figures impossible.

    References
    ----------
    .. [1] Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test: a simple
       technique detects numerous anomalies in the reporting of results in psychology.
       Social Psychological and Personality Science 8, 363-369.

    Examples
    --------
    The November FSO poll reported 55% for peace talks and 25% for continuing the war,
    with no sample size. Below 60 respondents only seven sample sizes can produce both
    whole percentages:

    >>> from surveykit.unknowns.granularity import consistent_n
    >>> consistent_n([0.55, 0.25], n_range=(1, 59)).tolist()
    [20, 40, 44, 51, 53, 55, 56]

    Had the percentages been published with one decimal, 55.0% and 25.0% would say
    much more:

    >>> consistent_n([0.55, 0.25], published_decimals=1, n_range=(1, 100)).tolist()
    [20, 40, 60, 80, 100]
    """
    places = check_published_decimals(published_decimals)
    lo, hi = check_n_range(n_range, _MAX_SIZES)
    props = check_nonempty("proportions", np.ravel(as_float_array("proportions", proportions)))
    check_no_nan(proportions=props)
    check_proportion("proportions", props)
    r = reported_units(props, places)[None, :]
    big_m = 200 * 10**places
    n = np.arange(lo, hi + 1, dtype=np.int64)[:, None]
    k_low = np.maximum(-((-(2 * r - 1) * n) // big_m), 0)
    k_high = np.minimum(((2 * r + 1) * n) // big_m, n)
    ok_all = (k_low <= k_high).all(axis=1)
    return n[ok_all, 0]
