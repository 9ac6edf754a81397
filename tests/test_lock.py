"""The dependency locks: every requirement of pyproject.toml pinned exactly, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCKS = {"dev": REPO / "requirements" / "dev.txt", "runtime": REPO / "requirements" / "runtime.txt"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;\\]+)")


def read_lock(path: Path) -> dict[str, tuple[str, int]]:
    """Return each locked package's version and its number of hashes."""
    locked: dict[str, tuple[str, int]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match["name"])
            locked[name] = (match["version"], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = locked[name]
            locked[name] = (version, hashes + 1)
    return locked


def project_requirements() -> dict[str, list[Requirement]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    return {"runtime": runtime, "dev": runtime + [Requirement(r) for group in extras.values() for r in group]}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_requirement_is_locked_to_a_version_it_allows(lock):
    locked = read_lock(LOCKS[lock])
    for requirement in project_requirements()[lock]:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCKS[lock].name}: run `make lock`"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in {LOCKS[lock].name} is outside {requirement.specifier}: run `make lock`"
        )


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_locked_package_is_exact_and_hashed(lock):
    text = LOCKS[lock].read_text(encoding="utf-8")
    locked = read_lock(LOCKS[lock])
    assert len(locked) >= len(project_requirements()[lock])
    assert all(hashes >= 1 for _, hashes in locked.values()), "every package needs its hashes"
    assert "file://" not in text and "--index-url" not in text and "--extra-index-url" not in text
    # Every requirement line is an exact pin: nothing unpinned slips in.
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert all(PIN.match(line) for line in requirement_lines), requirement_lines


def test_the_runtime_lock_has_the_versions_the_tests_ran_with():
    dev, runtime = read_lock(LOCKS["dev"]), read_lock(LOCKS["runtime"])
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: dev[name][0] for name in runtime
    }


def test_make_installs_from_the_lock_and_the_project_without_its_dependencies():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "--index-url https://pypi.org/simple" in makefile  # the lock is compiled against PyPI
