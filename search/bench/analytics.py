"""`python -m search.bench.analytics`: what recording searches and clicks costs in throughput.

Two real servers over one index, each with the same workers: one recording into a
temporary analytics folder, one with `--no-analytics`. Rounds of a fixed length at
one concurrency (8 by default) alternate between them, the first of each pair
alternating too, so a shared machine's noise falls on both alike. Two figures: the
cost of the medians, 1 − (median requests/s recording) / (median requests/s not), and
the median of each round's pair, 1 − on/off for two runs a few seconds apart, which a
load that drifts over the run moves less. When other work shares the machine, both
swing with it; the figure it moves least is the servers' own CPU time per request
(user and system, every thread of the master and its workers, the writer's included),
which bounds what a machine to itself would serve: its cost is on/off − 1. The requests are
the benchmark's searches through the API, search pages, and entry pages opened from
a result, so both searches and clicks are recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search.bench.live import LiveServer
from search.bench.load import run_load
from search.bench.stats import cpu_seconds
from search.bench.workload import QUERIES, api_path, requests

TARGET_COST = 0.05


def paths() -> list[str]:
    """Return the requests of one pass: API searches, search pages and results opened."""
    api = [api_path(params) for _, params in requests()]
    pages = [api_path(params).replace("/api/search?", "/?") for _, params in requests()[::4]]
    clicks = [
        f"/entries/para-4.10?q={text.replace(' ', '+')}&rank={n % 10 + 1}"
        for n, (_, text) in enumerate(QUERIES)
    ]
    return api + pages + clicks[::3]


def measure_recorder(events: int = 20_000) -> dict:
    """Return the microseconds per event of the request path's part (queueing) and the writer's (mask, insert)."""
    from search.analytics import Recorder, SearchEvent

    made = [
        SearchEvent(
            at=time.time(),
            query=f"{text} call 07700 900{n % 1000:03d}",
            filters={"area": ("wessex",)},
            total=n,
        )
        for n, (_, text) in enumerate(QUERIES * (events // len(QUERIES) + 1))
    ][:events]
    with tempfile.TemporaryDirectory(prefix="aap-analytics-bench-") as tmp:
        # A thread that sleeps for an hour: the flush below is timed by itself, claiming the file included.
        recorder = Recorder(Path(tmp), capacity=events, interval=3600)
        started = time.perf_counter()
        for event in made:
            recorder.record(event)
        queued = time.perf_counter() - started
        started = time.perf_counter()
        stored = recorder.flush()
        written = time.perf_counter() - started
        recorder.close()
    return {
        "events": stored,
        "queue_us_per_event": round(1e6 * queued / events, 2),
        "write_us_per_event": round(1e6 * written / events, 2),
    }


def measure(
    corpus: Path, index: Path, rounds: int = 7, seconds: float = 8.0, concurrency: int = 8, workers: int = 2
) -> dict:
    """Return each round's requests/s with analytics on and off, their medians and the cost."""
    work = paths()
    runs: dict[str, list[float]] = {"on": [], "off": []}
    cpu_ms: dict[str, list[float]] = {"on": [], "off": []}
    errors = {"on": 0, "off": 0}
    with tempfile.TemporaryDirectory(prefix="aap-analytics-bench-") as tmp:
        folder = Path(tmp) / "analytics"
        lifetime = 120 + 2 * rounds * (seconds + 10)
        servers = {
            "on": LiveServer(
                corpus, index, workers, lifetime, serve_options=("--no-build", "--analytics-dir", str(folder))
            ),
            "off": LiveServer(
                corpus, index, workers, lifetime, serve_options=("--no-build", "--no-analytics")
            ),
        }
        try:
            for server in servers.values():
                server.start()
                run_load(server.port, work, 2 * workers, 2 * len(work), 30)  # warm every worker
            for n in range(rounds):
                for mode in ("on", "off") if n % 2 == 0 else ("off", "on"):
                    pids = servers[mode].pids()
                    before = cpu_seconds(pids)
                    load = run_load(servers[mode].port, work, concurrency, 10**7, seconds)
                    used = cpu_seconds(pids) - before
                    runs[mode].append(round(load.throughput, 1))
                    cpu_ms[mode].append(round(1000 * used / max(load.requests, 1), 3))
                    errors[mode] += load.errors
            time.sleep(2.5)  # the last batch written
        finally:
            for server in servers.values():
                server.stop()
        from search.analytics.report import build_report

        recorded = build_report(folder, None, time.time())
    on, off = statistics.median(runs["on"]), statistics.median(runs["off"])
    pairs = [1 - a / b for a, b in zip(runs["on"], runs["off"], strict=True) if b]
    return {
        "concurrency": concurrency,
        "workers": workers,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "rps": runs,
        "errors": errors,
        "median_rps": {"on": on, "off": off},
        "cost": round(1 - on / off, 4) if off else None,
        "paired_cost": round(statistics.median(pairs), 4) if pairs else None,
        "cpu_ms_per_request": cpu_ms,
        "median_cpu_ms_per_request": {m: statistics.median(v) for m, v in cpu_ms.items()},
        "cpu_cost": round(statistics.median(cpu_ms["on"]) / statistics.median(cpu_ms["off"]) - 1, 4)
        if statistics.median(cpu_ms["off"])
        else None,
        "recorded": {"searches": recorded["searches"] + recorded["browses"], "clicks": recorded["clicks"]},
    }


def main(argv: list[str] | None = None) -> int:
    """Print the rounds, the medians and the cost (and write JSON with --out)."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.analytics", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--corpus", default=os.environ.get("AAP_CORPUS_DIR", "corpus"), help="corpus folder")
    parser.add_argument("--index", default=os.environ.get("AAP_INDEX_DIR", "index"), help="index folder")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of each (default 7)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of a round (default 8 s)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="workers of each server (default 2)")
    parser.add_argument("--out", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    if min(args.rounds, args.concurrency, args.workers) < 1 or args.seconds <= 0:
        parser.error("--rounds, --seconds, --concurrency and --workers must be positive")
    if not (Path(args.index) / "CURRENT").is_file():
        print(f"error: no index in {args.index}; run `python -m search build` first", file=sys.stderr)
        return 1
    figures = measure(
        Path(args.corpus), Path(args.index), args.rounds, args.seconds, args.concurrency, args.workers
    )
    figures["recorder"] = measure_recorder()
    print(f"requests/s at concurrency {figures['concurrency']}, {figures['workers']} workers, "
          f"{figures['rounds']} interleaved rounds of {figures['seconds_per_round']:g} s")  # fmt: skip
    for mode, label in (("on", "analytics on"), ("off", "--no-analytics")):
        rounds = " ".join(f"{r:7.1f}" for r in figures["rps"][mode])
        print(
            f"{label:15} median {figures['median_rps'][mode]:7.1f}   rounds {rounds}   errors {figures['errors'][mode]}"
        )
    for mode, label in (("on", "analytics on"), ("off", "--no-analytics")):
        rounds = " ".join(f"{r:7.3f}" for r in figures["cpu_ms_per_request"][mode])
        median = figures["median_cpu_ms_per_request"][mode]
        print(f"{label:15} CPU ms/request median {median:6.3f}   rounds {rounds}")
    cost, paired, cpu = figures["cost"], figures["paired_cost"], figures["cpu_cost"]
    if None in (cost, paired, cpu):
        print("cost of recording: not measured (the server without analytics answered nothing)")
    else:
        verdict = "met" if cpu <= TARGET_COST else "NOT met"
        print(
            f"cost of recording: {cpu:+.1%} CPU time per request (target ≤ {TARGET_COST:.0%}: {verdict}); "
            f"throughput {cost:+.1%} by the medians, {paired:+.1%} by the rounds' pairs"
        )
    print(f"recorded {figures['recorded']['searches']} searches and {figures['recorded']['clicks']} clicks")
    recorder = figures["recorder"]
    print(
        f"in process: {recorder['queue_us_per_event']} µs an event on the request path, "
        f"{recorder['write_us_per_event']} µs in the writer (masking, one transaction of {recorder['events']:,})"
    )
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
