"""Time budgets and progress bars for computations whose cost grows with their input.

A search or enumeration whose cost depends on its input (the integer search of a
critical n, a sensitivity grid of exact tests, exact power, exact coverage) first
estimates how long it will take, from a calibrated formula: measured seconds per unit of
work (a table of an exact test, an interval, a binomial term) times the number of units
the computation will visit. Above the caller's budget (``max_seconds``, default
:data:`DEFAULT_MAX_SECONDS`) it refuses with :func:`check_budget`, saying how long it
would take and what to pass. An accepted computation that is expected to take more than
:data:`PROGRESS_AFTER` seconds shows a progress bar (``tqdm.auto``: a text bar in a
terminal, a widget in Jupyter) and can be interrupted with Ctrl-C (KeyboardInterrupt
between two steps; the bar is closed).

The unit costs were measured on one core of a 2020s laptop-class machine; the estimates
are meant to be right within a factor of about three, which is what a refusal needs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from surveykit.exceptions import SurveyKitError

__all__ = [
    "DEFAULT_MAX_SECONDS",
    "PROGRESS_AFTER",
    "check_budget",
    "format_seconds",
    "progress",
]

#: default time budget of a long computation, in seconds (the ``max_seconds`` default)
DEFAULT_MAX_SECONDS = 30.0
#: estimated seconds above which an accepted computation shows a progress bar
PROGRESS_AFTER = 2.0


def format_seconds(seconds: float) -> str:
    """A duration for people: '45 s', '12 min', '3.5 h', '40 days'."""
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 1 else f"{seconds:.1g} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds < 1e3 * 86400:
        return f"{seconds / 86400:,.0f} days"
    return f"{seconds / (365.25 * 86400):.2g} years"


def _suggested_budget(seconds: float) -> str:
    """A round max_seconds above the estimate (twice it, to allow for its error)."""
    if not math.isfinite(seconds) or seconds > 1e6:  # beyond about ten days: no limit
        return "math.inf"
    target = 2 * seconds
    magnitude = 10 ** math.floor(math.log10(target))
    return f"{math.ceil(target / magnitude) * magnitude:g}"


def check_budget(seconds: float, max_seconds: float, *, task: str, alternatives: str) -> None:
    """Refuse a computation estimated at ``seconds`` when it exceeds ``max_seconds``.

    ``task`` says what would be computed ("critical_n with method='fisher' tests about
    57,600 tables of up to 77,000 respondents"), ``alternatives`` what else the caller
    can do ("or bound the search with n_max=..., or use method='z-pooled'").
    """
    if seconds <= max_seconds:
        return
    raise SurveyKitError(
        f"{task}, which would take about {format_seconds(seconds)}, more than "
        f"max_seconds={max_seconds:g}; pass max_seconds={_suggested_budget(seconds)} to run "
        f"it anyway (with a progress bar; Ctrl-C interrupts it){alternatives}"
    )


class _Silent:
    """A progress bar that shows nothing (short computations, or tqdm missing)."""

    def update(self, n: float = 1) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def progress(total: float, *, seconds: float, desc: str) -> Iterator[Any]:
    """A progress bar over ``total`` units, shown when ``seconds`` (the estimate) is long.

    Yields an object with ``update(n)``. In a terminal the bar is text on stderr, in
    Jupyter a widget (``tqdm.auto``). The bar is closed however the block ends, an
    interruption (KeyboardInterrupt) included, which then propagates.
    """
    bar: Any = _Silent()
    if seconds > PROGRESS_AFTER:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # declared dependency; a bare environment just shows no bar
            pass
        else:
            bar = tqdm(total=total, desc=desc, leave=False, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()
