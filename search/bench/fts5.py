"""An SQLite FTS5 peer doing the same work as /api/search, over the same entries.

Porter stemming on unicode61 tokens, bm25 ranking, disjunctive facet counts with
GROUP BY (each facet counted under the other facets' selections, never its own),
`snippet()` for a page of ten. The query text is read the plain way FTS5 allows:
words OR-ed, quoted phrases kept, `word*` as a prefix, `-word` and `NOT word`
excluded, `area:` style filters applied as filters; no stemming beyond Porter, no
acronyms, no spelling correction — what a plain FTS5 search gives.
"""

from __future__ import annotations

import re
import sqlite3

from search.models import FACETS, Entry

TOKEN = re.compile(
    r'(?P<sign>[+-])?(?:(?P<field>area|theme|part|kind):(?P<value>"[^"]*"|\S+)|"(?P<phrase>[^"]*)"?|(?P<word>\S+))'
)
WORD = re.compile(r"\w+")
FACET_SQL = {
    "area": "select e.rowid, e.kind, e.part, a.value from hits e join entry_area a on a.rowid = e.rowid",
    "theme": "select e.rowid, e.kind, e.part, t.value from hits e join entry_theme t on t.rowid = e.rowid",
    "part": "select e.rowid, e.kind, e.part, e.part as value from hits e",
    "kind": "select e.rowid, e.kind, e.part, e.kind as value from hits e",
}


class Fts5Peer:
    """An in-memory FTS5 index of the entries, answering search parameters."""

    def __init__(self, entries: list[Entry]):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript(
            """
            create table entry(rowid integer primary key, id text, kind text, part text, title text, text text);
            create virtual table fts using fts5(
                title, text, content='entry', content_rowid='rowid', tokenize='porter unicode61');
            create table entry_area(rowid integer, value text);
            create table entry_theme(rowid integer, value text);
            create index entry_area_value on entry_area(value, rowid);
            create index entry_theme_value on entry_theme(value, rowid);
            """
        )
        self.db.executemany(
            "insert into entry values (?, ?, ?, ?, ?, ?)",
            [(n, e.id, e.kind, e.part, e.title, e.text) for n, e in enumerate(entries, start=1)],
        )
        self.db.execute("insert into fts(fts) values ('rebuild')")
        self.db.executemany(
            "insert into entry_area values (?, ?)",
            [(n, a) for n, e in enumerate(entries, 1) for a in e.areas],
        )
        self.db.executemany(
            "insert into entry_theme values (?, ?)",
            [(n, t) for n, e in enumerate(entries, 1) for t in e.themes],
        )
        self.db.commit()

    def search(self, params: dict[str, list[str]]) -> dict:
        """Run one search: total, four disjunctive facet counts and a page of snippets."""
        text = (params.get("q") or [""])[0]
        match, filters = translate(text)
        selections = {f: list(dict.fromkeys(params.get(f, []) + filters.get(f, []))) for f in FACETS}
        cur = self.db.cursor()
        cur.execute("drop table if exists temp.hits")
        if match:
            try:
                cur.execute(
                    "create temp table hits as select e.rowid, e.kind, e.part, bm25(fts) as score "
                    "from fts join entry e on e.rowid = fts.rowid where fts match ?",
                    (match,),
                )
            except sqlite3.OperationalError:  # FTS5 syntax it cannot read counts as no match
                cur.execute(
                    "create temp table hits as select rowid, kind, part, 0.0 as score from entry where 0"
                )
        else:
            cur.execute("create temp table hits as select rowid, kind, part, 0.0 as score from entry")
        facets = {}
        for facet in FACETS:
            where, args = self.where(selections, skip=facet)
            rows = cur.execute(
                f"select value, count(*) from ({FACET_SQL[facet]}) e where {where} group by value "
                "order by count(*) desc, value",
                args,
            ).fetchall()
            facets[facet] = rows
        where, args = self.where(selections)
        total = cur.execute(f"select count(*) from hits e where {where}", args).fetchone()[0]
        if match and total:
            page = cur.execute(
                "select e.id, snippet(fts, 1, '<mark>', '</mark>', '…', 32) from fts "
                f"join entry e on e.rowid = fts.rowid where fts match ? and e.rowid in "
                f"(select e.rowid from hits e where {where}) order by bm25(fts) limit 10",
                [match, *args],
            ).fetchall()
        else:
            page = cur.execute(
                f"select x.id, substr(x.text, 1, 300) from entry x where x.rowid in "
                f"(select e.rowid from hits e where {where}) order by x.rowid limit 10",
                args,
            ).fetchall()
        return {"total": total, "facets": facets, "results": page}

    @staticmethod
    def where(selections: dict[str, list[str]], skip: str | None = None) -> tuple[str, list]:
        """Return the SQL condition for the facet selections, leaving one facet out."""
        clauses, args = ["1"], []
        for facet, values in selections.items():
            if facet == skip or not values:
                continue
            marks = ", ".join("?" * len(values))
            if facet in ("area", "theme"):
                clauses.append(f"e.rowid in (select rowid from entry_{facet} where value in ({marks}))")
            else:
                clauses.append(f"e.{facet} in ({marks})")
            args += values
        return " and ".join(clauses), args


def translate(text: str) -> tuple[str, dict[str, list[str]]]:
    """Turn our query syntax into an FTS5 MATCH string and facet filters."""
    include, exclude, filters = [], [], {}
    negate = False
    for m in TOKEN.finditer(text):
        sign = "-" if negate else m.group("sign")
        negate = False
        if m.group("field"):
            value = m.group("value").strip('"')
            if sign != "-":
                filters.setdefault(m.group("field"), []).append(value.lower().replace(" ", "-"))
            continue
        if m.group("phrase") is not None:
            words = WORD.findall(m.group("phrase"))
            term = '"' + " ".join(words) + '"' if words else None
        else:
            word = m.group("word")
            if word == "NOT":
                negate = True
                continue
            words = WORD.findall(word)
            term = None
            if words:
                term = '"' + " ".join(words) + '"' + ("*" if word.endswith("*") else "")
        if term:
            (exclude if sign == "-" else include).append(term)
    if not include:
        return "", filters
    match = " OR ".join(include)
    if exclude:
        match = f"({match}) NOT ({' OR '.join(exclude)})"
    return match, filters
