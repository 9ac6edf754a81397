"""Pooling a judgment set: every system's entries, a further run given by name, packets whole."""

from __future__ import annotations

import json

import pytest

from search.bench.pool import main


def test_a_further_run_is_pooled_and_every_packet_lists_the_pooled_entries(tmp_path, index_dir):
    topics = [
        {
            "qid": "z1",
            "kind": "keyword",
            "query": "sickness absence",
            "need": "Sickness absence.",
            "seeds": {},
        },
        {"qid": "z2", "kind": "lay", "query": "staff off ill", "need": "Sickness absence.", "seeds": {}},
    ]
    (tmp_path / "topics.json").write_text(json.dumps(topics))
    # An entry no system would pool for either query, given by a further system.
    (tmp_path / "extra.json").write_text(json.dumps({"z1": ["table-2", "no-such-entry"]}))
    out = tmp_path / "pool"
    code = main(
        ["pool", str(tmp_path / "topics.json"), "--out", str(out), "--index", str(index_dir),
         "--judges", "2", "--run", f"extra={tmp_path / 'extra.json'}"]
    )  # fmt: skip
    assert code == 0
    pool = json.loads((out / "pool.json").read_text())["pool"]
    assert "table-2" in pool["z1"] and "no-such-entry" not in pool["z1"]
    assert "table-2" not in pool["z2"]
    packets = "".join(p.read_text() for p in sorted(out.glob("packet-*.md")))
    for qid, docs in pool.items():
        assert f"## {qid}" in packets
        assert all(f"### {d}" in packets for d in docs)


def test_a_run_given_without_a_name_is_refused(tmp_path, index_dir):
    (tmp_path / "topics.json").write_text("[]")
    args = ["pool", str(tmp_path / "topics.json"), "--out", str(tmp_path), "--index", str(index_dir)]
    with pytest.raises(SystemExit, match="NAME=RUN.json"):
        main([*args, "--run", "x.json"])
