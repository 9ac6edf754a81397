"""The engine against Whoosh's own ranking: same matches, same order, same scores — filtered,
paged deep, and with facet counts checked against the entries themselves."""

from __future__ import annotations

import inspect
import json
import shutil
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import NotFound
from search.models import Entry, Hit, SearchRequest, SearchResult, Suggestion
from search.query import nodes
from search.query.backend import SearchBackend
from search.query.engine.bitsets import mask_of
from search.query.request import parse_request
from search.query.searcher import SearchIndex
from search.text.analysis import stems

FIXED_QUERIES = [
    "disclosure", "victim letters", '"disclosure record sheet"', "IQA", "Chief Crown Prosecutor",
    "comunity engagment", "case progression magistrates courts", "disclos*", "hate crime uplift", "disclosure~",
    "+police file", "area:wessex police", "MG3", "Local Scrutiny Involvement Panels", "pan-London Business Centre",
    "work-life balance", "sickness absence", '"victim personal statement"', "budget control agents",
    "theme:disclosure", "kind:issue", "the of and", "2.4", "para-4.10", "rasso", "witness care unit",
    '+"unused material" schedules', "leadership communication staff engagement morale vision", "Wessex",
    "issues to address London North", "good practice", "strengths",
]  # fmt: skip
WORDS = ["disclosure", "victim", "letters", "police", "file", "quality", "case", "court", "training", "area",
         "IQA", "CCP", "VLU", "staff", "wessex", "crown", "record", "sheet", "unused", "material", "hate", "crime"]  # fmt: skip


@pytest.mark.parametrize("q", FIXED_QUERIES)
def test_ranker_matches_whoosh_on_the_report(search_index, whoosh, q):
    whoosh.assert_same(search_index, q)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    quoted=st.booleans(),
    prefix=st.sampled_from(["", "+", "-"]),
)
def test_ranker_matches_whoosh_on_generated_queries(search_index, whoosh, words, quoted, prefix):
    q = " ".join(words)
    if quoted:
        q = f'"{q}"'
    if prefix == "-":
        # Whoosh's AndNot does not check its first document against the excluded side
        # (AndNotMatcher._find_first), so exclusions are compared on what they mean instead.
        q = f"{q} -police"
        query, _ = whoosh.ranked(search_index, q)
        ranking = search_index.ranker.run(query, search_index.searcher(), search_index.facets.everything)
        positive, _ = whoosh.ranked(search_index, q.replace(" -police", ""))
        police = {n for n, e in enumerate(search_index.entries) if "polic" in stems(e.text) + stems(e.title)}
        expected = (
            [d for d, _ in whoosh.ranking(search_index, positive) if d not in police] if positive else []
        )
        assert ranking.matched == mask_of(expected)
        return
    whoosh.assert_same(search_index, prefix + q)


# Every kind of node, alone and where the compiler never puts it (an And inside an Or is
# all or nothing, so its score is no plain sum), each checked against Whoosh.
WORD = nodes.Term("text", "disclosur")
TITLE = nodes.Term("title", "disclosur", boost=2.0)
PHRASE = nodes.Phrase("text", ("victim", "letter"))
NODE_KINDS = {
    "term": WORD,
    "keyword term": nodes.Term("kind", "issue", boost=0.7),
    "phrase with slop": nodes.Phrase("text", ("case", "progress"), slop=3, boost=1.5),
    "phrase in the aliases": nodes.Phrase("aliases", ("individu", "qualiti", "assess"), boost=0.8),
    "best field": nodes.BestOf((WORD, TITLE)),
    "best field, boosted": nodes.BestOf(
        (WORD, TITLE, nodes.Term("context", "disclosur", boost=0.5)), boost=0.3
    ),
    "or, boosted": nodes.Or((WORD, PHRASE, nodes.Term("text", "polic")), boost=1.7),
    "and": nodes.And((WORD, nodes.Term("text", "schedul"))),
    "and inside an or": nodes.Or((nodes.And((WORD, nodes.Term("text", "polic")), boost=2.0), PHRASE)),
    "and with a phrase inside an or": nodes.Or((nodes.And((nodes.Term("text", "victim"), PHRASE)), TITLE)),
    "and-maybe": nodes.AndMaybe(WORD, nodes.Or((PHRASE, nodes.Term("text", "record")))),
    "and-maybe inside an or": nodes.Or((nodes.AndMaybe(WORD, nodes.Term("text", "sheet")), PHRASE)),
    "and-not": nodes.AndNot(nodes.Or((WORD, PHRASE)), nodes.Term("text", "polic")),
    "and-not, a phrase": nodes.AndNot(
        nodes.Term("text", "victim"), nodes.Phrase("text", ("victim", "letter"))
    ),
    "constant": nodes.Constant(nodes.Term("themes", "disclosure"), 4.0),
    "constant over a phrase": nodes.Or((nodes.Constant(PHRASE, 2.5), WORD)),
    "every entry": nodes.Every(),
    "every entry, boosted, with a word": nodes.Or((nodes.Every(boost=0.5), WORD)),
}


@pytest.mark.parametrize("name", NODE_KINDS)
def test_every_node_kind_matches_and_scores_as_whoosh(search_index, whoosh, name):
    node = NODE_KINDS[name]
    if name.startswith("and-not"):
        # Whoosh lets the first match past the excluded side unchecked (see test above):
        # compared on what the node means instead.
        ranking = search_index.ranker.run(node, search_index.searcher(), search_index.facets.everything)
        police = mask_of(d for d, _ in whoosh.ranking(search_index, node.negative))
        positive = mask_of(d for d, _ in whoosh.ranking(search_index, node.positive))
        assert ranking.matched == positive & ~police
        return
    whoosh.assert_same_query(search_index, node, depth=40)


@pytest.mark.parametrize("name", NODE_KINDS)
def test_a_nodes_candidates_hold_every_match(search_index, name):
    node = NODE_KINDS[name]
    everything = search_index.facets.everything
    fresh = search_index.ranker.run(nodes.Every(), search_index.searcher(), 0).run
    candidates = node.candidates(fresh)
    matched = search_index.ranker.run(node, search_index.searcher(), everything).matched
    assert matched and candidates & matched == matched, name


def test_a_nodes_contribution_adds_up_to_its_ranked_score(search_index):
    for name in ("or, boosted", "and-maybe", "best field, boosted", "constant over a phrase"):
        node = NODE_KINDS[name]
        ranking = search_index.ranker.run(node, search_index.searcher(), search_index.facets.everything)
        for doc, score in ranking.top(ranking.matched, 15):
            assert node.contribution(ranking.run, doc)[0] == pytest.approx(score, rel=1e-9), name


# Several phrases, one of them with slop, beside words: each with candidates that hold
# the words but not the phrase.
PHRASES = nodes.Or(
    (
        nodes.Phrase("text", ("case", "progress"), slop=2, boost=1.5),
        nodes.Phrase("text", ("victim", "letter")),
        nodes.Phrase("text", ("crown", "court")),
        nodes.Term("text", "court"),
        WORD,
    )
)


@pytest.mark.parametrize("checked_first", ["none", "some", "every"])
@pytest.mark.parametrize("k", [1, 10, 30])
def test_top_k_is_the_same_however_much_of_each_phrase_was_checked(index_dir, checked_first, k):
    # A fresh index: no request has checked a phrase in any document yet.
    index = SearchIndex.open(index_dir)
    everything = index.facets.everything
    ranking = index.ranker.run(PHRASES, index.searcher(), everything)
    matches = [d for d in range(len(index.entries)) if ranking.matched >> d & 1]
    assert len(matches) > 30
    if checked_first != "none":
        # Requests before this one checked the phrases in some documents or in all of them.
        index.ranker.run(PHRASES, index.searcher(), everything).run.exact(
            matches[::3] if checked_first == "some" else matches
        )
    fresh = index.ranker.run(PHRASES, index.searcher(), everything)
    top = fresh.top(fresh.matched, k)
    expected = sorted(zip(ranking.run.exact(matches), matches, strict=True), key=lambda sd: (-sd[0], sd[1]))
    assert top == [(d, score) for score, d in expected[:k]]


def test_equal_queries_are_equal_nodes():
    assert nodes.Or((WORD, PHRASE)) == nodes.Or((WORD, PHRASE))
    assert hash(nodes.Or((WORD, PHRASE))) == hash(nodes.Or((WORD, PHRASE)))
    assert nodes.Or((WORD, PHRASE), boost=2.0) != nodes.Or((WORD, PHRASE))
    assert nodes.BestOf((WORD,)) != nodes.Or((WORD,))
    assert list(NODE_KINDS["and-maybe"].leaves()) == [WORD, PHRASE, nodes.Term("text", "record")]


def test_forward_index_holds_what_the_analyzer_indexed(search_index):
    forward = search_index.forward
    assert forward is not None
    for n, entry in enumerate(search_index.entries):
        for fieldname, text in (("title", entry.title), ("text", entry.text)):
            terms = stems(text)
            words = tuple(dict.fromkeys(terms))
            expected = [[i for i, t in enumerate(terms) if t == w] for w in words]
            assert forward.positions(fieldname, n, words) == expected, (entry.id, fieldname)
    assert forward.positions("text", 0, ("no-such-term",)) == [[]]


def test_builds_without_a_forward_index_still_rank_the_same(tmp_path, index_dir, search_index):
    old = tmp_path / "index"
    shutil.copytree(index_dir, old)
    build = old / "builds" / (old / "CURRENT").read_text().strip()
    meta = json.loads((build / "meta.json").read_text())
    for name in [n for n in meta["files"] if n.startswith("forward-")]:
        (build / name).unlink()
        del meta["files"][name]
        meta.get("digests", {}).pop(name, None)
    (build / "meta.json").write_text(json.dumps(meta))
    legacy = SearchIndex.open(old)
    try:
        assert legacy.forward is None
        for q in ("victim letters", '"disclosure record sheet"', "Chief Crown Prosecutor", "MG3"):
            request = parse_request({"q": [q]})
            ours, theirs = legacy.search(request), search_index.search(request)
            assert [(h.entry.id, h.score) for h in ours.hits] == [(h.entry.id, h.score) for h in theirs.hits]
    finally:
        legacy.close()


# -- whole searches: facet filters, deep pages and counts, against a reference -----------------

FACET_VALUES = {"area": "areas", "theme": "themes", "part": "part", "kind": "kind"}
FILTERED = [
    ("casework", {"area": ["london-north", "london-south"]}),
    ("disclosure", {"kind": ["issue", "paragraph"], "part": ["c"]}),
    ("victim letters", {"theme": ["victims-and-witnesses", "partnership-working"]}),
    ("police file quality", {"kind": ["issue", "strength"]}),
    ("training staff", {"part": ["a", "b"], "theme": ["training-and-development", "staff-wellbeing"]}),
    ("case progression", {}),
    ("casework quality", {"area": ["north-east", "mersey-cheshire", "cymru-wales"]}),
]


def values_of(entry: Entry, facet: str) -> set[str]:
    value = getattr(entry, FACET_VALUES[facet])
    return set(value) if isinstance(value, tuple) else {value}


def reference_search(whoosh, index, q: str, selections: dict[str, list[str]]):
    """Answer a search from Whoosh's full ranking and the entries' own fields, not the engine."""

    def kept(entry: Entry, skip: str | None = None) -> bool:
        return all(values_of(entry, f) & set(v) for f, v in selections.items() if v and f != skip)

    ranked = whoosh.ranked_search(index, q)
    # The learned order puts the first candidates of what the filters keep in order.
    hits = whoosh.ranked_search(index, q, kept=lambda d: kept(index.entries[d]))
    counts = {
        facet: Counter(
            v for d, _ in ranked if kept(index.entries[d], facet) for v in values_of(index.entries[d], facet)
        )
        for facet in FACET_VALUES
    }
    return hits, counts


@pytest.mark.parametrize(("q", "selections"), FILTERED)
def test_filtered_searches_match_the_reference_page_by_page(search_index, whoosh, q, selections):
    hits, counts = reference_search(whoosh, search_index, q, selections)
    assert len(hits) > 10, "each case should need several pages"
    for page in range(1, len(hits) // 10 + 2):
        result = search_index.search(parse_request({"q": [q], "page": [str(page)], **selections}))
        expected = hits[(page - 1) * 10 : page * 10]
        assert result.total == len(hits)
        assert [h.entry.id for h in result.hits] == [search_index.entries[d].id for d, _ in expected], page
        assert [h.score for h in result.hits] == pytest.approx([s for _, s in expected], abs=1e-4)
    for facet, expected_counts in counts.items():
        assert {v.value: v.count for v in result.facets[facet] if v.count} == dict(expected_counts), facet


@pytest.mark.parametrize("q", ["disclosure", "police", "area", "court case", "staff", "casework quality"])
def test_every_page_of_a_large_result_matches_whoosh(search_index, whoosh, q):
    # Many matches, so past the first pages the top-k bound is all that keeps the order right.
    ranked = whoosh.ranked_search(search_index, q)
    per_page = 7
    seen = []
    for page in range(1, len(ranked) // per_page + 2):
        result = search_index.search(
            parse_request({"q": [q], "page": [str(page)], "per_page": [str(per_page)]})
        )
        seen += [(h.entry.id, h.score) for h in result.hits]
    assert [i for i, _ in seen] == [search_index.entries[d].id for d, _ in ranked]
    assert [s for _, s in seen] == pytest.approx([s for _, s in ranked], abs=1e-4)


# -- the backend protocol ------------------------------------------------------------------------


def test_the_index_answers_every_call_of_the_backend_protocol(search_index):
    assert isinstance(search_index, SearchBackend)
    for name, member in vars(SearchBackend).items():
        if callable(member) and not name.startswith("_"):
            ours = inspect.signature(getattr(SearchIndex, name))
            assert list(ours.parameters) == list(inspect.signature(member).parameters), name
    result = search_index.search(SearchRequest(q="victim letters", area=("wessex",)))
    assert isinstance(result, SearchResult) and result.total > 0
    assert all(isinstance(h, Hit) and "wessex" in h.entry.areas for h in result.hits)
    assert result.build == search_index.name
    paged = [search_index.search(SearchRequest(q="casework", page=n, per_page=100)) for n in (1, 2, 3)]
    export = search_index.export(SearchRequest(q="casework", page=3, per_page=5))
    assert export.total == paged[0].total > 100 and export.facets == {}  # a download shows no counts
    assert [(h.entry.id, h.score) for h in export.hits] == [
        (h.entry.id, h.score) for r in paged for h in r.hits
    ]
    assert search_index.export(SearchRequest(q="casework"), limit=7).hits == export.hits[:7]
    entry = search_index.entry("para-4.10")
    assert isinstance(entry, Entry) and search_index.entries[search_index.by_id[entry.id]] is entry
    with pytest.raises(NotFound):
        search_index.entry("para-99.99")
    before, after = search_index.neighbours("para-4.10")
    assert (before.id, after.id) == ("para-4.9", "para-4.11")
    related = search_index.related("issue-london-north-7", limit=3)
    assert 0 < len(related) <= 3 and all("london-north" not in h.entry.areas for h in related)
    elsewhere = search_index.counterparts("issue-wessex-1", limit=4)
    assert 0 < len(elsewhere) <= 4
    assert all(
        h.entry.kind in ("good-practice", "strength") and "wessex" not in h.entry.areas for h in elsewhere
    )
    suggestions = search_index.suggest("disc", 5)
    assert 0 < len(suggestions) <= 5 and all(isinstance(s, Suggestion) for s in suggestions)
    assert all(s.text.lower().startswith("disc") or "disc" in s.text.lower() for s in suggestions)
    assert {a.slug for a in search_index.areas.areas} >= {"wessex", "london-north"}
    assert "disclosure" in search_index.taxonomy.slugs and search_index.glossary.lookup("IQA")
    assert search_index.documents[0]["id"] == entry.source
    assert search_index.quality["entries"] == len(search_index.entries)
