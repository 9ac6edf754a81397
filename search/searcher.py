"""Run search requests against an open index build and return results."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from search.analysis import stems
from search.areas import load_areas
from search.errors import IndexMissing, NotFound
from search.facets import FacetIndex, docnums_of, mask_of
from search.forward import FIELDS as FORWARD_FIELDS
from search.forward import ForwardIndex
from search.glossary import Acronym, Glossary
from search.highlight import HighlightTerms, make_snippet
from search.indexer import current_build, damage, read_meta
from search.ingest import load_language
from search.models import KIND_LABELS, PART_LABELS, Entry, Hit, SearchRequest, SearchResult
from search.query import Lexicon, QueryCompiler, parse_query
from search.ranking import Ranker
from search.scoring import make_weighting
from search.sentences import SentenceSplitter, parameters_from_dict
from search.spelling import SpellingCorrector
from search.taxonomy import load_taxonomy

RELATED_KINDS = {"paragraph", "issue", "good-practice", "strength", "finding"}
RELATED_TERMS = 12
WEIGHTING = make_weighting()


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


class SearchIndex:
    """One open, immutable index build, shared by all threads of a process."""

    def __init__(self, build: Path):
        problem = damage(build)
        if problem:
            raise IndexMissing(f"index build {build.name} is damaged ({problem}); rebuild it")
        try:
            self.meta = read_meta(build)
            self.ix = whoosh_index.open_dir(str(build / "whoosh"))
            self.entries = [Entry.from_dict(d) for d in read_json(build / "entries.json")]
            curated = build / "curated"
            self.areas = load_areas(curated / "areas.json")
            self.taxonomy = load_taxonomy(curated / "themes.json")
            language = load_language(curated / "language.json")
            self.documents = read_json(curated / "documents.json")
            self.glossary = Glossary([Acronym(**a) for a in read_json(build / "glossary.json")])
            self.quality = read_json(build / "quality.json")
            vocabulary = read_json(build / "vocabulary.json")
            sentence_params = parameters_from_dict(read_json(build / "sentences.json"))
        except (OSError, ValueError, KeyError, whoosh_index.EmptyIndexError) as exc:
            raise IndexMissing(f"index build {build} is unreadable ({exc}); rebuild it") from exc
        self.build = build
        self.name = self.meta["name"]
        self.by_id = {e.id: n for n, e in enumerate(self.entries)}
        self._local = threading.local()
        self.check_alignment()
        reader = self.searcher().reader()
        indexed = set()
        for name in ("text", "title", "aliases"):
            indexed.update(reader.field_terms(name))
        by_prefix: dict[str, list[str]] = {}
        for term in sorted(indexed):
            by_prefix.setdefault(term[:5], []).append(term)
        protected = set(language.protected) | set(language.abbreviations)
        protected.update(w for a in self.areas.areas for w in a.name.lower().split())
        protected.update(a.acronym.lower() for a in self.glossary.items)
        self.lexicon = Lexicon(
            glossary=self.glossary,
            speller=SpellingCorrector(vocabulary, frozenset(protected)),
            indexed_stems=frozenset(indexed),
            taxonomy=self.taxonomy,
            synonyms=tuple(tuple(tuple(stems(p)) for p in group if stems(p)) for group in language.synonyms),
            stems_by_prefix=by_prefix,
            areas=self.areas,
        )
        self.compiler = QueryCompiler(self.lexicon)
        self.facets = FacetIndex.from_entries(
            self.entries,
            {
                "area": lambda v: self.areas.label(v) if v in self.areas.by_slug else v,
                "theme": lambda v: self.taxonomy.label(v) if v in self.taxonomy.slugs else v,
                "part": lambda v: PART_LABELS.get(v, v),
                "kind": lambda v: KIND_LABELS.get(v, v),
            },
        )
        try:
            self.forward = ForwardIndex.open(build)
        except (OSError, ValueError) as exc:
            raise IndexMissing(
                f"index build {build} has an unreadable forward index ({exc}); rebuild it"
            ) from exc
        if self.forward is not None:
            self.ranker = Ranker(WEIGHTING, len(self.entries), self.forward.positions, FORWARD_FIELDS)
        else:  # a build from before the forward index: titles and texts are analysed anew
            self.ranker = Ranker(WEIGHTING, len(self.entries), self.analysed_positions, ("title", "text"))
        self.splitter = SentenceSplitter(sentence_params)
        self.sentence_spans = lru_cache(maxsize=4096)(self.splitter.spans)

    @classmethod
    def open(cls, index_dir: Path) -> SearchIndex:
        """Open the build that index_dir currently serves."""
        build = current_build(index_dir)
        if build is None:
            raise IndexMissing(f"no index in {index_dir}; run `python -m search build`")
        return cls(build)

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
            raise IndexMissing(f"index build {self.build} is inconsistent; rebuild it")
        for n in {0, len(self.entries) // 2, len(self.entries) - 1}:
            if n >= 0 and searcher.stored_fields(n).get("id") != self.entries[n].id:
                raise IndexMissing(f"index build {self.build} is inconsistent; rebuild it")

    def analysed_positions(self, fieldname: str, docnum: int, words: tuple[str, ...]) -> list[list[int]]:
        """Return where each word stands in an entry's title or text, analysing it anew."""
        sequence = stems(getattr(self.entries[docnum], fieldname))
        return [[i for i, t in enumerate(sequence) if t == word] for word in words]

    # -- searching -------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search request: matches, ranking, disjunctive facet counts, snippets."""
        started = time.perf_counter()
        plan = parse_query(request.q)
        compiled = self.compiler.compile(request.q, plan)
        selections = self.merge_selections(request, compiled.filters)
        # Documents a field filter in the query rules out count nowhere, facets included.
        allowed = self.facets.everything & ~self.filter_values_mask(compiled.excluded_filters)
        if "id" in compiled.filters:
            allowed &= mask_of(self.by_id[i] for i in compiled.filters["id"] if i in self.by_id)
        if compiled.query is None:
            ranking, matched = None, allowed
        else:
            ranking = self.ranker.run(compiled.query, self.searcher(), allowed)
            matched = ranking.matched
        facets = self.facets.counts(matched, selections)
        final = matched & self.facets.filter_mask(selections)
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        if ranking is not None and request.sort == "relevance":
            page = ranking.top(final, end)[start:end]
        else:
            docs = docnums_of(final)[start:end]
            scores = ranking.scores(docs) if ranking is not None else [None] * len(docs)
            page = list(zip(docs, scores, strict=True))
        hits = tuple(self.make_hit(d, s, compiled.highlight) for d, s in page)
        return SearchResult(
            request=request,
            corrected_query=compiled.corrected,
            total=final.bit_count(),
            hits=hits,
            facets=facets,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            build=self.name,
        )

    def run_query(self, query: wq.Query) -> list[tuple[int, float]]:
        """Return every matching document with its score, best first, as Whoosh ranks it.

        The reference the ranker is checked against; `search` does not score every match.
        """
        results = self.searcher().search(query, limit=None, terms=False)
        return sorted(((d, s) for s, d in results.top_n), key=lambda ds: (-ds[1], ds[0]))

    def merge_selections(self, request: SearchRequest, filters: dict[str, list[str]]) -> dict:
        """Combine facet parameters with field filters typed in the query."""
        selections = dict(request.selections())
        for facet, values in filters.items():
            if facet in selections:
                resolved = tuple(self.resolve_value(facet, v) for v in values)
                selections[facet] = tuple(dict.fromkeys(selections[facet] + resolved))
        return selections

    def filter_values_mask(self, filters: dict[str, list[str]]) -> int:
        """Return the documents carrying any of the given facet values."""
        mask = 0
        for facet, values in filters.items():
            if facet in self.facets.values:
                mask |= self.facets.selection_mask(facet, tuple(self.resolve_value(facet, v) for v in values))
        return mask

    def resolve_value(self, facet: str, value: str) -> str:
        """Read a facet value typed by a person ("London North", "Part C") as its slug."""
        low = value.strip().lower()
        if facet == "area":
            return self.areas.resolve(value) or low
        if facet == "theme":
            for theme in self.taxonomy.themes:
                if low in (theme.slug, theme.label.lower()):
                    return theme.slug
            return low.replace(" ", "-")
        if facet == "part":
            return low.removeprefix("part").strip() or low
        if facet == "kind":
            for kind, label in KIND_LABELS.items():
                if low in (kind, label.lower(), kind + "s", label.lower() + "s"):
                    return kind
            return low.replace(" ", "-")
        return low

    def make_hit(self, docnum: int, score: float | None, terms: HighlightTerms) -> Hit:
        """Return a result with its snippet."""
        entry = self.entries[docnum]
        snippet = make_snippet(entry.text, self.sentence_spans(entry.text), terms)
        return Hit(entry, None if score is None else round(score, 4), snippet)

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

    def related(self, entry_id: str, limit: int = 5) -> list[Hit]:
        """Return the entries most like one, from other Areas, sharing a theme first."""
        source = self.entry(entry_id)
        searcher = self.searcher()
        total = searcher.doc_count_all()
        tf = Counter(stems(source.text))
        weights = {}
        for term, count in tf.items():
            df = searcher.doc_frequency("text", term)
            if 0 < df <= total // 4:
                weights[term] = (1 + math.log(count)) * math.log(total / df)
        best = sorted(weights.items(), key=lambda kv: -kv[1])[:RELATED_TERMS]
        if not best:
            return []
        query = wq.Or([wq.Term("text", t, boost=w) for t, w in best])
        results = searcher.search(query, limit=100, terms=False)
        own = set(source.areas)
        themes = set(source.themes)
        candidates = []
        for score, docnum in results.top_n:
            entry = self.entries[docnum]
            if entry.id == source.id or entry.kind not in RELATED_KINDS or not entry.areas:
                continue
            if own & set(entry.areas):
                continue
            candidates.append((bool(themes & set(entry.themes)), score, docnum))
        candidates.sort(key=lambda c: (not c[0], -c[1], c[2]))
        terms = HighlightTerms(frozenset(t for t, _ in best))
        return [self.make_hit(d, s, terms) for _, s, d in candidates[:limit]]

    def close(self) -> None:
        """Release the Whoosh index files and the forward index."""
        if self.forward is not None:
            self.forward.close()
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
        self.ix.close()
