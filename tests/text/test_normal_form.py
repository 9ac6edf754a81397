"""Text is indexed and searched in one normal form: NFKC, without format characters."""

from __future__ import annotations

from collections import Counter

import pytest

from search.index.schema import make_analyzer
from search.query.request import parse_request
from search.text.analysis import normalise_text, stems, tokens
from search.text.highlight import HighlightTerms, find_marks

# The same word written in ways a reader cannot tell apart, or a keyboard may produce.
DISGUISES = {
    "full-width letters": "ｄｉｓｃｌｏｓｕｒｅ",
    "a soft hyphen": "disclo\u00adsure",
    "a zero-width space": "disclo\u200bsure",
    "a zero-width joiner": "disclo\u200dsure",
    "a byte-order mark": "\ufeffdisclosure",
}


@pytest.mark.parametrize("text", DISGUISES.values(), ids=DISGUISES.keys())
def test_a_disguised_word_is_the_word(text):
    assert normalise_text(text) == "disclosure"
    assert stems(text) == ["disclosur"]
    assert [t.text for t in make_analyzer()(text)] == ["disclosur"]  # the index reads it so too


def test_ligatures_superscripts_and_accents_are_read_in_their_compatible_form():
    assert normalise_text("ﬁle ２０１９ x¹ cafe\u0301") == "file 2019 x1 café"
    assert stems("ﬁle") == stems("file") and stems("２０１９") == ["2019"]


def test_tokens_point_at_the_text_as_given():
    text = "the ｄｉｓｃｌｏｓｕｒｅ of disclo\u00adsure ﬁles"
    found = [(text[t.start : t.end], t.word) for t in tokens(text)]
    assert found == [
        ("ｄｉｓｃｌｏｓｕｒｅ", "disclosure"),
        ("disclo\u00adsure", "disclosure"),
        ("ﬁles", "files"),
    ]
    marks = find_marks(text, HighlightTerms(frozenset(["disclosur"])))
    assert [text[start:end] for start, end, _ in marks] == ["ｄｉｓｃｌｏｓｕｒｅ", "disclo\u00adsure"]


def test_text_already_normal_is_left_alone():
    for text in ("plain ASCII", "Victims’ Code – “letters”", "café"):
        assert normalise_text(text) is text


@pytest.mark.parametrize("text", DISGUISES.values(), ids=DISGUISES.keys())
def test_a_disguised_word_finds_what_the_word_finds(search_index, text):
    plain = search_index.search(parse_request({"q": ["disclosure"]}))
    disguised = search_index.search(parse_request({"q": [text]}))
    assert disguised.total == plain.total > 0
    assert [h.entry.id for h in disguised.hits] == [h.entry.id for h in plain.hits]


@pytest.mark.parametrize(
    ("q", "corrected"),
    [
        ("disclosu\u0301re", "disclosure"),  # a combining accent
        ("community engagme\u0301nt", "community engagement"),
        ("comunity\u200b engagment", "community engagement"),
    ],
)
def test_a_correction_carries_no_accent_or_invisible_character_of_the_query(search_index, q, corrected):
    result = search_index.search(parse_request({"q": [q]}))
    assert result.corrected_query == corrected


def test_full_width_operators_are_operators(search_index):
    phrase = search_index.search(parse_request({"q": ["＂unused material＂"]}))
    assert phrase.total == search_index.search(parse_request({"q": ['"unused material"']})).total
    assert parse_request({"q": ["ａｒｅａ：ｗｅｓｓｅｘ"]}).q == "area:wessex"


def test_the_report_is_read_as_before(catalogue):
    # The report's entries are already in the normal form, so its index is the same
    # term for term (checked by hand on a build: every term's postings alike).
    import json

    for entry in catalogue.entries:
        text = json.dumps(entry.to_dict(), ensure_ascii=False)
        assert normalise_text(text) == text, entry.id


def test_a_query_not_in_the_normal_form_is_put_in_it_once(search_index, monkeypatch):
    import search.text.analysis as analysis
    from search.models import SearchRequest

    calls = []
    real = analysis.normal_pieces
    monkeypatch.setattr(analysis, "normal_pieces", lambda text: calls.append(text) or real(text))
    analysis.normalise_with_spans.cache_clear()
    # Not put in the normal form by the API's parameters first: the engine reads it as it is.
    q = "ｚ" * 300 + " ｖｉｃｔｉｍ ｌｅｔｔｅｒｓ" * 20
    assert search_index.search(SearchRequest(q=q)).total > 0
    assert "ｚ" * 300 in calls and max(Counter(calls).values()) == 1
