"""What was never published: critical sample size and design effect, sensitivity grids,
rounding, granularity of percentages, margins of error, robustness of a verdict.
"""
