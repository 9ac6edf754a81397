"""Compile a parsed query (`search.query.syntax`) into a Whoosh query, without running it.

Plain words are OR-ed over weighted fields; entries that match more of them, match
them side by side or match them in the title rank higher. Around them the compiler
adds what it knows from the lexicon: acronyms and their expansions, synonyms, word
families, spelling corrections, the theme a query names, and the Areas and kinds of
entry it names (which lift the entries about them). Building a query touches no index,
so it is tested on its own; `search.query.engine` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq

from search.index.schema import FIELD_BOOSTS
from search.models import ANNEX_B_KINDS, KIND_LABELS
from search.query.lexicon import Lexicon
from search.query.syntax import QueryPlan
from search.text.analysis import TOKEN, stem, stems, tokens
from search.text.highlight import HighlightTerms

NUMBER = re.compile(r"^\d+(?:\.\d+)?[a-z]?$")
ENTRY_ID = re.compile(r"^[a-z]+(?:-[a-z0-9.]+)+$")
PHRASE_BOOST = 2.0
BIGRAM_BOOST = 0.6
ACRONYM_BOOST = 1.0
SYNONYM_BOOST = 0.6
EXPANSION_WORD_BOOST = 0.2
FAMILY_BOOST = 0.3
THEME_SCORE = 1.0
SUBJECT_SCORE = 30.0
# Up to this many words, a misspelt word is replaced and the correction reported; in a
# longer question an unknown word is more likely an ordinary word the report never uses,
# so its nearest report word is only added as a weak alternative.
CORRECT_UP_TO = 3
FUZZY_BOOST = 0.5
# Kinds a query can name in words ("good practice on victim letters").
KIND_PHRASES = {tuple(stems(KIND_LABELS[k])): k for k in ANNEX_B_KINDS}


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
        return wq.Or(
            [wq.Term("text", seq[0]), wq.Term("title", seq[0], boost=FIELD_BOOSTS["title"])], boost=boost
        )
    return wq.Or(
        [
            wq.Phrase("text", list(seq), slop=slop),
            wq.Phrase("title", list(seq), slop=slop, boost=FIELD_BOOSTS["title"]),
            wq.Phrase("aliases", list(seq), slop=slop, boost=0.8),
        ],
        boost=boost,
    )


class QueryCompiler:
    """Build the Whoosh query for a plan against a lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def correct_words(self, text: str, words: list[str]) -> tuple[list[str], list[str], str | None]:
        """Correct misspelt words; return the words, weak alternatives and the corrected query.

        A word counts as misspelt when the report never uses it and a report word is
        within an edit or two (an unused inflection of a known stem is left alone).
        """
        replacements: dict[str, str] = {}
        for word in words:
            for tok in tokens(word):
                if self.lex.glossary.lookup(tok.word):
                    continue
                better = self.lex.speller.correct(tok.word)
                if better and (tok.stem not in self.lex.indexed_stems or stem(better) == tok.stem):
                    replacements[tok.word] = better
        if not replacements:
            return words, [], None
        content = [t for word in words for t in tokens(word)]
        if len(content) > CORRECT_UP_TO:
            return words, list(replacements.values()), None
        fixed = [TOKEN.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), w) for w in words]
        corrected = TOKEN.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), text)
        return fixed, [], " ".join(corrected.split())

    def take_subjects(self, words: list[str]) -> tuple[list[str], list[str], list[str]]:
        """Take Area names and kinds of entry ("good practice") out of the words."""
        areas: list[str] = []
        kinds: list[str] = []
        used: set[int] = set()
        if self.lex.areas is not None and words:
            starts, pos = [], 0
            for word in words:
                starts.append(pos)
                pos += len(word) + 1
            for start, end, slugs in self.lex.areas.find(" ".join(words)):
                areas += [s for s in slugs if s and s not in areas]
                used.update(i for i, p in enumerate(starts) if start <= p < end)
        seq = [(i, t.stem) for i, w in enumerate(words) if i not in used for t in tokens(w)]
        stem_seq = tuple(s for _, s in seq)
        for phrase, kind in KIND_PHRASES.items():
            for j in range(len(stem_seq) - len(phrase) + 1):
                if stem_seq[j : j + len(phrase)] == phrase:
                    kinds.append(kind) if kind not in kinds else None
                    used.update(seq[k][0] for k in range(j, j + len(phrase)))
        return [w for i, w in enumerate(words) if i not in used], areas, kinds

    def compile(self, text: str, plan: QueryPlan) -> CompiledQuery:
        """Compile a parsed query."""
        words, areas, kinds = self.take_subjects(plan.words)
        words, alternatives, corrected = self.correct_words(text, words)
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
        for word in alternatives:
            optional.append(wq.Or(field_terms(stem(word)), boost=FUZZY_BOOST))
            marks.add(stem(word))
        for phrase in plan.phrases:
            seq = tuple(stems(phrase))
            if seq:
                optional.append(phrase_query(seq, boost=3.0))
                phrases.append(seq)
        optional += self.proximity(word_stems)
        optional += self.expansions(words + plan.phrases, marks, phrases)
        for prefix in plan.prefixes:
            low = prefix.lower()
            optional.append(
                wq.Or([wq.Prefix("text", low), wq.Prefix("title", low, boost=FIELD_BOOSTS["title"])])
            )
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
        query = combine(optional, required, excluded, subject_clause(areas, kinds))
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
                    # The expansion's words, loosely: entries on the same subject that
                    # use neither form ("quality of police files" for NFS) still surface.
                    out += [wq.Term("text", s, boost=EXPANSION_WORD_BOOST) for s in acronym.expansion_stems]
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


def subject_clause(areas: list[str], kinds: list[str]) -> wq.Query | None:
    """Match entries about the Areas and of the kinds a query names, with a fixed score."""
    parts = []
    if areas:
        parts.append(wq.Or([wq.ConstantScoreQuery(wq.Term("areas", a), SUBJECT_SCORE) for a in areas]))
    if kinds:
        parts.append(wq.Or([wq.ConstantScoreQuery(wq.Term("kind", k), SUBJECT_SCORE) for k in kinds]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def combine(
    optional: list, required: list, excluded: list, subject: wq.Query | None = None
) -> wq.Query | None:
    """Join the clauses; None means "every entry".

    A named subject (an Area, a kind of entry) lifts the entries about it above the
    rest rather than hiding the rest: "London North disclosure" ranks London North's
    entries on disclosure first, then other entries on disclosure.
    """
    if subject is not None:
        if optional:
            optional = [wq.Or([wq.And([subject, wq.Or(optional)]), wq.Or(optional)])]
        elif not required:
            optional = [subject]
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
