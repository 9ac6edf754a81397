"""A damaged index, however damaged, answers 503 with Retry-After, and a served build keeps serving."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search.errors import IndexMissing
from search.index.layout import CURRENT, META, current_build
from search.query.searcher import SearchIndex
from web import create_app


def copy_index(index_dir: Path, to: Path) -> Path:
    shutil.copytree(index_dir, to, ignore=shutil.ignore_patterns(".build.lock", ".lease"))
    return to


def overwrite_middle(path: Path) -> None:
    """Replace bytes in the middle of a file with others, keeping its size."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle - 64 : middle + 64] = bytes(b ^ 0x5A for b in data[middle - 64 : middle + 64])
    path.write_bytes(bytes(data))


def nested_brackets(path: Path) -> None:
    """Make a JSON file one deep nest of `[` of the same size (RecursionError when parsed)."""
    path.write_bytes(b"[" * path.stat().st_size)


def forget_digests(build: Path) -> None:
    """Make a build look like one written before digests were recorded."""
    meta = json.loads((build / META).read_text())
    meta.pop("digests", None)
    (build / META).write_text(json.dumps(meta))


def corrupt_segment(build: Path) -> None:
    overwrite_middle(max((build / "whoosh").glob("*.seg"), key=lambda p: p.stat().st_size))


def corrupt_vocabulary(build: Path) -> None:
    nested_brackets(build / "vocabulary.json")


def corrupt_entries(build: Path) -> None:
    nested_brackets(build / "entries.json")


def non_utf8_current(index: Path) -> None:
    (index / CURRENT).write_bytes(b"\xff\xfe\x80 not a name")


DAMAGE = [corrupt_segment, corrupt_vocabulary, corrupt_entries]


def app_over(index: Path):
    return create_app({"TESTING": True, "INDEX_DIR": str(index), "INDEX_CHECK_INTERVAL": 0})


def assert_503(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"]
    assert response.get_json()["status"] == 503


# A build written before digests were recorded: damage that breaks parsing is still
# caught when it is opened (bytes rewritten inside a segment are not: its digest is what finds them).
CASES = [(damage, True) for damage in DAMAGE] + [(corrupt_vocabulary, False), (corrupt_entries, False)]


@pytest.mark.parametrize("damage, digests", CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_damaged_build_of_the_same_size_answers_503(tmp_path, index_dir, damage, digests):
    index = copy_index(index_dir, tmp_path / "index")
    build = current_build(index)
    if not digests:
        forget_digests(build)
    damage(build)
    with pytest.raises(IndexMissing):
        SearchIndex.open(index)
    client = app_over(index).test_client()
    for path in ("/api/search?q=disclosure", "/api/search?q=victim+letters", "/api/themes"):
        assert_503(client.get(path))
    assert client.get("/").status_code == 503


def test_current_that_is_not_utf8_answers_503(tmp_path, index_dir):
    index = copy_index(index_dir, tmp_path / "index")
    non_utf8_current(index)
    assert current_build(index) is None
    assert_503(app_over(index).test_client().get("/api/search?q=disclosure"))


@pytest.mark.parametrize("name", ["../../etc", "/etc", ".tmp-x", "builds/../x", "a\x00b", "x" * 5000])
def test_current_naming_no_build_folder_answers_503(tmp_path, index_dir, name):
    index = copy_index(index_dir, tmp_path / "index")
    (index / CURRENT).write_text(name)
    assert current_build(index) is None
    assert_503(app_over(index).test_client().get("/api/search?q=disclosure"))


@pytest.mark.parametrize("damage", [*DAMAGE, "current"])
def test_a_served_build_keeps_serving_when_the_next_is_damaged(tmp_path, index_dir, damage):
    index = copy_index(index_dir, tmp_path / "index")
    served = current_build(index)
    client = app_over(index).test_client()
    before = client.get("/api/search?q=disclosure")
    assert before.status_code == 200
    if damage == "current":
        non_utf8_current(index)
    else:
        # A new build (a copy under another name) that is damaged, then named by CURRENT.
        bad = served.parent / (served.name[:-8] + "deadbeef")
        shutil.copytree(served, bad, ignore=shutil.ignore_patterns(".lease"))
        meta = json.loads((bad / META).read_text())
        (bad / META).write_text(json.dumps({**meta, "name": bad.name}))
        damage(bad)
        (index / CURRENT).write_text(bad.name)
    for _ in range(3):
        after = client.get("/api/search?q=disclosure")
        assert after.status_code == 200
        assert after.headers["ETag"] == before.headers["ETag"]  # the ETag names the build


@pytest.mark.parametrize("damage", [corrupt_vocabulary, "missing"])
def test_a_503_says_what_happened_not_where(tmp_path, index_dir, caplog, damage):
    index = copy_index(index_dir, tmp_path / "index")
    if damage == "missing":
        shutil.rmtree(index)
    else:
        damage(current_build(index))
    client = app_over(index).test_client()
    for path in ("/api/search?q=disclosure", "/"):
        response = client.get(path)
        assert response.status_code == 503
        body = response.get_data(as_text=True)
        for secret in (str(tmp_path), "builds", "vocabulary", "RecursionError", "rebuild", "python -m"):
            assert secret not in body, (path, secret)
    assert str(index) in caplog.text  # the detail is in the server's log
