"""Tests of surveykit._core.budget: refusals above a time budget, and progress bars."""

from __future__ import annotations

import math

import pytest

from surveykit._core.budget import (
    DEFAULT_MAX_SECONDS,
    PROGRESS_AFTER,
    check_budget,
    format_seconds,
    progress,
)
from surveykit._core.validation import check_max_seconds, check_nonempty_options
from surveykit.exceptions import SurveyKitError


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.25, "0.2 s"), (45, "45 s"), (720, "12 min"), (3.5 * 3600, "3.5 h"),
     (40 * 86400, "40 days"), (1e12, "3.2e+04 years"), (math.inf, "forever")],
)  # fmt: skip
def test_durations_read_as_people_say_them(seconds, text):
    assert format_seconds(seconds) == text


def test_within_budget_passes():
    check_budget(DEFAULT_MAX_SECONDS, DEFAULT_MAX_SECONDS, task="x", alternatives="")


@pytest.mark.parametrize(
    ("seconds", "suggested"), [(40, "80"), (233, "500"), (5000, "10000"), (1e7, "math.inf")]
)
def test_refusal_says_how_long_and_what_to_pass(seconds, suggested):
    with pytest.raises(SurveyKitError) as info:
        check_budget(seconds, 30, task="the search visits 9 tables", alternatives="; or not")
    message = str(info.value)
    assert message.startswith("the search visits 9 tables, which would take about ")
    assert f"more than max_seconds=30; pass max_seconds={suggested} to run it anyway" in message
    assert message.endswith("; or not")


@pytest.mark.parametrize("good", [1, 0.5, 30.0, math.inf])
def test_max_seconds_accepts_positive_numbers(good):
    assert check_max_seconds(good) == float(good)


@pytest.mark.parametrize("bad", [0, -3, math.nan, "30", None, True, [30]])
def test_max_seconds_refuses_anything_else(bad):
    with pytest.raises(SurveyKitError, match=r"max_seconds must be a positive number of seconds"):
        check_max_seconds(bad)


def test_empty_option_lists_are_refused_by_name():
    with pytest.raises(SurveyKitError, match=r"method must name at least one value, got an em"):
        check_nonempty_options("method", [], "['wilson']")


def test_short_computations_show_no_bar(capsys):
    with progress(10, seconds=PROGRESS_AFTER / 2, desc="quick") as bar:
        bar.update(10)
    assert capsys.readouterr().err == ""


def test_long_computations_show_a_bar_that_closes_on_interrupt(capsys):
    pytest.importorskip("tqdm")
    with pytest.raises(KeyboardInterrupt):
        with progress(10, seconds=PROGRESS_AFTER * 2, desc="long search") as bar:
            bar.update(3)
            raise KeyboardInterrupt
    assert bar.disable or "long search" in capsys.readouterr().err
    assert bar.n == 3
