"""Presentation helpers for the templates: search URLs, pagination, text blocks, safe snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import Response, current_app, request, url_for
from markupsafe import Markup, escape

from search.models import FACETS, SearchRequest, SearchResult
from search.output.serialize import last_page, permalink, request_pairs
from search.text.highlight import HighlightTerms, highlight_all

# What search.text.highlight produces: text escaped by html.escape, matches in bare <mark> tags.
SAFE_SNIPPET = re.compile(r"(?:[^<>&\"']|&(?:amp|lt|gt|quot|#x27);|</?mark>)*")
TABLE_ROW = re.compile(r"^(?P<label>[^|]*?): (?P<cells>.+? \| .+)$")
LIST_ITEM = re.compile(r"^\s*[-•]\s+(?P<item>.+)$")
PAGE_WINDOW = 2
DEFAULTS = SearchRequest()


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of a page under the configured public URL (never the request's Host)."""
    return absolute_url(url_for(endpoint, **values))


def args() -> dict[str, list[str]]:
    """Return the request's query parameters, each name with all its values."""
    return request.args.to_dict(flat=False)


def attachment(body: bytes | str, mimetype: str, name: str) -> Response:
    """Return a download: a file the browser saves under `name` rather than shows."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def entry_base_url() -> str:
    """Return the absolute URL of entries' pages, to which a download's rows append their ids."""
    # url_for for each of thousands of rows cost more than the search itself.
    return external_url("pages.entry_page", entry_id="_")[:-1]


def safe_snippet(snippet: str) -> Markup:
    """Return a search snippet as markup, after checking it holds no HTML but <mark>."""
    if SAFE_SNIPPET.fullmatch(snippet):
        return Markup(snippet)
    # Not the shape search.text.highlight promises: show it as plain text rather than trust it.
    return escape(snippet)


def marked_text(text: str, terms: HighlightTerms) -> Markup:
    """Return an entry's text as markup with a query's words marked, as in its snippets."""
    return safe_snippet(highlight_all(text, terms)) if terms else escape(text)


def absolute_url(path: str) -> str:
    """Return the absolute URL of a path on this service, under the configured public URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/" + path.lstrip("/")


def search_href(req: SearchRequest, **changes) -> str:
    """Return the search page URL of a search state, with changes (page resets unless given)."""
    changes.setdefault("page", 1)
    query = urlencode(request_pairs(req, **changes))
    return "/?" + query if query else "/"


def entry_href(entry_id: str, req: SearchRequest | None = None, rank: int | None = None) -> str:
    """Return an entry's URL, carrying the search it was found by (for its highlights and way back)
    and, from a results page, its rank there (a click, for web/analytics.py)."""
    pairs = request_pairs(req) + ([("rank", str(rank))] if rank else []) if req else []
    query = urlencode(pairs)
    return permalink(entry_id) + ("?" + query if query else "")


def export_href(req: SearchRequest, path: str) -> str:
    """Return an API URL for a search state; the CSV export ignores paging (it has every row)."""
    paging = ("page", "per_page") if path.endswith(".csv") else ()
    query = urlencode([(k, v) for k, v in request_pairs(req) if k not in paging])
    return f"{path}?{query}" if query else path


def facet_href(**selections: str | list[str]) -> str:
    """Return the search page URL filtered by facet values, e.g. facet_href(kind="issue")."""
    pairs = []
    for name, values in selections.items():
        for value in [values] if isinstance(values, str) else values:
            pairs.append((name, value))
    return "/?" + urlencode(pairs)


def without_value(req: SearchRequest, facet: str, value: str) -> str:
    """Return the URL of a search state with one facet value removed (a chip's link)."""
    kept = tuple(v for v in getattr(req, facet) if v != value)
    return search_href(req, **{facet: kept})


def without_filters(req: SearchRequest) -> str:
    """Return the URL of a search state with every facet cleared."""
    return search_href(req, **{facet: () for facet in FACETS})


@dataclass(frozen=True)
class PageLink:
    """One link of the pagination bar (number None for a gap)."""

    number: int | None
    href: str
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    """The pages of a result: previous, numbered links with gaps, next."""

    page: int
    last: int
    first_shown: int
    last_shown: int
    previous: str | None
    next: str | None
    links: tuple[PageLink, ...]


def paginate(result: SearchResult) -> Pagination:
    """Work out the pagination bar of a result."""
    req = result.request
    last = last_page(result.total, req.per_page)
    numbers = sorted({1, last, *range(req.page - PAGE_WINDOW, req.page + PAGE_WINDOW + 1)})
    links: list[PageLink] = []
    for n in (n for n in numbers if 1 <= n <= last):
        if links and links[-1].number is not None and n > links[-1].number + 1:
            links.append(PageLink(None, ""))
        links.append(PageLink(n, search_href(req, page=n), n == req.page))
    start = (req.page - 1) * req.per_page
    return Pagination(
        page=req.page,
        last=last,
        first_shown=start + 1 if result.hits else 0,
        last_shown=start + len(result.hits),
        previous=search_href(req, page=min(req.page - 1, last)) if req.page > 1 else None,
        next=search_href(req, page=req.page + 1) if req.page < last else None,
        links=tuple(links),
    )


@dataclass(frozen=True)
class Block:
    """A block of an entry's text: a paragraph, a list or a table."""

    kind: str  # "p", "ul" or "table"
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def text_blocks(text: str) -> list[Block]:
    """Split an entry's text into paragraphs, "- " lists and "label: a | b" tables."""
    blocks: list[Block] = []
    for line in (line.strip() for line in text.splitlines()):
        last = blocks[-1] if blocks else None
        item, row = LIST_ITEM.match(line), TABLE_ROW.match(line)
        if not line:
            blocks.append(Block("break"))
        elif item:
            if last and last.kind == "ul":
                blocks[-1] = replace(last, items=last.items + (item["item"],))
            else:
                blocks.append(Block("ul", items=(item["item"],)))
        elif row:
            cells = (row["label"], *(c.strip() for c in row["cells"].split(" | ")))
            if last and last.kind == "table" and len(cells) == len(last.header):
                blocks[-1] = replace(last, rows=last.rows + (cells,))
            else:
                blocks.append(Block("table", header=cells))
        elif last and last.kind == "p":
            # A line break inside a paragraph (a wrapped Annex B row) joins with a space.
            blocks[-1] = replace(last, text=f"{last.text} {line}")
        else:
            blocks.append(Block("p", text=line))
    return [b for b in blocks if b.kind != "break"]


def rating_class(rating: str | None) -> str:
    """Return the CSS class of a rating ("rating-good"), or "rating-none"."""
    return "rating-" + re.sub(r"[^a-z]+", "-", (rating or "none").lower()).strip("-")


def short_rating(rating: str) -> Markup:
    """Return a rating short enough for a matrix cell ("Exc."), the full word kept for screen readers."""
    if len(rating) <= 5:
        return escape(rating)
    return Markup('<span aria-hidden="true">{}.</span><span class="visually-hidden">{}</span>').format(
        rating[:3], rating
    )


def heat_class(count: int, peak: int) -> str:
    """Return a shading class from heat-0 (none) to heat-4 (the most) for a matrix cell."""
    if count <= 0:
        return "heat-0"
    return f"heat-{min(4, 1 + (3 * count) // max(peak, 1))}"


def schema_label(schema: dict) -> str:
    """Return a JSON schema's type as a reader would say it: "array of Hit", "string or null"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(schema_label(s) for s in schema.get("anyOf") or schema["oneOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return "array of " + schema_label(schema.get("items") or {})
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "object of " + schema_label(schema["additionalProperties"])
    return " or ".join(kind) if isinstance(kind, list) else kind


def schema_limits(schema: dict) -> str:
    """Return a parameter's limits and default in words: "1–1000, default 1"."""
    if schema.get("type") == "array":
        inner = schema_limits(schema.get("items") or {})
        parts = ["repeatable" + (f", at most {schema['maxItems']} values" if "maxItems" in schema else "")]
        return "; ".join([*parts, inner] if inner else parts)
    parts = []
    if "minimum" in schema and "maximum" in schema:
        parts.append(f"{schema['minimum']}–{schema['maximum']}")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if "default" in schema and schema["default"] not in ("", [], None):
        parts.append(
            f"default {str(schema['default']).lower() if isinstance(schema['default'], bool) else schema['default']}"
        )
    return ", ".join(parts)


def schema_fields(document: dict, schema: dict) -> list[tuple[str, dict, bool]]:
    """Return the fields of a body's schema (following its reference): name, schema, required."""
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", ()))
    return [(name, prop, name in required) for name, prop in schema.get("properties", {}).items()]


def ratings_href(chosen, path: str = "/ratings", **changes) -> str:
    """Return the ratings page (or its CSV or JSON) for a ratings request, with changes."""
    pairs = []
    for name in ("area", "part", "criterion", "rating"):
        pairs += [(name, v) for v in changes.get(name, getattr(chosen, name))]
    sort = changes.get("sort", chosen.sort)
    if sort != "area":
        pairs.append(("sort", sort))
    query = urlencode(pairs)
    return f"{path}?{query}" if query else path
