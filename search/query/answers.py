"""Answers from the structured data: ratings, counts, the most and the fewest, definitions.

Only a question the query reader recognised (`Understanding.question`) is answered, and
only from data the report holds in structure — the scores tables (Area × criterion ×
rating), the Annex B rows and the glossary — never from prose. An answer is complete or
absent: a question about a Part's ratings covers every criterion of the Part and says
which is the overall score; the most or the fewest names every Area tied; when the data
cannot answer, there is no answer.

- `which-areas`: "which Areas were rated Poor on casework?" (every criterion of Part C);
  "which Area was rated Good for every part of casework?" (every criterion at once); a
  topic no criterion is named for ("rated Poor for disclosure") is said to be one;
- `area-scores`: "how was Wessex rated on victims?"; "did Wessex get any excellent ratings?";
- `count`: "how many issues to address does the North East have?";
- `superlative`: "which Area had the most issues to address?", "rated highest for leadership";
- `definition`: "what does IQA stand for?" (the glossary, and the entries that use the term).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from search.curated.areas import AreaRegistry
from search.models import KIND_LABELS, PART_LABELS, RATINGS, Answer, Entry, RatingRow
from search.query.understanding import Understanding
from search.text.analysis import stems
from search.text.glossary import Glossary, acronym_tokens

PLURAL_LABELS = {
    "issue": "issues to address",
    "good-practice": "examples of good practice",
    "strength": "strengths",
}
# Best first: "highest" is the first of these an Area got.
RANK = {rating: n for n, rating in enumerate(RATINGS)}


LEADING = re.compile(r"^(?:(?:about|on|for|in|with|regarding|concerning|around|of|over)\s+)+", re.IGNORECASE)


def topic_of(words: tuple[str, ...]) -> str:
    """Return a question's topic words as a phrase to quote, without the preposition before them."""
    return LEADING.sub("", " ".join(words)) or " ".join(words)


class Answerer:
    """Answers questions from one build's scores rows, Annex B rows and glossary."""

    def __init__(
        self,
        entries: list[Entry],
        areas: AreaRegistry,
        quality: dict,
        glossary: Glossary | None = None,
        uses: Callable[[tuple[str, ...]], tuple[int, ...]] = lambda form: (),
    ):
        """`uses(stems)` gives the entries whose title or text holds a stem sequence (from the index)."""
        self.entries = entries
        self.areas = areas
        self.glossary = glossary or Glossary([])
        self.uses = uses
        self.gaps = [f for f in quality.get("findings", []) if f.get("kind") == "numbering-gap"]
        self.stated = [f for f in quality.get("findings", []) if f.get("kind") == "count"]
        self.rows = [
            RatingRow(e.areas[0], self.area_name(e.areas[0]), r.code, r.criterion, r.rating, e.id)
            for e in entries
            if e.kind == "rating" and e.areas
            for r in e.ratings
        ]
        self.part_of = {e.id: e.part for e in entries if e.kind == "rating"}
        self.criteria = {r.code: r.criterion for r in self.rows}
        # The inspection framework's entries for each scored criterion: the criterion ("A1")
        # and its sub-criteria ("1a", "1b", …), which say what inspectors look for.
        self.framework: dict[str, list[Entry]] = {}
        for entry in entries:
            code = f"{entry.part.upper()}{(entry.number or '')[:1]}"
            if entry.kind == "criterion" and entry.number and code in self.criteria:
                self.framework.setdefault(code, []).append(entry)

    def answer(self, u: Understanding) -> Answer | None:
        """Return the answer to a recognised question, or None."""
        if u.question == "which-areas":
            return self.which_areas(u)
        if u.question == "area-scores":
            return self.area_scores(u)
        if u.question == "count" and u.counts_areas:
            return self.area_count()
        if u.question == "count" and len(u.kinds) == 1:
            return self.count(u)
        if u.question == "superlative":
            return self.superlative(u)
        if u.question == "definition":
            return self.definition(u)
        return None

    # -- ratings ----------------------------------------------------------------------

    def ratings(self, u: Understanding, areas: tuple[str, ...] = ()) -> list[RatingRow]:
        """Return the ratings of the criteria named, or of every criterion of the Parts named (only
        their overall scores when those are asked about)."""
        rows = [r for r in self.rows if not areas or r.area in areas]
        if u.criteria:
            return [r for r in rows if r.code in u.criteria]
        if u.overall:  # "rated excellent overall": each Part's overall score
            rows = [r for r in rows if len(r.code) == 1]
        if u.parts:
            return [r for r in rows if self.part_of[r.entry_id] in u.parts]
        return rows

    def which_areas(self, u: Understanding) -> Answer:
        """Answer "which Areas were rated Poor on casework?": every criterion, grouped, overall named."""
        values = " or ".join(u.ratings)
        if u.unscored and not (u.criteria or u.parts):
            # "rated poor for disclosure": the tables cannot answer, and every Poor rating would
            # read as an answer about disclosure.
            return self.unscored(u, f"Areas were rated {values}")
        if u.every and u.parts and not u.criteria:
            return self.rated_on_every_criterion(u)
        rows = [r for r in self.ratings(u) if r.rating in u.ratings]
        if not rows:
            return Answer(
                "ratings", u.question, f"No Area was rated {values} for {self.named(u) or 'any criterion'}."
            )
        sentences = []
        for (code, criterion), group in grouped(rows).items():
            names = ", ".join(r.area_name for r in group)
            verb = "Area was" if len(group) == 1 else "Areas were"
            sentences.append(
                f"{len(group)} {verb} rated {values} for {criterion_name(code, criterion)}: {names}."
            )
        areas = {r.area for r in rows}
        if u.parts and not u.criteria and len(sentences) > 1:
            sentences.append(f"{len(areas)} {'Area' if len(areas) == 1 else 'Areas'} in all.")
        return Answer("ratings", u.question, " ".join(sentences), tuple(rows), len(areas), ids(rows))

    def rated_on_every_criterion(self, u: Understanding) -> Answer:
        """Answer "which Area was rated Good for every part of casework?"."""
        values = " or ".join(u.ratings)
        rows = self.ratings(u)
        by_area: dict[str, list[RatingRow]] = {}
        for row in rows:
            by_area.setdefault(row.area, []).append(row)
        chosen = [a for a, own in by_area.items() if all(r.rating in u.ratings for r in own)]
        kept = [r for r in rows if r.area in chosen]
        parts = " and ".join(PART_LABELS[p] for p in u.parts)
        if not chosen:
            text = f"No Area was rated {values} on every criterion of Part {parts}."
        else:
            names = ", ".join(self.area_name(a) for a in chosen)
            verb = "Area was" if len(chosen) == 1 else "Areas were"
            text = f"{len(chosen)} {verb} rated {values} on every criterion of Part {parts}, overall score included: {names}."
        return Answer("ratings", u.question, text, tuple(kept), len(chosen), ids(kept))

    def area_scores(self, u: Understanding) -> Answer:
        """Answer "how did Wessex score on victims?", and "did Wessex get any excellent ratings?"
        (the criteria it was rated that on, or that it was rated that on none)."""
        rows = self.ratings(u, u.areas)
        if not rows:
            names = ", ".join(self.area_name(a) for a in u.areas)
            return Answer("ratings", u.question, no_rating(names, self.named(u)))
        if u.ratings:
            return self.area_rated(u, rows)
        parts = []
        for area in u.areas:
            own = [r for r in rows if r.area == area]
            if own:
                scores = "; ".join(f"{criterion_name(r.code, r.criterion)}: {r.rating}" for r in own)
                parts.append(f"{own[0].area_name} — {scores}.")
                # Beside others, an Area the tables rate on fewer Parts says which it lacks.
                lacking = sorted(
                    {self.part_of[r.entry_id] for r in rows} - {self.part_of[r.entry_id] for r in own}
                )
                if lacking:
                    parts.append(no_rating(own[0].area_name, parts_named(lacking, "or")))
            else:  # an Area asked about beside others that the tables do not rate on it
                parts.append(no_rating(self.area_name(area), self.named(u)))
        return Answer("ratings", u.question, " ".join(parts), tuple(rows), None, ids(rows))

    def area_rated(self, u: Understanding, rows: list[RatingRow]) -> Answer:
        """Name the criteria each Area asked about was rated a value on, of those the tables give it."""
        values = " or ".join(u.ratings)
        chosen = [r for r in rows if r.rating in u.ratings]
        parts = []
        named = self.named(u)
        for area in u.areas:
            own = [r for r in rows if r.area == area]
            name = self.area_name(area)
            if not own:
                parts.append(no_rating(name, named))
                continue
            rated = [r for r in own if r.rating in u.ratings]
            if len(own) == 1:
                row = own[0]
                criterion = criterion_name(row.code, row.criterion)
                if rated:
                    parts.append(f"{name} was rated {row.rating} for {criterion}.")
                else:
                    parts.append(f"{name} was not rated {values} for {criterion}: it was rated {row.rating}.")
                    chosen.append(row)  # the cell the answer rests on
                continue
            scope = f"of its {len(own)} ratings " + (f"for {named}" if named else "in the scores tables")
            if rated:
                names = "; ".join(criterion_name(r.code, r.criterion) for r in rated)
                parts.append(f"{name} was rated {values} in {len(rated)} {scope}: {names}.")
            else:
                parts.append(f"{name} was rated {values} in none {scope}.")
        return Answer("ratings", u.question, " ".join(parts), tuple(chosen), None, ids(chosen))

    # -- the most and the fewest -----------------------------------------------------------

    def superlative(self, u: Understanding) -> Answer | None:
        """Answer "which Area had the most issues to address?" or "rated highest for leadership"."""
        if len(u.kinds) == 1 and u.unscored and not u.parts:
            # "which area had the most issues about disclosure": Annex B does not say which rows
            # are about it, and a count of every row would read as the answer.
            label = PLURAL_LABELS[u.kinds[0]]
            return Answer(
                "ranking",
                u.question,
                f"Annex B does not say which {label} are about “{topic_of(u.unscored)}”, so it cannot "
                f"say which Area had the {'most' if u.superlative == 'max' else 'fewest'}. The results "
                "below are the report's entries on it.",
            )
        if len(u.kinds) == 1:
            return self.most_entries(u)
        if u.criteria or u.parts or u.overall:
            return self.best_rated(u)
        if u.unscored:
            # "which area has the best disclosure": the tables rate no criterion of that name.
            return self.unscored(u, f"Area was rated {'highest' if u.superlative == 'max' else 'lowest'}")
        return None

    def most_entries(self, u: Understanding) -> Answer:
        """Name the Areas with the most (or fewest) Annex B rows of a kind, ties included."""
        kind = u.kinds[0]
        in_parts, by_part = self.counted_parts(u)
        counted = [e for e in self.entries if e.kind == kind and (not in_parts or e.part in in_parts)]
        per_area = Counter({a.slug: 0 for a in self.areas.areas})
        per_area.update(a for e in counted for a in e.areas if a in per_area)
        best = (max if u.superlative == "max" else min)(per_area.values())
        winners = [a for a, n in per_area.items() if n == best]
        label = PLURAL_LABELS[kind] if best != 1 else KIND_LABELS[kind].lower()
        amount = f"{best} {label}" if best else "none"
        names = join(self.area_name(a) for a in winners)
        most = "most" if u.superlative == "max" else "fewest"
        each = " each" if len(winners) > 1 else ""
        scope = f" in Part {' or '.join(PART_LABELS[p] for p in in_parts)}" if in_parts else ""
        text = f"{names} had the {most} {PLURAL_LABELS[kind]}{scope}: {amount}{each} (Annex B)."
        ranked = sorted(per_area.items(), key=lambda an: (-an[1] if u.superlative == "max" else an[1], an[0]))
        if u.limit and u.limit < len(ranked):
            # "the 3 areas with the most issues": three, and every Area tied with the third.
            cut = ranked[u.limit - 1][1]
            first = [(a, n) for a, n in ranked if (n >= cut if u.superlative == "max" else n <= cut)]
            winners = [a for a, _ in first]
            listed = join(f"{self.area_name(a)} {n}" for a, n in first)
            text = f"The {u.limit} Areas with the {most} {PLURAL_LABELS[kind]}{scope} (Annex B): {listed}."
            if len(first) > u.limit:
                tied = sum(n == cut for _, n in first)
                text += f" {tied} Areas share the count at the cut, so {len(first)} are named."
        else:
            nxt = next(((a, n) for a, n in ranked if n != best), None)
            if nxt:
                text += f" Next: {self.area_name(nxt[0])}, {nxt[1]}."
        if by_part:
            text += " " + by_part
        notes = self.gap_notes(kind, set(winners))
        entries = [e.id for e in counted if set(e.areas) & set(winners)]
        search = {"kind": [kind], "area": winners, "part": list(in_parts)}
        return Answer(
            "ranking", u.question, text, count=best, entry_ids=tuple(entries),
            search={k: v for k, v in search.items() if v}, notes=notes,
        )  # fmt: skip

    def best_rated(self, u: Understanding) -> Answer:
        """Name the Areas rated highest (or lowest) on each criterion named, or on a Part's overall score."""
        # Without a criterion named, a Part is ranked on its overall score.
        rows = self.ratings(u) if u.criteria else [r for r in self.ratings(u) if len(r.code) == 1]
        chosen: list[RatingRow] = []
        sentences = []
        way = "highest" if u.superlative == "max" else "lowest"
        for (code, criterion), group in grouped(rows).items():
            name = criterion_name(code, criterion)
            if u.limit:
                top = first_places(group, u.limit, u.superlative)
                chosen += top
                sentences.append(ranked_sentence(top, u.limit, way, name, len(group)))
                continue
            pick = min if u.superlative == "max" else max
            best = pick(RANK[r.rating] for r in group)
            top = [r for r in group if RANK[r.rating] == best]
            chosen += top
            names = ", ".join(r.area_name for r in top)
            count = f"{len(top)} Areas" if len(top) > 1 else "1 Area"
            sentences.append(f"Rated {way} for {name}: {RATINGS[best]}, {count} — {names}.")
        return Answer(
            "ratings",
            u.question,
            " ".join(sentences),
            tuple(chosen),
            len({r.area for r in chosen}),
            ids(chosen),
        )

    # -- counts and definitions -------------------------------------------------------

    def area_count(self) -> Answer:
        """Answer "how many areas are there": the CPS Areas the report covers, each with its own report."""
        slugs = [a.slug for a in self.areas.areas]
        reports = [e.id for slug in slugs for e in self.entries if e.kind == "report" and e.areas == (slug,)]
        text = f"The report covers {len(slugs)} CPS Areas: {join(self.area_name(s) for s in slugs)}."
        if len(reports) == len(slugs):
            text += " Each was inspected, with a report of its own."
        return Answer(
            "count", "count", text, count=len(slugs), entry_ids=tuple(reports), search={"kind": ["report"]},
            source="the Areas the report covers",
        )  # fmt: skip

    def count(self, u: Understanding) -> Answer:
        """Answer "how many issues to address does North East have?"."""
        kind = u.kinds[0]
        in_parts, by_part = self.counted_parts(u)
        counted = [
            e
            for e in self.entries
            if e.kind == kind
            and (not u.areas or set(u.areas) & set(e.areas))
            and (not in_parts or e.part in in_parts)
        ]
        where = " and ".join(self.area_name(a) for a in u.areas) or "all Areas"
        parts = " or ".join(PART_LABELS[p] for p in in_parts)
        scope = f"{where}, Part {parts}" if parts else where
        label = PLURAL_LABELS[kind] if len(counted) != 1 else KIND_LABELS[kind].lower()
        text = f"The report lists {len(counted)} {label} for {scope} (Annex B)."
        by_area = Counter(a for e in counted for a in e.areas)
        if by_part:
            text += " " + by_part
        if len(u.areas) > 1:  # each Area's own share
            text += " " + "; ".join(f"{self.area_name(a)}: {by_area.get(a, 0)}" for a in u.areas) + "."
        notes = self.gap_notes(kind, {a for a in by_area if not u.areas or a in u.areas})
        if not u.areas:
            notes += tuple(
                f"The report itself states {f['stated']} for Part {f['part'].upper()} ({f['cited_by']}); "
                f"{f['stated'] - f['found']} of its rows are missing from Annex B."
                for f in self.stated
                if f.get("entry_kind") == kind and f.get("part") in in_parts and f["stated"] > f["found"]
            )
        search = {"kind": [kind], "area": list(u.areas), "part": list(in_parts)}
        return Answer(
            "count",
            u.question,
            text,
            count=len(counted),
            entry_ids=tuple(e.id for e in counted),
            search={k: v for k, v in search.items() if v},
            notes=notes,
        )

    def definition(self, u: Understanding) -> Answer | None:
        """Answer "what does IQA stand for?" from the glossary, with the entries that use the term.

        Only a term the glossary holds is answered, and only when the question asks about
        it alone ("what does AAP pilot mean" asks about more than AAP).
        """
        found = []
        for word in u.topic:
            for tok in acronym_tokens(word):
                if (acronym := self.glossary.lookup(tok.word)) and acronym not in found:
                    found.append(acronym)
        topic = tuple(s for w in u.topic for s in stems(w))
        for acronym in self.glossary.expansions_in(topic):
            if acronym not in found:
                found.append(acronym)
        covered = {s for a in found for s in (a.key, *a.expansion_stems)}
        if not found or not set(topic) <= covered:
            return self.framework_definition(u)
        sentences, using = [], []
        typed = {tok.word.lower() for word in u.topic for tok in acronym_tokens(word)}
        # A reader's acronym the report never writes is said to be one: the report is quoted.
        unwritten: dict[str, list[str]] = {}
        unused: set[str] = set()  # expansions the report does not use either
        for a in found:
            written = bool(a.defined_in or self.uses((a.key,)))
            where = f"; the report defines it in {a.defined_in}" if a.defined_in else ""
            if a.acronym.lower() in typed or a.key in typed:
                short = "" if written else f"; the report does not write {a.acronym}"
                sentences.append(f"{a.acronym} stands for {a.expansion}{where}{short}.")
            elif written:  # the expansion was asked about: its acronym is what else to look for
                sentences.append(f"“{a.expansion}” is written {a.acronym} for short{where}.")
            else:
                unwritten.setdefault(a.expansion, []).append(a.acronym)
                if not self.uses(a.expansion_stems):
                    unused.add(a.expansion)
            for form in ((a.key,), a.expansion_stems):
                using += [self.entries[d].id for d in self.uses(form)] if form else []
        sentences += [
            f"Readers may know “{expansion}” as {' or '.join(acronyms)}; the report "
            + ("uses neither." if expansion in unused else "does not shorten it.")
            for expansion, acronyms in unwritten.items()
        ]
        defined = [a.defined_in for a in found if a.defined_in]
        entries = tuple(dict.fromkeys(defined + using))
        count = {0: "No entry uses it.", 1: "1 entry uses it."}.get(
            len(entries), f"{len(entries)} entries use it."
        )
        said_unused = not entries and unused  # "the report uses neither" says it already
        text = " ".join(sentences) + ("" if said_unused else " " + count)
        return Answer("definition", u.question, text, count=len(entries), entry_ids=entries,
                      search={"q": [found[0].acronym]}, defining=tuple(dict.fromkeys(defined)))  # fmt: skip

    def framework_definition(self, u: Understanding) -> Answer | None:
        """Answer "what is meant by joined up working?", "what counts as good leadership?" from
        the inspection framework: a scored criterion is what its criterion and sub-criteria
        say inspectors look for. Only a question about the criteria alone is answered (a rating
        value may stand beside them); "what is a case progression officer" asks about more."""
        named = [code for code in u.criteria if code in self.framework]
        values = {s for value in RATINGS for s in stems(value)}
        names = {s for code in named for s in stems(self.criteria[code])}
        topic = {s for w in u.topic for s in stems(w)} - values
        if not named or not topic or not topic <= names:
            return None
        sentences = []
        for code in named:
            lead, *subs = self.framework[code]
            what = f"In the inspection framework (Annex A), {criterion_name(code, self.criteria[code])} is “{lead.text}”"
            if subs:
                what += f"; its sub-criteria {subs[0].number}–{subs[-1].number} say what inspectors look for"
            sentences.append(what + ".")
        entries = tuple(e.id for code in named for e in self.framework[code])
        listing = " ".join(f"id:{i}" for i in entries)
        return Answer("definition", u.question, " ".join(sentences), count=len(entries), entry_ids=entries,
                      search={"q": [listing]}, defining=entries,
                      source="the inspection framework in Annex A")  # fmt: skip

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def counted_parts(u: Understanding) -> tuple[tuple[str, ...], str]:
        """Return the Parts a count of Annex B rows covers, and what to say when they stand for
        the criteria named: Annex B sorts its rows by Part, not by criterion."""
        if u.parts or not u.criteria:
            return tuple(u.parts), ""
        parts = tuple(dict.fromkeys(c[0].lower() for c in u.criteria))
        return parts, (
            "Annex B sorts its rows by Part, not by criterion: these are all of "
            f"{parts_named(parts, 'and')}, not only {' and '.join(u.criteria)}."
        )

    @staticmethod
    def unscored(u: Understanding, asked: str) -> Answer:
        """Say that no criterion of the tables is named for a question's topic, so they cannot
        say which Areas (or Area) were rated as asked: no rows, as any would read as the answer."""
        return Answer(
            "ratings",
            u.question,
            f"No criterion of the scores tables is named for “{topic_of(u.unscored)}”: they cannot "
            f"say which {asked} for it. The results below are the report's entries on it.",
        )

    def gap_notes(self, kind: str, areas: set[str]) -> tuple[str, ...]:
        """Say which Areas' rows of a kind are missing from the report's numbering."""
        return tuple(
            f"{self.area_name(g['area'])}: {KIND_LABELS[kind].lower()} numbers "
            f"{', '.join(str(n) for n in g['missing'])} are missing from the report's numbering."
            for g in self.gaps
            if g.get("entry_kind") == kind and g.get("area") in areas
        )

    def named(self, u: Understanding) -> str:
        """Name what a query asked about: criteria ("A1 Leadership"), or Parts."""
        if u.criteria:
            return ", ".join(criterion_name(c, self.criteria.get(c, "")).strip() for c in u.criteria)
        return " or ".join(f"Part {p.upper()}" for p in u.parts)

    def area_name(self, slug: str) -> str:
        return self.areas.label(slug) if slug in self.areas.by_slug else slug


def criterion_name(code: str, criterion: str) -> str:
    """Name a criterion; a one-letter code is a Part's overall score, and is called that."""
    if len(code) == 1:
        return f"the overall score for Part {code} ({code})"
    return f"{code} {criterion}"


def grouped(rows: list[RatingRow]) -> dict[tuple[str, str], list[RatingRow]]:
    """Group rows by criterion, in the tables' order with each Part's overall score last."""
    groups: dict[tuple[str, str], list[RatingRow]] = {}
    for row in sorted(rows, key=lambda r: (r.code[0], len(r.code) == 1, r.code)):
        groups.setdefault((row.code, row.criterion), []).append(row)
    return groups


def ranked_sentence(top: list[RatingRow], limit: int, way: str, name: str, rated: int) -> str:
    """Say which Areas came first, band by band ("The 3 Areas rated highest for A1 Leadership:
    Good — East Midlands, …"), and why more are named than were asked for."""
    bands: dict[str, list[str]] = {}
    for r in top:
        bands.setdefault(r.rating, []).append(r.area_name)
    listed = "; ".join(f"{rating} — {', '.join(names)}" for rating, names in bands.items())
    if rated <= limit:
        return f"All {rated} Areas rated for {name}, {way} first: {listed}."
    text = f"The {limit} {'Area' if limit == 1 else 'Areas'} rated {way} for {name}: {listed}."
    if len(top) > limit:
        last = top[-1].rating
        text += f" {len(bands[last])} Areas share the {last} rating at the cut, so {len(top)} are named."
    return text


def first_places(rows: list[RatingRow], limit: int, way: str) -> list[RatingRow]:
    """Return the first `limit` rows by rating, best first for "max" (worst first for "min"),
    with every row tied with the last: a list cut inside a tie would not be complete."""
    sign = 1 if way == "max" else -1
    ranked = sorted(rows, key=lambda r: (sign * RANK[r.rating], r.area))
    if len(ranked) <= limit:
        return ranked
    cut = RANK[ranked[limit - 1].rating]
    return [r for r in ranked if sign * RANK[r.rating] <= sign * cut]


def join(names, last: str = "and") -> str:
    """Join names as a sentence does: "A", "A and B", "A, B and C" (or "A, B or C")."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {last} " + names[-1]


def parts_named(parts, last: str) -> str:
    """Name Parts by their letters: "Part A", "Parts A and B", "Parts A, B or D"."""
    letters = [p.upper() for p in parts]
    return f"{'Part' if len(letters) == 1 else 'Parts'} {join(letters, last)}"


def no_rating(name: str, what: str) -> str:
    """Say that the scores tables give an Area no rating on what was asked."""
    return f"The report's scores tables give no rating for {name} on {what or 'these criteria'}."


def ids(rows: list[RatingRow]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.entry_id for r in rows))
