"""The Whoosh schema: the one contract between indexing and querying."""

from __future__ import annotations

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from search.text.analysis import TOKEN_PATTERN, is_indexed, normalise_text, normalise_word, stem

# Bumped whenever the schema or the analysis changes, so old indexes count as stale.
SCHEMA_VERSION = 4

# Searchable text fields and how much a match in each counts.
FIELD_BOOSTS = {"title": 1.0, "text": 1.0, "aliases": 0.8, "context": 0.5}
FACET_FIELDS = ("areas", "themes", "part", "kind")


class NormalTokenizer(RegexTokenizer):
    """Split text into words once it is in the normal form (`search.text.analysis.normalise_text`).

    Character offsets, were they asked for, would be in the normal form; the index keeps
    positions only, and snippets find their spans with `search.text.analysis.tokens`.
    """

    def __call__(self, value, *args, **kwargs):
        return super().__call__(normalise_text(value), *args, **kwargs)


class ReportFilter(Filter):
    """Lower-case, drop stop words and stem with NLTK's Snowball stemmer.

    Mirrors `search.text.analysis.tokens` exactly, so highlighting and tagging see the
    same terms as the index. Positions are renumbered over kept words, so a phrase
    query "local scrutiny involvement panels" matches "Local Scrutiny and Involvement Panels".
    """

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, tokens):
        position = 0
        for token in tokens:
            word = normalise_word(token.text)
            if not is_indexed(word):
                continue
            token.text = stem(word)
            if token.positions:
                token.pos = position
                position += 1
            yield token


def make_analyzer():
    """Return the analyzer used for every text field."""
    return NormalTokenizer(TOKEN_PATTERN) | ReportFilter()


def make_schema() -> Schema:
    """Return the index schema."""
    analyzer = make_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        order=NUMERIC(int, bits=32, stored=True, sortable=True),
        number=ID(),
        title=TEXT(analyzer=analyzer, phrase=True),
        text=TEXT(analyzer=analyzer, phrase=True),
        aliases=TEXT(analyzer=analyzer, phrase=True),
        context=TEXT(analyzer=analyzer, phrase=False),
        areas=KEYWORD(stored=True, commas=True, scorable=False),
        themes=KEYWORD(stored=True, commas=True, scorable=False),
        part=ID(stored=True),
        kind=ID(stored=True),
    )
