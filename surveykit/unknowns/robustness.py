"""One call for the whole question: how much does a change depend on what is unknown?

:func:`robustness` gathers the critical sample size, the critical design effect, the
worst case of rounding, the posterior probability of an increase and what a published
margin of error implies into one verdict table with a plain-English summary.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveykit._core.results import Robustness
from surveykit._core.validation import (
    as_scalar,
    check_alpha,
    check_deff,
    check_moe,
    check_n,
    check_option,
    check_proportion,
    check_published_decimals,
)
from surveykit.exceptions import SurveyKitError
from surveykit.inference import two_sample_tests as compare
from surveykit.inference.bayes import MAX_N, posterior_change
from surveykit.unknowns.critical import critical_deff, critical_n
from surveykit.unknowns.margins import implied_deff, n_from_moe
from surveykit.unknowns.rounding import rounding_bounds

__all__ = ["robustness"]


def _scalar(name: str, value: Any, check: Any = None) -> float | None:
    return None if value is None else as_scalar(name, value, check, optional=True)


def _pct(x: float) -> str:
    return f"{100 * x:.{1 if abs(100 * x - round(100 * x)) > 1e-9 else 0}f}%"


def _count(x: float) -> str:
    if not np.isfinite(x):
        return "no sample size"
    return f"{x:,.0f}" if x < 1e9 else f"{x:.3g}"


def robustness(
    p1: float,
    p2: float,
    *,
    n: float | None = None,
    moe: float | None = None,
    deff: float | None = None,
    published_decimals: int = 0,
    alpha: float = 0.05,
    method: str = "z-pooled",
) -> Robustness:
    """How a change between two polls depends on the unknown n, design and rounding.

    Parameters
    ----------
    p1, p2 : float
        The later and the earlier published shares (0-1), as rounded in publication;
        the change is ``p1 - p2``.
    n : float, optional
        Sample size of each poll, if published (or assumed).
    moe : float, optional
        Published margin of error (0.034 for 3.4 points). Without ``n`` it implies a
        sample size; with ``n`` it implies a design effect.
    deff : float, optional
        Design effect to assume. Defaults to the one implied by ``moe`` and ``n`` when
        both are given, else 1.
    published_decimals : int, default 0
        Decimal places of the published percentages (for the rounding check).
    alpha : float, default 0.05
        Significance level.
    method : str, default 'z-pooled'
        Test method of :func:`~surveykit.inference.two_sample_tests.two_proportion_test`.

    Returns
    -------
    Robustness
        ``table`` (one row per check: ``check``, ``value``, ``holds``, ``assumption``)
        and ``summary`` (one sentence); ``to_frame()`` returns the table.

    See Also
    --------
    surveykit.unknowns.critical.critical_n, surveykit.unknowns.critical.critical_deff,
    surveykit.unknowns.rounding.rounding_bounds, surveykit.inference.bayes.posterior_change,
    surveykit.unknowns.margins.n_from_moe, surveykit.unknowns.margins.implied_deff

    Notes
    -----
    The rows, each computed by the function named:

    - *implied n* (:func:`~surveykit.unknowns.margins.n_from_moe`) or *implied design effect*
      (:func:`~surveykit.unknowns.margins.implied_deff`), when a margin is given;
    - *critical n* at design effect 1 and, if another is assumed, at that one
      (:func:`~surveykit.unknowns.critical.critical_n`): significant for every n at least this;
    - *critical n, worst rounding*: the largest critical n over the true shares behind
      the rounded ones (:func:`~surveykit.unknowns.rounding.rounding_bounds`);
    - with a known or implied n: *worst-case p-value* over rounding, and the *critical
      design effect* (:func:`~surveykit.unknowns.critical.critical_deff`);
    - *probability of an increase* (:func:`~surveykit.inference.bayes.posterior_change`, Jeffreys
      prior) at the effective sample size ``n / deff`` or, when n is unknown, at the
      worst-case critical n: how convincing the change is even at the smallest sample
      that makes it significant.

    ``holds`` says whether the change is significant (or, for the posterior, whether
    the probability exceeds ``1 - alpha``) under that row's assumption.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley.
    .. [2] Gelman, A. et al. (2013). Bayesian Data Analysis, 3rd ed. CRC Press.

    Examples
    --------
    The leaked FSO polls: 32% for peace talks in July, 55% in November, no n, no
    margin, whole percentages:

    >>> from surveykit.unknowns.robustness import robustness
    >>> r = robustness(0.55, 0.32)
    >>> r.table[["check", "value", "holds"]].round(4)
                                 check    value  holds
    0                       critical n  36.0000   True
    1  critical n, worst-case rounding  40.0000   True
    2          probability of increase   0.9813   True
    >>> print(r.summary)  # doctest: +NORMALIZE_WHITESPACE
    The change from 32% to 55% (+23 points) is significant at the 5% level for any
    sample size of at least 36 per poll (40 in the worst case of rounding); even at 40
    per poll the posterior probability of a real increase is 0.9813.

    Had it been published like Levada's polls, with n = 1,600 and a margin of 3.4
    points (a design effect of about 1.9):

    >>> print(robustness(0.55, 0.32, n=1600, moe=0.034).summary)
    ... # doctest: +NORMALIZE_WHITESPACE
    The change from 32% to 55% (+23 points) is significant at the 5% level for any
    sample size of at least 69 per poll at design effect 1.93 (76 in the worst case of
    rounding); with 1,600 per poll it stays significant in the worst case of rounding
    (p = 1.5e-19) and for design effects up to 44.8, and the posterior probability of a
    real increase is above 0.9999.
    """
    method = check_option("method", method, compare.TWO_PROPORTION_TEST_METHODS)
    pa = as_scalar("p1", p1, check_proportion)
    pb = as_scalar("p2", p2, check_proportion)
    size = _scalar("n", n, check_n)
    margin = _scalar("moe", moe, lambda name, arr: check_moe(arr))
    design_given = _scalar("deff", deff, check_deff)
    places = check_published_decimals(published_decimals)
    level = as_scalar("alpha", alpha, lambda name, arr: check_alpha(arr, name))

    rows: list[dict[str, Any]] = []
    notes = []
    design = 1.0 if design_given is None else design_given
    if margin is not None and size is None:
        implied = float(n_from_moe(margin))
        if not implied <= MAX_N:
            raise SurveyKitError(
                f"moe={margin!r} implies {implied:.3g} respondents, more than {MAX_N:g}; "
                "pass the margin as a proportion (0.034 for 3.4 points)"
            )
        rows.append(
            {
                "check": "implied n from margin",
                "value": implied,
                "holds": None,
                "assumption": f"margin {100 * margin:g} points at 50%, simple random sampling",
            }
        )
        size = float(np.ceil(implied))
        notes.append(f"the published margin implies about {_count(size)} respondents")
    elif margin is not None and size is not None:
        implied = float(implied_deff(margin, size))
        rows.append(
            {
                "check": "implied design effect",
                "value": implied,
                "holds": None,
                "assumption": f"margin {100 * margin:g} points at 50% with n = {_count(size)}",
            }
        )
        if design_given is None:
            design = implied
    crit = float(critical_n(pa, pb, alpha=level, method=method))
    crit_main = crit
    rows.append(
        {
            "check": "critical n",
            "value": crit,
            "holds": bool(np.isfinite(crit)),
            "assumption": "per poll, design effect 1, published shares",
        }
    )
    if design != 1.0:
        crit_d = float(critical_n(pa, pb, alpha=level, method=method, deff=design))
        crit_main = crit_d
        rows.append(
            {
                "check": "critical n with design effect",
                "value": crit_d,
                "holds": bool(np.isfinite(crit_d)),
                "assumption": f"per poll, design effect {design:.3g}",
            }
        )
    bounds = rounding_bounds(
        pa, pb, n1=size, published_decimals=places, deff=design, alpha=level, method=method
    )
    crit_worst = float(bounds.critical_n_max)
    rows.append(
        {
            "check": "critical n, worst-case rounding",
            "value": crit_worst,
            "holds": bool(np.isfinite(crit_worst)),
            "assumption": f"true shares within rounding to {places} decimal(s)",
        }
    )
    if size is not None:
        worst_p = float(bounds.pvalue_max)
        rows.append(
            {
                "check": "p-value, worst-case rounding",
                "value": worst_p,
                "holds": bool(worst_p < level),
                "assumption": f"n = {_count(size)} per poll, design effect {design:.3g}",
            }
        )
        crit_deff = float(critical_deff(pa, size, pb, alpha=level, method=method))
        rows.append(
            {
                "check": "critical design effect",
                "value": crit_deff,
                "holds": bool(crit_deff > design),
                "assumption": f"n = {_count(size)} per poll, published shares",
            }
        )
        n_post = min(size / design, MAX_N)  # beyond it the posterior is a point anyway
        post_label = f"effective n = {_count(n_post)} per poll"
    else:
        n_post = crit_worst
        post_label = f"n = {_count(crit_worst)} per poll (the worst-case critical n)"
    prob = np.nan
    if np.isfinite(n_post):
        prob = float(posterior_change(pa, n_post, pb, n_post).prob_increase)
    rows.append(
        {
            "check": "probability of increase",
            "value": prob,
            "holds": bool(prob > 1 - level) if np.isfinite(prob) else None,
            "assumption": f"Jeffreys prior, {post_label}",
        }
    )
    table = pd.DataFrame(rows, columns=["check", "value", "holds", "assumption"])
    summary = _summary(
        pb, pa, level, crit_main, crit_worst, size, design, bounds, rows, prob, n_post
    )
    if notes:
        summary = summary[:-1] + f" ({'; '.join(notes)})."
    return Robustness(
        table=table,
        summary=summary,
        p1=pa,
        p2=pb,
        n=n,
        moe=moe,
        deff=deff,
        published_decimals=places,
        alpha=level,
    )


def _summary(
    pb: float,
    pa: float,
    level: float,
    crit: float,
    crit_worst: float,
    size: float | None,
    design: float,
    bounds: Any,
    rows: list[dict[str, Any]],
    prob: float,
    n_post: float,
) -> str:
    change = pa - pb
    points = f"{100 * change:+.{0 if abs(100 * change - round(100 * change)) < 1e-9 else 1}f}"
    head = f"The change from {_pct(pb)} to {_pct(pa)} ({points} points)"
    lvl = f"{100 * level:g}%"
    if not np.isfinite(crit):
        return f"{head} is not significant at the {lvl} level at any sample size."
    at_design = f" at design effect {design:.3g}" if design != 1.0 else ""
    text = (
        f"{head} is significant at the {lvl} level for any sample size of at least "
        f"{_count(crit)} per poll{at_design}"
    )
    if np.isfinite(crit_worst) and crit_worst != crit:
        text += f" ({_count(crit_worst)} in the worst case of rounding)"
    elif not np.isfinite(crit_worst):
        text += " (but at no size in the worst case of rounding)"
    prob_text = "above 0.9999" if prob > 0.9999 else f"{prob:.4g}"
    if size is not None:
        worst = float(bounds.pvalue_max)
        published = float(bounds.pvalue)
        deff_row = next(r for r in rows if r["check"] == "critical design effect")
        if worst < level:
            text += (
                f"; with {_count(size)} per poll it stays significant in the worst case of "
                f"rounding (p = {worst:.2g}) and for design effects up to "
                f"{deff_row['value']:.3g}"
            )
        elif published < level:
            text += (
                f"; with {_count(size)} per poll it is significant as published "
                f"(p = {published:.2g}, for design effects up to {deff_row['value']:.3g}) "
                f"but not in the worst case of rounding (p = {worst:.2g})"
            )
        else:
            text += f"; with {_count(size)} per poll it is not significant (p = {published:.2g})"
        if np.isfinite(prob):
            text += f", and the posterior probability of a real increase is {prob_text}"
    elif np.isfinite(prob):
        text += (
            f"; even at {_count(n_post)} per poll the posterior probability of a real "
            f"increase is {prob_text}"
        )
    return text + "."
