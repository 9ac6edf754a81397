"""The pieces a compiled query is made of: labelled clauses and the query nodes they hold.

A clause is one part of a query's score and the reason it is there ("word 'disclosure'",
"acronym IQA: Individual Quality Assessment"); `explain` lists them by those reasons.
The helpers here build the nodes (`search.query.nodes`) every stage uses, so a word is
matched the same way whichever part added it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from search.index.schema import FIELD_BOOSTS
from search.query.nodes import BestOf, Constant, Node, Or, Phrase, Term

# What an entry tagged with a theme the query names or signals gets, whatever its words.
THEME_SCORE = 1.0


@dataclass(frozen=True)
class Clause:
    """One part of a query's score, and why it is there ("word 'disclosure'", "acronym IQA").

    A clause that only `scores` adds to entries other clauses match, and brings in none
    of its own (a word with no topic here counts only beside the others). A clause that
    finds entries by their `theme`, not by the query's words, says so.
    """

    reason: str
    query: Node
    only_scores: bool = False
    theme: bool = False


@dataclass(frozen=True)
class Expansion:
    """What one part adds to a query: clauses, words to mark in snippets, phrases to mark."""

    clauses: tuple[Clause, ...] = ()
    marks: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


@dataclass
class Gathered:
    """Clauses, marks and phrases as a query's parts add them, in order."""

    clauses: list[Clause] = field(default_factory=list)
    marks: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, expansion: Expansion) -> None:
        """Add one part's expansion."""
        self.clauses += expansion.clauses
        self.marks |= expansion.marks
        self.phrases += expansion.phrases


def text_and_title(s: str) -> list[Node]:
    """Return a stem's term in the text and the title."""
    return [Term("text", s), Term("title", s, boost=FIELD_BOOSTS["title"])]


def field_terms(s: str) -> list[Node]:
    """Return a stem's term in every searchable field, boosted by field weight."""
    return [Term(name, s, boost=boost) for name, boost in FIELD_BOOSTS.items()]


# Nodes are values: a word's or a phrase's node is made once and shared by every query
# asking for it, with what it has worked out about itself (`Or.by_cost`).
@lru_cache(maxsize=20_000)
def word_query(s: str, boost: float = 1.0, best_field: bool = True) -> Node:
    """Return a word's query: its best field counts, so a word is worth no more than its rarity.

    Summed over fields, a common word matched in an entry's title, text and context
    outscores a rare word matched once; taking the best field (`BestOf`, Whoosh's
    DisjunctionMax) keeps each word's share bounded by its inverse document frequency.
    Without `best_field`, the fields' scores add up.
    """
    terms = tuple(Term(name, s, boost=b * boost) for name, b in FIELD_BOOSTS.items())
    return BestOf(terms) if best_field else Or(terms)


@lru_cache(maxsize=20_000)
def phrase_query(seq: tuple[str, ...], boost: float = 1.0, slop: int = 1) -> Node:
    """Return a query for a stem sequence in the text, title and aliases.

    Whoosh's slop counts positions, so 1 means "adjacent", the tightest there is.
    """
    if len(seq) == 1:
        return Or((Term("text", seq[0]), Term("title", seq[0], boost=FIELD_BOOSTS["title"])), boost=boost)
    return Or(
        (
            Phrase("text", tuple(seq), slop=slop),
            Phrase("title", tuple(seq), slop=slop, boost=FIELD_BOOSTS["title"]),
            Phrase("aliases", tuple(seq), slop=slop, boost=0.8),
        ),
        boost=boost,
    )


def entries_query(ids: tuple[str, ...]) -> Node:
    """Return a query matching the entries of these ids, adding nothing to their scores."""
    return Or(tuple(Constant(Term("id", i), 0.0) for i in ids))


def theme_query(themes: tuple[str, ...]) -> Node:
    """Return a query matching the entries tagged with any of the themes, all scored alike."""
    return Or(tuple(Constant(Term("themes", t), THEME_SCORE) for t in themes))
