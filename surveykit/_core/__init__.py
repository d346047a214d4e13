"""The core: input validation and every message, result base classes, number formatting,
shared numerics (normal quantiles, root finding, score statistics, threads).

Nothing here imports any other part of surveykit except :mod:`surveykit.exceptions`.
"""
