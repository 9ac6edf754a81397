"""Why an entry scored as it did: each clause's share, the prior of its kind, the lifts.

Like Elasticsearch's `_explain`: the query as read (frame, topic, Areas, kinds,
corrections), then for one entry the clauses that matched it — words and the fields
they matched in, phrases, acronyms, lay words — their sum, the factor of
its kind, and what was added for being the Area's own entry, a kind named, or part
of an answer. The parts add up to the score the ranking gave.
"""

from __future__ import annotations

from search.models import Entry
from search.query.compiler import CompiledQuery
from search.query.engine.ranking import QueryRun
from search.query.priors import PRIOR_REASONS, Adjustments


def explain_query(compiled: CompiledQuery, adjustments: Adjustments) -> dict:
    """Return how a query was read and compiled, for the whole result."""
    return {
        "understood": compiled.understanding.to_dict(),
        "corrected_query": compiled.corrected,
        "scope": list(compiled.understanding.areas),
        "kind_factors": adjustments.factors,
        "clauses": [c.reason for c in compiled.clauses],
        "required": [c.reason for c in compiled.required],
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
    factor = adjustments.factors.get(entry.kind, 1.0)
    lifts = adjustments.lift_reasons(doc)
    return {
        "clauses": clauses,
        "matched": round(matched, 4),
        "prior": {"factor": factor, "reason": PRIOR_REASONS[entry.kind]} if factor != 1.0 else None,
        "lifts": [{"reason": reason, "value": value} for reason, value in lifts],
        "score": round(matched * factor + sum(v for _, v in lifts), 4),
    }
