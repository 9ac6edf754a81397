"""The operators' report: every process file in the folder merged, with the daily counts.

`build_report()` returns plain data (what `--json` prints); `write_csv()` and
`print_tables()` render the same figures as CSV rows and as tables on a terminal.
Every list holds objects with `query` and `count`, most frequent first.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path
from typing import IO

from search.analytics.figures import REFINE_SECONDS, Skipped, Tally, merge, tally
from search.analytics.rollup import rolled_days
from search.analytics.storage import DAILY, Damaged, open_read_only, process_files

DEFAULT_LIMIT = 20
LISTS = {
    "top_queries": "Top queries",
    "zero_result_queries": "Queries with no results",
    "no_click_queries": "Queries with results but no click",
    "corrections": "Corrections applied or offered",
    "refined_queries": "Searches refined within a minute",
    "answered_queries": "Queries answered",
}
SUMMARY = {
    "searches": "searches (with words)",
    "distinct_queries": "distinct queries",
    "browses": "browses (no words: the front page, filters only)",
    "searches_with_results": "searches with results",
    "zero_result_searches": "searches with no results",
    "clicks": "results opened",
    "click_through_rate": "click-through rate (results opened per search with results)",
    "mean_clicked_rank": "mean rank of the results opened",
    "answers_shown": "answers shown",
    "refined": "searches refined within a minute",
}


def day_start(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()


def build_report(folder: Path, since_days: int | None, now: float, limit: int = DEFAULT_LIMIT) -> dict:
    """Merge every file in the folder and compute the report's figures (the last `since_days` days)."""
    folder = Path(folder)
    start = now - since_days * 86400 if since_days else 0.0
    first_day = dt.datetime.fromtimestamp(start, dt.UTC).date().isoformat()
    skipped: list[Skipped] = []
    try:
        done = rolled_days(folder)
        daily = read_daily(folder, first_day)
    except (sqlite3.Error, Damaged) as exc:
        done, daily = set(), []
        skipped.append(Skipped(DAILY, str(exc)))
    files = process_files(folder)
    # Rows from a minute earlier too: a search may be refined from one just before the period.
    merged, unread = merge(files, max(0.0, start - REFINE_SECONDS))
    skipped += unread
    raw = [t for t in tally(merged, start) if t.day not in done]
    merged.close()
    report = figures(raw + daily, limit)
    days = sorted({t.day for t in raw + daily})
    report["period"] = {
        "since_days": since_days,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
    }
    report["files"] = {"read": len(files) - len(unread), "skipped": [s._asdict() for s in skipped]}
    return report


def read_daily(folder: Path, first_day: str) -> list[Tally]:
    """Return the daily counts from `first_day` on."""
    path = Path(folder) / DAILY
    if not path.exists():
        return []
    conn = open_read_only(path)
    try:
        rows = conn.execute(
            "SELECT day, figure, query, detail, count FROM tallies WHERE day >= ?", (first_day,)
        )
        return [Tally(*row) for row in rows]
    finally:
        conn.close()


def figures(tallies: list[Tally], limit: int) -> dict:
    """Sum tallies into the report's totals and lists."""
    by: dict[str, Counter] = {}
    for t in tallies:
        by.setdefault(t.figure, Counter())[(t.query, t.detail)] += t.count

    def per_query(figure: str) -> Counter:
        counts: Counter = Counter()
        for (query, _), n in by.get(figure, Counter()).items():
            if query:
                counts[query] += n
        return counts

    searches, with_results, zero = per_query("searches"), per_query("with_results"), per_query("zero")
    clicks, ranked, rank_sum = per_query("clicks"), per_query("ranked_clicks"), per_query("rank_sum")
    answered = per_query("answered")
    no_click = Counter({q: n for q, n in with_results.items() if not clicks[q]})
    corrections = Counter()
    for how, figure in (("applied", "corrected"), ("offered", "offered")):
        for (query, correction), n in by.get(figure, Counter()).items():
            corrections[(query, correction, how)] += n
    refined = Counter({pair: n for pair, n in by.get("refined", Counter()).items()})
    total_with_results = sum(with_results.values())
    return {
        "searches": sum(searches.values()),
        "distinct_queries": len(+searches),
        "browses": by.get("searches", Counter())[("", "")],
        "searches_with_results": total_with_results,
        "zero_result_searches": sum(zero.values()),
        "clicks": sum(clicks.values()),
        "click_through_rate": round(sum(clicks.values()) / total_with_results, 3)
        if total_with_results
        else None,
        "mean_clicked_rank": round(sum(rank_sum.values()) / sum(ranked.values()), 2)
        if sum(ranked.values())
        else None,
        "answers_shown": sum(answered.values()),
        "refined": sum(refined.values()),
        "top_queries": ranked_list(searches, limit),
        "zero_result_queries": ranked_list(zero, limit),
        "no_click_queries": ranked_list(no_click, limit),
        "corrections": [
            {"query": q, "correction": c, "how": how, "count": n}
            for (q, c, how), n in top(corrections, limit)
        ],
        "refined_queries": [{"query": q, "refined_to": to, "count": n} for (q, to), n in top(refined, limit)],
        "answered_queries": ranked_list(answered, limit),
    }


def top(counts: Counter, limit: int) -> list[tuple]:
    """Return the `limit` largest counts, ties in the keys' order, so the report is stable."""
    return sorted(((k, n) for k, n in counts.items() if n), key=lambda kn: (-kn[1], kn[0]))[:limit]


def ranked_list(counts: Counter, limit: int) -> list[dict]:
    return [{"query": q, "count": n} for q, n in top(counts, limit)]


def csv_rows(report: dict) -> list[tuple]:
    """Return the report as rows of (section, query, detail, count): the totals, then each list."""
    rows = [("summary", name, "", report[name]) for name in SUMMARY]
    for name in LISTS:
        for item in report[name]:
            detail = item.get("correction") or item.get("refined_to") or ""
            if "how" in item:
                detail = f"{item['how']}: {detail}"
            rows.append((name, item["query"], detail, item["count"]))
    return rows


def write_csv(report: dict, out: IO[str]) -> None:
    """Write the report as CSV: a header, then csv_rows()."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "query", "detail", "count"))
    writer.writerows(("" if v is None else v for v in row) for row in csv_rows(report))


def print_tables(report: dict, out: IO[str]) -> None:
    """Print the report as readable tables (rich), sized to the terminal when there is one."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # plain text: a query's "[email]" is not markup

    console = Console(file=out)
    period = report["period"]
    title = "Search analytics" + (f", last {period['since_days']} days" if period["since_days"] else "")
    if period["first_day"]:
        title += f" ({period['first_day']} to {period['last_day']})"
    summary = Table(title=title, show_header=False)
    summary.add_column("figure")
    summary.add_column("value", justify="right")
    for name, label in SUMMARY.items():
        value = report[name]
        summary.add_row(
            label, "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
        )
    console.print(summary)
    for name, label in LISTS.items():
        if not report[name]:
            continue
        table = Table(title=label, min_width=len(label) + 4)  # a title wider than its table wraps
        table.add_column("query")
        if name in ("corrections", "refined_queries"):
            table.add_column("to")
        if name == "corrections":
            table.add_column("how")
        table.add_column("count", justify="right")
        for item in report[name]:
            cells = [item["query"]]
            if name == "corrections":
                cells += [item["correction"], item["how"]]
            elif name == "refined_queries":
                cells.append(item["refined_to"])
            table.add_row(*map(Text, cells), f"{item['count']:,}")
        console.print(table)
    files = report["files"]
    console.print(Text(f"{files['read']} file(s) read."))
    for skipped in files["skipped"]:
        console.print(Text(f"Skipped {skipped['file']}: {skipped['reason']}"))
