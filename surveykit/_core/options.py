"""Option sets shared by the API and the command line, defined once.

Standard library only: the command line's parser imports this module, and
``surveykit --help`` must start without numpy or pandas.
"""

from __future__ import annotations

__all__ = ["ALTERNATIVES", "FORMATS"]

#: the alternatives of every test and one-sided interval in surveykit
ALTERNATIVES = ("two-sided", "less", "greater")

#: the output formats of the command line: a table for people, csv or json for scripts
FORMATS = ("table", "csv", "json")
