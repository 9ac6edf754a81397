"""Reading what a query asks for, and what that does to the results: patterns, not single queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import CorpusError
from search.ingest import ingest
from search.models import SearchRequest
from search.query.request import parse_request
from search.query.syntax import parse_query
from search.text.analysis import stems
from tests.query.searching import ids, search

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def read(index, q: str):
    return index.pipeline.reader.read(parse_query(q).words)


# -- the reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "frame", "topic"),
    [
        (
            "what did the inspectors say about sickness absence?",
            "what did the inspectors say about",
            "sickness absence",
        ),
        (
            "which Areas have good working relationships with the police",
            "which areas have",
            "good working relationships police",
        ),
        ("how does the CPS deal with hate crime", "how does", "CPS deal hate crime"),
        ("is there any mention of dip sampling", "is there any mention of", "dip sampling"),
        ("what does LSIP stand for", "what does stand for", "LSIP"),
        ("victim letters", "", "victim letters"),
    ],
)
def test_question_frames_are_taken_off(search_index, q, frame, topic):
    understood = read(search_index, q)
    assert " ".join(understood.frame) == frame
    assert " ".join(w.text for w in understood.words) == topic


def test_areas_are_read_in_any_spelling_including_readers_short_names(search_index):
    assert read(search_index, "merseyside and cheshire training").areas == ("mersey-cheshire",)
    assert read(search_index, "Wales disclosure").areas == ("cymru-wales",)
    assert read(search_index, "yorkshire budget").areas == ("yorkshire-and-humberside",)
    assert read(search_index, "both London Areas recruitment").areas == ("london-north", "london-south")
    # The report's own "England and Wales" does not make its paragraphs about Cymru-Wales.
    assert not any("cymru-wales" in e.areas for e in search_index.entries if "England and Wales" in e.text)


def test_kinds_named_and_kinds_counted(search_index):
    assert read(search_index, "good practice on victim letters").kinds == ("good-practice",)
    # "issues" names issues to address only in a count.
    assert read(search_index, "disclosure issues").kinds == ()
    assert read(search_index, "how many issues does Wessex have").kinds == ("issue",)


def test_rating_words_count_only_where_scores_are_in_question(search_index):
    assert read(search_index, "good leadership").ratings == ()
    assert "rating" not in read(search_index, "good leadership").asks_for
    relationships = read(search_index, "which areas have good working relationships with the police")
    assert relationships.ratings == () and relationships.question == "question"
    scored = read(search_index, "which areas were rated good for leadership")
    assert scored.ratings == ("Good",) and scored.criteria == ("A1",) and scored.question == "which-areas"


def test_criteria_and_parts_are_named_by_their_words(search_index):
    assert read(search_index, "resource management").criteria == ("B2",)
    assert read(search_index, "how did wessex score on victims").criteria == ("D1", "D2")
    assert read(search_index, "wessex part c scores").parts == ("c",)
    assert read(search_index, "north west casework").parts == ("c",)
    # Without a question or an Area, a word of a criterion's name is just a word.
    assert read(search_index, "casework").parts == ()


@pytest.mark.parametrize(
    ("q", "sections", "words"),
    [
        ("part c", ("part-c",), ()),
        ("Annex B wessex", ("annex-b",), ()),
        ("disclosure in annex c", ("annex-c",), ("disclosure",)),
        ("para 2.5", ("para-2.5",), ()),
        ("paragraph 4.15 staff", ("para-4.15",), ("staff",)),
        ("§1.23", ("para-1.23",), ()),
        # A number the report gives no paragraph, and a letter no section has, stay words.
        ("para 9.99", (), ("para", "9.99")),
        ("annex f", (), ("annex",)),
        ("every part of casework", (), ("every", "part", "casework")),
    ],
)
def test_sections_are_named_by_letter_and_paragraphs_by_number(search_index, q, sections, words):
    understanding = read(search_index, q)
    assert understanding.sections == sections
    assert tuple(w.text.lower() for w in understanding.words) == words


def test_a_section_named_alone_lists_its_entries_and_beside_a_topic_leads(search_index):
    entries = {e.id: e for e in search_index.entries}
    part_c = search(search_index, "part c", per_page=100)
    assert part_c.total == sum(e.part == "c" for e in entries.values())
    annex_b = search(search_index, "annex b", per_page=100)
    assert annex_b.total == sum(e.kind in ("issue", "good-practice", "strength") for e in entries.values())
    assert ids(search(search_index, "para 2.5")) == ["para-2.5"]
    # Beside an Area, the Area's entries in the section; beside a topic, the section's first.
    assert {entries[i].part for i in ids(search(search_index, "part b wessex"))} == {"b"}
    assert ids(search(search_index, "part b wessex"))[0] == "rating-b-wessex"
    assert all(entries[i].kind == "finding" for i in ids(search(search_index, "annex c disclosure"))[:3])
    # Beside words asking for a kind, the section's entries of that kind first.
    for q, kind, part in (("criteria for part d", "criterion", "d"), ("part c ratings", "rating", "c")):
        assert {(entries[i].kind, entries[i].part) for i in ids(search(search_index, q))[:8]} == {
            (kind, part)
        }
    # The wider search is the section's, in every Area.
    assert search(search_index, "annex b wessex").widened_query == "annex b"
    # Switched off with the kinds, a section named is neither listed, nor lifted, nor said.
    off = search_index.search(parse_request({"q": ["part c"]}), without=frozenset({"kinds"}))
    assert off.total == 0 and off.sections == ()
    assert search(search_index, "part c").sections == (("part-c", "Part C: High quality casework"),)


@pytest.mark.parametrize(
    ("q", "question"),
    [
        ("which areas scored poor for community engagement", "which-areas"),
        ("how did thames and chiltern score in part d", "area-scores"),
        ("east midlands ratings", "area-scores"),
        ("how many strengths does the north west have", "count"),
        ("how many examples of good practice in part b", "count"),
        ("why do trials fail", "question"),
        ("trials", ""),
        ("worst area for casework", "superlative"),
        ("areas rated poor for victims", "which-areas"),
        ("which areas were rated poor for disclosure", "which-areas"),
    ],
)
def test_question_types(search_index, q, question):
    assert read(search_index, q).question == question


@pytest.mark.parametrize(
    ("q", "kinds"),
    [
        ("areas for improvement in wessex", ("issue",)),
        ("area business managers", ()),
        ("areas", ()),
        ("best practice", ("good-practice",)),
    ],
)
def test_area_opens_a_question_only_before_a_rating_word_or_after_a_superlative(search_index, q, kinds):
    understanding = read(search_index, q)
    assert understanding.frame == () and understanding.kinds == kinds


# -- what the reading does to the results --------------------------------------------------------


@pytest.mark.parametrize("q", ["london south disclosure", "wessex training", "north east victims"])
def test_an_area_named_scopes_the_search_own_entries_first(search_index, q):
    result = search(search_index, q, per_page=50)
    area = read(search_index, q).areas[0]
    assert result.total > 0 and result.scope == (area,)
    assert all(area in h.entry.areas for h in result.hits)
    # Among the entries holding the topic's words, the Area's own come before national text;
    # entries found by the topic's theme alone (a scores row) follow them.
    topic = set(stems(read(search_index, q).topic[-1]))
    worded = [h for h in result.hits if topic & set(stems(h.entry.text))]
    own = [h.entry.kind in {"issue", "good-practice", "strength", "rating", "report"} for h in worded]
    assert own == sorted(own, reverse=True), "the Area's own entries come before national text"
    assert (
        result.widened_query == q.split(" ", 2)[-1]
        if q.startswith(("london", "north"))
        else q.split(" ", 1)[1]
    )


def test_widening_the_search_finds_other_areas(search_index):
    scoped = search(search_index, "wessex disclosure")
    wide = search(search_index, scoped.widened_query)
    assert wide.total > scoped.total and any("wessex" not in h.entry.areas for h in wide.hits)


@pytest.mark.parametrize(
    "q",
    [
        "wessex vs thames and chiltern",
        "compare Wessex and South West",
        "wessex",
        "in the north east",
        "tell me about wessex",
        "how is the north west doing",
        "what did inspectors find in kent",
    ],
)
def test_a_query_of_areas_alone_offers_no_wider_search(search_index, q):
    # Without its Areas, a comparison's "vs", a lone "in the" or a question's opening
    # ("tell me about") is nothing to search every Area for.
    assert not search(search_index, q).widened_query


@pytest.mark.parametrize(
    ("q", "wider"), [("wessex issues", "issues"), ("how did kent do on disclosure", None)]
)
def test_a_kind_or_a_topic_beside_an_area_offers_the_wider_search(search_index, q, wider):
    widened = search(search_index, q).widened_query
    assert widened == wider if wider else widened and "disclosure" in widened


@pytest.mark.parametrize(
    ("q", "wider"),
    [
        ("compare wessex and south west casework", "casework"),
        ("wessex vs thames and chiltern victims", "victims"),
        ("north east v north west disclosure", "disclosure"),
        ("better case management in wessex and south west", "better case management"),
    ],
)
def test_a_comparisons_wider_search_is_its_topic_alone(search_index, q, wider):
    # Every Area's entries cannot be compared: the wider search is the topic's.
    assert search(search_index, q).widened_query == wider


@pytest.mark.parametrize(
    ("q", "kind"), [("case progression scores", "rating"), ("victims criteria", "criterion")]
)
def test_structural_rows_lead_when_asked_for(search_index, q, kind):
    top = search(search_index, q).hits[:5]
    assert sum(h.entry.kind == kind for h in top) >= 3, [h.entry.id for h in top]


def test_a_kind_asked_for_leads_among_entries_on_the_topic_not_above_them_all(search_index):
    # "rated" asks for scores rows, but the report's paragraphs on who was rated what can
    # answer better: the rows are lifted a little, not put above everything that matches.
    top = [
        h.entry for h in search(search_index, "was any area rated excellent on all of leadership").hits[:6]
    ]
    assert any(e.kind == "paragraph" for e in top[:3]), [e.id for e in top]
    assert any(e.kind == "rating" for e in top), [e.id for e in top]
    # No scores row is about disclosure: the findings giving its figures come first.
    assert any(
        h.entry.id.startswith("finding-disclosure")
        for h in search(search_index, "disclosure scores").hits[:3]
    )


def test_a_right_word_in_the_wrong_place_is_corrected_from_the_reports_pairs(search_index):
    assert search(search_index, "changing decisions").corrected_query == "charging decisions"
    assert search(search_index, "charging decisions").corrected_query is None
    assert search(search_index, "changing culture").corrected_query is None  # no pair to prefer


def test_the_words_that_shape_a_question_are_never_taken_for_slips(search_index):
    language = search_index.pipeline.lex.language
    shaping = sorted(
        set(language.superlatives)
        | language.universal_words
        | language.question_words
        | language.cue_followers
    )
    assert len(shaping) > 30
    for word in shaping:
        for q in (f"area with {word} good practice", f"{word} casework issues", f"victims {word} areas"):
            corrected = search(search_index, q).corrected_query
            assert corrected is None or word in corrected.split(), (q, corrected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("trials collapsing", "ineffective"),
        ("working from home", "smarter working"),
        ("tech skills", "digital"),
        ("community outreach", "community engagement"),
        # The everyday- families, one concept each of a theme the others left out.
        ("burnout", "workload"),
        ("job vacancies", "recruit"),
        ("headcount", "resourcing model"),
        # The common-words family: frequent English words the report never uses, alone.
        ("racism", "hate crime"),
        ("stolen goods", "acquisitive"),
        ("staff illness", "sickness"),
        ("CCTV footage", "hard copy media"),
        ("remuneration of lawyers", "pay and benefits"),
    ],
)
def test_lay_words_find_the_reports_words(search_index, q, expected):
    top = search(search_index, q).hits[:5]
    assert any(expected in h.entry.text.lower() for h in top), [h.entry.id for h in top]


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ({"family": "money", "lay": ["kitty"], "report": ["forecasting"]}, "which one entry uses"),
        ({"family": "money", "lay": ["dv"], "report": ["domestic abuse"]}, "too short to mean one thing"),
        (
            {"family": "money", "lay": ["disclosure"], "report": ["unused material"]},
            "the reports' own wording",
        ),
        ({"family": "Money!", "lay": ["cash"], "report": ["budget"]}, "family must be"),
        ({"family": "money", "lay": ["KPIs"], "report": ["performance data"]}, "go in glossary.json"),
        # Another group's phrase ("backlog", courts-and-hearings) would be two concepts' words.
        ({"family": "money", "lay": ["backlog"], "report": ["budget"]}, "is in two groups"),
    ],
)
def test_the_thesaurus_is_held_to_its_principles(tmp_path, group, message):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    language = json.loads((corpus / "language.json").read_text(encoding="utf-8"))
    language["lay_terms"].append(group)
    (corpus / "language.json").write_text(json.dumps(language), encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        ingest(corpus)
    # A reason makes a phrase only one entry uses acceptable.
    if message == "which one entry uses":
        group["report"] = [{"phrase": "forecasting", "reason": "the report's only word for budget planning"}]
        (corpus / "language.json").write_text(json.dumps(language), encoding="utf-8")
        assert ingest(corpus).entries


def test_a_readers_acronym_maps_to_words_the_report_uses(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    glossary = json.loads((corpus / "glossary.json").read_text(encoding="utf-8"))
    glossary["acronyms"].append(
        {"acronym": "ZZQ", "expansion": "zeppelin quota", "report": ["airship fleet"]}
    )
    (corpus / "glossary.json").write_text(json.dumps(glossary), encoding="utf-8")
    with pytest.raises(CorpusError, match="airship fleet"):
        ingest(corpus)


def test_lay_terms_must_map_to_words_the_report_uses(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    language = json.loads((corpus / "language.json").read_text(encoding="utf-8"))
    language["lay_terms"].append({"lay": ["zeppelins"], "report": ["airship fleet"]})
    (corpus / "language.json").write_text(json.dumps(language), encoding="utf-8")
    with pytest.raises(CorpusError, match="airship fleet"):
        ingest(corpus)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question_frames": ["(unclosed"]}, "question_frames"),
        ({"asks_for": {"bogus-kind": ["x"]}}, "unknown kinds"),
        ({"lay_terms": [{"lay": [], "report": ["counsel"]}]}, "lay"),
    ],
)
def test_bad_language_data_is_refused(tmp_path, change, message):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    language = json.loads((corpus / "language.json").read_text(encoding="utf-8"))
    language.update(change)
    (corpus / "language.json").write_text(json.dumps(language), encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        ingest(corpus)


# -- bounded work --------------------------------------------------------------------------------


def test_a_very_long_word_is_never_tried_by_the_speller(search_index, monkeypatch):
    import search.text.spelling as spelling

    generated = []
    real = spelling.deletions
    monkeypatch.setattr(spelling, "deletions", lambda word, d: generated.append(len(word)) or real(word, d))
    speller = search_index.lexicon.speller
    for word in ("a" * 500, "ｚ" * 400, "disclosure" * 30):
        assert speller.find_correction(word) is None
        assert speller.correct(word) is None
    assert generated == []
    assert speller.find_correction("disclosre") == "disclosure"  # the uncached path, whatever ran before
    assert generated and max(generated) <= speller.longest + 2


def test_a_correction_is_worked_out_once_and_then_kept(search_index, monkeypatch):
    speller = search_index.lexicon.speller
    word = "disclosuer"
    first = speller.correct(word)
    monkeypatch.setattr(speller, "find_correction", lambda w: pytest.fail(f"{w!r} worked out again"))
    assert first == "disclosure" and speller.correct(word) == first


def test_a_query_of_hundreds_of_words_compiles_a_bounded_query(search_index):
    words = " ".join(f"word{n} disclosure police" for n in range(160))[:500]
    compiled = search_index.prepare(SearchRequest(q=words)).compiled
    assert len(compiled.clauses) <= 60
    assert search(search_index, words).total > 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("how many cases were charged by CPS Direct", "finding-code-compliance-1"),
        ("how many cases were in the file sample", "finding-code-compliance-1"),
    ],
)
def test_how_many_is_answered_by_an_entry_that_gives_the_number(search_index, q, expected):
    result = search(search_index, q, explain=1)
    assert expected in ids(result)[:3]
    top = next(h for h in result.hits if h.entry.id == expected)
    assert "it gives a number of what the question asks about" in [
        lift["reason"] for lift in top.explanation["lifts"]
    ]


def test_operators_are_bounded_in_number_and_in_the_words_they_stand_for(search_index):
    from search.query.compiler import MAX_EXPANSIONS, MAX_OPERATORS

    words = [e.id.split("-")[-1] for e in search_index.entries[:200]]
    for q in (
        " ".join(f"{w}~" for w in ["disclosure", "victim", "police"] * 60),
        " ".join(f"{c}{d}*" for c in "abcdefghij" for d in "aeiou"),
        '"' + " ".join(words) + '"',
    ):
        compiled = search_index.prepare(SearchRequest(q=q)).compiled
        operators = [
            c for c in compiled.clauses if c.reason.startswith(("words near", "words starting", "phrase"))
        ]
        assert len(operators) <= MAX_OPERATORS
        for clause in operators:
            assert (
                len(list(clause.query.leaves())) <= 3 * MAX_EXPANSIONS
            )  # a stem in text and title, or a phrase


def test_prefixes_and_fuzzy_words_stand_for_the_reports_words(search_index):
    lex = search_index.lexicon
    assert lex.starting_with("disclos", 5) == ["disclosur", "disclos"]  # the more used first
    assert "victim" in lex.near("victm", 5)
    assert lex.near("z" * 300, 5) == []
    top = search(search_index, "disclosre~").hits
    assert top and all("disclos" in h.entry.text.lower() for h in top)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("partner", "partnership", True),
        ("leadership", "leader", True),
        ("victim", "victim", True),
        ("case", "casework", False),  # too short a root to stand for a family
        ("manag", "market", False),
    ],
)
def test_stems_of_one_family(a, b, same):
    from search.query.understanding import same_family

    assert same_family(a, b) is same


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("contractions", {"what's": "what"}),  # stands for one word: not a contraction
        ("contractions", ["what's"]),
        ("rating_verbs", "got"),
        ("number_words", {"five": "5"}),
        ("number_words", {"twenty five": 25}),
        ("number_words", {"five": 0}),
        ("number_words", {"five": True}),
        ("number_words", ["five"]),
        ("outcome_verbs", "came"),
        ("outcome_verbs", ["came", ""]),
        ("rating_comparisons", {"beneath": ["beneath"]}),
        ("rating_comparisons", {"below": "under"}),
        ("rating_comparisons", {"below": ["under"], "above": ["under"]}),
    ],
)
def test_the_reading_words_are_checked_when_loaded(tmp_path, key, value):
    from search.curated.language import load_language

    path = tmp_path / "language.json"
    language = json.loads((CORPUS / "language.json").read_text(encoding="utf-8"))
    language[key] = value
    path.write_text(json.dumps(language), encoding="utf-8")
    with pytest.raises(CorpusError, match=key):
        load_language(path)


# -- any arrangement of the words that shape a question reads without failing ----------------

SHAPING = [
    "which", "what", "what's", "whats", "how", "many", "did", "do", "were", "was", "is", "are", "the", "a",
    "area", "areas", "that", "with", "having", "got", "get", "received", "given", "achieved", "rated",
    "scored", "score", "rating", "poor", "good", "fair", "excellent", "overall", "best", "worst", "most",
    "fewest", "every", "all", "compare", "vs", "between", "better", "and", "or", "on", "for", "in",
    "issues", "strengths", "good practice", "part c", "casework", "leadership", "victims", "disclosure",
    "Wessex", "South West", "London", "Leeds", "Kent", "wesex", "yorksire", "mean", "stand for", "define",
    "IQA", "weren't", "?",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(SHAPING), min_size=1, max_size=8))
def test_any_arrangement_of_question_words_reads_and_answers_without_failing(search_index, words):
    result = search(search_index, " ".join(words))
    assert result.total >= len(result.hits)
    if result.answer is not None:
        assert result.answer.text
        assert all(r.area and r.code and r.rating for r in result.answer.rows)


@pytest.mark.parametrize(
    "q",
    [
        "what happens when cases are delayed",
        "what went wrong with disclosure",
        "has anything improved on leadership",
        "what kind of training do staff get",
        "was disclosure a problem everywhere",
    ],
)
def test_the_words_that_only_shape_a_question_are_not_named_missing(search_index, q):
    """A reader asking "what happens when …" did not search for "happens": a note that the
    report never uses it would be true and no help."""
    result = search(search_index, q)
    assert result.missing_words == () and result.total > 0
