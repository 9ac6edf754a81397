"""What query building knows about the indexed text: acronyms, spelling, stems, themes, Areas."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from search.curated.areas import AreaRegistry
from search.curated.language import Language
from search.curated.places import Gazetteer
from search.curated.taxonomy import Taxonomy
from search.index.reader import OpenBuild
from search.models import ANNEX_B_KINDS, KIND_LABELS, PARAGRAPH_ID, PART_LABELS, Entry
from search.query.parts import FAMILY, Switches
from search.text.analysis import stems
from search.text.glossary import Acronym, Glossary
from search.text.spelling import SpellingCorrector, deletions, edit_distance
from search.text.wordstats import WordStatistics

# How many expansions of prefixes and fuzzy words a lexicon keeps before starting again.
REMEMBERED = 20_000


@dataclass
class Lexicon:
    """What query building knows about the indexed text."""

    glossary: Glossary
    speller: SpellingCorrector
    indexed_stems: frozenset[str]
    taxonomy: Taxonomy
    areas: AreaRegistry | None = None
    places: Gazetteer = field(default_factory=lambda: Gazetteer([]))
    language: Language = field(default_factory=lambda: Language((), frozenset()))
    words: WordStatistics = field(default_factory=WordStatistics)
    # What a query can name: kinds of entry, structural kinds, scored criteria, Parts, ratings.
    kind_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    count_phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    structural_cues: dict[tuple[str, ...], str] = field(default_factory=dict)
    criteria: dict[str, tuple[str, ...]] = field(default_factory=dict)
    part_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rating_values: dict[str, str] = field(default_factory=dict)
    # The numbers of the report's paragraphs ("2.5"), by which a reader cites one.
    paragraphs: frozenset[str] = frozenset()
    # The names of the Parts' overall scores ("Overall score for Part C"), as stems.
    overall_names: tuple[tuple[str, ...], ...] = ()
    # The lay thesaurus: (readers' phrases, the report's phrases, family), as stems.
    lay_terms: tuple[tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], str], ...] = ()
    # English words and names (wordfreq, at build time): never "corrected" into report words.
    english: frozenset[str] = frozenset()
    # The share of entries using each stem in its most used field (title, text or context).
    spread: dict[str, float] = field(default_factory=dict)
    # Prefixes' and fuzzy words' expansions, kept while the build is current (`remember`).
    _remembered: dict[tuple, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def is_english(self, word: str) -> bool:
        """Tell whether a word is a real English word or name, whether or not the report uses it."""
        return word.lower() in self.english

    def acronym(self, word: str) -> Acronym | None:
        """Return the acronym a word stands for, as the glossary reads it ("CTLs", "iqa"), or
        for a plural typed in lower case ("ctls"); an English word the glossary reaches only
        by its stem or plural is no acronym ("pets" is not PET, "das" not DA)."""
        found = self.glossary.lookup(word)
        if found is not None and word.lower() != found.acronym.lower() and word[:-1] != found.acronym:
            # Found through an inflection ("pets" → PET): an English word is itself, not the acronym.
            return None if self.is_english(word) else found
        if found is None and len(word) > 2 and word[-1] in "sS" and word[:-1].isalnum():
            found = None if self.is_english(word) else self.glossary.lookup(word[:-1])
        return found

    @cached_property
    def counting_phrases(self) -> dict[tuple[str, ...], str]:
        """The kinds' names, and how a count names them ("issues" alone counts issues)."""
        return {**self.kind_phrases, **self.count_phrases}

    @cached_property
    def scored_stems(self) -> frozenset[str]:
        """Every stem of the names of what is scored: criteria, Parts, overall scores ("casework",
        "leadership", "overall")."""
        names = (*self.criteria.values(), *self.part_names.values(), *self.overall_names)
        codes = {s for code in self.criteria for s in stems(code)}
        return frozenset(s for name in names for s in name) | codes

    @cached_property
    def lay_family_names(self) -> tuple[str, ...]:
        """Return the lay thesaurus's families, in order of first use."""
        return tuple(dict.fromkeys(family for _, _, family in self.lay_terms))

    @cached_property
    def groups_by_first(self) -> dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...], str]]]:
        """Lay phrases by their first stem: (phrase, the report's phrases for it, family)."""
        table: dict[str, list] = {}
        for lay, report, family in self.lay_terms:
            for phrase in lay:
                table.setdefault(phrase[0], []).append((phrase, report, family))
        return table

    @cached_property
    def report_phrases(self) -> dict[tuple[tuple[str, ...], ...], tuple[str, ...]]:
        """The report's phrases of each lay group as the report writes them, by their stems."""
        return {phrase_stems(term.report): term.report for term in self.language.lay_terms}

    def report_names(self, report: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
        """Return a lay group's report phrases as the report writes them (stems where unknown)."""
        return self.report_phrases.get(report) or tuple(" ".join(p) for p in report)

    def groups_in(
        self, seq: tuple[str, ...]
    ) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...], str, int]]:
        """Return the lay phrases in a stem sequence: (phrase, the report's phrases, family, start)."""
        found = []
        for start, first in enumerate(seq):
            for phrase, report, family in self.groups_by_first.get(first, ()):
                if seq[start : start + len(phrase)] == phrase:
                    found.append((phrase, report, family, start))
        return found

    def lay_groups(
        self, seq: tuple[str, ...], switches: Switches
    ) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
        """Return the lay groups in a stem sequence whose family is on: (phrase, the report's phrases)."""
        return [
            (phrase, report)
            for phrase, report, family, _ in self.groups_in(seq)
            if switches.on(f"lay-words{FAMILY}{family}")
        ]

    @cached_property
    def sorted_stems(self) -> tuple[str, ...]:
        """Every indexed stem, in order (for prefixes)."""
        return tuple(sorted(self.indexed_stems))

    @cached_property
    def stem_deletions(self) -> dict[str, list[str]]:
        """Indexed stems by each string two deletions or fewer make of them (for fuzzy words).

        Built on the first fuzzy query: most processes never need it.
        """
        table: dict[str, list[str]] = {}
        for term in self.indexed_stems:
            if term.isalpha():
                for variant in deletions(term, 2):
                    table.setdefault(variant, []).append(term)
        return table

    def starting_with(self, prefix: str, limit: int) -> list[str]:
        """Return up to `limit` indexed stems starting with a prefix, the most used first."""
        return self.remember(("prefix", prefix, limit), lambda: self._starting_with(prefix, limit))

    def _starting_with(self, prefix: str, limit: int) -> list[str]:
        stems_ = self.sorted_stems
        found = stems_[bisect_left(stems_, prefix) : bisect_left(stems_, prefix + "\uffff")]
        return sorted(found, key=lambda t: (-self.words.documents.get(t, 0), t))[:limit]

    def near(self, term: str, limit: int) -> list[str]:
        """Return up to `limit` indexed stems within two edits of a stem, with its first letter."""
        return self.remember(("near", term, limit), lambda: self._near(term, limit))

    def _near(self, term: str, limit: int) -> list[str]:
        if not term.isalpha() or len(term) > self.speller.longest + 2:
            return []
        candidates = {c for variant in deletions(term, 2) for c in self.stem_deletions.get(variant, ())}
        close = [c for c in candidates if c[0] == term[0] and edit_distance(term, c) <= 2]
        return sorted(close, key=lambda t: (edit_distance(term, t), -self.words.documents.get(t, 0), t))[
            :limit
        ]

    def remember(self, key: tuple, make) -> list[str]:
        """Return a word's expansion, worked out once while this build is current (a bounded table)."""
        found = self._remembered.get(key)
        if found is None:
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            found = self._remembered[key] = tuple(make())
        return list(found)


def make_lexicon(build: OpenBuild, reader) -> Lexicon:
    """Gather the lexicon of an open build; `reader` is a Whoosh reader of its index."""
    indexed = set()
    for name in ("text", "title", "aliases"):
        indexed.update(reader.field_terms(name))
    # How many entries use each stem in their most used field (title, text or context).
    spread: dict[str, int] = {}
    for name in ("text", "title", "context"):
        for term, info in reader.iter_field(name):
            word = term.decode() if isinstance(term, bytes) else term
            spread[word] = max(spread.get(word, 0), info.doc_frequency())
    language = build.language
    # Area and place names, abbreviations and acronyms are right as typed, even when the report
    # never uses them.
    protected = set(language.protected) | set(language.abbreviations)
    protected.update(w for a in build.areas.areas for w in a.name.lower().split())
    protected.update(a.acronym.lower() for a in build.glossary.items)
    protected.update(build.places.words())
    lay_terms = tuple(
        (
            phrase_stems(term.lay),
            phrase_stems(term.report),
            term.family,
        )
        for term in language.lay_terms
    )
    return Lexicon(
        glossary=build.glossary,
        speller=SpellingCorrector(spelling_vocabulary(build), frozenset(protected)),
        indexed_stems=frozenset(indexed),
        taxonomy=build.taxonomy,
        areas=build.areas,
        places=build.places,
        language=language,
        words=build.words,
        kind_phrases={
            **phrase_table(language.kind_words),
            **{tuple(stems(KIND_LABELS[k])): k for k in ANNEX_B_KINDS},
        },
        count_phrases=phrase_table(language.count_kinds),
        structural_cues=phrase_table(language.asks_for),
        criteria=scored_criteria(build.entries),
        part_names={
            part: tuple(stems(label.split(": ", 1)[-1]))
            for part, label in PART_LABELS.items()
            if part in "abcde"
        },
        rating_values={r.rating.lower(): r.rating for e in build.entries for r in e.ratings},
        paragraphs=frozenset(e.id.removeprefix(PARAGRAPH_ID) for e in build.entries if e.kind == "paragraph"),
        overall_names=tuple(
            {tuple(stems(r.criterion)) for e in build.entries for r in e.ratings if len(r.code) == 1}
        ),
        lay_terms=lay_terms,
        english=build.english,
        spread={s: n / max(1, len(build.entries)) for s, n in spread.items()},
    )


def spelling_vocabulary(build: OpenBuild) -> dict[str, int]:
    """Return the words a typo may be corrected to: the report's, with how often it uses each,
    and the words of the Areas' and places' names, which a reader misspells as often
    ("mersyside" for Merseyside), counted once when the report never uses them."""
    names = " ".join([*(a.name for a in build.areas.areas), *build.places.words()]).lower()
    return {**{w: 1 for w in re.findall(r"[a-z]+", names)}, **build.vocabulary}


def phrase_stems(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Return each phrase as its stems, leaving out phrases of no stem."""
    return tuple(tuple(stems(p)) for p in phrases if stems(p))


def phrase_table(phrases_by_kind: dict[str, tuple[str, ...]] | None) -> dict[tuple[str, ...], str]:
    """Return {stemmed phrase: kind} for phrases listed by kind."""
    return {
        tuple(stems(p)): kind
        for kind, phrases in (phrases_by_kind or {}).items()
        for p in phrases
        if stems(p)
    }


def scored_criteria(entries: list[Entry]) -> dict[str, tuple[str, ...]]:
    """Return each scored criterion's code and the stems of its name ("B2" → resourc manag).

    A Part's overall score ("B") is named by its Part, not here.
    """
    found: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        for rating in entry.ratings:
            if len(rating.code) > 1:
                found.setdefault(rating.code, tuple(stems(rating.criterion)))
    return found
