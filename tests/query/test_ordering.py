"""The learned order: its trees, its file, how it is learned, and where it applies."""

from __future__ import annotations

import copy
import json
import math
import shutil
from pathlib import Path

import lightgbm
import numpy as np
import pytest

from search.bench.learn import CANDIDATES, SETTINGS, complete_tree, learn
from search.bench.trec import JUDGMENTS
from search.curated.ordering import DEPTH, FEATURES, ORDERING_FILE, load_ordering, read_ordering
from search.errors import CorpusError
from search.index.build import build_index
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from tests.query.searching import ids, search

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
OFF = frozenset({"learned-order"})


def engine_ids(index, q: str, per_page: int = 10, **params) -> list[str]:
    request = parse_request({"q": [q], "per_page": [str(per_page)], **params})
    return ids(index.search(request, without=OFF))


def test_the_complete_trees_score_as_lightgbm_does():
    """Trees of every shape LightGBM grows at depth 3 (leaves above the last level among them)
    score every row exactly as LightGBM's own prediction does."""
    rng = np.random.default_rng(7)
    x = rng.random((600, len(FEATURES))) * rng.choice([1.0, 5.0, 40.0], len(FEATURES))
    x[:, 0] = np.tile(np.arange(1, 31), 20)  # ranks, as the features give them
    y = rng.integers(0, 3, 600)
    booster = lightgbm.train(
        dict(SETTINGS, num_iterations=40, min_data_in_leaf=40), lightgbm.Dataset(x, y, group=[30] * 20)
    )
    trees = [complete_tree(t["tree_structure"]) for t in booster.dump_model()["tree_info"]]
    data = {"features": list(FEATURES), "depth": DEPTH, "candidates": CANDIDATES, "trees": trees}
    model = read_ordering(data, "test")
    assert np.abs(model.score(x) - booster.predict(x)).max() < 1e-9
    assert any(t["thresholds"].count(1e300) for t in trees), "some tree has a leaf above the last level"
    assert model.score(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_the_model_is_what_the_tuning_judgments_give(search_index):
    """corpus/ordering.json is learned from the tuning judgments alone, and learning it again
    from them gives the same file: nobody edited it, and no held-out set went into it."""
    learned = learn(search_index, JUDGMENTS)
    assert learned == json.loads((CORPUS / ORDERING_FILE).read_text(encoding="utf-8"))
    assert all(name.startswith("tuning-") for name in learned["learned_from"]["sets"])


def model_data() -> dict:
    return json.loads((CORPUS / ORDERING_FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["features"].reverse(), "'features' must list"),
        (lambda d: d.update(depth=4), "'depth' must be 3"),
        (lambda d: d.update(candidates=1), "'candidates' must be a whole number"),
        (lambda d: d.update(candidates=True), "'candidates' must be a whole number"),
        (lambda d: d.update(trees=[]), "'trees' must be a list"),
        (lambda d: d["trees"][3]["features"].pop(), "tree 3: 'features' must name 7"),
        (lambda d: d["trees"][0]["features"].__setitem__(0, "mood"), "tree 0: 'features' must name 7"),
        (
            lambda d: d["trees"][5]["thresholds"].__setitem__(2, math.nan),
            "tree 5: 'thresholds' must be 7 finite",
        ),
        (lambda d: d["trees"][1]["leaves"].__setitem__(0, "0.1"), "tree 1: 'leaves' must be 8 finite"),
        (lambda d: d["trees"].append([]), "must be an object"),
    ],
)
def test_a_bad_model_is_refused_when_read(tmp_path, change, message):
    data = copy.deepcopy(model_data())
    change(data)
    path = tmp_path / ORDERING_FILE
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_ordering(path)


def test_a_build_refuses_a_bad_model_and_one_without_a_model_keeps_the_engines_order(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = model_data()
    data["depth"] = 2
    (corpus / ORDERING_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match="'depth' must be 3"):
        build_index(corpus, tmp_path / "refused")
    (corpus / ORDERING_FILE).unlink()
    build_index(corpus, tmp_path / "index")
    index = SearchIndex.open(tmp_path / "index")
    try:
        assert index.reorderer is None
        result = index.search(parse_request({"q": ["victim letters"], "explain": ["1"]}))
        assert result.total > 0 and result.explanation["learned_order"] == 0
    finally:
        index.close()


@pytest.mark.parametrize(
    "q", ["victim letters", "staff feel isolated in distant offices", "prosecutors late with case papers"]
)
def test_only_the_first_candidates_are_reordered_and_every_page_agrees(search_index, q):
    engine = engine_ids(search_index, q, per_page=100)
    ordered = ids(search(search_index, q, per_page=100))
    assert len(engine) > CANDIDATES
    assert sorted(ordered[:CANDIDATES]) == sorted(engine[:CANDIDATES])
    assert ordered[CANDIDATES:] == engine[CANDIDATES:]
    assert ordered[:CANDIDATES] != engine[:CANDIDATES], "the model should have something to say"
    paged = [i for page in (1, 2, 3, 4) for i in ids(search(search_index, q, page=page, per_page=9))]
    assert paged == ordered[:36]


@pytest.mark.parametrize(
    "q",
    [
        "good practice on disclosure",  # a kind named
        "community engagement ratings",  # a kind asked for
        "part c disclosure",  # a section
        "which areas were rated poor for casework",  # an answer
        '"unused material"',  # the query syntax
        "disclos*",
        "disclosure -police",
    ],
)
def test_a_query_that_says_what_comes_first_keeps_the_engines_order(search_index, q):
    assert ids(search(search_index, q, per_page=30)) == engine_ids(search_index, q, per_page=30)


def test_the_engines_order_is_kept_when_sorted_by_document(search_index):
    params = {"sort": ["document"], "explain": ["1"]}
    result = search_index.search(parse_request({"q": ["victim letters"], **params}))
    assert ids(result) == engine_ids(search_index, "victim letters", **params)
    assert result.explanation["learned_order"] == 0
    assert all("engine_rank" not in h.explanation for h in result.hits)


def test_explain_says_where_the_engine_had_each_result(search_index):
    result = search_index.search(parse_request({"q": ["staff feel isolated"], "explain": ["1"]}))
    assert result.explanation["learned_order"] == CANDIDATES
    engine = engine_ids(search_index, "staff feel isolated", per_page=CANDIDATES)
    assert [h.explanation["engine_rank"] for h in result.hits] == [engine.index(i) + 1 for i in ids(result)]
