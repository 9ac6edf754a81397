"""The gazetteer (corpus/places.json) is checked when loaded: what it may and may not say."""

from __future__ import annotations

import json

import pytest

from search.curated.areas import load_areas
from search.curated.places import load_places
from search.errors import CorpusError
from tests.ingest.test_themes import CORPUS


@pytest.fixture(scope="module")
def areas():
    return load_areas(CORPUS / "areas.json")


def gazetteer_data() -> dict:
    return json.loads((CORPUS / "places.json").read_text(encoding="utf-8"))


def row(data: dict, name: str) -> dict:
    return next(p for p in data["places"] if p["name"] == name)


def test_the_gazetteer_loads_with_its_sources(areas):
    places = load_places(CORPUS / "places.json", areas)
    assert places.sources and len(places.places) > 600
    assert {p.kind for p in places.places} >= {"police-force", "county", "city", "town"}
    forces = [p for p in places.places if p.kind == "police-force"]
    assert len(forces) == 43  # the territorial police forces of England and Wales
    assert places.lookup("leeds").areas == ("yorkshire-and-humberside",)
    assert places.lookup("Kent Police").areas == ("south-east",)
    assert set(places.lookup("London").areas) == {"london-north", "london-south"}  # split between forces


def test_places_outside_england_and_wales_say_who_prosecutes_there(areas):
    places = load_places(CORPUS / "places.json", areas)
    (found,) = places.outside_in("disclosure in glasgow")
    assert found.typed == "glasgow" and found.nation == "Scotland"
    assert "Crown Office and Procurator Fiscal Service" in found.note
    assert found.note.startswith("Glasgow is in Scotland, outside the report")
    (nation,) = places.outside_in("Northern Ireland victims")
    assert nation.note.startswith("Northern Ireland is outside the report")
    assert "Public Prosecution Service for Northern Ireland" in nation.note
    assert places.outside_in("victims in Leeds") == []
    assert places.lookup("Glasgow") is None  # no CPS Area covers it


def second_leeds(data: dict) -> None:
    data["places"].append({**row(data, "Leeds"), "areas": ["north-east"], "force": "Northumbria Police"})


def kent_doubled(data: dict) -> None:
    row(data, "Kent Police")["areas"] = ["south-east", "london-south"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(sources=[]), "sources"),
        (lambda d: d.update(places=[]), "'places' must list"),
        (lambda d: row(d, "Leeds").update(areas=["narnia"]), "unknown or missing Areas"),
        (lambda d: row(d, "Leeds").update(kind="village"), "kind must be one of"),
        (lambda d: row(d, "Leeds").update(areas=["wessex"]), "are not those of its forces"),
        (lambda d: row(d, "Leeds").update(force="Gotham Police"), "police force is missing or unknown"),
        (lambda d: row(d, "Leeds").update(aliases=["Kent Police"]), "used by two places"),
        (second_leeds, "used by two places"),
        (kent_doubled, "Kent Police: no place it polices alone is in london-south"),
        (lambda d: d["outside"][0]["places"].append("Leeds"), "used by two places"),
        (lambda d: d["outside"][0]["places"].append("Glasgow"), "used by two places"),
        (lambda d: d["outside"][0].update(prosecutor=""), "outside.*prosecutor"),
        (lambda d: d["outside"][0].update(places=[]), "outside.*places"),
        (lambda d: d.update(outside={"Scotland": []}), "'outside' must list"),
    ],
)
def test_a_gazetteer_that_says_what_cannot_be_is_refused(tmp_path, areas, change, message):
    data = gazetteer_data()
    change(data)
    path = tmp_path / "places.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_places(path, areas)


def test_the_whole_remit_names_no_area_in_a_query(areas):
    # "Wales" alone is the Area Cymru-Wales; "England and Wales" is every Area, and none.
    assert areas.find("victim letters across England and Wales") == [(22, 39, ())]
    assert areas.find("wales & england") == [(0, 15, ())]
    assert [slugs for _, _, slugs in areas.find("Wales victim letters")] == [("cymru-wales",)]
    assert areas.mentions("Across England and Wales as a whole") == ()


@pytest.mark.parametrize("everywhere", [["England (and Wales"], "England and Wales", [""], [7]])
def test_a_bad_pattern_for_the_whole_remit_is_refused(tmp_path, everywhere):
    # A string would be read letter by letter: every letter of a query would name no Area.
    data = json.loads((CORPUS / "areas.json").read_text(encoding="utf-8"))
    data["query_everywhere"] = everywhere
    path = tmp_path / "areas.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError, match="query_everywhere"):
        load_areas(path)
