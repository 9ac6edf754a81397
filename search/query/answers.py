"""Answers from the structured data: which Areas got a rating, how an Area was rated, how many.

Only a question the query reader recognised (`Understanding.question`) is answered,
and only from data the report holds in structure — the scores tables (Area ×
criterion × rating) and the Annex B rows — never from prose. When the question is
not one of these, or names nothing to answer about, there is no answer.
"""

from __future__ import annotations

from collections import Counter

from search.curated.areas import AreaRegistry
from search.models import KIND_LABELS, PART_LABELS, Answer, Entry, RatingRow
from search.query.understanding import Understanding

PLURAL_LABELS = {
    "issue": "issues to address",
    "good-practice": "examples of good practice",
    "strength": "strengths",
}


class Answerer:
    """Answers questions from one build's scores rows and Annex B rows."""

    def __init__(self, entries: list[Entry], areas: AreaRegistry, quality: dict):
        self.entries = entries
        self.areas = areas
        self.gaps = [f for f in quality.get("findings", []) if f.get("kind") == "numbering-gap"]
        self.stated = [f for f in quality.get("findings", []) if f.get("kind") == "count"]

    def answer(self, u: Understanding) -> Answer | None:
        """Return the answer to a recognised question, or None."""
        if u.question == "which-areas":
            return self.which_areas(u)
        if u.question == "area-scores":
            return self.area_scores(u)
        if u.question == "count" and len(u.kinds) == 1:
            return self.count(u)
        return None

    def ratings(self, u: Understanding, areas: tuple[str, ...] = ()) -> list[RatingRow]:
        """Return the ratings of the criteria (or Parts) a query names, for some or all Areas."""
        rows = []
        for entry in self.entries:
            if entry.kind != "rating" or not entry.areas or (areas and entry.areas[0] not in areas):
                continue
            for rating in entry.ratings:
                if u.criteria:
                    wanted = rating.code in u.criteria
                elif u.parts:
                    wanted = entry.part in u.parts and (len(rating.code) == 1 or bool(areas))
                else:
                    wanted = True
                if wanted:
                    slug = entry.areas[0]
                    rows.append(
                        RatingRow(
                            slug, self.area_name(slug), rating.code, rating.criterion, rating.rating, entry.id
                        )
                    )
        return rows

    def which_areas(self, u: Understanding) -> Answer | None:
        """Answer "which Areas were rated Excellent for resource management?"."""
        rows = [r for r in self.ratings(u) if r.rating in u.ratings]
        values = " or ".join(u.ratings)
        by_criterion: dict[tuple[str, str], list[RatingRow]] = {}
        for row in rows:
            by_criterion.setdefault((row.code, row.criterion), []).append(row)
        if not rows:
            named = criteria_label(u) or "any criterion"
            text = f"No Area was rated {values} for {named}."
        else:
            sentences = []
            for (code, criterion), group in by_criterion.items():
                names = ", ".join(r.area_name for r in group)
                verb = "Area was" if len(group) == 1 else "Areas were"
                sentences.append(f"{len(group)} {verb} rated {values} for {code} {criterion}: {names}.")
            text = " ".join(sentences)
        return Answer("ratings", u.question, text, tuple(rows), len({r.area for r in rows}), ids(rows))

    def area_scores(self, u: Understanding) -> Answer | None:
        """Answer "how did Wessex score on victims?"."""
        rows = self.ratings(u, u.areas)
        if not rows:
            names = ", ".join(self.area_name(a) for a in u.areas)
            text = f"The report's scores tables give no rating for {names} on {criteria_label(u) or 'these criteria'}."
            return Answer("ratings", u.question, text)
        parts = []
        for area in u.areas:
            own = [r for r in rows if r.area == area]
            if own:
                scores = "; ".join(f"{r.code} {r.criterion}: {r.rating}" for r in own)
                parts.append(f"{own[0].area_name} — {scores}.")
        return Answer("ratings", u.question, " ".join(parts), tuple(rows), None, ids(rows))

    def count(self, u: Understanding) -> Answer:
        """Answer "how many issues to address does North East have?"."""
        kind = u.kinds[0]
        counted = [
            e
            for e in self.entries
            if e.kind == kind
            and (not u.areas or set(u.areas) & set(e.areas))
            and (not u.parts or e.part in u.parts)
        ]
        where = " and ".join(self.area_name(a) for a in u.areas) or "all Areas"
        parts = " or ".join(PART_LABELS[p] for p in u.parts)
        scope = f"{where}, Part {parts}" if parts else where
        label = PLURAL_LABELS[kind] if len(counted) != 1 else KIND_LABELS[kind].lower()
        text = f"The report lists {len(counted)} {label} for {scope} (Annex B)."
        by_area = Counter(a for e in counted for a in e.areas)
        notes = tuple(
            f"{self.area_name(g['area'])}: {KIND_LABELS[kind].lower()} numbers "
            f"{', '.join(str(n) for n in g['missing'])} are missing from the report's numbering."
            for g in self.gaps
            if g.get("entry_kind") == kind
            and g.get("area") in by_area
            and (not u.areas or g["area"] in u.areas)
        )
        if not u.areas:
            notes += tuple(
                f"The report itself states {f['stated']} for Part {f['part'].upper()} ({f['cited_by']}); "
                f"{f['stated'] - f['found']} of its rows are missing from Annex B."
                for f in self.stated
                if f.get("entry_kind") == kind and f.get("part") in u.parts and f["stated"] > f["found"]
            )
        search = {"kind": [kind], "area": list(u.areas), "part": list(u.parts)}
        return Answer(
            "count",
            u.question,
            text,
            count=len(counted),
            entry_ids=tuple(e.id for e in counted),
            search={k: v for k, v in search.items() if v},
            notes=notes,
        )

    def area_name(self, slug: str) -> str:
        return self.areas.label(slug) if slug in self.areas.by_slug else slug


def criteria_label(u: Understanding) -> str:
    """Name what a query asked about: criteria codes, or Parts."""
    if u.criteria:
        return ", ".join(u.criteria)
    return " or ".join(f"Part {p.upper()}" for p in u.parts)


def ids(rows: list[RatingRow]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.entry_id for r in rows))
