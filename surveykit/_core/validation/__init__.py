"""Coercion and checking of user input: every check and its message lives in this package.

:mod:`~surveykit._core.validation.common` holds the checks shared by the whole package
(shares, sample sizes, design effects, levels, options, broadcasting); each wing that needs
checks of its own (survey designs, poll series) adds a module beside it. Every message names
the parameter, shows the value with ``!r`` and says the fix.
"""

from surveykit._core.validation.common import *  # noqa: F403
from surveykit._core.validation.common import __all__ as _common_all

__all__ = list(_common_all)
