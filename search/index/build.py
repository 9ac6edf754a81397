"""Write an index build: entries → Whoosh segments, forward index and sidecar files.

The writer of the stage; `search.index.layout` says where a build goes and when it is
stale, `search.index.reader` opens one. Only the build command imports this module
(with the ingest it runs), so a web worker never loads the parser or the writer.
The build goes into a temporary folder, is renamed into `builds/`, and only then does
CURRENT name it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from search.curated.ordering import ORDERING_FILE, load_ordering
from search.index.forward import ForwardWriter, join_parts, save_single
from search.index.layout import (
    BUILDS,
    CURRENT,
    ENGLISH,
    META,
    PHRASES,
    TEMPORARY_PREFIX,
    WORDS,
    build_lock,
    file_digests,
    file_sizes,
    prune_builds,
    source_fingerprint,
    writing_into,
)
from search.index.schema import SCHEMA_VERSION, make_schema
from search.index.segment import SegmentWriter
from search.ingest.catalogue import Catalogue, ingest
from search.models import KIND_LABELS
from search.progress import Progress, silent
from search.text.analysis import readings, stems
from search.text.english import english_words
from search.text.phrases import learn_phrases
from search.text.sentences import parameters_to_dict, train_parameters
from search.text.wordstats import measure_words

CURATED_FILES = ("areas.json", "themes.json", "language.json", "places.json")
# One Whoosh writer process per this many entries, up to one per CPU.
ENTRIES_PER_WRITER = 5000
SENTENCE_SAMPLE_CHARS = 1_000_000
INDEX_NAME = "MAIN"  # Whoosh's default index name, which open_dir reads
VOCABULARY_PART = "vocabulary.json"
PR_SET_PDEATHSIG = 1
# Entries indexed between two progress reports, and how often a parent looks at its writers.
PROGRESS_EVERY = 50
POLL_SECONDS = 0.2
INDEXING = "index entries"
SEGMENTS = "write segments"


def context_text(entry, catalogue: Catalogue) -> str:
    """Return the low-weight context of an entry: its place, Areas and kind."""
    names = [catalogue.areas.label(a) for a in entry.areas if a in catalogue.areas.by_slug]
    return " ".join([entry.section or "", KIND_LABELS[entry.kind], *names])


def write_whoosh(
    folder: Path,
    catalogue: Catalogue,
    processes: int | None = None,
    progress: Progress = silent,
    meanwhile: Callable[[], None] | None = None,
) -> Counter:
    """Write the Whoosh index of every entry, in document order (docnum = position).

    Return the vocabulary (word counts of titles and texts), counted on the way. A
    large corpus is written by several processes, one segment each over a run of
    consecutive entries; the segments are then listed in entry order in one table
    of contents, so document n is still entry n and no merge pass is needed.
    `meanwhile` runs while they write (in a thread of this process, which would
    otherwise only wait for them), or after the index is written when one process does.
    """
    total = len(catalogue.entries)
    runs = split_runs(total, processes or writer_processes(total))
    if len(runs) == 1:
        folder.mkdir(parents=True)
        forward = ForwardWriter()
        vocabulary = write_segment(
            folder, catalogue, *runs[0], forward, lambda done: progress(INDEXING, done, total)
        )
        progress(SEGMENTS, 1, 1)
        save_single(forward, folder.parent)
        if meanwhile is not None:
            meanwhile()
        return vocabulary
    parts = folder.parent / f"{folder.name}-parts"
    context = multiprocessing.get_context("fork")  # the catalogue is inherited, not pickled
    indexed = context.Value("q", 0)
    workers = []
    for n, (start, stop) in enumerate(runs):
        worker = context.Process(
            target=segment_worker, args=(parts / str(n), catalogue, start, stop, indexed)
        )
        worker.start()
        workers.append(worker)
    # Started once every writer is forked: a process is never forked while a thread runs.
    beside = Beside(meanwhile)
    watch_writers(workers, indexed, total, progress)
    beside.finish()
    failed = [w.exitcode for w in workers if w.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(workers)} index writer processes failed ({failed})")
    vocabulary: Counter = Counter()
    for n in range(len(runs)):
        vocabulary.update(json.loads((parts / str(n) / VOCABULARY_PART).read_text(encoding="utf-8")))
    join_segments(folder, [parts / str(n) for n in range(len(runs))])
    join_parts([parts / str(n) for n in range(len(runs))], folder.parent)
    shutil.rmtree(parts)
    return vocabulary


class Beside:
    """Run a function in a thread now; `finish()` waits for it and raises what it raised."""

    def __init__(self, work: Callable[[], None] | None):
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, args=(work,), daemon=True) if work else None
        if self.thread is not None:
            self.thread.start()

    def run(self, work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # handed to the thread that waits for it
            self.error = exc

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error


def watch_writers(workers: list, indexed, total: int, progress: Progress) -> None:
    """Wait for the writer processes, reporting entries indexed and segments written meanwhile."""
    while any(w.is_alive() for w in workers):
        progress(INDEXING, indexed.value, total)
        time.sleep(POLL_SECONDS)
    progress(INDEXING, indexed.value, total)
    for n, worker in enumerate(workers, start=1):
        worker.join()
        progress(SEGMENTS, n, len(workers))


def writer_processes(entries: int) -> int:
    """Return how many processes should write an index of this many entries."""
    return max(1, min(os.cpu_count() or 1, entries // ENTRIES_PER_WRITER))


def split_runs(total: int, parts: int) -> list[tuple[int, int]]:
    """Split range(total) into `parts` consecutive runs of nearly equal length."""
    parts = max(1, min(parts, total)) if total else 1
    bounds = [total * i // parts for i in range(parts + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def write_segment(
    folder: Path,
    catalogue: Catalogue,
    start: int,
    stop: int,
    forward: ForwardWriter,
    indexed: Callable[[int], None] | None = None,
) -> Counter:
    """Index entries[start:stop] as one Whoosh segment in folder; return their vocabulary.

    `indexed(n)` is told how many of them are indexed, every PROGRESS_EVERY entries.

    The titles', texts' and aliases' terms also go to the forward index. Whoosh is given
    the terms themselves, which are what its analyzer would make of the text
    (`search.index.schema` mirrors `search.text.analysis.tokens`; a test holds them equal).
    """
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = SegmentWriter(ix)
    vocabulary: Counter = Counter()
    for n, entry in enumerate(catalogue.entries[start:stop], start=1):
        title_words, text_words = readings(entry.title), readings(entry.text)
        vocabulary.update(w for w, _ in title_words)
        vocabulary.update(w for w, _ in text_words)
        title_stems, text_stems = [s for _, s in title_words], [s for _, s in text_words]
        alias_stems = stems(" ".join(catalogue.glossary.aliases(text_stems)))
        forward.add(title_stems, text_stems, alias_stems)
        # Each field is analysed once: Whoosh takes a list of terms as the analyzer's output
        # (positions in order), so the text is not tokenised and stemmed a second time.
        writer.add_document(
            id=entry.id,
            order=entry.order,
            number=entry.number or "",
            title=title_stems,
            text=text_stems,
            aliases=alias_stems,
            context=stems(context_text(entry, catalogue)),
            areas=",".join(entry.areas),
            themes=",".join(entry.themes),
            part=entry.part,
            kind=entry.kind,
        )
        if indexed and (n % PROGRESS_EVERY == 0 or start + n == stop):
            indexed(n)
    writer.commit(optimize=True)
    ix.close()
    return vocabulary


def segment_worker(folder: Path, catalogue: Catalogue, start: int, stop: int, indexed) -> None:
    """Write one segment in a child process, which dies with the build that started it;
    `indexed` is the count shared with the parent, for its progress report."""
    die_with_parent()
    folder.mkdir(parents=True)
    forward = ForwardWriter()
    reported = 0

    def report(done: int) -> None:
        nonlocal reported
        with indexed.get_lock():
            indexed.value += done - reported
        reported = done

    vocabulary = write_segment(folder, catalogue, start, stop, forward, report)
    write_json(folder / VOCABULARY_PART, vocabulary)
    forward.save(folder)


def join_segments(folder: Path, parts: list[Path]) -> None:
    """Move the parts' segments into one index whose table of contents lists them in order."""
    folder.mkdir(parents=True)
    schema, segments = None, []
    for part in parts:
        toc = TOC.read(FileStorage(str(part)), INDEX_NAME)
        schema = schema or toc.schema
        segments += toc.segments
        for path in part.iterdir():
            # Segment files carry their segment's unique id; the parts' own TOCs stay behind.
            if path.name.startswith(INDEX_NAME + "_") and path.name != INDEX_NAME + "_WRITELOCK":
                os.replace(path, folder / path.name)
    TOC(schema, segments, 0).write(FileStorage(str(folder)), INDEX_NAME)


def die_with_parent() -> None:
    """Ask Linux to stop this process when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def build_index(
    corpus_dir: Path, index_dir: Path, catalogue: Catalogue | None = None, progress: Progress = silent
) -> dict:
    """Ingest the corpus and build a new index, reporting progress; return the build's metadata."""
    started = time.perf_counter()
    with writing_into(index_dir), build_lock(index_dir):
        source = source_fingerprint(corpus_dir)
        catalogue = catalogue or ingest(corpus_dir, progress)
        ingested = time.perf_counter()
        builds = index_dir / BUILDS
        builds.mkdir(parents=True, exist_ok=True)
        # Milliseconds too: two builds in one second must not share a folder.
        name = (
            time.strftime("%Y%m%dT%H%M%S")
            + f"{time.time_ns() // 1_000_000 % 1000:03d}-{os.getpid()}-{source[:8]}"
        )
        tmp = builds / f"{TEMPORARY_PREFIX}{name}"
        try:
            tmp.mkdir()
            # What is learnt from the entries is written while the writer processes index them.
            vocabulary = write_whoosh(
                tmp / "whoosh", catalogue, progress=progress, meanwhile=lambda: write_sidecars(tmp, catalogue)
            )
            indexed = time.perf_counter()
            write_json(tmp / "vocabulary.json", dict(vocabulary.most_common()))
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
                    "whoosh": round(indexed - ingested, 3),
                    "total": round(time.perf_counter() - started, 3),
                },
            }
            meta["files"] = file_sizes(tmp)
            meta["digests"] = file_digests(tmp)
            write_json(tmp / META, meta)
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
    """Write the entries, glossary, data quality, phrases, sentence model, word statistics
    and the English word list (the vocabulary is counted by the index writers)."""
    write_json(folder / "entries.json", [e.to_dict() for e in catalogue.entries])
    write_json(folder / PHRASES, learn_phrases(e.text for e in catalogue.entries))
    write_json(folder / "glossary.json", catalogue.glossary.to_list())
    write_json(folder / "quality.json", catalogue.quality_report())
    params = train_parameters(sentence_sample(catalogue.entries), catalogue.language.abbreviations)
    write_json(folder / "sentences.json", parameters_to_dict(params))
    write_json(folder / WORDS, measure_words(catalogue.entries).to_dict())
    write_json(folder / ENGLISH, english_words())
    curated = folder / "curated"
    curated.mkdir()
    for name in CURATED_FILES:
        shutil.copyfile(catalogue.corpus_dir / name, curated / name)
    # The learned order, where the corpus has one (without it, the engine's order stands):
    # a bad model is refused here, not when served.
    if (catalogue.corpus_dir / ORDERING_FILE).is_file():
        load_ordering(catalogue.corpus_dir / ORDERING_FILE)
        shutil.copyfile(catalogue.corpus_dir / ORDERING_FILE, curated / ORDERING_FILE)
    write_json(curated / "documents.json", catalogue.documents)


def sentence_sample(entries) -> list[str]:
    """Return the texts the sentence model learns from: all of them, up to a bound.

    Punkt's training time grows with the text; a few megabytes teach it every
    abbreviation and sentence starter a report uses (the 2019 report is 0.1 MB).
    """
    sample, size = [], 0
    for entry in entries:
        if size >= SENTENCE_SAMPLE_CHARS:
            break
        sample.append(entry.text)
        size += len(entry.text)
    return sample
