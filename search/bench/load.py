"""A bounded HTTP load generator: threads, each with one keep-alive connection.

Every run stops at `max_requests` or `max_seconds`, whichever comes first, and only
ever talks to 127.0.0.1. A request counts as an error when it fails at the socket
or answers with a status the caller did not expect (by default anything but 200).

With `sources` (loopback addresses, 127.0.0.0/8), each connection comes from one of
them and moves to the next after `per_source` requests, as many readers behind
their own addresses would: a proxy that limits requests per address then sees
each of them send a few at a time, not one client send them all.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from search.bench.stats import summarise

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    """What one load run saw."""

    concurrency: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        """Return the figures the benchmark reports."""
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(self.throughput, 1),
            "latency_ms": summarise(self.latencies_ms),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "first_failures": self.failures[:5],
        }


def run_load(
    port: int,
    paths: list[str],
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    ok_statuses: frozenset[int] = frozenset({200}),
    timeout: float = 30.0,
    stop: threading.Event | None = None,
    sources: Sequence[str] = (),
    per_source: int = 20,
    once: bool = False,
) -> LoadResult:
    """Send GET requests for `paths` (cycled) from `concurrency` threads; return the tally.

    With `once`, each path is sent once, in order, and the run ends when all have been
    (or a bound is reached first): no answer can be helped by an earlier one to the same
    path. `stop`, when given and set, ends the run early (the bounds still hold).
    """
    if once:
        max_requests = min(max_requests, len(paths))
    result = LoadResult(concurrency)
    lock = threading.Lock()
    tickets = itertools.count()
    addresses = itertools.cycle(sources)
    started = time.perf_counter()
    deadline = started + max_seconds

    def connect() -> http.client.HTTPConnection:
        if not sources:
            return http.client.HTTPConnection(HOST, port, timeout=timeout)
        with lock:
            source = next(addresses)
        return http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=(source, 0))

    def worker(offset: int) -> None:
        conn = connect()
        done = 0  # requests on this connection's address
        try:
            while time.perf_counter() < deadline and not (stop is not None and stop.is_set()):
                n = next(tickets)
                if n >= max_requests:
                    return
                if sources and done == per_source:
                    conn.close()
                    conn, done = connect(), 0
                done += 1
                path = paths[n] if once else paths[(n + offset) % len(paths)]
                sent = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    status, failure = response.status, None
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                except (OSError, http.client.HTTPException) as exc:
                    status, failure = 0, f"{path}: {type(exc).__name__}: {exc}"
                    conn.close()
                elapsed = (time.perf_counter() - sent) * 1000
                with lock:
                    result.requests += 1
                    result.latencies_ms.append(elapsed)
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    if status not in ok_statuses:
                        result.errors += 1
                        result.failures.append(failure or f"{path}: HTTP {status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i * 7,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + timeout + 5)
    result.seconds = time.perf_counter() - started
    return result
