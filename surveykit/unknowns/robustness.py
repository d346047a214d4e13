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
    n2: float | None = None,
    moe2: float | None = None,
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
        Sample size of the later poll (and of the earlier one unless ``n2`` is given),
        if published (or assumed).
    moe : float, optional
        Published margin of error of the later poll (0.034 for 3.4 points), and of the
        earlier one unless ``moe2`` is given. Without an n it implies the sample size;
        with one it implies the poll's design effect.
    n2, moe2 : float, optional
        The earlier poll's own sample size and margin, when they differ from the later
        poll's: every check then uses each poll's own (never the larger of the two).
    deff : float, optional
        Design effect to assume for both polls. Defaults to the one each poll's margin
        implies with its n, else 1.
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

    Raises
    ------
    SurveyKitError
        If ``method`` is not one of the methods of
        :func:`~surveykit.inference.two_sample_tests.two_proportion_test`; ``p1``, ``p2``,
        ``n``, ``n2``, ``moe``, ``moe2``, ``deff`` or ``alpha`` is not a single number
        (NaN, a list); a share lies outside [0, 1]; a sample size or ``deff`` is not
        positive and finite; a margin of error is not strictly between 0 and 1, or implies
        more respondents than can be computed with; ``published_decimals`` is not a whole
        number from 0 to 6; ``alpha`` is not strictly between 0 and 1; or a check it runs
        (:func:`~surveykit.unknowns.critical.critical_n`,
        :func:`~surveykit.unknowns.rounding.rounding_bounds`) raises.

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
    - *probability of a real change in the reported direction*
      (:func:`~surveykit.inference.bayes.posterior_change`, Jeffreys prior): of an
      increase when ``p1 > p2``, of a decrease when ``p1 < p2``, at each poll's effective
      sample size ``n / deff`` or, when n is unknown, at the worst-case critical n: how
      convincing the change is even at the smallest sample that makes it significant.

    With two polls of different sizes or design effects, the tests use the effective
    sizes ``n1 / deff1`` and ``n2 / deff2`` (exact for the z-tests).

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
    >>> for row in r.table.itertuples():
    ...     print(f"{row.check}: {row.value:.4g} ({'holds' if row.holds else 'fails'})")
    critical n: 36 (holds)
    critical n, worst-case rounding: 40 (holds)
    probability of a real change in the reported direction: 0.9813 (holds)
    >>> print(r.summary)  # doctest: +NORMALIZE_WHITESPACE
    The change from 32% to 55% (increase, 23 points) is significant at the 5% level for
    any sample size of at least 36 per poll (40 in the worst case of rounding); even at
    40 per poll the posterior probability of a real change in the reported direction is
    0.9813.

    Had it been published like Levada's polls, with n = 1,600 and a margin of 3.4
    points (a design effect of about 1.9):

    >>> print(robustness(0.55, 0.32, n=1600, moe=0.034).summary)
    ... # doctest: +NORMALIZE_WHITESPACE
    The change from 32% to 55% (increase, 23 points) is significant at the 5% level with
    n = 1,600 per poll, design effect 1.93, also in the worst case of rounding
    (p = 1.5e-19) and for design effects up to 44.8; the posterior probability of a
    real change in the reported direction is above 0.9999.
    """
    method = check_option("method", method, compare.TWO_PROPORTION_TEST_METHODS)
    pa = as_scalar("p1", p1, check_proportion)
    pb = as_scalar("p2", p2, check_proportion)
    size1 = _scalar("n", n, check_n)
    size2 = _scalar("n2", n2, check_n)
    margin1 = _scalar("moe", moe, lambda name, arr: check_moe(arr))
    margin2 = _scalar("moe2", moe2, lambda name, arr: check_moe(arr, "moe2"))
    design_given = _scalar("deff", deff, check_deff)
    places = check_published_decimals(published_decimals)
    level = as_scalar("alpha", alpha, lambda name, arr: check_alpha(arr, name))
    size2 = size1 if size2 is None else size2
    margin2 = margin1 if margin2 is None else margin2

    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    sizes, designs = [], []
    for which, size, margin in (("later", size1, margin1), ("earlier", size2, margin2)):
        size, design = _poll_size(which, size, margin, design_given, rows, notes)
        sizes.append(size)
        designs.append(design)
    known = all(s is not None for s in sizes)
    design = max(designs)  # the per-poll critical n is computed at the larger one
    common = {"alpha": level, "method": method}
    crit_main = _critical_rows(pa, pb, design, common, rows)
    bounds, crit_worst = _rounding_rows(pa, pb, sizes, designs, places, common, rows)
    if known:
        effective = [s / d for s, d in zip(sizes, designs, strict=True)]
        _known_rows(pa, pb, sizes, designs, bounds, common, rows)
        n_post = [min(e, MAX_N) for e in effective]  # beyond it the posterior is a point
        post_label = f"effective {_sizes_text(n_post, [1.0, 1.0])}"
    else:
        n_post = [crit_worst, crit_worst]
        post_label = f"n = {_count(crit_worst)} per poll (the worst-case critical n)"
    prob = _posterior_row(pa, pb, n_post, level, post_label, rows)
    table = pd.DataFrame(rows, columns=["check", "value", "holds", "assumption"])
    summary = _summary(
        pb,
        pa,
        level,
        crit_main,
        crit_worst,
        sizes if known else None,
        designs,
        bounds,
        rows,
        prob,
        n_post,
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


def _critical_rows(
    pa: float, pb: float, design: float, common: dict[str, Any], rows: list[dict[str, Any]]
) -> float:
    """The critical n at design effect 1 and, if another applies, at it; returns the
    one that applies."""
    crit = float(critical_n(pa, pb, **common))
    rows.append(
        _row("critical n", crit, np.isfinite(crit), "per poll, design effect 1, published shares")
    )
    if design == 1.0:
        return crit
    crit_d = float(critical_n(pa, pb, deff=design, **common))
    rows.append(
        _row(
            "critical n with design effect",
            crit_d,
            np.isfinite(crit_d),
            f"per poll, design effect {design:.3g}",
        )
    )
    return crit_d


def _rounding_rows(
    pa: float,
    pb: float,
    sizes: list[float | None],
    designs: list[float],
    places: int,
    common: dict[str, Any],
    rows: list[dict[str, Any]],
) -> tuple[Any, float]:
    """The bounds over the rounding of the published shares, and the worst critical n."""
    design = max(designs)
    if any(s is None for s in sizes) or designs[0] == designs[1]:
        # one design effect for both polls: the bounds at the actual sizes, exactly
        bounds = rounding_bounds(
            pa, pb, n1=sizes[0], n2=sizes[1], deff=design, published_decimals=places, **common
        )
        crit_worst = float(bounds.critical_n_max)
    else:
        # different design effects: p-values at the effective sizes (exact for the
        # z-tests); the worst-case critical n at the larger design effect (conservative)
        n1, n2 = (s / d for s, d in zip(sizes, designs, strict=True))  # type: ignore[operator]
        bounds = rounding_bounds(pa, pb, n1=n1, n2=n2, published_decimals=places, **common)
        crit_worst = float(
            rounding_bounds(
                pa, pb, deff=design, published_decimals=places, **common
            ).critical_n_max
        )
    rows.append(
        _row(
            "critical n, worst-case rounding",
            crit_worst,
            np.isfinite(crit_worst),
            f"true shares within rounding to {places} decimal(s)",
        )
    )
    return bounds, crit_worst


def _known_rows(
    pa: float,
    pb: float,
    sizes: list[float],
    designs: list[float],
    bounds: Any,
    common: dict[str, Any],
    rows: list[dict[str, Any]],
) -> None:
    """With both sizes known: the worst-case p-value and the critical design effect."""
    worst_p = float(bounds.pvalue_max)
    rows.append(
        _row(
            "p-value, worst-case rounding",
            worst_p,
            worst_p < common["alpha"],
            _sizes_text(sizes, designs),
        )
    )
    crit_deff = float(critical_deff(pa, sizes[0], pb, sizes[1], **common))
    rows.append(
        _row(
            "critical design effect",
            crit_deff,
            crit_deff > max(designs),
            f"{_sizes_text(sizes, [1.0, 1.0])}, published shares",
        )
    )


def _posterior_row(
    pa: float,
    pb: float,
    n_post: list[float],
    level: float,
    label: str,
    rows: list[dict[str, Any]],
) -> float:
    """The posterior probability of a real change in the reported direction."""
    prob = np.nan
    if all(np.isfinite(v) for v in n_post):
        up = float(posterior_change(pa, n_post[0], pb, n_post[1]).prob_increase)
        prob = up if pa >= pb else 1.0 - up
    rows.append(
        _row(
            "probability of a real change in the reported direction",
            prob,
            prob > 1 - level if np.isfinite(prob) else None,
            f"Jeffreys prior, {label}",
        )
    )
    return prob


def _row(check: str, value: float, holds: Any, assumption: str) -> dict[str, Any]:
    return {
        "check": check,
        "value": value,
        "holds": None if holds is None else bool(holds),
        "assumption": assumption,
    }


def _sizes_text(sizes: list[float], designs: list[float]) -> str:
    if sizes[0] == sizes[1] and designs[0] == designs[1]:
        text = f"n = {_count(sizes[0])} per poll"
        return text if designs[0] == 1 else f"{text}, design effect {designs[0]:.3g}"
    parts = [
        f"{_count(s)}" + ("" if d == 1 else f" (design effect {d:.3g})")
        for s, d in zip(sizes, designs, strict=True)
    ]
    return f"n = {parts[0]} later and {parts[1]} earlier"


def _poll_size(
    which: str,
    size: float | None,
    margin: float | None,
    design_given: float | None,
    rows: list[dict[str, Any]],
    notes: list[str],
) -> tuple[float | None, float]:
    """A poll's n (published, or implied by its margin) and design effect."""
    design = 1.0 if design_given is None else design_given
    if margin is not None and size is None:
        implied = float(n_from_moe(margin))
        if not implied <= MAX_N:
            raise SurveyKitError(
                f"moe={margin!r} implies {implied:.3g} respondents, more than {MAX_N:g}; "
                "pass the margin as a proportion (0.034 for 3.4 points)"
            )
        rows.append(
            _row(
                f"implied n from margin ({which} poll)",
                implied,
                None,
                f"margin {100 * margin:g} points at 50%, simple random sampling",
            )
        )
        size = float(np.ceil(implied))
        notes.append(f"the {which} poll's margin implies about {_count(size)} respondents")
    elif margin is not None and size is not None:
        implied = float(implied_deff(margin, size))
        rows.append(
            _row(
                f"implied design effect ({which} poll)",
                implied,
                None,
                f"margin {100 * margin:g} points at 50% with n = {_count(size)}",
            )
        )
        if design_given is None:
            design = max(implied, 1.0)
    return size, design


def _summary(
    pb: float,
    pa: float,
    level: float,
    crit: float,
    crit_worst: float,
    sizes: list[float] | None,
    designs: list[float],
    bounds: Any,
    rows: list[dict[str, Any]],
    prob: float,
    n_post: list[float],
) -> str:
    """One sentence, leading with the verdict at the known sizes when there are any."""
    change = pa - pb
    value = abs(100 * change)
    points = f"{value:.{0 if abs(value - round(value)) < 1e-9 else 1}f}"
    word = "increase" if change > 0 else "decrease" if change < 0 else "no change"
    unit = "point" if points == "1" else "points"
    head = f"The change from {_pct(pb)} to {_pct(pa)} ({word}, {points} {unit})"
    lvl = f"{100 * level:g}%"
    design = max(designs)
    at_design = f" at design effect {design:.3g}" if design != 1.0 else ""
    prob_text = "above 0.9999" if prob > 0.9999 else f"{prob:.4g}"
    direction = "posterior probability of a real change in the reported direction"
    if not np.isfinite(crit):
        return f"{head} is not significant at the {lvl} level at any sample size."
    if sizes is not None:
        worst = float(bounds.pvalue_max)
        published = float(bounds.pvalue)
        deff_row = next(r for r in rows if r["check"] == "critical design effect")
        at = _sizes_text(sizes, designs)
        if published >= level:
            text = (
                f"{head} is not significant at the {lvl} level with {at} "
                f"(p = {published:.2g}); it would be significant from {_count(crit)} per "
                f"poll{at_design}"
            )
        elif worst < level:
            text = (
                f"{head} is significant at the {lvl} level with {at}, also in the worst "
                f"case of rounding (p = {worst:.2g}) and for design effects up to "
                f"{deff_row['value']:.3g}"
            )
        else:
            text = (
                f"{head} is significant at the {lvl} level with {at} as published "
                f"(p = {published:.2g}, for design effects up to {deff_row['value']:.3g}) "
                f"but not in the worst case of rounding (p = {worst:.2g})"
            )
        if np.isfinite(prob):
            text += f"; the {direction} is {prob_text}"
        return text + "."
    text = (
        f"{head} is significant at the {lvl} level for any sample size of at least "
        f"{_count(crit)} per poll{at_design}"
    )
    if np.isfinite(crit_worst) and crit_worst != crit:
        text += f" ({_count(crit_worst)} in the worst case of rounding)"
    elif not np.isfinite(crit_worst):
        text += " (but at no size in the worst case of rounding)"
    if np.isfinite(prob):
        text += f"; even at {_count(n_post[0])} per poll the {direction} is {prob_text}"
    return text + "."
