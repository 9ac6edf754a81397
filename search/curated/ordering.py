"""The learned order (`corpus/ordering.json`): trees that put a search's first candidates in order.

The model is learned from the tuning judgments alone (`python -m search.bench.learn`),
never from the held-out ones, and is data like the rest of corpus/: the build copies it,
and it is checked when read. It names the features it reads (`FEATURES`, computed in
`search.query.reorder`), how many of the engine's first candidates it orders, and its
trees. Every tree is complete and of depth `DEPTH`: an inner node sends a candidate left
when its feature is at most the node's threshold (a node with nothing to split says so with
a threshold no feature reaches), and a candidate's score is the sum of the leaves it reaches.
Scoring is array arithmetic over every tree and candidate at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.curated.jsonfile import read_json
from search.errors import CorpusError
from search.models import KINDS

# The model's file in the corpus folder and in a build's curated/ (a corpus may have none).
ORDERING_FILE = "ordering.json"
DEPTH = 3  # seven inner nodes a tree: their decisions fit in one byte (`OrderModel.score`)
INNER = 2**DEPTH - 1
LEAVES = 2**DEPTH
# The questions `search.query.understanding` tells apart ("" for none).
QUESTIONS = ("", "definition", "question", "which-areas", "count", "superlative", "area-scores")
# What the model may read of a query and one of its candidates, in this order.
FEATURES = (
    "rank",  # the candidate's place in the engine's order, from 1
    "score_share",  # its score over the first candidate's
    "log_length",  # log of the number of its words
    "covered",  # the share of the query's topic words it holds (text or title)
    "covered_weighted",  # the same, each word weighted by how rare it is in the report
    "covered_in_title",  # the share of the topic words in its title
    "density",  # how often the topic words occur in its text, over its length
    "first_match",  # where the first topic word stands in its text, over its length (1: nowhere)
    "topic_words",  # how many topic words the query has
    "words",  # how many words it has, those with no topic included
    "foreign_words",  # how many of them the report never uses
    "areas_named",  # how many Areas the query names
    "entry_areas",  # how many Areas the candidate is about
    "area_match",  # 1 when it is about an Area named
    "themes_matched",  # how many of the themes the engine read in the query it is tagged with
    "themes_signalled",  # how many themes the engine read in the query (named or signalled)
    "kinds_named",  # how many kinds of entry the query names
    "kind_match",  # 1 when it is of a kind named
    *(f"kind:{kind}" for kind in KINDS),  # 1 for its kind of entry
    *(f"question:{q or 'none'}" for q in QUESTIONS),  # 1 for the query's kind of question
)
MAX_CANDIDATES = 100


@dataclass(frozen=True)
class OrderModel:
    """Complete trees of depth DEPTH over FEATURES, and how many candidates they order."""

    candidates: int
    node_features: np.ndarray  # (INNER, trees): the feature each inner node reads, node by node
    node_thresholds: np.ndarray  # (INNER, trees): left when the feature is at most this
    leaves: np.ndarray  # (trees, LEAVES): the value of each leaf
    by_decisions: np.ndarray  # (trees × 2 ** INNER): the leaf value each tree's decisions reach
    offsets: np.ndarray  # where each tree's values start in by_decisions

    def score(self, rows: np.ndarray) -> np.ndarray:
        """Return the score of each row of features (candidates × FEATURES)."""
        if not len(rows):
            return np.zeros(0)
        # Each tree's seven decisions as the bits of one number (node k, bit k), which names the
        # leaf reached: `by_decisions` holds, per tree, the leaf value each such number reaches.
        left = rows[:, self.node_features] <= self.node_thresholds  # candidates × INNER × trees
        decisions = (left * BITS).sum(axis=1, dtype=np.uint8)  # candidates × trees
        return self.by_decisions[self.offsets + decisions].sum(axis=1)


def leaf_of(decisions: int) -> int:
    """Return the leaf (0 to LEAVES − 1, from the left) a complete tree's node decisions lead to;
    bit k of `decisions` is set when node k (breadth first) sends a candidate left."""
    node = 0
    while node < INNER:
        node = 2 * node + (1 if decisions >> node & 1 else 2)
    return node - INNER


LEAF_OF = np.array([leaf_of(d) for d in range(2**INNER)], dtype=np.intp)
BITS = (1 << np.arange(INNER, dtype=np.uint8))[:, None]  # node k's decision is bit k


def load_ordering(path: Path) -> OrderModel:
    """Read and check the learned order, or raise CorpusError saying what is wrong."""
    return read_ordering(read_json(path), path.name)


def read_ordering(data: dict, name: str) -> OrderModel:
    """Check the learned order's data (from the file `name`) and return the model."""
    if data.get("features") != list(FEATURES):
        raise CorpusError(
            f"{name}: 'features' must list the features the code computes, in order: {FEATURES}"
        )
    if data.get("depth") != DEPTH:
        raise CorpusError(f"{name}: 'depth' must be {DEPTH}")
    candidates = data.get("candidates")
    if (
        not isinstance(candidates, int)
        or isinstance(candidates, bool)
        or not 1 < candidates <= MAX_CANDIDATES
    ):
        raise CorpusError(f"{name}: 'candidates' must be a whole number from 2 to {MAX_CANDIDATES}")
    trees = data.get("trees")
    if not isinstance(trees, list) or not trees:
        raise CorpusError(f"{name}: 'trees' must be a list of trees")
    index = {feature: n for n, feature in enumerate(FEATURES)}
    features, thresholds, leaves = [], [], []
    for n, tree in enumerate(trees):
        where = f"{name}: tree {n}"
        if not isinstance(tree, dict):
            raise CorpusError(f"{where} must be an object with 'features', 'thresholds' and 'leaves'")
        read = tree.get("features")
        if not isinstance(read, list) or len(read) != INNER or any(f not in index for f in read):
            raise CorpusError(f"{where}: 'features' must name {INNER} of the features")
        features.append([index[f] for f in read])
        thresholds.append(numbers(tree.get("thresholds"), INNER, f"{where}: 'thresholds'"))
        leaves.append(numbers(tree.get("leaves"), LEAVES, f"{where}: 'leaves'"))
    values = np.array(leaves, dtype=float)
    return OrderModel(
        candidates,
        np.array(features, dtype=np.intp).T.copy(),
        np.array(thresholds, dtype=float).T.copy(),
        values,
        values[:, LEAF_OF].reshape(-1),
        np.arange(len(trees)) * 2**INNER,
    )


def numbers(values, count: int, what: str) -> list[float]:
    """Return `count` finite numbers, or raise CorpusError naming what they were to be."""
    if (
        not isinstance(values, list)
        or len(values) != count
        or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
        )
    ):
        raise CorpusError(f"{what} must be {count} finite numbers")
    return [float(v) for v in values]
