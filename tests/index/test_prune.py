"""Pruning old builds: never one a process holds, never a folder that is not a build."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from search.errors import IndexMissing
from search.index.build import build_index
from search.index.layout import BUILDS, build_names, current_build, prune_builds, remove_build
from search.index.reader import open_build
from search.query.request import parse_request
from search.query.searcher import SearchIndex

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
HOLDER = """
import sys
from pathlib import Path
from search.index.reader import open_build
build = open_build(Path(sys.argv[1]))
print("holding", flush=True)
sys.stdin.read()  # until the test closes our input
build.close()
"""


def build(index: Path, catalogue) -> str:
    return build_index(CORPUS, index, catalogue)["name"]


def in_new_thread(function):
    """Run function in a thread of its own (which opens its own Whoosh searcher); return its result."""
    out: dict = {}
    thread = threading.Thread(target=lambda: out.update(value=function()))
    thread.start()
    thread.join(60)
    assert "value" in out, "the call failed in its thread"
    return out["value"]


def test_a_build_a_process_has_open_survives_later_builds(tmp_path, catalogue):
    index = tmp_path / "index"
    build(index, catalogue)
    held = SearchIndex.open(index)
    try:
        build(index, catalogue)
        build(index, catalogue)  # two builds: without the lease the held one would go
        assert held.build.path.is_dir()
        # Whoosh opens segment files lazily: a thread that has not searched yet opens them now.
        result = in_new_thread(lambda: held.search(parse_request({"q": ["disclosure"]})))
        assert result.total > 0
    finally:
        held.close()
    build(index, catalogue)  # let go of: the next prune removes it
    assert not held.build.path.exists()
    assert len(build_names(index)) == 2


def test_a_build_another_process_holds_is_kept_until_that_process_ends(tmp_path, catalogue):
    index = tmp_path / "index"
    build(index, catalogue)
    first = current_build(index)
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(first)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout.readline().strip() == "holding"
            build(index, catalogue)
            build(index, catalogue)
            assert first.is_dir() and len(build_names(index)) == 3
        finally:
            holder.kill()  # a process that dies drops its lease with it
            holder.wait(30)
    build(index, catalogue)
    assert not first.exists() and len(build_names(index)) == 2


def test_a_pruned_build_is_gone_for_a_reader_not_half_there(tmp_path, catalogue):
    index = tmp_path / "index"
    build(index, catalogue)
    old = current_build(index)
    build(index, catalogue)
    assert remove_build(old)
    with pytest.raises(IndexMissing, match="gone"):
        open_build(old)
    assert not any(p.name.startswith(".tmp-") for p in (index / BUILDS).iterdir())


def test_folders_that_are_not_builds_neither_count_nor_push_a_real_build_out(tmp_path, catalogue):
    index = tmp_path / "index"
    first = build(index, catalogue)
    junk = ["zzz-junk", "latest", "99999999T999999999-1-ffffffff.bak", "lost+found"]
    for name in junk:
        (index / BUILDS / name).mkdir()
        (index / BUILDS / name / "note.txt").write_text("not a build")
    second = build(index, catalogue)
    assert build_names(index) == [second, first]
    for name in [first, second, *junk]:
        assert (index / BUILDS / name).is_dir(), name
    assert prune_builds(index, keep=second) == []
