"""Exceptions and warnings raised by surveykit."""

from __future__ import annotations

__all__ = ["SurveyKitError", "SurveyKitWarning"]


class SurveyKitError(ValueError):
    """Bad input to a surveykit function.

    The message names the parameter, shows the offending value and says how to fix it.
    It subclasses :class:`ValueError`, so ``except ValueError`` also catches it.
    """


class SurveyKitWarning(UserWarning):
    """Base class of the warnings surveykit issues."""
