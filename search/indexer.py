"""Build the index atomically and tell when it is stale.

Layout of the index folder:

    index/CURRENT                 name of the build being served (replaced atomically)
    index/builds/<name>/whoosh/   the Whoosh index
    index/builds/<name>/*.json    entries, glossary, data quality, vocabulary, sentence model

A build is written under a temporary name and renamed into place before CURRENT
points at it, so a reader only ever sees complete builds; a killed build leaves
the previous one serving.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from search.analysis import stems, words
from search.corpus import corpus_files, fingerprint
from search.ingest import Catalogue, ingest
from search.models import KIND_LABELS
from search.schema import SCHEMA_VERSION, make_schema
from search.sentences import parameters_to_dict, train_parameters

CURRENT = "CURRENT"
BUILDS = "builds"
KEEP_BUILDS = 2
CURATED_FILES = ("areas.json", "themes.json", "language.json")


def code_fingerprint() -> str:
    """Return a digest of the code that shapes an index (ingest, analysis, schema)."""
    package = Path(__file__).parent
    return fingerprint(list(package.glob("*.py"))) + f"-s{SCHEMA_VERSION}"


def source_fingerprint(corpus_dir: Path) -> str:
    """Return the digest an index built now from corpus_dir would record."""
    return f"{fingerprint(corpus_files(corpus_dir))}-{code_fingerprint()}"


def current_build(index_dir: Path) -> Path | None:
    """Return the folder of the build being served, or None when there is none."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = index_dir / BUILDS / name
    return path if name and (path / "meta.json").is_file() else None


def read_meta(build: Path) -> dict:
    """Read a build's metadata."""
    return json.loads((build / "meta.json").read_text(encoding="utf-8"))


def is_stale(index_dir: Path, corpus_dir: Path) -> bool:
    """Tell whether the index is missing or was built from another corpus or code."""
    build = current_build(index_dir)
    if build is None:
        return True
    try:
        return read_meta(build).get("fingerprint") != source_fingerprint(corpus_dir)
    except (OSError, ValueError):
        return True


@contextmanager
def build_lock(index_dir: Path):
    """Hold an exclusive lock so that only one build runs at a time."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def context_text(entry, catalogue: Catalogue) -> str:
    """Return the low-weight context of an entry: its place, Areas and kind."""
    names = [catalogue.areas.label(a) for a in entry.areas if a in catalogue.areas.by_slug]
    return " ".join([entry.section or "", KIND_LABELS[entry.kind], *names])


def write_whoosh(folder: Path, catalogue: Catalogue) -> None:
    """Write the Whoosh index of every entry, in document order (docnum = position)."""
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ix.writer(limitmb=256)
    for entry in catalogue.entries:
        aliases = catalogue.glossary.aliases(stems(entry.text))
        writer.add_document(
            id=entry.id,
            order=entry.order,
            number=entry.number or "",
            title=entry.title,
            text=entry.text,
            aliases=" ".join(aliases),
            context=context_text(entry, catalogue),
            areas=",".join(entry.areas),
            themes=",".join(entry.themes),
            part=entry.part,
            kind=entry.kind,
        )
    writer.commit(optimize=True)
    ix.close()


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def build_index(corpus_dir: Path, index_dir: Path, catalogue: Catalogue | None = None) -> dict:
    """Ingest the corpus and build a new index; return the build's metadata."""
    started = time.perf_counter()
    with build_lock(index_dir):
        source = source_fingerprint(corpus_dir)
        catalogue = catalogue or ingest(corpus_dir)
        ingested = time.perf_counter()
        builds = index_dir / BUILDS
        builds.mkdir(parents=True, exist_ok=True)
        name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{source[:8]}"
        tmp = builds / f".tmp-{name}"
        try:
            write_whoosh(tmp / "whoosh", catalogue)
            write_sidecars(tmp, catalogue)
            meta = {
                "name": name,
                "fingerprint": source,
                "schema_version": SCHEMA_VERSION,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "documents": catalogue.documents,
                "entries": len(catalogue.entries),
                "by_kind": dict(Counter(e.kind for e in catalogue.entries)),
                "seconds": {
                    "ingest": round(ingested - started, 3),
                    "total": round(time.perf_counter() - started, 3),
                },
            }
            write_json(tmp / "meta.json", meta)
            os.replace(tmp, builds / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer = index_dir / f".{CURRENT}.{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, index_dir / CURRENT)
        prune_builds(index_dir, keep=name)
        return meta


def write_sidecars(folder: Path, catalogue: Catalogue) -> None:
    """Write the entries, glossary, data quality, vocabulary and sentence model."""
    write_json(folder / "entries.json", [e.to_dict() for e in catalogue.entries])
    write_json(folder / "glossary.json", catalogue.glossary.to_list())
    write_json(folder / "quality.json", catalogue.quality_report())
    vocabulary = Counter()
    for entry in catalogue.entries:
        vocabulary.update(words(entry.title))
        vocabulary.update(words(entry.text))
    write_json(folder / "vocabulary.json", dict(vocabulary.most_common()))
    params = train_parameters([e.text for e in catalogue.entries], catalogue.language.abbreviations)
    write_json(folder / "sentences.json", parameters_to_dict(params))
    curated = folder / "curated"
    curated.mkdir()
    for name in CURATED_FILES:
        shutil.copyfile(catalogue.corpus_dir / name, curated / name)
    write_json(curated / "documents.json", catalogue.documents)


def prune_builds(index_dir: Path, keep: str) -> None:
    """Remove all but the newest builds (the served one always kept) and stale temporaries."""
    builds = index_dir / BUILDS
    names = sorted((p.name for p in builds.iterdir() if not p.name.startswith(".")), reverse=True)
    for name in names[KEEP_BUILDS:]:
        if name != keep:
            shutil.rmtree(builds / name, ignore_errors=True)
    for tmp in builds.glob(".tmp-*"):
        # A temporary left by a build that was killed; a live build holds the lock.
        shutil.rmtree(tmp, ignore_errors=True)
