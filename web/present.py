"""Presentation helpers for the templates: search URLs, pagination, text blocks, safe snippets."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import current_app, url_for
from markupsafe import Markup, escape

from search.models import FACETS, SearchRequest, SearchResult
from search.output.serialize import permalink
from search.query.request import MAX_DEPTH, MAX_PAGE
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


def request_pairs(req: SearchRequest, **changes) -> list[tuple[str, str]]:
    """Return the URL parameters of a search state, omitting defaults, in a stable order."""
    req = replace(req, **changes)
    pairs: list[tuple[str, str]] = []
    if req.q:
        pairs.append(("q", req.q))
    for facet in FACETS:
        pairs.extend((facet, v) for v in getattr(req, facet))
    if req.sort != DEFAULTS.sort:
        pairs.append(("sort", req.sort))
    if req.per_page != DEFAULTS.per_page:
        pairs.append(("per_page", str(req.per_page)))
    if req.page != DEFAULTS.page:
        pairs.append(("page", str(req.page)))
    return pairs


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
    reachable = min(MAX_PAGE, MAX_DEPTH // req.per_page)
    last = max(1, min(math.ceil(result.total / req.per_page), reachable))
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
