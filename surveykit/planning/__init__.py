"""Planning and teaching: power, sample size, exact coverage of intervals, simulated polls."""
