"""Why an entry scored as it did: each clause's share, and the lifts.

Like Elasticsearch's `_explain`: the query as read (frame, topic, Areas, kinds,
corrections), then for one entry the clauses that matched it — words and the fields
they matched in, phrases, acronyms, lay words — their sum, the factor of
what was added for being a kind named, or part of an answer. The parts add up to the score the ranking gave.
"""

from __future__ import annotations

from search.models import Entry
from search.query.adjustments import Adjustments
from search.query.compiler import CompiledQuery
from search.query.engine.ranking import QueryRun
from search.query.pipeline import PreparedQuery


def explain_query(prepared: PreparedQuery, learned_order: int = 0) -> dict:
    """Return how a query was read, corrected and compiled, for the whole result; `learned_order`
    says how many first candidates the learned order puts in order (0: none)."""
    compiled, correction = prepared.compiled, prepared.correction
    return {
        "understood": compiled.understanding.to_dict(),
        "corrected_query": compiled.corrected,
        "corrections": dict(correction.replacements) if correction else {},
        "suggested_query": correction.suggested if correction else None,
        "offered": dict(correction.offered) if correction else {},
        "missing_words": list(prepared.missing),
        "searched_as": {w: list(names) for w, names in prepared.reworded},
        "nothing_searched": prepared.nothing_searched,
        "parts_off": sorted(prepared.switches.off),
        "scope": list(compiled.understanding.areas),
        "scope_places": list(prepared.named_places),
        "clauses": [c.reason for c in compiled.clauses],
        "required": [c.reason for c in compiled.required],
        "learned_order": learned_order,
    }


def explain_entry(
    run: QueryRun,
    compiled: CompiledQuery,
    adjustments: Adjustments,
    doc: int,
    entry: Entry,
) -> dict:
    """Return why one matching entry scored as it did."""
    clauses = []
    for clause, required in [(c, False) for c in compiled.clauses] + [(c, True) for c in compiled.required]:
        score, fields = clause.query.contribution(run, doc)
        if score:
            row = {"reason": clause.reason, "score": round(score, 4)}
            if fields:
                row["fields"] = {name: round(value, 4) for name, value in sorted(fields.items())}
            if required:
                row["required"] = True
            clauses.append(row)
    matched = sum(c["score"] for c in clauses)
    lifts = adjustments.lift_reasons(doc)
    return {
        "clauses": clauses,
        "matched": round(matched, 4),
        "lifts": [{"reason": reason, "value": value} for reason, value in lifts],
        "score": round(matched + sum(v for _, v in lifts), 4),
    }
