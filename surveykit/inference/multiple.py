"""Adjusted p-values for several comparisons tested at once.

A reanalysis that tests every change and every lead in a file makes many comparisons;
some will look significant by chance. The adjusted p-values (Holm's step-down method by
default, or the Benjamini-Hochberg false discovery rate) say which survive. The
computation is statsmodels' :func:`~statsmodels.stats.multitest.multipletests`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from surveykit._core.validation import check_option, check_pvalues

__all__ = ["ADJUSTMENT_METHODS", "adjust_pvalues"]

#: surveykit's names -> statsmodels' names
ADJUSTMENT_METHODS = {
    "holm": "holm",
    "benjamini-hochberg": "fdr_bh",
    "bonferroni": "bonferroni",
    "hochberg": "simes-hochberg",
    "benjamini-yekutieli": "fdr_by",
}


def adjust_pvalues(pvalues: ArrayLike, *, method: str = "holm") -> np.ndarray | pd.Series:
    """Adjust p-values for testing several comparisons at once.

    Parameters
    ----------
    pvalues : array_like
        One p-value per comparison (a Series keeps its index). NaN values (comparisons
        that could not be tested) are left NaN and do not count as comparisons.
    method : {'holm', 'benjamini-hochberg', 'bonferroni', 'hochberg', \
'benjamini-yekutieli'}, default 'holm'
        Holm controls the family-wise error rate under any dependence;
        Benjamini-Hochberg controls the false discovery rate.

    Returns
    -------
    ndarray or Series
        Adjusted p-values, same shape (and index) as the input, each at least the raw one.

    Raises
    ------
    SurveyKitError
        For p-values outside [0, 1], an empty input or an unknown method.

    See Also
    --------
    statsmodels.stats.multitest.multipletests : the computation.

    Notes
    -----
    Holm: with the m p-values sorted, :math:`\\tilde p_{(i)} = \\max_{j \\le i}
    \\min(1, (m - j + 1) p_{(j)})`. Benjamini-Hochberg: :math:`\\tilde p_{(i)} =
    \\min_{j \\ge i} \\min(1, m p_{(j)} / j)`. Both equal R's ``p.adjust``.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65-70.
    .. [2] Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate.
       *Journal of the Royal Statistical Society B* 57, 289-300.

    Examples
    --------
    Five changes tested in one report: which stay significant at 5%?

    >>> from surveykit.inference.multiple import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005, 0.2]).round(3).tolist()
    [0.04, 0.09, 0.09, 0.025, 0.2]
    """
    from statsmodels.stats.multitest import multipletests

    name = check_option("method", method, tuple(ADJUSTMENT_METHODS))
    values = check_pvalues("pvalues", pvalues)
    flat = values.ravel()
    out = np.full(flat.shape, np.nan)
    ok = ~np.isnan(flat)
    if ok.any():
        out[ok] = multipletests(flat[ok], method=ADJUSTMENT_METHODS[name])[1]
    out = np.maximum(out.reshape(values.shape), values)  # never below the raw p-value
    if isinstance(pvalues, pd.Series):
        return pd.Series(out, index=pvalues.index, name=pvalues.name)
    return out
