"""Acronyms, spelling, sentences and snippets on small inputs and on the real report."""

from __future__ import annotations

import html
import json

import pytest

from search.errors import CorpusError
from search.text.glossary import Acronym, Glossary, build_glossary, extract_definitions, load_curated
from search.text.highlight import HighlightTerms, find_marks, make_snippet, marked
from search.text.sentences import SentenceSplitter, parameters_from_dict, parameters_to_dict, train_parameters
from search.text.spelling import SpellingCorrector, edit_distance


@pytest.mark.parametrize(
    "text, expected",
    [
        ("good work in most Areas' Victim Liaison Units (VLUs).", ("VLU", "Victim Liaison Units")),
        (
            "file quality in rape and serious sexual offences (RASSO) cases",
            ("RASSO", "rape and serious sexual offences"),
        ),
        ("as recorded on Manual of Guidance Form 3 (MG3). Case", ("MG3", "Manual of Guidance Form 3")),
        ("the new Area Assurance Programme (AAP).", ("AAP", "Area Assurance Programme")),
        (
            "HM Crown Prosecution Service Inspectorate (HMCPsi) has",
            ("HMCPsi", "HM Crown Prosecution Service Inspectorate"),
        ),
        (
            "effectiveness of individual quality assessments (IQAs) and",
            ("IQA", "individual quality assessments"),
        ),
        ("staff learning and development (L&D) plans", ("L&D", "learning and development")),
    ],
)
def test_definitions_are_learnt(text, expected):
    assert extract_definitions(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "inspected (see annex A).",
        "in 2007 (2007–15) we",
        "cases (74.6%) were",
        "the (MG5 form) was",
        "letters (&) were",
        "learning and development (L&) plans",
        "learning and development (L&&D) plans",
    ],
)
def test_parentheses_that_are_not_definitions(text):
    assert extract_definitions(text) == []


def test_glossary_from_the_report(catalogue):
    glossary = catalogue.glossary
    learnt = {a.acronym: a for a in glossary.items if a.origin == "defined"}
    assert learnt["NDIP"].expansion == "National Disclosure Improvement Plan"
    assert learnt["NDIP"].defined_in == "para-4.8"
    assert learnt["LSIP"].expansion == "Local Scrutiny and Involvement Panels"
    assert glossary.lookup("IQAs").acronym == "IQA"  # only the plural is defined
    assert glossary.lookup("hmcts").origin == "curated"  # used, never defined


@pytest.mark.parametrize("acronym", ["E&D", "AT&T", "L&D"])
def test_an_acronym_may_join_its_letters_with_an_ampersand(tmp_path, acronym):
    path = tmp_path / "glossary.json"
    path.write_text(json.dumps({"acronyms": [{"acronym": acronym, "expansion": "equality and diversity"}]}))
    (row,) = load_curated(path)
    assert Glossary([row]).lookup(acronym.lower()).acronym == acronym


@pytest.mark.parametrize("acronym", ["&D", "E&", "E&&D", "E & D"])
def test_an_ampersand_stands_only_between_an_acronyms_letters(tmp_path, acronym):
    path = tmp_path / "glossary.json"
    path.write_text(json.dumps({"acronyms": [{"acronym": acronym, "expansion": "equality and diversity"}]}))
    with pytest.raises(CorpusError, match="bad acronym row"):
        load_curated(path)


def test_curated_rows_win_over_learnt_ones():
    glossary = build_glossary(
        [("p", "the Crown Prosecution Service (CPS) acts")],
        [Acronym("CPS", "Crown Prosecution Service", "curated")],
    )
    assert glossary.lookup("CPS").origin == "curated"


def test_aliases_cover_both_directions():
    glossary = Glossary([Acronym("VLU", "Victim Liaison Unit", "defined", "p")])
    from search.text.analysis import stems

    assert glossary.aliases(stems("letters from the VLUs")) == ["Victim Liaison Unit"]
    assert glossary.aliases(stems("the victim liaison units")) == ["VLU"]


def test_edit_distance_counts_transpositions():
    assert edit_distance("disclosure", "disclsoure") == 1
    assert edit_distance("comunity", "community") == 1
    assert edit_distance("kitten", "sitting") == 3


def test_speller_prefers_close_and_frequent_words():
    speller = SpellingCorrector(
        {"community": 40, "commodity": 1, "engagement": 30, "wessex": 5}, protected=frozenset({"wesex"})
    )
    assert speller.correct("comunity") == "community"
    assert speller.correct("engagment") == "engagement"
    assert speller.correct("community") is None  # known words are left alone
    assert speller.correct("wesex") is None  # protected
    assert speller.correct("zzzzzz") is None
    assert speller.correct("mg4") is None  # not a word


def test_sentences_keep_abbreviations_whole(catalogue):
    params = train_parameters([e.text for e in catalogue.entries], catalogue.language.abbreviations)
    splitter = SentenceSplitter(parameters_from_dict(parameters_to_dict(params)))
    text = (
        "As set out in para. 4.10, reviews were late. Areas should act, e.g. by dip sampling. Then improve."
    )
    sentences = [text[s:e] for s, e in splitter.spans(text)]
    assert sentences == [
        "As set out in para. 4.10, reviews were late.",
        "Areas should act, e.g. by dip sampling.",
        "Then improve.",
    ]


def test_list_lines_are_sentences_of_their_own(catalogue):
    params = train_parameters([e.text for e in catalogue.entries], catalogue.language.abbreviations)
    text = "Legal managers must ensure:\n- police are asked\n- there is assurance"
    spans = SentenceSplitter(params).spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Legal managers must ensure:",
        "- police are asked",
        "- there is assurance",
    ]


def test_snippet_prefers_the_sentences_with_the_matches():
    text = ("First sentence says nothing. " * 8) + "Victim letters were late. " + ("Filler again here. " * 8)
    spans = []
    start = 0
    for sentence in text.split(". "):
        end = start + len(sentence) + 1
        spans.append((start, min(end, len(text))))
        start = end + 1
    snippet = make_snippet(text, spans, HighlightTerms(frozenset({"victim", "letter"})), limit=120)
    assert "<mark>Victim</mark> <mark>letters</mark> were late." in snippet
    assert snippet.startswith("…") and snippet.endswith("late.")  # whole sentences: no "…" after the stop
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 125


def test_snippet_marks_whole_phrases_only():
    text = "The Crown Court and the Chief Crown Prosecutor met."
    snippet = make_snippet(
        text, [(0, len(text))], HighlightTerms(phrases=(("chief", "crown", "prosecutor"),))
    )
    assert snippet == "The Crown Court and the <mark>Chief Crown Prosecutor</mark> met."


def test_snippet_escapes_markup():
    text = "Use <script>alert(1)</script> & more letters."
    snippet = make_snippet(text, [(0, len(text))], HighlightTerms(frozenset({"letter"})))
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "<mark>letters</mark>" in snippet


def test_marked_windows_read_as_the_escaped_text_with_marks_around_the_matches(catalogue):
    """Every window of every entry, with or without characters to escape, marks and escapes alike."""

    def plain(text: str, start: int, end: int, marks) -> str:
        inside = [m for m in marks if start <= m[0] and m[1] <= end]
        out, cursor = [], start
        for m_start, m_end, _ in inside:
            out += [html.escape(text[cursor:m_start]), "<mark>", html.escape(text[m_start:m_end]), "</mark>"]
            cursor = m_end
        return "".join(out + [html.escape(text[cursor:end])])

    texts = [e.text for e in catalogue.entries] + ['Victim & "witness" <care> letters; the victim\'s letter.']
    terms = HighlightTerms(frozenset({"victim", "letter", "the", "case", "casework"}), (("witness", "care"),))
    escaped = 0
    for text in texts:
        marks = find_marks(text, terms)
        for start, end in [(0, len(text)), (len(text) // 3, len(text) - len(text) // 4), (5, 5)]:
            assert marked(text, start, end, marks) == plain(text, start, end, marks)
        escaped += any(c in text for c in "&<>\"'")
    assert escaped > 1  # windows that need escaping were compared too


@pytest.mark.parametrize(
    "text",
    ["Victim letters were late.", "Victim  letters\nwere\u00a0late. ", "  Victim letters were late."],
)
def test_snippets_are_single_spaced_whatever_the_text(text):
    snippet = make_snippet(text, [(0, len(text))], HighlightTerms(frozenset({"victim", "letter"})))
    assert snippet == "<mark>Victim</mark> <mark>letters</mark> were late."


def test_long_sentence_is_cut_around_the_match():
    text = " ".join(["word"] * 100 + ["disclosure"] + ["word"] * 100) + "."
    snippet = make_snippet(text, [(0, len(text))], HighlightTerms(frozenset({"disclosur"})), limit=100)
    assert "<mark>disclosure</mark>" in snippet
    assert len(snippet) <= 130
