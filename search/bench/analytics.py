"""`python -m search.bench.analytics`: what recording searches and clicks costs in throughput.

Two real servers over one index, each with the same workers: one recording into a
temporary analytics folder, one with `--no-analytics`. Rounds of a fixed length at
one concurrency (8 by default) alternate between them, the first of each pair
alternating too, so a shared machine's noise falls on both alike; the figure is the
cost of the medians, 1 − (requests/s recording) / (requests/s not). The requests are
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


def measure(
    corpus: Path, index: Path, rounds: int = 7, seconds: float = 8.0, concurrency: int = 8, workers: int = 2
) -> dict:
    """Return each round's requests/s with analytics on and off, their medians and the cost."""
    work = paths()
    runs: dict[str, list[float]] = {"on": [], "off": []}
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
                    load = run_load(servers[mode].port, work, concurrency, 10**7, seconds)
                    runs[mode].append(round(load.throughput, 1))
                    errors[mode] += load.errors
            time.sleep(2.5)  # the last batch written
        finally:
            for server in servers.values():
                server.stop()
        from search.analytics.report import build_report

        recorded = build_report(folder, None, time.time())
    on, off = statistics.median(runs["on"]), statistics.median(runs["off"])
    return {
        "concurrency": concurrency,
        "workers": workers,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "rps": runs,
        "errors": errors,
        "median_rps": {"on": on, "off": off},
        "cost": round(1 - on / off, 4) if off else None,
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
    print(f"requests/s at concurrency {figures['concurrency']}, {figures['workers']} workers, "
          f"{figures['rounds']} interleaved rounds of {figures['seconds_per_round']:g} s")  # fmt: skip
    for mode, label in (("on", "analytics on"), ("off", "--no-analytics")):
        rounds = " ".join(f"{r:7.1f}" for r in figures["rps"][mode])
        print(
            f"{label:15} median {figures['median_rps'][mode]:7.1f}   rounds {rounds}   errors {figures['errors'][mode]}"
        )
    cost = figures["cost"]
    if cost is None:
        print("cost of recording: not measured (the server without analytics answered nothing)")
    else:
        verdict = "met" if cost <= TARGET_COST else "NOT met"
        print(f"cost of recording: {cost:.1%} of throughput (target ≤ {TARGET_COST:.0%}: {verdict})")
    print(f"recorded {figures['recorded']['searches']} searches and {figures['recorded']['clicks']} clicks")
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
