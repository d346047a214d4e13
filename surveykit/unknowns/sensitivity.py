"""Sensitivity grids: a comparison under every combination of assumed sample sizes.

When a poll does not publish its sample size or design, the honest answer to "is the
change significant?" is a table: the estimate, interval, statistic and p-value for every
combination of the values one is prepared to assume.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from surveykit._core.budget import DEFAULT_MAX_SECONDS, check_budget, progress
from surveykit._core.validation import (
    as_axis,
    as_share_pairs,
    check_alternative,
    check_confidence_level,
    check_deff,
    check_flag,
    check_max_seconds,
    check_n,
    check_n2_within,
    check_option,
    check_proportion,
    check_within_pair,
)
from surveykit.inference import difference, exact, within_poll
from surveykit.inference import two_sample_tests as compare

__all__ = ["CHUNK_ROWS", "sensitivity"]

#: grid rows computed at a time: every temporary array is at most this long, so that
#: memory beyond the returned frame stays small however large the grid (a multiple of
#: the 2**15-element blocks of the score intervals, so that those see the same blocks)
CHUNK_ROWS = 1 << 17


def sensitivity(
    p1: ArrayLike,
    p2: ArrayLike,
    *,
    n1: ArrayLike,
    n2: ArrayLike | None = None,
    deff: ArrayLike = 1.0,
    confidence_level: ArrayLike = 0.95,
    method: str | None = None,
    ci_method: str | None = None,
    alternative: str = "two-sided",
    within: bool = False,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> pd.DataFrame:
    """Estimate, interval, statistic and p-value over every combination of assumptions.

    The grid is the Cartesian product of the pairs ``(p1, p2)``, the assumed ``n1``, the
    assumed ``n2`` (or a common ``n`` for both polls when ``n2`` is None), the design
    effects and the confidence levels. The grid is computed by
    :func:`~surveykit.inference.two_sample_tests.two_proportion_test` and
    :func:`~surveykit.inference.difference.difference_ci` (or the within-poll functions) on flat
    arrays of :data:`CHUNK_ROWS` rows at a time, written into the columns of the frame:
    a million rows take well under a second, and beyond the frame itself memory stays
    that of one chunk (ten million rows need about 0.9 GB, nearly all of it the frame).

    Parameters
    ----------
    p1, p2 : array_like
        The published shares (0-1): the later and the earlier poll (the estimate is
        ``p1 - p2``), or with ``within=True`` two options of one poll. Arrays of
        equal length are pairs (one comparison each), not a further grid axis.
    n1 : array_like
        Assumed sample size(s) of the first poll (or of the one poll).
    n2 : array_like, optional
        Assumed sample size(s) of the second poll, crossed with ``n1``. None (default)
        assumes the same ``n`` for both polls.
    deff : array_like, default 1.0
        Assumed design effect(s), applied to both polls.
    confidence_level : array_like, default 0.95
        Level(s) of the interval.
    method : str, optional
        Test method: any of ``TWO_PROPORTION_TEST_METHODS`` (default ``'z-pooled'``), or
        of ``OPTION_DIFFERENCE_METHODS`` with ``within=True`` (default ``'wald'``).
    ci_method : str, optional
        Interval method: any of ``DIFFERENCE_CI_METHODS`` (default ``'newcombe'``), or
        ``'wald'``/``'score'`` with ``within=True`` (default ``'wald'``).
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        Alternative of the test.
    within : bool, default False
        Compare two options of one poll (multinomial covariance); ``n2`` must be None.
    max_seconds : float, default 30
        Time budget of a grid of exact tests (``'fisher'``, ``'barnard'``,
        ``'boschloo'``); see Notes. Raise it (``math.inf`` for no limit) to compute a
        larger grid.

    Returns
    -------
    pandas.DataFrame
        One row per combination, pairs varying slowest and levels fastest, with
        columns ``p1, p2, n1, n2`` (``p1, p2, n`` within a poll), ``deff``,
        ``confidence_level``, ``estimate``, ``ci_low``, ``ci_high``, ``statistic``,
        ``pvalue``, ``method``, ``ci_method``, ``alternative``.

    Raises
    ------
    SurveyKitError
        If ``within`` is not True or False, or ``n2`` is given with ``within=True``;
        ``p1`` and ``p2`` are not shares or lists of them of one length; an axis
        (``n1``, ``n2``, ``deff``, ``confidence_level``) is not a number or a flat,
        non-empty list; two options of one poll add up to more than 1 (``within=True``);
        ``method``, ``ci_method`` or ``alternative`` is not one of its choices; a share
        lies outside [0, 1]; a sample size or ``deff`` is not positive and finite; or a
        ``confidence_level`` is not strictly between 0 and 1.

    See Also
    --------
    surveykit.unknowns.critical.critical_n : where along the n axis the verdict changes.
    surveykit.unknowns.critical.critical_deff : where along the design-effect axis it changes.

    Notes
    -----
    Each row is exactly what the underlying functions return for that combination; see
    them for the formulas. Exact (discrete) tests need whole counts: the test is called
    with ``round_counts=True``, so the counts ``p * n`` are rounded to the nearest
    integer (the p-value belongs to the nearest reachable share).

    Exact tests cost time per table (see
    :func:`~surveykit.inference.exact.seconds_per_test`): their cost is estimated
    before the grid is computed, and a grid estimated above ``max_seconds`` (default 30)
    is refused with its duration and what to pass. An accepted long grid shows a
    progress bar (terminal and Jupyter) and can be interrupted with Ctrl-C. For two options of
    one poll the variance of the gap is
    :math:`(p_1 + p_2 - (p_1 - p_2)^2)\\,D/n` (multinomial covariance) [2]_.

    References
    ----------
    .. [1] Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley,
       chapter 1 (one-at-a-time and grid designs).
    .. [2] Franklin, C. H. (2007). The 'margin of error' for differences in polls.
       University of Wisconsin working paper.

    Examples
    --------
    The leaked FSO polls: 32% for peace talks in July, 55% in November, no n. The change
    under a few assumed sample sizes and design effects:

    >>> from surveykit.unknowns.sensitivity import sensitivity
    >>> grid = sensitivity(0.55, 0.32, n1=[30, 100, 400], deff=[1, 2])
    >>> grid[["n1", "deff", "pvalue"]].round(4)
          n1  deff  pvalue
    0   30.0   1.0  0.0724
    1   30.0   2.0  0.2039
    2  100.0   1.0  0.0010
    3  100.0   2.0  0.0204
    4  400.0   1.0  0.0000
    5  400.0   2.0  0.0000

    and the November lead of talks (55%) over continuing (25%) within one poll:

    >>> lead = sensitivity(0.55, 0.25, n1=[50, 100], within=True)
    >>> lead[["n", "ci_low", "ci_high"]].round(3)
           n  ci_low  ci_high
    0   50.0   0.066    0.534
    1  100.0   0.135    0.465
    """
    within = check_flag("within", within)
    first, second = as_share_pairs(p1, p2)
    if within:
        check_n2_within(n2)
    axes = [
        np.arange(first.size),
        as_axis("n1", n1),
        as_axis("n2", n2) if n2 is not None else np.array([np.nan]),
        as_axis("deff", deff),
        as_axis("confidence_level", confidence_level),
    ]
    if within:
        check_within_pair(first, second)
        method = "wald" if method is None else method
        ci_method = check_option(
            "ci_method",
            "wald" if ci_method is None else ci_method,
            within_poll.OPTION_DIFFERENCE_METHODS,
        )
        check_option("method", method, within_poll.OPTION_DIFFERENCE_METHODS)
        check_alternative(alternative)
        _check_axes(axes, "n", None)
        names = ["p1", "p2", "n"]
    else:
        method = "z-pooled" if method is None else method
        ci_method = check_option(
            "ci_method",
            "newcombe" if ci_method is None else ci_method,
            difference.DIFFERENCE_CI_METHODS,
        )
        check_option("method", method, compare.TWO_PROPORTION_TEST_METHODS)
        check_alternative(alternative)
        check_proportion("p1", first)
        check_proportion("p2", second)
        _check_axes(axes, "n1", "n2")
        names = ["p1", "p2", "n1", "n2"]
    names += ["deff", "confidence_level", "estimate", "ci_low", "ci_high", "statistic", "pvalue"]
    budget = check_max_seconds(max_seconds)
    shape = tuple(axis.size for axis in axes)
    rows = math.prod(shape)
    seconds = 0.0 if within else _exact_seconds(method, axes, same_n=n2 is None)
    check_budget(
        seconds,
        budget,
        task=f"sensitivity with method={method!r} computes {rows:,} exact tests",
        alternatives=(
            "; or use fewer or smaller assumed sizes, or method='z-pooled' or "
            "'miettinen-nurminen', whose asymptotic p-values are accurate at these sizes"
        ),
    )
    chunk = CHUNK_ROWS
    if seconds > 0:  # exact tests: chunks of about a second, for the progress bar
        chunk = int(min(CHUNK_ROWS, max(1, rows / seconds)))
    columns = {name: np.empty(rows) for name in names}
    labels: tuple[str, str, str] = (method, ci_method, alternative)
    with progress(rows, seconds=seconds, desc=f"sensitivity ({method})") as bar:
        for start in range(0, rows, chunk):
            part = slice(start, min(start + chunk, rows))
            labels = _fill_chunk(
                columns,
                part,
                shape,
                axes,
                first,
                second,
                method,
                ci_method,
                alternative,
                within,
                same_n=n2 is None,
            )
            bar.update(part.stop - part.start)
    frame = pd.DataFrame(columns, copy=False)
    for name, label in zip(("method", "ci_method", "alternative"), labels, strict=True):
        frame[name] = pd.Categorical.from_codes(np.zeros(rows, np.int8), [label])
    return frame


def _exact_seconds(method: str, axes: list[np.ndarray], *, same_n: bool) -> float:
    """Estimated seconds of the exact tests of the grid (0 for an asymptotic method).

    One test per combination of pair, sizes and design effect (the levels do not change
    a test), priced by :func:`surveykit.inference.exact.seconds_per_test` at the
    effective sizes n / deff.
    """
    if method not in ("fisher", "barnard", "boschloo"):
        return 0.0
    n1, n2, design = axes[1], axes[1] if same_n else axes[2], axes[3]
    if same_n:
        e1 = e2 = n1[:, None] / design[None, :]
    else:
        e1 = n1[:, None, None] / design[None, None, :]
        e2 = n2[None, :, None] / design[None, None, :]
    per_pair = float(
        np.sum(
            np.broadcast_to(
                exact.seconds_per_test(method, e1, e2),
                (np.broadcast_shapes(np.shape(e1), np.shape(e2))),
            )
        )
    )
    return per_pair * axes[0].size


def _check_axes(axes: list[np.ndarray], first_n: str, second_n: str | None) -> None:
    """Refuse bad sizes, design effects and levels before the first chunk is computed.

    With the options and shares checked before them, this is the order (and these are
    the messages) of the functions that compute the grid, so that a large grid fails at
    once, and as it would in one call.
    """
    check_n(first_n, axes[1])
    if second_n is not None and not np.isnan(axes[2]).all():
        check_n(second_n, axes[2])
    check_deff("deff", axes[3])
    check_confidence_level(axes[4])


def _fill_chunk(
    columns: dict[str, np.ndarray],
    part: slice,
    shape: tuple[int, ...],
    axes: list[np.ndarray],
    first: np.ndarray,
    second: np.ndarray,
    method: str,
    ci_method: str,
    alternative: str,
    within: bool,
    *,
    same_n: bool,
) -> tuple[str, str, str]:
    """Rows ``part`` of the grid: their assumptions, test and interval, written into
    ``columns``. Returns the method names the functions report."""
    pair, i1, i2, i_deff, i_level = np.unravel_index(np.arange(part.start, part.stop), shape)
    q1, q2 = first[pair], second[pair]
    size1 = axes[1][i1]
    size2 = size1 if same_n else axes[2][i2]
    # one assumed design effect or level stays one number (its quantile computed once)
    design = axes[3] if axes[3].size == 1 else axes[3][i_deff]
    level = axes[4] if axes[4].size == 1 else axes[4][i_level]
    if within:
        test = within_poll.option_difference_test(
            q1, q2, size1, method=method, alternative=alternative, deff=design
        )
        interval = within_poll.option_difference_ci(
            q1, q2, size1, method=ci_method, confidence_level=level, deff=design
        )
        inputs: tuple[np.ndarray, ...] = (q1, q2, size1)
    else:
        test = compare.two_proportion_test(
            q1,
            size1,
            q2,
            size2,
            method=method,
            alternative=alternative,
            deff=design,
            round_counts=True,
        )  # exact tests need whole counts
        interval = difference.difference_ci(
            q1, size1, q2, size2, method=ci_method, confidence_level=level, deff=design
        )
        inputs = (q1, q2, size1, size2)
    values = (
        *inputs,
        design,
        level,
        test.estimate,
        interval.ci_low,
        interval.ci_high,
        test.statistic,
        test.pvalue,
    )
    for column, value in zip(columns.values(), values, strict=True):
        column[part] = value
    return test.method, interval.method, test.alternative
