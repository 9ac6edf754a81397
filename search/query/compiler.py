"""Compile a read query into query nodes of labelled clauses, without running it.

Takes the parsed query (`syntax`), what it asks for (`understanding`) and its spelling
(`corrections`); gives a `CompiledQuery`. Every word searched for gets a clause of its
own over the weighted fields — a word with no topic here, or one of a lay phrase, a
weaker one, never none — then the quoted phrases, and around them what the expanders
that are on add (`expanders`: acronyms, lay words, proximity, theme signals), the
operators (prefixes, fuzzy words, an entry id) and the required and excluded words.
Building a query touches no index, so it is tested on its own; `search.query.engine`
runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from search.models import section_fields
from search.query.clauses import Clause, Expansion, Gathered, phrase_query, text_and_title, word_query
from search.query.corrections import Correction
from search.query.expanders import (
    Acronyms,
    LayWords,
    Proximity,
    QueryWords,
    ThemeSignals,
)
from search.query.lexicon import Lexicon
from search.query.limits import MAX_EXPANSIONS, MAX_OPERATOR_WORDS, MAX_OPERATORS, MAX_WORDS
from search.query.nodes import And, AndMaybe, AndNot, Constant, Every, Node, Or, Term
from search.query.parts import ALL_ON, Switches
from search.query.syntax import QueryPlan
from search.query.understanding import Understanding
from search.text.analysis import stem, stems
from search.text.highlight import HighlightTerms

NUMBER = re.compile(r"^\d+(?:\.\d+)?[a-z]?$")
ENTRY_ID = re.compile(r"^[a-z]+(?:-[a-z0-9.]+)+$")
NUMBER_BOOST = 3.0
TYPED_PHRASE_BOOST = 3.0
COMPOUND_BOOST = 1.5
PLACE_BOOST = 1.0
# A word in this share of entries or more counts by its best field, not the sum of its fields.
COMMON_WORD_SHARE = 0.05
# A word with no topic here, or one of a lay phrase, still counts beside the others: never lost.
WEAK_WORD_BOOST = 0.3


@dataclass
class CompiledQuery:
    """A query (`search.query.nodes`) with its clauses, what to highlight, corrections and filters."""

    query: Node | None
    highlight: HighlightTerms
    corrected: str | None
    filters: dict[str, list[str]]
    excluded_filters: dict[str, list[str]]
    clauses: tuple[Clause, ...] = ()
    required: tuple[Clause, ...] = ()
    understanding: Understanding = field(default_factory=Understanding)


def in_sections(sections: tuple[str, ...]) -> Node:
    """Return a query matching every entry of the sections of the report named ("part-c",
    "annex-b", "para-2.5"), each scoring 1; with none named, every entry."""
    if not sections:
        return Every()
    return Or(tuple(Constant(Term(f, v), 1.0) for s in sections for f, v in section_fields(s)))


class QueryCompiler:
    """Build the query for a read plan against a lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.lay_words = LayWords(lexicon)
        # The expanders, in the order their clauses are listed.
        self.expanders = (
            Proximity(lexicon),
            Acronyms(lexicon),
            self.lay_words,
        )
        self.theme = ThemeSignals(lexicon)

    def compile(
        self,
        plan: QueryPlan,
        understanding: Understanding,
        correction: Correction | None = None,
        switches: Switches = ALL_ON,
        named_places: frozenset[str] = frozenset(),
    ) -> CompiledQuery:
        """Compile a parsed, read query: each word's clause, the phrases, the expansions, the operators."""
        kept = understanding.words[:MAX_WORDS]
        if correction is None:
            correction = Correction([w.text for w in kept])
        # A correction replaces a word in place, so each word keeps its topicality.
        words = tuple(correction.words)
        q = QueryWords(
            words=words,
            topical=frozenset(),
            stems=tuple(s for word in words for s in stems(word)),
            said=tuple(s for word in understanding.said for s in stems(word)),
            phrases=tuple(plan.phrases[:MAX_OPERATORS]),
            scoped=bool(understanding.areas),
            switches=switches,
        )
        lay = self.lay_words.weakened(q) if switches.on(self.lay_words.name) else set()
        topical = {
            word
            for word, w in zip(words, kept, strict=True)
            if w.topical and not (set(stems(word)) and set(stems(word)) <= lay)
        }
        q = replace(q, topical=frozenset(topical))
        gathered = Gathered()
        words = self.word_clauses(q, best_field=switches.on("best-field"))
        gathered.add(words)
        gathered.add(self.typed_phrases(plan))
        gathered.add(self.places_named(understanding, named_places))
        for expander in self.expanders:
            if switches.on(expander.name):
                gathered.add(expander.expand(q))
        gathered.add(self.operators(plan))
        required = self.required(plan, gathered)
        excluded = [
            phrase_query(tuple(stems(item))[:MAX_WORDS]) for item in plan.excluded[:MAX_WORDS] if stems(item)
        ]
        if switches.on(self.theme.name) and gathered.clauses:
            gathered.add(self.theme.expand(q, lift=switches.on(self.theme.lift_name)))
        clauses = distinct(self.words_alone(q, gathered.clauses, words.clauses))
        sections = understanding.sections if switches.on("kinds") else ()
        named = understanding.areas or sections
        if clauses and named and not required and all(c.only_scores for c in clauses):
            # Only words asking for a kind beside an Area or a section ("North West ratings",
            # "part d criteria"): every entry of what the query names, those words scoring,
            # not a search for the word "ratings".
            clauses.append(Clause("every entry about what the query names", in_sections(sections)))
        query = combine(
            [c.query for c in clauses if not c.only_scores],
            [c.query for c in required],
            excluded,
            [c.query for c in clauses if c.only_scores],
        )
        if query is None and understanding.kinds:
            # Only kinds were named ("how many strengths"): every entry of those kinds.
            query = Or(tuple(Constant(Term("kind", k), 1.0) for k in understanding.kinds))
            clauses.append(Clause(f"every entry of the kinds named: {', '.join(understanding.kinds)}", query))
        elif query is None and sections:
            # Only sections were named ("part c", "annex b"): every entry in them.
            query = in_sections(sections)
            clauses.append(Clause(f"every entry of {', '.join(sections)}", query))
        elif query is None and understanding.areas:
            # Only an Area was named: every entry in scope, ranked by subject.
            clauses.append(Clause("every entry about what the query names", Every()))
            query = Every()
        return CompiledQuery(
            query,
            HighlightTerms(frozenset(gathered.marks), tuple(gathered.phrases)),
            correction.corrected,
            plan.filters,
            plan.excluded_filters,
            tuple(clauses),
            tuple(required),
            understanding,
        )

    def word_clauses(self, q: QueryWords, best_field: bool = True) -> Expansion:
        """Return each word's clause over the fields (weak for a word with no topic here), a
        compound's phrase, a number's clause."""
        clauses, marks = [], set()
        for word in q.words:
            seq = tuple(stems(word))
            if len(seq) > 1:  # "pan-London", "work-life": a compound is a phrase
                clauses.append(Clause(f"compound {word!r}", phrase_query(seq, boost=COMPOUND_BOOST)))
            for s in seq:
                marks.add(s)
                if word in q.topical:
                    clauses.append(
                        Clause(f"word {word!r}", word_query(s, 1.0, best_field and self.common(s)))
                    )
                else:
                    weak = word_query(s, WEAK_WORD_BOOST, best_field and self.common(s))
                    clauses.append(Clause(f"word {word!r}, beside the others", weak, True))
            if NUMBER.match(word):
                clauses.append(Clause(f"number {word}", Term("number", word.lower(), boost=NUMBER_BOOST)))
        return Expansion(tuple(clauses), frozenset(marks))

    @staticmethod
    def words_alone(q: QueryWords, clauses: list[Clause], word_clauses: tuple[Clause, ...]) -> list[Clause]:
        """Let weak words match where no word has a topic and something else matches.

        A word with no topic here counts beside the others; where the query holds no other,
        an expansion of its words ("words together", a lay phrase) would otherwise be all
        that finds entries, and an entry holding the words apart would be lost.
        """
        if q.topical or not any(not c.only_scores for c in clauses):
            return clauses
        weak = {id(c) for c in word_clauses if c.only_scores}
        return [
            replace(c, reason=c.reason.removesuffix(", beside the others") + ", weakly", only_scores=False)
            if id(c) in weak
            else c
            for c in clauses
        ]

    def common(self, s: str) -> bool:
        """Tell whether a stem is common enough that its matches in several fields say little:
        in one entry in twenty or more, in some field. Such a word counts by its best field only."""
        return self.lex.spread.get(s, 0.0) >= COMMON_WORD_SHARE

    @staticmethod
    def places_named(understanding: Understanding, named: frozenset[str]) -> Expansion:
        """Return a clause for each place named that the report names too (`named`:
        "Leicester"): the entries naming it are about it. Any other place only scopes."""
        clauses, phrases = [], []
        for name, _ in understanding.places[:MAX_OPERATORS]:
            seq = tuple(stems(name))[:MAX_WORDS]
            if seq and name in named:
                clauses.append(Clause(f"place {name!r}, by name", phrase_query(seq, boost=PLACE_BOOST)))
                phrases.append(seq)
        return Expansion(tuple(clauses), phrases=tuple(phrases))

    @staticmethod
    def typed_phrases(plan: QueryPlan) -> Expansion:
        """Return the clauses of the quoted phrases."""
        clauses, phrases = [], []
        for phrase in plan.phrases[:MAX_OPERATORS]:
            seq = tuple(stems(phrase))[:MAX_WORDS]
            if seq:
                clauses.append(Clause(f"phrase {phrase!r}", phrase_query(seq, boost=TYPED_PHRASE_BOOST)))
                phrases.append(seq)
        return Expansion(tuple(clauses), phrases=tuple(phrases))

    def operators(self, plan: QueryPlan) -> Expansion:
        """Return the clauses of prefixes (disclos*), fuzzy words (disclosure~) and an entry id."""
        clauses, marks = [], set()
        # Each stands for the report's own words it reaches, a bounded number of them, and
        # together for a bounded number, the first ones first: its cost stays bounded
        # whatever the query holds.
        reached = [
            (f"words starting {p.lower()!r}", self.lex.starting_with(p.lower(), MAX_EXPANSIONS))
            for p in plan.prefixes[:MAX_OPERATORS]
        ] + [
            (f"words near {w!r}", self.lex.near(stem(w.lower()), MAX_EXPANSIONS))
            for w in plan.fuzzy[:MAX_OPERATORS]
        ]
        for why, terms in reached:
            kept = []
            for t in terms:
                if t in marks or len(marks) < MAX_OPERATOR_WORDS:
                    marks.add(t)
                    kept.append(t)
            if kept:
                clauses.append(Clause(why, Or(tuple(t for s in kept for t in text_and_title(s)))))
        text = plan.text.strip()
        if ENTRY_ID.match(text):
            clauses.append(Clause(f"id {text}", Term("id", text, boost=10.0)))
        return Expansion(tuple(clauses), frozenset(marks))

    @staticmethod
    def required(plan: QueryPlan, gathered: Gathered) -> list[Clause]:
        """Return the clauses of +required words and phrases (marked in snippets too)."""
        required = []
        for item in plan.required[:MAX_WORDS]:
            seq = tuple(stems(item))[:MAX_WORDS]
            if seq:
                required.append(Clause(f"required {item!r}", phrase_query(seq)))
                gathered.phrases.append(seq) if len(seq) > 1 else gathered.marks.add(seq[0])
        return required


def distinct(clauses: list[Clause]) -> list[Clause]:
    """Return the clauses without repeats: a word or an acronym said twice is searched for once."""
    first: dict[Node, Clause] = {}
    for clause in clauses:
        first.setdefault(clause.query, clause)
    return list(first.values())


def combine(optional: list, required: list, excluded: list, scoring: list = ()) -> Node | None:
    """Join the clauses; None means "every entry".

    `scoring` clauses add to what the others match (`AndMaybe`); alone, they match.
    """
    if required:
        core = And(tuple(required))
        optional = optional + list(scoring)
        query = AndMaybe(core, Or(tuple(optional))) if optional else core
    elif optional:
        query = Or(tuple(optional))
        if scoring:
            query = AndMaybe(query, Or(tuple(scoring)))
    elif scoring:
        query = Or(tuple(scoring))
    else:
        query = None
    if excluded:
        query = AndNot(query or Every(), Or(tuple(excluded)))
    return query
