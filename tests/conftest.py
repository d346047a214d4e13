"""Shared test set-up: a non-interactive matplotlib backend and closed figures."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# Property tests are derandomised so that every run (and CI) draws the same examples:
# a failure is then reproducible, never a matter of luck. No deadline: the machine is shared.
from hypothesis import settings  # noqa: E402

settings.register_profile("surveykit", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("surveykit")
