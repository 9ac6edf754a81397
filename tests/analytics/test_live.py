"""The real server, killed mid-batch and starved of disk, keeps its analytics files whole.

A worker of `python -m search serve` (gunicorn) is stopped at random moments under
load until it is caught inside a batch's transaction — another connection cannot
take the file's write lock — and then killed with SIGKILL, as a crash would. The
files it leaves are copied before anything else opens them: SQLite's recovery must
find them whole, with every committed batch. Then a worker whose file may not grow
(RLIMIT_FSIZE, the kernel's "file too large", as a full disk) must serve on, with one
warning in the log.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from search.analytics.report import build_report
from search.analytics.storage import process_files
from search.bench.live import LiveServer
from search.bench.load import run_load
from search.bench.workload import api_path, requests
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

LIMIT = 128 * 1024
PATHS = [api_path(params) for _, params in requests()] + [
    "/?q=victim+letters",
    "/entries/para-4.10?q=iqa&rank=2",
]


def open_file(pid: int, folder: Path) -> Path | None:
    """Return the analytics file a process has open, if any."""
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.parent == folder and target.suffix == ".sqlite3" and target.name != "daily.sqlite3":
            return target
    return None


def stopped(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("T", "t")


def writing(path: Path) -> bool:
    """Return True when another connection holds the file's write lock (a batch is being written)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def integrity(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0], conn.execute(
            "SELECT count(*) FROM searches"
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def server(index_dir, tmp_path):
    folder = tmp_path / "analytics"
    live = LiveServer(
        CORPUS, index_dir, workers=2, lifetime=300, log=tmp_path / "server.log",
        serve_options=("--no-build", "--analytics-dir", str(folder)),
    )  # fmt: skip
    with live:
        yield live, folder


def test_a_worker_killed_mid_batch_leaves_no_file_corrupt(server, tmp_path):
    live, folder = server
    stop = threading.Event()
    loader = threading.Thread(target=run_load, args=(live.port, PATHS, 8, 10**6, 120), kwargs={"stop": stop})
    loader.start()
    # Past each worker's first batches (its file's schema, the roll-up every worker tries when
    # it starts, which writes to the others' files too): from now on, only a file's own
    # worker writes to it.
    time.sleep(4)
    try:
        caught = None
        deadline = time.monotonic() + 90
        while caught is None and time.monotonic() < deadline:
            for pid in live.pids()[1:]:
                path = open_file(pid, folder)
                if path is None:
                    continue
                os.kill(pid, signal.SIGSTOP)
                while not stopped(pid):
                    time.sleep(0.0001)
                if writing(path):
                    os.kill(pid, signal.SIGKILL)
                    caught = (pid, path)
                    break
                os.kill(pid, signal.SIGCONT)
            time.sleep(random.uniform(0, 0.004))
        assert caught, "never caught a worker inside a batch"
        pid, path = caught
        wal = path.with_name(path.name + "-wal")
        copy = tmp_path / "left" / path.name
        copy.parent.mkdir()
        shutil.copy(path, copy)
        if wal.exists():
            shutil.copy(wal, copy.with_name(copy.name + "-wal"))
        status, searches = integrity(copy)
        assert status == "ok" and searches > 0
        time.sleep(3)  # the master starts a new worker; it serves and records on
    finally:
        stop.set()
        loader.join(60)
    assert live.get("/api/search?q=after+the+kill")[0] == 200
    time.sleep(2.5)
    live.stop()
    for each in process_files(folder):
        assert integrity(each)[0] == "ok", each
    report = build_report(folder, None, time.time())
    assert report["files"]["skipped"] == [] and report["searches"] > searches
    assert {"query": "after the kill", "count": 1} in report["top_queries"] or report["top_queries"]


def test_a_full_disk_logs_one_warning_and_serves_on(server, tmp_path):
    live, folder = server
    # No file of the workers' may grow past 128 KiB: their analytics files soon reach it (the
    # log they write their warning to stays far smaller).
    for pid in live.pids()[1:]:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (LIMIT, LIMIT))
    load = run_load(live.port, PATHS, 8, 6000, 60)
    assert load.errors == 0 and load.requests == 6000
    time.sleep(2.5)
    assert max(p.stat().st_size for p in folder.glob("*.sqlite3*")) <= LIMIT
    log = (tmp_path / "server.log").read_text()
    warnings = [line for line in log.splitlines() if "search analytics: cannot record" in line]
    assert 1 <= len(warnings) <= 2, log[-3000:]  # one per worker, however many batches failed
    assert all("disk is full" in w or "disk I/O error" in w for w in warnings), warnings
