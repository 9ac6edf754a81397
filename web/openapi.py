"""The OpenAPI 3.1 document of /api/, made from the API's models and its routes.

Each route of web/api.py is described where it is defined (`describe`): its parameters
model, its body model and its errors. The document is assembled from those and the
models' JSON schemas (`search.api`), and each operation carries an example response
made by answering its example request on the served index, so the document, the
validation and the bodies come from one source and /api shows real data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from search.api import bodies
from search.api.params import Params

REF = "#/components/schemas/{model}"
CACHE_HEADERS = {
    "ETag": {"description": "weak validator of the index build and request", "schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
}
# Lists in example responses are cut to this many items, to keep /api readable.
EXAMPLE_ITEMS = 3


@dataclass(frozen=True)
class Operation:
    """One GET route of the API, as the OpenAPI document describes it."""

    path: str  # in OpenAPI's form: /api/entries/{id}
    summary: str
    body: type[BaseModel] | None = None  # the JSON body of a 200
    params: type[Params] | None = None
    path_params: dict[str, str] = field(default_factory=dict)  # name → description
    media: dict[str, dict] = field(default_factory=dict)  # other content types of a 200 → schema
    errors: dict[str, str] = field(default_factory=dict)  # status → description
    example: str | None = None  # a URL whose answer is shown as the example
    answer: Callable[..., Any] | None = None  # (query parameters, **path values) → the example's body


OPERATIONS: list[Operation] = []


def describe(path: str, summary: str, **details: Any) -> Callable:
    """Register the route a function serves in the OpenAPI document; `answer` makes example bodies."""

    def register(view: Callable) -> Callable:
        OPERATIONS.append(Operation(path, summary, **details))
        return view

    return register


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def ref(name: str) -> dict:
    return {"$ref": REF.format(model=name)}


def parameters(operation: Operation, schemas: dict) -> list[dict]:
    """Return the operation's path and query parameters, from its parameters model."""
    found = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": text}
        for name, text in operation.path_params.items()
    ]
    if operation.params is None:
        return found
    schema = operation.params.model_json_schema(ref_template=REF)
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": False, "schema": prop, "description": description}
        if prop.get("type") == "array":
            param.update(style="form", explode=True)  # repeated: ?area=a&area=b
        found.append(param)
    return found


def shorten(value: Any) -> Any:
    """Return an example body with long lists cut short (the schema still holds)."""
    if isinstance(value, list):
        return [shorten(v) for v in value[:EXAMPLE_ITEMS]]
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    return value


def example_body(operation: Operation) -> Any:
    """Answer an operation's example request on the served index."""
    parts = urlsplit(operation.example)
    # "/api/areas/{slug}.json" → a pattern naming each path parameter, whatever stands around it.
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+?)", re.escape(operation.path))
    values = re.fullmatch(pattern, parts.path).groupdict()
    return shorten(operation.answer(parse_qs(parts.query, keep_blank_values=True), **values))


def response_200(operation: Operation, with_examples: bool) -> dict:
    content: dict = {}
    if operation.body is not None:
        content["application/json"] = {"schema": ref(operation.body.__name__)}
        if with_examples and operation.example and operation.answer:
            content["application/json"]["example"] = example_body(operation)
    for media, schema in operation.media.items():
        content[media] = {"schema": schema}
    return {"description": operation.summary, "headers": CACHE_HEADERS, "content": content}


def openapi_document(with_examples: bool = True) -> dict:
    """Return the OpenAPI document; the examples answer requests on the served index."""
    models = {op.body for op in OPERATIONS if op.body is not None} | {bodies.Error}
    _, schemas = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)], ref_template=REF
    )
    paths = {}
    for operation in OPERATIONS:
        responses = {
            "200": response_200(operation, with_examples),
            "304": {"description": "not modified (If-None-Match matched the ETag, or was * for what exists)"},
            "400": error_response("a parameter is invalid (`param` names it), or the Host is not trusted"),
        }
        for status, text in operation.errors.items():
            responses[status] = {"description": text} if status.startswith("3") else error_response(text)
        responses["503"] = error_response("no usable index")
        get = {
            "summary": operation.summary,
            "parameters": parameters(operation, schemas),
            "responses": responses,
        }
        if operation.example:
            get["x-example-url"] = operation.example
        paths[operation.path] = {"get": get}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AAP Search API",
            "version": "1.1.0",
            "description": "Search HMCPSI's Area Assurance Programme composite report (October 2019). "
            "Report text © Crown copyright 2019, Open Government Licence v3.0.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas["$defs"]},
    }


def served_document() -> dict:
    """Return the OpenAPI document with examples from the served build, made once per build."""
    from web.holder import get_index

    cache = current_app.extensions.setdefault("aap_openapi", {})
    build = get_index().name
    if build not in cache:
        cache.clear()
        cache[build] = openapi_document()
    return cache[build]
