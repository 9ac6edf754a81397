"""Each written word is read once: later texts reuse its reading, and read exactly as before."""

from __future__ import annotations

import pytest

from search.text import analysis, phrases
from search.text.analysis import readings, stems, tokens, words
from search.text.glossary import acronym_tokens
from search.text.phrases import runs, word_runs

TEXTS = [
    "The VLUs and the Vlus: CCPs' files, 1.15 and C1.",
    "the ｄｉｓｃｌｏｓｕｒｅ of disclo\u00adsure ﬁles",
    "Review of the file quality, victim letters. Area should",
    "",
]


def test_readings_are_the_tokens_words_and_stems(catalogue):
    for text in TEXTS + [e.text for e in catalogue.entries]:
        for _ in range(2):  # the second time, from the readings kept
            expected = [(t.word, t.stem) for t in tokens(text)]
            assert readings(text) == expected
            assert words(text) == [w for w, _ in expected]
            assert stems(text) == [s for _, s in expected]


def test_a_written_form_is_read_as_itself_whatever_was_read_before():
    assert readings("VLUs Vlus vlus") == [("vlu", "vlu"), ("vlus", "vlus"), ("vlus", "vlus")]
    assert readings("of OF Of") == []


def test_words_read_once_the_kept_readings_are_full_are_read_all_the_same(monkeypatch):
    monkeypatch.setattr(analysis, "_readings", {})
    monkeypatch.setattr(analysis, "READINGS_KEPT", 2)
    text = "prosecutors prosecute prosecutions of the defendants"
    assert readings(text) == [(t.word, t.stem) for t in tokens(text)]
    assert readings(text) == [("prosecutors", "prosecutor"), ("prosecute", "prosecut"), *readings(text)[2:]]
    assert len(analysis._readings) == 2


@pytest.mark.parametrize("kept", [0, 3, phrases.ROLES_KEPT])
def test_phrase_runs_are_the_same_however_many_pieces_are_kept(monkeypatch, kept):
    monkeypatch.setattr(phrases, "_roles", {})
    monkeypatch.setattr(phrases, "ROLES_KEPT", kept)
    text = "Review of the file quality, victim letters. Area should  check 4.10 C1 case files"
    for _ in range(2):
        assert list(runs(text)) == [
            ["file", "quality"],
            ["victim", "letters"],
            ["Area", "should", "check"],
            ["case", "files"],
        ]
        assert [lowered for _, lowered in word_runs(text)][2] == ["area", "should", "check"]
    assert len(phrases._roles) <= kept


def test_the_words_of_an_item_with_an_ampersand_keep_their_places():
    item = "E&D and Victims' letters"
    found = acronym_tokens(item)
    assert [(item[t.start : t.end], t.word, t.stem) for t in found] == [
        ("E&D", "E&D", "e&d"),
        ("Victims", "victims", "victim"),
        ("letters", "letters", "letter"),
    ]
