"""Command line: build | query | export | related | glossary | quality | serve | bench."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from search.errors import QueryError, SearchError
from search.models import FACETS, SORTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def paths(args) -> tuple[Path, Path]:
    """Return the corpus and index folders chosen on the command line or by environment."""
    corpus = Path(args.corpus or os.environ.get("AAP_CORPUS_DIR", "corpus"))
    index = Path(args.index or os.environ.get("AAP_INDEX_DIR", "index"))
    return corpus, index


def say(message: str) -> None:
    print(message, file=sys.stderr)


def ensure_index(corpus: Path, index: Path, in_child: bool = False) -> None:
    """Build the index when it is missing or older than the corpus and code.

    With `in_child`, the build runs in a child process: `serve` forks its web workers
    from this one, and they should not carry the parser and the index writer.
    """
    from search.index.layout import is_stale

    if not is_stale(index, corpus):
        return
    say(f"Index in {index} is missing or stale; building it from {corpus} …")
    if in_child:
        command = [sys.executable, "-m", "search", "--corpus", str(corpus), "--index", str(index), "build"]
        if subprocess.run(command, stdout=sys.stderr).returncode != 0:
            raise SearchError(f"building the index in {index} failed")
        return
    from search.index.build import build_index

    meta = build_index(corpus, index)
    say(f"Built {meta['entries']} entries in {meta['seconds']['total']:.1f} s.")


def open_index(args):
    from search.query.searcher import SearchIndex

    corpus, index = paths(args)
    if corpus.is_dir():
        ensure_index(corpus, index)
    return SearchIndex.open(index)


def cmd_build(args) -> int:
    from search.index.build import build_index
    from search.ingest.catalogue import ingest
    from search.progress import terminal_progress

    corpus, index = paths(args)
    progress = terminal_progress(args.quiet)
    catalogue = ingest(corpus, progress)
    meta = build_index(corpus, index, catalogue, progress)
    progress.close()
    print(f"Built index {meta['name']} in {index} ({meta['seconds']['total']:.2f} s)")
    print(f"Entries: {meta['entries']}")
    for kind, count in sorted(meta["by_kind"].items(), key=lambda kv: -kv[1]):
        print(f"  {kind:14} {count}")
    print_quality(catalogue.quality_report()["findings"])
    return 0


def print_quality(findings: list[dict]) -> None:
    """Print the data-quality findings, grouped by kind."""
    print(f"Data-quality findings: {len(findings)}")
    for finding in findings:
        print(f"  [{finding['kind']}] {finding['message']}")


def cmd_query(args) -> int:
    from search.output.serialize import result_to_json
    from search.query.request import parse_request

    params = {"q": [args.text], "per_page": [str(args.limit)], "page": [str(args.page)], "sort": [args.sort]}
    for facet in FACETS:
        params[facet] = getattr(args, facet) or []
    try:
        request = parse_request(params)
    except QueryError as exc:
        # Name the option the user typed, not the API parameter behind it.
        option = {"per_page": "--limit", "page": "--page", "sort": "--sort", "q": "the query"}.get(
            exc.param, f"--{exc.param}"
        )
        raise QueryError(exc.message.replace(exc.param, option, 1), exc.param) from None
    result = open_index(args).search(request)
    body = result_to_json(result)
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return 0
    if body["corrected_query"]:
        print(f"Showing results for: {body['corrected_query']}")
    print(f"{body['total']} results ({body['took_ms']} ms)")
    start = (request.page - 1) * request.per_page
    for n, hit in enumerate(body["results"], start=start + 1):
        areas = ", ".join(hit["areas"]) or "—"
        print(f"{n:3}. [{hit['id']}] {hit['title']}  ({hit['kind']}; part {hit['part']}; {areas})")
        print(f"     {plain(hit['snippet'])}")
    return 0


def plain(snippet: str) -> str:
    """Render an HTML snippet for a terminal: marks in asterisks, entities decoded."""
    import html

    return html.unescape(snippet.replace("<mark>", "*").replace("</mark>", "*"))


def cmd_export(args) -> int:
    from search.ingest.catalogue import export_lines, ingest

    corpus, _ = paths(args)
    entries = ingest(corpus).entries
    if args.kind:
        entries = [e for e in entries if e.kind in args.kind]
    sys.stdout.write("".join(line + "\n" for line in export_lines(entries)))
    return 0


def cmd_related(args) -> int:
    from search.output.serialize import hit_to_json

    hits = [hit_to_json(h) for h in open_index(args).related(args.id, limit=args.limit)]
    if args.json:
        print(json.dumps({"id": args.id, "related": hits}, ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        print(f"[{hit['id']}] {hit['title']} ({', '.join(hit['themes']) or 'no theme'})")
        print(f"     {plain(hit['snippet'])}")
    return 0


def cmd_glossary(args) -> int:
    items = open_index(args).glossary.to_list()
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for item in items:
        where = f" (defined in {item['defined_in']})" if item.get("defined_in") else ""
        print(f"{item['acronym']:8} {item['expansion']}{where}")
    return 0


def cmd_quality(args) -> int:
    report = open_index(args).quality
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_quality(report["findings"])
    return 0


def cmd_serve(args) -> int:
    from search.server import serve

    corpus, index = paths(args)
    ensure_index(corpus, index, in_child=True)
    return serve(corpus, index, args.host, args.port, args.workers)


def cmd_bench(args) -> int:
    from search.bench.run import run_bench

    return run_bench(args)


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def port_number(value: str) -> int:
    number = positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError("a port is at most 65535")
    return number


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m search",
        description="AAP Search: search the HMCPSI Area Assurance Programme composite report.",
    )
    parser.add_argument("--corpus", help="corpus folder (default: ./corpus, or $AAP_CORPUS_DIR)")
    parser.add_argument("--index", help="index folder (default: ./index, or $AAP_INDEX_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="ingest the corpus and build the index")
    build.add_argument("--quiet", action="store_true", help="no progress bars (none unless on a terminal)")
    build.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="search the index")
    q.add_argument("text", help="the query (may be empty to list entries in document order)")
    for facet in FACETS:
        q.add_argument(f"--{facet}", action="append", metavar="VALUE", help=f"filter by {facet} (repeatable)")
    q.add_argument("--limit", type=positive, default=10, help="results per page (1–100, default 10)")
    q.add_argument("--page", type=positive, default=1, help="page number (default 1)")
    q.add_argument("--sort", choices=SORTS, default="relevance")
    q.add_argument("--json", action="store_true", help="print the /api/search JSON body")
    q.set_defaults(func=cmd_query)

    e = sub.add_parser("export", help="print every entry as one JSON object per line")
    e.add_argument("--kind", action="append", help="only entries of this kind (repeatable)")
    e.set_defaults(func=cmd_export)

    r = sub.add_parser("related", help="entries from other Areas most like one entry")
    r.add_argument("id")
    r.add_argument("--limit", type=positive, default=5)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_related)

    g = sub.add_parser("glossary", help="list the acronyms and what they stand for")
    g.add_argument("--json", action="store_true")
    g.set_defaults(func=cmd_glossary)

    d = sub.add_parser("quality", help="print the data-quality findings of the index")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_quality)

    s = sub.add_parser("serve", help="run the web service on a production WSGI server")
    s.add_argument("--host", default=DEFAULT_HOST)
    s.add_argument("--port", type=port_number, default=DEFAULT_PORT)
    s.add_argument("--workers", type=positive, default=2, help="worker processes (default 2)")
    s.set_defaults(func=cmd_serve)

    b = sub.add_parser("bench", help="measure speed and memory (see README)")
    b.add_argument("--quick", action="store_true", help="fewer repetitions and sizes")
    b.add_argument("--sizes", default="", help="comma-separated synthetic corpus sizes, e.g. 10000,100000")
    b.add_argument("--out", help="also write the results as JSON to this file")
    b.add_argument("--quiet", action="store_true", help="no progress bars (none unless on a terminal)")
    b.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
