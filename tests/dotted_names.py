"""Whether a dotted name such as ``surveykit.plotting.plot_intervals`` resolves: shared by
the documentation tests (a plain module; pytest puts this folder on the path)."""

from __future__ import annotations

import importlib


def resolves(dotted: str) -> bool:
    """Import the longest importable module prefix, then get the remaining attributes."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return False
        return True
    return False
