"""Writing a folder of files all at once or not at all.

A report is several files (HTML, Markdown, figures, tables). They are written into a
staging folder beside the target, on the same file system, and moved into place only when
every one is complete. Ctrl-C (SIGINT) and SIGTERM are held back while the finished files
are moved (a few renames), so an interrupted run leaves the previous report, or nothing,
exactly as it was, and the staging folder is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["STAGING_PREFIX", "publish", "signals_held", "staging_folder"]

#: name prefix of staging folders (left behind only if the process is killed outright)
STAGING_PREFIX = ".surveykit-staging-"
_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new empty folder, named like ``out``, inside a private folder beside ``out``.

    The private folder (and whatever is still in it) is removed when the block ends.
    """
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    try:
        stage = private / (out.name or "report")
        stage.mkdir()  # an ordinary folder: the user's umask, not mkdtemp's 0o700
        yield stage
    finally:
        shutil.rmtree(private, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver them.

    While the block runs, the two signals are only recorded; afterwards the previous
    handlers are restored and each recorded signal is raised again. Python runs signal
    handlers in the main thread only, so outside it the block runs unprotected (still
    correct, just not interrupt-proof).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def record(signum: int, frame: object) -> None:
        pending.append(signum)

    previous = {s: signal.signal(s, record) for s in _HELD}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(pending):
            signal.raise_signal(s)


def publish(staging: Path, out: Path, names: Iterable[str]) -> dict[str, Path]:
    """Move the named files from ``staging`` into ``out``, with interrupts held.

    If ``out`` does not exist the staging folder itself is renamed to it; otherwise each
    file replaces its namesake (``os.replace``, atomic per file) and files of ``out`` that
    are not named are left alone.
    """
    names = list(names)
    with signals_held():
        if not out.exists():
            os.replace(staging, out)  # one rename: the whole folder appears at once
        else:
            for name in names:
                os.replace(staging / name, out / name)
    return {name: out / name for name in names}
