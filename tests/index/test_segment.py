"""The segment writer writes the segment Whoosh's own writer would, only faster."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

from search.index import build
from search.index.forward import ForwardWriter
from search.index.segment import KeptLengths, SegmentWriter


def write(folder, catalogue, writer_class, limitmb):
    """Write the first entries of the report as one segment with the given writer class."""
    folder.mkdir()
    original = build.SegmentWriter
    build.SegmentWriter = lambda ix: writer_class(ix, limitmb=limitmb)
    try:
        build.write_segment(folder, catalogue, 0, 300, ForwardWriter())
    finally:
        build.SegmentWriter = original
    return whoosh_index.open_dir(str(folder))


def segment_contents(ix) -> dict:
    """Everything a search reads from a segment: terms, postings, their blocks' statistics,
    lengths and stored fields."""
    with ix.reader() as reader:
        fields = [name for name in ix.schema.names() if ix.schema[name].indexed]
        infos = {}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            infos[(fieldname, text)] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
        return {
            "postings": list(reader.iter_postings()),
            "terms": infos,
            "lengths": {
                f: [reader.doc_field_length(d, f) for d in range(reader.doc_count_all())] for f in fields
            },
            "field_lengths": {f: reader.field_length(f) for f in fields},
            "stored": list(reader.all_stored_fields()),
        }


# 1 MB: the postings are sorted in runs on disk and merged, as a large corpus's may be.
@pytest.mark.parametrize("limitmb", [1, 1024])
def test_the_segment_is_the_one_whooshs_writer_writes(catalogue, tmp_path, limitmb):
    ours = segment_contents(write(tmp_path / "ours", catalogue, SegmentWriter, limitmb))
    whooshs = segment_contents(write(tmp_path / "whoosh", catalogue, WhooshSegmentWriter, limitmb))
    assert ours["postings"] and any(n for n in ours["field_lengths"].values())
    for part in whooshs:
        assert ours[part] == whooshs[part], part


class FakeReader:
    """A per-document reader with one field's lengths column, counting its lookups."""

    def __init__(self, column):
        self.column, self.lookups = column, 0

    def _cached_reader(self, lenfield, column):
        self.lookups += 1
        return self.column if lenfield == "_text_len" else None


def test_kept_lengths_decode_as_whoosh_does_and_look_each_field_up_once():
    reader = FakeReader([0, 1, 200])
    lengths = KeptLengths(reader)
    assert [lengths.doc_field_length(d, "text") for d in range(3)] == [None, 1, 17814]
    assert lengths.doc_field_length(0, "id", default=7) == 7
    assert lengths.doc_field_length(1, "id") == 0
    assert reader.lookups == 2
