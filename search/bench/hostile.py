"""`python -m search.bench.hostile`: what the costliest inputs cost a search, in process.

Each input is built to make the engine work: a word of 500 letters (the spelling
corrector's deletion table), a query of 500 terms (clauses), and queries made of
nothing but operators — fuzzy words, prefixes, required words, one long quoted
phrase. Every one goes straight to `SearchIndex.search` (the API's 500-character
limit on `q` is not applied, so the engine's own bounds are what is measured).
For each, the median and the maximum of `repeats` timed searches after one warm-up.

    python -m search.bench.hostile [--index DIR] [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from search.models import SearchRequest
from search.query.searcher import SearchIndex

TARGET_MS = 50.0
SEED = 500


def inputs(index: SearchIndex) -> list[tuple[str, str]]:
    """Return (label, query) pairs of costly inputs, drawn from the report's own words."""
    words = sorted({w for e in index.entries for w in e.text.lower().split() if w.isalpha() and len(w) > 4})
    rng = random.Random(SEED)

    def some(n: int) -> list[str]:
        return [rng.choice(words) for _ in range(n)]

    letters = "abcdefghijklmnopqrstuvwxyz"
    return [
        ("a 500-letter word", "".join(rng.choice(letters) for _ in range(500))),
        ("500 full-width letters", "ｚ" * 500),
        ("a 500-letter near-word", "disclosure" * 50),
        ("500 words of the report", " ".join(some(500))),
        ("500 misspelt words", " ".join(w[:-1] + "q" for w in some(500))),
        ("500 fuzzy words", " ".join(w + "~" for w in some(500))),
        ("500 prefixes", " ".join(w[:2] + "*" for w in some(500))),
        ("500 required words", " ".join("+" + w for w in some(500))),
        ("500 excluded words", "police " + " ".join("-" + w for w in some(500))),
        ("a quoted phrase of 500 words", '"' + " ".join(some(500)) + '"'),
    ]


def measure(index: SearchIndex, repeats: int) -> list[dict]:
    """Time every costly input."""
    rows = []
    for label, q in inputs(index):
        request = SearchRequest(q=q)
        index.search(request)  # warm-up: postings and lazily built tables
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = index.search(request)
            samples.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "input": label,
                "characters": len(q),
                "matches": result.total,
                "median_ms": round(statistics.median(samples), 2),
                "max_ms": round(max(samples), 2),
                "met": statistics.median(samples) <= TARGET_MS,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print what each costly input costs."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.hostile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    index = SearchIndex.open(args.index)
    try:
        rows = measure(index, max(1, args.repeats))
    finally:
        index.close()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'input':32} {'chars':>6} {'matches':>8} {'median':>9} {'max':>9}  ≤ {TARGET_MS:.0f} ms")
    for row in rows:
        print(
            f"{row['input']:32} {row['characters']:6} {row['matches']:8} {row['median_ms']:7.2f}ms"
            f" {row['max_ms']:7.2f}ms  {'yes' if row['met'] else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
