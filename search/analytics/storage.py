"""The analytics folder: one SQLite file per server process, and the daily counts beside them.

A process claims a slot, `<host>-<n>.sqlite3`, by holding an exclusive lock on
`<host>-<n>.lock` for as long as it lives; the kernel drops the lock when the process
dies, however it dies, and the next process to start takes the slot and its file
over. So no two processes ever write one file (replicas behind nginx never contend),
and the folder holds as many files as processes ever ran at once, not one per process
ever started. Files are in WAL mode and each batch is one transaction: a process
killed mid-batch leaves the batches before it whole and no trace of the one it was
writing. `daily.sqlite3` holds the counts that old rows were rolled up into (see
rollup.py); only the holder of `rollup.lock` writes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import socket
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)

DAILY = "daily.sqlite3"
ROLLUP_LOCK = "rollup.lock"
SUFFIX = ".sqlite3"
SCHEMA_VERSION = 1
# Waits for another connection's write (a roll-up deleting old rows) off the request path.
BUSY_SECONDS = 5.0

SEARCH_COLUMNS = (
    "at", "query", "filters", "page", "sort", "total", "corrected_query", "suggested_query",
    "answered", "took_ms", "source", "previous_query",
)  # fmt: skip
CLICK_COLUMNS = ("at", "query", "entry_id", "rank")
PROCESS_SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    at REAL NOT NULL,              -- seconds since the epoch (UTC)
    query TEXT NOT NULL,           -- case-folded, whitespace collapsed, personal data masked
    filters TEXT NOT NULL,         -- JSON object of the facet values selected (masked)
    page INTEGER NOT NULL,
    sort TEXT NOT NULL,
    total INTEGER NOT NULL,
    corrected_query TEXT,          -- the correction applied, if any
    suggested_query TEXT,          -- the correction offered, if any
    answered INTEGER NOT NULL,     -- 1 when an answer was shown above the results
    took_ms REAL NOT NULL,
    source TEXT NOT NULL,          -- 'page' or 'api'
    previous_query TEXT            -- the results page this search was typed on (Referer), if another
);
CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
CREATE TABLE IF NOT EXISTS clicks (
    at REAL NOT NULL,
    query TEXT NOT NULL,           -- the search the entry was opened from
    entry_id TEXT NOT NULL,
    rank INTEGER                   -- its place in that search's results, from 1
);
CREATE INDEX IF NOT EXISTS clicks_at ON clicks (at);
"""
DAILY_SCHEMA = """
CREATE TABLE IF NOT EXISTS tallies (
    day TEXT NOT NULL,             -- YYYY-MM-DD (UTC)
    figure TEXT NOT NULL,          -- searches, zero, with_results, answered, clicks, ...
    query TEXT NOT NULL,
    detail TEXT NOT NULL,          -- a correction or a refinement's new query, else ''
    count INTEGER NOT NULL,
    PRIMARY KEY (day, figure, query, detail)
);
CREATE TABLE IF NOT EXISTS rolled (day TEXT PRIMARY KEY);
"""
HOST_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


class Damaged(Exception):
    """An analytics file that SQLite cannot read as a database."""


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """Open (creating) a database in WAL mode with the schema; raise Damaged if it is not one."""
    # The writer thread uses it, and close() at exit may come from another thread: the
    # recorder's lock keeps them apart.
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect only in a new file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise Damaged(f"{path} failed SQLite's quick check")
        # One script, one transaction (executescript commits whatever is pending first).
        conn.executescript(f"BEGIN IMMEDIATE;\n{schema}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.rollback()
        conn.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise
        raise Damaged(f"{path}: {exc}") from exc
    except Damaged:
        conn.close()
        raise
    return conn


class transaction:
    """`with transaction(conn):` one BEGIN IMMEDIATE … COMMIT, rolled back on any error."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")


def host_name() -> str:
    """Return this machine's name as it may stand in a file name."""
    return HOST_UNSAFE.sub("-", socket.gethostname()).strip("-.") or "host"


def process_files(folder: Path) -> list[Path]:
    """Return every process file in the folder (not the daily counts nor set-aside files)."""
    return sorted(p for p in Path(folder).glob(f"*{SUFFIX}") if p.name != DAILY and ".damaged" not in p.name)


def try_lock(path: Path) -> int | None:
    """Take an exclusive lock on a lock file without waiting; return its descriptor, or None if held."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:
        os.close(fd)
        raise
    return fd


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor drops the lock


class ProcessFile:
    """This process's own file of searches and clicks; its lock is held until close()."""

    def __init__(self, path: Path, lock_fd: int, conn: sqlite3.Connection):
        self.path, self._lock_fd, self.conn = path, lock_fd, conn

    @classmethod
    def claim(cls, folder: Path) -> ProcessFile:
        """Take the first free slot in the folder (creating it); raise OSError, sqlite3.Error or Damaged."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        host = host_name()
        for n in range(1, 10_000):
            fd = try_lock(folder / f"{host}-{n}.lock")
            if fd is None:
                continue
            path = folder / f"{host}-{n}{SUFFIX}"
            try:
                return cls(path, fd, connect(path, PROCESS_SCHEMA))
            except Damaged as exc:
                aside = set_aside(path)  # the slot is ours: its damaged file goes aside, a new one begins
                log.warning(
                    "search analytics: %s; set aside as %s, recording goes on in a new file", exc, aside.name
                )
                try:
                    return cls(path, fd, connect(path, PROCESS_SCHEMA))
                except BaseException:
                    unlock(fd)
                    raise
            except BaseException:
                unlock(fd)
                raise
        raise OSError(f"no free analytics slot in {folder}")

    def write(self, searches: list[tuple], clicks: list[tuple]) -> None:
        """Write one batch of rows (in SEARCH_COLUMNS and CLICK_COLUMNS order) as one transaction."""
        with transaction(self.conn) as conn:
            if searches:
                conn.executemany(insert_sql("searches", SEARCH_COLUMNS), searches)
            if clicks:
                conn.executemany(insert_sql("clicks", CLICK_COLUMNS), clicks)

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            unlock(self._lock_fd)
            self._lock_fd = None


def insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def set_aside(path: Path) -> Path:
    """Rename a damaged file (and its WAL) out of the way, keeping it for a post-mortem; return its new name."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{SUFFIX}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    path.rename(aside)
    return aside


def open_daily(folder: Path) -> sqlite3.Connection:
    """Open (creating) the daily counts; only the holder of the roll-up lock writes them."""
    return connect(Path(folder) / DAILY, DAILY_SCHEMA)


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open a file for reading only; raise sqlite3.Error when it cannot be read."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def delete_before(path: Path, cutoff: float) -> int:
    """Delete a process file's rows older than `cutoff` (they were rolled up); return how many."""
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        with transaction(conn):
            deleted = conn.execute("DELETE FROM searches WHERE at < ?", (cutoff,)).rowcount
            deleted += conn.execute("DELETE FROM clicks WHERE at < ?", (cutoff,)).rowcount
        conn.execute("PRAGMA incremental_vacuum")  # hand the freed pages back to the file system
        return deleted
    finally:
        conn.close()
