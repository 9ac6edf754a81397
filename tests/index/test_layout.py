"""The index folder: what makes a build stale, and what does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search.index.layout import code_fingerprint, is_stale, source_fingerprint

PACKAGE = Path(__file__).resolve().parents[2] / "search"
CORPUS = PACKAGE.parent / "corpus"


@pytest.fixture()
def package(tmp_path):
    """A copy of the search package to edit."""
    copy = tmp_path / "search"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


@pytest.mark.parametrize(
    "module",
    ["cli.py", "server.py", "bench/run.py", "bench/workload.py", "query/compiler.py", "output/serialize.py"],
)
def test_code_that_only_reads_builds_does_not_make_the_index_stale(package, module):
    before = code_fingerprint(package)
    edit(package / module)
    assert code_fingerprint(package) == before


@pytest.mark.parametrize(
    "module",
    [
        "text/analysis.py",
        "ingest/catalogue.py",
        "ingest/report/__init__.py",
        "curated/taxonomy.py",
        "index/schema.py",
        "index/build.py",
        "models.py",
    ],
)
def test_code_that_shapes_a_build_makes_the_index_stale(package, module):
    before = code_fingerprint(package)
    edit(package / module)
    assert code_fingerprint(package) != before


def test_a_new_module_in_a_build_stage_counts_too(package):
    before = code_fingerprint(package)
    (package / "ingest" / "report" / "annex_e.py").write_text("ANNEX = 'E'\n", encoding="utf-8")
    assert code_fingerprint(package) != before


def test_a_fresh_build_is_current_and_a_corpus_edit_makes_it_stale(tmp_path, index_dir):
    assert not is_stale(index_dir, CORPUS)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    assert source_fingerprint(corpus) == source_fingerprint(CORPUS)
    edit(corpus / "themes.json")
    assert source_fingerprint(corpus) != source_fingerprint(CORPUS)
