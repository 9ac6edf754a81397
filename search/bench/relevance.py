"""Relevance against judgments: nDCG@10 and recall@20, beside an SQLite FTS5 peer, per kind of query.

Judgments are a JSON file `{"queries": {"QUERY": {"2": [ids], "1": [ids], "kind": "…"}}}`
(2 = highly relevant, 1 = relevant; any entry not listed counts as not relevant).
The peer is the plain engine a reader would reach for: FTS5 over the entries' text
(porter unicode61), the query's words OR-ed, ranked by bm25.

    python -m search.bench.relevance --qrels FILE [--index DIR] [--show]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from search.models import Entry
from search.query.request import parse_request
from search.query.searcher import SearchIndex

DEPTH = 20


@dataclass(frozen=True)
class Judged:
    """One judged query: its grades by entry id and its kind."""

    query: str
    grades: dict[str, int]
    kind: str


def load_judgments(path: Path) -> list[Judged]:
    """Read a judgments file."""
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return [
        Judged(q, {**{d: 2 for d in g.get("2", [])}, **{d: 1 for d in g.get("1", [])}}, g.get("kind", ""))
        for q, g in queries.items()
    ]


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    """Return nDCG@k with gains 2^grade − 1."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = DEPTH) -> float:
    """Return the share of judged entries found in the first k."""
    return len(set(ranked[:k]) & set(grades)) / len(grades) if grades else 0.0


class Fts5Baseline:
    """FTS5 over the entries' text, words OR-ed, bm25."""

    def __init__(self, entries: list[Entry]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("create virtual table e using fts5(id unindexed, text, tokenize='porter unicode61')")
        self.db.executemany("insert into e values (?, ?)", [(e.id, e.text) for e in entries])

    def __call__(self, query: str) -> list[str]:
        terms = re.findall(r"\w+", query)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.db.execute("select id from e where e match ? order by bm25(e) limit ?", (match, DEPTH))
        return [r[0] for r in rows]


def evaluate(index: SearchIndex, judged: list[Judged]) -> list[dict]:
    """Score every judged query with the index and the FTS5 peer."""
    peer = Fts5Baseline(index.entries)
    rows = []
    for j in judged:
        result = index.search(parse_request({"q": [j.query], "per_page": [str(DEPTH)]}))
        ours, theirs = [h.entry.id for h in result.hits], peer(j.query)
        rows.append(
            {
                "query": j.query,
                "kind": j.kind,
                "ndcg": ndcg(ours, j.grades),
                "recall": recall(ours, j.grades),
                "fts5_ndcg": ndcg(theirs, j.grades),
                "fts5_recall": recall(theirs, j.grades),
            }
        )
    return rows


def summarise(rows: list[dict]) -> dict:
    """Return the means overall and per kind of query."""

    def means(rs: list[dict]) -> dict:
        return {
            k: round(sum(r[k] for r in rs) / len(rs), 3)
            for k in ("ndcg", "recall", "fts5_ndcg", "fts5_recall")
        }

    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["kind"] or "all"].append(row)
    return {
        "queries": len(rows),
        "all": means(rows),
        "by_kind": {k: means(v) for k, v in sorted(by_kind.items())},
    }


def main(argv: list[str] | None = None) -> int:
    """Print relevance figures for a judgments file."""
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.relevance", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--qrels", type=Path, required=True, help="judgments file")
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--show", action="store_true", help="print every query's scores")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    index = SearchIndex.open(args.index)
    try:
        rows = evaluate(index, load_judgments(args.qrels))
    finally:
        index.close()
    summary = summarise(rows)
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=1))
        return 0
    if args.show:
        for r in rows:
            print(f"{r['ndcg']:5.2f} {r['fts5_ndcg']:5.2f}  [{r['kind']}] {r['query']}")
    for kind, m in summary["by_kind"].items():
        print(f"  {kind:<11} nDCG@10 {m['ndcg']:.3f} (FTS5 {m['fts5_ndcg']:.3f})")
    m = summary["all"]
    print(f"all {summary['queries']} queries: nDCG@10 {m['ndcg']:.3f} R@20 {m['recall']:.3f} | "
          f"FTS5 nDCG@10 {m['fts5_ndcg']:.3f} R@20 {m['fts5_recall']:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
