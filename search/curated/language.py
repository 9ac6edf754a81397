"""The curated language data (`corpus/language.json`): sentence abbreviations,
words the speller never "corrects", and synonym groups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError


@dataclass(frozen=True)
class Language:
    """Sentence abbreviations, spelling-protected terms and synonym groups."""

    abbreviations: tuple[str, ...]
    protected: frozenset[str]
    synonyms: tuple[tuple[str, ...], ...]


def load_language(path: Path) -> Language:
    """Read and validate `corpus/language.json`."""
    data = read_json(path)
    abbreviations = data.get("sentence_abbreviations", [])
    protected = data.get("protected_terms", [])
    synonyms = data.get("synonyms", [])
    if not all(isinstance(a, str) and a for a in abbreviations + protected):
        raise CorpusError(f"{path.name}: abbreviations and protected terms must be words")
    if not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(p, str) for p in g) for g in synonyms):
        raise CorpusError(f"{path.name}: each synonym group must list two or more phrases")
    return Language(
        tuple(a.lower().rstrip(".") for a in abbreviations),
        frozenset(p.lower() for p in protected),
        tuple(tuple(g) for g in synonyms),
    )
