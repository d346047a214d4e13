"""Coercion and checking of user input: every check and its message lives in this package.

:mod:`~surveykit._core.validation.common` holds the checks shared by the whole package
(shares, sample sizes, design effects, levels, options, broadcasting, whole-number options);
:mod:`~surveykit._core.validation.pairs` those of two shares (between polls, within a poll,
in a panel); :mod:`~surveykit._core.validation.comparisons` those of equivalence margins
and levels and lists of p-values; :mod:`~surveykit._core.validation.power` those of power
and sample-size calculations; :mod:`~surveykit._core.validation.published` those of
published figures (their rounding, ``published_decimals``, the sample sizes they allow);
:mod:`~surveykit._core.validation.bayes` those of priors and distributions of sample sizes;
:mod:`~surveykit._core.validation.design` those of survey designs and microdata,
:mod:`~surveykit._core.validation.microdata` those of microdata files and their design
sidecars,
:mod:`~surveykit._core.validation.polls` those of files of poll figures (the schema of
:func:`surveykit.read_polls`), and :mod:`~surveykit._core.validation.series` those of
poll series;
:mod:`~surveykit._core.validation.limits` those of time budgets, lists of options and
the shares of all options of one question.
A wing that needs checks of its own adds a module beside them and re-exports its
``__all__`` here. Every message names the parameter, shows the value with ``!r`` and says
the fix.
"""

from surveykit._core.validation import (
    bayes,
    common,
    comparisons,
    design,
    limits,
    microdata,
    pairs,
    polls,
    power,
    published,
    series,
)
from surveykit._core.validation.bayes import *  # noqa: F403
from surveykit._core.validation.common import *  # noqa: F403
from surveykit._core.validation.comparisons import *  # noqa: F403
from surveykit._core.validation.design import *  # noqa: F403
from surveykit._core.validation.limits import *  # noqa: F403
from surveykit._core.validation.microdata import *  # noqa: F403
from surveykit._core.validation.pairs import *  # noqa: F403
from surveykit._core.validation.polls import *  # noqa: F403
from surveykit._core.validation.power import *  # noqa: F403
from surveykit._core.validation.published import *  # noqa: F403
from surveykit._core.validation.series import *  # noqa: F403

__all__ = [
    *bayes.__all__,
    *common.__all__,
    *comparisons.__all__,
    *design.__all__,
    *microdata.__all__,
    *limits.__all__,
    *pairs.__all__,
    *polls.__all__,
    *power.__all__,
    *published.__all__,
    *series.__all__,
]
