"""Pool a new judgment set from several systems and hand it to blind judges.

    python -m search.bench.pool pool TOPICS.json --out DIR [--judges N] [--depth 20]
                                    [--run NAME=RUN.json …]
    python -m search.bench.pool merge DIR --grades FILE… --into FOLDER

`pool` reads topics written with their needs (a JSON list of `{"qid", "kind", "query",
"need", "seeds": {"entry-id": grade}}`) and gathers, for each, the first `depth` entries
of several different systems — this engine on the query and on the need, SQLite FTS5 on
both, and plain BM25F over the same index with every query-stage component off — plus
the seeds the writer named, and any further system's run given with `--run` (`{qid:
[entry ids, best first]}`: a change to be measured on the set, so that what it finds is
judged too). Each judge's packet lists a share of the queries with their pooled entries
in a shuffled order, whole, with no system's name, rank or score: a judge grades from
the entry's text alone. `merge` checks that every pooled entry got a
grade and writes the set's `topics.jsonl` and `qrels.txt` (see `search.bench.trec`).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from whoosh import query as wq

from search.bench.entry import run
from search.bench.relevance import Fts5Baseline
from search.bench.trec import Topic, write_qrels, write_topics
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from search.text.analysis import stems

GRADES = (0, 1, 2)


def engine_run(index: SearchIndex, text: str, depth: int) -> list[str]:
    """Return the engine's first entries for a text."""
    result = index.search(parse_request({"q": [text], "per_page": [str(depth)]}), snippets=False)
    return [h.entry.id for h in result.hits]


def bm25f_run(index: SearchIndex, text: str, depth: int) -> list[str]:
    """Return the first entries of plain BM25F: the text's stems OR-ed over title and text."""
    terms = [wq.Term(f, s) for s in dict.fromkeys(stems(text)) for f in ("title", "text")]
    if not terms:
        return []
    hits = index.searcher().search(wq.Or(terms), limit=depth)
    return [index.entries[h.docnum].id for h in hits]


def pool_topic(
    index: SearchIndex, fts5: Fts5Baseline, topic: dict, depth: int, extra: dict[str, dict] | None = None
) -> dict[str, list[str]]:
    """Return each system's entries for one topic (the seeds count as one system, and so does
    each further run in `extra`, by name)."""
    runs = {
        "engine": engine_run(index, topic["query"], depth),
        "engine-need": engine_run(index, topic["need"], depth),
        "fts5": fts5(topic["query"])[:depth],
        "fts5-need": fts5(topic["need"])[:depth],
        "bm25f": bm25f_run(index, topic["query"], depth),
        "seeds": [d for d in topic.get("seeds", {}) if d in index.by_id],
    }
    for name, given in (extra or {}).items():
        runs[name] = [d for d in given.get(topic["qid"], [])[:depth] if d in index.by_id]
    return runs


def render_packet(topics: list[dict], pooled: dict[str, list[str]], index: SearchIndex) -> str:
    """Return a judge's packet: each query, its need and its pooled entries, whole."""
    out = [
        "# Judging packet",
        "",
        "Grade every entry listed under each query 0, 1 or 2 against the query's need, by the",
        "rubric. The order of the entries means nothing.",
        "",
    ]
    for topic in topics:
        out += [f"## {topic['qid']}", "", f"Query: {topic['query']}", f"Kind: {topic['kind']}"]
        out += [f"Need: {topic['need']}", "", f"Entries to grade: {len(pooled[topic['qid']])}", ""]
        for doc in pooled[topic["qid"]]:
            e = index.entry(doc)
            areas = ", ".join(index.areas.label(a) for a in e.areas) or "no Area"
            out.append(f"### {e.id}")
            out.append(f"{e.kind} · {areas} · Part {e.part} · {e.title}")
            out.append("")
            out.append(e.text)
            out.append("")
    return "\n".join(out)


def make_pool(args: argparse.Namespace) -> int:
    """Pool the topics and write one packet per judge."""
    topics = json.loads(Path(args.topics).read_text(encoding="utf-8"))
    extra = {}
    for given in args.runs:
        name, sep, path = given.partition("=")
        if not sep or not name or not path:
            raise SystemExit(f"--run {given!r}: give NAME=RUN.json")
        extra[name] = json.loads(Path(path).read_text(encoding="utf-8"))
    index = SearchIndex.open(args.index)
    fts5 = Fts5Baseline(index.entries)
    rng = random.Random(args.seed)
    pooled: dict[str, list[str]] = {}
    contributions: dict[str, dict[str, int]] = {}
    try:
        for topic in topics:
            runs = pool_topic(index, fts5, topic, args.depth, extra)
            union = sorted({d for docs in runs.values() for d in docs})
            rng.shuffle(union)
            pooled[topic["qid"]] = union
            contributions[topic["qid"]] = {name: len(docs) for name, docs in runs.items()}
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        order = list(topics)
        rng.shuffle(order)
        shares = [order[i :: args.judges] for i in range(args.judges)]
        for n, share in enumerate(shares, start=1):
            share.sort(key=lambda t: t["qid"])
            (out / f"packet-{n}.md").write_text(render_packet(share, pooled, index), encoding="utf-8")
    finally:
        index.close()
    (out / "pool.json").write_text(
        json.dumps(
            {"depth": args.depth, "systems": sorted(next(iter(contributions.values()), {})), "pool": pooled},
            indent=1,
        ),
        encoding="utf-8",
    )
    sizes = [len(v) for v in pooled.values()]
    print(f"{len(topics)} topics, {sum(sizes)} entries to grade ({min(sizes)}–{max(sizes)} a topic), "
          f"{args.judges} packets in {out}")  # fmt: skip
    return 0


def merge(args: argparse.Namespace) -> int:
    """Check the judges' grades against the pool and write the judgment set."""
    folder = Path(args.dir)
    pool = json.loads((folder / "pool.json").read_text(encoding="utf-8"))["pool"]
    topics = json.loads(Path(args.topics).read_text(encoding="utf-8"))
    grades: dict[str, dict[str, int]] = {}
    for path in args.grades:
        for qid, given in json.loads(Path(path).read_text(encoding="utf-8")).items():
            if qid in grades:
                raise SystemExit(f"{path}: {qid} was graded twice")
            grades[qid] = given
    problems = []
    for qid, docs in pool.items():
        given = grades.get(qid)
        if given is None:
            problems.append(f"{qid}: no grades")
            continue
        missing = [d for d in docs if d not in given]
        bad = [d for d, g in given.items() if g not in GRADES]
        if missing:
            problems.append(f"{qid}: {len(missing)} pooled entries not graded")
        if bad:
            problems.append(f"{qid}: grades other than 0, 1, 2 for {', '.join(bad)}")
    if problems:
        raise SystemExit("\n".join(problems))
    into = Path(args.into)
    into.mkdir(parents=True, exist_ok=True)
    write_topics(into / "topics.jsonl", [Topic(t["qid"], t["kind"], t["query"], t["need"]) for t in topics])
    write_qrels(into / "qrels.txt", {t["qid"]: grades[t["qid"]] for t in topics})
    print(f"wrote {len(topics)} topics and {sum(len(g) for g in grades.values())} grades to {into}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Pool a judgment set, or merge its judges' grades."""
    parser = argparse.ArgumentParser(prog="python -m search.bench.pool", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pool", help="pool topics from several systems into judges' packets")
    p.add_argument("topics", help="JSON list of topics with needs and seeds")
    p.add_argument("--out", required=True)
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--judges", type=int, default=5)
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument(
        "--run",
        dest="runs",
        action="append",
        default=[],
        metavar="NAME=RUN.json",
        help="a further system's run to pool",
    )
    p.set_defaults(run=make_pool)
    m = sub.add_parser("merge", help="check the judges' grades and write topics.jsonl and qrels.txt")
    m.add_argument("dir", help="the folder `pool` wrote")
    m.add_argument("--topics", required=True, help="the topics file given to `pool`")
    m.add_argument("--grades", nargs="+", required=True, help="judges' files: {qid: {entry-id: grade}}")
    m.add_argument("--into", required=True, help="the judgment set's folder")
    m.set_defaults(run=merge)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    run(main)
