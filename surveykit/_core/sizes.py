"""Sample sizes too large for the formulas' arithmetic.

Interval formulas square sample sizes and counts (``n * n``, ``x * (n - x)``): beyond
about 1e154 respondents that overflows, and well before, at 1e30, every interval is
already its estimate to within about 1e-15. :func:`formula_size` caps the effective
sample size used *inside* such formulas at :data:`FORMULA_SIZE_CAP`, so that a size of
1e300 gives the degenerate interval it means rather than an overflow or NaN; the result
still echoes the size given.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FORMULA_SIZE_CAP", "formula_size"]

#: largest effective sample size used inside an interval formula (a half-width of at most
#: z sqrt(0.25 / 1e30), about 1e-15: the interval is its estimate to double precision)
FORMULA_SIZE_CAP = 1e30


def formula_size(n: np.ndarray) -> np.ndarray:
    """``n`` capped at :data:`FORMULA_SIZE_CAP` (NaN stays NaN)."""
    return np.minimum(n, FORMULA_SIZE_CAP)
