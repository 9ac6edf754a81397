"""One route from a request to what is searched: `prepare(request) → PreparedQuery`.

    syntax → read → correct → compile (with the expanders) → answer → adjust

Search, explain, downloads and the tests' Whoosh oracle all start from a
`PreparedQuery`, so no step is written twice. Every part that can be switched off
(`search.query.parts`) is switched here, from the same `Switches`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.models import Answer, SearchRequest
from search.query.answers import Answerer
from search.query.compiler import MAX_WORDS, CompiledQuery, QueryCompiler
from search.query.corrections import Correction, Corrector
from search.query.lexicon import Lexicon
from search.query.parts import ALL_ON, Switches
from search.query.priors import Adjustments, PriorTable
from search.query.syntax import QueryPlan, parse_query
from search.query.understanding import QueryReader, Understanding


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


class QueryPipeline:
    """The query stage of one build: its reader, corrector, compiler, answerer and priors.

    `quantities(understanding)` gives, for a "how many" question, the documents that
    give a number of its topic (it needs the build's postings, so the searcher lends it).
    """

    def __init__(
        self,
        lexicon: Lexicon,
        answerer: Answerer,
        priors: PriorTable,
        by_id: dict[str, int],
        quantities: Callable[[Understanding], tuple[int, ...]] = lambda u: (),
    ):
        self.lex = lexicon
        self.reader = QueryReader(lexicon)
        self.corrector = Corrector(lexicon)
        self.compiler = QueryCompiler(lexicon)
        self.answerer = answerer
        self.priors = priors
        self.by_id = by_id
        self.quantities = quantities

    def prepare(self, request: SearchRequest, switches: Switches = ALL_ON) -> PreparedQuery:
        """Read, correct, compile, answer and adjust a request's query."""
        plan = parse_query(request.q)
        understanding = self.reader.read(plan.words, switches)
        correction = self.correct(plan, understanding, switches)
        compiled = self.compiler.compile(plan, understanding, correction, switches)
        answer = self.answerer.answer(understanding)
        answered = self.answered(answer) if switches.on("answer-rows") else ()
        quantities = self.quantities(understanding) if switches.on("quantities") else ()
        counted = self.counted(answer)
        adjustments = self.priors.adjust(understanding, answered, quantities, switches, counted)
        return PreparedQuery(request, plan, understanding, compiled, answer, answered, adjustments, switches)

    def correct(self, plan: QueryPlan, understanding: Understanding, switches: Switches) -> Correction:
        """Correct the words to search for, unless spelling is off."""
        words = [w.text for w in understanding.words[:MAX_WORDS]]
        if not switches.on("spelling"):
            return Correction(words)
        return self.corrector.correct(plan.text, words)

    def counted(self, answer: Answer | None) -> tuple[int, ...]:
        """Return the entries a count counted (none for other answers)."""
        if not answer or answer.kind != "count":
            return ()
        return tuple(self.by_id[i] for i in answer.entry_ids)

    def answered(self, answer: Answer | None) -> tuple[int, ...]:
        """Return the documents an answer from the scores rests on (none for counts)."""
        if not answer or answer.kind != "ratings":
            return ()
        return tuple(self.by_id[i] for i in answer.entry_ids)
