"""Facet selections: read the values a person typed ("London North", "Part C") as slugs,
and combine the facet parameters with the field filters typed in the query."""

from __future__ import annotations

from search.curated.areas import AreaRegistry
from search.curated.taxonomy import Taxonomy
from search.models import KIND_LABELS, SearchRequest
from search.query.engine.facets import FacetIndex


class Selection:
    """Reads facet values against the Areas and themes of one build."""

    def __init__(self, areas: AreaRegistry, taxonomy: Taxonomy, facets: FacetIndex):
        self.areas = areas
        self.taxonomy = taxonomy
        self.facets = facets

    def resolve_value(self, facet: str, value: str) -> str:
        """Read a facet value typed by a person ("London North", "Part C") as its slug."""
        low = value.strip().lower()
        if facet == "area":
            return self.areas.resolve(value) or low
        if facet == "theme":
            for theme in self.taxonomy.themes:
                if low in (theme.slug, theme.label.lower()):
                    return theme.slug
            return low.replace(" ", "-")
        if facet == "part":
            return low.removeprefix("part").strip() or low
        if facet == "kind":
            for kind, label in KIND_LABELS.items():
                if low in (kind, label.lower(), kind + "s", label.lower() + "s"):
                    return kind
            return low.replace(" ", "-")
        return low

    def merge(self, request: SearchRequest, filters: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        """Combine facet parameters with field filters typed in the query."""
        selections = dict(request.selections())
        for facet, values in filters.items():
            if facet in selections:
                resolved = tuple(self.resolve_value(facet, v) for v in values)
                selections[facet] = tuple(dict.fromkeys(selections[facet] + resolved))
        return selections

    def values_mask(self, filters: dict[str, list[str]]) -> int:
        """Return the documents carrying any of the given facet values."""
        mask = 0
        for facet, values in filters.items():
            if facet in self.facets.values:
                mask |= self.facets.selection_mask(facet, tuple(self.resolve_value(facet, v) for v in values))
        return mask
