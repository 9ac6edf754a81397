"""Acronyms: learnt from the text's own definitions, plus a curated list in `corpus/`.

Definitions such as "Victim Liaison Units (VLUs)" are found with the Schwartz–Hearst
algorithm (A. Schwartz and M. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", PSB 2003): the short form in parentheses, the long
form the shortest run of preceding words that contains the short form's characters in
order, the first at the start of a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError
from search.text.analysis import Token, contains, stem, stems, word_tokens

PAREN = re.compile(r"\(([^()]{1,20})\)")
ACRONYM_PLURAL = re.compile(r"^([A-Z][A-Z0-9]+)s$")
# Letters, digits and hyphens; an ampersand only between two of them ("E&D", "AT&T").
ACRONYM = re.compile(r"^[A-Za-z0-9](?:&?[A-Za-z0-9-]){1,9}$")
JOINING_WORDS = {"and", "of", "the", "for", "to", "in", "on", "&"}


@dataclass(frozen=True)
class Acronym:
    """An acronym and what it stands for."""

    acronym: str
    expansion: str
    origin: str  # "defined" (learnt from the text) or "curated"
    defined_in: str | None = None
    # The report's wider words for what a reader's acronym names ("KPI": "performance data").
    related: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The acronym's indexed form."""
        return stem(self.acronym.lower())

    @property
    def expansion_stems(self) -> tuple[str, ...]:
        """The expansion's indexed form, ignoring stop words."""
        return tuple(stems(self.expansion))

    def to_dict(self) -> dict:
        """Return JSON-ready data."""
        data = {"acronym": self.acronym, "expansion": self.expansion, "origin": self.origin}
        if self.defined_in:
            data["defined_in"] = self.defined_in
        if self.related:
            data["related"] = list(self.related)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Acronym:
        """Rebuild from `to_dict` output."""
        return cls(**{**data, "related": tuple(data.get("related", ()))})


def acronym_tokens(item: str) -> tuple[Token, ...]:
    """Return the words of a query item that may be acronyms: its tokens, and as a whole each
    word whose letters an ampersand joins ("E&D"), which the tokenizer would split into letters."""
    if "&" not in item:
        return word_tokens(item)
    found: list[Token] = []
    for piece in re.finditer(r"\S+", item):
        word, start = piece.group(), piece.start()
        if "&" in word and ACRONYM.match(word):
            found.append(Token(start, piece.end(), word, stem(word.lower())))
        else:
            found += [t._replace(start=start + t.start, end=start + t.end) for t in word_tokens(word)]
    return tuple(found)


def singular_acronym(short: str) -> str:
    """Return the singular of an acronym written with a plural "s" ("VLUs" → "VLU")."""
    match = ACRONYM_PLURAL.match(short)
    return match.group(1) if match else short


def initials_long_form(chars: list[str], words: list[str]) -> str | None:
    """Return the preceding words whose initials spell the short form, if any.

    Tried before Schwartz–Hearst, which takes the shortest match and so would read
    "Area Assurance Programme (AAP)" as "Assurance Programme".
    """
    for k in range(len(chars), min(len(words), 2 * len(chars)) + 1):
        window = [w.strip("(),;:") for w in words[-k:]]
        for kept in (window, [w for w in window if w.lower() not in JOINING_WORDS]):
            if [w[:1].lower() for w in kept if w] == chars:
                return " ".join(window)
    return None


def find_long_form(short: str, before: str) -> str | None:
    """Return the long form of `short` at the end of `before`, or None (Schwartz–Hearst)."""
    chars = [c.lower() for c in short if c.isalnum()]
    words = before.split()
    by_initials = initials_long_form(chars, words)
    if by_initials:
        return by_initials
    limit = min(len(short) + 5, 2 * len(short))
    candidate = " ".join(words[-limit:])
    text = candidate.lower()
    s_index, l_index = len(chars) - 1, len(text) - 1
    while s_index >= 0:
        c = chars[s_index]
        while l_index >= 0 and (
            text[l_index] != c or (s_index == 0 and l_index > 0 and text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = text.rfind(" ", 0, l_index + 1) + 1
    long_form = candidate[start:].strip(" ,;:")
    if len(long_form) <= len(short) or short.lower() in long_form.lower().split():
        return None
    return long_form


def extract_definitions(text: str) -> list[tuple[str, str]]:
    """Find "long form (SHORT)" definitions in text; return (acronym, expansion) pairs."""
    pairs = []
    for match in PAREN.finditer(text):
        short = match.group(1).strip()
        if not ACRONYM.match(short) or sum(c.isupper() for c in short) < 2:
            continue
        long_form = find_long_form(short, text[: match.start()])
        if long_form:
            pairs.append((singular_acronym(short), long_form))
    return pairs


class Glossary:
    """Every known acronym, with lookups by acronym and by expansion."""

    def __init__(self, items: list[Acronym]):
        self.items = sorted(items, key=lambda a: a.acronym.lower())
        self.by_key = {a.key: a for a in self.items}
        # Several acronyms may share an expansion (DA and DV for "domestic abuse"): each keeps it.
        self._by_expansion: dict[tuple[str, ...], list[Acronym]] = {}
        for a in self.items:
            if a.expansion_stems:
                self._by_expansion.setdefault(a.expansion_stems, []).append(a)

    def lookup(self, word: str) -> Acronym | None:
        """Return the acronym a word (any case, singular or plural) stands for."""
        return self.by_key.get(stem(singular_acronym(word).lower()))

    def aliases(self, seq: Sequence[str]) -> list[str]:
        """Return the other form of every acronym or expansion in a stem sequence."""
        found = []
        present = set(seq)
        for key, acronym in self.by_key.items():
            if key in present:
                found.append(acronym.expansion)
        found.extend(a.acronym for a in self.expansions_in(seq))
        return found

    def expansions_in(self, seq: Sequence[str]) -> list[Acronym]:
        """Return the acronyms whose expansion occurs in a stem sequence."""
        present = set(seq)
        return [
            a
            for phrase, acronyms in self._by_expansion.items()
            if phrase[0] in present and contains(seq, phrase)
            for a in acronyms
        ]

    def to_list(self) -> list[dict]:
        """Return the glossary as JSON-ready data."""
        return [a.to_dict() for a in self.items]


def load_curated(path: Path) -> list[Acronym]:
    """Read and validate the curated acronym list."""
    data = read_json(path)
    items, seen = [], set()
    for row in data.get("acronyms", []):
        acronym, expansion = row.get("acronym", ""), row.get("expansion", "")
        related = row.get("report", [])
        if not ACRONYM.match(acronym) or not stems(expansion):
            raise CorpusError(f"{path.name}: bad acronym row {row!r}")
        if not isinstance(related, list) or not all(isinstance(p, str) and stems(p) for p in related):
            raise CorpusError(f"{path.name}: {acronym}: 'report' must list the report's phrases")
        if acronym.lower() in seen:
            raise CorpusError(f"{path.name}: acronym {acronym!r} appears twice")
        seen.add(acronym.lower())
        items.append(Acronym(acronym, expansion, "curated", related=tuple(related)))
    return items


def build_glossary(texts: list[tuple[str, str]], curated: list[Acronym]) -> Glossary:
    """Learn acronyms from (entry id, text) pairs and merge the curated ones over them."""
    learnt: dict[str, Acronym] = {}
    for entry_id, text in texts:
        for short, long_form in extract_definitions(text):
            key = short.lower()
            if key not in learnt:
                learnt[key] = Acronym(short, long_form, "defined", entry_id)
    for item in curated:
        learnt[item.acronym.lower()] = item
    return Glossary(list(learnt.values()))
