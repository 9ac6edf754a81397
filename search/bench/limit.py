"""How close the service comes to what the machine allows: the no-op endpoint as the limit.

Three servers on the same gunicorn layout (workers, threads, options: `search.server`),
loaded by the same client in one run:

- the service (`python -m search serve`) over the report's index;
- the no-op endpoint (`web/peers.py`): Flask doing no work, answering a body of the
  service's mean body size on this workload;
- SQLite FTS5 in Flask over the same entries (`web/peers.py`);
- with `--baseline CHECKOUT`, also the service from another checkout of the code (its
  own index, built by it), so that before and after are measured in the same rounds.

The workload is distinct queries (`workload.distinct_paths`): every round sends each
server the same lists, no list repeats across rounds or in the warm-up, and a load sends
its list in order, each path once (`run_load(once=True)`), the list being longer than
any server answers in a load. So no answer is helped by an earlier one to the same
query; only what different queries share (a word's postings, its spelling) is reused.
Each round loads every server in turn (the order rotating from round to round) at
concurrency 8 for throughput, then one request at a time for latency; the figures are
medians over rounds. The ratios are taken within each round.

    python -m search.bench.limit [--rounds 3] [--seconds 8] [--baseline DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import statistics
import tempfile
import time
from pathlib import Path

from search.bench.entry import run
from search.bench.live import HOST, LiveServer, index_to_serve
from search.bench.load import run_load
from search.bench.peers import LivePeer
from search.bench.stats import cpu_seconds, load_average, machine
from search.bench.workload import distinct_paths

DISTINCT = 1400
# More requests a second than any server answers on this layout (the no-op: ~4,500 at
# concurrency 8, ~2,000 one at a time, on two cores): a load's list never runs out.
PATHS_PER_SECOND = {8: 6000, 1: 3000}
CONCURRENCY = 8
WORKERS = 2


def mean_body_bytes(port: int, paths: list[str]) -> int:
    """Return the mean size of the bodies a server answers for some paths, one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    sizes = []
    try:
        for path in paths:
            conn.request("GET", path)
            sizes.append(len(conn.getresponse().read()))
    finally:
        conn.close()
    return round(statistics.fmean(sizes))


def load_once(server: LiveServer, paths: list[str], concurrency: int, seconds: float) -> dict:
    """Load one server; return its throughput, latency and CPU per request."""
    before = cpu_seconds(server.pids())
    result = run_load(server.port, paths, concurrency, max_requests=10**9, max_seconds=seconds, once=True)
    used = cpu_seconds(server.pids()) - before
    summary = result.summary()
    return {
        "rps": summary["rps"],
        "p50": summary["latency_ms"]["p50"],
        "p95": summary["latency_ms"]["p95"],
        "requests": summary["requests"],
        "paths": len(paths),  # each sent once at most: requests ≤ paths
        "errors": summary["errors"],
        "cpu_ms_per_request": round(1000 * used / max(1, summary["requests"]), 3),
    }


def median_of(rounds: list[dict], name: str, level: str, key: str) -> float:
    return round(statistics.median(r[name][level][key] for r in rounds), 3)


def measure_limit(
    corpus: Path,
    index: Path,
    rounds: int = 3,
    seconds: float = 8.0,
    workers: int = WORKERS,
    baseline: Path | None = None,
    say=print,
) -> dict:
    """Load the service, the no-op endpoint, FTS5 in Flask (and a baseline) in interleaved rounds."""
    busy_size, single_size = (math.ceil(seconds * PATHS_PER_SECOND[c]) for c in (CONCURRENCY, 1))
    lists = distinct_paths(DISTINCT + rounds * (busy_size + single_size))
    warm = lists[:DISTINCT]
    lifetime = 300 + rounds * 6 * (seconds + 10)
    with tempfile.TemporaryDirectory(prefix="aap-limit-") as tmp:
        servers: dict[str, LiveServer] = {}
        try:
            servers["service"] = LiveServer(corpus, index, workers=workers, lifetime=lifetime).start()
            if baseline is not None:
                say("… baseline: building its own index with its own code")
                servers["baseline"] = LiveServer(
                    corpus, Path(tmp) / "baseline-index", workers=workers, lifetime=lifetime, code=baseline
                ).start(ready_timeout=600)
            body = mean_body_bytes(servers["service"].port, warm[:300])
            servers["noop"] = LivePeer("noop", index, workers, body, lifetime).start()
            servers["fts5"] = LivePeer("fts5", index, workers, lifetime=lifetime).start()
            for server in servers.values():  # every worker's caches warm, on queries never sent again
                run_load(server.port, warm, 2 * workers, len(warm), 60)
            results = []
            names = list(servers)
            started_load = load_average()
            for n in range(rounds):
                start = DISTINCT + n * (busy_size + single_size)
                busy = lists[start : start + busy_size]
                single = lists[start + busy_size : start + busy_size + single_size]
                order = names[n % len(names) :] + names[: n % len(names)]
                row: dict = {"load_average": load_average()}
                for name in order:
                    row[name] = {
                        "c8": load_once(servers[name], busy, CONCURRENCY, seconds),
                        "c1": load_once(servers[name], single, 1, seconds),
                    }
                row["ratio_to_noop"] = round(row["service"]["c8"]["rps"] / row["noop"]["c8"]["rps"], 3)
                row["p50_to_fts5"] = round(row["service"]["c1"]["p50"] / row["fts5"]["c1"]["p50"], 3)
                results.append(row)
                say(f"… round {n + 1}: " + ", ".join(f"{k} {row[k]['c8']['rps']} req/s" for k in names)
                    + f"; ratio to no-op {row['ratio_to_noop']}, p50 to FTS5 {row['p50_to_fts5']}")  # fmt: skip
        finally:
            for server in servers.values():
                server.stop()
    summary = {
        name: {
            level: {
                key: median_of(results, name, level, key)
                for key in ("rps", "p50", "p95", "cpu_ms_per_request")
            }
            for level in ("c8", "c1")
        }
        for name in servers
    }
    return {
        "workers": workers,
        "threads": 4,
        "distinct_queries_per_round": busy_size + single_size,
        "seconds": seconds,
        "body_bytes": body,
        "load_average": {"start": started_load, "end": load_average()},
        "rounds": results,
        "median": summary,
        "ratio_to_noop": statistics.median(r["ratio_to_noop"] for r in results),
        "p50_to_fts5": statistics.median(r["p50_to_fts5"] for r in results),
        "errors": sum(
            r[name][level]["errors"] for r in results for name in servers for level in ("c8", "c1")
        ),
    }


def print_limit(report: dict) -> None:
    """Print the medians of the rounds, one row per server, and the ratios."""
    print(
        f"{'server':10} {'c8 req/s':>9} {'c8 p50':>7} {'c8 p95':>7} {'c1 p50':>7} {'c1 p95':>7} {'CPU ms/req':>10}"
    )
    for name, levels in report["median"].items():
        c8, c1 = levels["c8"], levels["c1"]
        print(f"{name:10} {c8['rps']:9.1f} {c8['p50']:7.2f} {c8['p95']:7.2f} {c1['p50']:7.2f} {c1['p95']:7.2f}"
              f" {c8['cpu_ms_per_request']:10.3f}")  # fmt: skip
    print(f"service ÷ no-op throughput at concurrency 8 (median of rounds): {report['ratio_to_noop']}")
    print(f"service ÷ FTS5 in Flask, p50 one at a time (median of rounds): {report['p50_to_fts5']}")
    load = report["load_average"]
    print(
        f"body {report['body_bytes']} bytes; errors {report['errors']}; load average {load['start']} → {load['end']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.bench.limit", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument(
        "--index", type=Path, help="an index to serve (default: one built now, in a temporary folder)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout of the code, served in the same rounds"
    )
    parser.add_argument("--out", type=Path, help="also write every figure as JSON")
    args = parser.parse_args(argv)
    with index_to_serve(args.corpus, args.index) as index:
        report = measure_limit(
            args.corpus, index, args.rounds, args.seconds, args.workers,
            args.baseline.resolve() if args.baseline else None,
        )  # fmt: skip
    report["machine"] = machine()
    report["started"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    print_limit(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    run(main)
