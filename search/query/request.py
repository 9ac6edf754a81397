"""Validate search parameters (from a URL or the command line) into a SearchRequest."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from search.errors import QueryError
from search.models import FACETS, SORTS, SearchRequest
from search.text.analysis import normalise_text

MAX_QUERY = 500
MAX_PAGE = 1000
MAX_PER_PAGE = 100
MAX_DEPTH = 10_000
# Hits of a page that explain=1 explains: each explanation re-scores every clause for its entry.
MAX_EXPLAINED = 10
MAX_VALUES = 20
MAX_VALUE_LENGTH = 100
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"", "0", "false", "no", "off"})
COMPARE_MIN, COMPARE_MAX = 2, 4
MAX_SUGGESTIONS = 20
DEFAULT_SUGGESTIONS = 8
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Parameters up to this long are put in the normal form before their length is checked.
MAX_NORMALISED = 8 * MAX_QUERY


def clean_text(value: str) -> str:
    """Put text in the normal form it is searched in, replace control characters with spaces and trim."""
    return CONTROL.sub(" ", normal_form(value)).strip()


def normal_form(value: str) -> str:
    """Return a parameter's normal form (`normalise_text`); one far too long to be valid is left
    as it is, to be refused by its length without the work."""
    return normalise_text(value) if len(value) <= MAX_NORMALISED else value


def parse_int(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    """Read a whole number parameter within [low, high]."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw[:40]!r}", name) from None
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}", name)
    return value


def parse_request(params: Mapping[str, Sequence[str]]) -> SearchRequest:
    """Validate parameters: q, area, theme, part, kind (repeatable), page, per_page, sort, explain."""

    def first(name: str) -> str | None:
        values = params.get(name) or ()
        return values[0] if values else None

    q = clean_text(first("q") or "")
    if len(q) > MAX_QUERY:
        raise QueryError(f"q must be at most {MAX_QUERY} characters", "q")
    facets = {}
    for facet in FACETS:
        values = [clean_text(v) for v in params.get(facet) or () if clean_text(v)]
        if len(values) > MAX_VALUES:
            raise QueryError(f"at most {MAX_VALUES} values of {facet} may be selected", facet)
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise QueryError(f"{facet} values must be at most {MAX_VALUE_LENGTH} characters", facet)
        facets[facet] = tuple(dict.fromkeys(v.lower() for v in values))
    page = parse_int("page", first("page"), 1, 1, MAX_PAGE)
    per_page = parse_int("per_page", first("per_page"), 10, 1, MAX_PER_PAGE)
    if page * per_page > MAX_DEPTH:
        raise QueryError(f"page × per_page must be at most {MAX_DEPTH}; narrow the search instead", "page")
    sort = (first("sort") or "relevance").strip().lower()
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}", "sort")
    explain = parse_flag("explain", first("explain"))
    verbatim = parse_flag("verbatim", first("verbatim"))
    return SearchRequest(
        q=q, page=page, per_page=per_page, sort=sort, explain=explain, verbatim=verbatim, **facets
    )


def parse_flag(name: str, raw: str | None) -> bool:
    """Read an on/off parameter: 1, true, yes or on; 0, false, no, off or empty."""
    value = (raw or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise QueryError(f"{name} must be 1 or 0 (true or false), not {raw[:40]!r}", name)


def parse_suggest(params: Mapping[str, Sequence[str]]) -> tuple[str, int]:
    """Validate the parameters of /api/suggest: q (kept with its trailing space) and limit."""
    q = CONTROL.sub(" ", normal_form((params.get("q") or [""])[0])).lstrip()
    if len(q) > MAX_QUERY:
        raise QueryError(f"q must be at most {MAX_QUERY} characters", "q")
    limit = parse_int("limit", (params.get("limit") or [None])[0], DEFAULT_SUGGESTIONS, 1, MAX_SUGGESTIONS)
    return q, limit


def parse_compare(values: Sequence[str], resolve: Callable[[str], str | None]) -> tuple[str, ...]:
    """Validate the Areas to compare (slugs or names): two to four, each known, in the order given."""
    slugs: list[str] = []
    for value in values:
        slug = resolve(clean_text(value)[:MAX_VALUE_LENGTH])
        if slug is None:
            raise QueryError(f"unknown Area {clean_text(value)[:40]!r}; see /areas for the list", "area")
        if slug not in slugs:
            slugs.append(slug)
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        chosen = "none was" if not slugs else f"{len(slugs)} {'was' if len(slugs) == 1 else 'were'}"
        raise QueryError(
            f"choose {COMPARE_MIN} to {COMPARE_MAX} different Areas to compare; {chosen} chosen", "area"
        )
    return tuple(slugs)
