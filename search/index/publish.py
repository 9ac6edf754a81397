"""Publish a build to other index folders: one build machine feeding many readers.

`publish(source_index, destinations)` copies an immutable build (the one the source
serves, or a named one) into each destination's builds/ under a temporary name,
checks every file against the digests the build recorded, renames it into place and
only then switches the destination's CURRENT (itself written aside and renamed), so
a reader there only ever sees a whole build. Each destination is changed under its
build lock and pruned by the same rules as after a build (`layout.prune_builds`:
never a build a process holds). The source build is held by a lease while copied.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from search.errors import SearchError
from search.index.layout import (
    BUILDS,
    CURRENT,
    LEASE,
    TEMPORARY_PREFIX,
    build_lock,
    corruption,
    current_build,
    damage,
    is_folder_name,
    prune_builds,
    read_current,
    take_lease,
    writing_into,
)


class PublishError(SearchError):
    """A build cannot be published (bad source, bad destination, or a failed copy)."""


def source_build(index_dir: Path, name: str | None = None) -> Path:
    """Return the build to publish: the one index_dir serves, or the one named; check it is whole."""
    if name is None:
        build = current_build(index_dir)
        if build is None:
            raise PublishError(f"{index_dir} serves no build; run `python -m search build` first")
    else:
        if not is_folder_name(name) or not (index_dir / BUILDS / name / "meta.json").is_file():
            known = ", ".join(sorted(p.name for p in (index_dir / BUILDS).glob("[!.]*"))) or "none"
            raise PublishError(f"no build {name!r} in {index_dir / BUILDS} (builds there: {known})")
        build = index_dir / BUILDS / name
    problem = damage(build) or corruption(build)
    if problem:
        raise PublishError(f"build {build.name} is damaged ({problem}); rebuild it before publishing")
    return build


def check_destination(source_index: Path, destination: Path) -> None:
    """Refuse a destination that is not a folder that can hold an index, or is the source itself."""
    if destination.exists() and not destination.is_dir():
        raise PublishError(f"{destination} is not a folder")
    if not destination.exists() and not destination.parent.is_dir():
        raise PublishError(f"{destination.parent} does not exist (a destination's parent folder must)")
    if destination.exists() and destination.resolve() == source_index.resolve():
        raise PublishError(f"{destination} is the index being published from")


def copy_build(build: Path, to: Path) -> None:
    """Copy a build's files (not its lease) to a new folder."""
    shutil.copytree(build, to, ignore=shutil.ignore_patterns(LEASE))


def publish_to(build: Path, destination: Path) -> bool:
    """Copy build into destination (unless there already) and switch its CURRENT; tell whether copied."""
    name = build.name
    destination.mkdir(exist_ok=True)
    with build_lock(destination):
        builds = destination / BUILDS
        builds.mkdir(exist_ok=True)
        target = builds / name
        copied = not target.exists()
        if copied:
            tmp = builds / f"{TEMPORARY_PREFIX}{name}-{os.getpid()}"
            try:
                copy_build(build, tmp)
                problem = damage(tmp) or corruption(tmp)
                if problem:
                    raise PublishError(f"the copy of {name} in {destination} is not whole ({problem})")
                os.replace(tmp, target)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        else:
            problem = damage(target) or corruption(target)
            if problem:
                raise PublishError(f"{target} exists but is damaged ({problem}); remove it and publish again")
        if read_current(destination) != name:
            pointer = destination / f".{CURRENT}.{os.getpid()}"
            pointer.write_text(name, encoding="utf-8")
            os.replace(pointer, destination / CURRENT)
        prune_builds(destination, keep=name)
    return copied


def publish(source_index: Path, destinations: list[Path], name: str | None = None) -> list[tuple[Path, str]]:
    """Publish a build to every destination; return (destination, what happened or went wrong) each.

    Raise PublishError before copying anything when the source or a destination is
    unusable; a destination that fails on the way is reported and the others go on.
    """
    if not destinations:
        raise PublishError("name at least one destination index folder")
    build = source_build(source_index, name)
    for destination in destinations:
        check_destination(source_index, destination)
    outcomes = []
    lease = take_lease(build)
    try:
        for destination in destinations:
            try:
                with writing_into(destination):
                    copied = publish_to(build, destination)
            except SearchError as exc:  # a PublishError, or a StorageError: one sentence either way
                outcomes.append((destination, f"failed: {exc}"))
                continue
            how = "copied" if copied else "already there"
            outcomes.append((destination, f"now serves {build.name} ({how})"))
    finally:
        lease.release()
    return outcomes
