"""The served index: one open build per process, held by each request that uses it.

As flaskr's `db.py` owns its database connection, this module owns the index's life:
`get_index()` hands the current build to a request (once per request, kept on `g`),
`release_index()` lets go of it when the request ends, `init_app()` registers both.
The `IndexHolder` behind them swaps in a new build without dropping requests in flight.

A served build is a few hundred thousand Python objects that live as long as it does
(with the web app, about 280,000 on the report; 390,000 for a build of 100,000
entries, whose postings and texts are arrays). Python's cyclic garbage collector walks
all of them in every full collection, holding every thread of the worker: 35–80 ms on
the report, 140 ms at 100,000 entries, once every few thousand requests. A holder made
with `freeze` (the server's: `AAP_FREEZE_GC=1`) takes them out of the collector's
sight (`gc.freeze`) once a build is open, and gives them back when one is closed, so
that it can be freed.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, g

from search.errors import IndexMissing
from search.index.layout import read_current
from search.query.backend import SearchBackend
from search.query.searcher import SearchIndex

log = logging.getLogger(__name__)

CHECK_INTERVAL = 1.0
# A build that failed to open is tried again this often even if CURRENT still names it.
RETRY_INTERVAL = 10.0


class IndexHolder:
    """Hand out the index that index/CURRENT names, reopening it when CURRENT changes.

    Requests `acquire()` the index and `release()` it when done. Reading CURRENT (one
    small file) happens at most once per `interval` seconds; when it names a new build,
    the request that noticed opens it, outside the lock, while every other request
    goes on with the build being served; then later requests get the new index, the
    requests still holding the old one finish on it, and the old one is closed when
    the last of them releases it. A build that cannot be opened leaves the previous
    one serving; with none, requests wait for a build being opened, and `acquire()`
    raises IndexMissing until a usable build appears.
    """

    def __init__(
        self,
        index_dir: Path,
        interval: float = CHECK_INTERVAL,
        opener: Callable[[Path], SearchIndex] = SearchIndex.open,
        clock: Callable[[], float] = time.monotonic,
        freeze: bool = False,
    ):
        self.index_dir = Path(index_dir)
        self.interval = interval
        self.opener = opener
        self.clock = clock
        self._lock = threading.Lock()
        self._opened = threading.Condition(self._lock)
        self._opening = False
        self._index: SearchIndex | None = None
        self._pointer: str | None = None
        self._checked = float("-inf")
        self._failure: tuple[str | None, float, IndexMissing] | None = None
        self._users: dict[int, int] = {}
        self._retired: dict[int, SearchIndex] = {}
        self.freeze = freeze
        self._unsettled = freeze  # builds opened or closed since objects were last frozen
        self._closed: list[weakref.ref] = []  # closed builds not known to be freed
        self._settling = threading.Lock()
        self._settle_after = float("-inf")

    def read_pointer(self) -> str | None:
        """Return the build name CURRENT holds, or None when there is none or it is unreadable."""
        return read_current(self.index_dir)

    def acquire(self) -> SearchIndex:
        """Return the index to serve a request with; pair with release()."""
        with self._lock:
            now = self.clock()
            opening, pointer = self._build_to_open(now)
            self._opening = self._opening or opening
        if opening:
            self._open(pointer, now)
        with self._lock:
            while self._index is None and self._opening:
                self._opened.wait()  # nothing to serve yet: wait for the build being opened
            if self._index is None:
                assert self._failure is not None
                raise self._failure[2]
            index = self._index
            self._users[id(index)] = self._users.get(id(index), 0) + 1
        if self._unsettled:
            self._settle()
        return index

    def release(self, index: SearchIndex) -> None:
        """Say a request is done with an index; close it if it was retired and now unused."""
        with self._lock:
            key = id(index)
            self._users[key] = self._users.get(key, 1) - 1
            if self._users[key] <= 0:
                del self._users[key]
                retired = self._retired.pop(key, None)
                if retired is not None:
                    self._close(retired)

    def _settle(self) -> None:
        """Freeze the served builds' objects, once every closed build has been freed."""
        if not self._settling.acquire(blocking=False):
            return  # another request is at it
        try:
            now = self.clock()
            with self._lock:
                if not self._unsettled or (self._closed and now < self._settle_after):
                    return
                collect = bool(self._closed)
            if collect:
                gc.collect()  # frees a closed build that nothing refers to any more (outside the lock)
            with self._lock:  # a build closed meanwhile is seen here, before anything is frozen
                self._closed = [ref for ref in self._closed if ref() is not None]
                if self._closed:
                    self._settle_after = now + self.interval
                    return
                gc.freeze()
                self._unsettled = False
        finally:
            self._settling.release()

    def _build_to_open(self, now: float) -> tuple[bool, str | None]:
        """Tell (under the lock) whether this request should open the build CURRENT names, and which."""
        if self._opening or (self._index is not None and now - self._checked < self.interval):
            return False, None
        self._checked = now
        pointer = self.read_pointer()
        if self._index is not None and pointer == self._pointer:
            return False, None
        if self._failure and self._failure[0] == pointer and now - self._failure[1] < RETRY_INTERVAL:
            return False, None
        return True, pointer

    def _open(self, pointer: str | None, now: float) -> None:
        """Open the build CURRENT names, outside the lock, then swap it in (or note the failure)."""
        fresh, failure = None, None
        try:
            fresh = self.opener(self.index_dir)
        except Exception as exc:  # a build that fails to open, for any reason, is not usable
            if not isinstance(exc, IndexMissing):
                log.exception("opening the index in %s failed", self.index_dir)
                exc = IndexMissing(f"the index in {self.index_dir} cannot be opened ({type(exc).__name__})")
            failure = exc
        with self._lock:
            self._opening = False
            self._opened.notify_all()
            if fresh is not None:
                self._swap(fresh, pointer)
                return
            assert failure is not None
            self._failure = (pointer, now, failure)
            if self._index is not None:
                log.error("keeping build %s: the new one cannot be opened: %s", self._index.name, failure)
            else:
                log.error("no usable index: %s", failure)

    def _swap(self, fresh: SearchIndex, pointer: str | None) -> None:
        """Serve a newly opened build (under the lock); retire the old one, closing it once unused."""
        self._failure = None
        self._unsettled = self.freeze
        old, self._index, self._pointer = self._index, fresh, pointer
        if old is not None:
            log.warning("now serving index build %s (was %s)", fresh.name, old.name)
            if self._users.get(id(old)):
                self._retired[id(old)] = old
            else:
                self._close(old)

    def _close(self, index: SearchIndex) -> None:
        try:
            index.close()
        except Exception:  # a failure to close must not fail the request that released it
            log.exception("closing index build %s failed", index.name)
        if self.freeze:
            gc.unfreeze()  # the closed build's objects can be collected again
            self._closed.append(weakref.ref(index))
            self._unsettled = True

    def close(self) -> None:
        """Close the current index (at process exit or in tests)."""
        with self._lock:
            if self._index is not None:
                self._close(self._index)
            self._index, self._pointer = None, None


EXTENSION = "aap_index"


def get_index() -> SearchBackend:
    """Return the backend this request holds, acquiring it on first use."""
    if "index" not in g:
        g.index = current_app.extensions[EXTENSION].acquire()
    return g.index


def release_index(_exc: BaseException | None = None) -> None:
    """Let go of the request's index, so that a retired build can close."""
    index = g.pop("index", None)
    if index is not None:
        current_app.extensions[EXTENSION].release(index)


def init_app(app: Flask) -> None:
    """Give the app an index holder over INDEX_DIR and release the index after each request.

    The index is opened by the first request that needs it, so a missing or broken
    index gives 503 answers instead of a worker that fails to boot and is restarted
    in a loop.
    """
    app.extensions[EXTENSION] = IndexHolder(
        Path(app.config["INDEX_DIR"]), app.config["INDEX_CHECK_INTERVAL"], freeze=app.config["FREEZE_GC"]
    )
    app.teardown_request(release_index)
