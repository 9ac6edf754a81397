"""The index folder on disk: which build is served, what a build holds, and whether it is whole.

    index/CURRENT                 name of the build being served (replaced atomically)
    index/.build.lock             held by the one build running
    index/builds/<name>/whoosh/   the Whoosh index (one segment, or one per writer process)
    index/builds/<name>/*.json    meta, entries, glossary, data quality, vocabulary, sentence model,
                                  frequent phrases (for suggestions; builds before them have none)
    index/builds/<name>/curated/  the curated data the build was made with
    index/builds/<name>/forward-* the forward index (search/index/forward.py)

A build is written under a temporary name and renamed into place before CURRENT
points at it, so a reader only ever sees complete builds; a killed build leaves the
previous one serving. Nothing here reads the corpus's documents or writes an index,
so serving can use it without loading the parser or the writer.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

from search.index.schema import SCHEMA_VERSION

CURRENT = "CURRENT"
BUILDS = "builds"
META = "meta.json"
PHRASES = "phrases.json"
KEEP_BUILDS = 2
TEMPORARY_PREFIX = ".tmp-"
PACKAGE = Path(__file__).resolve().parent.parent
# The code that decides what a build holds: editing it makes every index stale. The
# query engine, the web service, the CLI and the benchmark read builds; they do not.
BUILD_CODE = ("models.py", "errors.py", "curated", "text", "ingest", "index")


def fingerprint(paths: list[Path], root: Path | None = None) -> str:
    """Return a digest of the named files' names (relative to root) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update((path.relative_to(root).as_posix() if root else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Return every file in the corpus folder that a build reads."""
    return [p for p in corpus_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]


def build_code_files(package: Path = PACKAGE) -> list[Path]:
    """Return the Python files whose code shapes a build."""
    files = []
    for name in BUILD_CODE:
        path = package / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def code_fingerprint(package: Path = PACKAGE) -> str:
    """Return a digest of the code that shapes an index (ingest, text analysis, index writing)."""
    return fingerprint(build_code_files(package), package) + f"-s{SCHEMA_VERSION}"


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
    return path if name and (path / META).is_file() else None


def read_meta(build: Path) -> dict:
    """Read a build's metadata."""
    return json.loads((build / META).read_text(encoding="utf-8"))


def is_stale(index_dir: Path, corpus_dir: Path) -> bool:
    """Tell whether the index is missing, damaged, or was built from another corpus or code."""
    build = current_build(index_dir)
    if build is None or damage(build) is not None:
        return True
    try:
        return read_meta(build).get("fingerprint") != source_fingerprint(corpus_dir)
    except (OSError, ValueError):
        return True


def damage(build: Path) -> str | None:
    """Say what is wrong with a build's files (missing, or another size than written), if anything.

    Cheap enough to run before every command: it compares sizes, it reads no index.
    """
    try:
        files = read_meta(build).get("files", {})  # builds older than the record have none
    except (OSError, ValueError, AttributeError):
        return f"{build / META} is missing or unreadable"
    for name, size in files.items():
        path = build / name
        try:
            actual = path.stat().st_size
        except OSError:
            return f"{path} is missing"
        if actual != size:
            return f"{path} has {actual} bytes, {size} were written"
    return None


def file_sizes(folder: Path) -> dict[str, int]:
    """Return every file under a folder with its size, by path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()
    }


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


def prune_builds(index_dir: Path, keep: str) -> None:
    """Remove all but the newest builds (the served one always kept) and stale temporaries."""
    builds = index_dir / BUILDS
    names = sorted((p.name for p in builds.iterdir() if not p.name.startswith(".")), reverse=True)
    for name in names[KEEP_BUILDS:]:
        if name != keep:
            shutil.rmtree(builds / name, ignore_errors=True)
    for tmp in builds.glob(TEMPORARY_PREFIX + "*"):
        # A temporary left by a build that was killed; a live build holds the lock.
        shutil.rmtree(tmp, ignore_errors=True)
