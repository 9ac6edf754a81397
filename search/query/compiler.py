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
from dataclasses import dataclass, field

from whoosh import query as wq

from search.index.schema import FIELD_BOOSTS
from search.query.corrections import Corrector
from search.query.lexicon import Lexicon
from search.query.limits import MAX_ACRONYMS, MAX_ALTERNATIVES, MAX_EXPANSIONS, MAX_OPERATORS, MAX_WORDS
from search.query.syntax import QueryPlan
from search.query.understanding import QueryReader, Understanding
from search.text.analysis import contains, stem, stems, word_tokens
from search.text.highlight import HighlightTerms

NUMBER = re.compile(r"^\d+(?:\.\d+)?[a-z]?$")
ENTRY_ID = re.compile(r"^[a-z]+(?:-[a-z0-9.]+)+$")
PHRASE_BOOST = 2.0
BIGRAM_BOOST = 0.6
ACRONYM_BOOST = 1.0
SYNONYM_BOOST = 0.6
LAY_BOOST = 1.0
EXPANSION_WORD_BOOST = 0.2
FAMILY_BOOST = 0.3
THEME_SCORE = 1.0
FUZZY_BOOST = 0.5
COMMON_ACRONYM_SHARE = 0.1


@dataclass(frozen=True)
class Clause:
    """One part of a query's score, and why it is there ("word 'disclosure'", "acronym IQA")."""

    reason: str
    query: wq.Query


@dataclass
class CompiledQuery:
    """A Whoosh query with its clauses, what to highlight, corrections and filters."""

    query: wq.Query | None
    highlight: HighlightTerms
    corrected: str | None
    filters: dict[str, list[str]]
    excluded_filters: dict[str, list[str]]
    clauses: tuple[Clause, ...] = ()
    required: tuple[Clause, ...] = ()
    understanding: Understanding = field(default_factory=Understanding)


def text_and_title(s: str) -> list[wq.Query]:
    """Return a stem's term in the text and the title."""
    return [wq.Term("text", s), wq.Term("title", s, boost=FIELD_BOOSTS["title"])]


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
        self.reader = QueryReader(lexicon)
        self.corrector = Corrector(lexicon)

    def compile(self, text: str, plan: QueryPlan) -> CompiledQuery:
        """Compile a parsed query: read what it asks for, then build its clauses."""
        understanding = self.reader.read(plan.words)
        kept = understanding.words[:MAX_WORDS]
        correction = self.corrector.correct(text, [w.text for w in kept])
        # A correction replaces a word in place, so each word keeps its topicality.
        words = correction.words
        said = tuple(s for word in understanding.said for s in stems(word))
        lay = self.lay_phrase_stems(said)
        topical = {
            word
            for word, w in zip(words, kept, strict=True)
            if w.topical and not (set(stems(word)) and set(stems(word)) <= lay)
        }
        clauses: list[Clause] = []
        marks: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        word_stems: list[str] = []
        for word in words:
            seq = tuple(stems(word))
            if len(seq) > 1:  # "pan-London", "work-life": a compound is a phrase
                clauses.append(Clause(f"compound {word!r}", phrase_query(seq, boost=1.5)))
            for s in seq:
                word_stems.append(s)
                marks.add(s)
                if word not in topical:
                    continue  # a word with no topic here counts only beside the others
                clauses.append(Clause(f"word {word!r}", wq.Or(field_terms(s))))
                for other in self.lex.family(s):
                    clauses.append(
                        Clause(
                            f"{other!r}, of the family of {word!r}",
                            wq.Term("text", other, boost=FAMILY_BOOST),
                        )
                    )
                    marks.add(other)
            if NUMBER.match(word):
                clauses.append(Clause(f"number {word}", wq.Term("number", word.lower(), boost=3.0)))
        for word in correction.alternatives:
            clauses.append(
                Clause(
                    f"{word!r}, the nearest report word", wq.Or(field_terms(stem(word)), boost=FUZZY_BOOST)
                )
            )
            marks.add(stem(word))
        for phrase in plan.phrases[:MAX_OPERATORS]:
            seq = tuple(stems(phrase))[:MAX_WORDS]
            if seq:
                clauses.append(Clause(f"phrase {phrase!r}", phrase_query(seq, boost=3.0)))
                phrases.append(seq)
        clauses += self.proximity(word_stems)
        clauses += self.expansions(words + plan.phrases, marks, phrases, said)
        clauses += self.operators(plan, text, marks)
        required = []
        for item in plan.required[:MAX_WORDS]:
            seq = tuple(stems(item))[:MAX_WORDS]
            if seq:
                required.append(Clause(f"required {item!r}", phrase_query(seq)))
                phrases.append(seq) if len(seq) > 1 else marks.add(seq[0])
        excluded = [
            phrase_query(tuple(stems(item))[:MAX_WORDS]) for item in plan.excluded[:MAX_WORDS] if stems(item)
        ]
        theme = self.theme_clause(words, scoped=bool(understanding.areas))
        if theme is not None and clauses:
            clauses.append(theme)
        clauses = distinct(clauses)
        query = combine([c.query for c in clauses], [c.query for c in required], excluded)
        if query is None and (understanding.areas or understanding.kinds):
            # Only an Area or a kind was named: every entry in scope, ranked by subject.
            clauses.append(Clause("every entry about what the query names", wq.Every()))
            query = wq.Every()
        return CompiledQuery(
            query,
            HighlightTerms(frozenset(marks), tuple(phrases)),
            correction.corrected,
            plan.filters,
            plan.excluded_filters,
            tuple(clauses),
            tuple(required),
            understanding,
        )

    def lay_phrase_stems(self, said: tuple[str, ...]) -> set[str]:
        """Return the stems of the lay phrases of several words a query holds.

        Taken apart, such words mean something else in the report ("learning
        difficulties" is not "learning and development"): they count only together,
        and through the report's own words for the phrase.
        """
        found: set[str] = set()
        for phrase, source, report, _ in self.lex.groups_in(said):
            if source == "lay" and len(phrase) > 1:
                # A word that is itself one of the report's words for the phrase
                # ("disclosure" in "disclosure failures") keeps its sense.
                found.update(set(phrase) - {words[0] for words in report if len(words) == 1})
        return found

    def operators(self, plan: QueryPlan, text: str, marks: set[str]) -> list[Clause]:
        """Return the clauses of prefixes (disclos*), fuzzy words (disclosure~) and an entry id."""
        out = []
        # Each stands for the report's own words it reaches, a bounded number of them, and
        # a query holds a bounded number of them: its cost stays bounded whatever it holds.
        for prefix in plan.prefixes[:MAX_OPERATORS]:
            low = prefix.lower()
            terms = self.lex.starting_with(low, MAX_EXPANSIONS)
            if terms:
                out.append(
                    Clause(f"words starting {low!r}", wq.Or([t for s in terms for t in text_and_title(s)]))
                )
                marks.update(terms)
        for word in plan.fuzzy[:MAX_OPERATORS]:
            terms = self.lex.near(stem(word.lower()), MAX_EXPANSIONS)
            if terms:
                out.append(
                    Clause(f"words near {word!r}", wq.Or([t for s in terms for t in text_and_title(s)]))
                )
                marks.update(terms)
        if ENTRY_ID.match(text.strip()):
            out.append(Clause(f"id {text.strip()}", wq.Term("id", text.strip(), boost=10.0)))
        return out

    def proximity(self, seq: list[str]) -> list[Clause]:
        """Reward entries where the words stand together, as typed."""
        if len(seq) < 2 or len(seq) > 8:
            return []
        out = [
            Clause(f"words together: {' '.join(seq)}", phrase_query(tuple(seq), boost=PHRASE_BOOST, slop=2))
        ]
        if len(seq) > 2:
            out += [
                Clause(f"pair: {a} {b}", phrase_query((a, b), boost=BIGRAM_BOOST, slop=1))
                for a, b in zip(seq, seq[1:], strict=False)
            ]
        return out

    def expansions(
        self, items: list[str], marks: set[str], phrases: list, said: tuple[str, ...] = ()
    ) -> list[Clause]:
        """Add acronyms' expansions, expansions' acronyms, synonyms and the report's words for lay words.

        Synonyms and lay phrases are read in the words as said (`said`, stems), question
        words included, and in the phrases typed.
        """
        out: list[Clause] = []
        seq = tuple(s for item in items for s in stems(item))
        expanded: set[str] = set()
        for item in items:
            for tok in word_tokens(item):
                acronym = self.lex.glossary.lookup(tok.word)
                # An acronym in a good share of the entries ("CPS") is the report's everyday
                # word: its spelled-out form would only add noise.
                common = self.lex.words.share(tok.stem) > COMMON_ACRONYM_SHARE
                # Each acronym is spelled out once, and only the first few are.
                fresh = acronym is not None and acronym.key not in expanded and len(expanded) < MAX_ACRONYMS
                if fresh and acronym.expansion_stems and not common:
                    expanded.add(acronym.key)
                    why = f"acronym {acronym.acronym}: {acronym.expansion}"
                    out.append(
                        Clause(why, phrase_query(acronym.expansion_stems, boost=ACRONYM_BOOST, slop=1))
                    )
                    phrases.append(acronym.expansion_stems)
                    # The expansion's words, loosely: entries on the same subject that
                    # use neither form ("quality of police files" for NFS) still surface.
                    loose = [wq.Term("text", s, boost=EXPANSION_WORD_BOOST) for s in acronym.expansion_stems]
                    out.append(Clause(f"words of {acronym.acronym}'s expansion", wq.Or(loose)))
        for acronym in self.lex.glossary.expansions_in(seq):
            query = wq.Or([wq.Term(name, acronym.key, boost=ACRONYM_BOOST) for name in ("text", "title")])
            out.append(Clause(f"acronym of {acronym.expansion!r}: {acronym.acronym}", query))
            marks.add(acronym.key)
        added: set[tuple[tuple[str, ...], ...]] = set()
        spoken = (said, seq)
        alternatives_at = len(out)
        for _, source, alternatives, _ in self.lex.groups_in(said) + self.lex.groups_in(seq):
            if alternatives in added or len(out) - alternatives_at >= MAX_ALTERNATIVES:
                continue
            added.add(alternatives)
            if source == "synonym":
                out += self.alternatives(alternatives, spoken, "synonym", SYNONYM_BOOST, marks, phrases)
            else:
                why = "the report's word for a lay word"
                out += self.alternatives(alternatives, spoken, why, LAY_BOOST, marks, phrases)
        return out

    @staticmethod
    def alternatives(group, held, why: str, boost: float, marks: set[str], phrases: list) -> list[Clause]:
        """Return weaker clauses for the phrases of a group that none of the `held` stem sequences holds."""
        out = []
        for phrase in group:
            if not any(contains(seq, phrase) for seq in held):
                out.append(Clause(f"{why}: {' '.join(phrase)}", phrase_query(phrase, boost=boost)))
                phrases.append(phrase) if len(phrase) > 1 else marks.add(phrase[0])
        return out

    def theme_clause(self, words: list[str], scoped: bool = False) -> Clause | None:
        """Match entries tagged with a theme when the query names exactly that theme.

        Within one Area (`scoped`) the theme a query's words signal counts too: there
        its few entries on the subject ("north east leadership") may use other words.
        """
        text = " ".join(words)
        slugs = self.lex.taxonomy.matching_themes(text)
        if scoped:
            slugs = tuple(dict.fromkeys(slugs + self.lex.taxonomy.tag(text)))
        if not slugs:
            return None
        query = wq.Or([wq.ConstantScoreQuery(wq.Term("themes", s), THEME_SCORE) for s in slugs])
        return Clause(f"theme {', '.join(slugs)}", query)


def distinct(clauses: list[Clause]) -> list[Clause]:
    """Return the clauses without repeats: a word or an acronym said twice is searched for once."""
    first: dict[tuple[str, wq.Query], Clause] = {}
    for clause in clauses:
        # Keyed by the text first: Whoosh's hashes of similar Or queries collide.
        first.setdefault((repr(clause.query), clause.query), clause)
    return list(first.values())


def combine(optional: list, required: list, excluded: list) -> wq.Query | None:
    """Join the clauses; None means "every entry"."""
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
