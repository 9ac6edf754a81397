"""The JSON bodies of /api/*, as pydantic models: one definition for the web service, the CLI
and the OpenAPI document.

A body holds exactly the fields it was made with: optional fields that do not apply
(`explanation` without `explain=1`, an entry's `section` when it has none) are left out,
not sent as null (`dump`). Fields that can be null say so in their type.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from search.models import KINDS, PARTS, SUGGESTION_KINDS

Kind = Literal[KINDS]
Part = Literal[PARTS]


class Body(BaseModel):
    """A JSON object of the API: no field beyond those declared."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class Open(BaseModel):
    """A JSON object that may carry more fields than those declared (explanations, findings)."""

    model_config = ConfigDict(extra="allow")


def dump(body: BaseModel | dict) -> dict:
    """Return a body as JSON-ready data, without the optional fields it was not given."""
    if isinstance(body, dict):
        return body  # made by `make`: already what the model would dump
    return body.model_dump(mode="json", exclude_unset=True, by_alias=True)


def make(model: type[BaseModel], /, **fields) -> dict:
    """Return a body of a model as JSON-ready data, made from its fields without validating them.

    What a search answers is made many times a second, and validating its ~40 nested
    objects cost about as much as the search itself; the tests validate what these
    bodies hold against their models and the OpenAPI document instead. Nested bodies
    are made the same way, so the fields are plain data; aliased fields ("self") take
    their alias, as `dump` gives them.
    """
    renamed = ALIASES.get(model)
    if renamed is None:
        renamed = ALIASES[model] = {n: f.alias for n, f in model.model_fields.items() if f.alias}
    if renamed:
        fields = {renamed.get(name, name): value for name, value in fields.items()}
    return fields


ALIASES: dict[type[BaseModel], dict[str, str]] = {}


class Error(Body):
    """Every error under /api/: what went wrong and the parameter at fault."""

    error: str
    param: str | None = Field(description="the parameter at fault (query or path), if one is")
    status: int
    allowed: list[str] | None = Field(
        None, description="for an unknown filter value: the values the parameter takes"
    )


# -- search ------------------------------------------------------------------------------------


class FacetValue(Body):
    value: str
    label: str
    count: int


class Facets(Body):
    """Disjunctive counts: a facet's own counts ignore its own selection."""

    area: list[FacetValue]
    theme: list[FacetValue]
    part: list[FacetValue]
    kind: list[FacetValue]


class Highlight(Body):
    """Where a matched word stands in `snippet_text`, in characters (Unicode code points)."""

    start: int
    end: int


class ClauseScore(Open):
    reason: str
    score: float
    fields: dict[str, float] | None = None
    required: bool | None = None


class Lift(Body):
    reason: str
    value: float


class Explanation(Open):
    """With explain=1: why the entry scored as it did; the parts add up to `score`."""

    clauses: list[ClauseScore]
    matched: float = Field(description="the clauses' sum")
    lifts: list[Lift] = Field(
        description="added for an Area's own entry, a kind named, an entry an answer rests on"
    )
    score: float
    engine_rank: int | None = Field(
        None,
        description="where the learned order was used: its place in the engine's order by score, "
        "before the learned order put the engine's first candidates in its own order",
    )


class PlaceRead(Body):
    """A place a query names, as read: its name and the CPS Areas covering it."""

    name: str
    areas: list[str]


class Understood(Body):
    """How a query was read: what it asks, about what, where."""

    question: str | None = Field(description="the kind of question (which, how many, …), or null")
    frame: str | None = Field(description="the words that shape the question rather than name a topic")
    topic: str | None = Field(description="the words searched for")
    areas: list[str] = Field(description="Areas named, by slug")
    kinds: list[str] = Field(description="kinds of entry named")
    asks_for: list[str] = Field(description="kinds of entry the words ask for (ratings, criteria, …)")
    parts: list[str] = Field(description="Parts named")
    sections: list[str] = Field(description="the report's sections named by letter: part-c, annex-b")
    criteria: list[str] = Field(description="criteria named, by code")
    ratings: list[str] = Field(description="rating values named")
    overall: bool = Field(description="whether the Parts' overall scores are asked for")
    places: list[PlaceRead] = Field(description="places named, with the Areas covering them")
    context_words: list[str] = Field(
        description="words with no topic in this report, counted only beside others"
    )


NOTHING_SEARCHED_ABOUT = (
    "true when the query holds text but no word to search for on its own: only words too common "
    "or too short (the, of, x), or a question's frame (what is). Nothing is searched and no entry "
    "is found; an empty query lists every entry"
)


class QueryExplanation(Open):
    """With explain=1: how the query was read and compiled."""

    understood: Understood
    corrected_query: str | None = Field(description="the query as corrected, when a correction was applied")
    corrections: dict[str, str] = Field(description="each word corrected, and what it was corrected to")
    suggested_query: str | None = Field(description="a correction offered, not applied")
    offered: dict[str, str] = Field(
        description="each real word the report never uses, and the word offered for it"
    )
    missing_words: list[str] = Field(description="words that match no entry")
    searched_as: dict[str, list[str]] = Field(
        description="each word the report never uses, and the report's words it was searched as"
    )
    nothing_searched: bool = Field(description=NOTHING_SEARCHED_ABOUT)
    parts_off: list[str] = Field(
        description="query-stage parts switched off (verbatim switches off spelling)"
    )
    scope: list[str]
    scope_places: list[str] = Field(
        description="places named that the report names too: the entries naming them are searched as well"
    )
    clauses: list[str]
    required: list[str]
    learned_order: int = Field(
        description="how many of the engine's first candidates the learned order (corpus/ordering.json) "
        "puts in order; 0 when it is not used (switched off, sorted by document, or none in this build)"
    )


class Hit(Body):
    """One search result."""

    id: str
    kind: Kind
    part: Part
    areas: list[str]
    themes: list[str]
    number: str | None
    title: str
    text: str
    snippet: str = Field(description="HTML: text escaped, matched words in <mark>")
    snippet_text: str = Field(description="the snippet as plain text")
    highlights: list[Highlight] = Field(description="the matched words of `snippet_text`, in order")
    score: float | None = Field(
        description="the engine's score; null when sorted by document order. Where the learned order "
        "applies (explain=1 says so), the first 30 results are in its order, not this score's"
    )
    url: str
    explanation: Explanation | None = None


class AnswerRating(Body):
    area: str
    area_name: str
    code: str
    criterion: str
    rating: str
    entry: str
    url: str
    area_url: str


class Answer(Body):
    """An answer from the scores tables, the Annex B rows, the glossary or the inspection
    framework: complete, or none at all."""

    kind: Literal["ratings", "count", "ranking", "definition"] = Field(
        description="from the scores tables; a count of Annex B rows (or of the Areas); the Areas "
        "with the most or fewest Annex B rows; a definition from the glossary or, for a scored "
        "criterion, from the inspection framework"
    )
    source: str = Field(description="where the answer comes from, as a reader would say it")
    question: Literal["which-areas", "area-scores", "count", "superlative", "definition"]
    text: str = Field(description="the answer in one or two sentences")
    count: int | None = Field(description="how many Areas, or how many entries")
    ratings: list[AnswerRating]
    entries: list[str] = Field(description="ids of the entries the answer rests on")
    search_url: str | None = Field(description="a search listing the entries counted")
    ratings_url: str | None = Field(
        None, description="the ratings table filtered to what the answer rests on"
    )
    notes: list[str] = Field(description="what the data leaves out (numbering gaps)")


class PlaceNamed(Body):
    """A place the query names (a city, county or police force) and the CPS Areas covering it."""

    name: str
    areas: list[str]
    note: str = Field(description="e.g. 'Leeds is in CPS Yorkshire and Humberside'")


class Relaxed(Body):
    """The step a scope relaxed to when no entry about its Areas matched the words."""

    step: Literal["theme", "area", "everywhere"]
    message: str
    themes: list[str] = Field(description="for the theme step: the themes shown")


class Scope(Body):
    areas: list[str] = Field(description="the Areas the query names: only entries about them match")
    all_areas_query: str = Field(
        description="the same query without the Areas and places, to search every Area"
    )
    places: list[PlaceNamed] = Field(description="places the query names, each with its CPS Areas")
    place_entries: list[str] = Field(
        description="entries about other Areas that name a place the query names (the report names "
        "Leicester in a London South entry): they match too"
    )
    relaxed: Relaxed | None = Field(
        description="when no entry about the Areas matched the words: the step the scope relaxed to"
    )


class SectionNamed(Body):
    """A section of the report the query names, whose entries come first (alone, they are listed)."""

    id: str = Field(description="part-c, annex-b, or a paragraph's entry id (para-2.5)")
    label: str = Field(description="its name: Part C: High quality casework; paragraph 2.5")


class Links(Body):
    """This page of results and its neighbours, as /api/search URLs (null where there is none)."""

    self_: str = Field(alias="self")
    first: str
    prev: str | None
    next: str | None
    last: str


class SearchedAs(Body):
    """A reader's word the report never uses, and what was searched for it: the report's words
    for it, or what a reader's acronym stands for and the report's words for that."""

    word: str
    report_words: list[str]


class OutsidePlace(Body):
    """A place outside England and Wales that the query names: the report covers none."""

    name: str
    nation: str
    note: str = Field(description="that the report does not cover it, and who prosecutes there")


class SearchResult(Body):
    """The body of /api/search."""

    query: str
    corrected_query: str | None = Field(
        description="the query searched instead of the one typed, when a correction was applied"
    )
    suggested_query: str | None = Field(
        description="a correction offered but not applied (Did you mean …?), when one is plausible"
    )
    missing_words: list[str] = Field(
        description="words of the query that match no entry (Not found in the report: …)"
    )
    searched_as: list[SearchedAs] = Field(
        description="words the report never uses, and what was searched for each (The report does not use …)"
    )
    nothing_searched: bool = Field(description=NOTHING_SEARCHED_ABOUT)
    outside: list[OutsidePlace] = Field(
        description="places outside England and Wales the query names (Glasgow, Belfast): the CPS "
        "prosecutes in England and Wales only, so the report covers none of them"
    )
    total: int
    page: int
    per_page: int
    results: list[Hit]
    facets: Facets
    took_ms: float
    answer: Answer | None
    scope: Scope | None
    sections: list[SectionNamed] = Field(
        description="sections of the report the query names (part c, annex b, para 2.5): their entries "
        "come first, and named alone they are what is listed"
    )
    links: Links
    explanation: QueryExplanation | None = None


# -- suggestions -------------------------------------------------------------------------------


class Filter(Body):
    """The filter a suggestion stands for, and the query left when it is applied."""

    facet: Literal["area", "theme", "part", "kind"]
    value: str
    query: str = Field(description="the rest of the text typed, searched for with the filter")


class Suggestion(Body):
    text: str = Field(description="the whole query proposed")
    kind: Literal[SUGGESTION_KINDS]
    detail: str | None = Field(description="an acronym's expansion, or the reverse")
    count: int = Field(description="how many entries use it")
    url: str = Field(description="the search page for it (with its filter applied, if it has one)")
    filter: Filter | None = Field(None, description="for an Area, theme, Part or kind: the filter it applies")


class Suggestions(Body):
    query: str
    suggestions: list[Suggestion]


# -- entries -------------------------------------------------------------------------------------


class Footnote(Body):
    number: str
    text: str


class Rating(Body):
    code: str
    criterion: str
    rating: str
    label: str


class Entry(Body):
    """An entry of the report; fields that do not apply to it are left out."""

    id: str
    kind: Kind
    part: Part
    title: str
    text: str
    source: str = Field(description="id of the source document in the manifest")
    order: int = Field(description="position in document order")
    areas: list[str]
    themes: list[str]
    number: str | None = None
    section: str | None = None
    footnotes: list[Footnote] | None = None
    ratings: list[Rating] | None = None
    url: str | None = Field(None, description="link to an Area's own report (Annex D)")
    permalink: str


class Citations(Body):
    """Plain text, RIS and BibTeX, each with the absolute permanent URL; also at /entries/<id>.txt, .ris, .bib."""

    text: str
    ris: str
    bibtex: str


class EntryDetail(Entry):
    """The body of /api/entries/<id>."""

    citation: str
    citations: Citations
    previous: str | None
    next: str | None
    related: list[Hit]
    counterparts: list[Hit] = Field(
        description="for an issue, good practice and strengths of other Areas on its themes; "
        "for good practice or a strength, the issues of other Areas it could answer; best match first"
    )


class Download(Body):
    """Every entry a search matches (all pages), as a file: /api/search.json."""

    query: str
    filters: dict[str, list[str]] = Field(description="the facet values chosen, by facet")
    sort: str
    total: int = Field(description="how many entries match")
    truncated: bool = Field(description="true when more entries match than the file holds")
    results: list[Entry] = Field(description="in the search's order; `permalink` is absolute")


# -- Areas, comparisons, ratings ----------------------------------------------------------------


class CriterionName(Body):
    code: str
    criterion: str


class ScoreTable(Body):
    table: str
    part: Part
    criteria: list[CriterionName]
    footnotes: list[Footnote]


class AreaSummary(Body):
    slug: str
    name: str
    url: str
    report_url: str | None
    counts: dict[str, int] = Field(description="entries of each kind")
    scores: dict[str, str] = Field(description="criterion code → rating")


class AreaList(Body):
    areas: list[AreaSummary]
    score_tables: list[ScoreTable]


class AreaRating(Body):
    code: str
    criterion: str
    rating: str


class AreaScores(ScoreTable):
    entry: str | None = Field(description="the rating entry; null if not scored")
    ratings: list[AreaRating]


class AreaProfile(Body):
    slug: str
    name: str
    aliases: list[str]
    url: str
    report: Entry | None
    scores: list[AreaScores]
    issues: list[Entry]
    good_practice: list[Entry]
    strengths: list[Entry]
    mentions: list[Entry]


class AreaLink(Body):
    slug: str
    name: str
    url: str


class ComparedCriterion(Body):
    code: str
    criterion: str
    ratings: dict[str, str | None] = Field(description="Area slug → rating; null where not scored")
    differs: bool = Field(description="the Areas' ratings differ")


class ComparedTable(Body):
    table: str
    part: Part
    criteria: list[ComparedCriterion]


class ComparedTheme(Body):
    slug: str
    label: str
    issues: dict[str, list[Entry]] = Field(description="Area slug → rows")
    good_practice: dict[str, list[Entry]] = Field(description="Area slug → rows")
    strengths: dict[str, list[Entry]] = Field(description="Area slug → rows")


class Comparison(Body):
    areas: list[AreaLink]
    scores: list[ComparedTable]
    themes: list[ComparedTheme] = Field(
        description="themes on which any of the Areas has an issue, good practice or strength"
    )


class RatingRow(Body):
    """One Area's rating for one criterion."""

    area: str = Field(description="the Area's slug")
    area_name: str
    part: Part
    table: str
    code: str = Field(description="the criterion's code, e.g. C1; a Part's letter for its overall score")
    criterion: str
    rating: str
    entry: str = Field(description="the scores entry the rating comes from")
    url: str


class RatingList(Body):
    """The body of /api/ratings."""

    total: int
    results: list[RatingRow]


# -- themes, glossary, quality ------------------------------------------------------------------


class Theme(Body):
    slug: str
    label: str
    description: str
    count: int
    counts: dict[str, int]
    url: str


class ThemeList(Body):
    themes: list[Theme]


class Acronym(Body):
    acronym: str
    expansion: str
    origin: Literal["defined", "curated"]
    defined_in: str | None = None
    related: list[str] | None = Field(
        None, description="for a reader's acronym, the report's wider words for what it names"
    )


class Glossary(Body):
    acronyms: list[Acronym]


class Finding(Open):
    kind: str
    message: str
    source: str


class Quality(Body):
    entries: int
    by_kind: dict[str, int]
    findings: list[Finding]
