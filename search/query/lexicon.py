"""What query building knows about the indexed text: acronyms, spelling, stems, themes, Areas."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.curated.areas import AreaRegistry
from search.curated.taxonomy import Taxonomy
from search.index.reader import OpenBuild
from search.text.analysis import stems
from search.text.glossary import Glossary
from search.text.spelling import SpellingCorrector

MAX_FAMILY = 4


@dataclass
class Lexicon:
    """What query building knows about the indexed text."""

    glossary: Glossary
    speller: SpellingCorrector
    indexed_stems: frozenset[str]
    taxonomy: Taxonomy
    synonyms: tuple[tuple[tuple[str, ...], ...], ...] = ()
    stems_by_prefix: dict[str, list[str]] = field(default_factory=dict)
    areas: AreaRegistry | None = None

    def family(self, s: str) -> list[str]:
        """Return other indexed stems that extend s ("budget" → "budgetari")."""
        if len(s) < 5:
            return []
        return [t for t in self.stems_by_prefix.get(s[:5], []) if t != s and t.startswith(s)][:MAX_FAMILY]


def make_lexicon(build: OpenBuild, reader) -> Lexicon:
    """Gather the lexicon of an open build; `reader` is a Whoosh reader of its index."""
    indexed = set()
    for name in ("text", "title", "aliases"):
        indexed.update(reader.field_terms(name))
    by_prefix: dict[str, list[str]] = {}
    for term in sorted(indexed):
        by_prefix.setdefault(term[:5], []).append(term)
    language = build.language
    # Area names, abbreviations and acronyms are right as typed, even when the report never uses them.
    protected = set(language.protected) | set(language.abbreviations)
    protected.update(w for a in build.areas.areas for w in a.name.lower().split())
    protected.update(a.acronym.lower() for a in build.glossary.items)
    return Lexicon(
        glossary=build.glossary,
        speller=SpellingCorrector(build.vocabulary, frozenset(protected)),
        indexed_stems=frozenset(indexed),
        taxonomy=build.taxonomy,
        synonyms=tuple(tuple(tuple(stems(p)) for p in group if stems(p)) for group in language.synonyms),
        stems_by_prefix=by_prefix,
        areas=build.areas,
    )
