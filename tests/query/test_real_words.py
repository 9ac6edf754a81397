"""No real English word or name is silently rewritten: the 20,000 most frequent English words
(wordfreq) that the report never uses, each run as a query, come back as typed."""

from __future__ import annotations

from wordfreq import top_n_list

from search.query.request import parse_request

MOST_FREQUENT = 20_000


def test_no_frequent_english_word_the_report_never_uses_is_rewritten(search_index):
    vocabulary = {w.lower() for w in search_index.build.vocabulary}
    words = [w for w in top_n_list("en", MOST_FREQUENT) if w.isalpha() and w not in vocabulary]
    assert len(words) > 10_000  # most of English is not the report's
    rewritten = []
    for word in words:
        prepared = search_index.prepare(parse_request({"q": [word]}))
        if prepared.compiled.corrected is not None:
            rewritten.append((word, prepared.compiled.corrected))
    assert rewritten == []


def test_a_typo_is_still_corrected(search_index):
    assert search_index.prepare(parse_request({"q": ["procecution"]})).compiled.corrected == "prosecution"


def test_a_typo_sharing_a_stem_with_a_report_word_is_found_as_typed_and_the_word_offered(search_index):
    """ "prosecuters" stems as "prosecution" does, so it finds what that finds, but no one
    writes it: "prosecutors" is offered, not forced; a word the report or English uses is
    offered nothing."""
    for typed, offered in [
        ("prosecuters", "prosecutors"),
        ("training for prosecuters", "training for prosecutors"),
        ("recruitement of prosecuters", "recruitment of prosecutors"),
    ]:
        prepared = search_index.prepare(parse_request({"q": [typed]}))
        assert prepared.correction.suggested == offered, typed
        result = search_index.search(parse_request({"q": [typed]}))
        assert result.total > 0 and result.suggested_query == offered, typed
    for word in ("prosecuted", "prosecuting", "recruiters"):
        assert search_index.prepare(parse_request({"q": [word]})).correction.suggested is None, word
