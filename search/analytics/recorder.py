"""Record searches and clicks without ever holding up a request.

`Recorder.record()` appends an event to a bounded in-memory queue and returns: no
I/O, no lock held while writing. A thread of the process's own wakes every
`interval` seconds, masks the batch and writes it in one transaction to the process's
file (storage.py), and once an hour rolls old rows up into daily counts (rollup.py).
When the folder cannot be written, the disk is full or a file is damaged, one warning
is logged, the events meanwhile are dropped, and the writer tries again every
`retry` seconds; searches never notice. A damaged file is set aside and a new one
begun.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from search.analytics import rollup
from search.analytics.events import ClickEvent, SearchEvent
from search.analytics.storage import Damaged, ProcessFile, set_aside

log = logging.getLogger(__name__)

DEFAULT_KEEP_DAYS = 30
INTERVAL = 1.0
CAPACITY = 20_000
RETRY_SECONDS = 60.0
ROLLUP_EVERY = 3600.0
BATCH = 5_000


class Recorder:
    """A per-process queue of events and the thread that stores them (started on first use)."""

    def __init__(
        self,
        folder: Path,
        keep_days: int = DEFAULT_KEEP_DAYS,
        interval: float = INTERVAL,
        capacity: int = CAPACITY,
        retry: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.time,
    ):
        self.folder = Path(folder)
        self.keep_days = keep_days
        self.interval = interval
        self.retry = retry
        self.clock = clock
        self.pending: deque[SearchEvent | ClickEvent] = deque(maxlen=capacity)
        self.dropped = 0  # events lost to a full queue or a broken folder
        self._store: ProcessFile | None = None
        self._failing = False
        self._retry_at = 0.0
        self._next_rollup = 0.0
        self._flushing = threading.Lock()
        self._starting = threading.Lock()
        self._stop = threading.Event()
        self._pid: int | None = None
        self._thread: threading.Thread | None = None

    def record(self, event: SearchEvent | ClickEvent) -> None:
        """Queue an event; the oldest is dropped when the queue is full. Never blocks on I/O."""
        if len(self.pending) == self.pending.maxlen:
            self.dropped += 1
        self.pending.append(event)
        if self._pid != os.getpid():  # first use in this process (a forked worker starts its own)
            self._start()

    def _start(self) -> None:
        with self._starting:
            if self._pid == os.getpid():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="search-analytics", daemon=True)
            self._thread.start()
            self._pid = os.getpid()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()
        self.flush()

    def flush(self) -> int:
        """Store what is queued (one batch per transaction); return how many events were stored."""
        with self._flushing:
            stored = 0
            while self.pending:
                batch = [self.pending.popleft() for _ in range(min(BATCH, len(self.pending)))]
                stored += self._write(batch)
            self._maybe_roll_up()
            return stored

    def _write(self, batch: list) -> int:
        store = self._open()
        if store is None:
            self.dropped += len(batch)
            return 0
        searches = [e.row() for e in batch if isinstance(e, SearchEvent)]
        clicks = [e.row() for e in batch if isinstance(e, ClickEvent)]
        try:
            store.write(searches, clicks)
        except sqlite3.DatabaseError as exc:
            self.dropped += len(batch)
            self._fail(exc, damaged=not isinstance(exc, sqlite3.OperationalError))
            return 0
        except OSError as exc:
            self.dropped += len(batch)
            self._fail(exc)
            return 0
        if self._failing:
            log.warning("search analytics: recording again in %s", store.path)
            self._failing = False
        return len(batch)

    def _open(self) -> ProcessFile | None:
        if self._store is not None:
            return self._store
        if self._failing and self.clock() < self._retry_at:
            return None
        try:
            self._store = ProcessFile.claim(self.folder)
        except (OSError, sqlite3.Error, Damaged) as exc:
            self._fail(exc)
            return None
        return self._store

    def _fail(self, exc: BaseException, damaged: bool = False) -> None:
        """Give up the file for now; warn once until recording works again."""
        store, self._store = self._store, None
        aside = None
        if store is not None:
            store.close()
            if damaged:
                with contextlib.suppress(OSError):
                    aside = set_aside(store.path)
        self._retry_at = 0.0 if aside else self.clock() + self.retry
        if not self._failing:
            where = f"; the damaged file was set aside as {aside.name}" if aside else ""
            log.warning(
                "search analytics: cannot record in %s (%s: %s)%s; searches are served as usual, "
                "and recording is tried again every %.0f s",
                self.folder, type(exc).__name__, exc, where, self.retry,
            )  # fmt: skip
        self._failing = True

    def _maybe_roll_up(self) -> None:
        now = self.clock()
        if self._store is None or now < self._next_rollup:
            return
        self._next_rollup = now + ROLLUP_EVERY
        try:
            rollup.roll_up(self.folder, self.keep_days, now)
        except (OSError, sqlite3.Error, Damaged) as exc:
            log.warning(
                "search analytics: rolling up old rows in %s failed (%s); tried again in an hour",
                self.folder,
                exc,
            )

    def close(self, timeout: float = 5.0) -> None:
        """Store what is queued and stop the thread (at exit); give up after `timeout` seconds."""
        self._stop.set()
        thread = self._thread
        if thread is not None and self._pid == os.getpid():
            thread.join(timeout)  # the thread stores what is left as it stops
        if not self._flushing.acquire(timeout=timeout):
            return
        try:
            if self._store is not None:
                self._store.close()
                self._store = None
        finally:
            self._flushing.release()
