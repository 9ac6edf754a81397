"""Expansions: what a query's parts add around its words, each a small part with one job.

Like Whoosh's qparser plugins, each expander has a name (`search.query.parts`), reads
the same `QueryWords` and returns an `Expansion` — its clauses, the words and phrases
snippets should mark — without touching anything shared; the compiler gathers the
expansions of the parts that are on. None of them touches an index.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.query.clauses import Clause, Expansion, phrase_query, theme_query
from search.query.lexicon import Lexicon
from search.query.limits import MAX_ACRONYMS, MAX_ALTERNATIVES
from search.query.nodes import Or, Term
from search.query.parts import Switches
from search.text.analysis import contains, stems
from search.text.glossary import acronym_tokens

PHRASE_BOOST = 2.0
BIGRAM_BOOST = 0.6
ACRONYM_BOOST = 1.0
LAY_BOOST = 1.0
EXPANSION_WORD_BOOST = 0.2
# An acronym in at most this share of the entries is rare: its expansion's words find its subject.
RARE_ACRONYM_SHARE = 0.01
# Proximity is measured over at most this many words: beyond, "together" means little.
PROXIMITY_WORDS = 8


@dataclass(frozen=True)
class QueryWords:
    """What every expander reads: the words to search for and how the query said them."""

    words: tuple[str, ...]  # as searched for, corrections applied
    topical: frozenset[str]  # the words (of `words`) that carry the topic
    stems: tuple[str, ...]  # every word's stems, in order
    said: tuple[str, ...] = ()  # stems of the words as said, question words included
    phrases: tuple[str, ...] = ()  # "quoted phrases", as typed
    scoped: bool = False  # the query names an Area
    switches: Switches = Switches()

    @property
    def items(self) -> tuple[str, ...]:
        """The words and the quoted phrases."""
        return self.words + self.phrases

    @property
    def item_stems(self) -> tuple[str, ...]:
        """The stems of the words and the quoted phrases, in order."""
        return tuple(s for item in self.items for s in stems(item))


class Acronyms:
    """An acronym also finds its expansion (and the expansion's words, loosely); an expansion, its acronym."""

    name = "acronyms"

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def expand(self, q: QueryWords) -> Expansion:
        clauses, phrases, marks = [], [], set()
        expanded: set[str] = set()
        for item in q.items:
            for tok in acronym_tokens(item):
                acronym = self.lex.acronym(tok.word)
                # Each acronym is spelled out once, and only the first few are.
                if acronym is None or acronym.key in expanded or len(expanded) >= MAX_ACRONYMS:
                    continue
                expanded.add(acronym.key)
                if acronym.expansion_stems:
                    # Marked wherever it stands, also where the acronym is found as the alias of
                    # an entry spelling it out: a snippet shows why the entry matched.
                    phrases.append(acronym.expansion_stems)
                # An acronym the index holds finds itself (in the text, or as the alias of an
                # entry spelling it out); only one it has nowhere (a reader's "QC", "RUI") is
                # searched for in the report's words for it.
                indexed = tok.stem in self.lex.indexed_stems
                if indexed and not (
                    q.switches.on("acronym-words")
                    and self.lex.spread.get(tok.stem, 0.0) <= RARE_ACRONYM_SHARE
                ):
                    continue
                if acronym.expansion_stems and not indexed:
                    why = f"acronym {acronym.acronym}: {acronym.expansion}"
                    clauses.append(
                        Clause(why, phrase_query(acronym.expansion_stems, boost=ACRONYM_BOOST, slop=1))
                    )
                if acronym.expansion_stems:
                    # The expansion's words, loosely: entries on the same subject that
                    # use neither form ("quality of police files" for NFS) still surface.
                    loose = tuple(
                        Term("text", s, boost=EXPANSION_WORD_BOOST) for s in acronym.expansion_stems
                    )
                    clauses.append(Clause(f"words of {acronym.acronym}'s expansion", Or(loose)))
                    marks |= set(acronym.expansion_stems)
                if acronym.related:
                    # A reader's acronym also finds the report's wider words for what it names.
                    related = tuple(tuple(stems(p)) for p in acronym.related)
                    found = alternatives(
                        related, (q.item_stems,), f"the report's words for {acronym.acronym}", LAY_BOOST
                    )
                    clauses += found.clauses
                    phrases += found.phrases
                    marks |= found.marks
        for acronym in self.lex.glossary.expansions_in(q.item_stems):
            query = Or(tuple(Term(name, acronym.key, boost=ACRONYM_BOOST) for name in ("text", "title")))
            clauses.append(Clause(f"acronym of {acronym.expansion!r}: {acronym.acronym}", query))
            marks.add(acronym.key)
        return Expansion(tuple(clauses), frozenset(marks), tuple(phrases))


def alternatives(group, held, why: str, boost: float) -> Expansion:
    """Return weaker clauses for the phrases of a group that none of the `held` stem sequences holds."""
    clauses, marks, phrases = [], set(), []
    for phrase in group:
        if not any(contains(seq, phrase) for seq in held):
            clauses.append(Clause(f"{why}: {' '.join(phrase)}", phrase_query(phrase, boost=boost)))
            phrases.append(phrase) if len(phrase) > 1 else marks.add(phrase[0])
    return Expansion(tuple(clauses), frozenset(marks), tuple(phrases))


def merge(expansions: list[Expansion]) -> Expansion:
    """Return several expansions as one, in order."""
    return Expansion(
        tuple(c for e in expansions for c in e.clauses),
        frozenset(m for e in expansions for m in e.marks),
        tuple(p for e in expansions for p in e.phrases),
    )


class LayWords:
    """A reader's words ("barristers") also find the report's words for the same thing ("counsel").

    Read in the words as said, question words included, and in the phrases typed. Each
    group belongs to a family (`lay-words:money`), which can be switched off on its own.
    """

    name = "lay-words"

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def weakened(self, q: QueryWords) -> set[str]:
        """Return the stems of the lay phrases of several words a query holds.

        Taken apart, such words mean something else in the report ("learning
        difficulties" is not "learning and development"): they count mostly together,
        through the report's own words for the phrase.
        """
        found: set[str] = set()
        for phrase, report in self.lex.lay_groups(q.said, q.switches):
            if len(phrase) > 1:
                # A word that is itself one of the report's words for the phrase
                # ("disclosure" in "disclosure failures") keeps its sense.
                found.update(set(phrase) - {words[0] for words in report if len(words) == 1})
        return found

    def expand(self, q: QueryWords) -> Expansion:
        seq = q.item_stems
        found, seen = [], set()
        for _, report in self.lex.lay_groups(q.said, q.switches) + self.lex.lay_groups(seq, q.switches):
            if sum(len(e.clauses) for e in found) >= MAX_ALTERNATIVES:
                break  # the report's words a query adds are bounded, however many lay words it holds
            if report not in seen:
                seen.add(report)
                found.append(
                    alternatives(report, (q.said, seq), "the report's word for a lay word", LAY_BOOST)
                )
        return merge(found)


class Proximity:
    """Entries where the words stand together, as typed, rank higher: the whole run, and each pair.

    Words the report never uses stand nowhere: they are left out of the run, so a word
    that finds nothing changes nothing.
    """

    name = "proximity"

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def expand(self, q: QueryWords) -> Expansion:
        seq = [s for s in q.stems if s in self.lex.indexed_stems]
        if len(seq) < 2 or len(seq) > PROXIMITY_WORDS:
            return Expansion()
        clauses = [
            Clause(f"words together: {' '.join(seq)}", phrase_query(tuple(seq), boost=PHRASE_BOOST, slop=2))
        ]
        if len(seq) > 2:
            clauses += [
                Clause(f"pair: {a} {b}", phrase_query((a, b), boost=BIGRAM_BOOST, slop=1))
                for a, b in zip(seq, seq[1:], strict=False)
            ]
        return Expansion(tuple(clauses))


class ThemeSignals:
    """A query naming a theme outright also finds the entries tagged with it.

    Within one Area (`scoped`) the theme a query's words signal counts too: there its
    few entries on the subject ("north east leadership") may use other words. Elsewhere
    (`lift`) the themes the words signal lift the entries the words find that are tagged
    with them, and bring in none of their own: of the entries holding "available
    witnesses", those about witnesses rank above one about resources available in-house.
    The words signal a theme by its signal phrases and (`theme-readers`) by the everyday
    words readers use for its subject: "burnout" signals staff wellbeing.
    """

    name = "theme-signals"
    lift_name = "theme-lift"
    readers_name = "theme-readers"

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def expand(self, q: QueryWords, lift: bool = True) -> Expansion:
        text = " ".join(q.words)
        taxonomy = self.lex.taxonomy
        named = taxonomy.matching_themes(text)
        readers = q.switches.on(self.readers_name)
        found = taxonomy.signalled(text, readers) if q.scoped or lift else {}
        signalled = tuple(s for s in found if s not in named)
        finding, lifting = (named + signalled, ()) if q.scoped else (named, signalled)
        clauses = []
        if finding:
            themes = ", ".join(self.said(slug, () if slug in named else found[slug], q) for slug in finding)
            clauses.append(Clause(f"theme {themes}", theme_query(finding), theme=True))
        if lifting:
            themes = ", ".join(self.said(slug, found[slug], q) for slug in lifting)
            reason = f"theme the words signal: {themes}"
            clauses.append(Clause(reason, theme_query(lifting), only_scores=True, theme=True))
        return Expansion(tuple(clauses))

    @staticmethod
    def said(slug: str, phrases: tuple[tuple[str, ...], ...], q: QueryWords) -> str:
        """Name a theme with the query's words that signal it: "value-for-money (overspending)";
        a theme named outright is named alone."""
        signal = {s for phrase in phrases for s in phrase}
        words = [w for w in q.words if (own := stems(w)) and set(own) <= signal]
        return f"{slug} ({' '.join(dict.fromkeys(words))})" if words else slug
