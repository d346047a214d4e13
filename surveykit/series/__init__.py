"""Poll series: the trend behind many polls and each pollster's house effect.

- :func:`poll_trend` fits Jackman's local-level model with house effects to one option
  (:func:`poll_trends`: every option of a question), exactly: the smoother means are
  the generalised-least-squares solution and sigma maximises the diffuse likelihood;
- :func:`check_poll` (``PollTrend.check``) places a poll left out of the fit against the
  trend, and :func:`compare_change` (``PollTrend.compare_change``) one pollster's change
  against the trend's, both as functions of an assumed sample size.
"""

from surveykit.series.check import PollCheck, TrendChange, check_poll, compare_change
from surveykit.series.trend import PollTrend, PollTrends, poll_trend, poll_trends

__all__ = [
    "PollCheck",
    "PollTrend",
    "PollTrends",
    "TrendChange",
    "check_poll",
    "compare_change",
    "poll_trend",
    "poll_trends",
]
