"""Coercion and checking of user input.

Every message that reports bad input is written here, so that the wording stays the
same across the package: it names the parameter, shows the value with ``!r`` and says
the fix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.numerics import compact
from surveykit._core.options import ALTERNATIVES
from surveykit.exceptions import SurveyKitError

__all__ = [
    "ALTERNATIVES",
    "Broadcast",
    "as_axis",
    "as_float_array",
    "as_label_list",
    "as_scalar",
    "broadcast",
    "broadcast_nonempty",
    "check_alpha",
    "check_alternative",
    "check_confidence_level",
    "check_deff",
    "check_deff_of_simulation",
    "check_file",
    "check_flag",
    "check_given_together",
    "check_moe",
    "check_n",
    "check_no_nan",
    "check_nonempty",
    "check_option",
    "check_proportion",
    "check_seed",
    "check_whole_number",
    "first_bad",
    "integer_counts",
]


def check_alternative(value: Any) -> str:
    """``alternative`` as one of :data:`ALTERNATIVES` (exact spelling, no prefixes)."""
    return check_option("alternative", value, ALTERNATIVES)


def check_option(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise raise a clear error.

    Matching is exact: no prefixes, no case folding, no aliases.
    """
    choices = tuple(choices)
    if isinstance(value, str) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    hint = ""
    if isinstance(value, str):
        close = [c for c in choices if c.replace("-", "") == value.lower().replace("-", "")]
        close = close or [c for c in choices if c.replace("_", "-") == value.lower()]
        if close:
            hint = f"; did you mean {close[0]!r}?"
    raise SurveyKitError(f"{name} must be one of {listed}; got {value!r}{hint}")


def first_bad(values: np.ndarray, bad: np.ndarray) -> Any:
    """The first offending value, as the user would recognise it."""
    first = values[bad].ravel()[0]
    return first.item() if hasattr(first, "item") else first


def as_float_array(name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a float ndarray, refusing text, booleans and objects."""
    if isinstance(value, pd.Series | pd.Index):
        value = value.to_numpy()
    if isinstance(value, str | bytes):
        raise SurveyKitError(
            f"{name} must be a number or an array of numbers, got the string {value!r}; "
            "pass a number such as 0.55 (figures like '55%' are parsed by the command line only)"
        )
    if value is None:
        raise SurveyKitError(
            f"{name} must be a number or an array of numbers, got None; "
            "missing values are written as float('nan')"
        )
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise SurveyKitError(
            f"{name} must be a number or an array of numbers, got {value!r}"
        ) from exc
    if arr.dtype == bool or arr.dtype.kind not in "iufO":
        raise SurveyKitError(
            f"{name} must be numeric, got {value!r} of dtype {arr.dtype}; "
            "convert it with pandas.to_numeric first"
        )
    if arr.dtype.kind == "O":
        if any(v is None for v in arr.ravel()):
            raise SurveyKitError(
                f"{name} must hold numbers, got None among {value!r}; "
                "write missing values as float('nan')"
            )
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError) as exc:
            raise SurveyKitError(
                f"{name} must be numeric, got {value!r}; convert it with pandas.to_numeric first"
            ) from exc
    if np.iscomplexobj(arr):
        raise SurveyKitError(f"{name} must be real, got {value!r}")
    return arr.astype(float, copy=False)


@dataclass(frozen=True)
class Broadcast:
    """The common shape of broadcast inputs, and how to give results back.

    Results come back as Python floats when every input was a scalar, as a
    :class:`pandas.Series` carrying the index when an input was a Series, and as
    ndarrays otherwise.
    """

    shape: tuple[int, ...]
    index: pd.Index | None
    scalar: bool

    def wrap(self, values: Any, name: str | None = None, *, fresh: bool = False) -> Any:
        """``values`` in the caller's form (float, Series or ndarray) at this shape.

        By default the values are copied. ``fresh=True`` promises that ``values`` is an
        array just computed that nothing else holds: at the full shape it is handed back
        as is, and a smaller one comes back as a read-only broadcast view (as
        :meth:`echo`).
        """
        arr = np.broadcast_to(np.asarray(values), self.shape)
        if self.scalar:
            item = arr.reshape(()).item()
            return item
        if fresh and isinstance(values, np.ndarray) and values.shape == self.shape:
            data = values
        elif fresh and self.index is None and compact(arr).size < arr.size:
            return arr
        else:
            data = np.array(arr)
        if self.index is not None:
            return pd.Series(data, index=self.index, name=name, copy=False)
        return data

    def echo(self, values: np.ndarray, name: str | None = None) -> Any:
        """An input given back in a result, without copying it.

        For ndarray results the input comes back as a read-only view at this shape: a
        scalar confidence level beside a million shares is not repeated per row, and a
        million shares are not copied (the view shows the caller's array, which the
        result cannot change). A Series is materialised (pandas writes into its data),
        and all-scalar input gives a float, as :meth:`wrap`.
        """
        if self.scalar or self.index is not None:
            return self.wrap(values, name)
        return np.broadcast_to(np.asarray(values), self.shape)


def broadcast(**inputs: Any) -> tuple[Broadcast, dict[str, np.ndarray]]:
    """Convert named inputs to float arrays broadcast to one shape.

    Series inputs must share one index (they are aligned by position, so differing
    indexes would be a silent mistake) and be one-dimensional.
    """
    arrays: dict[str, np.ndarray] = {}
    index: pd.Index | None = None
    index_owner = ""
    scalar = True
    for name, value in inputs.items():
        if isinstance(value, pd.Series):
            if index is None:
                index, index_owner = value.index, name
            elif not value.index.equals(index):
                raise SurveyKitError(
                    f"{name} and {index_owner} are Series with different indexes; "
                    "align them first (for example with .reindex) so elements match"
                )
        arr = as_float_array(name, value)
        if arr.ndim > 0:
            scalar = False
        arrays[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as exc:
        shapes = ", ".join(f"{k}{a.shape}" for k, a in arrays.items())
        raise SurveyKitError(
            f"inputs cannot be broadcast to a common shape: {shapes}; "
            "pass scalars or arrays of matching length"
        ) from exc
    if 0 in shape:
        empty = next(k for k, a in arrays.items() if a.size == 0)
        check_nonempty(empty, arrays[empty])
    if index is not None and shape != (len(index),):
        raise SurveyKitError(
            f"{index_owner} is a Series of length {len(index)} but the inputs broadcast "
            f"to shape {shape}; pass scalars or Series/arrays of that same length"
        )
    out = {k: np.broadcast_to(a, shape) for k, a in arrays.items()}
    return Broadcast(shape=shape, index=index, scalar=scalar), out


def check_proportion(name: str, arr: np.ndarray) -> np.ndarray:
    """Proportions must lie in [0, 1]; NaN is allowed and propagates."""
    bad = ~np.isnan(arr) & ~((arr >= 0) & (arr <= 1))
    if bad.any():
        value = first_bad(arr, bad)
        hint = ""
        if 1 < value <= 100:
            hint = (
                f"; it looks like a percentage: pass {name}={value / 100:g} "
                "(or percent=True where the function offers it)"
            )
        raise SurveyKitError(f"{name} must be between 0 and 1, got {value!r}{hint}")
    return arr


def check_n(name: str, arr: np.ndarray, *, integer: bool = False) -> np.ndarray:
    """Sample sizes must be positive and finite (and whole numbers if ``integer``)."""
    bad = ~np.isnan(arr) & ~((arr > 0) & np.isfinite(arr))
    if bad.any():
        raise SurveyKitError(
            f"{name} must be a positive, finite sample size, got {first_bad(arr, bad)!r}"
        )
    if integer:
        bad = ~np.isnan(arr) & (arr != np.round(arr))
        if bad.any():
            raise SurveyKitError(
                f"{name} must be a whole number of respondents, got {first_bad(arr, bad)!r}"
            )
    return arr


def check_deff(name: str, arr: np.ndarray) -> np.ndarray:
    """Design effects must be positive and finite (and at least 1e-6: below that the
    effective sample size overflows and the number means nothing)."""
    bad = ~np.isnan(arr) & ~((arr >= 1e-6) & np.isfinite(arr))
    if bad.any():
        raise SurveyKitError(
            f"{name} must be a positive design effect, finite and at least 1e-6 "
            f"(1 for simple random sampling), got {first_bad(arr, bad)!r}"
        )
    return arr


def check_confidence_level(arr: np.ndarray, name: str = "confidence_level") -> np.ndarray:
    """Confidence levels lie strictly between 0 and 1."""
    bad = ~np.isnan(arr) & ~((arr > 0) & (arr < 1))
    if bad.any():
        value = first_bad(arr, bad)
        hint = f"; for {value:g}% pass {value / 100:g}" if 1 < value < 100 else ""
        raise SurveyKitError(f"{name} must be strictly between 0 and 1, got {value!r}{hint}")
    return arr


def check_alpha(arr: np.ndarray, name: str = "alpha") -> np.ndarray:
    """Significance levels lie strictly between 0 and 1."""
    bad = ~np.isnan(arr) & ~((arr > 0) & (arr < 1))
    if bad.any():
        value = first_bad(arr, bad)
        raise SurveyKitError(
            f"{name} must be a significance level strictly between 0 and 1, got {value!r}"
        )
    return arr


def check_flag(name: str, value: Any) -> bool:
    """A True/False option: anything else (a string, a number) is refused, not truth-tested."""
    if not isinstance(value, bool | np.bool_):
        raise SurveyKitError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def integer_counts(
    name: str, count: np.ndarray, n: np.ndarray, *, round_counts: bool
) -> np.ndarray:
    """Counts for exact methods: ``proportion * n`` must be a whole number.

    A count within ``max(1e-9, 8 * eps * n)`` of an integer is accepted (the second term
    absorbs floating-point error in ``x / n * n`` for very large n). Anything further off
    raises, unless ``round_counts`` asks for rounding to the nearest integer.
    """
    check_flag("round_counts", round_counts)
    nearest = np.round(count)
    if round_counts:
        return nearest
    tol = np.maximum(1e-9, 8 * np.finfo(float).eps * np.abs(n))
    bad = ~np.isnan(count) & (np.abs(count - nearest) > tol)
    if bad.any():
        value = first_bad(count, bad)
        raise SurveyKitError(
            f"{name} x n must be a whole number of respondents for an exact method, "
            f"got a count of {value!r}; pass the exact proportion (count / n), "
            "or round_counts=True to round counts to the nearest integer"
        )
    return nearest


def as_label_list(name: str, value: Any) -> Sequence[Any]:
    """A list of labels (strings or numbers) from a scalar or a sequence."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return [value]
    return list(value)


def broadcast_nonempty(**inputs: Any) -> tuple[Any, dict[str, np.ndarray]]:
    """:func:`broadcast`, refusing an empty input by name (it would broadcast to nothing)."""
    for name, value in inputs.items():
        try:
            size = np.size(value)
        except (TypeError, ValueError):  # left to broadcast's own message
            continue
        if size == 0:
            check_nonempty(name, np.asarray([]))
    return broadcast(**inputs)


def check_nonempty(name: str, arr: np.ndarray) -> np.ndarray:
    """An input that must hold at least one value."""
    if np.size(arr) == 0:
        raise SurveyKitError(
            f"{name} must hold at least one value, got an empty array; pass a number or a "
            "non-empty list"
        )
    return arr


def as_axis(name: str, value: Any) -> np.ndarray:
    """One axis of a grid of assumptions: a number or a flat, non-empty list of numbers."""
    arr = as_float_array(name, value)
    if arr.ndim > 1:
        raise SurveyKitError(
            f"{name} must be a number or a one-dimensional list of values, got an array of "
            f"shape {arr.shape}; pass the values to try as a flat list"
        )
    return check_nonempty(name, np.atleast_1d(arr))


def check_moe(arr: np.ndarray, name: str = "moe") -> np.ndarray:
    """A margin of error is a share strictly between 0 and 1 (0.034 for 3.4 points)."""
    bad = ~np.isnan(arr) & ~((arr > 0) & (arr < 1))
    if bad.any():
        value = arr[bad].ravel()[0].item()
        hint = ""
        if 1 <= value < 100:
            hint = f"; for {value:g} percentage points pass {name}={value / 100:g}"
        raise SurveyKitError(
            f"{name} must be a margin of error strictly between 0 and 1, got {value!r}{hint}"
        )
    return arr


def check_whole_number(
    name: str, value: Any, *, low: int, high: int | None = None, example: int | None = None
) -> int:
    """A whole-number option (a grid resolution, a number of simulations) within bounds."""
    whole = not isinstance(value, bool) and isinstance(value, int | np.integer)
    if not whole or value < low or (high is not None and value > high):
        span = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"
        hint = f"; pass for example {name}={example}" if example is not None else ""
        raise SurveyKitError(f"{name} must be a whole number {span}, got {value!r}{hint}")
    return int(value)


def check_given_together(**values: Any) -> None:
    """Options that only make sense together (such as the pairs ``p1``, ``p2`` of a grid)."""
    given = [name for name, value in values.items() if value is not None]
    if given and len(given) != len(values):
        names = " and ".join(values)
        missing = ", ".join(name for name in values if name not in given)
        raise SurveyKitError(
            f"{names} must be given together, got {', '.join(given)} without {missing}; "
            "pass all of them, or none for the default"
        )


def check_no_nan(**arrays: np.ndarray) -> None:
    """Inputs that a computation cannot skip (a simulation, an enumeration) hold no NaN."""
    nan = np.zeros(np.broadcast_shapes(*(np.shape(v) for v in arrays.values())), dtype=bool)
    for value in arrays.values():
        nan = nan | np.isnan(value)
    if nan.any():
        names = " and ".join(arrays)
        raise SurveyKitError(
            f"{names} must not contain NaN here, got NaN at position "
            f"{int(np.flatnonzero(nan.ravel())[0])}; drop the missing values first"
        )


def check_deff_of_simulation(deff: np.ndarray, n: np.ndarray) -> np.ndarray:
    """A simulated (beta-binomial) poll needs ``1 <= deff <= n``."""
    bad = ~np.isnan(deff) & ~np.isnan(n) & ((deff < 1) | (deff > n))
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        raise SurveyKitError(
            f"deff must be between 1 and n for a simulated poll, got "
            f"deff={deff.ravel()[i].item()!r} with n={n.ravel()[i]:g}; a beta-binomial poll "
            "cannot be less variable than a binomial one (deff < 1), nor more than "
            "all-alike answers (deff = n)"
        )
    return deff


def check_seed(seed: Any) -> Any:
    """A random seed: None, a non-negative whole number or a numpy Generator."""
    if not (
        seed is None
        or isinstance(seed, np.random.Generator)
        or (isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0)
    ):
        raise SurveyKitError(
            f"seed must be None, a non-negative whole number or a numpy Generator, got "
            f"{seed!r}; pass for example seed=2022"
        )
    return seed


def as_scalar(name: str, value: Any, check: Any = None, *, optional: bool = False) -> float:
    """One number (not a list, not NaN), then ``check(name, array)`` if given.

    ``optional`` says the parameter may be left out, which the message then suggests.
    """
    if value is None:
        raise SurveyKitError(f"{name} must be a number, got None")
    arr = as_float_array(name, value)
    if arr.ndim != 0:
        raise SurveyKitError(
            f"{name} must be a single number, got {value!r}; call once per value "
            "(sensitivity() takes grids of assumptions)"
        )
    if np.isnan(arr):
        fix = "leave it out if unknown" if optional else "pass a number"
        raise SurveyKitError(f"{name} must be a number, got NaN; {fix}")
    if check is not None:
        arr = check(name, arr)
    return float(arr)


def check_file(name: str, path: str | os.PathLike[str]) -> Path:
    """A path that must name an existing file."""
    found = Path(path)
    if not found.is_file():
        raise SurveyKitError(f"{name}: no file at {str(path)!r}; check the path and the folder")
    return found
