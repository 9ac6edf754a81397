"""Whoosh's writer of one segment, with the cost of writing postings out cut.

Whoosh-Reloaded is frozen, so its writer is wrapped rather than changed. As it writes a
segment's postings, Whoosh asks for each posting's document length; its per-document
reader then looks for the field's lengths column on disk every time, and each field
without lengths (ids, Areas, kinds) is looked for again and again. `SegmentWriter` reads
each field's lengths once instead, and gives Whoosh exactly the lengths it would have
read (a test holds the segments equal).
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

# Whoosh sorts a segment's postings in memory up to this estimate of their size, and in
# runs on disk beyond it. The estimate is close to the memory they take (422 MB for 50,000
# synthetic entries, one writer's share of 100,000 on two cores): 1 GB holds some 120,000
# entries' postings, and the runs it saves took a third of the time.
POSTINGS_MB = 1024


class SegmentWriter(WhooshSegmentWriter):
    """Whoosh's SegmentWriter, which looks each field's document lengths up once."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("limitmb", POSTINGS_MB)
        super().__init__(ix, **kwargs)

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = KeptLengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


_UNREAD = object()


class KeptLengths:
    """A per-document reader's `doc_field_length`, each field's column read in one pass."""

    def __init__(self, reader):
        self.reader = reader
        self.fields: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        """Return what the reader's `doc_field_length` returns: the decoded length, None
        for a document without the field, `default` for a field without lengths."""
        lengths = self.fields.get(fieldname, _UNREAD)
        if lengths is _UNREAD:
            lengths = self.fields[fieldname] = self.read(fieldname)
        if lengths is None:
            return default
        return lengths[docnum]

    def read(self, fieldname: str) -> list[int | None] | None:
        column = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        return [byte_to_length(b) if b else None for b in column]
