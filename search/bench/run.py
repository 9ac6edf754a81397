"""`python -m search bench`: speed, memory and scale, measured in one run, printed as a table.

Sections (medians and p95 over repeated passes of the fixed query set in
search/bench/workload.py):

1. build — ingest the corpus and build an index (into a temporary folder);
2. in-process — SearchIndex.search + result_to_json, the whole /api/search work, and
   the /api/suggest work for every prefix of the queries as typed;
3. FTS5 peer — the same requests answered by SQLite FTS5 over the same entries;
4. HTTP — the real server (gunicorn gthread) at concurrency 1, 8 and 32, with its memory;
5. limit — the service against a no-op Flask endpoint (same layout, same body size) and
   FTS5 in Flask, on distinct queries, in interleaved rounds (`search.bench.limit`);
6. scale (`--sizes 10000,100000`) — synthetic corpora: build, index size, memory, search.

`--quick` runs a short version of 1–4 (the test suite's smoke test); `--out FILE`
also writes every figure as JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from search.bench import limit, scale, serving
from search.bench.fts5 import Fts5Peer
from search.bench.stats import machine, summarise, tree_size
from search.bench.workload import requests
from search.index.build import build_index
from search.index.layout import current_build
from search.ingest.catalogue import ingest
from search.progress import Progress, silent, terminal_progress

TARGETS = {
    "in-process p95 (ms)": 5.0,
    "in-process suggest p95 (ms)": 2.0,
    "HTTP p95 at concurrency 8 (ms)": 15.0,
    "sustained requests/s, zero errors": 300.0,
    "100k build (s)": 90.0,
    "100k search p95 (ms)": 150.0,
    "throughput ÷ no-op endpoint's": 0.5,
    "p50 one at a time ÷ FTS5 in Flask's": 0.8,
}
WORKER_CHOICES = (1, 2, 3, 4)
DEFAULT_WORKERS = 2


def run_bench(args) -> int:
    """Run the benchmark and print its table; write JSON with --out."""
    quick = bool(getattr(args, "quick", False))
    corpus = Path(getattr(args, "corpus", None) or os.environ.get("AAP_CORPUS_DIR", "corpus"))
    sizes = [int(s) for s in (getattr(args, "sizes", "") or "").replace(" ", "").split(",") if s]
    workdir = Path(os.environ.get("AAP_BENCH_DIR", "bench-out"))
    report: dict = {"machine": machine(), "quick": quick, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    progress = terminal_progress(bool(getattr(args, "quiet", False)))
    with tempfile.TemporaryDirectory(prefix="aap-bench-") as tmp:
        index = Path(tmp) / "index"
        report["build"] = measure_build(corpus, index, runs=1 if quick else 3, progress=progress)
        step("in-process search (in a fresh process, as a server worker would be)")
        progress("in-process search and suggestions", 0, 1)
        report["inprocess"] = measure_inprocess(index, repeat=2 if quick else 20)
        progress("in-process search and suggestions", 1, 1)
        step("FTS5 peer")
        report["fts5"] = measure_fts5(index, passes=3 if quick else 21, progress=progress)
        report["ratio"] = ratio(report["inprocess"]["warm"], report["fts5"]["warm"])
        report["http"] = measure_http(corpus, index, quick, progress)
        step("limit: the service, a no-op endpoint and FTS5 in Flask, distinct queries, interleaved rounds")
        progress("limit rounds", 0, 1)
        report["limit"] = limit.measure_limit(
            corpus, index, rounds=1 if quick else 3, seconds=2.0 if quick else 8.0, say=step
        )
        progress("limit rounds", 1, 1)
    if sizes:
        workdir.mkdir(parents=True, exist_ok=True)
        report["scale"] = []
        for n, size in enumerate(sizes):
            step(f"scale: {size} entries (corpus and index under {workdir})")
            progress("scale: synthetic corpora", n, len(sizes))
            report["scale"].append(scale.measure_size(size, corpus, workdir, repeat=2 if quick else 10))
            progress("scale: synthetic corpora", n + 1, len(sizes))
    progress.close()
    report["machine"]["loadavg_end"] = machine()["loadavg"]
    report["targets"] = check_targets(report)
    print_report(report)
    if getattr(args, "out", None):
        Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
        print(f"\nWrote {args.out}")
    return 0


def step(message: str) -> None:
    print(f"… {message}", flush=True)


def measure_build(corpus: Path, index: Path, runs: int, progress: Progress = silent) -> dict:
    """Ingest and build `runs` times (the last build stays for the other sections)."""
    step(f"build ({runs}×)")
    timings = []
    for n in range(runs):
        progress("build", n, runs)
        started = time.perf_counter()
        build_index(corpus, index, ingest(corpus))
        timings.append((time.perf_counter() - started) * 1000)
    progress("build", runs, runs)
    build = current_build(index)
    meta = json.loads((build / "meta.json").read_text(encoding="utf-8"))
    return {"entries": meta["entries"], "ms": summarise(timings), "index_kib": round(tree_size(build) / 1024)}


def measure_inprocess(index: Path, repeat: int) -> dict:
    """Time SearchIndex.search + result_to_json in a child process holding only the index."""
    _, _, out = scale.run_child(
        ["search.bench.inprocess", "--index", str(index), "--repeat", str(repeat)], 600
    )
    return json.loads(out)


def measure_fts5(index: Path, passes: int, progress: Progress = silent) -> dict:
    """Time the FTS5 peer over the same entries and requests (first pass reported apart)."""
    from search.query.searcher import SearchIndex

    search_index = SearchIndex.open(index)
    try:
        started = time.perf_counter()
        peer = Fts5Peer(search_index.entries)
        build_ms = (time.perf_counter() - started) * 1000
    finally:
        search_index.close()
    work = requests()
    cold, warm = [], []
    for n in range(passes):
        progress("FTS5 peer passes", n, passes)
        for _, params in work:
            started = time.perf_counter()
            peer.search(params)
            (cold if n == 0 else warm).append((time.perf_counter() - started) * 1000)
    progress("FTS5 peer passes", passes, passes)
    return {"build_ms": round(build_ms, 1), "cold": summarise(cold), "warm": summarise(warm)}


def ratio(ours: dict, peer: dict) -> dict:
    """Return our latency over the peer's (below 1 means faster than FTS5)."""
    return {k: round(ours[k] / peer[k], 2) if peer.get(k) else None for k in ("p50", "p95")}


def measure_http(corpus: Path, index: Path, quick: bool, progress: Progress = silent) -> dict:
    """Load the server at 1, 8 and 32; in a full run, first compare worker counts."""
    sweep = []
    workers = DEFAULT_WORKERS
    servers = 1 if quick else len(WORKER_CHOICES) + 1
    if not quick:
        for n, count in enumerate(WORKER_CHOICES):
            step(f"HTTP: {count} worker(s), concurrency 8 and 32")
            progress("HTTP servers under load", n, servers)
            sweep.append(serving.measure_server(corpus, index, count, (8, 32), 2000, 10.0))
        workers = recommend_workers(sweep)
    step(f"HTTP: {workers} workers, concurrency 1, 8, 32")
    progress("HTTP servers under load", servers - 1, servers)
    limits = (200, 6.0) if quick else (6000, 30.0)
    main = serving.measure_server(corpus, index, workers, serving.LEVELS, *limits)
    progress("HTTP servers under load", servers, servers)
    return {"sweep": sweep, "recommended_workers": workers, "main": main}


def recommend_workers(sweep: list[dict]) -> int:
    """Pick the worker count with the lowest p95 at concurrency 8 among those without
    errors whose best throughput is within 15 % of the best seen."""
    clean = [r for r in sweep if not any(run["errors"] for run in r["runs"])]
    if not clean:
        return DEFAULT_WORKERS
    best = max(max(run["rps"] for run in r["runs"]) for r in clean)
    close = [r for r in clean if max(run["rps"] for run in r["runs"]) >= 0.85 * best]

    def p95_at_8(result: dict) -> float:
        return next(run["latency_ms"]["p95"] for run in result["runs"] if run["concurrency"] == 8)

    return min(close, key=p95_at_8)["workers"]


def check_targets(report: dict) -> list[dict]:
    """Compare the figures with the issue's targets."""
    runs = {r["concurrency"]: r for r in report["http"]["main"]["runs"]}
    errors = sum(r["errors"] for r in runs.values())
    rows = [
        ("in-process p95 (ms)", report["inprocess"]["warm"]["p95"], "max"),
        ("in-process suggest p95 (ms)", report["inprocess"]["suggest"]["p95"], "max"),
        ("HTTP p95 at concurrency 8 (ms)", runs[8]["latency_ms"]["p95"], "max"),
        (
            "sustained requests/s, zero errors",
            max(r["rps"] for r in runs.values()) if not errors else 0.0,
            "min",
        ),
    ]
    if "limit" in report:
        rows.append(("throughput ÷ no-op endpoint's", report["limit"]["ratio_to_noop"], "min"))
        rows.append(("p50 one at a time ÷ FTS5 in Flask's", report["limit"]["p50_to_fts5"], "max"))
    big = [s for s in report.get("scale", []) if s["entries"] >= 100_000]
    if big:
        rows.append(("100k build (s)", big[0]["build_s"], "max"))
        rows.append(("100k search p95 (ms)", big[0]["search"]["warm"]["p95"], "max"))
    out = []
    for name, value, sense in rows:
        target = TARGETS[name]
        met = value is not None and (value <= target if sense == "max" else value >= target)
        out.append({"target": name, "limit": target, "value": value, "met": met})
    return out


def print_report(report: dict) -> None:
    """Print every section as rows of a plain-text table."""
    m = report["machine"]
    print(f"\nAAP Search benchmark{' (quick)' if report['quick'] else ''} — {report['started']}")
    print(f"machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB RAM, Python {m['python']}; "
          f"load average {m['loadavg']} → {m.get('loadavg_end')}")  # fmt: skip
    b = report["build"]
    rows = [("build (ingest + index)", f"{b['entries']} entries", ms(b["ms"]), f"index {b['index_kib']} KiB")]
    ip, f5 = report["inprocess"], report["fts5"]
    rows.append(
        (
            "in-process /api/search work",
            f"{ip['warm']['n']} requests",
            ms(ip["warm"]),
            f"cold {ms(ip['cold'])}",
        )
    )
    rows.append(("in-process /api/suggest work", f"{ip['suggest']['n']} prefixes", ms(ip["suggest"]), ""))
    rows.append(
        ("FTS5 peer, same work", f"{f5['warm']['n']} requests", ms(f5["warm"]), f"cold {ms(f5['cold'])}")
    )
    r = report["ratio"]
    rows.append(("ratio ours / FTS5", "", f"p50 ×{r['p50']}  p95 ×{r['p95']}", ""))
    http = report["http"]
    for run in http["main"]["runs"]:
        lat = run["latency_ms"]
        rows.append((
            f"HTTP, {http['main']['workers']} workers, concurrency {run['concurrency']}",
            f"{run['requests']} req, {run['errors']} errors",
            ms(lat),
            f"{run['rps']} req/s",
        ))  # fmt: skip
    rss = http["main"]["rss_mib"]
    rows.append(("server memory (RSS)", f"master {rss['master']} MiB", f"workers {rss['workers']} MiB", ""))
    for result in http["sweep"]:
        by = {x["concurrency"]: x for x in result["runs"]}
        rows.append((
            f"sweep: {result['workers']} workers",
            f"c8 {by[8]['rps']} req/s", f"c8 p95 {by[8]['latency_ms']['p95']} ms",
            f"c32 {by[32]['rps']} req/s, p95 {by[32]['latency_ms']['p95']} ms",
        ))  # fmt: skip
    if "limit" in report:
        rows += limit_rows(report["limit"])
    for s in report.get("scale", []):
        w = s["search"]
        rows.append((f"scale: {s['entries']} entries, build", f"{s['documents']} documents", f"{s['build_s']} s",
                     f"peak {s['build_peak_rss_mib']} MiB, index {s['index_mib']} MiB"))  # fmt: skip
        rows.append((f"scale: {s['entries']} entries, search", f"RSS {w['rss_mib']['after_queries']} MiB",
                     ms(w["warm"]), f"cold {ms(w['cold'])}, open {w['open_s']} s"))  # fmt: skip
    print_table(("measure", "size", "p50 / p95", "notes"), rows)
    print()
    print_table(
        ("target", "limit", "measured", "met"),
        [
            (t["target"], str(t["limit"]), str(t["value"]), "yes" if t["met"] else "NO")
            for t in report["targets"]
        ],
    )


def limit_rows(found: dict) -> list[tuple]:
    """Return the limit section's rows: each server's medians, then the two ratios."""
    rows = []
    names = {"service": "limit: the service", "baseline": "limit: baseline code",
             "noop": "limit: no-op endpoint", "fts5": "limit: FTS5 in Flask"}  # fmt: skip
    for name, levels in found["median"].items():
        c8, c1 = levels["c8"], levels["c1"]
        rows.append((
            f"{names[name]}, distinct queries",
            f"c8 {c8['rps']} req/s", f"c1 {c1['p50']:.2f} / {c1['p95']:.2f} ms",
            f"{c8['cpu_ms_per_request']} ms CPU a request",
        ))  # fmt: skip
    rows.append(("ratio service / no-op, req/s at c8", "", f"×{found['ratio_to_noop']}", ""))
    rows.append(("ratio service / FTS5 in Flask, p50 at c1", "", f"×{found['p50_to_fts5']}", ""))
    return rows


def ms(summary: dict) -> str:
    if not summary or summary.get("p50") is None:
        return "—"
    return f"{summary['p50']:.2f} / {summary['p95']:.2f} ms"


def print_table(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
