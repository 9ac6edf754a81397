"""`python -m search publish`: copy a build to replicas' index folders and switch them atomically."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search.index import publish as publish_module
from search.index.build import build_index
from search.index.layout import BUILDS, CURRENT, META, build_names, current_build, read_meta
from search.index.publish import publish
from search.query.searcher import SearchIndex

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


@pytest.fixture()
def source(tmp_path, index_dir):
    folder = tmp_path / "builder"
    shutil.copytree(index_dir, folder, ignore=shutil.ignore_patterns(".build.lock", ".lease"))
    return folder


def test_publish_copies_the_served_build_and_switches_every_destination(tmp_path, source):
    replicas = [tmp_path / "replica-a", tmp_path / "replica-b"]
    done = cli("--index", str(source), "publish", *map(str, replicas))
    assert done.returncode == 0, done.stderr
    name = current_build(source).name
    for replica in replicas:
        assert (replica / CURRENT).read_text() == name
        assert f"{replica}: now serves {name} (copied)" in done.stdout
        assert not any(p.name.startswith(".") for p in (replica / BUILDS).iterdir())  # no temporaries
        opened = SearchIndex.open(replica)
        assert opened.name == name and len(opened.entries) == 477
        opened.close()
    again = cli("--index", str(source), "publish", str(replicas[0]))
    assert again.returncode == 0 and "(already there)" in again.stdout


def test_publish_names_a_build_and_prunes_by_the_same_rules(tmp_path, source, catalogue):
    replica = tmp_path / "replica"
    first = current_build(source).name
    publish(source, [replica])
    held = SearchIndex.open(replica)  # a replica's worker holds the first build
    try:
        names = []
        for _ in range(2):
            names.append(build_index(CORPUS, source, catalogue)["name"])
            publish(source, [replica])
        assert (replica / CURRENT).read_text() == names[-1]
        assert first in build_names(replica)  # held: kept however many builds come after it
    finally:
        held.close()
    publish(source, [replica], name=names[0])  # roll back to a named build
    assert (replica / CURRENT).read_text() == names[0]
    assert build_names(replica) == names[::-1]  # the first, no longer held, is pruned


def test_a_copy_that_is_not_whole_never_becomes_current(tmp_path, source, monkeypatch):
    replica = tmp_path / "replica"
    copy_build = publish_module.copy_build

    def copy_cut_short(build, to):
        copy_build(build, to)
        entries = to / "entries.json"
        entries.write_bytes(entries.read_bytes()[:-10])

    monkeypatch.setattr(publish_module, "copy_build", copy_cut_short)
    [(_, outcome)] = publish(source, [replica])
    assert outcome.startswith("failed:") and "not whole" in outcome
    assert not (replica / CURRENT).exists() and list((replica / BUILDS).iterdir()) == []


@pytest.mark.parametrize(
    "case, message",
    [
        ("no-source-build", "serves no build; run `python -m search build` first"),
        ("unknown-build", "no build 'nope'"),
        ("path-as-build", "no build '../x'"),
        ("destination-is-a-file", "is not a folder"),
        ("destination-parent-missing", "does not exist"),
        ("destination-is-source", "is the index being published from"),
        ("damaged-source", "is damaged"),
        ("no-destination", "the following arguments are required: DEST"),
    ],
)
def test_bad_input_gives_a_message_and_a_non_zero_exit(tmp_path, source, case, message):
    replica = tmp_path / "replica"
    args = ["--index", str(source), "publish", str(replica)]
    if case == "no-source-build":
        args[1] = str(tmp_path / "empty")
    elif case == "unknown-build":
        args += ["--build", "nope"]
    elif case == "path-as-build":
        args += ["--build", "../x"]
    elif case == "destination-is-a-file":
        replica.write_text("not a folder")
    elif case == "destination-parent-missing":
        args[-1] = str(tmp_path / "no" / "such" / "replica")
    elif case == "destination-is-source":
        args[-1] = str(source)
    elif case == "damaged-source":
        entries = current_build(source) / "entries.json"
        entries.write_bytes(entries.read_bytes()[:100])
    elif case == "no-destination":
        args = args[:-1]
    done = cli(*args)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (replica / CURRENT).exists() if replica.is_dir() else True


def test_a_destination_that_fails_is_reported_and_the_others_are_published(tmp_path, source):
    good, bad = tmp_path / "good", tmp_path / "bad"
    (bad / BUILDS).mkdir(parents=True)
    name = current_build(source).name
    (bad / BUILDS / name).mkdir()  # something in the way, with the build's name but not the build
    (bad / BUILDS / name / META).write_text(json.dumps({"files": {"entries.json": 1}}))
    done = cli("--index", str(source), "publish", str(bad), str(good))
    assert done.returncode == 1
    assert f"{bad}: failed:" in done.stderr and "remove it and publish again" in done.stderr
    assert (good / CURRENT).read_text() == name and read_meta(current_build(good))["name"] == name


def test_a_destination_that_runs_out_of_space_is_one_sentence(tmp_path, source, monkeypatch):
    import errno
    import os

    full, good = tmp_path / "full", tmp_path / "good"
    real = shutil.copyfile

    def copyfile(src, dst, **kwargs):
        if str(dst).startswith(str(full)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)
        return real(src, dst, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copyfile)  # a copy of a folder collects every file's failure
    outcomes = dict(publish(source, [full, good]))
    assert outcomes[full] == f"failed: cannot write to {full}: No space left on device"
    assert outcomes[good].startswith("now serves")
    assert not (full / CURRENT).exists() and list((full / BUILDS).iterdir()) == []
