"""Answer search requests against one open index build.

`SearchIndex` puts the query stage together: the request's text is parsed
(`syntax`) and compiled (`compiler`) against the build's lexicon, run by the ranker
(`engine.ranking`) over cached postings, filtered and counted by facet bitsets
(`engine.facets`), and the page of hits is given snippets (`search.text.highlight`).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from search.errors import IndexMissing, NotFound
from search.index.forward import FIELDS as FORWARD_FIELDS
from search.index.reader import OpenBuild, open_build, open_current
from search.models import (
    KIND_LABELS,
    PART_LABELS,
    Entry,
    Hit,
    SearchRequest,
    SearchResult,
    Suggestion,
    section_label,
)
from search.query.adjustments import Adjuster
from search.query.answers import Answerer
from search.query.clauses import Clause
from search.query.compiler import CompiledQuery
from search.query.engine.bitsets import docnums_of, mask_of
from search.query.engine.facets import FacetIndex
from search.query.engine.phrases import phrase_occurs
from search.query.engine.ranking import Ranker, Ranking
from search.query.engine.scoring import make_weighting
from search.query.explain import explain_entry, explain_query
from search.query.lexicon import make_lexicon
from search.query.parts import ALL_ON, LEARNED_ORDER, Switches
from search.query.pipeline import NOTHING_SEARCHED, PreparedQuery, QueryPipeline
from search.query.related import (
    CANDIDATES,
    counterpart_candidates,
    distinctive_terms,
    pick_related,
    rank_counterparts,
    related_query,
)
from search.query.relax import relax
from search.query.reorder import CandidateFeatures, Reorderer
from search.query.request import MAX_DEPTH, MAX_EXPLAINED
from search.query.selection import Selection
from search.query.suggest import Suggester
from search.query.understanding import Understanding
from search.text.analysis import stems
from search.text.highlight import HighlightTerms, make_snippet
from search.text.sentences import SentenceSplitter

WEIGHTING = make_weighting()
DANGLING = re.compile(r"\b(?:in|at|for|from|of|about|across|around|near|within|and|or)\s+$", re.IGNORECASE)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Return a span of text widened to the whitespace around it."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


class SearchIndex:
    """One open, immutable index build, shared by all threads of a process."""

    def __init__(self, build: OpenBuild | Path):
        self.build = build if isinstance(build, OpenBuild) else open_build(build)
        self.meta = self.build.meta
        self.name = self.build.name
        self.ix = self.build.ix
        self.entries = self.build.entries
        self.areas = self.build.areas
        self.taxonomy = self.build.taxonomy
        self.documents = self.build.documents
        self.glossary = self.build.glossary
        self.quality = self.build.quality
        self.forward = self.build.forward
        self.by_id = {e.id: n for n, e in enumerate(self.entries)}
        self._local = threading.local()
        self.check_alignment()
        self.lexicon = make_lexicon(self.build, self.searcher().reader())
        self.facets = FacetIndex.from_entries(
            self.entries,
            {
                "area": lambda v: self.areas.label(v) if v in self.areas.by_slug else v,
                "theme": lambda v: self.taxonomy.label(v) if v in self.taxonomy.slugs else v,
                "part": lambda v: PART_LABELS.get(v, v),
                "kind": lambda v: KIND_LABELS.get(v, v),
            },
        )
        self.selection = Selection(self.areas, self.taxonomy, self.facets)
        self.adjuster = Adjuster(self.entries, self.by_id)
        self.answerer = Answerer(self.entries, self.areas, self.quality, self.glossary, self.entries_using)
        self.place_mentions = lru_cache(maxsize=1024)(self.mentions_of)
        self.pipeline = QueryPipeline(
            self.lexicon, self.answerer, self.adjuster, self.by_id, self.quantities, self.place_mentions
        )
        if self.forward is not None:
            self.ranker = Ranker(WEIGHTING, len(self.entries), self.forward.positions, FORWARD_FIELDS)
        else:  # a build from before the forward index: titles and texts are analysed anew
            self.ranker = Ranker(WEIGHTING, len(self.entries), self.analysed_positions, ("title", "text"))
        self.sentence_spans = lru_cache(maxsize=4096)(SentenceSplitter(self.build.sentences).spans)
        self.candidate_features = CandidateFeatures(self.entries, self.build.words, self.lexicon)
        self.reorderer = (
            Reorderer(self.build.ordering, self.candidate_features)
            if self.build.ordering is not None
            else None
        )
        self.suggester = Suggester.from_build(
            self.entries,
            self.areas,
            self.taxonomy,
            self.glossary,
            self.build.vocabulary,
            self.build.phrases,
            self.lexicon.places,
        )

    @classmethod
    def open(cls, index_dir: Path) -> SearchIndex:
        """Open the build that index_dir currently serves, or raise IndexMissing."""
        build = open_current(index_dir)
        try:
            return cls(build)
        except Exception as exc:  # whatever stops a build from serving makes it unusable
            build.close()
            if isinstance(exc, IndexMissing):
                raise
            raise IndexMissing(
                f"index build {build.path} cannot serve ({type(exc).__name__}: {exc})"
            ) from exc

    def searcher(self):
        """Return this thread's Whoosh searcher (searchers are not shared across threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.ix.searcher(weighting=WEIGHTING)
            self._local.searcher = searcher
        return searcher

    def check_alignment(self) -> None:
        """Make sure Whoosh document n is entry n, as the facet bitsets assume."""
        searcher = self.searcher()
        if searcher.doc_count_all() != len(self.entries):
            raise IndexMissing(f"index build {self.build.path} is inconsistent; rebuild it")
        for n in {0, len(self.entries) // 2, len(self.entries) - 1}:
            if n >= 0 and searcher.stored_fields(n).get("id") != self.entries[n].id:
                raise IndexMissing(f"index build {self.build.path} is inconsistent; rebuild it")

    def analysed_positions(self, fieldname: str, docnum: int, words: tuple[str, ...]) -> list[list[int]]:
        """Return where each word stands in an entry's title or text, analysing it anew."""
        sequence = stems(getattr(self.entries[docnum], fieldname))
        return [[i for i, t in enumerate(sequence) if t == word] for word in words]

    # -- searching -------------------------------------------------------------

    def prepare(self, request: SearchRequest, without: frozenset[str] = frozenset()) -> PreparedQuery:
        """Read, compile, answer and adjust a request's query, with some parts switched off."""
        return self.pipeline.prepare(request, Switches(frozenset(without)) if without else ALL_ON)

    def search(
        self,
        request: SearchRequest,
        *,
        snippets: bool = True,
        facets: bool = True,
        without: frozenset[str] = frozenset(),
    ) -> SearchResult:
        """Run a search request: matches, ranking, disjunctive facet counts, snippets, answer.

        With `request.explain`, the first MAX_EXPLAINED hits say why they scored as they did.
        Without `snippets` (downloads), hits carry no snippet and no explanation; without
        `facets`, the result's facets are empty (a download shows no counts). `without`
        names query-stage parts to switch off (`search.query.parts`).
        """
        started = time.perf_counter()
        prepared = self.prepare(request, without)
        compiled, adjustments = prepared.compiled, prepared.adjustments
        selections = self.selection.merge(request, compiled.filters)
        # Documents a field filter in the query rules out count nowhere, facets included.
        allowed = self.facets.everything & ~self.selection.values_mask(compiled.excluded_filters)
        if "id" in compiled.filters:
            allowed &= mask_of(self.by_id[i] for i in compiled.filters["id"] if i in self.by_id)
        unscoped = allowed
        if adjustments.scope is not None:
            allowed &= adjustments.scope
        relaxed = None
        # Only an answer was asked for ("best area"): the entries it rests on, in its order.
        answer_docs = (
            list(dict.fromkeys(self.by_id[i] for i in prepared.answer.entry_ids))
            if prepared.answer_only
            else None
        )
        if prepared.finds_nothing:
            ranking, matched = None, 0
        elif answer_docs is not None:
            ranking, matched = None, allowed & mask_of(answer_docs)
        elif compiled.query is None:
            ranking, matched = None, allowed
        else:
            ranking = self.ranker.run(compiled.query, self.searcher(), allowed, None, adjustments.lifts)
            matched = ranking.matched
            if adjustments.scope is not None and not (matched and self.worded(compiled, ranking, matched)):
                ranking, matched, relaxed = relax(self, prepared, unscoped)
        counts = self.facets.counts(matched, selections) if facets else {}
        final = matched & self.facets.filter_mask(selections)
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        if ranking is not None and request.sort == "relevance":
            page = self.in_order(prepared, ranking, final, end)[start:end]
        elif answer_docs is not None and request.sort == "relevance":
            page = [(d, None) for d in answer_docs if final >> d & 1][start:end]
        else:
            docs = docnums_of(final)[start:end]
            scores = ranking.scores(docs) if ranking is not None else [None] * len(docs)
            page = list(zip(docs, scores, strict=True))
        if not snippets:
            hits = tuple(Hit(self.entries[d], None if s is None else round(s, 4), "") for d, s in page)
        else:
            hits = tuple(self.make_hit(d, s, compiled.highlight) for d, s in page)
        explanation = None
        if request.explain and snippets and (ranking is not None or prepared.finds_nothing):
            learned = self.reorderer.candidates if ranking is not None and self.learns_order(prepared) else 0
            explanation = explain_query(prepared, learned)
            if relaxed is not None and relaxed.query is not None:
                # The relaxed scope ran another query: its hits are explained by it.
                clause = Clause(f"relaxed to {relaxed.step}: {relaxed.message}", relaxed.query)
                compiled = replace(compiled, query=relaxed.query, clauses=(clause,), required=())
            # Where the learned order moved them, where the engine had the hits.
            engine = (
                {d: n for n, (d, _) in enumerate(ranking.top(final, max(end, learned)), 1)} if learned else {}
            )
            explained = [
                replace(
                    hit,
                    explanation={
                        **explain_entry(ranking.run, compiled, adjustments, d, hit.entry),
                        **({"engine_rank": engine[d]} if d in engine else {}),
                    },
                )
                for hit, (d, _) in zip(hits[:MAX_EXPLAINED], page, strict=False)
            ]
            hits = (*explained, *hits[MAX_EXPLAINED:])
        placed = prepared.understanding.places
        elsewhere = {name: self.named_elsewhere(name, slugs) for name, slugs in placed}
        return SearchResult(
            request=request,
            corrected_query=compiled.corrected,
            total=final.bit_count(),
            hits=hits,
            facets=counts,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            build=self.name,
            answer=prepared.answer,
            scope=prepared.understanding.areas,
            widened_query=self.widen(compiled.corrected or request.q)
            if prepared.understanding.areas and self.beside_areas(prepared.understanding)
            else None,
            explanation=explanation,
            places=tuple(
                (name, slugs, self.place_note(name, slugs, elsewhere[name])) for name, slugs in placed
            ),
            place_entries=tuple(dict.fromkeys(e.id for name, _ in placed for e in elsewhere[name])),
            relaxed=relaxed,
            suggested_query=prepared.correction.suggested if prepared.correction else None,
            missing_words=prepared.missing,
            searched_as=prepared.reworded,
            nothing_searched=prepared.nothing_searched,
            outside=tuple((o.name, o.nation, o.note) for o in self.lexicon.places.outside_in(request.q)),
            sections=tuple((s, section_label(s)) for s in prepared.understanding.sections)
            if prepared.switches.on("kinds")
            else (),
        )

    @staticmethod
    def worded(compiled: CompiledQuery, ranking: Ranking, matched: int) -> bool:
        """Tell whether any matched entry is found by the query's words, not only by a theme
        they signal: an Area whose entries never use the words has nothing behind its scope."""
        themed = [c for c in compiled.clauses if c.theme]
        if not themed:
            return True
        others = [c.query for c in compiled.clauses if not c.theme and not c.only_scores]
        others += [c.query for c in compiled.required]
        return any(node.bitset(ranking.run, matched) & matched for node in others)

    def in_order(
        self, prepared: PreparedQuery, ranking: Ranking, final: int, end: int
    ) -> list[tuple[int, float]]:
        """Return the first `end` documents matched, with their scores, in the order shown: the
        engine's, its first candidates put in the learned order (`learned-order`)."""
        if not self.learns_order(prepared):
            return ranking.top(final, end)
        ranked = ranking.top(final, max(end, self.reorderer.candidates))
        return self.reorderer.order(prepared, ranked)[:end]

    def learns_order(self, prepared: PreparedQuery) -> bool:
        """Tell whether a search's first candidates are put in the learned order: there is a
        model, the part is on, the results are ranked by relevance, and the query does not say
        itself what comes first."""
        return (
            self.reorderer is not None
            and prepared.switches.on(LEARNED_ORDER)
            and prepared.request.sort == "relevance"
            and self.reorderer.applies(prepared)
        )

    def export(self, request: SearchRequest, limit: int = MAX_DEPTH) -> SearchResult:
        """Return the first `limit` entries a search matches, all from one run (no snippets), for downloads.

        The request's page and per_page are ignored: the rows are the search's pages
        1, 2, … in order, as paging through it would give them, for one query's cost.
        Facets are not counted.
        """
        return self.search(replace(request, page=1, per_page=limit), snippets=False, facets=False)

    def mentions_of(self, name: str) -> int:
        """Return the entries naming a place ("Leicester") by its name or an alias: only those
        holding a name's words are read, and an everyday word that names a place ("Reading")
        names it only with its capital, as in a query."""
        place = self.lexicon.places.lookup(name)
        if place is None:
            return 0
        forms = (place.name, *place.aliases)
        said = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)",
            0 if place.ambiguous else re.IGNORECASE,
        )

        def names_it(n: int) -> bool:
            entry = self.entries[n]
            return said.search(f"{entry.title}. {entry.text}".replace("&", "and")) is not None

        candidates = {n for form in forms for n in self.entries_using(tuple(stems(form)))}
        return mask_of(n for n in candidates if names_it(n))

    def named_elsewhere(self, name: str, slugs: tuple[str, ...]) -> list[Entry]:
        """Return the entries about none of a place's Areas that name the place."""
        return [
            self.entries[n]
            for n in docnums_of(self.place_mentions(name))
            if not set(self.entries[n].areas) & set(slugs)
        ]

    def place_note(self, name: str, slugs: tuple[str, ...], elsewhere: list[Entry]) -> str:
        """Say which CPS Area covers a place ("Leeds is in CPS Yorkshire and Humberside"), and
        that the report names it in other Areas' entries (`elsewhere`) too."""
        names = " and ".join(f"CPS {self.areas.label(s)}" for s in slugs)
        note = f"{name} is covered by {names}" if len(slugs) > 1 else f"{name} is in {names}"
        if elsewhere:
            others = sorted({self.areas.label(a) for e in elsewhere for a in e.areas})
            where = f" ({', '.join(others)})" if others else ""
            count = "1 entry" if len(elsewhere) == 1 else f"{len(elsewhere)} entries"
            note += f"; the report also names it in {count} about another Area{where}, searched too"
        return note

    @staticmethod
    def beside_areas(understanding: Understanding) -> bool:
        """Tell whether a query asks for something beside its Areas (a topic, a kind, a section,
        scores), which every Area could be searched for; a question's opening ("tell me about")
        is not."""
        u = understanding
        return bool(
            u.words or u.kinds or u.asks_for or u.parts or u.sections or u.criteria or u.ratings or u.overall
        )

    def widen(self, text: str) -> str:
        """Return the query without the Areas and places it names: the same search in every Area."""
        areas = [(s, e) for s, e, _ in self.areas.find(text)]
        spans = areas + [(m.start, m.end) for m in self.lexicon.places.find(text)]
        # A name found inside a longer word ("Mersey" in "Mersey-Chesire") takes the word.
        spans = [whole_words(text, start, end) for start, end in spans]
        kept, cursor = [], 0
        for start, end in sorted(spans):
            before = text[cursor:start]
            # "… in Leeds" loses its "in" with the place.
            kept.append(DANGLING.sub("", before) if start >= cursor else "")
            cursor = max(cursor, end)
        kept.append(text[cursor:])
        words = "".join(kept).split()
        comparing = self.lexicon.language.comparison_words
        if len(areas) > 1:
            # Areas compared: every Area's entries are not compared, only searched on the topic
            # ("better case management" compares nothing, and stays).
            said = self.pipeline.reader.comparison_words([w.strip(",?") for w in words])
            words = [w for i, w in enumerate(words) if i not in said]
        rest = " ".join(words)
        # What is left must be something to search for: not "in the", nor a comparison's "vs".
        return rest if any(stems(w) and w.lower() not in comparing for w in words) else ""

    def explain(self, request: SearchRequest, entry_id: str, without: frozenset[str] = frozenset()) -> dict:
        """Return why one entry scores as it does for a request's query, or why it does not match."""
        entry = self.entry(entry_id)
        doc = self.by_id[entry_id]
        prepared = self.prepare(request, without)
        compiled, adjustments = prepared.compiled, prepared.adjustments
        query = explain_query(prepared, self.reorderer.candidates if self.learns_order(prepared) else 0)
        query["query_clauses"] = query.pop("clauses")
        body = {"id": entry_id, "query": request.q, **query}
        if prepared.finds_nothing:
            why = NOTHING_SEARCHED if prepared.nothing_searched else "the report never uses the query's words"
            return {**body, "matched": False, "why": why}
        if prepared.answer_only:
            # Nothing was searched or scored; the results are the entries the answer rests on.
            rests = (
                "rests on this entry, listed unscored"
                if entry_id in prepared.answer.entry_ids
                else "rests on others"
            )
            return {**body, "matched": False, "why": f"only an answer was asked for, and it {rests}"}
        if compiled.query is None:
            return {
                **body,
                "matched": False,
                "why": "an empty query lists entries in document order; nothing is scored",
            }
        if adjustments.scope is not None and not adjustments.scope >> doc & 1:
            areas = ", ".join(self.areas.label(a) for a in prepared.understanding.areas)
            return {**body, "matched": False, "why": f"the query is about {areas}, and this entry is not"}
        ranking = self.ranker.run(compiled.query, self.searcher(), 1 << doc, None, adjustments.lifts)
        if not ranking.matched >> doc & 1:
            return {**body, "matched": False, "why": "none of the query's clauses matches this entry"}
        detail = explain_entry(ranking.run, compiled, adjustments, doc, entry)
        return {**body, "matched": True, **detail, "ranked_score": round(ranking.scores([doc])[0], 4)}

    def quantities(self, u: Understanding) -> tuple[int, ...]:
        """Return, for a "how many" question, the entries that give a number of what it asks about.

        "how many case files did inspectors examine" is answered by "1,830 files that
        we examined": a number just before one of the topic's words; "how many issues to
        address …" by "inspectors set out 75 issues to address": before a kind's name.
        """
        if u.frame[:2] not in (("how", "many"), ("how", "much")) or self.forward is None:
            return ()
        named = [KIND_LABELS[k].split()[0] for k in u.kinds]
        topic = tuple(
            dict.fromkeys(s for w in [*(w.text for w in u.words if w.topical), *named] for s in stems(w))
        )
        candidates = 0
        for stem in topic:
            candidates |= self.ranker.postings_mask(self.searcher(), "text", stem)
        return tuple(d for d in docnums_of(candidates) if self.forward.counted(d, topic))

    def entries_using(self, form: tuple[str, ...]) -> tuple[int, ...]:
        """Return the entries whose title or text holds a stem sequence, words side by side."""
        searcher = self.searcher()
        found = 0
        for field in ("title", "text"):
            candidates = self.facets.everything
            for stem in form:
                candidates &= self.ranker.postings_mask(searcher, field, stem)
            if len(form) > 1:
                positions = self.forward.positions if self.forward is not None else self.analysed_positions
                candidates = mask_of(
                    d for d in docnums_of(candidates) if phrase_occurs(positions(field, d, form), slop=1)
                )
            found |= candidates
        return tuple(docnums_of(found))

    def highlight_terms(self, q: str) -> HighlightTerms:
        """Return what a query marks in text: its words, expansions and phrases, as a search would."""
        return self.prepare(SearchRequest(q=q)).compiled.highlight

    def make_hit(self, docnum: int, score: float | None, terms: HighlightTerms) -> Hit:
        """Return a result with its snippet."""
        entry = self.entries[docnum]
        snippet = make_snippet(entry.text, self.sentence_spans(entry.text), terms)
        return Hit(entry, None if score is None else round(score, 4), snippet)

    def suggest(self, text: str, limit: int) -> list[Suggestion]:
        """Return completions of the text typed so far: Areas, themes, acronyms, phrases."""
        return self.suggester.suggest(text, limit)

    # -- entries ---------------------------------------------------------------

    def entry(self, entry_id: str) -> Entry:
        """Return one entry by id."""
        try:
            return self.entries[self.by_id[entry_id]]
        except KeyError:
            raise NotFound(f"no entry {entry_id!r}") from None

    def neighbours(self, entry_id: str) -> tuple[Entry | None, Entry | None]:
        """Return the entries before and after one, in document order."""
        n = self.by_id[entry_id]
        before = self.entries[n - 1] if n > 0 else None
        after = self.entries[n + 1] if n + 1 < len(self.entries) else None
        return before, after

    def distinctive_terms(self, source: Entry) -> list[tuple[str, float]]:
        """Return an entry's most distinctive stems with their tf·idf weights."""
        searcher = self.searcher()
        return distinctive_terms(
            source.text, lambda t: searcher.doc_frequency("text", t), searcher.doc_count_all()
        )

    def related(self, entry_id: str, limit: int = 5) -> list[Hit]:
        """Return the entries most like one, from other Areas, sharing a theme first."""
        source = self.entry(entry_id)
        searcher = self.searcher()
        terms = self.distinctive_terms(source)
        if not terms:
            return []
        ranking = self.ranker.run(related_query(terms), searcher, self.facets.everything)
        ranked = ranking.top(ranking.matched, CANDIDATES)
        highlight = HighlightTerms(frozenset(t for t, _ in terms))
        return [self.make_hit(d, s, highlight) for d, s in pick_related(source, ranked, self.entries, limit)]

    def counterparts(self, entry_id: str, limit: int = 20) -> list[Hit]:
        """Return what answers an entry in other Areas on its themes (good practice for an issue,
        issues for good practice), best match first."""
        source = self.entry(entry_id)
        candidates = counterpart_candidates(source, self.entries)
        terms = self.distinctive_terms(source)
        if not candidates:
            return []
        scores: dict[int, float] = {}
        if terms:
            ranking = self.ranker.run(related_query(terms), self.searcher(), mask_of(candidates))
            scores = dict(ranking.top(ranking.matched, len(candidates)))
        highlight = HighlightTerms(frozenset(t for t, _ in terms))
        ranked = rank_counterparts(source, candidates, scores, self.entries, limit)
        return [self.make_hit(d, s, highlight) for d, s in ranked]

    def close(self) -> None:
        """Release the Whoosh index files and the forward index."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self.build.close()
