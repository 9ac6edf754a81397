"""In-process latency of the whole /api/search and /api/suggest work, serialisation included.

The first pass over the query set after opening the index is reported on its own
("cold": postings are read from disk and cached on first use); the later passes
give the steady-state figures.

    python -m search.bench.inprocess --index DIR [--repeat N]   # prints JSON
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from search.bench.entry import run
from search.bench.stats import rss_kib, summarise
from search.bench.workload import requests, typed_prefixes
from search.output.serialize import result_to_json, suggestions_to_json
from search.query.request import DEFAULT_SUGGESTIONS, parse_request
from search.query.searcher import SearchIndex


def time_requests(run, passes: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """Run every request `passes` times; return cold timings, warm timings, warm by label."""
    work = [(label, parse_request(params)) for label, params in requests()]
    cold, warm, by_label = [], [], {}
    for n in range(passes):
        for label, request in work:
            started = time.perf_counter()
            run(request)
            elapsed = (time.perf_counter() - started) * 1000
            if n == 0:
                cold.append(elapsed)
            else:
                warm.append(elapsed)
                by_label.setdefault(label, []).append(elapsed)
    return cold, warm, by_label


def time_suggestions(index: SearchIndex, passes: int) -> dict:
    """Time /api/suggest's work for every prefix of every query, as typed letter by letter."""
    samples = []
    for _ in range(passes):
        for text in typed_prefixes():
            started = time.perf_counter()
            suggestions_to_json(text, index.suggest(text, DEFAULT_SUGGESTIONS))
            samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def measure(index_dir: Path, repeat: int) -> dict:
    """Open the index and time the query set; return timings and memory."""
    rss_before = rss_kib(os.getpid())
    started = time.perf_counter()
    index = SearchIndex.open(index_dir)
    open_s = time.perf_counter() - started
    rss_open = rss_kib(os.getpid())
    try:
        cold, warm, by_label = time_requests(lambda r: result_to_json(index.search(r)), repeat + 1)
        suggest = time_suggestions(index, repeat)
    finally:
        index.close()
    return {
        "entries": len(index.entries),
        "open_s": round(open_s, 3),
        "cold": summarise(cold),
        "warm": summarise(warm),
        "by_label": {label: summarise(samples) for label, samples in by_label.items()},
        "suggest": suggest,
        "rss_mib": {
            "before_open": round(rss_before / 1024, 1),
            "after_open": round(rss_open / 1024, 1),
            "after_queries": round(rss_kib(os.getpid()) / 1024, 1),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.bench.inprocess")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.index, args.repeat)))
    return 0


if __name__ == "__main__":
    run(main)
