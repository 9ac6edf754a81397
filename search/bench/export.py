"""`python -m search.bench.export`: what a CSV download costs against the JSON of the same search.

The CSV export (`/api/search.csv`) returns every row a search matches (up to
10,000); `/api/search` returns one page. Both run through the Flask app in this
process over one index, so the figures are the app's own work (no sockets): for each
query, the median of `repeats` timed requests of each, after one untimed warm-up.
When the search dominates (a costly query) the two should cost about the same; for
a cheap one the CSV's extra is writing its rows, each entry's text quoted once per
process (`search/output/table.py`) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

TARGET_RATIO = 1.5
# A long question of the report's common words: many clauses over many matches make
# the search itself the cost (a long unknown word no longer does: it is never tried).
COSTLY = (
    "how well do the police and prosecutors work together on case files, disclosure, "
    "charging decisions, victims and witnesses, court hearings, performance data and staff training"
)
QUERIES = [
    ("costly: a long question, many matches", COSTLY),
    ("several words", "quality of casework court cases"),
    ("one common word", "casework"),
    ("browse everything", ""),
]


def time_pair(client, first: str, second: str, repeats: int) -> tuple[float, float]:
    """Return the median milliseconds of GET first and GET second, taken in turns after a warm-up.

    Taking them in turns spreads the noise of a shared machine over both alike.
    """
    samples: tuple[list[float], list[float]] = ([], [])
    for n in range(repeats + 1):
        for path, out in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            if n:  # the first round warms caches up
                out.append(elapsed)
    return statistics.median(samples[0]), statistics.median(samples[1])


def measure_export(index_dir: Path, repeats: int = 5) -> list[dict]:
    """Time /api/search and /api/search.csv for each query; return one row per query."""
    from web import create_app

    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    rows = []
    for label, q in QUERIES:
        query = urlencode({"q": q})
        json_ms, csv_ms = time_pair(client, f"/api/search?{query}", f"/api/search.csv?{query}", repeats)
        rows.append(
            {
                "query": label,
                "rows": client.get(f"/api/search?{query}").get_json()["total"],
                "json_ms": round(json_ms, 2),
                "csv_ms": round(csv_ms, 2),
                "ratio": round(csv_ms / json_ms, 2),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table (and write JSON with --out)."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.export", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--index", default=os.environ.get("AAP_INDEX_DIR", "index"), help="index folder")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests of each kind per query")
    parser.add_argument("--out", help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if not (Path(args.index) / "CURRENT").is_file():
        print(f"error: no index in {args.index}; run `python -m search build` first", file=sys.stderr)
        return 1
    rows = measure_export(Path(args.index), args.repeats)
    print(f"{'query':40} {'rows':>5} {'JSON ms':>9} {'CSV ms':>9} {'CSV/JSON':>9}")
    for row in rows:
        print(
            f"{row['query']:40} {row['rows']:>5} {row['json_ms']:>9.1f} {row['csv_ms']:>9.1f} {row['ratio']:>8.2f}×"
        )
    worst = max(rows, key=lambda row: row["ratio"])
    verdict = "met" if worst["ratio"] <= TARGET_RATIO else "NOT met"
    print(
        f"target: CSV ≤ {TARGET_RATIO}× JSON for every query: {verdict} (worst {worst['ratio']}×, {worst['query']})"
    )
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
