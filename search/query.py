"""Turn the text a user typed into a Whoosh query, without touching an index.

Syntax: plain words (OR-ed, entries matching more of them and matching them as a
phrase rank higher), "quoted phrases", field filters (area:wessex, theme:disclosure,
part:c, kind:issue, id:para-4.10), prefixes (disclos*), fuzzy words (disclosure~),
+required and -excluded words, phrases or filters, and NOT before a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from search.analysis import TOKEN, stem, stems, tokens
from search.glossary import Glossary
from search.highlight import HighlightTerms
from search.schema import FIELD_BOOSTS
from search.spelling import SpellingCorrector
from search.taxonomy import Taxonomy

FILTER_FIELDS = ("area", "theme", "part", "kind", "id")
LEXEME = re.compile(
    r"""(?P<sign>[+-])?(?:
        (?P<field>[A-Za-z_]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]+))
      | "(?P<phrase>[^"]*)"?
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE,
)
NUMBER = re.compile(r"^\d+(?:\.\d+)?[a-z]?$")
ENTRY_ID = re.compile(r"^[a-z]+(?:-[a-z0-9.]+)+$")
PHRASE_BOOST = 2.0
BIGRAM_BOOST = 0.6
ACRONYM_BOOST = 1.0
SYNONYM_BOOST = 0.6
FAMILY_BOOST = 0.3
THEME_SCORE = 1.0
MAX_FAMILY = 4


@dataclass
class QueryPlan:
    """The parts of a query string, before analysis."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes or self.fuzzy or self.required)


def parse_query(text: str) -> QueryPlan:
    """Split a query string into words, phrases, filters and operators."""
    plan = QueryPlan()
    negate_next = False
    for match in LEXEME.finditer(text):
        sign = "-" if negate_next else match.group("sign")
        negate_next = False
        name = (match.group("field") or "").lower()
        if name in FILTER_FIELDS:
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if value and value.strip():
                target = plan.excluded_filters if sign == "-" else plan.filters
                target.setdefault(name, []).append(value.strip())
            continue
        if match.group("phrase") is not None:
            phrase = match.group("phrase").strip()
            if phrase:
                {"-": plan.excluded, "+": plan.required}.get(sign, plan.phrases).append(phrase)
            continue
        word = match.group(0)[1:] if match.group("sign") else match.group(0)
        if word == "NOT":
            negate_next = True
            continue
        if sign == "-":
            plan.excluded.append(word)
        elif sign == "+":
            plan.required.append(word)
        elif word.endswith("*") and len(word.rstrip("*")) >= 2:
            plan.prefixes.append(word.rstrip("*"))
        elif word.endswith("~") and len(word.rstrip("~")) >= 3:
            plan.fuzzy.append(word.rstrip("~"))
        else:
            plan.words.append(word)
    return plan


@dataclass
class Lexicon:
    """What query building knows about the indexed text."""

    glossary: Glossary
    speller: SpellingCorrector
    indexed_stems: frozenset[str]
    taxonomy: Taxonomy
    synonyms: tuple[tuple[tuple[str, ...], ...], ...] = ()
    stems_by_prefix: dict[str, list[str]] = field(default_factory=dict)

    def family(self, s: str) -> list[str]:
        """Return other indexed stems that extend s ("budget" → "budgetari")."""
        if len(s) < 5:
            return []
        return [t for t in self.stems_by_prefix.get(s[:5], []) if t != s and t.startswith(s)][:MAX_FAMILY]


@dataclass
class CompiledQuery:
    """A Whoosh query with what to highlight, spelling corrections and filters."""

    query: wq.Query | None
    highlight: HighlightTerms
    corrected: str | None
    filters: dict[str, list[str]]
    excluded_filters: dict[str, list[str]]


def field_terms(s: str) -> list[wq.Query]:
    """Return a stem's term in every searchable field, boosted by field weight."""
    return [wq.Term(name, s, boost=boost) for name, boost in FIELD_BOOSTS.items()]


def phrase_query(seq: tuple[str, ...], boost: float = 1.0, slop: int = 1) -> wq.Query:
    """Return a query for a stem sequence in the text, title and aliases.

    Whoosh's slop counts positions, so 1 means "adjacent", the tightest there is.
    """
    if len(seq) == 1:
        return wq.Or([wq.Term("text", seq[0]), wq.Term("title", seq[0], boost=2.0)], boost=boost)
    return wq.Or(
        [
            wq.Phrase("text", list(seq), slop=slop),
            wq.Phrase("title", list(seq), slop=slop, boost=2.0),
            wq.Phrase("aliases", list(seq), slop=slop, boost=0.8),
        ],
        boost=boost,
    )


class QueryCompiler:
    """Build the Whoosh query for a plan against a lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def correct_words(self, text: str, words: list[str]) -> tuple[list[str], str | None]:
        """Replace words the index has never seen with the report's nearest word."""
        replacements: dict[str, str] = {}
        fixed = []
        for word in words:
            parts = []
            for tok in tokens(word):
                better = None
                if not self.lex.glossary.lookup(tok.word):
                    better = self.lex.speller.correct(tok.word)
                if better and tok.stem in self.lex.indexed_stems and stem(better) != tok.stem:
                    better = None  # an inflection the report does not use, not a typo
                if better:
                    replacements[tok.word] = better
                parts.append(better or tok.word)
            fixed.append(" ".join(parts) if parts else word)
        if not replacements:
            return fixed, None
        corrected = TOKEN.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), text)
        return fixed, " ".join(corrected.split())

    def compile(self, text: str, plan: QueryPlan) -> CompiledQuery:
        """Compile a parsed query."""
        words, corrected = self.correct_words(text, plan.words)
        optional: list[wq.Query] = []
        marks: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        word_stems: list[str] = []
        for word in words:
            seq = tuple(stems(word))
            if len(seq) > 1:  # "pan-London", "work-life": a compound is a phrase
                optional.append(phrase_query(seq, boost=1.5))
            for s in seq:
                optional.append(wq.Or(field_terms(s)))
                marks.add(s)
                word_stems.append(s)
                for other in self.lex.family(s):
                    optional.append(wq.Term("text", other, boost=FAMILY_BOOST))
                    marks.add(other)
            if NUMBER.match(word):
                optional.append(wq.Term("number", word.lower(), boost=3.0))
        for phrase in plan.phrases:
            seq = tuple(stems(phrase))
            if seq:
                optional.append(phrase_query(seq, boost=3.0))
                phrases.append(seq)
        optional += self.proximity(word_stems)
        optional += self.expansions(words + plan.phrases, marks, phrases)
        for prefix in plan.prefixes:
            low = prefix.lower()
            optional.append(wq.Or([wq.Prefix("text", low), wq.Prefix("title", low, boost=2.0)]))
            marks.update(t for t in self.lex.indexed_stems if t.startswith(low))
        for word in plan.fuzzy:
            s = stem(word.lower())
            optional.append(
                wq.Or(
                    [
                        wq.FuzzyTerm("text", s, maxdist=2, prefixlength=1),
                        wq.FuzzyTerm("title", s, maxdist=2, prefixlength=1),
                    ]
                )
            )
            marks.add(s)
        for id_like in (text.strip(),):
            if ENTRY_ID.match(id_like):
                optional.append(wq.Term("id", id_like, boost=10.0))
        required = []
        for item in plan.required:
            seq = tuple(stems(item))
            if seq:
                required.append(phrase_query(seq))
                phrases.append(seq) if len(seq) > 1 else marks.add(seq[0])
        excluded = [phrase_query(tuple(stems(item))) for item in plan.excluded if stems(item)]
        theme = self.theme_clause(words)
        if theme is not None and optional:
            optional.append(theme)
        query = combine(optional, required, excluded)
        return CompiledQuery(
            query,
            HighlightTerms(frozenset(marks), tuple(phrases)),
            corrected,
            plan.filters,
            plan.excluded_filters,
        )

    def proximity(self, seq: list[str]) -> list[wq.Query]:
        """Reward entries where the words stand together, as typed."""
        if len(seq) < 2 or len(seq) > 8:
            return []
        out = [phrase_query(tuple(seq), boost=PHRASE_BOOST, slop=2)]
        if len(seq) > 2:
            out += [
                phrase_query((a, b), boost=BIGRAM_BOOST, slop=1) for a, b in zip(seq, seq[1:], strict=False)
            ]
        return out

    def expansions(self, items: list[str], marks: set[str], phrases: list) -> list[wq.Query]:
        """Add acronyms' expansions, expansions' acronyms and synonyms of the query."""
        out: list[wq.Query] = []
        seq = tuple(s for item in items for s in stems(item))
        for item in items:
            for tok in tokens(item):
                acronym = self.lex.glossary.lookup(tok.word)
                if acronym and acronym.expansion_stems:
                    out.append(phrase_query(acronym.expansion_stems, boost=ACRONYM_BOOST, slop=1))
                    phrases.append(acronym.expansion_stems)
        for acronym in self.lex.glossary.expansions_in(seq):
            out.append(
                wq.Or(
                    [
                        wq.Term("text", acronym.key, boost=ACRONYM_BOOST),
                        wq.Term("title", acronym.key, boost=ACRONYM_BOOST),
                    ]
                )
            )
            marks.add(acronym.key)
        for group in self.lex.synonyms:
            if any(contains(seq, phrase) for phrase in group):
                for phrase in group:
                    if not contains(seq, phrase):
                        out.append(phrase_query(phrase, boost=SYNONYM_BOOST))
                        phrases.append(phrase) if len(phrase) > 1 else marks.add(phrase[0])
        return out

    def theme_clause(self, words: list[str]) -> wq.Query | None:
        """Match entries tagged with a theme when the query names exactly that theme."""
        slugs = self.lex.taxonomy.matching_themes(" ".join(words))
        if not slugs:
            return None
        return wq.Or([wq.ConstantScoreQuery(wq.Term("themes", s), THEME_SCORE) for s in slugs])


def contains(seq: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Tell whether a stem phrase occurs in a stem sequence."""
    n = len(phrase)
    return any(seq[i : i + n] == phrase for i in range(len(seq) - n + 1))


def combine(optional: list, required: list, excluded: list) -> wq.Query | None:
    """Join optional, required and excluded clauses; None means "every entry"."""
    if required:
        core = wq.And(required)
        query = wq.AndMaybe(core, wq.Or(optional)) if optional else core
    elif optional:
        query = wq.Or(optional)
    else:
        query = None
    if excluded:
        query = wq.AndNot(query or wq.Every(), wq.Or(excluded))
    return query
