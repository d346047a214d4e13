"""Survey microdata: design objects, linearisation, replicate weights, calibration.

This room is ready for the microdata wing; nothing lives here yet.
"""
