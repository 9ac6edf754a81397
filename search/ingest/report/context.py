"""The state every section of the report is read into: entries, findings, footnotes, order.

Takes the report's identity (document id, title, id prefix) and the Area registry;
gives `ParseContext`, which each section's reader fills with entries and data-quality
findings, and `slugify`, which makes the ids of things the registry does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from search.curated.areas import AreaRegistry
from search.models import Entry, Finding, Footnote


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated slug of text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


@dataclass
class ParseContext:
    """One report being read: what it is, and the entries and findings read so far."""

    doc_id: str
    title: str
    areas: AreaRegistry
    id_prefix: str = ""
    footnotes: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    order: int = 0

    def next_order(self) -> int:
        """Return the next position in reading order."""
        self.order += 1
        return self.order

    def note(self, kind: str, message: str, **detail: str) -> None:
        """Record a data-quality finding about this report."""
        self.findings.append(Finding(kind, message, self.doc_id, detail))

    def add(self, entry: Entry) -> None:
        """Keep an entry, its id prefixed with the report's id prefix."""
        # Ids are formed per report; a corpus of several reports gives each but the
        # first a prefix in its manifest row, so that ids stay unique and permanent.
        if self.id_prefix:
            entry = replace(entry, id=self.id_prefix + entry.id)
        self.entries.append(entry)

    def area_slug(self, name: str, where: str) -> str:
        """Return the slug of an Area spelling, noting a spelling the registry does not know."""
        slug = self.areas.resolve(name)
        if slug is None:
            self.note("unknown-area", f"unknown Area spelling {name!r} in {where}", spelling=name)
            return slugify(name)
        return slug

    def area_name(self, slug: str, spelling: str) -> str:
        """Return an Area's display name, or the report's spelling when the Area is unknown."""
        return self.areas.label(slug) if slug in self.areas.by_slug else spelling

    def attach_footnotes(self, refs: tuple[str, ...], where: str) -> tuple[Footnote, ...]:
        """Return the footnotes cited by refs, once each, noting any without text."""
        notes = []
        for ref in dict.fromkeys(refs):
            if ref in self.footnotes:
                notes.append(Footnote(ref, self.footnotes[ref]))
            else:
                self.note("missing-footnote", f"footnote {ref} cited in {where} has no text", ref=ref)
        return tuple(notes)
