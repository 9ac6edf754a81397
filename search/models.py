"""Plain data passed between ingest, index, query and presentation."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = (
    "paragraph",
    "issue",
    "good-practice",
    "strength",
    "rating",
    "criterion",
    "finding",
    "table",
    "report",
)
KIND_LABELS = {
    "paragraph": "Paragraph",
    "issue": "Issue to address",
    "good-practice": "Good practice",
    "strength": "Strength",
    "rating": "Scores",
    "criterion": "Framework criterion",
    "finding": "Casework finding",
    "table": "Table",
    "report": "Area report",
}
# Annex B's three kinds of row, in the report's order, and the heading each is listed under.
ANNEX_B_KINDS = ("issue", "good-practice", "strength")
ANNEX_B_HEADINGS = {"issue": "Issues to address", "good-practice": "Good practice", "strength": "Strengths"}
# A paragraph's entry id is this and its number: "para-2.5".
PARAGRAPH_ID = "para-"
# What each annex holds, by kind of entry: A the inspection framework, B the Areas' rows,
# C the casework findings, D the links to the Areas' own reports.
ANNEX_KINDS = {"a": ("criterion",), "b": ANNEX_B_KINDS, "c": ("finding",), "d": ("report",)}
ANNEX_LABELS = {
    "a": "Annex A: the inspection framework",
    "b": "Annex B: the Areas' issues to address, good practice and strengths",
    "c": "Annex C: the casework findings",
    "d": "Annex D: the Areas' own reports",
}
PARTS = ("a", "b", "c", "d", "e", "general")
PART_LABELS = {
    "a": "A: The success of CPS people",
    "b": "B: Continuous improvement",
    "c": "C: High quality casework",
    "d": "D: Public confidence",
    "e": "E: Efficiency and value for money",
    "general": "General",
}


def section_fields(section: str) -> tuple[tuple[str, str], ...]:
    """Return the (field, value) pairs that put an entry in a section of the report a reader
    names: "part-c" → (("part", "c"),); "annex-b" → its three kinds, as ("kind", …) pairs;
    a paragraph, "para-2.5" → (("id", "para-2.5"),)."""
    if section.startswith(PARAGRAPH_ID):
        return (("id", section),)
    word, _, letter = section.partition("-")
    if word == "part":
        return (("part", letter),)
    return tuple(("kind", kind) for kind in ANNEX_KINDS[letter])


def section_label(section: str) -> str:
    """Name a section of the report for a reader: "Part C: High quality casework", "paragraph 2.5"."""
    if section.startswith(PARAGRAPH_ID):
        return f"paragraph {section.removeprefix(PARAGRAPH_ID)}"
    word, _, letter = section.partition("-")
    return f"Part {PART_LABELS[letter]}" if word == "part" else ANNEX_LABELS[letter]


@dataclass(frozen=True)
class Footnote:
    """A footnote cited by an entry."""

    number: str
    text: str


@dataclass(frozen=True)
class Rating:
    """One criterion's rating in an Area's row of a scores table."""

    code: str
    criterion: str
    rating: str
    label: str


@dataclass(frozen=True)
class Entry:
    """One citable unit of a report: a paragraph, Annex B row, rating row…"""

    id: str
    kind: str
    part: str
    title: str
    text: str
    source: str
    order: int
    areas: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    number: str | None = None
    section: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    ratings: tuple[Rating, ...] = ()
    url: str | None = None

    def to_dict(self) -> dict:
        """Return the entry as JSON-ready data, omitting fields that do not apply."""
        # Field by field, in the fields' order: every response lists its hits this way, and
        # dataclasses.asdict (which copies deeply) cost some 27 µs an entry.
        data = {
            "id": self.id,
            "kind": self.kind,
            "part": self.part,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "order": self.order,
            "areas": list(self.areas),
            "themes": list(self.themes),
        }
        if self.number is not None:
            data["number"] = self.number
        if self.section is not None:
            data["section"] = self.section
        if self.footnotes:
            data["footnotes"] = [{"number": f.number, "text": f.text} for f in self.footnotes]
        if self.ratings:
            data["ratings"] = [
                {"code": r.code, "criterion": r.criterion, "rating": r.rating, "label": r.label}
                for r in self.ratings
            ]
        if self.url is not None:
            data["url"] = self.url
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        """Rebuild an entry from `to_dict` output."""
        return cls(
            id=data["id"],
            kind=data["kind"],
            part=data["part"],
            title=data["title"],
            text=data["text"],
            source=data["source"],
            order=data["order"],
            areas=tuple(data.get("areas", ())),
            themes=tuple(data.get("themes", ())),
            number=data.get("number"),
            section=data.get("section"),
            footnotes=tuple(Footnote(**f) for f in data.get("footnotes", ())),
            ratings=tuple(Rating(**r) for r in data.get("ratings", ())),
            url=data.get("url"),
        )


@dataclass(frozen=True)
class Finding:
    """One data-quality observation made while reading the corpus."""

    kind: str
    message: str
    source: str
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict:
        """Return the finding as JSON-ready data."""
        return {"kind": self.kind, "message": self.message, "source": self.source, **self.detail}


# The inspectors' rating scale, best first.
RATINGS = ("Excellent", "Good", "Fair", "Poor")
SORTS = ("relevance", "document")
FACETS = ("area", "theme", "part", "kind")


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: query text, facet selections, page and order."""

    q: str = ""
    area: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    part: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    explain: bool = False
    # Search the words as typed: no spelling correction (the way back from one).
    verbatim: bool = False

    def selections(self) -> dict[str, tuple[str, ...]]:
        """Return the selected values per facet."""
        return {"area": self.area, "theme": self.theme, "part": self.part, "kind": self.kind}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count and whether it is selected."""

    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    """One result: the entry, its score, a highlighted snippet and, if asked, why it scored so."""

    entry: Entry
    score: float | None
    snippet: str
    explanation: dict | None = None


@dataclass(frozen=True)
class RatingRow:
    """One Area's rating for one criterion, and the scores entry it comes from."""

    area: str
    area_name: str
    code: str
    criterion: str
    rating: str
    entry_id: str


@dataclass(frozen=True)
class Answer:
    """An answer to a question about scores or counts, with the entries it rests on."""

    kind: str  # "ratings", "count", "ranking" or "definition"
    question: str
    text: str
    rows: tuple[RatingRow, ...] = ()
    count: int | None = None
    entry_ids: tuple[str, ...] = ()
    search: dict[str, list[str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # The entries a definition comes from: where the report spells the term out.
    defining: tuple[str, ...] = ()
    # Where the answer comes from, where its kind does not say (`origin`).
    source: str = ""

    @property
    def origin(self) -> str:
        """Where the answer comes from, as a reader would say it."""
        return self.source or ANSWER_SOURCES.get(self.kind, "the report")


# Where each kind of answer comes from, unless it says otherwise.
ANSWER_SOURCES = {
    "ratings": "the report’s scores tables",
    "count": "the report’s lists in Annex B",
    "ranking": "the report’s lists in Annex B",
    "definition": "the acronyms the report uses",
}

SUGGESTION_KINDS = ("area", "place", "theme", "kind", "part", "acronym", "phrase")


@dataclass(frozen=True)
class Suggestion:
    """A completion of the text typed in the search box."""

    text: str  # the whole query it proposes
    kind: str  # one of SUGGESTION_KINDS
    detail: str | None  # an acronym's expansion, or the acronym of an expansion
    count: int  # how many entries use it
    value: str | None = None  # an Area's, theme's, kind's or Part's slug: the filter it stands for
    rest: str = ""  # the text typed before it, the query left when the filter is applied


@dataclass(frozen=True)
class SearchResult:
    """The answer to a search request."""

    request: SearchRequest
    corrected_query: str | None
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    took_ms: float
    build: str = ""
    answer: Answer | None = None
    # The Areas a query named, which scope it, and the same query without them.
    scope: tuple[str, ...] = ()
    widened_query: str | None = None
    explanation: dict | None = None
    # Places named: (name, the CPS Areas that cover it, "Leeds is in CPS Yorkshire and Humberside").
    places: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    # Entries about other Areas that name a place the query names ("Leicester" in a London
    # South issue): they are searched too.
    place_entries: tuple[str, ...] = ()
    # When no entry in the scope matched: which relaxation answered (search.query.relax).
    relaxed: object | None = None
    # A correction only offered ("Did you mean …?"): real words the report never uses, near one it does.
    suggested_query: str | None = None
    # Words of the query that match no entry and stand for nothing the report holds.
    missing_words: tuple[str, ...] = ()
    # Words the report never uses, searched as the report's words for them ("jury" → Crown Court).
    searched_as: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Text typed, but no word to search for ("the", "what is"): nothing was searched, none found.
    nothing_searched: bool = False
    # Places outside England and Wales named ("Glasgow"): (name, nation, the note saying so).
    outside: tuple[tuple[str, str, str], ...] = ()
    # Sections of the report named ("part c", "para 2.5"), whose entries lead: (id, label).
    sections: tuple[tuple[str, str], ...] = ()
