"""Corpus folder → entries, glossary and data-quality findings (no index involved)."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from search.curated.areas import AreaRegistry, load_areas
from search.curated.language import Language, load_language
from search.curated.places import load_places
from search.curated.taxonomy import Taxonomy, load_taxonomy
from search.errors import CorpusError
from search.ingest.corpus import Document, read_documents
from search.ingest.quality import check_entries
from search.ingest.report import parse_report
from search.models import Entry, Finding
from search.progress import Progress, silent
from search.text.analysis import contains, stems
from search.text.glossary import Acronym, Glossary, build_glossary, load_curated

# Kinds whose title carries subject matter worth tagging (a heading, a criterion name).
TAG_TITLE_KINDS = {"finding", "table"}
# A sub-criterion's id is its criterion's with a letter after the number ("criterion-c-1e").
SUB_CRITERION = re.compile(r"^(.*criterion-[a-z]+-\d+)[a-z]$")
# "synthetic-0001-": a first word of letters keeps prefixed ids in the form queries recognise.
ID_PREFIX = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*-$")


@dataclass
class Catalogue:
    """Everything ingest produces from a corpus folder."""

    entries: list[Entry]
    findings: list[Finding]
    glossary: Glossary
    documents: list[dict]
    areas: AreaRegistry
    taxonomy: Taxonomy
    language: Language
    corpus_dir: Path

    def quality_report(self) -> dict:
        """Return the data-quality findings and entry counts as JSON-ready data."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        return {
            "entries": len(self.entries),
            "by_kind": counts,
            "findings": [f.to_dict() for f in self.findings],
        }


# A lay phrase the reports use in more entries than this is their own wording, not a reader's.
MAX_LAY_IN_REPORT = 2
# A corpus of this many characters or more (some forty reports) is read by several processes.
PARALLEL_CHARS = 4_000_000
PARSE = "parse documents"


def tag_themes(
    entries: list[Entry], taxonomy: Taxonomy, id_prefixes: dict[str, str] | None = None
) -> list[Entry]:
    """Give every entry its main-subject themes; rating rows take their criteria's themes
    (and their sub-criteria's: a criterion covers what they say).

    `id_prefixes` maps a document id to the prefix of its entry ids, so that a rating
    row takes the themes of its own report's criteria.
    """
    return spread_criteria_themes([tag_entry(e, taxonomy) for e in entries], id_prefixes)


def tag_entry(entry: Entry, taxonomy: Taxonomy) -> Entry:
    """Give one entry the themes its own words make a main subject."""
    text = entry.text
    if entry.kind in TAG_TITLE_KINDS:
        text = f"{entry.title}. {text}"
    return dataclasses.replace(entry, themes=taxonomy.tag(text))


def spread_criteria_themes(tagged: list[Entry], id_prefixes: dict[str, str] | None = None) -> list[Entry]:
    """Give each criterion its sub-criteria's themes, and each rating row its criteria's."""
    id_prefixes = id_prefixes or {}
    # A criterion covers what its sub-criteria say ("C1" → "1a" … "1e"): its themes are theirs too.
    criteria: dict[str, dict[str, None]] = {}
    for e in tagged:
        if e.kind == "criterion":
            criteria.setdefault(e.id, {}).update(dict.fromkeys(e.themes))
            parent = SUB_CRITERION.match(e.id)
            if parent:
                criteria.setdefault(parent.group(1), {}).update(dict.fromkeys(e.themes))
    result = []
    for entry in tagged:
        if entry.kind == "rating":
            themes: dict[str, None] = {}
            for rating in entry.ratings:
                number = rating.code[1:]
                prefix = id_prefixes.get(entry.source, "")
                for theme in criteria.get(f"{prefix}criterion-{entry.part}-{number}", ()):
                    themes[theme] = None
            entry = dataclasses.replace(entry, themes=tuple(themes))
        result.append(entry)
    return result


def checked_phrases(language: Language, acronyms: list[Acronym] = ()) -> tuple[str, ...]:
    """Return the phrases `check_lay_terms` looks for in the reports."""
    phrases = [p for term in language.lay_terms for p in (*term.report, *term.lay)]
    phrases += [p for acronym in acronyms for p in acronym.related]
    return tuple(dict.fromkeys(phrases))


def phrase_uses(entries: list[Entry], phrases: tuple[str, ...]) -> dict[str, int]:
    """Return how many of one report's entries use each phrase (in its title, text or notes)."""
    sequences = [stems(" ".join([e.title, e.text, *(f.text for f in e.footnotes)])) for e in entries]
    # Which entries hold each stem: a phrase is looked for only in those holding all its stems.
    holding: dict[str, set[int]] = {}
    for n, seq in enumerate(sequences):
        for s in set(seq):
            holding.setdefault(s, set()).add(n)
    uses = {}
    for phrase in phrases:
        seq = tuple(stems(phrase))
        candidates = set.intersection(*(holding.get(s, set()) for s in seq)) if seq else set()
        uses[phrase] = sum(1 for n in candidates if contains(sequences[n], seq))
    return uses


def check_lay_terms(language: Language, uses: dict[str, int], acronyms: list[Acronym] = ()) -> None:
    """Hold the lay thesaurus to its principles, against the reports themselves.

    `uses` gives, for each phrase of `checked_phrases`, the most entries of any one report
    that use it (reports are read alike):
    - every report phrase is one the reports use;
    - a report phrase only one entry uses needs a reason (a group maps vocabulary to
      vocabulary; it is not a pointer to one passage);
    - a lay phrase is not the reports' own vocabulary: one the reports use in several
      entries already means something there, and mapping it elsewhere misleads.
    """
    for term in language.lay_terms:
        reasons = dict(term.reasons)
        for phrase in term.report:
            n = uses[phrase]
            if n == 0:
                raise CorpusError(
                    f"language.json: lay term {term.lay[0]!r} maps to {phrase!r}, which no report uses; "
                    "map it to the reports' own words"
                )
            if n == 1 and phrase not in reasons:
                raise CorpusError(
                    f"language.json: lay term {term.lay[0]!r} maps to {phrase!r}, which one entry uses; "
                    'give it a reason ({"phrase": …, "reason": …}) or map to wider words'
                )
        for phrase in term.lay:
            if uses[phrase] > MAX_LAY_IN_REPORT:
                raise CorpusError(
                    f"language.json: lay phrase {phrase!r} is the reports' own wording "
                    f"({uses[phrase]} entries use it); a lay group maps other words to the reports'"
                )
    for acronym in acronyms:
        for phrase in acronym.related:
            if uses[phrase] == 0:
                raise CorpusError(
                    f"glossary.json: {acronym.acronym} is given the report's words {phrase!r}, "
                    "which no report uses"
                )


def read_id_prefix(meta: dict) -> str:
    """Return the prefix a manifest row puts before its document's entry ids ("" if none)."""
    prefix = meta.get("id_prefix", "")
    if not isinstance(prefix, str) or (prefix and not ID_PREFIX.match(prefix)):
        raise CorpusError(
            f"manifest.json: document {meta.get('id')!r} has id_prefix {prefix!r}; "
            "it must be lower-case letters, then letters, digits and hyphens, ending in '-'"
        )
    return prefix


@dataclass
class ReadDocument:
    """One document read: its entries (themes from their own words, orders within it), its
    findings, and how many of its entries use each phrase the lay thesaurus is checked by."""

    entries: list[Entry]
    findings: list[Finding]
    uses: dict[str, int]


def read_document(
    document: Document, areas: AreaRegistry, taxonomy: Taxonomy, id_prefix: str, phrases: tuple[str, ...]
) -> ReadDocument:
    """Parse one document, tag its entries' themes and count its entries' phrase uses."""
    parsed = parse_report(document.text, document.id, document.meta["title"], areas, id_prefix)
    entries = [tag_entry(e, taxonomy) for e in parsed.entries]
    return ReadDocument(entries, parsed.findings, phrase_uses(entries, phrases))


# What a reading process was handed as it started: the Areas, the themes and the phrases.
shared: tuple[AreaRegistry, Taxonomy, tuple[str, ...]] | None = None


def share(areas: AreaRegistry, taxonomy: Taxonomy, phrases: tuple[str, ...]) -> None:
    """Keep, in a reading process, what every document is read with."""
    global shared
    shared = (areas, taxonomy, phrases)


def read_shared(document: Document, id_prefix: str) -> ReadDocument:
    """Read one document in a reading process, with what it was handed (`share`)."""
    areas, taxonomy, phrases = shared
    return read_document(document, areas, taxonomy, id_prefix, phrases)


def read_all(
    documents: list[Document],
    areas: AreaRegistry,
    taxonomy: Taxonomy,
    id_prefixes: dict[str, str],
    phrases: tuple[str, ...],
    progress: Progress = silent,
) -> list[ReadDocument]:
    """Read every document, in order: a corpus of PARALLEL_CHARS or more by one process per
    CPU (documents are read alone, so any may go to any process), a smaller one here."""
    processes = min(os.cpu_count() or 1, len(documents))
    if processes < 2 or sum(len(d.text) for d in documents) < PARALLEL_CHARS:
        read = []
        for n, document in enumerate(documents, start=1):
            read.append(read_document(document, areas, taxonomy, id_prefixes[document.id], phrases))
            progress(PARSE, n, len(documents))
        return read
    # The curated data is handed to each process once, as it starts (inherited, being forked,
    # not pickled); each task carries one document.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=share, initargs=(areas, taxonomy, phrases)
    ) as pool:
        futures = [pool.submit(read_shared, d, id_prefixes[d.id]) for d in documents]
        read = []
        for n, future in enumerate(futures, start=1):
            read.append(future.result())
            progress(PARSE, n, len(documents))
    return read


def ingest(corpus_dir: Path, progress: Progress = silent) -> Catalogue:
    """Read the corpus folder into a catalogue of entries, reporting documents parsed."""
    documents = read_documents(corpus_dir)
    areas = load_areas(corpus_dir / "areas.json")
    taxonomy = load_taxonomy(corpus_dir / "themes.json")
    language = load_language(corpus_dir / "language.json")
    load_places(corpus_dir / "places.json", areas)  # checked now, read by queries
    curated = load_curated(corpus_dir / "glossary.json")
    entries: list[Entry] = []
    findings: list[Finding] = []
    id_prefixes = {d.id: read_id_prefix(d.meta) for d in documents}
    phrases = checked_phrases(language, curated)
    read = read_all(documents, areas, taxonomy, id_prefixes, phrases, progress)
    # Documents in the manifest's order, each in its own reading order, numbered once.
    for document in read:
        entries += sorted(document.entries, key=lambda e: e.order)
        findings += document.findings
    entries = [dataclasses.replace(e, order=i) for i, e in enumerate(entries, start=1)]
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise CorpusError(
                f"entry id {entry.id!r} occurs in more than one place; ids must be unique "
                "(give each document after the first an 'id_prefix' in manifest.json)"
            )
        seen.add(entry.id)
    entries = spread_criteria_themes(entries, id_prefixes)
    check_lay_terms(language, {p: max(d.uses[p] for d in read) for p in phrases}, curated)
    findings += check_entries(entries)
    glossary = build_glossary([(e.id, e.text) for e in entries], curated)
    return Catalogue(
        entries, findings, glossary, [d.meta for d in documents], areas, taxonomy, language, corpus_dir
    )


def export_lines(entries: list[Entry]) -> list[str]:
    """Return every entry as one line of JSON."""
    return [json.dumps(e.to_dict(), ensure_ascii=False) for e in entries]
