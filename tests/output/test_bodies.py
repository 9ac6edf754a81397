"""Bodies made without validation are what their models would make: checked here, not per request."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from search.api import bodies
from search.bench.workload import distinct_paths, requests
from search.output.serialize import entry_detail_to_json, result_to_json
from search.query.request import parse_request

EXPLAINED = [{"q": ["wessex victim letters"], "explain": ["1"]}, {"q": ["how many issues does wessex have"]},
             {"q": ["which areas were rated poor for casework quality"]}, {"q": ["north east leadership"]}]  # fmt: skip


def validated(model, body: dict) -> dict:
    """Return what the model makes of a body: validated, then dumped."""
    return bodies.dump(model.model_validate(body))


def plain(body: dict) -> dict:
    """Return a body as it reaches the client (tuples as lists)."""
    return json.loads(orjson.dumps(body))


def workload() -> list[dict]:
    paths = distinct_paths(300)
    return [p for _, p in requests()] + EXPLAINED + [parse_qs(urlsplit(p).query) for p in paths]


def test_search_bodies_are_what_their_model_makes(search_index):
    for params in workload():
        body = result_to_json(search_index.search(parse_request(params)))
        assert plain(body) == validated(bodies.SearchResult, body), params


def test_an_entrys_related_hits_are_what_their_model_makes(search_index):
    entry = search_index.entry("issue-wessex-1")
    related = search_index.related(entry.id, 3)
    citations = {"text": "t", "ris": "r", "bibtex": "b"}
    body = entry_detail_to_json(entry, "cite", citations, None, None, related, [])
    assert body["related"] == [validated(bodies.Hit, hit) for hit in body["related"]]


def test_a_body_that_breaks_its_model_is_caught_by_validation(search_index):
    body = result_to_json(search_index.search(parse_request({"q": ["disclosure"]})))
    body["results"][0]["score"] = "high"
    with pytest.raises(ValueError):
        validated(bodies.SearchResult, body)
    body["results"][0]["score"] = 1.0
    body["results"][0]["snippet_html"] = "?"
    with pytest.raises(ValueError):
        validated(bodies.SearchResult, body)


def test_aliased_fields_take_their_alias():
    links = bodies.make(bodies.Links, self_="/a", first="/a", prev=None, next=None, last="/a")
    assert links == validated(bodies.Links, links) == {
        "self": "/a", "first": "/a", "prev": None, "next": None, "last": "/a"
    }  # fmt: skip
