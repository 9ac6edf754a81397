"""The work a query asks for is bounded by its stems, however its words are joined or repeated."""

from __future__ import annotations

import pytest

from search.models import SearchRequest
from search.query.limits import (
    MAX_ACRONYMS,
    MAX_COMPOUND,
    MAX_EXPANSIONS,
    MAX_OPERATOR_WORDS,
    MAX_OPERATORS,
    MAX_PHRASE,
    MAX_WORDS,
    bound_words,
    cut_to_stems,
)
from search.query.request import MAX_QUERY

JOINERS = ["-", "/", "'", ",", "–", "·", "+", "&", "|"]
# More clauses than this from 500 characters means a limit was walked around.
MOST_CLAUSES = 40


def compile_query(index, q: str):
    return index.prepare(SearchRequest(q=q)).compiled


def clause_count(index, q: str) -> int:
    compiled = compile_query(index, q)
    return len(compiled.clauses) + len(compiled.required)


def phrase_lengths(query) -> list[int]:
    return [len(leaf.words) for leaf in query.leaves() if hasattr(leaf, "words")]


@pytest.fixture(scope="module")
def acronyms(search_index) -> list[str]:
    return [a["acronym"] for a in search_index.glossary.to_list()]


def fill(items: list[str], joiner: str, length: int = MAX_QUERY) -> str:
    return joiner.join(items * (length // len(items) + 1))[:length]


@pytest.mark.parametrize("joiner", JOINERS)
def test_words_joined_by_punctuation_cost_no_more_than_the_same_words_apart(search_index, acronyms, joiner):
    joined, apart = fill(acronyms, joiner), fill(acronyms, " ")
    assert clause_count(search_index, joined) <= clause_count(search_index, apart) <= MOST_CLAUSES
    compiled = compile_query(search_index, joined)
    assert max(phrase_lengths(compiled.query)) <= MAX_COMPOUND
    assert search_index.search(SearchRequest(q=joined)).total > 0  # still a search, not a refusal


def test_a_compound_counts_each_of_its_stems_and_is_cut(search_index):
    words = "-".join(["victim", "letters", "witness", "care", "disclosure", "schedules"])
    compiled = compile_query(search_index, words)
    compound = [c for c in compiled.clauses if c.reason.startswith("compound")]
    assert len(compound) == 1 and phrase_lengths(compound[0].query) == [MAX_COMPOUND] * 3
    assert cut_to_stems(words, MAX_COMPOUND) == ("victim-letters-witness", ("victim", "letter", "wit"))


def test_a_word_said_again_is_searched_for_once(search_index, acronyms):
    def searched(q: str) -> list:
        # Every clause but those for words side by side, which follow the order typed.
        proximity = ("words together", "pair")
        return [c.query for c in compile_query(search_index, q).clauses if not c.reason.startswith(proximity)]

    once = searched("disclosure IQA")
    for q in ("disclosure IQA " * 40, "disclosure IQA disclosure IQA", "Disclosure iqa DISCLOSURE IQA"):
        assert searched(q[:MAX_QUERY]) == once, q


def test_words_are_counted_in_distinct_stems(search_index):
    words = [f"{w}" for w in ("victim", "letters", "witness", "care", "units", "police")] * 10
    kept = bound_words(words)
    assert kept[:6] == words[:6]  # repeats add no stem: the sentence is kept as typed
    many = [f"word{n}" for n in range(100)]
    assert bound_words(many) == many[:MAX_WORDS]
    assert bound_words(["-".join(many)]) == ["word0-word1-word2"]


def test_a_phrase_of_one_word_repeated_is_cut_before_it_is_expanded(search_index):
    for phrase in ("IQA " * 120, "disclosure " * 45, "-".join(["IQA", "NFS", "CPS", "DRS", "MG3"] * 20)):
        q = '"' + phrase[: MAX_QUERY - 2].strip() + '"'
        compiled = compile_query(search_index, q)
        assert len(compiled.clauses) <= 6, q
        assert max(phrase_lengths(compiled.query)) <= MAX_PHRASE
        assert all(len(p) <= MAX_PHRASE for p in compiled.highlight.phrases)


def test_phrases_said_again_or_nested_count_once(search_index):
    once = clause_count(search_index, '"victim letters"')
    assert clause_count(search_index, " ".join(['"victim letters"'] * 30)) == once  # 480 characters
    nested = fill(['"victim "letters "IQA" care" witness"'], " ")
    phrases = [c for c in compile_query(search_index, nested).clauses if c.reason.startswith("phrase")]
    assert len(phrases) <= MAX_OPERATORS


def test_acronyms_spelled_out_are_bounded(search_index, acronyms):
    compiled = compile_query(search_index, " ".join(acronyms[:MAX_WORDS]))
    spelled = [c for c in compiled.clauses if c.reason.startswith("acronym ")]
    assert 0 < len(spelled) <= MAX_ACRONYMS


def test_required_and_excluded_compounds_are_cut(search_index, acronyms):
    for q in ("+" + fill(acronyms, "-", 499), "police -" + fill(acronyms, "-", 492)):
        compiled = compile_query(search_index, q)
        assert max(phrase_lengths(compiled.query)) <= MAX_PHRASE
        assert clause_count(search_index, q) <= 4


def test_prefixes_and_fuzzy_words_together_stand_for_a_bounded_number_of_words(search_index):
    # Two-letter prefixes each reach many of the report's words; together they stop at the bound.
    q = "in* co* pr* re* st* de* ca* wi* prosecution~ disclosure~"
    compiled = compile_query(search_index, q)
    operators = [c for c in compiled.clauses if c.reason.startswith(("words starting", "words near"))]
    reached = {leaf.text for c in operators for leaf in c.query.leaves()}
    assert len(reached) == MAX_OPERATOR_WORDS
    # The first ones are kept whole: "in*" reaches its twenty words, as it does alone.
    alone = {leaf.text for leaf in compile_query(search_index, "in*").query.leaves()}
    assert len(alone) == MAX_EXPANSIONS and alone <= reached
