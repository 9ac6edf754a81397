"""Storage never gets in the way: a broken folder, a full disk or a damaged file log one warning."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from search.analytics import Recorder, SearchEvent
from search.analytics.storage import ProcessFile, process_files

WARNING = "search analytics: cannot record"


def event(n: int = 0) -> SearchEvent:
    return SearchEvent(at=time.time() + n, query=f"query {n}", total=n)


def stored(folder) -> int:
    return sum(
        sqlite3.connect(p).execute("SELECT count(*) FROM searches").fetchone()[0]
        for p in process_files(folder)
    )


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_folder_that_cannot_be_made_logs_one_warning_and_drops_events(tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a folder")
    recorder = Recorder(tmp_path / "a-file" / "analytics", clock=Clock())
    for n in range(5):
        recorder.pending.append(event(n))
        recorder.flush()
    assert recorder.dropped == 5
    assert len(warnings(caplog)) == 1 and WARNING in warnings(caplog)[0]
    recorder.close()


def test_a_full_disk_logs_one_warning_then_recording_resumes(tmp_path, caplog, monkeypatch):
    clock = Clock()
    recorder = Recorder(tmp_path, retry=60, clock=clock)
    recorder.pending.append(event(0))
    assert recorder.flush() == 1

    def full(self, searches, clicks):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ProcessFile, "write", full)
    for n in range(1, 6):
        recorder.pending.append(event(n))
        recorder.flush()
        clock.now += 30
    assert recorder.dropped == 5
    assert len(warnings(caplog)) == 1 and "database or disk is full" in warnings(caplog)[0]
    monkeypatch.undo()
    clock.now += 60
    recorder.pending.append(event(9))
    assert recorder.flush() == 1
    assert stored(tmp_path) == 2
    assert "recording again" in warnings(caplog)[-1]
    recorder.close()


def test_a_damaged_file_is_set_aside_and_a_new_one_begun(tmp_path, caplog):
    first = Recorder(tmp_path)
    first.pending.append(event(0))
    first.flush()
    first.close()
    [path] = process_files(tmp_path)
    path.write_bytes(b"\0garbage" * 4096)
    for side in tmp_path.glob("*-wal"):
        side.unlink()
    second = Recorder(tmp_path)
    second.pending.append(event(1))
    assert second.flush() == 1
    second.close()
    assert process_files(tmp_path) == [path] and stored(tmp_path) == 1
    assert len(list(tmp_path.glob("*.damaged-*.sqlite3"))) == 1
    assert len(warnings(caplog)) == 1 and "set aside" in warnings(caplog)[0]


def test_a_file_damaged_while_in_use_is_set_aside(tmp_path, caplog, monkeypatch):
    recorder = Recorder(tmp_path)
    recorder.pending.append(event(0))
    recorder.flush()
    monkeypatch.setattr(
        ProcessFile,
        "write",
        lambda *_: (_ for _ in ()).throw(sqlite3.DatabaseError("database disk image is malformed")),
    )
    recorder.pending.append(event(1))
    assert recorder.flush() == 0
    monkeypatch.undo()
    recorder.pending.append(event(2))
    assert recorder.flush() == 1  # at once, in a new file
    recorder.close()
    assert len(list(tmp_path.glob("*.damaged-*.sqlite3"))) == 1 and stored(tmp_path) == 1
    failure, recovery = warnings(caplog)
    assert WARNING in failure and "set aside" in failure and "recording again" in recovery


def test_recording_never_waits_for_the_disk(tmp_path, monkeypatch):
    """With every write stuck, record() still returns at once: the queue is bounded, the oldest dropped."""
    stuck, writing = threading.Event(), threading.Event()

    def blocked(self, searches, clicks):
        writing.set()
        stuck.wait(30)

    monkeypatch.setattr(ProcessFile, "write", blocked)
    recorder = Recorder(tmp_path, interval=0.01, capacity=1000)
    recorder.record(event(0))
    assert writing.wait(10)
    for n in range(5000):
        recorder.record(event(n))  # would hang here if a request waited for storage
    assert len(recorder.pending) == 1000 and recorder.dropped == 4000
    stuck.set()
    recorder.close()


def test_each_process_claims_its_own_file(tmp_path):
    recorders = [Recorder(tmp_path) for _ in range(3)]
    for n, recorder in enumerate(recorders):
        recorder.pending.append(event(n))
        recorder.flush()
    assert len(process_files(tmp_path)) == 3
    recorders[1].close()
    again = Recorder(tmp_path)  # a process started later takes the slot a dead one left
    again.pending.append(event(9))
    again.flush()
    assert len(process_files(tmp_path)) == 3 and stored(tmp_path) == 4
    for recorder in (*recorders, again):
        recorder.close()
