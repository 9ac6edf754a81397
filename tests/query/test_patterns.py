"""What fresh queries showed, fixed as patterns: each test is an example of the pattern, not a case
from any judged set, and each failed before its fix."""

from __future__ import annotations

import re

import pytest

from search.query.engine.bitsets import docnums_of
from search.query.request import parse_request
from search.text.analysis import stems
from tests.query.searching import ids, search

# -- a word never disappears, and a rare word never counts for less than a common one ------------


@pytest.mark.parametrize(
    ("q", "only_entry_with_both"),
    [
        ("summer findings", "para-1.3"),  # "findings" is in titles and texts everywhere
        ("forecasting agents", "para-3.10"),
        ("instituted disclosure", "para-4.8"),
    ],
)
def test_the_one_entry_with_a_rare_word_and_a_common_one_comes_first(search_index, q, only_entry_with_both):
    assert ids(search(search_index, q))[0] == only_entry_with_both


def test_a_word_with_no_topic_of_its_own_still_counts_beside_the_others(search_index):
    compiled = search_index.prepare(parse_request({"q": ["inspectors vision"]})).compiled
    reasons = [c.reason for c in compiled.clauses]
    assert any(r.startswith("word 'inspectors'") for r in reasons)
    assert any(r.startswith("word 'vision'") for r in reasons)


@pytest.mark.parametrize("q", ["survey scores", "published reports", "performance expectations"])
def test_words_that_all_ask_for_a_kind_still_find_entries_holding_them_apart(search_index, q):
    # Every word here asks for a kind ("survey scores": the tables) and so has no topic of
    # its own; the words together must not be all that finds entries.
    result = search(search_index, q)
    words = [set(stems(w)) for w in q.split()]
    apart = [
        h.entry.id
        for h in result.hits
        if not any(" ".join(stems(q)) in " ".join(stems(t)) for t in (h.entry.text, h.entry.title))
    ]
    assert apart, f"only entries with {q!r} together"
    held = {e.id: set(stems(e.text)) | set(stems(e.title)) for e in search_index.entries}
    assert all(any(w & held[i] for w in words) for i in apart)


# -- a word's sense is the one the query's theme gives it -----------------------------------------


@pytest.mark.parametrize(
    ("q", "theme", "other_sense"),
    [
        # "available" is also resources available in-house, and a manager available to staff.
        ("available witnesses", "victims-and-witnesses", "issue-yorkshire-and-humberside-2"),
        # "visible" is also a culture of accountability made visible.
        ("leaders visible", "leadership-and-communication", "strength-yorkshire-and-humberside-6"),
    ],
)
def test_of_what_the_words_find_the_entries_on_the_theme_they_signal_come_first(
    search_index, q, theme, other_sense
):
    result = search(search_index, q)
    assert all(theme in h.entry.themes for h in result.hits[:3]), ids(result)[:3]
    assert other_sense not in ids(result)[:3]
    # The theme only lifts: it brings in no entry the words do not find (in the engine's own
    # order, which the learned order, reading the themes too, would reorder).
    off = search_index.search(parse_request({"q": [q]}), without=frozenset({"theme-lift", "learned-order"}))
    assert other_sense in ids(off)[:3]
    assert result.total == off.total


@pytest.mark.parametrize(
    ("q", "area", "theme"),
    [
        # The report never says "overspending" or "taxpayer": an Area's entries on its money
        # say "budget", "resources", "value for money".
        ("wessex overspending", "wessex", "value-for-money"),
        ("london south taxpayer", "london-south", "value-for-money"),
    ],
)
def test_a_readers_word_for_a_theme_finds_the_areas_entries_on_it(search_index, q, area, theme):
    result = search(search_index, q)
    off = search_index.search(parse_request({"q": [q]}), without=frozenset({"theme-readers"}))
    on_theme = [h.entry.id for h in result.hits if theme in h.entry.themes and area in h.entry.areas]
    assert set(on_theme) - set(ids(off)), (ids(result), ids(off))
    assert result.relaxed is None and all(area in h.entry.areas for h in result.hits)


# -- a scope relaxes before it returns nothing, and says which step it took -----------------------


def test_an_area_with_a_topic_its_entries_put_in_other_words_shows_its_entries_on_the_theme(search_index):
    result = search(search_index, "east midlands spending")
    assert result.total > 0 and result.relaxed.step == "theme"
    assert "value-for-money" in result.relaxed.themes
    assert all("east-midlands" in h.entry.areas for h in result.hits)
    assert "East Midlands" in result.relaxed.message


def test_an_area_with_a_topic_the_report_never_mentions_shows_the_area(search_index):
    result = search(search_index, "wessex bicycles")
    assert result.total > 0 and result.relaxed.step == "area"
    assert all("wessex" in h.entry.areas for h in result.hits)


def test_a_scope_that_finds_something_is_not_relaxed(search_index):
    assert search(search_index, "wessex disclosure").relaxed is None


@pytest.mark.parametrize(
    ("q", "row"),
    [
        ("north east disclosure", "rating-c-north-east"),  # C1 and C3 cover disclosure (1e, 3e)
        ("mersey-cheshire police files", "rating-c-mersey-cheshire"),  # 1a, 3a: police files
    ],
)
def test_an_area_and_a_topic_find_the_areas_scores_for_the_criteria_covering_it(search_index, q, row):
    # The scores row names only its criteria ("C1 Reviews and decisions …"); what each covers
    # is said by its sub-criteria.
    assert row in ids(search(search_index, q, per_page=20))


@pytest.mark.parametrize("word", ["sickness", "morale", "bullying", "budget", "counsel", "disclosure"])
def test_a_scope_whose_entries_never_use_the_word_says_so_though_its_theme_finds_some(search_index, word):
    """Within an Area, a word also finds the Area's entries on the theme it signals; when
    none of them uses the word, the scope has nothing behind it and says so."""
    wanted = set(stems(word))
    for area in search_index.areas.areas:
        own = [e for e in search_index.entries if area.slug in e.areas]
        uses = any(wanted <= set(stems(" ".join([e.title, e.text]))) for e in own)
        result = search(search_index, f"{area.name} {word}")
        assert (result.relaxed is None) == uses, (area.slug, word)
        if not uses:
            assert area.name in result.relaxed.message


# -- an Area by another name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "areas"),
    [
        ("london disclosure", ("london-north", "london-south")),
        ("midlands hate crime", ("east-midlands", "west-midlands")),
        ("yorkshire victims", ("yorkshire-and-humberside",)),
        ("london north disclosure", ("london-north",)),  # the longer name wins
        ("north london victims", ("london-north",)),
    ],
)
def test_a_name_covering_several_areas_scopes_to_all_of_them(search_index, q, areas):
    result = search(search_index, q)
    assert result.scope == areas
    assert all(set(h.entry.areas) & set(areas) for h in result.hits)


@pytest.mark.parametrize(
    ("q", "place", "area"),
    [
        ("victim letters in leeds", "Leeds", "yorkshire-and-humberside"),
        ("Kent Police disclosure", "Kent Police", "south-east"),
        ("cardiff", "Cardiff", "cymru-wales"),
    ],
)
def test_a_place_scopes_to_its_cps_area_and_says_so(search_index, q, place, area):
    result = search(search_index, q)
    assert result.scope == (area,)
    assert result.places[0][0] == place and result.places[0][2].startswith(f"{place} is in CPS ")
    assert result.total > 0 and all(area in h.entry.areas for h in result.hits)


def test_a_place_whose_name_holds_an_areas_name_is_the_place_with_no_word_left_over(search_index):
    """ "Thames Valley Police" is a police force, not the Area "Thames" and "valley"; every
    such place of the gazetteer is read whole, and scopes to its Areas once."""
    names = {n.lower() for a in search_index.areas.areas for n in (a.name, *a.aliases, *a.query_aliases)}
    holding = [
        p
        for p in search_index.pipeline.lex.places.places
        if p.name.lower() not in names and any(f" {n} " in f" {p.name.lower()} " for n in names)
    ]
    assert len(holding) >= 8  # "Thames Valley Police", "Bath and North East Somerset", …
    for place in holding:
        result = search(search_index, f"{place.name} victims")
        assert [name for name, _, _ in result.places] == [place.name], place.name
        assert result.scope == tuple(dict.fromkeys(place.areas)) and result.missing_words == (), place.name


def test_a_place_the_report_names_finds_the_entries_naming_it_whichever_area_they_are(search_index):
    # The report names Leicester (East Midlands) in a London South issue.
    result = search(search_index, "Leicester team")
    assert result.scope == ("east-midlands",)
    assert ids(result)[0] == "issue-london-south-1" and result.place_entries == ("issue-london-south-1",)
    assert "also names it in 1 entry about another Area (London South)" in result.places[0][2]
    assert all(h.entry.id in result.place_entries or "east-midlands" in h.entry.areas for h in result.hits)


@pytest.mark.parametrize(
    ("place", "naming"),
    [
        ("Leicester", {"issue-london-south-1"}),
        ("Basildon", {"strength-east-of-england-2"}),
        ("Metropolitan Police Service", {"para-4.13"}),
        ("Leeds", set()),  # the report never names it
    ],
)
def test_the_entries_naming_a_place_are_found_from_the_index_by_its_names(search_index, place, naming):
    assert {search_index.entries[n].id for n in docnums_of(search_index.mentions_of(place))} == naming


def test_a_place_the_report_names_ranks_the_entries_naming_it_first(search_index):
    # Basildon (East of England) is named in one of the Area's strengths, about hearings.
    result = search(search_index, "Basildon hearings")
    assert ids(result)[0] == "strength-east-of-england-2" and result.place_entries == ()


def test_england_and_wales_is_the_whole_report_not_the_area_wales(search_index):
    result = search(search_index, "victim letters across England and Wales")
    assert result.scope == () and result.missing_words == ()
    assert result.total == search(search_index, "victim letters across").total


def test_places_in_one_area_scope_to_it_once(search_index):
    result = search(search_index, "Kent and Medway victims")
    assert result.scope == ("south-east",) and [name for name, _, _ in result.places] == ["Kent", "Medway"]


def test_an_everyday_word_that_names_a_town_is_a_place_only_with_its_capital(search_index):
    assert search(search_index, "reading police files").scope == ()
    assert search(search_index, "Reading police files").scope == ("thames-and-chiltern",)


# -- real words are never rewritten; typos and slips in context are, and say so -------------------


@pytest.mark.parametrize(
    "q",
    [
        "jury trials",
        "prison",
        "wessex finances",
        "leeds",
        "court cases falling apart",
        "cases falling through",
    ],
)
def test_a_real_word_the_report_never_uses_is_not_rewritten(search_index, q):
    assert search(search_index, q).corrected_query is None


def test_a_typo_is_corrected_and_said(search_index):
    result = search(search_index, "procecution of hate crime")
    assert result.corrected_query == "prosecution of hate crime"


@pytest.mark.parametrize(
    ("q", "corrected"),
    [("goverment funding", "government funding"), ("seperate units", "separate units")],
)
def test_a_typo_of_an_english_word_is_not_rewritten_into_a_report_word(search_index, q, corrected):
    """ "goverment" is one edit from "government" and two from the report's "movement": it is
    the English word's typo, corrected to it and said not found, not to an unrelated word."""
    result = search(search_index, q)
    assert result.corrected_query == corrected


def test_one_edit_gives_every_string_one_edit_away():
    from search.text.spelling import edit_distance, one_edit

    variants = one_edit("cat")
    assert {"at", "act", "bat", "cart", "cats"} <= variants and "cat" not in variants
    assert all(edit_distance("cat", v) == 1 for v in variants)


@pytest.mark.parametrize(
    "q", ["how well did witness cure units work with victims", "problems with the witness cure unit service"]
)
def test_a_real_word_slip_is_corrected_in_context_however_long_the_question(search_index, q):
    result = search(search_index, q)
    assert result.corrected_query == q.replace("cure", "care")


def typo_of(word: str) -> str:
    """A slip of the fingers: the word with a letter in its middle left out."""
    middle = len(word) // 2
    return word[:middle] + word[middle + 1 :]


def test_a_misspelt_area_reads_as_the_area_spelt_right(search_index):
    """ "yorksire casework" is searched, scoped and widened as "yorkshire casework" is."""
    for area in search_index.areas.areas:
        word = max(re.findall(r"[A-Za-z]+", area.name), key=len)
        if len(word) < 6:
            continue
        right = f"{area.name} victims"
        typed = right.replace(word, typo_of(word))
        got, expected = search(search_index, typed), search(search_index, right)
        # A name's other word may be enough to find it ("Mersey-Chesire"): then nothing is corrected.
        assert (got.corrected_query or right).lower() == right.lower(), typed
        assert (ids(got), got.scope, got.widened_query) == (
            ids(expected),
            expected.scope,
            expected.widened_query,
        )


@pytest.mark.parametrize("place", ["Lancashire", "Merseyside", "Birmingham", "Cardiff", "Northumbria"])
def test_a_misspelt_place_is_corrected_to_the_place_and_scopes_to_its_area(search_index, place):
    typed = f"{typo_of(place.lower())} disclosure"
    got, expected = search(search_index, typed), search(search_index, f"{place} disclosure")
    assert got.corrected_query == f"{place.lower()} disclosure"
    assert got.scope == expected.scope and got.scope
    assert ids(got) == ids(expected)


# -- reading a question ----------------------------------------------------------------------


def test_a_question_opening_never_takes_the_kind_asked_for_once_the_names_are_taken(search_index):
    """In "what were the main issues in Wessex" the opening ("what were the main issues")
    leaves only the Area: the issues to address are what is asked for, as in "issues in
    Wessex", for every Area and for a place in one."""
    for area in search_index.areas.areas:
        expected = ids(search(search_index, f"issues in {area.name}", per_page=20))
        assert expected[0].startswith("issue-"), area.slug
        for q in (f"what were the main issues in {area.name}", f"what are the issues for {area.name}"):
            assert ids(search(search_index, q, per_page=20)) == expected, q
    leeds = search(search_index, "what are the issues for Leeds", per_page=20)
    assert ids(leeds) == ids(search(search_index, "issues in Yorkshire and Humberside", per_page=20))


@pytest.mark.parametrize(
    ("q", "topic"),
    [
        ("what does hmcpsi stand for", "hmcpsi"),
        ("define NFS", "NFS"),
        ("LSIP meaning", "LSIP"),
        ("meaning of CTL", "CTL"),
        ("what is a hearing record sheet", "hearing record sheet"),
    ],
)
def test_a_definition_question_is_answered_from_the_glossary_with_where_the_term_is_defined(
    search_index, q, topic
):
    prepared = search_index.prepare(parse_request({"q": [q]}))
    assert prepared.understanding.question == "definition"
    assert " ".join(prepared.understanding.topic) == topic
    answer = search(search_index, q).answer
    acronym = (
        search_index.glossary.lookup(topic)
        or search_index.glossary.expansions_in(tuple(s for w in topic.split() for s in stems(w)))[0]
    )
    assert answer.kind == "definition" and acronym.expansion in answer.text
    if acronym.defined_in:
        assert answer.entry_ids[0] == acronym.defined_in and acronym.defined_in in answer.text


@pytest.mark.parametrize(
    ("q", "cue", "asks"),
    [
        ("engagement score 2018", "rating", False),  # the People Survey's score: the report's own compound
        ("a marked improvement in casework", "rating", False),  # an adjective
        # The report's own sentences, where the words rate or score something other than an Area:
        ("inspectors noted a marked improvement in the morale culture", "rating", False),
        ("the overall engagement index score remained the same", "rating", False),
        ("differences between local units scores", "rating", False),
        ("scored consistently high figures in the civil service engagement survey", "rating", False),
        ("advices were rated worse than those delivered by CPS Direct", "rating", False),
        ("were any areas rated excellent", "rating", True),
        ("casework scores", "rating", True),
        ("case progression scores", "rating", True),
        ("wessex overall score", "rating", True),
        ("which area scored highest for leadership", "rating", True),
        ("which areas were rated poor for victims", "rating", True),
        # The report's own sentence, where "Table" names a figure of the report, not a kind of entry:
        ("Table 2 compares the national results across the period", "table", False),
        ("round table meetings with the police", "table", False),  # a meeting
        ("around the table with partners", "table", False),
        ("scores table", "table", True),
        ("table of ratings", "table", True),
        ("casework quality table", "table", True),
    ],
)
def test_a_word_asks_for_a_kind_only_where_the_words_around_it_mean_that(search_index, q, cue, asks):
    prepared = search_index.prepare(parse_request({"q": [q]}))
    assert (cue in prepared.understanding.asks_for) is asks


def test_a_count_with_who_reported_in_it_is_answered_with_the_reports_own_total_first(search_index):
    result = search(search_index, "how many issues to address did inspectors raise on casework")
    assert result.answer.kind == "count" and result.answer.count == 70
    assert any("states 75" in note for note in result.answer.notes)
    assert ids(result)[0] == "para-4.6"  # "Across all 14 reports, inspectors set out 75 issues to address"


def test_every_result_of_an_acronym_shows_why_it_matched(search_index):
    """A result found by an acronym's alias, its spelling out or its words marks them in its
    snippet: "DV" marks "domestic abuse", for every acronym of the glossary."""
    unmarked = []
    for acronym in search_index.glossary.items:
        for hit in search(search_index, acronym.acronym).hits:
            if "<mark>" not in hit.snippet:
                unmarked.append((acronym.acronym, hit.entry.id))
    assert not unmarked
