"""Shared fixtures of the design tests: R survey's example data and R's results."""

from __future__ import annotations

import pandas as pd
import pytest
from design_data import REFERENCE, load, make_design  # noqa: F401 - shared with the tests


@pytest.fixture(scope="session")
def r_results() -> pd.DataFrame:
    """Every number of tests/reference/design_R.csv (written by design.R)."""
    frame = pd.read_csv(REFERENCE / "design_R.csv", keep_default_na=False)
    for column in ("domain", "method", "name"):
        frame[column] = frame[column].astype(str)
    return frame
