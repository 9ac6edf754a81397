"""The gazetteer (`corpus/places.json`): places readers name, and the CPS Area that covers each.

The report names CPS Areas, never the counties, cities, towns and police forces they
are made of, so a reader's "Leeds" or "Kent Police" would find nothing. Each CPS Area
is made of whole police force areas, so a place belongs to the Area of the force (or
forces) that polices it. The file records its sources; loading it checks that every
Area exists, that names are unique, and that a place lists only Areas of its forces,
each force giving one — so a place maps to two Areas only where it really is split
between forces of
different Areas (London, Middlesex) or by a force that is (the Metropolitan Police).

A name that is also an everyday word ("Reading", "Bath", "Deal": marked `ambiguous`)
counts as a place in a query only when typed with its capital letter.

Places in Scotland and Northern Ireland (`outside`) are covered by no CPS Area: the CPS
prosecutes in England and Wales only. A query naming one is told so, and who prosecutes
there, instead of being left to find nothing about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from search.curated.areas import AreaRegistry, normalise_name
from search.curated.jsonfile import read_json
from search.errors import CorpusError

WORD = re.compile(r"\w+")
PLACE_KINDS = ("police-force", "county", "unitary-authority", "london-borough", "city", "town", "region")


@dataclass(frozen=True)
class Place:
    """A place readers name, the police forces that police it and the CPS Areas they belong to."""

    name: str
    kind: str
    areas: tuple[str, ...]
    forces: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class Outside:
    """A place outside England and Wales named in a query: the name as typed, its nation, and
    who prosecutes there."""

    typed: str
    name: str
    nation: str
    prosecutor: str

    @property
    def note(self) -> str:
        """Say that the report does not cover it, and who prosecutes there."""
        where = (
            "is outside the report"
            if self.name == self.nation
            else f"is in {self.nation}, outside the report"
        )
        return (
            f"{self.name} {where}: the CPS prosecutes in England and Wales, "
            f"and in {self.nation} {self.prosecutor} does"
        )


@dataclass(frozen=True)
class PlaceMention:
    """A place found in a query: where, the name as typed, and the place."""

    start: int
    end: int
    typed: str
    place: Place


class Gazetteer:
    """The known places, found in query text by any of their names."""

    def __init__(
        self,
        places: list[Place],
        sources: tuple[str, ...] = (),
        outside: dict[str, tuple[str, str, str]] | None = None,
    ):
        self.places = places
        self.sources = sources
        # A place outside England and Wales, by normalised name: (its name, its nation, who prosecutes there).
        self.outside = outside or {}
        names = sorted(self.outside, key=len, reverse=True)
        self._outside_pattern = (
            re.compile(
                r"\b(" + "|".join(r"[\s-]+".join(map(re.escape, n.split())) for n in names) + r")\b", re.I
            )
            if names
            else None
        )
        self._outside_firsts = frozenset(n.split()[0] for n in names)
        self._by_name: dict[str, Place] = {}
        for place in places:
            for name in (place.name, *place.aliases):
                self._by_name[normalise_name(name)] = place
        names = sorted(self._by_name, key=len, reverse=True)
        alternatives = [r"[\s-]+".join(re.escape(part) for part in n.split()) for n in names]
        self._pattern = (
            re.compile(r"\b(" + "|".join(alternatives) + r")\b", re.IGNORECASE) if alternatives else None
        )
        # A name's match starts with its first word: a query holding none of them names no
        # place, and is not run through the long pattern at all.
        firsts = [WORD.match(n.split()[0]) for n in names]
        self._first_words = frozenset(m.group(0) for m in firsts if m) if all(firsts) else None

    def lookup(self, name: str) -> Place | None:
        """Return the place of a name (any spelling), or None."""
        return self._by_name.get(normalise_name(name))

    def find(self, text: str) -> list[PlaceMention]:
        """Return the places a query names, longest names first where they overlap.

        An ambiguous name counts only with its capital letter ("Reading", not "reading").
        """
        if self._pattern is None:
            return []
        if self._first_words is not None and self._first_words.isdisjoint(
            WORD.findall(text.lower().replace("&", "and"))
        ):
            return []
        found = []
        for m in self._pattern.finditer(text.replace("&", "and")):
            place = self.lookup(m.group(0))
            if place is None or (place.ambiguous and not m.group(0)[:1].isupper()):
                continue
            found.append(PlaceMention(m.start(), m.end(), m.group(0), place))
        return found

    def outside_in(self, text: str) -> list[Outside]:
        """Return the places outside England and Wales a query names, each once."""
        if self._outside_pattern is None or self._outside_firsts.isdisjoint(WORD.findall(text.lower())):
            return []
        found: dict[str, Outside] = {}
        for m in self._outside_pattern.finditer(text):
            key = normalise_name(m.group(0))
            found.setdefault(key, Outside(m.group(0), *self.outside[key]))
        return list(found.values())

    def words(self) -> set[str]:
        """Return every word of every place name, lower-cased (never "corrected" as typos)."""
        return {w for name in self._by_name for w in name.split()}


def load_places(path: Path, areas: AreaRegistry) -> Gazetteer:
    """Read and validate the gazetteer against the Areas."""
    data = read_json(path)
    rows = data.get("places")
    if not isinstance(rows, list) or not rows:
        raise CorpusError(f"{path.name}: 'places' must list the places")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise CorpusError(f"{path.name}: 'sources' must name where the mapping comes from")
    places = [read_place(row, areas, path) for row in rows]
    check_places(places, path)
    outside = read_outside(data.get("outside", []), path)
    taken = {normalise_name(n) for p in places for n in (p.name, *p.aliases)}
    clash = sorted(set(outside) & taken)
    if clash:
        raise CorpusError(f"{path.name}: the name {clash[0]!r} is used by two places")
    return Gazetteer(places, tuple(sources), outside)


def read_outside(groups, path: Path) -> dict[str, tuple[str, str, str]]:
    """Read the places outside England and Wales: {normalised name: (name, nation, prosecutor)}."""
    if not isinstance(groups, list):
        raise CorpusError(f"{path.name}: 'outside' must list nations, each with its prosecutor and places")
    found: dict[str, tuple[str, str, str]] = {}
    for group in groups:
        nation = group.get("nation") if isinstance(group, dict) else None
        if not isinstance(nation, str) or not nation.strip():
            raise CorpusError(
                f"{path.name}: 'outside' must list nations, each with its prosecutor and places"
            )
        prosecutor, names = group.get("prosecutor"), group.get("places")
        if not isinstance(prosecutor, str) or not prosecutor.strip():
            raise CorpusError(f"{path.name}: outside: {nation} needs the prosecutor that serves it")
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise CorpusError(f"{path.name}: outside: {nation} must list its places by name")
        for name in names:
            key = normalise_name(name)
            if key in found or names.count(name) > 1:
                raise CorpusError(f"{path.name}: the name {name!r} is used by two places")
            found[key] = (name, nation, prosecutor)
    return found


def read_place(row, areas: AreaRegistry, path: Path) -> Place:
    """Read one place, checking its kind, its Areas and its names."""
    if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
        raise CorpusError(f"{path.name}: each place needs a name: {row!r}")
    name = row["name"]
    if row.get("kind") not in PLACE_KINDS:
        raise CorpusError(f"{path.name}: {name}: kind must be one of {', '.join(PLACE_KINDS)}")
    slugs = tuple(row.get("areas") or ())
    unknown = [s for s in slugs if s not in areas.by_slug]
    if not slugs or unknown:
        raise CorpusError(f"{path.name}: {name}: unknown or missing Areas {unknown or slugs}")
    forces = tuple(row.get("forces") or ([row["force"]] if row.get("force") else []))
    aliases = tuple(row.get("aliases") or ())
    if not all(isinstance(a, str) and a.strip() for a in aliases + forces):
        raise CorpusError(f"{path.name}: {name}: aliases and forces must be names")
    return Place(name, row["kind"], slugs, forces, aliases, bool(row.get("ambiguous", False)))


def check_places(places: list[Place], path: Path) -> None:
    """Check names are unique, that each place's Areas are its police forces' Areas, each
    force giving at least one, and that a force in several Areas is split by its places."""
    seen: dict[str, int] = {}
    for n, place in enumerate(places):
        for name in (place.name, *place.aliases):
            if seen.setdefault(normalise_name(name), n) != n:
                raise CorpusError(f"{path.name}: the name {name!r} is used by two places")
    forces = {p.name: p for p in places if p.kind == "police-force"}
    for place in places:
        if place.kind == "police-force":
            continue
        missing = [f for f in place.forces if f not in forces]
        if not place.forces or missing:
            raise CorpusError(f"{path.name}: {place.name}: its police force is missing or unknown {missing}")
        # A force that spans two Areas (the Metropolitan Police) gives a place one of them.
        stray = set(place.areas) - {a for f in place.forces for a in forces[f].areas}
        idle = [f for f in place.forces if not set(forces[f].areas) & set(place.areas)]
        if stray or idle:
            raise CorpusError(
                f"{path.name}: {place.name}: its Areas {sorted(place.areas)} are not those of its forces"
                f" {', '.join(place.forces)}"
            )
    # A force split between Areas (the Metropolitan Police) is split by the places it polices:
    # each of its Areas is the one Area of some place it polices alone.
    for force in forces.values():
        if len(force.areas) < 2:
            continue
        alone = {a for p in places if p.forces == (force.name,) and len(p.areas) == 1 for a in p.areas}
        for area in force.areas:
            if area not in alone:
                raise CorpusError(f"{path.name}: {force.name}: no place it polices alone is in {area}")
