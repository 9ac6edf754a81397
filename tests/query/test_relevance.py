"""Relevance on the judgment sets: pinned figures, every kind ahead of a plain engine, no empty answers.

`data/judgments/` holds the sets in TREC form (`search.bench.trec`); `regression.json`
pins each set's nDCG@10 and recall@20, as an IR lab's regression files do, so a change
that moves a figure fails here until the file is updated on purpose
(`python -m search.bench.relevance --pin`).
"""

from __future__ import annotations

import json

import pytest

from search.bench.relevance import evaluate, summarise
from search.bench.trec import JUDGMENTS, load_sets
from search.query.request import parse_request

REGRESSION = JUDGMENTS / "regression.json"


@pytest.fixture(scope="module")
def sets():
    return load_sets()


@pytest.fixture(scope="module")
def rows(search_index, sets):
    return evaluate(search_index, sets)


@pytest.fixture(scope="module")
def figures(rows):
    return summarise(rows)


def test_every_judged_entry_exists(search_index, sets):
    for jset in sets:
        for qid, grades in jset.qrels.items():
            unknown = [d for d in grades if d not in search_index.by_id]
            assert not unknown, (jset.name, qid, unknown)
        assert all(jset.relevant(t.qid) for t in jset.topics), jset.name


def test_figures_are_the_pinned_ones(figures):
    pinned = json.loads(REGRESSION.read_text(encoding="utf-8"))["sets"]
    assert set(pinned) == set(figures["sets"])
    for name, expected in pinned.items():
        got = figures["sets"][name]
        assert got["ndcg"] == pytest.approx(expected["ndcg"], abs=0.0015), name
        assert got["recall"] == pytest.approx(expected["recall"], abs=0.0015), name


def test_every_kind_of_tuning_query_beats_a_plain_engine(figures):
    for kind, per_role in figures["kinds"].items():
        if "tuning" in per_role:
            assert per_role["tuning"]["ndcg"] > per_role["tuning"]["fts5_ndcg"], kind


def test_no_query_returns_nothing_where_the_report_has_an_answer(search_index, sets):
    # Every judged query has a relevant entry, so none may find nothing.
    empty = []
    for jset in sets:
        for t in jset.topics:
            found = search_index.search(parse_request({"q": [t.query]}), snippets=False, facets=False)
            if found.total == 0:
                empty.append((jset.name, t.qid))
    assert not empty


def test_a_part_switched_off_is_measured_on_every_set_and_role(search_index, sets, rows, capsys):
    from search.bench.relevance import ablate, print_ablation

    table = ablate(search_index, sets, ["proximity"], rows)
    row = table[0]
    sizes = {s.name: len(s.topics) for s in sets}
    for role in ("tuning", "held-out"):
        names = [s.name for s in sets if s.role == role]
        pooled = sum(row["sets"][n] * sizes[n] for n in names) / sum(sizes[n] for n in names)
        assert row[role]["delta"] == pytest.approx(pooled, abs=1e-3), role
    print_ablation(table)
    printed = capsys.readouterr().out
    assert "proximity" in printed and all(
        n.removeprefix("heldout-") in printed for n in row["sets"] if "heldout" in n
    )
