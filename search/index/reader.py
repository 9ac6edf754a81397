"""Open an index build for reading: the Whoosh index and every file written beside it.

The one place that knows what a build folder holds (see `search.index.layout`);
the searcher gets the result as one `OpenBuild` and never reads a file itself.
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
from search.curated.taxonomy import Taxonomy, load_taxonomy
from search.errors import CorpusError, IndexMissing
from search.index.forward import ForwardIndex
from search.index.layout import PHRASES, current_build, damage, read_meta
from search.models import Entry
from search.text.glossary import Acronym, Glossary
from search.text.sentences import parameters_from_dict


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
    forward: ForwardIndex | None
    phrases: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The build's name: it changes whenever the data does."""
        return self.meta["name"]

    def close(self) -> None:
        """Release the Whoosh index files and the forward index."""
        if self.forward is not None:
            self.forward.close()
        self.ix.close()


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def read_optional_json(path: Path, default):
    """Read a file that older builds do not have, or return the default."""
    return read_json(path) if path.is_file() else default


def open_build(build: Path) -> OpenBuild:
    """Open one build folder, or raise IndexMissing saying what is wrong with it."""
    problem = damage(build)
    if problem:
        raise IndexMissing(f"index build {build.name} is damaged ({problem}); rebuild it")
    try:
        meta = read_meta(build)
        ix = whoosh_index.open_dir(str(build / "whoosh"))
        curated = build / "curated"
        opened = OpenBuild(
            path=build,
            meta=meta,
            ix=ix,
            entries=[Entry.from_dict(d) for d in read_json(build / "entries.json")],
            areas=load_areas(curated / "areas.json"),
            taxonomy=load_taxonomy(curated / "themes.json"),
            language=load_language(curated / "language.json"),
            documents=read_json(curated / "documents.json"),
            glossary=Glossary([Acronym(**a) for a in read_json(build / "glossary.json")]),
            quality=read_json(build / "quality.json"),
            vocabulary=read_json(build / "vocabulary.json"),
            sentences=parameters_from_dict(read_json(build / "sentences.json")),
            forward=None,
            phrases=read_optional_json(build / PHRASES, []),
        )
    except (OSError, ValueError, KeyError, CorpusError, whoosh_index.EmptyIndexError) as exc:
        raise IndexMissing(f"index build {build} is unreadable ({exc}); rebuild it") from exc
    try:
        opened.forward = ForwardIndex.open(build)
    except (OSError, ValueError) as exc:
        raise IndexMissing(
            f"index build {build} has an unreadable forward index ({exc}); rebuild it"
        ) from exc
    return opened


def open_current(index_dir: Path) -> OpenBuild:
    """Open the build that index_dir currently serves."""
    build = current_build(index_dir)
    if build is None:
        raise IndexMissing(f"no index in {index_dir}; run `python -m search build`")
    return open_build(build)
