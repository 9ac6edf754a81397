"""Learn the order of a search's first candidates from the tuning judgments: `corpus/ordering.json`.

    python -m search.bench.learn [--judgments DIR] [--index DIR] [--out FILE] [--check]

Every query of every *tuning* set (`sets.json`; held-out sets are never read) is searched
with the learned order switched off; its first candidates' features
(`search.query.reorder.CandidateFeatures`) and their grades (0 where not judged) are the
rows LightGBM's LambdaMART learns from, one group per query, gains 0, 1, 3 as the
relevance figures count them. The settings were chosen by five-fold cross-validation over
the tuning queries. Its trees are written as complete trees of depth 3, and the file is
checked against LightGBM's own predictions before it is written. Learning is deterministic:
the same judgments, index and code give the same file (`--check` says whether the file
is what they give).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.bench.entry import run
from search.bench.trec import JUDGMENTS, JudgmentSet, load_sets
from search.curated.ordering import (
    DEPTH,
    FEATURES,
    INNER,
    LEAVES,
    ORDERING_FILE,
    load_ordering,
    read_ordering,
)
from search.query.parts import LEARNED_ORDER
from search.query.reorder import Reorderer
from search.query.request import parse_request
from search.query.searcher import SearchIndex

CANDIDATES = 30
# Chosen by five-fold cross-validation over the tuning queries (nDCG@10 of the reordered
# candidates): depth 3 and 200 trees at 0.05 beat 100–600 trees, depths 2 and 3 and
# 7–15 leaves without a depth limit.
SETTINGS = {
    "objective": "lambdarank",
    "num_iterations": 200,
    "learning_rate": 0.05,
    "num_leaves": 2**DEPTH,
    "max_depth": DEPTH,
    "min_data_in_leaf": 20,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "lambda_l2": 1.0,
    "label_gain": [0, 1, 3],
    "lambdarank_truncation_level": 10,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
# An inner node with nothing to split sends every candidate left: no feature reaches this.
PASS = 1e300
ABOUT = (
    "The learned order of a search's first candidates (search/curated/ordering.py), learned "
    "from the tuning judgments only by `python -m search.bench.learn`; do not edit by hand."
)


@dataclass(frozen=True)
class QueryRows:
    """One tuning query's candidates as the model reads them, and their grades."""

    set: str
    qid: str
    features: np.ndarray
    grades: np.ndarray


def query_rows(index: SearchIndex, judged: JudgmentSet) -> list[QueryRows]:
    """Return the rows of a judgment set's queries the learned order applies to, searched with
    it switched off: each query's first candidates, and their grades (0 where not judged)."""
    rows = []
    for topic in judged.topics:
        request = parse_request({"q": [topic.query], "per_page": [str(CANDIDATES)]})
        result = index.search(request, snippets=False, facets=False, without=frozenset({LEARNED_ORDER}))
        prepared = index.prepare(request)
        if not result.hits or not Reorderer.applies(prepared):
            continue  # nothing to order, or a query the learned order leaves in the engine's order
        ranked = [(index.by_id[h.entry.id], h.score or 0.0) for h in result.hits]
        grade = judged.relevant(topic.qid)
        features = index.candidate_features.rows(prepared, ranked)
        grades = np.array([grade.get(h.entry.id, 0) for h in result.hits])
        rows.append(QueryRows(judged.name, topic.qid, features, grades))
    return rows


def tuning_rows(index: SearchIndex, judgments: Path) -> list[QueryRows]:
    """Return the rows of every tuning set's queries (held-out sets are never read)."""
    return [
        row for judged in load_sets(judgments) if judged.role == "tuning" for row in query_rows(index, judged)
    ]


def learn(index: SearchIndex, judgments: Path) -> dict:
    """Learn the order from the tuning judgments; return the file's data."""
    return fit(tuning_rows(index, judgments))


def fit(rows: list[QueryRows]) -> dict:
    """Learn the trees from some queries' rows; return the file's data, checked against LightGBM."""
    try:
        import lightgbm
    except ImportError:
        sys.exit("learning the order needs LightGBM: make venv (the test dependencies include it)")
    x = np.vstack([r.features for r in rows])
    y = np.concatenate([r.grades for r in rows])
    booster = lightgbm.train(SETTINGS, lightgbm.Dataset(x, y, group=[len(r.grades) for r in rows]))
    trees = [complete_tree(t["tree_structure"]) for t in booster.dump_model()["tree_info"]]
    data = {
        "_about": ABOUT,
        "features": list(FEATURES),
        "depth": DEPTH,
        "candidates": CANDIDATES,
        "learned_from": {
            "sets": list(dict.fromkeys(r.set for r in rows)),
            "queries": len(rows),
            "candidates": len(y),
        },
        "settings": {k: v for k, v in SETTINGS.items() if k not in ("verbose", "num_threads")},
        "trees": trees,
    }
    # The complete trees must score every row as LightGBM does.
    gap = np.abs(read_ordering(data, ORDERING_FILE).score(x) - booster.predict(x)).max()
    if gap > 1e-9:
        raise ValueError(f"the complete trees score {gap} away from LightGBM's")
    return data


def complete_tree(node: dict) -> dict:
    """Return a LightGBM tree as a complete tree of depth DEPTH: each inner node's feature and
    threshold (left when at most), breadth first, then the leaves' values."""
    features = [FEATURES[0]] * INNER
    thresholds = [PASS] * INNER
    leaves = [0.0] * LEAVES

    def put(at: dict, position: int, level: int) -> None:
        if level == DEPTH:
            if "leaf_value" not in at:
                raise ValueError(f"a tree deeper than {DEPTH}")
            leaves[position - INNER] = float(at["leaf_value"])
            return
        if "leaf_value" in at:  # a leaf above the last level: every candidate goes left
            put(at, 2 * position + 1, level + 1)
            put(at, 2 * position + 2, level + 1)
            return
        if at.get("decision_type") != "<=" or at.get("missing_type", "None") not in ("None", "Zero"):
            raise ValueError(f"a split the complete trees cannot hold: {at.get('decision_type')}")
        features[position] = FEATURES[at["split_feature"]]
        thresholds[position] = float(at["threshold"])
        put(at["left_child"], 2 * position + 1, level + 1)
        put(at["right_child"], 2 * position + 2, level + 1)

    put(node, 0, 0)
    return {"features": features, "thresholds": thresholds, "leaves": leaves}


def write(data: dict, out: Path) -> None:
    """Write the model and read it back as the service would."""
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    load_ordering(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.bench.learn", description=__doc__.split("\n")[0])
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="folder with sets.json")
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--out", type=Path, default=Path("corpus") / ORDERING_FILE)
    parser.add_argument(
        "--check", action="store_true", help="say whether --out is what learning gives; write nothing"
    )
    args = parser.parse_args(argv)
    index = SearchIndex.open(args.index)
    try:
        data = learn(index, args.judgments)
    finally:
        index.close()
    if args.check:
        same = args.out.is_file() and json.loads(args.out.read_text(encoding="utf-8")) == data
        print(f"{args.out} {'is' if same else 'is not'} what the tuning judgments give")
        return 0 if same else 1
    write(data, args.out)
    about = data["learned_from"]
    print(
        f"Learned {len(data['trees'])} trees from {about['queries']} tuning queries ({about['candidates']} candidates): {args.out}"
    )
    return 0


if __name__ == "__main__":
    run(main)
