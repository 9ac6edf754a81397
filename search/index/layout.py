"""The index folder on disk: which build is served, what a build holds, and whether it is whole.

    index/CURRENT                 name of the build being served (replaced atomically)
    index/.build.lock             held by the one build (or publish) running
    index/builds/<name>/whoosh/   the Whoosh index (one segment, or one per writer process)
    index/builds/<name>/*.json    meta, entries, glossary, data quality, vocabulary, sentence model,
                                  word statistics, frequent phrases (for suggestions; builds
                                  before them have none)
    index/builds/<name>/curated/  the curated data the build was made with
    index/builds/<name>/forward-* the forward index (search/index/forward.py)
    index/builds/<name>/.lease    locked (shared) by every process that has the build open

A build is written under a temporary name and renamed into place before CURRENT
points at it, so a reader only ever sees complete builds; a killed build leaves the
previous one serving. Nothing here reads the corpus's documents or writes an index,
so serving can use it without loading the parser or the writer.

Which builds may be deleted. After each build (or publish) only the newest
`KEEP_BUILDS` are kept, and never one that is in use. Whoosh opens segment files
lazily (a new thread's searcher opens them again), so a build a process still holds
must stay on disk however many builds come after it. Each process that opens a build
takes a shared `flock` on the build's `.lease` file and keeps it until it closes the
build; the kernel drops it if the process dies, so a crashed worker never pins a
build. Pruning takes the lease exclusively without waiting: if any process holds it,
the build stays. A build that is free is renamed to a temporary name while the lock
is held, then deleted. A reader takes its lease before it reads anything, then checks
the build is still in place: one that was pruned between reading CURRENT and taking
the lease is seen as gone and CURRENT is read again (`open_current`), so no window is
left between choosing a build and holding it.

Only folders named as build_index names builds (`BUILD_NAME`: timestamp, pid, fingerprint)
are counted or pruned; anything else under builds/ is left alone, so a stray folder
can neither pass for the newest build nor push a real one out.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from search.errors import IndexMissing, StorageError
from search.index.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
BUILDS = "builds"
META = "meta.json"
WORDS = "words.json"
PHRASES = "phrases.json"
ENGLISH = "english.json"
KEEP_BUILDS = 2
TEMPORARY_PREFIX = ".tmp-"
LEASE = ".lease"
# What build_index names a build: local time to the millisecond, the builder's pid, and
# the start of the source fingerprint. Names sort in the order the builds were made.
BUILD_NAME = re.compile(r"\d{8}T\d{9}-\d+-[0-9a-f]{8}")
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


def is_build_name(name: str) -> bool:
    """Tell whether a folder name under builds/ is one build_index gives a build."""
    return BUILD_NAME.fullmatch(name) is not None


def read_current(index_dir: Path) -> str | None:
    """Return the build name CURRENT holds, or None when it is missing, unreadable or not a name."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):  # ValueError: bytes that are not UTF-8
        return None
    return name if is_folder_name(name) else None


def is_folder_name(name: str) -> bool:
    """Tell whether name can name a build: one visible folder under builds/, never a path out of it."""
    return bool(name) and not name.startswith(".") and not any(c in name for c in "/\\\x00")


def current_build(index_dir: Path) -> Path | None:
    """Return the folder of the build being served, or None when there is none."""
    name = read_current(index_dir)
    if name is None:
        return None
    path = index_dir / BUILDS / name
    try:
        return path if (path / META).is_file() else None
    except OSError:  # a name too long for the file system, say
        return None


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


def recorded(build: Path, key: str) -> dict[str, str] | None:
    """Return what a build's meta records per file under key ({} for older builds), None if unreadable."""
    try:
        return {str(name): str(value) for name, value in read_meta(build).get(key, {}).items()}
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None


def damage(build: Path) -> str | None:
    """Say what is wrong with a build's files (missing, or another size than written), if anything.

    Cheap enough to run before every command: it compares sizes, it reads no index.
    """
    files = recorded(build, "files")
    if files is None:
        return f"{build / META} is missing or unreadable"
    for name, size in files.items():
        path = build / name
        try:
            actual = path.stat().st_size
        except OSError:
            return f"{path} is missing"
        if str(actual) != size:
            return f"{path} has {actual} bytes, {size} were written"
    return None


def corruption(build: Path) -> str | None:
    """Say which of a build's files differs from what was written (by SHA-256), if any.

    Reads every file once, so it runs when a process opens a build, not before every
    command: it finds what `damage` cannot, such as bytes overwritten in place.
    """
    for name, expected in (recorded(build, "digests") or {}).items():
        try:
            if file_digest(build / name) != expected:
                return f"{build / name} is not the file that was written"
        except OSError:
            return f"{build / name} is unreadable"
    return None


def file_sizes(folder: Path) -> dict[str, int]:
    """Return every file under a folder with its size, by path relative to it."""
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in build_files(folder)}


def file_digests(folder: Path) -> dict[str, str]:
    """Return every file under a folder with its SHA-256, by path relative to it."""
    return {p.relative_to(folder).as_posix(): file_digest(p) for p in build_files(folder)}


def build_files(folder: Path) -> list[Path]:
    """Return the files a build is made of (not its lease), in a stable order."""
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LEASE]


def file_digest(path: Path) -> str:
    """Return a file's SHA-256 in hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def writing_into(folder: Path):
    """Turn a failure to write into folder (full, read-only, not a folder…) into one StorageError."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and not is_inside(Path(os.fsdecode(exc.filename)), folder):
            raise  # another folder's failure (the corpus's, say) is not this folder's
        raise StorageError.writing(folder, exc) from exc


def is_inside(path: Path, folder: Path) -> bool:
    """Tell whether a path is the folder or lies under it."""
    return path.resolve().is_relative_to(folder.resolve())


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


class Lease:
    """A process's hold on an open build: a shared lock on the build's lease file."""

    def __init__(self, fd: int | None):
        self.fd = fd

    def release(self) -> None:
        """Let go of the build (closing the file drops the lock)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def take_lease(build: Path) -> Lease:
    """Hold a build so that pruning leaves it alone; raise IndexMissing if it is gone.

    Blocks only while a pruner holds the lease exclusively, which it does just long
    enough to rename the build away; then the build is seen as gone.
    """
    try:
        fd = os.open(build / LEASE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except FileNotFoundError:
        raise IndexMissing(f"index build {build} is gone") from None
    except OSError as exc:
        # A read-only build cannot be pruned by this user either; serve it unleased.
        log.warning("cannot take a lease on index build %s: %s", build, exc)
        return Lease(None)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not (build / META).is_file():
            raise IndexMissing(f"index build {build} is gone")
    except BaseException:
        os.close(fd)
        raise
    return Lease(fd)


def remove_build(build: Path) -> bool:
    """Delete a build unless a process holds its lease; tell whether it was deleted."""
    try:
        fd = os.open(build / LEASE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # in use: a later prune will find it free
        # Renamed while the lock is held: a reader that takes the lease after this
        # finds the build gone instead of half deleted.
        trash = build.parent / f"{TEMPORARY_PREFIX}pruned-{build.name}"
        os.rename(build, trash)
    finally:
        os.close(fd)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def build_names(index_dir: Path) -> list[str]:
    """Return the names of the builds under index_dir, newest first (other folders left out)."""
    builds = index_dir / BUILDS
    if not builds.is_dir():
        return []
    return sorted((p.name for p in builds.iterdir() if is_build_name(p.name) and p.is_dir()), reverse=True)


def prune_builds(index_dir: Path, keep: str) -> list[str]:
    """Remove builds but the newest, the served one and any in use, and stale temporaries.

    Call with the build lock held. Return the names of the builds removed.
    """
    builds = index_dir / BUILDS
    removed = [
        name for name in build_names(index_dir)[KEEP_BUILDS:] if name != keep and remove_build(builds / name)
    ]
    for tmp in builds.glob(TEMPORARY_PREFIX + "*"):
        # A temporary left by a build that was killed; a live build holds the lock.
        shutil.rmtree(tmp, ignore_errors=True)
    return removed
