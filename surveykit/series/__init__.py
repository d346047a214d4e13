"""Poll series: the trend behind many polls and each pollster's house effect.

This room is ready for the poll-series wing; nothing lives here yet.
"""
