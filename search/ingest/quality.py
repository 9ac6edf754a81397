"""Data-quality checks: what the report says it contains against what was read."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from search.ingest.textclean import find_placeholders
from search.models import ANNEX_B_KINDS, Entry, Finding

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
# "six examples of good practice", "23 strengths", "16 issues to be addressed", "75 issues to address"
STATED = {
    "good-practice": re.compile(r"\b(\w+) (?:examples of |aspects of )?good practice\b", re.I),
    "strength": re.compile(r"\b(\w+) strengths\b", re.I),
    "issue": re.compile(r"\b(\w+) issues to (?:be )?address(?:ed)?\b", re.I),
}


def as_number(word: str) -> int | None:
    """Read a count written as digits or as an English number word."""
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word.lower())


def stated_counts(entries: list[Entry]) -> dict[tuple[str, str], tuple[int, str]]:
    """Return the Annex B counts per (part, kind) that the narrative states, with the citing id."""
    stated: dict[tuple[str, str], tuple[int, str]] = {}
    for entry in entries:
        if entry.kind != "paragraph" or entry.part not in "abcde":
            continue
        for kind, pattern in STATED.items():
            for match in pattern.finditer(entry.text):
                count = as_number(match.group(1))
                if count is not None:
                    stated.setdefault((entry.part, kind), (count, entry.id))
    return stated


def numbering_gaps(entries: list[Entry]) -> list[Finding]:
    """Find Annex B numbers missing from each Area's run (e.g. issues 8–10)."""
    runs: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for entry in entries:
        if entry.kind in ANNEX_B_KINDS and entry.number and entry.areas:
            runs[(entry.source, entry.kind, entry.areas[0])].append(int(entry.number))
    findings = []
    for (source, kind, area), numbers in sorted(runs.items()):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            span = ", ".join(str(n) for n in missing)
            findings.append(
                Finding(
                    "numbering-gap",
                    f"{area}: {kind} numbers {span} are missing from the source",
                    source,
                    {"area": area, "entry_kind": kind, "missing": missing},
                )
            )
    return findings


def count_findings(entries: list[Entry]) -> list[Finding]:
    """Compare Annex B counts per Part with the counts the narrative states."""
    found = Counter((e.source, e.part, e.kind) for e in entries if e.kind in ANNEX_B_KINDS)
    by_source: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_source[entry.source].append(entry)
    findings = []
    for source in sorted(by_source):
        for (part, kind), (count, cited) in sorted(stated_counts(by_source[source]).items()):
            have = found[(source, part, kind)]
            status = "ok" if have == count else "short" if have < count else "over"
            findings.append(
                Finding(
                    "count",
                    f"Part {part.upper()} {kind}: {have} found, {count} stated ({cited})",
                    source,
                    {
                        "part": part,
                        "entry_kind": kind,
                        "found": have,
                        "stated": count,
                        "cited_by": cited,
                        "status": status,
                    },
                )
            )
    return findings


def placeholder_findings(entries: list[Entry]) -> list[Finding]:
    """List author placeholders left in entries or their footnotes."""
    findings = []
    for entry in entries:
        texts = [entry.text] + [f.text for f in entry.footnotes]
        for placeholder in dict.fromkeys(p for t in texts for p in find_placeholders(t)):
            findings.append(
                Finding(
                    "placeholder",
                    f"{entry.id}: author placeholder {placeholder!r}",
                    entry.source,
                    {"id": entry.id, "placeholder": placeholder},
                )
            )
    return findings


def check_entries(entries: list[Entry]) -> list[Finding]:
    """Run every entry-level data-quality check."""
    return count_findings(entries) + numbering_gaps(entries) + placeholder_findings(entries)
