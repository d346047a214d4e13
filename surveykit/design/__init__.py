"""Survey microdata: design objects, linearisation, domains and published shares.

:class:`~surveykit.design.survey_design.SurveyDesign` is built once from the data, as R's
``svydesign``; its methods return result objects (:mod:`surveykit.design.results`) whose
estimates and standard errors equal R's ``svymean``, ``svytotal``, ``svyratio``,
``svyciprop``, ``svyby`` and ``svychisq``. :func:`~surveykit.design.proportion_ci.ci_from_se`
gives the interval of a published share from its standard error.
"""

from surveykit.design.proportion_ci import ci_from_se
from surveykit.design.results import (
    PublishedShareCI,
    SurveyChisq,
    SurveyEstimate,
    SurveyProportion,
    SurveyTable,
)
from surveykit.design.survey_design import SurveyDesign

__all__ = [
    "PublishedShareCI",
    "SurveyChisq",
    "SurveyDesign",
    "SurveyEstimate",
    "SurveyProportion",
    "SurveyTable",
    "ci_from_se",
]
