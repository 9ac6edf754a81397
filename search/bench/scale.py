"""How cost grows with the corpus: synthetic corpora of N entries, built and searched.

Each size gets its own corpus (written once by search.bench.synthetic and reused) and a
fresh index. The build runs as `python -m search build` in a child process, timed
with its peak memory; searching runs in another child (search.bench.inprocess),
so each size's memory is measured on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from search.bench.stats import tree_size
from search.bench.synthetic import write_corpus
from search.index.layout import current_build
from search.ingest.corpus import MANIFEST


def corpus_for(size: int, source: Path, workdir: Path, seed: int = 7) -> Path:
    """Return a synthetic corpus of `size` entries under workdir, writing it if missing."""
    folder = workdir / f"corpus-{size}-seed{seed}"
    if not (folder / MANIFEST).is_file():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(source, folder, size, seed)
    return folder


def run_child(args: list[str], timeout: float) -> tuple[float, int, str]:
    """Run `python -m …` args; return wall seconds, the child's peak RSS (KiB) and stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    streams: dict[str, str] = {}
    readers = [
        threading.Thread(target=lambda k=k, f=f: streams.__setitem__(k, f.read()), daemon=True)
        for k, f in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        # wait4, not Popen.wait: it also returns this child's own resource usage.
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(
            f"`python -m {' '.join(args)}` failed ({process.returncode}):\n{streams.get('err', '')[-2000:]}"
        )
    return elapsed, usage.ru_maxrss, streams.get("out", "")


def measure_size(size: int, source: Path, workdir: Path, repeat: int, timeout: float = 3600) -> dict:
    """Build and search a synthetic corpus of `size` entries."""
    started = time.perf_counter()
    corpus = corpus_for(size, source, workdir)
    generated = time.perf_counter() - started
    index = workdir / f"index-{size}"
    shutil.rmtree(index, ignore_errors=True)
    build_s, build_peak, out = run_child(
        ["search", "--corpus", str(corpus), "--index", str(index), "build"], timeout
    )
    build = current_build(index)
    meta = json.loads((build / "meta.json").read_text(encoding="utf-8"))
    _, _, out = run_child(["search.bench.inprocess", "--index", str(index), "--repeat", str(repeat)], timeout)
    search = json.loads(out)
    return {
        "entries": meta["entries"],
        "documents": len(meta["documents"]),
        "generate_s": round(generated, 1),
        "build_s": round(build_s, 1),
        "build_seconds": meta["seconds"],
        "build_peak_rss_mib": round(build_peak / 1024, 1),
        "index_mib": round(tree_size(build) / 2**20, 1),
        "whoosh_mib": round(tree_size(build / "whoosh") / 2**20, 1),
        "search": search,
        "cpus": os.cpu_count(),
    }
