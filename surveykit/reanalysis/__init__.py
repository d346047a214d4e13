"""Reanalysis of a whole file of polls: pairs, tests, robustness and verdicts at once."""
