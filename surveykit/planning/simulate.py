"""Simulated polls for classroom demonstrations: binomial, or beta-binomial for a deff."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from surveykit._core.validation import (
    broadcast,
    check_deff,
    check_deff_of_simulation,
    check_n,
    check_no_nan,
    check_proportion,
    check_seed,
    check_simulated_n,
    check_whole_number,
)
from surveykit.exceptions import SurveyKitError

__all__ = ["simulate_polls"]


#: most simulated polls in one call (rows of the returned frame)
_MAX_ROWS = 50_000_000


def simulate_polls(
    proportion: ArrayLike,
    n: ArrayLike,
    *,
    size: int,
    deff: ArrayLike = 1.0,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Repeated polls of ``n`` respondents from a population with true share ``proportion``.

    Each poll is a binomial count, or, with a design effect above 1, a beta-binomial
    count whose overdispersion gives exactly that design effect. All polls are drawn
    at once (vectorised); the same ``seed`` gives the same polls.

    Parameters
    ----------
    proportion : array_like
        True proportion(s) in the population, in [0, 1].
    n : array_like
        Respondents per poll (whole numbers). ``proportion``, ``n`` and ``deff`` broadcast
        together; each element is one design, polled ``size`` times.
    size : int
        Number of polls simulated per design.
    deff : array_like, default 1.0
        Design effect, between 1 and n. 1 gives simple random sampling (binomial).
    seed : int or numpy.random.Generator, optional
        Seed for :func:`numpy.random.default_rng`, or a generator to draw from.

    Returns
    -------
    DataFrame
        Tidy: one row per simulated poll, ``size`` rows per design in order, with
        columns ``design`` (the position of the design in the broadcast inputs, or its
        Series label), ``poll`` (0 to size - 1), ``proportion`` (the true share),
        ``n``, ``deff`` (echoed), ``count`` (respondents answering yes, an integer) and
        ``estimate`` (the poll's share, ``count / n``).

    Raises
    ------
    SurveyKitError
        For a proportion outside [0, 1], an n that is not a positive whole number, a deff below
        1 or above n, or a size that is not a positive integer.

    See Also
    --------
    surveykit.planning.coverage.coverage : the exact coverage that simulations approximate.
    surveykit.inference.proportion.proportion_ci : the interval of each simulated poll.
    surveykit.planning.power.power_two_proportions : the power of a test of a change.

    Notes
    -----
    With :math:`D > 1`, each poll first draws its own share
    :math:`\\pi \\sim \\text{Beta}(a, b)` with :math:`a = p(1/\\rho - 1)`,
    :math:`b = (1 - p)(1/\\rho - 1)`, then :math:`X \\sim \\text{Binomial}(n, \\pi)`:
    the beta-binomial with intra-class correlation :math:`\\rho = 1/(a + b + 1)`, whose
    variance is :math:`np(1-p)[1 + (n - 1)\\rho]` [1]_. Setting
    :math:`\\rho = (D - 1)/(n - 1)` makes the variance :math:`D` times the binomial one,
    Kish's design effect for cluster sampling [2]_. :math:`D = n` (:math:`\\rho = 1`)
    is the extreme where every respondent answers alike.

    References
    ----------
    .. [1] Skellam, J. G. (1948). A probability distribution derived from the binomial
       distribution by regarding the probability of success as variable between the
       sets of trials. Journal of the Royal Statistical Society B 10, 257-261.
    .. [2] Kish, L. (1965). Survey Sampling. Wiley, section 5.4.

    Examples
    --------
    If 55% of Russians backed peace talks in November, as the leaked FSO poll said,
    how much would polls of 400 scatter?

    >>> from surveykit.planning.simulate import simulate_polls
    >>> polls = simulate_polls(0.55, 400, size=10_000, seed=1)
    >>> polls.columns.tolist()
    ['design', 'poll', 'proportion', 'n', 'deff', 'count', 'estimate']
    >>> round(float(polls["estimate"].std()), 4)  # sqrt(0.55 * 0.45 / 400) = 0.0249
    0.0249

    and with a design effect of 2 the scatter is sqrt(2) times wider:

    >>> clustered = simulate_polls(0.55, 400, size=10_000, deff=2, seed=1)
    >>> round(float(clustered["estimate"].std()), 4)
    0.035
    """
    size = check_whole_number("size", size, low=1, example=1000)
    shape, a = broadcast(proportion=proportion, n=n, deff=deff)
    truth = check_proportion("proportion", a["proportion"]).ravel()
    m = check_simulated_n(check_n("n", a["n"], integer=True)).ravel()
    design = check_deff_of_simulation(check_deff("deff", a["deff"]).ravel(), m)
    check_no_nan(proportion=truth, n=m, deff=design)
    check_seed(seed)
    if truth.size * size > _MAX_ROWS:
        raise SurveyKitError(
            f"size={size:,} polls of {truth.size:,} design(s) would make "
            f"{truth.size * size:,} rows, more than the limit of {_MAX_ROWS:,}; "
            "simulate in batches with a smaller size"
        )
    rng = np.random.default_rng(seed)
    k = truth.size
    p_rep = np.repeat(truth, size)
    n_rep = np.repeat(m, size).astype(np.int64)
    d_rep = np.repeat(design, size)
    clustered = d_rep > 1
    share = p_rep.copy()
    if clustered.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = np.where(n_rep > 1, (d_rep - 1) / (n_rep - 1), 0.0)
            total = 1 / rho - 1  # a + b
        c = clustered & (p_rep > 0) & (p_rep < 1)
        all_alike = c & (rho >= 1)
        beta = c & ~all_alike
        share[beta] = rng.beta(p_rep[beta] * total[beta], (1 - p_rep[beta]) * total[beta])
        share[all_alike] = (rng.random(int(all_alike.sum())) < p_rep[all_alike]).astype(float)
    count = rng.binomial(n_rep, share)
    labels = np.arange(k) if shape.index is None else np.asarray(shape.index)
    return pd.DataFrame(
        {
            "design": np.repeat(labels, size),
            "poll": np.tile(np.arange(size), k),
            "proportion": p_rep,
            "n": n_rep,
            "deff": d_rep,
            "count": count,
            "estimate": count / n_rep,
        }
    )
