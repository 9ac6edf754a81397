"""Searching the real index: ranking, acronyms, spelling, phrases, filters, facets, snippets."""

from __future__ import annotations

import pytest

from search.errors import QueryError
from search.query.request import parse_request
from search.text.highlight import make_snippet


def search(index, q="", **params):
    raw = {"q": [q]}
    for key, value in params.items():
        raw[key] = value if isinstance(value, list) else [str(value)]
    return index.search(parse_request(raw))


def ids(result):
    return [h.entry.id for h in result.hits]


def test_plain_query_ranks_the_obvious_entries_first(search_index):
    top = ids(search(search_index, "pan-London Business Centre"))
    assert set(top[:2]) == {"issue-london-north-3", "issue-london-south-3"}


def test_an_acronym_the_report_never_writes_finds_the_reports_words_for_it(search_index):
    # A reader's "QC" is the report's counsel.
    hits = search(search_index, "QC", per_page=10).hits
    for hit in hits[:3]:  # counsel, the Bar: the report's words marked in each snippet
        assert any(f"<mark>{w}" in hit.snippet for w in ("counsel", "external counsel", "members of the Bar"))
    assert search(search_index, "QC").missing_words == ()


def test_a_reader_word_the_report_never_uses_says_which_report_words_it_was_searched_as(search_index):
    # "acquittals" is not the report's word: it finds "unsuccessful outcomes", and says so.
    found = search(search_index, "acquittals in the magistrates")
    assert found.total > 0 and found.missing_words == ()
    assert found.searched_as == (("acquittals", ("unsuccessful outcomes", "unsuccessful")),)
    # A word the report uses is its own, and so is an acronym it writes.
    assert search(search_index, "unsuccessful outcomes").searched_as == ()
    assert search(search_index, "IQA").searched_as == ()
    # A reader's acronym it never writes is searched as what it stands for and its words for it.
    assert search(search_index, "QC").searched_as == (
        ("QC", ("Queen's Counsel", "counsel", "external counsel", "the Bar")),
    )
    qc = parse_request({"q": ["QC"]})
    assert search_index.search(qc, without=frozenset({"acronyms"})).searched_as == ()
    # With the lay words off, the word is simply not in the report.
    request = parse_request({"q": ["acquittals in the magistrates"]})
    plain = search_index.search(request, without=frozenset({"lay-words"}))
    assert plain.searched_as == () and plain.missing_words == ("acquittals",)
    family = search_index.lexicon.groups_in(("acquitt",))[0][2]
    family_off = search_index.search(request, without=frozenset({f"lay-words:{family}"}))
    assert family_off.searched_as == () and family_off.missing_words == ("acquittals",)


@pytest.mark.parametrize("q", ["E&D", "e&d", "E & D", "E&D policies"])
def test_an_acronym_joined_by_an_ampersand_finds_what_it_stands_for(search_index, q):
    # The report writes "equality and diversity", never "E&D".
    found = search(search_index, q, per_page=3)
    assert not found.nothing_searched and found.missing_words == ()
    assert found.searched_as[0][1][0] == "equality and diversity"
    assert "<mark>equality and diversity</mark>" in found.hits[0].snippet


def test_an_ampersand_between_words_joins_nothing(search_index):
    assert search(search_index, "victims & witnesses").searched_as == ()
    assert search(search_index, "victims & witnesses").missing_words == ()


@pytest.mark.parametrize("q", ["R&D", "r & d"])
def test_an_ampersand_acronym_nobody_spells_out_is_said_not_found(search_index, q):
    found = search(search_index, q)
    assert found.missing_words == ("R&D" if q == "R&D" else "r&d",)
    assert found.total == 0 and not found.nothing_searched


def test_a_place_outside_england_and_wales_is_said_to_be_outside_the_report(search_index):
    found = search(search_index, "disclosure in Glasgow")
    assert found.total > 0 and found.scope == ()  # the report's entries on disclosure, every Area
    assert found.missing_words == ("Glasgow",)
    ((name, nation, note),) = found.outside
    assert (name, nation) == ("Glasgow", "Scotland")
    assert note.startswith("Glasgow is in Scotland, outside the report")
    nation = search(search_index, "Northern Ireland")
    assert nation.total == 0 and nation.outside[0][0] == "Northern Ireland"
    assert search(search_index, "disclosure in Leeds").outside == ()


def test_a_rare_acronym_the_report_writes_also_finds_its_subject(search_index):
    # "ICEM" is written once; the entries on community engagement never use it.
    request = parse_request({"q": ["ICEM"], "per_page": ["10"]})
    alone = search_index.search(request, without=frozenset({"acronym-words"}))
    assert ids(alone) == ["para-5.9"]
    found = search_index.search(request)
    assert ids(found)[0] == "para-5.9"
    assert sum("engag" in h.entry.text.lower() and "ICEM" not in h.entry.text for h in found.hits[1:]) >= 5


def test_a_common_acronym_is_not_spelled_out_in_loose_words(search_index):
    # "CPS" is in most entries: its expansion's words ("crown", "service") would add only noise.
    compiled = search_index.prepare(parse_request({"q": ["CPS"]})).compiled
    assert not any("expansion" in clause.reason for clause in compiled.clauses)


def test_a_plural_acronym_typed_in_lower_case_finds_what_the_acronym_finds(search_index):
    plural, singular = search(search_index, "ptphs"), search(search_index, "PTPH")
    assert plural.total == singular.total > 0 and set(ids(plural)) == set(ids(singular))
    # In the engine's order, the same order: the learned order reads the scores, which the
    # plural's expansion, searched too, moves a little.
    engine = [
        search_index.search(parse_request({"q": [q]}), without=frozenset({"learned-order"}))
        for q in ("ptphs", "PTPH")
    ]
    assert ids(engine[0]) == ids(engine[1])
    assert plural.missing_words == ()
    # An English word ending in "s" is not read as an acronym's plural ("das" is not DA).
    assert search_index.lexicon.acronym("das") is None
    assert search_index.lexicon.acronym("DAs").acronym == "DA"
    # Nor is an English word the glossary reaches only by its stem ("pets" is not PET).
    assert search_index.lexicon.acronym("pets") is None
    assert search_index.lexicon.acronym("PETs").acronym == "PET"
    assert search_index.lexicon.acronym("cps").acronym == "CPS"


def test_expansion_finds_the_acronym(search_index):
    top = ids(search(search_index, "Chief Crown Prosecutor", per_page=20))
    assert "good-practice-north-west-2" in top  # says only "CCP"


def test_expansion_in_another_form_still_matches(search_index):
    top = ids(search(search_index, "Local Scrutiny Involvement Panels", per_page=10))
    assert "para-5.10" in top[:3]
    assert "issue-south-east-12" in top


def test_misspelt_query_is_corrected(search_index):
    result = search(search_index, "comunity engagment")
    assert result.corrected_query == "community engagement"
    assert result.total > 0
    assert "issue-east-midlands-10" in ids(search(search_index, "comunity engagment", per_page=10))


def test_area_names_are_not_corrected(search_index):
    assert search(search_index, "Wessex").corrected_query is None
    assert search(search_index, "Humberside").corrected_query is None


def test_unknown_word_without_correction_gives_no_hits(search_index):
    result = search(search_index, "xylophone")
    assert result.total == 0 and result.corrected_query is None


def test_one_missing_word_does_not_fail_the_query(search_index):
    result = search(search_index, "victim letters zebra")
    plain = search(search_index, "victim letters")
    assert result.total == plain.total > 0  # the word the report never uses finds nothing more
    assert [h.entry.id for h in result.hits] == [h.entry.id for h in plain.hits]


def test_quoted_phrase_is_exact(search_index):
    result = search(search_index, '"disclosure record sheet"', per_page=50)
    assert result.total > 0
    for hit in result.hits:
        assert "disclosure record sheet" in hit.entry.text.lower()


def test_field_syntax_filters(search_index):
    result = search(search_index, '"unused material" area:wessex')
    assert ids(result) == ["issue-wessex-4"]
    result = search(search_index, 'kind:issue area:"London North" police')
    assert result.hits and all(
        h.entry.kind == "issue" and h.entry.areas == ("london-north",) for h in result.hits
    )


def test_prefix_query(search_index):
    result = search(search_index, "disclos*", per_page=5)
    assert result.total >= 20
    assert "<mark>disclosure" in result.hits[0].snippet.lower()


def test_excluded_words(search_index):
    with_police = search(search_index, "disclosure", per_page=100)
    without = search(search_index, "disclosure -police", per_page=100)
    assert 0 < without.total < with_police.total
    assert all("police" not in h.entry.text.lower() for h in without.hits)


def test_empty_query_lists_everything_in_document_order(search_index):
    result = search(search_index, "", per_page=5)
    assert result.total == len(search_index.entries)
    assert ids(result)[0] == "para-1.1"
    assert all(h.score is None for h in result.hits)


@pytest.mark.parametrize("q", ["the", "of and", "a", "?", "what is", "x y", "  &  "])
def test_a_query_with_no_word_to_search_for_finds_nothing_and_says_so(search_index, q):
    # Only words too common or too short to search for, or a question's frame: listing every
    # entry would pass the whole report off as matching the query.
    result = search(search_index, q, per_page=5)
    assert result.nothing_searched
    assert result.total == 0 and result.hits == ()
    assert all(v.count == 0 for values in result.facets.values() for v in values)


@pytest.mark.parametrize(
    "q, params",
    [
        ("", {}),  # an empty query lists everything
        ("area:wessex", {}),  # a filter typed in the query lists its entries
        ("the area:wessex", {}),
        ("-police", {}),  # every entry without the word
        ("Wessex", {}),  # an Area named: its entries
        ("strengths", {}),  # a kind named: its entries
        ("the", {"area": "wessex"}),  # filters beside it change nothing: still no word
    ],
)
def test_only_a_query_with_words_and_nothing_to_search_for_is_said_to_search_nothing(search_index, q, params):
    result = search(search_index, q, **params)
    assert result.nothing_searched == (q == "the")
    assert (result.total == 0) == (q == "the")


def test_facets_are_disjunctive(search_index):
    # Paragraphs that name "both London Areas" belong to both: the two selections overlap.
    areas = ["london-north", "london-south"]
    both = search(search_index, "casework", area=areas)
    one = search(search_index, "casework", area=areas[:1])
    plain = search(search_index, "casework")
    # The area facet ignores its own selection …
    assert [(v.value, v.count) for v in both.facets["area"]] == [
        (v.value, v.count) for v in plain.facets["area"]
    ]
    # … and the selection ORs values of one facet: |A ∪ B| = |A| + |B| − |A ∩ B|.
    counts = {v.value: v.count for v in plain.facets["area"]}
    every_match = [
        h for page in (1, 2) for h in search(search_index, "casework", per_page=100, page=page).hits
    ]
    assert len(every_match) == plain.total
    overlap = [h for h in every_match if set(areas) <= set(h.entry.areas)]
    assert overlap, "the test needs entries about both Areas"
    assert both.total == counts["london-north"] + counts["london-south"] - len(overlap)
    assert one.total == counts["london-north"]
    # Other facets count within the area selection: kinds partition it exactly.
    kinds = {v.value: v.count for v in one.facets["kind"]}
    assert sum(kinds.values()) == one.total


def test_unknown_facet_value_gives_empty_result(search_index):
    result = search(search_index, "disclosure", area=["atlantis"])
    assert result.total == 0 and result.hits == ()
    assert any(v.value == "atlantis" and v.count == 0 for v in result.facets["area"])


def test_snippets_mark_original_word_forms(search_index):
    result = search(search_index, "letter", per_page=10)
    assert any("<mark>letters</mark>" in h.snippet for h in result.hits)
    for hit in result.hits:
        assert len(hit.snippet.replace("<mark>", "").replace("</mark>", "")) <= 320


def test_snippet_escapes_html(search_index):
    # The report's text has nothing to escape, so the snippet maker is given some.
    text = 'Letters to victims <script>alert("x")</script> & "quotes" were late. Victims were told.'
    snippet = make_snippet(text, search_index.sentence_spans(text), search_index.highlight_terms("victims"))
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "&amp;" in snippet and "&quot;quotes&quot;" in snippet
    assert "<mark>victims</mark>" in snippet


def test_related_entries_come_from_other_areas(search_index):
    related = search_index.related("issue-london-north-5")
    assert related
    for hit in related:
        assert "london-north" not in hit.entry.areas
    source = search_index.entry("issue-london-north-5")
    assert set(related[0].entry.themes) & set(source.themes)  # same theme first


@pytest.mark.parametrize(
    "params, param",
    [
        ({"page": ["0"]}, "page"),
        ({"page": ["x"]}, "page"),
        ({"per_page": ["1000"]}, "per_page"),
        ({"sort": ["random"]}, "sort"),
        ({"q": ["a" * 600]}, "q"),
        ({"area": [f"a{i}" for i in range(30)]}, "area"),
        ({"page": ["999"], "per_page": ["100"]}, "page"),
    ],
)
def test_bad_parameters_name_the_parameter(params, param):
    with pytest.raises(QueryError) as info:
        parse_request(params)
    assert info.value.param == param


def test_area_named_in_the_query_ranks_its_entries_first(search_index):
    top = ids(search(search_index, "London North disclosure", per_page=5))
    assert top[0] == "para-4.2"  # names London North and is about disclosure
    everything = search(search_index, "London North", per_page=100)
    assert everything.total == sum(1 for e in search_index.entries if "london-north" in e.areas)


def test_kind_named_in_the_query_ranks_that_kind_first(search_index):
    hits = search(search_index, "good practice on victim letters", per_page=3).hits
    assert [h.entry.kind for h in hits[:2]] == ["good-practice"] * 2  # the only two on victims
    assert hits[0].entry.id == "good-practice-london-north-9"


def test_numbers_and_ids_weigh_most(search_index):
    assert ids(search(search_index, "para 4.10"))[0] == "para-4.10"
    assert ids(search(search_index, "issue-london-north-7"))[0] == "issue-london-north-7"


def test_long_questions_are_not_rewritten(search_index):
    result = search(search_index, "which Areas were told to fix disclosure record sheets")
    assert result.corrected_query is None  # "told" is English, not a typo of "hold"
    assert ids(result)[:3] and all("disclosure" in h.entry.text.lower() for h in result.hits[:3])


def test_generic_title_words_do_not_outrank_the_text(search_index):
    top = ids(search(search_index, "performance posters", per_page=3))
    assert top[:2] == ["good-practice-london-north-4", "para-3.4"]


def test_counterparts_answer_across_areas_on_shared_themes(search_index):
    for source_id, kinds in (
        ("issue-london-north-7", {"good-practice", "strength"}),
        ("good-practice-east-of-england-1", {"issue"}),
        ("strength-wessex-2", {"issue"}),
    ):
        source = search_index.entry(source_id)
        hits = search_index.counterparts(source_id)
        assert hits, source_id
        for hit in hits:
            assert hit.entry.kind in kinds
            assert set(hit.entry.themes) & set(source.themes)
            assert not set(hit.entry.areas) & set(source.areas)
        shared = [len(set(h.entry.themes) & set(source.themes)) for h in hits]
        assert shared == sorted(shared, reverse=True)  # more shared themes first
    assert search_index.counterparts("para-4.10") == []
