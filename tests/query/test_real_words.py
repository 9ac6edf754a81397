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
