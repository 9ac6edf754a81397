"""Relevance on tuning and held-out judgments, side by side, beside an SQLite FTS5 peer.

    python -m search.bench.relevance [--judgments DIR] [--without PART,…] [--ablate] [--show] [--json]

Every judgment set that `sets.json` lists (see `search.bench.trec`) is run through the
engine and through the peer — the plain engine a reader would reach for: FTS5 over the
entries' text (porter unicode61), the query's words OR-ed, ranked by bm25 — and scored
by `ir_measures` (trec_eval's arithmetic): nDCG@10 with gains 0, 1, 3 for grades 0, 1, 2,
recall@20 and reciprocal rank. A query a system answers with nothing scores 0 (trec_eval
would leave it out). Figures are given per set, per role and per kind of query, with the
gap between tuning and held-out, and a paired t-test of each difference over the same
queries (scipy).

`--without` switches query-stage parts off (`search.query.parts`); `--ablate` switches
each off in turn and gives its effect on both roles: the argument for keeping it.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG
from scipy import stats

from search.bench.entry import run
from search.bench.trec import JUDGMENTS, ROLES, JudgmentSet, load_sets
from search.curated.ordering import read_ordering
from search.models import Entry
from search.query.parts import LEARNED_ORDER
from search.query.reorder import Reorderer
from search.query.request import parse_request
from search.query.searcher import SearchIndex

DEPTH = 20
# The tuning queries' out-of-fold figures: so many folds, dealt by a fixed shuffle.
FOLDS = 5
FOLD_SEED = 2019
NDCG = nDCG(gains={0: 0, 1: 1, 2: 3}) @ 10
MEASURES = {"ndcg": NDCG, "recall": R @ 20, "rr": RR}


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


def engine(index: SearchIndex, without: Iterable[str] = ()) -> Callable[[str], list[str]]:
    """Return the engine as a ranked-list function, with some query-stage parts switched off."""
    off = frozenset(without)

    def ranked(query: str) -> list[str]:
        request = parse_request({"q": [query], "per_page": [str(DEPTH)]})
        result = index.search(request, snippets=False, facets=False, without=off)
        return [h.entry.id for h in result.hits]

    return ranked


def score_set(jset: JudgmentSet, ranked: Callable[[str], list[str]]) -> dict[str, dict[str, float]]:
    """Return each query's measures for one system; a query with no results scores 0."""
    qrels = [ir_measures.Qrel(q, d, g) for q, grades in jset.qrels.items() for d, g in grades.items()]
    run = []
    for topic in jset.topics:
        ids = ranked(topic.query)[:DEPTH]
        run += [ir_measures.ScoredDoc(topic.qid, d, float(DEPTH - i)) for i, d in enumerate(ids)]
    scores = {t.qid: dict.fromkeys(MEASURES, 0.0) for t in jset.topics}
    names = {m: name for name, m in MEASURES.items()}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
        scores[metric.query_id][names[metric.measure]] = metric.value
    return scores


@dataclass(frozen=True)
class Row:
    """One judged query's figures for the engine and the peer."""

    qid: str
    set: str
    role: str
    kind: str
    query: str
    ours: dict[str, float]
    peer: dict[str, float]

    def to_dict(self) -> dict:
        return {
            "qid": self.qid,
            "set": self.set,
            "role": self.role,
            "kind": self.kind,
            "query": self.query,
            **{name: round(v, 4) for name, v in self.ours.items()},
            **{f"fts5_{name}": round(v, 4) for name, v in self.peer.items()},
        }


def evaluate(
    index: SearchIndex, sets: list[JudgmentSet], without: Iterable[str] = (), peer: bool = True
) -> list[Row]:
    """Score every query of every set with the engine and (unless `peer` is off) the FTS5 peer."""
    ours = engine(index, without)
    fts5 = Fts5Baseline(index.entries) if peer else None
    rows = []
    for jset in sets:
        mine = score_set(jset, ours)
        theirs = score_set(jset, fts5) if fts5 else {q: dict.fromkeys(MEASURES, 0.0) for q in mine}
        for t in jset.topics:
            rows.append(Row(t.qid, jset.name, jset.role, t.kind, t.query, mine[t.qid], theirs[t.qid]))
    return rows


def out_of_fold(index: SearchIndex, sets: list[JudgmentSet]) -> dict[tuple[str, str], float] | None:
    """Return each tuning query's nDCG@10 with the learned order learned without it.

    The learned order is learned from the tuning queries, so on them its figures flatter it.
    Here the tuning queries are dealt into FOLDS folds (a fixed shuffle), and each fold is
    ranked by a model learned from the other folds' queries alone. None where the build has
    no learned order, or LightGBM is not installed.
    """
    if index.reorderer is None:
        return None
    try:
        import lightgbm  # noqa: F401  (what search.bench.learn learns with)
    except ImportError:
        return None
    from search.bench.learn import fit, query_rows

    tuning = [s for s in sets if s.role == "tuning"]
    topics = [(s.name, t) for s in tuning for t in s.topics]
    random.Random(FOLD_SEED).shuffle(topics)
    folds = [topics[n::FOLDS] for n in range(FOLDS)]
    rows = {(r.set, r.qid): r for s in tuning for r in query_rows(index, s)}
    scores: dict[tuple[str, str], float] = {}
    served = index.reorderer
    try:
        for n, fold in enumerate(folds):
            others = [
                rows[(name, t.qid)]
                for m, f in enumerate(folds)
                if m != n
                for name, t in f
                if (name, t.qid) in rows
            ]
            index.reorderer = Reorderer(read_ordering(fit(others), f"fold {n + 1}"), index.candidate_features)
            for s in tuning:
                kept = tuple(t for name, t in fold if name == s.name)
                held_back = JudgmentSet(s.name, s.role, kept, {t.qid: s.relevant(t.qid) for t in kept})
                if held_back.topics:
                    measured = score_set(held_back, engine(index))
                    scores.update({(s.name, qid): m["ndcg"] for qid, m in measured.items()})
    finally:
        index.reorderer = served
    return scores


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def paired_p(a: list[float], b: list[float]) -> float:
    """Return the two-sided p-value of a paired t-test (1 where the two never differ)."""
    if len(a) < 2 or all(x == y for x, y in zip(a, b, strict=True)):
        return 1.0
    p = stats.ttest_rel(a, b).pvalue
    return 1.0 if math.isnan(p) else float(p)


def means(rows: list[Row]) -> dict:
    """Return the engine's and the peer's means over some rows, and the p of their difference."""
    out = {"queries": len(rows)}
    for name in MEASURES:
        out[name] = round(mean([r.ours[name] for r in rows]), 3)
        out[f"fts5_{name}"] = round(mean([r.peer[name] for r in rows]), 3)
    out["p_vs_fts5"] = round(paired_p([r.ours["ndcg"] for r in rows], [r.peer["ndcg"] for r in rows]), 4)
    out["zero_results"] = sum(1 for r in rows if r.ours["recall"] == 0 and r.ours["ndcg"] == 0)
    return out


def summarise(rows: list[Row], folded: dict[tuple[str, str], float] | None = None) -> dict:
    """Return the means per set, per role, per kind within each role, and the gaps; with
    `folded`, the tuning queries' figures out of fold too (`out_of_fold`), and that gap."""
    by_set, by_role, by_kind = defaultdict(list), defaultdict(list), defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_set[r.set].append(r)
        by_role[r.role].append(r)
        by_kind[r.kind][r.role].append(r)
    roles = {role: means(by_role[role]) for role in ROLES if by_role[role]}
    summary = {
        "sets": {name: {"role": rs[0].role, **means(rs)} for name, rs in by_set.items()},
        "roles": roles,
        "kinds": {
            kind: {role: means(rs) for role, rs in per_role.items()}
            for kind, per_role in sorted(by_kind.items())
        },
    }
    if len(roles) == 2:
        summary["gap"] = round(roles["tuning"]["ndcg"] - roles["held-out"]["ndcg"], 3)
    if folded and "tuning" in roles:
        tuning = round(mean([folded[(r.set, r.qid)] for r in by_role["tuning"]]), 3)
        summary["tuning_out_of_fold"] = tuning
        if "held-out" in roles:
            summary["gap_out_of_fold"] = round(tuning - roles["held-out"]["ndcg"], 3)
    return summary


def ablate(index: SearchIndex, sets: list[JudgmentSet], parts: list[str], base: list[Row]) -> list[dict]:
    """Switch each part off in turn: its effect (full − without) on each role, with the paired p."""
    table = []
    for part in parts:
        without = {(r.set, r.qid): r for r in evaluate(index, sets, [part], peer=False)}
        row = {"part": part}
        for role in ROLES:
            full = [r for r in base if r.role == role]
            if not full:
                continue
            a = [r.ours["ndcg"] for r in full]
            b = [without[(r.set, r.qid)].ours["ndcg"] for r in full]
            row[role] = {
                "delta": round(mean(a) - mean(b), 4),
                "p": round(paired_p(a, b), 4),
                "changed": sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 1e-9),
                "kinds": {
                    kind: round(
                        mean(
                            [
                                r.ours["ndcg"] - without[(r.set, r.qid)].ours["ndcg"]
                                for r in full
                                if r.kind == kind
                            ]
                        ),
                        4,
                    )
                    for kind in sorted({r.kind for r in full})
                },
            }
        row["sets"] = {
            name: round(
                mean([r.ours["ndcg"] - without[(r.set, r.qid)].ours["ndcg"] for r in base if r.set == name]),
                4,
            )
            for name in dict.fromkeys(r.set for r in base)
        }
        table.append(row)
    return table


def print_summary(summary: dict) -> None:
    """Print the figures per set, per role and per kind, with the gap."""
    head = (
        f"{'':<22} {'n':>3}  {'nDCG@10':>7} {'R@20':>5} {'MRR':>5}  |  {'FTS5':>6} {'R@20':>5} {'MRR':>5}  p"
    )
    print(head)
    for name, m in {**summary["sets"], **{f"{k} (all)": v for k, v in summary["roles"].items()}}.items():
        print(f"{name:<22} {m['queries']:>3}  {m['ndcg']:>7.3f} {m['recall']:>5.3f} {m['rr']:>5.3f}  |  "
              f"{m['fts5_ndcg']:>6.3f} {m['fts5_recall']:>5.3f} {m['fts5_rr']:>5.3f}  {m['p_vs_fts5']:.4f}")  # fmt: skip
    if "gap" in summary:
        print(f"gap, tuning − held-out nDCG@10: {summary['gap']:+.3f}")
    if "tuning_out_of_fold" in summary:
        print(
            f"tuning with the learned order out of fold ({FOLDS} folds, each ranked by a model learned "
            f"from the others): {summary['tuning_out_of_fold']:.3f}; gap: {summary.get('gap_out_of_fold', 0):+.3f}"
        )
    print(f"\n{'kind':<12} {'tuning':>14} {'held-out':>14} {'gap':>7}")
    for kind, per in summary["kinds"].items():
        cells = [f"{per[r]['ndcg']:.3f} ({per[r]['queries']:>2})" if r in per else "—" for r in ROLES]
        gap = f"{per['tuning']['ndcg'] - per['held-out']['ndcg']:+.3f}" if len(per) == 2 else ""
        print(f"{kind:<12} {cells[0]:>14} {cells[1]:>14} {gap:>7}")
    zero = {role: m["zero_results"] for role, m in summary["roles"].items()}
    print(
        "\nqueries with no relevant entry in the first 20: " + ", ".join(f"{k} {v}" for k, v in zero.items())
    )


def print_ablation(table: list[dict]) -> None:
    """Print each part's effect on tuning and held-out nDCG@10 (positive: the part helps), and
    on each held-out set."""
    held = [name for name in (table[0].get("sets", {}) if table else {}) if not name.startswith("tuning")]
    heads = "".join(f" {name.removeprefix('heldout-'):>7}" for name in held)
    print(f"\n{'part switched off':<20} {'tuning Δ':>9} {'p':>7} {'held-out Δ':>11} {'p':>7}{heads}")
    for row in table:
        cells = []
        for role in ROLES:
            r = row.get(role)
            cells.append(f"{r['delta']:+9.4f} {r['p']:7.4f}" if r else f"{'—':>9} {'':>7}")
        per_set = "".join(f" {row['sets'][name]:+7.3f}" for name in held)
        print(f"{row['part']:<20} {cells[0]} {cells[1].rjust(19)}{per_set}")


def pin(summary: dict, path: Path) -> None:
    """Write each set's figures to the regression file the tests check."""
    sets = {
        name: {
            "role": m["role"],
            "queries": m["queries"],
            "ndcg": m["ndcg"],
            "recall": m["recall"],
            "rr": m["rr"],
        }
        for name, m in summary["sets"].items()
    }
    about = "Each judgment set's figures, pinned: a change that moves one fails the tests until re-pinned."
    path.write_text(json.dumps({"_about": about, "sets": sets}, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print relevance figures for the judgment sets."""
    from search.query.parts import PART_NAMES, parse_without

    parser = argparse.ArgumentParser(
        prog="python -m search.bench.relevance", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="folder with sets.json")
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--without", default="", help="query-stage parts to switch off, comma-separated")
    parser.add_argument("--ablate", action="store_true", help="switch each part off in turn")
    parser.add_argument("--families", action="store_true", help="with --ablate, each lay-word family too")
    parser.add_argument("--show", action="store_true", help="print every tuning query's scores")
    parser.add_argument("--pin", action="store_true", help="write the figures to the tests' regression file")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sets = load_sets(args.judgments)
    index = SearchIndex.open(args.index)
    try:
        families = index.lexicon.lay_family_names
        try:
            without = parse_without(args.without, families)
        except ValueError as exc:
            parser.error(str(exc))
        rows = evaluate(index, sets, without)
        folded = out_of_fold(index, sets) if LEARNED_ORDER not in without else None
        parts = [p for p in PART_NAMES if p not in without]
        if args.families:
            parts += [f"lay-words:{f}" for f in families]
        table = ablate(index, sets, parts, rows) if args.ablate else None
    finally:
        index.close()
    summary = summarise(rows, folded)
    if args.pin:
        pin(summary, args.judgments / "regression.json")
    if args.json:
        tuning = [r.to_dict() for r in rows if r.role == "tuning"]
        print(json.dumps({"summary": summary, "ablation": table, "tuning_rows": tuning}, indent=1))
        return 0
    if args.show:
        # Held-out queries are measured, never looked at one by one: only tuning rows are shown.
        for r in rows:
            if r.role == "tuning":
                print(f"{r.ours['ndcg']:5.2f} {r.peer['ndcg']:5.2f}  {r.set} {r.qid} [{r.kind}] {r.query}")
    print_summary(summary)
    if table is not None:
        print_ablation(table)
    return 0


if __name__ == "__main__":
    run(main)
