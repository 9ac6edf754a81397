"""Judgments in TREC's formats: topics as JSON Lines, qrels as `qid 0 docid grade` lines.

A judgment set is a folder:

- `topics.jsonl`: one topic a line, `{"qid", "kind", "query"}` and, where it was written
  with the query, `"need"` (what the person who typed it wants to read);
- `qrels.txt`: TREC qrels, `qid 0 entry-id grade` (2 highly relevant, 1 relevant,
  0 judged not relevant); an entry a query's line does not list was never judged for it.

`sets.json` beside the folders names each set's role: `tuning` sets are the ones rules
and curated data may be written from; `held-out` sets are frozen once judged and only
measured on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

JUDGMENTS = Path(__file__).resolve().parents[2] / "tests" / "query" / "data" / "judgments"
ROLES = ("tuning", "held-out")


@dataclass(frozen=True)
class Topic:
    """One query of a judgment set, with its kind and, where written, its need."""

    qid: str
    kind: str
    query: str
    need: str = ""


@dataclass(frozen=True)
class JudgmentSet:
    """A named set of topics with their graded judgments, in one role."""

    name: str
    role: str
    topics: tuple[Topic, ...]
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)

    def relevant(self, qid: str) -> dict[str, int]:
        """Return a topic's entries judged relevant (grade 1 or 2)."""
        return {d: g for d, g in self.qrels.get(qid, {}).items() if g > 0}


def read_topics(path: Path) -> tuple[Topic, ...]:
    """Read topics from a JSON Lines file."""
    topics = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            topics.append(Topic(row["qid"], row["kind"], row["query"], row.get("need", "")))
        except KeyError as exc:
            raise ValueError(f"{path}:{n}: a topic needs {exc.args[0]!r}") from None
    qids = [t.qid for t in topics]
    if len(set(qids)) != len(qids):
        raise ValueError(f"{path}: a qid is used twice")
    return tuple(topics)


def write_topics(path: Path, topics: list[Topic]) -> None:
    """Write topics as JSON Lines, leaving out an empty need."""
    lines = []
    for t in topics:
        row = {"qid": t.qid, "kind": t.kind, "query": t.query}
        if t.need:
            row["need"] = t.need
        lines.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Read TREC qrels: {qid: {docid: grade}}."""
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or not parts[3].lstrip("-").isdigit():
            raise ValueError(f"{path}:{n}: expected 'qid 0 docid grade'")
        qid, _, doc, grade = parts
        qrels.setdefault(qid, {})[doc] = int(grade)
    return qrels


def write_qrels(path: Path, qrels: dict[str, dict[str, int]]) -> None:
    """Write TREC qrels, queries in the given order, entries by grade then id."""
    lines = [
        f"{qid} 0 {doc} {grade}"
        for qid, grades in qrels.items()
        for doc, grade in sorted(grades.items(), key=lambda dg: (-dg[1], dg[0]))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_set(folder: Path, role: str) -> JudgmentSet:
    """Read one judgment set's folder."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} of {folder.name}; one of {', '.join(ROLES)}")
    topics = read_topics(folder / "topics.jsonl")
    qrels = read_qrels(folder / "qrels.txt")
    unknown = set(qrels) - {t.qid for t in topics}
    if unknown:
        raise ValueError(f"{folder}: qrels for queries with no topic: {', '.join(sorted(unknown))}")
    return JudgmentSet(folder.name, role, topics, qrels)


def load_sets(root: Path = JUDGMENTS) -> list[JudgmentSet]:
    """Read every judgment set that `sets.json` lists, in its order."""
    listed = json.loads((root / "sets.json").read_text(encoding="utf-8"))["sets"]
    return [load_set(root / row["name"], row["role"]) for row in listed]
