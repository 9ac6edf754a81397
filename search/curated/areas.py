"""Canonical CPS Areas, their other spellings, and Area mentions in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from search.curated.jsonfile import read_json
from search.errors import CorpusError

SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$")


@dataclass(frozen=True)
class Area:
    """One CPS Area."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    # Short names readers type ("Wales", "Yorkshire") that the report also uses for other
    # things ("England and Wales"): recognised in queries, never when tagging the text.
    query_aliases: tuple[str, ...] = ()


def normalise_name(name: str) -> str:
    """Fold case, ampersands, hyphens and spacing so spellings compare equal."""
    name = name.lower().replace("&", " and ").replace("’", "'")
    return " ".join(re.sub(r"[-/]", " ", name).split())


class AreaRegistry:
    """The known Areas, with lookup by any spelling and mention detection."""

    def __init__(
        self,
        areas: list[Area],
        collective: list[tuple[str, tuple[str, ...]]],
        query_collective: list[tuple[str, tuple[str, ...]]] = (),
        everywhere: list[str] = (),
    ):
        self.areas = areas
        self.by_slug = {a.slug: a for a in areas}
        self._by_name = {}
        for area in areas:
            for spelling in (area.name, area.slug, *area.aliases):
                self._by_name[normalise_name(spelling)] = area.slug
        self._mention = mention_pattern(n for a in areas for n in (a.name, *a.aliases))
        self._query_mention = mention_pattern(
            n for a in areas for n in (a.name, *a.aliases, *a.query_aliases)
        )
        for area in areas:
            for spelling in area.query_aliases:
                self._by_name.setdefault(normalise_name(spelling), area.slug)
        self._collective = [
            (re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE), slugs) for pattern, slugs in collective
        ]
        # Names readers give several Areas at once ("London", "the Midlands"): queries only.
        self._query_collective = self._collective + [
            (re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE), slugs)
            for pattern, slugs in query_collective
        ]
        # Names of the CPS's whole remit that hold an Area's ("England and Wales"): queries name
        # no Area with them, and they are no topic either.
        self._everywhere = [re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE) for pattern in everywhere]

    def resolve(self, name: str) -> str | None:
        """Return the slug for any known spelling of an Area name, else None."""
        return self._by_name.get(normalise_name(name))

    def label(self, slug: str) -> str:
        """Return an Area's display name."""
        return self.by_slug[slug].name

    def find(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Return (start, end, slugs) for every Area named in a query, collective names included.

        Where two names overlap, the longer wins: "London North" is one Area, not both
        London Areas, and "North London" is London North; "England and Wales" names the
        CPS's whole remit, and no Area (its slugs are empty).
        """
        found = [
            (m.start(), m.end(), (self.resolve(m.group(0)),)) for m in self._query_mention.finditer(text)
        ]
        for pattern, slugs in self._query_collective:
            found += [(m.start(), m.end(), slugs) for m in pattern.finditer(text)]
        for pattern in self._everywhere:
            found += [(m.start(), m.end(), ()) for m in pattern.finditer(text)]
        kept: list[tuple[int, int, tuple[str, ...]]] = []
        for start, end, slugs in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, slugs))
        return sorted(kept)

    def mentions(self, text: str) -> tuple[str, ...]:
        """Return the slugs of every Area the text names, in registry order."""
        found = {self.resolve(m.group(0)) for m in self._mention.finditer(text)}
        for pattern, slugs in self._collective:
            if pattern.search(text):
                found.update(slugs)
        return tuple(a.slug for a in self.areas if a.slug in found)


def mention_pattern(names) -> re.Pattern:
    """Return a pattern matching any of the names, however they are hyphenated or spaced."""
    ordered = sorted(set(names), key=len, reverse=True)
    alternatives = [re.sub(r"(?:\\[ -])+", r"[\\s-]+", re.escape(n)) for n in ordered]
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def read_collective(items: list, slugs: set[str], path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Read and validate phrases that name several Areas at once."""
    collective = []
    for item in items:
        members = tuple(item.get("areas", ()))
        unknown = set(members) - slugs
        if unknown or len(members) < 2:
            raise CorpusError(f"{path.name}: collective {item!r} must name two or more known Areas")
        try:
            re.compile(item["pattern"])
        except (KeyError, re.error) as exc:
            raise CorpusError(f"{path.name}: bad collective pattern {item!r}: {exc}") from exc
        collective.append((item["pattern"], members))
    return collective


def load_areas(path: Path) -> AreaRegistry:
    """Read and validate the Area list (`corpus/areas.json`)."""
    data = read_json(path)
    areas = []
    for item in data.get("areas", []):
        slug, name = item.get("slug", ""), item.get("name", "")
        if not SLUG.match(slug) or not name:
            raise CorpusError(f"{path.name}: bad Area {item!r} (needs a slug and a name)")
        areas.append(Area(slug, name, tuple(item.get("aliases", ())), tuple(item.get("query_aliases", ()))))
    if len({a.slug for a in areas}) != len(areas):
        raise CorpusError(f"{path.name}: duplicate Area slugs")
    slugs = {a.slug for a in areas}
    collective = read_collective(data.get("collective", []), slugs, path)
    query_collective = read_collective(data.get("query_collective", []), slugs, path)
    everywhere = data.get("query_everywhere", [])
    if not isinstance(everywhere, list) or not all(isinstance(p, str) and p.strip() for p in everywhere):
        raise CorpusError(f"{path.name}: query_everywhere must be a list of patterns")
    for pattern in everywhere:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CorpusError(f"{path.name}: bad query_everywhere pattern {pattern!r}: {exc}") from exc
    registry = AreaRegistry(areas, collective, query_collective, everywhere)
    seen: dict[str, str] = {}
    for area in areas:
        for spelling in (area.name, *area.aliases):
            key = normalise_name(spelling)
            if seen.setdefault(key, area.slug) != area.slug:
                raise CorpusError(f"{path.name}: spelling {spelling!r} names two Areas")
    return registry
