"""The OpenAPI 3.1 description of /api/, written by hand as data (tests check it against responses)."""

from __future__ import annotations

from search.models import FACETS, KINDS, PARTS, SORTS, SUGGESTION_KINDS
from search.query.request import (
    COMPARE_MAX,
    COMPARE_MIN,
    DEFAULT_SUGGESTIONS,
    MAX_EXPLAINED,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY,
    MAX_SUGGESTIONS,
    MAX_VALUES,
)

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NULLABLE_STRING = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": STRING}
COUNTS = {"type": "object", "additionalProperties": INTEGER}


def ref(name: str) -> dict:
    """Return a reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def strict(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """Return an object schema whose properties are all required (but `optional`) and no others."""
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def array(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


ENTRY_PROPERTIES = {
    "id": STRING,
    "kind": {"enum": list(KINDS)},
    "part": {"enum": list(PARTS)},
    "title": STRING,
    "text": STRING,
    "source": {"type": "string", "description": "id of the source document in the manifest"},
    "order": {"type": "integer", "description": "position in document order"},
    "areas": STRINGS,
    "themes": STRINGS,
    "number": STRING,
    "section": STRING,
    "footnotes": array("Footnote"),
    "ratings": array("Rating"),
    "url": {"type": "string", "format": "uri", "description": "link to an Area's own report (Annex D)"},
    "permalink": STRING,
}
ENTRY_OPTIONAL = ("number", "section", "footnotes", "ratings", "url")

SCHEMAS = {
    "Error": strict({"error": STRING, "param": NULLABLE_STRING, "status": INTEGER}),
    "FacetValue": strict({"value": STRING, "label": STRING, "count": INTEGER}),
    "Hit": strict(
        {
            "id": STRING,
            "kind": {"enum": list(KINDS)},
            "part": {"enum": list(PARTS)},
            "areas": STRINGS,
            "themes": STRINGS,
            "number": NULLABLE_STRING,
            "title": STRING,
            "text": STRING,
            "snippet": {"type": "string", "description": "HTML: text escaped, matches in <mark>"},
            "score": {"type": ["number", "null"], "description": "null when sorted by document order"},
            "url": STRING,
            "explanation": ref("Explanation"),
        },
        ("explanation",),
    ),
    "Explanation": {
        "type": "object",
        "description": "with explain=1: why the entry scored as it did; the parts add up to `score`",
        "properties": {
            "clauses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "reason": STRING,
                        "score": {"type": "number"},
                        "fields": {"type": "object", "additionalProperties": {"type": "number"}},
                        "required": {"type": "boolean"},
                    },
                    "required": ["reason", "score"],
                },
            },
            "matched": {"type": "number", "description": "the clauses' sum"},
            "prior": {
                "type": ["object", "null"],
                "properties": {"factor": {"type": "number"}, "reason": STRING},
                "description": "the factor of the entry's kind, when the query did not ask for that kind",
            },
            "lifts": {
                "type": "array",
                "items": strict({"reason": STRING, "value": {"type": "number"}}),
                "description": "added for an Area's own entry, a kind named, an entry an answer rests on",
            },
            "score": {"type": "number"},
        },
        "required": ["clauses", "matched", "prior", "lifts", "score"],
    },
    "QueryExplanation": {
        "type": "object",
        "description": "with explain=1: how the query was read and compiled",
        "properties": {
            "understood": {"type": "object"},
            "corrected_query": NULLABLE_STRING,
            "scope": STRINGS,
            "kind_factors": {"type": "object", "additionalProperties": {"type": "number"}},
            "clauses": STRINGS,
            "required": STRINGS,
        },
        "required": ["understood", "corrected_query", "scope", "kind_factors", "clauses", "required"],
    },
    "Answer": strict(
        {
            "kind": {
                "enum": ["ratings", "count"],
                "description": "from the scores tables, or a count of Annex B rows",
            },
            "question": {"enum": ["which-areas", "area-scores", "count"]},
            "text": {"type": "string", "description": "the answer in one or two sentences"},
            "count": {"type": ["integer", "null"], "description": "how many Areas, or how many entries"},
            "ratings": {
                "type": "array",
                "items": strict(
                    {
                        "area": STRING,
                        "area_name": STRING,
                        "code": STRING,
                        "criterion": STRING,
                        "rating": STRING,
                        "entry": STRING,
                        "url": STRING,
                        "area_url": STRING,
                    }
                ),
            },
            "entries": {
                "type": "array",
                "items": STRING,
                "description": "ids of the entries the answer rests on",
            },
            "search_url": {"type": ["string", "null"], "description": "a search listing the entries counted"},
            "notes": {
                "type": "array",
                "items": STRING,
                "description": "what the data leaves out (numbering gaps)",
            },
        }
    ),
    "Scope": strict(
        {
            "areas": {
                "type": "array",
                "items": STRING,
                "description": "the Areas the query names: only entries about them match",
            },
            "all_areas_query": {
                "type": "string",
                "description": "the same query without the Areas, to search every Area",
            },
        }
    ),
    "SearchResult": strict(
        {
            "query": STRING,
            "corrected_query": NULLABLE_STRING,
            "total": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "results": array("Hit"),
            "facets": strict({facet: array("FacetValue") for facet in FACETS}),
            "took_ms": {"type": "number"},
            "answer": {
                "oneOf": [ref("Answer"), {"type": "null"}],
                "description": "an answer from the scores tables or the Annex B rows, for a question about ratings or counts",
            },
            "scope": {"oneOf": [ref("Scope"), {"type": "null"}]},
            "explanation": ref("QueryExplanation"),
        },
        ("explanation",),
    ),
    "Suggestion": strict(
        {
            "text": {"type": "string", "description": "the whole query proposed"},
            "kind": {"enum": list(SUGGESTION_KINDS)},
            "detail": {"type": ["string", "null"], "description": "an acronym's expansion, or the reverse"},
            "count": {"type": "integer", "description": "how many entries use it"},
            "url": {"type": "string", "description": "the search page for it"},
        }
    ),
    "Suggestions": strict({"query": STRING, "suggestions": array("Suggestion")}),
    "OpenSearchSuggestions": {
        "type": "array",
        "description": "OpenSearch suggestions: the query, then the completions",
        # [query, [completions]]; one "items" schema for both, as tools read "prefixItems" unevenly.
        "items": {"oneOf": [STRING, STRINGS]},
        "minItems": 2,
        "maxItems": 2,
    },
    "Footnote": strict({"number": STRING, "text": STRING}),
    "Rating": strict({"code": STRING, "criterion": STRING, "rating": STRING, "label": STRING}),
    "Entry": strict(ENTRY_PROPERTIES, ENTRY_OPTIONAL),
    "EntryDetail": strict(
        {
            **ENTRY_PROPERTIES,
            "citation": STRING,
            "citations": {
                **strict({"text": STRING, "ris": STRING, "bibtex": STRING}),
                "description": "plain text, RIS and BibTeX, each with the absolute permanent URL; "
                "also at /entries/<id>.txt, .ris and .bib",
            },
            "previous": NULLABLE_STRING,
            "next": NULLABLE_STRING,
            "related": array("Hit"),
            "counterparts": {
                **array("Hit"),
                "description": "for an issue, good practice and strengths of other Areas on its themes; "
                "for good practice or a strength, the issues of other Areas it could answer; best match first",
            },
        },
        ENTRY_OPTIONAL,
    ),
    "ScoreTable": strict(
        {
            "table": STRING,
            "part": {"enum": list(PARTS)},
            "criteria": {"type": "array", "items": strict({"code": STRING, "criterion": STRING})},
            "footnotes": array("Footnote"),
        }
    ),
    "AreaSummary": strict(
        {
            "slug": STRING,
            "name": STRING,
            "url": STRING,
            "report_url": NULLABLE_STRING,
            "counts": strict({kind: INTEGER for kind in KINDS}),
            "scores": {
                "type": "object",
                "additionalProperties": STRING,
                "description": "criterion code → rating",
            },
        }
    ),
    "AreaList": strict({"areas": array("AreaSummary"), "score_tables": array("ScoreTable")}),
    "AreaScores": strict(
        {
            "table": STRING,
            "part": {"enum": list(PARTS)},
            "criteria": {"type": "array", "items": strict({"code": STRING, "criterion": STRING})},
            "footnotes": array("Footnote"),
            "entry": {"type": ["string", "null"], "description": "the rating entry; null if not scored"},
            "ratings": {
                "type": "array",
                "items": strict({"code": STRING, "criterion": STRING, "rating": STRING}),
            },
        }
    ),
    "AreaProfile": strict(
        {
            "slug": STRING,
            "name": STRING,
            "aliases": STRINGS,
            "url": STRING,
            "report": {"oneOf": [ref("Entry"), {"type": "null"}]},
            "scores": array("AreaScores"),
            "issues": array("Entry"),
            "good_practice": array("Entry"),
            "strengths": array("Entry"),
            "mentions": array("Entry"),
        }
    ),
    "AreaLink": strict({"slug": STRING, "name": STRING, "url": STRING}),
    "Comparison": strict(
        {
            "areas": array("AreaLink"),
            "scores": {
                "type": "array",
                "items": strict(
                    {
                        "table": STRING,
                        "part": {"enum": list(PARTS)},
                        "criteria": {
                            "type": "array",
                            "items": strict(
                                {
                                    "code": STRING,
                                    "criterion": STRING,
                                    "ratings": {
                                        "type": "object",
                                        "additionalProperties": NULLABLE_STRING,
                                        "description": "Area slug → rating; null where not scored",
                                    },
                                    "differs": {
                                        "type": "boolean",
                                        "description": "the Areas' ratings differ",
                                    },
                                }
                            ),
                        },
                    }
                ),
            },
            "themes": {
                "type": "array",
                "description": "themes on which any of the Areas has an issue, good practice or strength",
                "items": strict(
                    {
                        "slug": STRING,
                        "label": STRING,
                        **{
                            key: {
                                "type": "object",
                                "additionalProperties": array("Entry"),
                                "description": "Area slug → rows",
                            }
                            for key in ("issues", "good_practice", "strengths")
                        },
                    }
                ),
            },
        }
    ),
    "Theme": strict(
        {
            "slug": STRING,
            "label": STRING,
            "description": STRING,
            "count": INTEGER,
            "counts": COUNTS,
            "url": STRING,
        }
    ),
    "ThemeList": strict({"themes": array("Theme")}),
    "Acronym": strict(
        {
            "acronym": STRING,
            "expansion": STRING,
            "origin": {"enum": ["defined", "curated"]},
            "defined_in": STRING,
        },
        ("defined_in",),
    ),
    "Glossary": strict({"acronyms": array("Acronym")}),
    "Quality": strict(
        {
            "entries": INTEGER,
            "by_kind": COUNTS,
            "findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"kind": STRING, "message": STRING, "source": STRING},
                    "required": ["kind", "message", "source"],
                },
            },
        }
    ),
}


def query_parameter(name: str, schema: dict, description: str) -> dict:
    """Return a query parameter; arrays repeat the name (?area=a&area=b)."""
    param = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if schema.get("type") == "array":
        param.update(style="form", explode=True)
    return param


SEARCH_PARAMETERS = [
    query_parameter("q", {"type": "string", "maxLength": MAX_QUERY}, "query text; empty lists everything"),
    *(
        query_parameter(
            facet,
            {"type": "array", "items": STRING, "maxItems": MAX_VALUES},
            f"{facet} filter, repeatable: values OR-ed, facets AND-ed; unknown values match nothing",
        )
        for facet in FACETS
    ),
    query_parameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "page"),
    query_parameter(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
        "results per page",
    ),
    query_parameter("sort", {"enum": list(SORTS), "default": "relevance"}, "order of results"),
    query_parameter(
        "explain",
        {"enum": ["0", "1", "true", "false"], "default": "0"},
        f"1: add to the result how the query was read, and to each of its first {MAX_EXPLAINED} hits"
        " why it scored as it did",
    ),
]
CACHE_HEADERS = {
    "ETag": {"description": "weak validator of the index build and request", "schema": STRING},
    "Cache-Control": {"schema": STRING},
}


def json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "headers": CACHE_HEADERS,
        "content": {"application/json": {"schema": ref(schema)}},
    }


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def operation(summary: str, ok: dict, parameters: list | None = None, errors: dict | None = None) -> dict:
    """Return a GET operation with the responses every endpoint shares."""
    responses = {
        "200": ok,
        "304": {"description": "not modified (If-None-Match matched the ETag, or was * for what exists)"},
        "400": error_response("the request's Host is not one this service answers to"),
    }
    responses.update(errors or {})
    responses["503"] = error_response("no usable index")
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def path_parameter(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": STRING, "description": description}


BAD_PARAMETER = {
    "400": error_response("a parameter is invalid (`param` names it), or the Host is not trusted")
}
PATHS = {
    "/api/search": operation(
        "Search entries",
        json_response("results and facet counts", "SearchResult"),
        SEARCH_PARAMETERS,
        BAD_PARAMETER,
    ),
    "/api/suggest": operation(
        "Completions of the text typed so far: Areas, themes, acronyms and the report's phrases",
        {
            "description": "completions, best first (matches at the start, then the most used)",
            "headers": CACHE_HEADERS,
            "content": {
                "application/json": {"schema": ref("Suggestions")},
                "application/x-suggestions+json": {"schema": ref("OpenSearchSuggestions")},
            },
        },
        [
            query_parameter("q", {"type": "string", "maxLength": MAX_QUERY}, "the text typed so far"),
            query_parameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS, "default": DEFAULT_SUGGESTIONS},
                "most completions to return",
            ),
            query_parameter(
                "format",
                {"enum": ["json", "opensearch"], "default": "json"},
                "`opensearch`: the OpenSearch suggestions array (application/x-suggestions+json)",
            ),
        ],
        BAD_PARAMETER,
    ),
    "/api/search.csv": operation(
        "Every entry a search matches, as CSV (page and per_page are ignored)",
        {
            "description": "CSV with a header row",
            "headers": CACHE_HEADERS,
            "content": {"text/csv": {"schema": STRING}},
        },
        SEARCH_PARAMETERS,
        {
            **BAD_PARAMETER,
            "429": error_response("too many downloads from one address: the proxy's rate limit (deploy/)"),
        },
    ),
    "/api/entries/{id}": operation(
        "One entry with its citation, neighbours and related entries",
        json_response("the entry", "EntryDetail"),
        [path_parameter("id", "entry id, e.g. para-4.10")],
        {"404": error_response("no such entry")},
    ),
    "/api/areas": operation("All Areas with their scores and counts", json_response("the Areas", "AreaList")),
    "/api/areas/{slug}": operation(
        "Everything about one Area",
        json_response("the Area", "AreaProfile"),
        [path_parameter("slug", "Area slug, e.g. london-north; other spellings redirect")],
        {"301": {"description": "redirect to the canonical slug"}, "404": error_response("no such Area")},
    ),
    "/api/compare": operation(
        "Two to four Areas side by side: ratings with differences marked, and their Annex B rows by theme",
        json_response("the comparison", "Comparison"),
        [
            query_parameter(
                "area",
                {"type": "array", "items": STRING, "minItems": COMPARE_MIN, "maxItems": COMPARE_MAX},
                "Area slug or name, repeated two to four times",
            )
        ],
        {"400": error_response("fewer than two or more than four Areas, or an unknown one")},
    ),
    "/api/themes": operation("The theme taxonomy with counts", json_response("the themes", "ThemeList")),
    "/api/glossary": operation("Acronyms and their expansions", json_response("the acronyms", "Glossary")),
    "/api/quality": operation(
        "Data-quality findings of the served build", json_response("findings", "Quality")
    ),
    "/api/openapi.json": operation(
        "This description",
        {
            "description": "OpenAPI 3.1 document",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    ),
}


def openapi_document() -> dict:
    """Return the OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AAP Search API",
            "version": "1.0.0",
            "description": "Search HMCPSI's Area Assurance Programme composite report (October 2019). "
            "Report text © Crown copyright 2019, Open Government Licence v3.0.",
        },
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
