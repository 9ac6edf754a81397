"""The build hands Whoosh the terms it would have made itself: analysed once, indexed the same."""

from __future__ import annotations

from whoosh.filedb.filestore import RamStorage

from search.index.build import context_text
from search.index.schema import make_analyzer, make_schema
from search.text.analysis import stems


def test_the_analyzer_and_the_terms_given_to_whoosh_agree_on_every_field(catalogue):
    analyzer = make_analyzer()
    for entry in catalogue.entries:
        aliases = " ".join(catalogue.glossary.aliases(stems(entry.text)))
        for text in (entry.title, entry.text, aliases, context_text(entry, catalogue)):
            assert [t.text for t in analyzer(text)] == stems(text), entry.id


def test_terms_given_as_a_list_index_as_the_text_would(catalogue):
    texts = [e.text for e in catalogue.entries[:40]] + ["Individual Quality Assessments (IQAs): the CPS's"]
    indexes = []
    for given in (texts, [stems(t) for t in texts]):
        ix = RamStorage().create_index(make_schema())
        with ix.writer() as writer:
            for n, value in enumerate(given):
                writer.add_document(id=str(n), order=n, text=value)
        indexes.append(ix)
    with indexes[0].reader() as a, indexes[1].reader() as b:
        assert list(a.all_terms()) == list(b.all_terms())
        for fieldname, term in a.all_terms():
            if fieldname == "text":
                assert list(a.postings(fieldname, term).items_as("positions")) == list(
                    b.postings(fieldname, term).items_as("positions")
                )
        assert [a.doc_field_length(d, "text") for d in range(len(texts))] == [
            b.doc_field_length(d, "text") for d in range(len(texts))
        ]
