"""Open an index build for reading: the Whoosh index and every file written beside it.

The one place that knows what a build folder holds (see `search.index.layout`);
the searcher gets the result as one `OpenBuild` and never reads a file itself.
Opening holds the build's lease until `close()`, so pruning never deletes it while
open. A build that fails to open, whatever the cause (missing or rewritten files,
bytes that are not UTF-8, JSON nested too deep), raises IndexMissing: no usable build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters
from whoosh import index as whoosh_index
from whoosh.index import Index

from search.curated.areas import AreaRegistry, load_areas
from search.curated.language import Language, load_language
from search.curated.ordering import ORDERING_FILE, OrderModel, load_ordering
from search.curated.places import Gazetteer, load_places
from search.curated.taxonomy import Taxonomy, load_taxonomy
from search.errors import IndexMissing
from search.index.forward import ForwardIndex
from search.index.layout import (
    ENGLISH,
    PHRASES,
    WORDS,
    Lease,
    corruption,
    current_build,
    damage,
    read_meta,
    take_lease,
)
from search.models import Entry
from search.text.glossary import Acronym, Glossary
from search.text.sentences import parameters_from_dict
from search.text.wordstats import WordStatistics


@dataclass
class OpenBuild:
    """An index build opened for reading; `close()` releases its files."""

    path: Path
    meta: dict
    ix: Index
    entries: list[Entry]
    areas: AreaRegistry
    taxonomy: Taxonomy
    language: Language
    documents: list[dict]
    glossary: Glossary
    quality: dict
    vocabulary: dict[str, int]
    sentences: PunktParameters
    words: WordStatistics
    forward: ForwardIndex | None
    phrases: list[dict] = field(default_factory=list)
    english: frozenset[str] = frozenset()
    places: Gazetteer = field(default_factory=lambda: Gazetteer([]))
    ordering: OrderModel | None = None  # the learned order, where the corpus has one
    lease: Lease | None = None

    @property
    def name(self) -> str:
        """The build's name: it changes whenever the data does."""
        return self.meta["name"]

    def close(self) -> None:
        """Release the Whoosh index files, the forward index and the build's lease."""
        try:
            if self.forward is not None:
                self.forward.close()
            self.ix.close()
        finally:
            if self.lease is not None:
                self.lease.release()


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def read_optional_json(path: Path, default):
    """Read a file that older builds do not have, or return the default."""
    return read_json(path) if path.is_file() else default


def open_build(build: Path) -> OpenBuild:
    """Open one build folder and hold its lease, or raise IndexMissing saying what is wrong with it."""
    lease = take_lease(build)
    try:
        return read_build(build, lease)
    except IndexMissing:
        lease.release()
        raise
    except Exception as exc:  # any failure to read a build means it is not usable
        lease.release()
        raise IndexMissing(
            f"index build {build} is unreadable ({type(exc).__name__}: {exc}); rebuild it"
        ) from exc


def read_build(build: Path, lease: Lease) -> OpenBuild:
    """Check and read a build's files (the caller holds its lease)."""
    problem = damage(build) or corruption(build)
    if problem:
        raise IndexMissing(f"index build {build.name} is damaged ({problem}); rebuild it")
    meta = read_meta(build)
    ix = whoosh_index.open_dir(str(build / "whoosh"))
    try:
        curated = build / "curated"
        areas = load_areas(curated / "areas.json")
        opened = OpenBuild(
            path=build,
            meta=meta,
            ix=ix,
            entries=[Entry.from_dict(d) for d in read_json(build / "entries.json")],
            areas=areas,
            taxonomy=load_taxonomy(curated / "themes.json"),
            language=load_language(curated / "language.json"),
            documents=read_json(curated / "documents.json"),
            glossary=Glossary([Acronym.from_dict(a) for a in read_json(build / "glossary.json")]),
            quality=read_json(build / "quality.json"),
            vocabulary=read_json(build / "vocabulary.json"),
            sentences=parameters_from_dict(read_json(build / "sentences.json")),
            words=WordStatistics.from_dict(read_optional_json(build / WORDS, {})),
            forward=ForwardIndex.open(build),
            phrases=read_optional_json(build / PHRASES, []),
            english=frozenset(read_optional_json(build / ENGLISH, [])),
            places=load_places(curated / "places.json", areas)
            if (curated / "places.json").is_file()
            else Gazetteer([]),
            ordering=load_ordering(curated / ORDERING_FILE) if (curated / ORDERING_FILE).is_file() else None,
        )
    except BaseException:
        ix.close()
        raise
    opened.lease = lease
    return opened


# A build pruned between reading CURRENT and taking its lease is gone: read CURRENT again.
OPEN_ATTEMPTS = 3


def open_current(index_dir: Path) -> OpenBuild:
    """Open the build that index_dir currently serves."""
    for _ in range(OPEN_ATTEMPTS):
        build = current_build(index_dir)
        if build is None:
            raise IndexMissing(f"no index in {index_dir}; run `python -m search build`")
        try:
            return open_build(build)
        except IndexMissing:
            if current_build(index_dir) == build:
                raise
    raise IndexMissing(f"the index in {index_dir} kept changing while it was opened; try again")
