"""Variance of linearised estimators in multistage stratified designs (R's ``svyrecvar``).

An estimator is linearised into one score per respondent (its influence); the variance
is the between-unit variance of the scores' unit totals within each stratum, stage by
stage, with a finite population correction at each stage. The stage structure is built
once, with the design, as a :class:`Stage` per sampling stage; the variance of any
matrix of scores is then a few grouped sums and one matrix product per stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CENSUS_TOLERANCE", "Stage", "linearisation_variance"]

#: strata whose ``1 - n/N`` is below this are a census at that stage (as R)
CENSUS_TOLERANCE = 1e-7


@dataclass(frozen=True, eq=False)
class Stage:
    """One sampling stage of a design, as integer codes.

    Attributes
    ----------
    order : ndarray of int
        Row positions sorted by unit, so that units are contiguous.
    starts : ndarray of int
        Where each unit begins in ``order`` (one entry per unit).
    unit_stratum : ndarray of int
        The stratum of each unit; units are numbered in stratum order.
    stratum_starts : ndarray of int
        Where each stratum begins among the units.
    n_units : ndarray of float
        Units sampled in each stratum (R's ``sampsize``), counted on the whole sample.
    fpc_factor : ndarray of float
        ``1 - n/N`` for each stratum (1 without a finite population correction).
    group : ndarray of int
        The unit of the previous stage that holds each stratum (0 at the first stage).
    multiplier : ndarray of float
        Product of the sampling fractions ``n/N`` of the earlier stages, per stratum.
    """

    order: np.ndarray
    starts: np.ndarray
    unit_stratum: np.ndarray
    stratum_starts: np.ndarray
    n_units: np.ndarray
    fpc_factor: np.ndarray
    group: np.ndarray
    multiplier: np.ndarray

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            values = np.array(getattr(self, name))
            values.flags.writeable = False
            object.__setattr__(self, name, values)

    @property
    def lonely(self) -> np.ndarray:
        """Strata with one sampled unit that are not a census."""
        return (self.n_units == 1) & (self.fpc_factor >= CENSUS_TOLERANCE)


def _unit_sums(values: np.ndarray, stage: Stage) -> np.ndarray:
    return np.add.reduceat(values[stage.order], stage.starts, axis=0)


def _average_factor(stage: Stage, present: np.ndarray, columns: int) -> np.ndarray:
    """R's ``nstrat / nokstrat`` of ``lonely_psu='average'``, per group and column.

    Strata count where the domain (``present``, rows x columns) has respondents.
    """
    in_unit = _unit_sums(present.astype(np.int64), stage) > 0
    in_stratum = np.add.reduceat(in_unit.astype(np.int64), stage.stratum_starts, axis=0) > 0
    n_groups = int(stage.group.max()) + 1
    strata = np.zeros((n_groups, columns))
    kept = np.zeros((n_groups, columns))
    np.add.at(strata, stage.group, in_stratum)
    np.add.at(kept, stage.group, in_stratum & ~stage.lonely[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(strata > 0, strata / kept, 1.0)
    return factor[stage.group]


def _stage_variance(
    scores: np.ndarray, stage: Stage, lonely_psu: str, present: np.ndarray | None
) -> np.ndarray:
    totals = _unit_sums(scores, stage)
    h = stage.unit_stratum
    n = stage.n_units
    means = np.add.reduceat(totals, stage.stratum_starts, axis=0) / n[:, None]
    lonely = stage.lonely
    centre = ~(lonely & (lonely_psu == "adjust"))
    deviations = totals - np.where(centre[h, None], means[h], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = stage.fpc_factor * np.where(n > 1, n / (n - 1), 1.0)
    scale = np.where(stage.fpc_factor < CENSUS_TOLERANCE, 0.0, scale) * stage.multiplier
    if lonely_psu == "average":
        scale = np.where(lonely, 0.0, scale)
        mask = np.ones((len(scores), 1), bool) if present is None else present
        factor = _average_factor(stage, np.broadcast_to(mask, scores.shape), scores.shape[1])
        with np.errstate(invalid="ignore"):
            weight = scale[:, None] * factor
    else:
        weight = np.broadcast_to(scale[:, None], means.shape)
    with np.errstate(invalid="ignore"):
        weighted = deviations * np.sqrt(weight[h])
    return weighted.T @ weighted


def linearisation_variance(
    scores: np.ndarray,
    stages: tuple[Stage, ...],
    *,
    lonely_psu: str,
    present: np.ndarray | None = None,
) -> np.ndarray:
    """Covariance matrix of estimators from their scores, as R's ``svyrecvar``.

    Parameters
    ----------
    scores : ndarray, shape (n, k)
        One column per estimator: each respondent's weighted influence, 0 outside the
        estimator's domain.
    stages : tuple of Stage
        The design's stages (only the first when no finite population correction was
        given: the ultimate-cluster, with-replacement approximation).
    lonely_psu : {'fail', 'remove', 'adjust', 'average', 'certainty'}
        How strata with a single sampled unit contribute (as R's
        ``options(survey.lonely.psu)``; ``'fail'`` designs have none by construction).
    present : ndarray of bool, shape (n, k) or (n, 1), optional
        The rows of each column's domain. Only ``'average'`` needs it (the strata it
        averages over are those of the domain); default every row.

    Returns
    -------
    ndarray, shape (k, k)
        The covariance matrix.

    Notes
    -----
    At stage :math:`s`, for stratum :math:`h` with :math:`n_h` sampled units of
    :math:`N_h`, unit totals :math:`z_{hi}` of the scores and their mean
    :math:`\\bar z_h` over the :math:`n_h` units (units without domain members count as
    0),

    .. math:: V_s = \\sum_h \\Big(1 - \\frac{n_h}{N_h}\\Big) \\frac{n_h}{n_h - 1}
       \\sum_i (z_{hi} - \\bar z_h)(z_{hi} - \\bar z_h)^\\top,

    and the variance of stage :math:`s + 1` within each unit is added, multiplied by
    the sampling fractions :math:`n_h / N_h` of the stages above [1]_, [2]_.

    References
    ----------
    .. [1] Lumley, T. (2004). Analysis of complex survey samples. Journal of Statistical
       Software 9(8), 1-19.
    .. [2] Särndal, C.-E., Swensson, B. and Wretman, J. (1992). Model Assisted Survey
       Sampling. Springer, section 4.3.
    """
    variance = np.zeros((scores.shape[1], scores.shape[1]))
    for stage in stages:
        variance = variance + _stage_variance(scores, stage, lonely_psu, present)
    return variance
