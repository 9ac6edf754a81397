"""Suggestions as you type: what completes the text, in which order, and from which build files."""

from __future__ import annotations

import json
import shutil

from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder

from search.index.layout import PHRASES
from search.query.searcher import SearchIndex
from search.query.suggest import Candidate, Suggester
from search.text.phrases import bigram_finder, learn_phrases, runs, trigram_finder, word_runs


def texts(suggestions) -> list[str]:
    return [s.text for s in suggestions]


def test_matches_at_the_start_then_further_in_then_by_use():
    suggester = Suggester(
        [
            Candidate("phrase", ("case files",), 3),
            Candidate("theme", ("Case progression and grip",), 80),
            Candidate("phrase", ("magistrates' court case",), 50),
            Candidate("acronym", ("CMS", "Case Management System"), 9),
        ]
    )
    assert texts(suggester.suggest("case")) == [
        "Case progression and grip",
        "Case Management System",
        "case files",
        "magistrates' court case",
    ]
    (acronym,) = suggester.suggest("cm")
    assert (acronym.text, acronym.kind, acronym.detail) == ("CMS", "acronym", "Case Management System")
    assert suggester.suggest("case m", limit=1)[0].detail == "CMS"
    assert suggester.suggest("  ") == [] and suggester.suggest("zebra") == []


def test_the_last_typed_words_are_completed_after_the_rest():
    suggester = Suggester([Candidate("phrase", ("victim letters",), 5), Candidate("area", ("Wessex",), 9)])
    assert texts(suggester.suggest("wessex vic")) == ["wessex victim letters"]
    # Only a completion that starts with the last words continues them, not one that contains them.
    assert texts(suggester.suggest("police letters")) == []
    assert texts(suggester.suggest("victim ")) == ["victim letters"]
    assert texts(suggester.suggest("victims")) == []


def test_build_candidates_areas_themes_acronyms_and_phrases(search_index):
    kinds = {c.kind for c in search_index.suggester.candidates}
    assert kinds == {"area", "place", "theme", "kind", "part", "acronym", "phrase"}
    assert texts(search_index.suggest("mersey", 3))[0] == "Mersey-Cheshire"
    leeds = search_index.suggest("leed", 1)[0]  # a place, with the CPS Area that covers it
    assert (leeds.text, leeds.kind, leeds.detail) == ("Leeds", "place", "CPS Yorkshire and Humberside")
    force = search_index.suggest("thames valley pol", 1)[0]
    assert (force.text, force.kind, force.detail) == (
        "Thames Valley Police",
        "place",
        "CPS Thames and Chiltern",
    )
    assert "unused material" in texts(search_index.suggest("unused", 8))
    phrases = [c.forms[0].lower() for c in search_index.suggester.candidates if c.kind == "phrase"]
    assert "london north" not in phrases  # an Area already offers it


def test_a_build_without_phrases_still_opens_and_suggests(tmp_path, index_dir):
    build = (index_dir / "CURRENT").read_text().strip()
    copy = tmp_path / "index"
    shutil.copytree(index_dir / "builds" / build, copy / "builds" / build)
    (copy / "CURRENT").write_text(build)
    folder = copy / "builds" / build
    (folder / PHRASES).unlink()
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"].pop(PHRASES)
    meta.get("digests", {}).pop(PHRASES, None)
    (folder / "meta.json").write_text(json.dumps(meta))
    index = SearchIndex.open(copy)
    try:
        assert {c.kind for c in index.suggester.candidates} == {
            "area",
            "place",
            "theme",
            "kind",
            "part",
            "acronym",
        }
        assert texts(index.suggest("london", 2)) == ["London North", "London South"]
    finally:
        index.close()


def test_phrases_never_cross_stop_words_or_punctuation():
    assert list(runs("Review of the file quality, victim letters. Area should")) == [
        ["file", "quality"],
        ["victim", "letters"],
        ["Area", "should"],
    ]
    text = "Victim letters were late. The victim letters improved. Victim letters matter; case files too."
    assert learn_phrases([text] * 2) == [{"phrase": "Victim letters", "count": 6}]


def test_the_phrase_finders_count_what_nltks_own_constructors_count(catalogue):
    documents = [lowered for e in catalogue.entries for _, lowered in word_runs(e.text)]
    documents += [["victim", "letters"], ["a"], []]
    for ours, theirs in (
        (bigram_finder(documents), BigramCollocationFinder.from_documents(documents)),
        (trigram_finder(documents), TrigramCollocationFinder.from_documents(documents)),
    ):
        assert ours.N == theirs.N
        assert ours.word_fd == theirs.word_fd and ours.ngram_fd == theirs.ngram_fd
    ours, theirs = trigram_finder(documents), TrigramCollocationFinder.from_documents(documents)
    assert ours.bigram_fd == theirs.bigram_fd and ours.wildcard_fd == theirs.wildcard_fd
