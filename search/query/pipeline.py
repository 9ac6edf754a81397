"""One route from a request to what is searched: `prepare(request) → PreparedQuery`.

    syntax → read → correct → compile (with the expanders) → answer → adjust

Search, explain, downloads and the tests' Whoosh oracle all start from a
`PreparedQuery`, so no step is written twice. Every part that can be switched off
(`search.query.parts`) is switched here, from the same `Switches`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from search.models import Answer, SearchRequest
from search.query.adjustments import Adjuster, Adjustments
from search.query.answers import Answerer
from search.query.clauses import Clause, entries_query
from search.query.compiler import MAX_WORDS, CompiledQuery, QueryCompiler
from search.query.corrections import Correction, Corrector, rewrite
from search.query.lexicon import Lexicon
from search.query.nodes import AndNot, Or
from search.query.parts import ALL_ON, Switches
from search.query.syntax import QueryPlan, parse_query
from search.query.understanding import QueryReader, Understanding
from search.text.analysis import stems

# The report's words named for one reader's word, at most: enough to say what was searched.
MAX_REWORDED = 4
# Why a query with text but no word to search for finds nothing (`nothing_to_search`).
NOTHING_SEARCHED = (
    "the query holds no word to search for on its own, only words too common or too short "
    "(the, of, x) or a question's frame, so nothing was searched"
)


@dataclass(frozen=True)
class PreparedQuery:
    """A request read, compiled, answered and adjusted: everything a search runs on."""

    request: SearchRequest
    plan: QueryPlan
    understanding: Understanding
    compiled: CompiledQuery
    answer: Answer | None
    answered: tuple[int, ...]
    adjustments: Adjustments
    switches: Switches = ALL_ON
    correction: Correction | None = None
    missing: tuple[str, ...] = ()
    # Words the report never uses that were searched as the report's words for them.
    reworded: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Text typed, but no word to search for (`nothing_to_search`): only an answer, or nothing.
    wordless: bool = False
    # Places named that the report names too ("Leicester"): the entries naming them are in scope.
    named_places: tuple[str, ...] = ()

    @property
    def answer_only(self) -> bool:
        """Tell whether only an answer was asked for ("best area"): its entries are the results."""
        return self.wordless and self.answer is not None

    @property
    def finds_nothing(self) -> bool:
        """Tell whether the query has no word to search for and no answer: it finds nothing."""
        return self.wordless and self.answer is None

    @property
    def nothing_searched(self) -> bool:
        """Tell whether the query finds nothing for want of a word to search, not for a word
        the report never uses (which is said to be missing)."""
        return self.finds_nothing and not self.missing


class QueryPipeline:
    """The query stage of one build: its reader, corrector, compiler, answerer and adjuster.

    `quantities(understanding)` gives, for a "how many" question, the documents that
    give a number of its topic (it needs the build's postings, so the searcher lends it).
    """

    def __init__(
        self,
        lexicon: Lexicon,
        answerer: Answerer,
        adjuster: Adjuster,
        by_id: dict[str, int],
        quantities: Callable[[Understanding], tuple[int, ...]] = lambda u: (),
        mentions: Callable[[str], int] = lambda name: 0,
    ):
        self.lex = lexicon
        self.reader = QueryReader(lexicon)
        self.corrector = Corrector(lexicon)
        self.compiler = QueryCompiler(lexicon)
        self.answerer = answerer
        self.adjuster = adjuster
        self.by_id = by_id
        self.quantities = quantities
        self.mentions = mentions

    def prepare(self, request: SearchRequest, switches: Switches = ALL_ON) -> PreparedQuery:
        """Read, correct, compile, answer and adjust a request's query."""
        if request.verbatim:
            switches = Switches(switches.off | {"spelling"})
        plan = parse_query(request.q)
        understanding = self.reader.read(plan.words, switches)
        correction = self.correct(plan, understanding, switches)
        if correction.replacements:
            understanding, correction = self.reread(plan, correction, switches)
        # The places named that the report itself names ("Leicester"), with the entries naming them.
        named = {name: docs for name, _ in understanding.places if (docs := self.mentions(name))}
        compiled = self.compiler.compile(plan, understanding, correction, switches, frozenset(named))
        answer = self.answerer.answer(understanding)
        answered = self.answered(answer) if switches.on("answer-rows") else ()
        compiled = self.bring_in_definition(compiled, answer, answered)
        quantities = self.quantities(understanding) if switches.on("quantities") else ()
        counted = self.counted(answer)
        adjustments = self.adjuster.adjust(understanding, answered, quantities, switches, counted, named)
        missing, reworded = self.unmatched(correction.words, switches)
        return PreparedQuery(
            request,
            plan,
            understanding,
            compiled,
            answer,
            answered,
            adjustments,
            switches,
            correction,
            missing,
            reworded,
            nothing_to_search(request, plan, compiled),
            tuple(named),
        )

    def unmatched(
        self, words: list[str], switches: Switches
    ) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
        """Return the words the report never uses: those missing, and those searched as
        something else, with what they were searched as.

        A reader's word that a lay phrase of the query stands for is searched as the report's
        words for it ("jury" → Crown Court); a reader's acronym the report never writes ("QC")
        as what it stands for and the report's words for it. A reader who quotes a result must
        not take either for the report's own. Any other such word is missing.
        """
        stemmed = {w: set(stems(w)) for w in words}
        foreign = [
            w
            for w, own in stemmed.items()
            # A word with no stems is too common or too short to search, unless it is an
            # acronym of letters an ampersand joins ("E&D"), which the report never writes.
            if (own and not own & self.lex.indexed_stems) or (not own and self.reader.joined_acronym(w))
        ]
        if not foreign:
            return (), ()  # the common case: every word is the report's own
        groups = [
            (set(phrase), report)
            for phrase, report in self.lex.lay_groups(tuple(s for w in words for s in stems(w)), switches)
        ]
        missing: list[str] = []
        reworded: dict[str, tuple[str, ...]] = {}
        for w in foreign:
            acronym = self.lex.acronym(w)
            if acronym:
                names = [acronym.expansion, *acronym.related] if switches.on("acronyms") else []
            else:
                names = [
                    n
                    for phrase, report in groups
                    if stemmed[w] & phrase
                    for n in self.lex.report_names(report)
                ]
                if not names:
                    missing.append(w)
            if names:
                reworded[w] = tuple(dict.fromkeys(names))[:MAX_REWORDED]
        return tuple(missing), tuple(reworded.items())

    def correct(self, plan: QueryPlan, understanding: Understanding, switches: Switches) -> Correction:
        """Correct the words to search for, unless spelling is off."""
        words = [w.text for w in understanding.words[:MAX_WORDS]]
        if not switches.on("spelling"):
            return Correction(words)
        return self.corrector.correct(plan.text, words)

    def reread(
        self, plan: QueryPlan, correction: Correction, switches: Switches
    ) -> tuple[Understanding, Correction]:
        """Read the query again as corrected: a corrected name is an Area or a place ("yorksire
        casework" scopes to Yorkshire and Humberside), a corrected question word frames it."""
        understanding = self.reader.read([rewrite(w, correction.replacements) for w in plan.words], switches)
        words = [w.text for w in understanding.words[:MAX_WORDS]]
        return understanding, replace(correction, words=words)

    @staticmethod
    def bring_in_definition(compiled: CompiledQuery, answer: Answer | None, answered: tuple) -> CompiledQuery:
        """Find the entries a definition comes from even where they do not hold the words
        (the framework's sub-criteria of "what counts as good leadership"): the answer rests
        on them. Not where the query requires or excludes words of its own."""
        if not answered or answer is None or answer.kind != "definition" or compiled.query is None:
            return compiled
        if compiled.required or isinstance(compiled.query, AndNot):
            return compiled
        clause = Clause("the definition the answer gives comes from it", entries_query(answer.defining))
        return replace(
            compiled, query=Or((compiled.query, clause.query)), clauses=(*compiled.clauses, clause)
        )

    def counted(self, answer: Answer | None) -> tuple[int, ...]:
        """Return the entries a count counted, or a ranking's leaders' (none for other answers)."""
        if not answer or answer.kind not in ("count", "ranking"):
            return ()
        return tuple(self.by_id[i] for i in answer.entry_ids)

    def answered(self, answer: Answer | None) -> tuple[int, ...]:
        """Return the documents an answer rests on: the scores rows of a ratings answer, the
        entries spelling out a term a definition gives (none for counts)."""
        if answer and answer.kind == "definition":
            return tuple(self.by_id[i] for i in answer.defining if i in self.by_id)
        if not answer or answer.kind != "ratings":
            return ()
        return tuple(self.by_id[i] for i in answer.entry_ids)


def nothing_to_search(request: SearchRequest, plan: QueryPlan, compiled: CompiledQuery) -> bool:
    """Tell whether a query holds text but nothing to search for.

    Words too common or too short to search for on their own ("the", "x"), or only a
    question's frame ("what is"), leave nothing to match. Only an empty query lists every
    entry; such a query finds none, or it would pass the whole report off as matching it.
    A filter typed in the query ("area:wessex") still lists its entries. A word with no
    stems that the report never uses ("R&D") finds nothing too, and is said to be missing.
    """
    return (
        compiled.query is None and bool(request.q.strip()) and not plan.filters and not plan.excluded_filters
    )
