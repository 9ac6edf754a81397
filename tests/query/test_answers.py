"""Answers from the structured data, checked against the report's own tables; and explanations."""

from __future__ import annotations

import pytest

from search.output.overview import score_tables
from search.query.request import MAX_EXPLAINED, parse_request
from tests.query.searching import ids


def ask(index, q: str, **params):
    raw = {"q": [q], **{k: [str(v)] for k, v in params.items()}}
    return index.search(parse_request(raw))


def table_rows(index):
    """Every (Area, code, criterion, rating) of the scores tables, read from the overview, not the answerer."""
    rows = []
    for table in score_tables(index.entries):
        for criterion in table.criteria:
            for area, ratings in table.rows.items():
                if criterion.code in ratings:
                    rows.append((area, criterion.code, criterion.criterion, ratings[criterion.code]))
    return rows


def test_which_areas_got_a_rating_is_answered_from_the_tables_for_every_criterion(search_index):
    rows = table_rows(search_index)
    criteria = {(code, name) for _, code, name, _ in rows if len(code) > 1}
    asked = 0
    for code, name in sorted(criteria):
        for value in ("Excellent", "Poor"):
            answer = ask(search_index, f"which Areas were rated {value.lower()} for {name}?").answer
            expected = sorted(area for area, c, _, rating in rows if c == code and rating == value)
            assert answer is not None and answer.kind == "ratings", (code, value)
            assert sorted(r.area for r in answer.rows if r.code == code) == expected, (code, value)
            assert all(r.rating == value for r in answer.rows)
            asked += 1
    assert asked >= 20


def test_a_question_about_areas_without_its_opening_is_answered_as_with_it(search_index):
    """ "best area for leadership" is "which area was rated highest for leadership", and
    "areas rated poor for leadership" is "which areas were rated poor for leadership"."""
    names = sorted({name for _, code, name, _ in table_rows(search_index) if len(code) > 1})
    for name in names:
        for short, framed in [
            (f"best area for {name}", f"which area was rated highest for {name}"),
            (f"worst areas for {name}", f"which areas were rated lowest for {name}"),
            (f"areas rated poor for {name}", f"which areas were rated poor for {name}"),
            (f"area scored good on {name}", f"which areas scored good on {name}"),
            (f"worst rated area for {name}", f"which area was rated lowest for {name}"),
            (f"best performing areas on {name}", f"which area was rated highest for {name}"),
            (f"were any areas rated excellent for {name}", f"which areas were rated excellent for {name}"),
            (f"how many areas were rated fair for {name}", f"which areas were rated fair for {name}"),
            (f"was any area rated poor on {name}", f"which areas were rated poor on {name}"),
        ]:
            given, expected = ask(search_index, short).answer, ask(search_index, framed).answer
            assert expected is not None and given is not None, short
            assert (given.text, given.rows) == (expected.text, expected.rows), short


RANK = {"Excellent": 0, "Good": 1, "Fair": 2, "Poor": 3}


@pytest.mark.parametrize("way", ["top", "bottom"])
@pytest.mark.parametrize("n", [1, 3, 5, 20])
def test_the_top_or_bottom_n_areas_are_n_and_every_area_tied_with_the_last(search_index, way, n):
    """ "top 3 areas for leadership" names three Areas, the best rated first, and every Area
    that shares the third place's rating: a list cut inside a tie would not be complete."""
    rows = table_rows(search_index)
    for code, name in sorted({(code, name) for _, code, name, _ in rows if len(code) > 1}):
        rated = sorted(((RANK[r] if way == "top" else -RANK[r], area) for area, c, _, r in rows if c == code))
        cut = rated[min(n, len(rated)) - 1][0]
        expected = [area for rank, area in rated if rank <= cut]
        answer = ask(search_index, f"{way} {n} areas for {name}").answer
        assert answer is not None and answer.kind == "ratings", (code, way, n)
        assert [r.area for r in answer.rows if r.code == code] == expected, (code, way, n)
        if len(expected) > n:
            assert "share" in answer.text, (code, way, n)


@pytest.mark.parametrize(
    "asked, same_as",
    [
        ("bottom five areas for casework", "bottom 5 areas for casework"),
        ("the 5 worst areas for casework", "bottom 5 areas for casework"),
        ("which three areas were rated highest for leadership", "top 3 areas for leadership"),
        ("top 3 areas for leadership", "top three areas for leadership"),
    ],
)
def test_a_number_of_areas_is_read_in_words_or_digits_before_or_after_the_superlative(
    search_index, asked, same_as
):
    given, expected = ask(search_index, asked).answer, ask(search_index, same_as).answer
    assert given is not None and (given.text, given.rows) == (expected.text, expected.rows)


def test_the_areas_with_the_most_of_a_kind_are_n_and_every_area_tied_with_the_last(search_index):
    counts = {}
    for entry in search_index.entries:
        if entry.kind == "issue":
            for area in entry.areas:
                counts[area] = counts.get(area, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    for n in (1, 3, 5):
        answer = ask(search_index, f"the {n} areas with the most issues to address").answer
        expected = {a for a, c in counts.items() if c >= ranked[n - 1]}
        assert set(answer.search["area"]) == expected, n
        assert all(search_index.areas.label(a) in answer.text for a in expected)


@pytest.mark.parametrize(
    "asked, same_as",
    [
        ("best area", "best area overall"),
        ("which area is best", "best area overall"),
        ("which area is the best", "best area overall"),
        ("which area performed best", "best area overall"),
        ("best performing area", "best area overall"),
        ("worst areas", "worst area overall"),
        ("top 3 areas", "top 3 areas overall"),
    ],
)
def test_the_best_area_with_nothing_else_named_is_the_best_rated_overall(search_index, asked, same_as):
    found = ask(search_index, asked, per_page=100)
    given, expected = found.answer, ask(search_index, same_as).answer
    assert expected is not None and expected.kind == "ratings"
    assert given is not None and (given.text, given.rows) == (expected.text, expected.rows), asked
    # Nothing else was asked: the results are the rows the answer rests on, in its order.
    assert not found.nothing_searched
    assert ids(found) == list(dict.fromkeys(given.entry_ids))


@pytest.mark.parametrize("q", ["best practice", "areas of best practice", "best area for leadership"])
def test_a_superlative_with_a_topic_is_not_asked_about_overall_scores(search_index, q):
    answer = ask(search_index, q).answer
    assert answer is None or "overall score" not in answer.text


@pytest.mark.parametrize(
    "q",
    [
        "how many areas",
        "how many CPS areas are there",
        "how many areas were inspected",
        "how many areas are there?",
    ],
)
def test_how_many_areas_is_answered_from_the_areas_with_their_reports(search_index, q):
    found = ask(search_index, q, per_page=20)
    answer = found.answer
    reports = [e for e in search_index.entries if e.kind == "report"]
    assert answer is not None and answer.count == len(search_index.areas.areas) == len(reports) == 14
    assert answer.text.startswith("The report covers 14 CPS Areas: Cymru-Wales, East Midlands,")
    assert all(search_index.areas.label(a.slug) in answer.text for a in search_index.areas.areas)
    assert ids(found) == [e.id for e in reports]  # each Area's own inspection report


@pytest.mark.parametrize(
    "q", ["how many areas were rated excellent for leadership", "how many areas had issues on disclosure"]
)
def test_how_many_areas_with_more_asked_is_not_the_count_of_areas(search_index, q):
    answer = ask(search_index, q).answer
    assert answer is None or not answer.text.startswith("The report covers 14 CPS Areas")


def test_a_rating_received_is_asked_as_a_rating_given(search_index):
    """ "which Areas got poor for leadership" is "which Areas were rated poor for leadership",
    whatever verb of receiving is used and wherever it stands, with every rating value."""
    names = sorted({name for _, code, name, _ in table_rows(search_index) if len(code) > 1})
    asked = 0
    for n, name in enumerate(names):
        for value in ("excellent", "good", "fair", "poor"):
            expected = ask(search_index, f"which areas were rated {value} for {name}").answer
            assert expected is not None, (name, value)
            verb = ("got", "received", "achieved", "were given", "gained")[(n + asked) % 5]
            for short in (
                f"which areas {verb} {value} for {name}",
                f"areas that {verb} a {value} rating for {name}",
                f"how many areas {verb} {value} for {name}",
            ):
                given = ask(search_index, short).answer
                assert given is not None, short
                assert (given.text, given.rows) == (expected.text, expected.rows), short
            asked += 1
    assert asked == 4 * len(names) >= 48


@pytest.mark.parametrize(
    "q",
    [
        "staff got good training",
        "victims received poor service from the witness care unit",
        "which areas achieved good outcomes for victims",
        "areas that received excellent feedback from partners",
    ],
)
def test_a_rating_value_before_a_noun_is_not_a_rating_received(search_index, q):
    """After a verb of receiving, "good" describes what was received unless nothing, a
    preposition or a word for ratings follows it."""
    assert ask(search_index, q).answer is None


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("was Wessex rated excellent for partnership", "A2"),
        ("which areas were rated poor for partnership working", "A2"),
        ("which areas got fair for communications with victims", "D1"),
    ],
)
def test_a_criterion_is_named_by_a_word_of_its_family(search_index, q, code):
    """ "partnership" names A2 Work with Partners: one stem extends the other."""
    answer = ask(search_index, q).answer
    assert answer is not None and {r.code for r in answer.rows} <= {code}, q
    assert code in answer.text


def test_a_criterion_is_named_by_the_reports_words_for_a_lay_word(search_index):
    """ "stats" is searched as "performance data", which names B1 Use of performance data;
    without the lay words, no criterion is named and the answer says so."""
    q = "which area was rated best for using its stats"
    answer = ask(search_index, q).answer
    assert answer is not None and {r.code for r in answer.rows} == {"B1"}, answer
    assert "B1" in answer.text
    plain = search_index.search(parse_request({"q": [q]}), without=frozenset({"lay-words"})).answer
    assert plain is None or not plain.rows


def test_areas_with_a_rating_value_are_the_areas_rated_it(search_index):
    """ "areas with poor leadership" is "which areas were rated poor for leadership", for every
    criterion and rating value; "areas with good practice" names a kind, not a rating."""
    names = sorted({name for _, code, name, _ in table_rows(search_index) if len(code) > 1})
    for name in names:
        for value in ("excellent", "good", "fair", "poor"):
            expected = ask(search_index, f"which areas were rated {value} for {name}").answer
            given = ask(search_index, f"areas with {value} {name}").answer
            assert given is not None and (given.text, given.rows) == (expected.text, expected.rows), (
                name,
                value,
            )
    assert ask(search_index, "areas with good practice on victims").answer is None
    # Only an opening naming Areas makes the value a rating: these ask about problems.
    assert ask(search_index, "what were the issues with poor communication").answer is None
    assert ask(search_index, "what are the problems with poor file quality").answer is None


def test_the_entry_a_definition_comes_from_leads_its_results(search_index):
    """ "what is the CPS" is answered from para-1.1, where the report spells it out: that
    entry comes first under the answer, for every acronym the report spells out somewhere."""
    asked = 0
    for acronym in search_index.glossary.items:
        if not acronym.defined_in:
            continue
        result = ask(search_index, f"what is {acronym.acronym}")
        assert result.answer is not None and result.answer.defining == (acronym.defined_in,), acronym.acronym
        assert ids(result)[0] == acronym.defined_in, acronym.acronym
        asked += 1
    assert asked >= 10


@pytest.mark.parametrize("cue", ["ratings", "rating", "scores", "grades"])
def test_an_area_with_only_a_word_asking_for_ratings_lists_its_rows_first(search_index, cue):
    """ "North West ratings": the rows the answer gives lead the Area's entries; the word is not
    searched for as such (no North West entry says "ratings"), and nothing relaxes."""
    for area in search_index.areas.areas:
        result = ask(search_index, f"{area.name} {cue}")
        rows = list(dict.fromkeys(r.entry_id for r in result.answer.rows))
        assert rows and set(ids(result)[: len(rows)]) == set(rows), (area.slug, cue)
        assert result.relaxed is None, (area.slug, cue)


def test_a_comparison_of_areas_asks_for_their_scores_side_by_side(search_index):
    """ "compare Wessex and South West" is "Wessex and South West scores", for pairs of Areas
    however the comparison is said, with a Part or without; the report's own "Better Case
    Management" compares nothing."""
    areas = [a.name for a in search_index.areas.areas]
    for first, second in zip(areas, areas[1:] + areas[:1], strict=True):
        whole = ask(search_index, f"{first} and {second} scores").answer
        casework = ask(search_index, f"how did {first} and {second} score on casework").answer
        assert whole is not None and casework is not None, (first, second)
        for q, expected in [
            (f"compare {first} and {second}", whole),
            (f"difference between {first} and {second}", whole),
            (f"which is better, {first} or {second}", whole),
            (f"{first} vs {second} casework", casework),
            (f"{first} v {second} casework", casework),
            (f"compare {first} with {second} on casework", casework),
        ]:
            given = ask(search_index, q).answer
            assert given is not None and (given.text, given.rows) == (expected.text, expected.rows), q
        assert ask(search_index, f"better case management in {first} and {second}").answer is None


def test_an_area_with_the_most_of_a_kind_is_answered_as_the_question(search_index):
    asked = 0
    for label in ("issues to address", "good practice", "strengths"):
        for most in ("most", "fewest"):
            expected = ask(search_index, f"which area had the {most} {label}").answer
            for short in (f"area with the {most} {label}", f"areas with {most} {label}"):
                given = ask(search_index, short).answer
                assert given is not None and (given.text, given.entry_ids) == (
                    expected.text,
                    expected.entry_ids,
                ), short
                asked += 1
    assert asked == 12


@pytest.mark.parametrize("topic", ["disclosure", "charging advice", "hate crime", "RASSO", "victim letters"])
def test_a_rating_question_on_a_topic_no_criterion_scores_says_so_and_rates_nothing(search_index, topic):
    result = ask(search_index, f"which areas were rated poor for {topic}")
    assert result.answer.rows == () and result.answer.entry_ids == ()
    assert f"No criterion of the scores tables is named for “{topic}”" in result.answer.text
    assert result.total > 0 and not ids(result)[0].startswith("rating-")


@pytest.mark.parametrize(
    "q",
    [
        "which areas were rated {}",
        "areas rated {}",
        "which areas were rated {} in 2019",
    ],
)
def test_a_rating_question_on_no_topic_is_answered_for_every_criterion(search_index, q):
    for value in ("Excellent", "Good", "Fair", "Poor"):
        answer = ask(search_index, q.format(value.lower())).answer
        rated = sorted((area, code) for area, code, _, rating in table_rows(search_index) if rating == value)
        assert sorted((r.area, r.code) for r in answer.rows) == rated, value


@pytest.mark.parametrize("part", ["a", "b", "c", "d"])
def test_how_an_area_scored_is_its_row_of_the_table(search_index, part):
    rows = table_rows(search_index)
    for area in ("wessex", "north-east", "london-north"):
        name = search_index.areas.label(area)
        answer = ask(search_index, f"how did {name} score in part {part}").answer
        expected = [(c, r) for a, c, _, r in rows if a == area and c[0].lower() == part]
        assert [(r.code, r.rating) for r in answer.rows] == expected
        assert all(r.entry_id == f"rating-{part}-{area}" for r in answer.rows)


def test_an_area_the_tables_do_not_score_is_said_so(search_index):
    # The two pilot Areas have no row in the Part A, B and D tables.
    answer = ask(search_index, "how did cymru-wales score in part a").answer
    assert answer.rows == () and "no rating" in answer.text


@pytest.mark.parametrize("kind", ["issue", "good-practice", "strength"])
def test_counts_are_the_annex_b_rows(search_index, kind):
    words = {"issue": "issues", "good-practice": "examples of good practice", "strength": "strengths"}[kind]
    for area in search_index.areas.areas:
        answer = ask(search_index, f"how many {words} does {area.name} have?").answer
        expected = [e.id for e in search_index.entries if e.kind == kind and area.slug in e.areas]
        assert answer.kind == "count" and answer.count == len(expected), (area.slug, kind)
        assert list(answer.entry_ids) == expected
        assert answer.search == {"kind": [kind], "area": [area.slug]}


def test_a_count_names_the_rows_missing_from_the_numbering(search_index):
    answer = ask(search_index, "how many issues to address does the North East have").answer
    assert answer.count == 13
    assert answer.notes == (
        "North East: issue to address numbers 8, 9, 10 are missing from the report's numbering.",
    )


@pytest.mark.parametrize(
    "q",
    [
        "disclosure",
        "which areas have good working relationships with the police",
        "how many case files did inspectors examine",
        "wessex training",
        "good leadership",
    ],
)
def test_no_answer_when_the_question_is_not_about_scores_or_counts(search_index, q):
    assert ask(search_index, q).answer is None


def test_the_rows_an_answer_rests_on_lead_the_results(search_index):
    result = ask(search_index, "which areas were rated excellent for resource management")
    assert {h.entry.id for h in result.hits[: len(result.answer.entry_ids)]} == set(result.answer.entry_ids)


# -- explanations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "victim letters",
        '"disclosure record sheet" IQA',
        "wessex good practice",
        "which areas were rated poor for community engagement",
        "did staff feel they got too many emails from managers",
        "barristers",
        "case progression scores",
        "comunity engagment",
        "+police file -quality",
    ],
)
def test_explanations_add_up_to_the_scores(search_index, q):
    hits = []
    for page in (1, 2):
        result = ask(search_index, q, explain=1, per_page=MAX_EXPLAINED, page=page)
        assert result.explanation["clauses"]
        hits += result.hits
    for hit in hits:
        explanation = hit.explanation
        parts = sum(c["score"] for c in explanation["clauses"])
        total = parts + sum(lift["value"] for lift in explanation["lifts"])
        assert total == pytest.approx(hit.score, abs=2e-3), hit.entry.id
        assert explanation["score"] == pytest.approx(hit.score, abs=2e-3)


def test_explain_is_given_for_the_first_hits_of_a_page_only(search_index, monkeypatch):
    import search.query.searcher as searcher

    explained = []
    real = searcher.explain_entry
    monkeypatch.setattr(searcher, "explain_entry", lambda *a: explained.append(a[3]) or real(*a))
    result = ask(search_index, "casework", explain=1, per_page=100)
    assert len(result.hits) == 100 and len(explained) == MAX_EXPLAINED
    assert [h.explanation is not None for h in result.hits] == [True] * MAX_EXPLAINED + [False] * 90
    assert result.explanation["clauses"]  # how the query was read, for the whole result


def test_explain_names_words_fields_expansions_and_lifts(search_index):
    explained = search_index.explain(parse_request({"q": ["IQA leadership"]}), "criterion-a-1")
    reasons = [c["reason"] for c in explained["clauses"]]
    assert "word 'leadership'" in reasons
    word = next(c for c in explained["clauses"] if c["reason"] == "word 'leadership'")
    assert set(word["fields"]) <= {"title", "text", "aliases", "context"}
    qc = search_index.explain(parse_request({"q": ["QC"]}), "good-practice-london-north-6")
    assert any(c["reason"].startswith("the report's words for QC") for c in qc["clauses"])
    counted = search_index.explain(
        parse_request({"q": ["how many strengths does wessex have"]}), "strength-wessex-1"
    )
    assert {"reason": "one of the entries counted", "value": 30.0} in counted["lifts"]


def test_explain_says_why_an_entry_does_not_match(search_index):
    outside = search_index.explain(parse_request({"q": ["wessex disclosure"]}), "issue-london-north-7")
    assert outside["matched"] is False and "Wessex" in outside["why"]
    none = search_index.explain(parse_request({"q": ["xylophone"]}), "para-4.10")
    assert none["matched"] is False and "none of the query's clauses" in none["why"]


def test_an_area_rated_on_fewer_parts_than_those_beside_it_says_which_it_lacks(search_index):
    """The tables rate some Areas on fewer Parts: beside one rated on all, the answer says so
    for each, rather than leave a reader to take the gap for an omission."""
    rows = table_rows(search_index)
    parts = {area: {code[0] for a, code, _, _ in rows if a == area} for area, _, _, _ in rows}
    full = next(a for a, p in parts.items() if p == {"A", "B", "C", "D"})
    for area, own in parts.items():
        if area == full:
            continue
        given = ask(
            search_index, f"compare {search_index.areas.label(full)} and {search_index.areas.label(area)}"
        ).answer
        lacking = sorted({"A", "B", "C", "D"} - own)
        said = f"give no rating for {search_index.areas.label(area)} on Part"
        assert (said in given.text) == bool(lacking), area
        for letter in lacking:
            assert letter in given.text.split(said)[1].split(".")[0], (area, letter)


def test_a_criterion_is_named_by_its_code_as_by_its_name(search_index):
    """ "C1 ratings" asks what "reviews and decisions in magistrates' courts ratings" asks,
    for every scored criterion, and "which areas were rated good for c1" is answered."""
    criteria = {(code, name) for _, code, name, _ in table_rows(search_index) if len(code) > 1}
    assert len(criteria) >= 10
    for code, name in sorted(criteria):
        by_code, by_name = ask(search_index, f"{code} ratings"), ask(search_index, f"{name} ratings")
        rows = [
            h.entry.id
            for h in by_code.hits[:5]
            if (h.entry.kind, h.entry.part) == ("rating", code[0].lower())
        ]
        assert len(rows) == 5 and set(rows) <= set(ids(by_name)), code
        asked = ask(search_index, f"which areas were rated good for {code.lower()}").answer
        expected = ask(search_index, f"which areas were rated good for {name}").answer
        assert asked is not None and (asked.text, asked.rows) == (expected.text, expected.rows), code


def test_a_rating_set_against_the_scale_is_read_as_the_values_it_stands_for(search_index):
    """ "less than good" is "fair or poor", "at least good" "excellent or good", for every
    criterion; "better than good practice" compares nothing."""
    names = sorted({name for _, code, name, _ in table_rows(search_index) if len(code) > 1})
    said = [
        ("below good", "fair or poor"),
        ("less than good", "fair or poor"),
        ("worse than fair", "poor"),
        ("better than fair", "excellent or good"),
        ("at least good", "excellent or good"),
        ("no better than fair", "fair or poor"),
    ]
    for n, name in enumerate(names):
        compared, values = said[n % len(said)]
        given = ask(search_index, f"which areas were rated {compared} for {name}").answer
        expected = ask(search_index, f"which areas were rated {values} for {name}").answer
        assert expected is not None and given is not None, (compared, name)
        assert (given.text, given.rows) == (expected.text, expected.rows), (compared, name)
    assert ask(search_index, "did any area get less than good for leadership").answer.rows
    assert ask(search_index, "better than good practice").answer is None


def test_how_an_area_came_out_beside_a_superlative_is_not_a_topic(search_index):
    """ "which area came out best for X" asks what "which area was rated highest for X" asks."""
    names = sorted({name for _, code, name, _ in table_rows(search_index) if len(code) > 1})
    said = ["came out best for", "came top for", "fared best on", "came out on top for", "finished top for"]
    for n, name in enumerate(names):
        given = ask(search_index, f"which area {said[n % len(said)]} {name}").answer
        expected = ask(search_index, f"which area was rated highest for {name}").answer
        assert expected is not None and given is not None, (said[n % len(said)], name)
        assert (given.text, given.rows) == (expected.text, expected.rows), (said[n % len(said)], name)
    worst = ask(search_index, "which area fared worst on casework").answer
    assert worst == ask(search_index, "which area was rated lowest for casework").answer


def test_a_criterion_is_defined_by_the_inspection_framework(search_index):
    """ "what is meant by joined up working", "what counts as good leadership": for every
    scored criterion the framework has, its criterion and sub-criteria are the answer and
    lead the results, and the answer's link lists exactly them."""
    framework = {}
    for e in search_index.entries:
        if e.kind == "criterion" and e.number:
            framework.setdefault(f"{e.part.upper()}{e.number[0]}", []).append(e.id)
    names = {code: name for _, code, name, _ in table_rows(search_index) if len(code) > 1}
    asked = 0
    for code, name in sorted(names.items()):
        if code not in framework:
            continue
        for q in (f"what is meant by {name}", f"what counts as good {name} for the inspectors"):
            result = ask(search_index, q)
            answer = result.answer
            assert answer is not None and answer.kind == "definition", q
            assert set(framework[code]) <= set(answer.defining), q
            assert f"{code} {name}" in answer.text and "inspection framework" in answer.text, q
            assert set(ids(result)[: len(answer.defining)]) == set(answer.defining), q
            listed = ask(search_index, answer.search["q"][0], per_page=50)
            assert sorted(ids(listed)) == sorted(answer.entry_ids) and answer.count == listed.total, q
            asked += 1
    assert asked >= 20
    # A term that holds a criterion's name and more is not the criterion.
    assert ask(search_index, "what is a case progression officer").answer is None
