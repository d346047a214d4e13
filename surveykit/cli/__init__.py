"""The ``surveykit`` command line: ``ci``, ``compare``, ``sensitivity``, ``power``,
``report`` and ``datasets``."""

from surveykit.cli.main import main, parse_figure

__all__ = ["main", "parse_figure"]
