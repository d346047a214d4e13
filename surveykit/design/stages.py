"""From design columns to sampling stages: R's ``svydesign`` and ``as.fpc`` on codes.

Units of later stages are nested in the units above them, strata of later stages are
the units of the stage above (crossed with any strata given for that stage), sample
sizes are counted per stratum, and the finite population correction is read as
population sizes or sampling fractions exactly as R's survey package does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit._core.validation import design as checks
from surveykit.design.variance import Stage

__all__ = ["StageColumns", "build_stages", "codes"]


def codes(*columns: np.ndarray | pd.Series) -> np.ndarray:
    """Integer codes of the combinations of ``columns``, numbered in sorted order."""
    frame = pd.DataFrame({i: np.asarray(c) for i, c in enumerate(columns)})
    return frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy()


@dataclass(frozen=True)
class StageColumns:
    """The design columns as given: unit labels, strata labels and fpc values."""

    ids: list[np.ndarray]
    strata: list[np.ndarray]
    fpc: np.ndarray | None
    nest: bool
    names: dict[str, list[str]]


def _unit_and_strata_codes(cols: StageColumns) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """R's nesting of ids (cumulative, and within strata with ``nest``) and strata."""
    n_stages = len(cols.ids)
    has_strata = bool(cols.names["strata"])
    strata_raw = cols.strata if has_strata else [np.zeros(len(cols.ids[0]))]
    ids = [codes(*cols.ids[: k + 1]) for k in range(n_stages)]
    if cols.nest and has_strata:
        ids = [codes(*strata_raw[: min(k + 1, len(strata_raw))], ids[k]) for k in range(n_stages)]
    strata = [codes(strata_raw[0])]
    for k in range(1, n_stages):
        strata.append(codes(strata_raw[min(k, len(strata_raw) - 1)], ids[k - 1]))
    return ids, strata


def _stage_structure(ids: np.ndarray, strata: np.ndarray) -> dict[str, np.ndarray]:
    """Units (nested in strata, numbered in stratum order) and their contiguous layout."""
    unit = codes(strata, ids)
    order = np.argsort(unit, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(unit[order]) != 0])
    unit_stratum = strata[order][starts]
    stratum_starts = np.flatnonzero(np.r_[True, np.diff(unit_stratum) != 0])
    n_units = np.bincount(unit_stratum).astype(float)
    first_row = order[starts][stratum_starts]
    return {
        "unit": unit,
        "order": order,
        "starts": starts,
        "unit_stratum": unit_stratum,
        "stratum_starts": stratum_starts,
        "n_units": n_units,
        "first_row": first_row,
    }


def _population_sizes(
    cols: StageColumns, structures: list[dict[str, np.ndarray]], strata: list[np.ndarray]
) -> list[np.ndarray] | None:
    """Population size per stratum and stage (R's ``as.fpc``), or None without fpc."""
    if cols.fpc is None:
        return None
    names = cols.names["fpc"]
    is_size = checks.check_fpc_values(names, cols.fpc)
    sizes = []
    for k, structure in enumerate(structures):
        values = cols.fpc[:, k]
        frame = pd.DataFrame({"h": strata[k], "v": values}).groupby("h")["v"]
        spread = (frame.max() - frame.min()).to_numpy()
        labels = _stratum_labels(cols, k, structure)
        checks.check_fpc_within_strata(names[k], k + 1, spread, labels)
        first = values[structure["first_row"]]
        popsize = first if is_size else structure["n_units"] / first
        checks.check_population_size(names[k], k + 1, popsize, structure["n_units"], labels)
        sizes.append(popsize)
    return sizes


def _stratum_labels(cols: StageColumns, k: int, structure: dict[str, np.ndarray]) -> list:
    rows = structure["first_row"]
    if k == 0 and cols.names["strata"]:
        return list(cols.strata[0][rows])
    if k == 0:
        return ["(whole sample)"] * len(rows)
    return [f"unit {cols.ids[k - 1][r]!r} of stage {k}" for r in rows]


def build_stages(
    cols: StageColumns, lonely_psu: str
) -> tuple[tuple[Stage, ...], np.ndarray | None, list[np.ndarray]]:
    """The stages used for variances, weights implied by the fpc, and first-stage codes.

    Returns ``(stages, fpc_weights, [psu_codes, stratum_codes])``; ``fpc_weights`` is
    the product over stages of ``N_h / n_h`` (None without fpc). As R, stages after
    the first enter the variance only when an fpc is given.
    """
    ids, strata = _unit_and_strata_codes(cols)
    if cols.names["strata"] and cols.names["psu"] and not cols.nest:
        counts = pd.Series(strata[0]).groupby(cols.ids[0]).nunique()
        checks.check_nested(cols.names["psu"][0], cols.names["strata"][0], counts)
    structures = [_stage_structure(ids[k], strata[k]) for k in range(len(ids))]
    popsizes = _population_sizes(cols, structures, strata)
    used = structures if popsizes is not None else structures[:1]
    stages = []
    multiplier_rows = np.ones(len(ids[0]))
    for k, structure in enumerate(used):
        n_units = structure["n_units"]
        if popsizes is None:
            fpc_factor = np.ones_like(n_units)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                fpc_factor = np.where(np.isinf(popsizes[k]), 1.0, 1 - n_units / popsizes[k])
        first = structure["first_row"]
        group = np.zeros(len(n_units), int) if k == 0 else ids[k - 1][first]
        stage = Stage(
            order=structure["order"],
            starts=structure["starts"],
            unit_stratum=structure["unit_stratum"],
            stratum_starts=structure["stratum_starts"],
            n_units=n_units,
            fpc_factor=fpc_factor,
            group=group,
            multiplier=multiplier_rows[first],
        )
        if lonely_psu == "fail":
            labels = _stratum_labels(cols, k, structure)
            name = cols.names["strata"][0] if k == 0 and cols.names["strata"] else None
            checks.check_lonely_strata(k + 1, stage.lonely, labels, name)
        if popsizes is not None:
            stratum_of_row = strata[k]
            fraction = n_units / popsizes[k]
            multiplier_rows = multiplier_rows * fraction[stratum_of_row]
        stages.append(stage)
    fpc_weights = None
    if popsizes is not None:
        fpc_weights = np.ones(len(ids[0]))
        for k, structure in enumerate(structures):
            if np.any(popsizes[k] > 1e12):
                raise checks.fail_no_weights_from_fpc(cols.names["fpc"][k])
            fpc_weights = fpc_weights * (popsizes[k] / structure["n_units"])[strata[k]]
    return tuple(stages), fpc_weights, [ids[0], strata[0]]
