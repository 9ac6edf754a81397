"""Every answer against the data it comes from, for every case the data holds.

Generated from the tables themselves, not hand-picked: every criterion × rating value,
every Part × rating value, every Area × Annex B kind, the most and the fewest of every
kind, the highest and lowest on every criterion, and every acronym of the glossary. An
answer either matches the data completely or there is none.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from search.models import ANNEX_B_KINDS, PARTS, RATINGS
from search.query.request import parse_request

PLURAL = {"issue": "issues to address", "good-practice": "good practice", "strength": "strengths"}


def answer(index, q: str):
    return index.prepare(parse_request({"q": [q]})).answer


def rating_rows(index):
    """(area, code, criterion, rating, part) for every rating the scores tables hold."""
    return [
        (e.areas[0], r.code, r.criterion, r.rating, e.part)
        for e in index.entries
        if e.kind == "rating"
        for r in e.ratings
    ]


def criteria(index):
    return sorted({(code, criterion) for _, code, criterion, _, _ in rating_rows(index) if len(code) > 1})


def test_every_criterion_and_rating_value_is_answered_completely(search_index):
    asked = 0
    for code, criterion in criteria(search_index):
        for value in RATINGS:
            got = answer(search_index, f"which areas were rated {value} for {criterion}")
            expected = {a for a, c, _, r, _ in rating_rows(search_index) if c == code and r == value}
            assert got is not None and got.kind == "ratings", (code, value)
            assert {r.area for r in got.rows if r.code == code} == expected, (code, value)
            assert all(r.rating == value for r in got.rows), (code, value)
            if not expected:
                assert got.text == f"No Area was rated {value} for {code} {criterion}.", (code, value)
            asked += 1
    assert asked == len(criteria(search_index)) * len(RATINGS)


@pytest.mark.parametrize("part", [p for p in PARTS if p != "general"])
def test_every_part_and_rating_value_covers_every_criterion_of_the_part(search_index, part):
    rows = [row for row in rating_rows(search_index) if row[4] == part]
    for value in RATINGS:
        got = answer(search_index, f"which areas were rated {value} on part {part}")
        expected = {(a, c) for a, c, _, r, _ in rows if r == value}
        assert {(r.area, r.code) for r in got.rows} == expected, (part, value)
        overall = part.upper()
        if any(c == overall for _, c in expected):
            assert f"overall score for Part {overall}" in got.text, (part, value)


def test_overall_asks_for_the_overall_scores_only(search_index):
    """ "rated excellent overall" is about each Part's overall score, not every criterion:
    for every rating value, with and without a Part, for every Area, and the best and worst."""
    overall = [row for row in rating_rows(search_index) if len(row[1]) == 1]
    names = {"a": "part a", "b": "part b", "c": "casework", "d": "public confidence"}
    for value in RATINGS:
        got = answer(search_index, f"which areas were rated {value} overall")
        assert {(r.area, r.code) for r in got.rows} == {(a, c) for a, c, _, r, _ in overall if r == value}, (
            value
        )
        for part, name in names.items():
            got = answer(search_index, f"which areas were rated {value} overall for {name}")
            expected = {(a, c) for a, c, _, r, p in overall if r == value and p == part}
            assert {(r.area, r.code) for r in got.rows} == expected, (value, part)
    for area in search_index.areas.areas:
        got = answer(search_index, f"how did {area.name} do overall")
        expected = {(a, c, r) for a, c, _, r, _ in overall if a == area.slug}
        assert got is not None and {(r.area, r.code, r.rating) for r in got.rows} == expected, area.slug
    rank = {value: n for n, value in enumerate(RATINGS)}  # best first
    assert RATINGS[0] == "Excellent" and RATINGS[-1] == "Poor"
    for word, pick in (("best", min), ("worst", max)):
        got = answer(search_index, f"{word} area overall")
        for code in {c for _, c, _, _, _ in overall}:
            ranks = {a: rank[r] for a, c, _, r, _ in overall if c == code}
            top = {a for a, n in ranks.items() if n == pick(ranks.values())}
            assert {r.area for r in got.rows if r.code == code} == top, (word, code)


def test_whether_an_area_got_a_rating_on_one_criterion_is_answered_from_its_cell(search_index):
    for area, code, criterion, rating, _ in rating_rows(search_index):
        if len(code) == 1:
            continue
        name = search_index.areas.label(area)
        for value in RATINGS:
            got = answer(search_index, f"was {name} rated {value.lower()} for {criterion}")
            assert got.question == "area-scores" and [(r.code, r.rating) for r in got.rows] == [
                (code, rating)
            ]
            if value == rating:
                assert got.text == f"{name} was rated {rating} for {code} {criterion}.", (area, code, value)
            else:
                assert (
                    got.text == f"{name} was not rated {value} for {code} {criterion}: it was rated {rating}."
                )


@pytest.mark.parametrize(
    "asked", ["did {area} get any {value} ratings", "was {area} rated {value} in part {part}"]
)
def test_every_area_and_rating_value_is_answered_with_the_criteria_it_got(search_index, asked):
    for area in search_index.areas.areas:
        for value in RATINGS:
            for part in "abcd" if "{part}" in asked else "-":
                q = asked.format(area=area.name, value=value.lower(), part=part)
                got = answer(search_index, q)
                own = [
                    (c, r)
                    for a, c, _, r, p in rating_rows(search_index)
                    if a == area.slug and part in ("-", p)
                ]
                expected = [c for c, r in own if r == value]
                if not own:
                    assert got is not None and got.rows == () and "no rating" in got.text, q
                    continue
                assert got is not None and got.question == "area-scores", q
                assert [r.code for r in got.rows] == expected, q
                assert f"{value} in {len(expected) or 'none'} of its {len(own)} ratings" in got.text, q


def test_every_area_and_kind_is_counted_as_annex_b_lists_it(search_index):
    for area in search_index.areas.areas:
        for kind in ANNEX_B_KINDS:
            got = answer(search_index, f"how many {PLURAL[kind]} does {area.name} have")
            expected = [e.id for e in search_index.entries if e.kind == kind and area.slug in e.areas]
            assert got.kind == "count" and got.count == len(expected), (area.slug, kind)
            assert list(got.entry_ids) == expected, (area.slug, kind)


def test_a_count_on_a_criterion_counts_its_part_and_says_so(search_index):
    """Annex B sorts its rows by Part: "how many issues on leadership" counts Part A's and
    says that is what it counted, for every criterion and kind; never every row."""
    for code, criterion in criteria(search_index):
        part = code[0].lower()
        for kind in ANNEX_B_KINDS:
            got = answer(search_index, f"how many {PLURAL[kind]} on {criterion}")
            expected = [e.id for e in search_index.entries if e.kind == kind and e.part == part]
            assert got.kind == "count" and list(got.entry_ids) == expected, (code, kind)
            assert f"these are all of Part {part.upper()}, not only {code}" in got.text, (code, kind)
            most = answer(search_index, f"which area had the most {PLURAL[kind]} on {criterion}")
            assert f"Part {part.upper()}" in most.text and f"not only {code}" in most.text, (code, kind)


@pytest.mark.parametrize("topic", ["disclosure", "hate crime", "victim letters"])
def test_the_most_of_a_kind_on_a_topic_annex_b_does_not_sort_by_is_not_counted(search_index, topic):
    for kind in ANNEX_B_KINDS:
        got = answer(search_index, f"which area had the most {PLURAL[kind]} about {topic}")
        assert got is not None and got.count is None and not got.entry_ids, (kind, topic)
        assert f"are about “{topic}”" in got.text, (kind, topic)
    for q in (f"which area has the best {topic}", f"worst area for {topic}"):
        got = answer(search_index, q)
        assert got is not None and not got.rows and f"named for “{topic}”" in got.text, q
    assert answer(search_index, "what was the biggest problem") is None


def test_a_count_for_several_areas_gives_each_its_share(search_index):
    areas = list(search_index.areas.areas)
    for first, second in zip(areas, areas[1:] + areas[:1], strict=True):
        for kind in ANNEX_B_KINDS:
            got = answer(search_index, f"how many {PLURAL[kind]} did {first.name} and {second.name} get")
            shares = [
                sum(1 for e in search_index.entries if e.kind == kind and a.slug in e.areas)
                for a in (first, second)
            ]
            assert got.count == sum(shares), (first.slug, second.slug, kind)
            assert f"{first.name}: {shares[0]}; {second.name}: {shares[1]}." in got.text, (first.slug, kind)


@pytest.mark.parametrize(
    "verb", ["did {area} get", "did {area} receive", "has {area} got", "does {area} have"]
)
def test_every_area_kind_and_part_is_counted_however_the_having_is_said(search_index, verb):
    for area in search_index.areas.areas:
        for kind in ANNEX_B_KINDS:
            for part in "abcd":
                q = f"how many {PLURAL[kind]} {verb.format(area=area.name)} in part {part}"
                got = answer(search_index, q)
                expected = [
                    e.id
                    for e in search_index.entries
                    if e.kind == kind and area.slug in e.areas and e.part == part
                ]
                assert got is not None and got.kind == "count" and got.count == len(expected), q
                assert list(got.entry_ids) == expected, q


@pytest.mark.parametrize("kind", ANNEX_B_KINDS)
@pytest.mark.parametrize(("word", "pick"), [("most", max), ("fewest", min)])
def test_the_most_and_the_fewest_of_every_kind_name_every_area_tied(search_index, kind, word, pick):
    per_area = Counter({a.slug: 0 for a in search_index.areas.areas})
    per_area.update(a for e in search_index.entries if e.kind == kind for a in e.areas)
    best = pick(per_area.values())
    tied = {a for a, n in per_area.items() if n == best}
    got = answer(search_index, f"which area had the {word} {PLURAL[kind]}")
    assert got.kind == "ranking" and got.count == best
    assert set(got.search["area"]) == tied
    for slug in tied:
        assert search_index.areas.label(slug) in got.text


@pytest.mark.parametrize(("word", "pick"), [("highest", min), ("lowest", max)])
def test_the_highest_and_lowest_on_every_criterion_name_every_area_with_that_rating(search_index, word, pick):
    rank = {r: n for n, r in enumerate(RATINGS)}
    for code, criterion in criteria(search_index):
        rows = [(a, r) for a, c, _, r, _ in rating_rows(search_index) if c == code]
        best = pick(rank[r] for _, r in rows)
        expected = {a for a, r in rows if rank[r] == best}
        got = answer(search_index, f"which area was rated {word} for {criterion}")
        assert {r.area for r in got.rows if r.code == code} == expected, (code, word)
        assert RATINGS[best] in got.text, (code, word)


def test_every_acronym_of_the_glossary_is_defined(search_index):
    for acronym in search_index.glossary.items:
        got = answer(search_index, f"what does {acronym.acronym} stand for")
        assert got is not None and got.kind == "definition", acronym.acronym
        assert f"{acronym.acronym} stands for {acronym.expansion}" in got.text
        if acronym.defined_in:
            assert got.entry_ids[0] == acronym.defined_in


def test_a_definition_says_whether_the_report_itself_writes_the_acronym(search_index):
    """An answer is quoted: a reader's acronym the report never writes ("VIS" for a Victim
    Personal Statement) is not said to be how the report writes the term."""
    texts = [e.text + " " + e.title for e in search_index.entries]
    for acronym in search_index.glossary.items:
        short = re.compile(rf"\b{re.escape(acronym.acronym)}s?\b", re.IGNORECASE)
        written = any(short.search(t) for t in texts)
        got = answer(search_index, f"what does {acronym.acronym} stand for")
        assert (f"the report does not write {acronym.acronym}" in got.text) is not written, acronym.acronym
        got = answer(search_index, f"what is {acronym.expansion}")
        if got is None or got.kind != "definition":
            continue  # the expansion's words ask about more than the glossary holds
        if written:
            assert f"is written {acronym.acronym} for short" in got.text, acronym.acronym
        else:
            assert f"is written {acronym.acronym}" not in got.text, acronym.acronym
            assert f"“{acronym.expansion}” as" in got.text, acronym.acronym
        assert " 0 entries" not in got.text


def test_a_contraction_is_read_as_the_words_it_stands_for(search_index):
    """ "what's a PTPH", "what’s PTPH" (a curly apostrophe) and "whats" ask what "what is" asks,
    for every acronym of the glossary."""
    for n, acronym in enumerate(search_index.glossary.items):
        expected = answer(search_index, f"what is a {acronym.acronym}")
        opening = ("what's a", "what\u2019s", "whats the")[n % 3]
        got = answer(search_index, f"{opening} {acronym.acronym}")
        assert expected is not None and got is not None, (opening, acronym.acronym)
        assert (got.text, got.entry_ids) == (expected.text, expected.entry_ids), (opening, acronym.acronym)
    for short, full in [
        ("what's the worst area for casework", "what is the worst area for casework"),
        ("who's responsible for disclosure", "who is responsible for disclosure"),
    ]:
        ids = [
            [h.entry.id for h in search_index.search(parse_request({"q": [q]})).hits] for q in (short, full)
        ]
        assert ids[0] == ids[1], short


@pytest.mark.parametrize(
    "q",
    [
        "what does the inspectorate think of wessex",  # a question, but nothing structured answers it
        "which areas were rated",  # no rating value, no criterion: nothing to answer from
        "what does xylophone stand for",  # not in the glossary
        "what does AAP pilot areas mean",  # more than the acronym is asked about
        "which areas weren't rated poor for leadership",  # not the areas that were
    ],
)
def test_where_the_data_cannot_answer_there_is_no_answer(search_index, q):
    assert answer(search_index, q) is None
