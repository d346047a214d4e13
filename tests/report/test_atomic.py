"""Staged writing: a folder of files appears whole or not at all."""

from __future__ import annotations

import os
import signal
import stat

import pytest

from surveykit.report.atomic import STAGING_PREFIX, publish, signals_held, staging_folder


def test_a_new_folder_appears_with_every_file(tmp_path):
    out = tmp_path / "report"
    with staging_folder(out) as stage:
        (stage / "a.txt").write_text("A")
        (stage / "b.txt").write_text("B")
        assert not out.exists()  # nothing visible while writing
        paths = publish(stage, out, ["a.txt", "b.txt"])
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    assert paths["a.txt"].read_text() == "A"
    assert not any(p.name.startswith(STAGING_PREFIX) for p in tmp_path.iterdir())


def test_the_new_folder_has_ordinary_permissions(tmp_path):
    out = tmp_path / "report"
    with staging_folder(out) as stage:
        (stage / "a.txt").write_text("A")
        publish(stage, out, ["a.txt"])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask


def test_an_existing_folder_keeps_its_other_files(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "a.txt").write_text("old")
    (out / "notes.txt").write_text("mine")
    with staging_folder(out) as stage:
        (stage / "a.txt").write_text("new")
        publish(stage, out, ["a.txt"])
    assert (out / "a.txt").read_text() == "new"
    assert (out / "notes.txt").read_text() == "mine"


def test_a_failure_while_writing_leaves_the_previous_files_and_no_staging(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "a.txt").write_text("old")
    with pytest.raises(KeyboardInterrupt), staging_folder(out) as stage:
        (stage / "a.txt").write_text("half")
        raise KeyboardInterrupt
    assert (out / "a.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_signals_are_held_then_delivered():
    received = []
    previous = signal.signal(signal.SIGTERM, lambda *_: received.append("term"))
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            assert received == []  # held while the files move
        assert received == ["term"]  # delivered as soon as they are in place
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_write_report_refuses_an_empty_folder_name(tmp_path):
    import surveykit as sk
    from surveykit.report.writer import write_report

    result = sk.reanalyse(sk.load_dataset(), n=[400], deff=[1], robustness=False)
    with pytest.raises(sk.SurveyKitError, match=r"out_dir must name a folder, got ''"):
        write_report(result, "")
    with pytest.raises(sk.SurveyKitError, match=r"out_dir must name a folder, got '  '"):
        write_report(result, "  ")
