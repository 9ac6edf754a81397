"""Command line: build | query | explain | export | related | glossary | quality | serve | publish |
nginx-config | analytics | bench."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from search.analytics.recorder import DEFAULT_KEEP_DAYS
from search.errors import QueryError, SearchError, os_cause
from search.models import FACETS, SORTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_ANALYTICS_DIR = "analytics"


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

    request = search_request(args)
    index = open_index(args)
    result = index.search(request, without=switched_off(args, index))
    body = result_to_json(result)
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
        return 0
    if body["corrected_query"]:
        print(f"Showing results for: {body['corrected_query']} (--verbatim searches for what you typed)")
    reworded = [(said["word"], said["report_words"]) for said in body["searched_as"]]
    for line in word_notices(
        None if body["corrected_query"] else body["suggested_query"], body["missing_words"], reworded
    ):
        print(line)
    if body["nothing_searched"]:
        print(nothing_searched_line())
    for place in body["outside"]:
        print(f"{place['note']}.")
    if body["scope"]:
        for place in body["scope"]["places"]:
            print(f"{place['note']}.")
        if body["scope"]["relaxed"]:
            print(body["scope"]["relaxed"]["message"])
        names = ", ".join(index.areas.label(slug) for slug in body["scope"]["areas"])
        widened = body["scope"]["all_areas_query"]
        also = ", and the entries naming the places above" if body["scope"]["place_entries"] else ""
        print(f"About {names} only{also}" + (f"; in every Area: {widened!r}" if widened else ""))
    if body["sections"]:
        them = "them" if len(body["sections"]) > 1 else "it"
        print(
            f"Read as the report's {'; '.join(s['label'] for s in body['sections'])}: the entries in {them} first"
        )
    if body["answer"]:
        print(f"Answer: {body['answer']['text']}")
        for note in body["answer"]["notes"]:
            print(f"  ({note})")
    count = "1 result" if body["total"] == 1 else f"{body['total']:,} results"
    print(f"{count} ({body['took_ms']} ms)")
    start = (request.page - 1) * request.per_page
    for n, hit in enumerate(body["results"], start=start + 1):
        areas = ", ".join(hit["areas"]) or "—"
        print(f"{n:3}. [{hit['id']}] {hit['title']}  ({hit['kind']}; part {hit['part']}; {areas})")
        print(f"     {plain(hit['snippet'])}")
    return 0


def search_request(args):
    """Validate the query options as the API validates its parameters."""
    from search.query.request import parse_request

    params = {"q": [args.text], "per_page": [str(args.limit)], "page": [str(args.page)], "sort": [args.sort]}
    params["explain"] = ["1" if getattr(args, "explain", False) else "0"]
    params["verbatim"] = ["1" if getattr(args, "verbatim", False) else "0"]
    for facet in FACETS:
        params[facet] = getattr(args, facet) or []
    try:
        return parse_request(params)
    except QueryError as exc:
        # Name the option the user typed, not the API parameter behind it.
        option = {"per_page": "--limit", "page": "--page", "sort": "--sort", "q": "the query"}.get(
            exc.param, f"--{exc.param}"
        )
        raise QueryError(exc.message.replace(exc.param, option, 1), exc.param) from None


def switched_off(args, index) -> frozenset[str]:
    """Read --without: the query-stage parts to switch off, checked against the build's."""
    from search.query.parts import parse_without

    try:
        return parse_without(args.without or "", index.lexicon.lay_family_names)
    except ValueError as exc:
        raise QueryError(f"--without: {exc}", "without") from None


def cmd_explain(args) -> int:
    index = open_index(args)
    explanation = index.explain(search_request(args), args.id, without=switched_off(args, index))
    if args.json:
        print(json.dumps(explanation, ensure_ascii=False, indent=2))
        return 0
    print(f"Query: {args.text!r}")
    for line in explanation_lines(explanation, index.areas.label):
        print(line)
    print(f"Entry: {args.id}")
    if not explanation["matched"]:
        print(f"Not matched: {explanation['why']}.")
        return 0
    for clause in explanation["clauses"]:
        fields = ", ".join(f"{k} {v:.2f}" for k, v in clause.get("fields", {}).items())
        print(f"  {clause['score']:8.3f}  {clause['reason']}" + (f"  ({fields})" if fields else ""))
    print(f"  {explanation['matched']:8.3f}  matched")
    for lift in explanation["lifts"]:
        print(f"  + {lift['value']:.2f}    {lift['reason']}")
    print(f"  {explanation['score']:8.3f}  score")
    return 0


def word_notices(suggested: str | None, missing: list[str] | None, reworded: list) -> list[str]:
    """Return what the words typed came to: a correction offered, words not found, and each
    word the report never uses with the report's words it was searched as."""
    lines = [f"Did you mean: {suggested}?"] if suggested else []
    if missing:
        lines.append(f"Not found in the report: {', '.join(missing)}")
    lines += [
        f"The report does not use {word!r}; searched for: {', '.join(words)}" for word, words in reworded
    ]
    return lines


def nothing_searched_line() -> str:
    """Say why a query with text but no word to search for finds nothing."""
    from search.query.pipeline import NOTHING_SEARCHED

    return f"Nothing searched: {NOTHING_SEARCHED}."


def explanation_lines(explanation: dict, area_name) -> list[str]:
    """Return how a query was read, as lines: what was understood, corrected, offered, missing, scoped."""

    def said(value) -> str:
        if isinstance(value, dict) and "name" in value:  # a place, with the Areas covering it
            return f"{value['name']} ({', '.join(area_name(a) for a in value['areas'])})"
        if isinstance(value, list):
            return ", ".join(said(v) for v in value)
        return str(value)

    understood = explanation["understood"]
    read = [(k.replace("_", " "), said(v)) for k, v in understood.items() if v]
    lines = ["Read as: " + "; ".join(f"{k}: {v}" for k, v in read)]
    if explanation.get("corrected_query"):
        lines.append(f"Corrected to: {explanation['corrected_query']}")
    reworded = list((explanation.get("searched_as") or {}).items())
    lines += word_notices(explanation.get("suggested_query"), explanation.get("missing_words"), reworded)
    if explanation.get("nothing_searched"):
        lines.append(nothing_searched_line())
    if explanation.get("scope"):
        also = "".join(f", and the entries naming {p}" for p in explanation.get("scope_places", ()))
        lines.append(f"Searched only in: {', '.join(area_name(a) for a in explanation['scope'])}{also}")
    return lines


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
    from search.public import default_public_url, normalise_public_url
    from search.server import serve

    corpus, index = paths(args)
    public = args.public_url or os.environ.get("AAP_PUBLIC_URL") or default_public_url(args.host, args.port)
    public = normalise_public_url(public)
    if not args.no_build:
        ensure_index(corpus, index, in_child=True)
    # The app factory reads these in each worker (web/analytics.py); empty means off.
    os.environ["AAP_ANALYTICS_DIR"] = "" if args.no_analytics else str(analytics_dir(args).resolve())
    os.environ["AAP_ANALYTICS_KEEP_DAYS"] = str(args.analytics_keep_days)
    return serve(corpus, index, args.host, args.port, args.workers, public)


def analytics_dir(args) -> Path:
    """Return the analytics folder chosen on the command line or by environment."""
    return Path(args.analytics_dir or os.environ.get("AAP_ANALYTICS_DIR") or DEFAULT_ANALYTICS_DIR)


def cmd_analytics(args) -> int:
    import time

    from search.analytics.report import build_report, print_tables, write_csv

    folder = analytics_dir(args)
    if not folder.is_dir():
        raise SearchError(f"no analytics folder {folder} (`serve` records into it unless --no-analytics)")
    report = build_report(folder, args.since, time.time(), args.limit)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif args.csv:
        write_csv(report, sys.stdout)
    else:
        print_tables(report, sys.stdout)
    return 0


def cmd_publish(args) -> int:
    from search.index.publish import publish

    _, index = paths(args)
    failed = 0
    for destination, outcome in publish(index, [Path(d) for d in args.destinations], args.build):
        failed += outcome.startswith("failed")
        print(f"{destination}: {outcome}", file=sys.stderr if outcome.startswith("failed") else sys.stdout)
    return 1 if failed else 0


def cmd_nginx_config(args) -> int:
    from search.deploy import NginxSite, nginx_command, write_nginx_config

    site = NginxSite(
        listen=args.listen,
        server_name=args.server_name,
        replicas=tuple(args.replica),
        csv_rate=args.csv_rate,
        csv_burst=args.csv_burst,
        request_rate=args.request_rate,
        request_burst=args.request_burst,
        connections_per_address=args.connections_per_address,
    )
    write_nginx_config(Path(args.folder), site)
    print(f"Wrote {Path(args.folder) / 'nginx.conf'} and {Path(args.folder) / 'aap-search.conf'}")
    print("Run nginx with:  " + " ".join(nginx_command("nginx", Path(args.folder))))
    return 0


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


WITHOUT_HELP = (
    "query-stage parts to switch off, comma-separated (e.g. lay-words,proximity, or a lay family "
    "such as lay-words:money); the parts are listed in the README"
)


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
    q.add_argument(
        "--explain", action="store_true", help="say why each result scored as it did (with --json)"
    )
    q.add_argument("--without", metavar="PART,…", help=WITHOUT_HELP)
    q.add_argument(
        "--verbatim", action="store_true", help="search the words as typed, without correcting them"
    )
    q.set_defaults(func=cmd_query)

    x = sub.add_parser("explain", help="say why an entry scores as it does for a query")
    x.add_argument("text", help="the query")
    x.add_argument("id", help="the entry id, e.g. para-4.10")
    for facet in FACETS:
        x.add_argument(f"--{facet}", action="append", metavar="VALUE", help=f"filter by {facet} (repeatable)")
    x.add_argument("--json", action="store_true", help="print the explanation as JSON")
    x.add_argument("--without", metavar="PART,…", help=WITHOUT_HELP)
    x.set_defaults(func=cmd_explain, limit=10, page=1, sort="relevance")

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
    s.add_argument(
        "--no-build",
        action="store_true",
        help="never build: serve what the index's CURRENT names (a replica fed by `publish`)",
    )
    s.add_argument(
        "--public-url",
        help="where users reach the service, for absolute URLs and the trusted Host "
        "(default: $AAP_PUBLIC_URL, else http://HOST:PORT)",
    )
    s.add_argument(
        "--analytics-dir",
        metavar="DIR",
        help="record searches and clicks here, one file per process (default: $AAP_ANALYTICS_DIR, else ./analytics)",
    )
    s.add_argument("--no-analytics", action="store_true", help="record nothing")
    s.add_argument(
        "--analytics-keep-days",
        type=positive,
        default=DEFAULT_KEEP_DAYS,
        metavar="N",
        help=f"roll rows older than N days up into daily counts (default {DEFAULT_KEEP_DAYS})",
    )
    s.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "publish",
        help="copy a build to other index folders and switch their CURRENT (one builder, many readers)",
    )
    p.add_argument("destinations", nargs="+", metavar="DEST", help="a replica's index folder (repeatable)")
    p.add_argument("--build", metavar="NAME", help="the build to publish (default: the one --index serves)")
    p.set_defaults(func=cmd_publish)

    n = sub.add_parser("nginx-config", help="write the nginx configuration for replicas (deploy/nginx/)")
    n.add_argument("folder", help="folder for nginx.conf, the site, logs and temporary files")
    n.add_argument("--listen", default="127.0.0.1:8080", help="HOST:PORT nginx listens on")
    n.add_argument("--server-name", default="localhost", help="the public host name (the trusted Host)")
    n.add_argument(
        "--replica", action="append", required=True, metavar="HOST:PORT", help="a replica (repeat)"
    )
    n.add_argument(
        "--csv-rate", default="30r/m", help="CSV downloads per address (nginx rate, default 30r/m)"
    )
    n.add_argument("--csv-burst", type=int, default=5, help="CSV downloads allowed at once above the rate")
    n.add_argument(
        "--request-rate", default="10r/s", help="searches and pages per address (nginx rate, default 10r/s)"
    )
    n.add_argument(
        "--request-burst", type=int, default=50, help="requests allowed at once above the rate (default 50)"
    )
    n.add_argument(
        "--connections-per-address",
        type=int,
        default=8,
        help="requests in progress at once from one address (default 8)",
    )
    n.set_defaults(func=cmd_nginx_config)

    a = sub.add_parser("analytics", help="report what readers searched for and opened (every file merged)")
    a.add_argument("--analytics-dir", metavar="DIR", help="default: $AAP_ANALYTICS_DIR, else ./analytics")
    a.add_argument("--since", type=positive, metavar="DAYS", help="only the last DAYS days (default: all)")
    a.add_argument("--limit", type=positive, default=20, help="entries per list (default 20)")
    shape = a.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the report as JSON")
    shape.add_argument("--csv", action="store_true", help="print the report as CSV")
    a.set_defaults(func=cmd_analytics)

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
    except OSError as exc:  # a file or folder that cannot be read or written, named with why
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
        print(f"error: {where}{os_cause(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
