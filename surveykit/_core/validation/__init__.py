"""Coercion and checking of user input: every check and its message lives in this package.

:mod:`~surveykit._core.validation.common` holds the checks shared by the whole package
(shares, sample sizes, design effects, levels, options, broadcasting); each concern that
needs checks of its own adds a module beside it (:mod:`.comparisons`: equivalence margins
and levels, lists of p-values).
Every message names the parameter, shows the value with ``!r`` and says the fix.
"""

from surveykit._core.validation.common import *  # noqa: F403
from surveykit._core.validation.common import __all__ as _common_all
from surveykit._core.validation.comparisons import *  # noqa: F403
from surveykit._core.validation.comparisons import __all__ as _comparisons_all

__all__ = [*_common_all, *_comparisons_all]
