"""Absolute URLs come from the configured public URL; a Host that is not trusted gets 400."""

from __future__ import annotations

import csv
import io

import pytest

from search.errors import SearchError
from web import create_app

PUBLIC = "https://search.example.org"


@pytest.fixture(scope="module")
def public_app(index_dir):
    return create_app(
        {"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": PUBLIC + "/", "TRUSTED_HOSTS": None}
    )


UNTRUSTED = ["evil.example", "evil.example:443", "search.example.org.evil.example", "a b", "", "[::1", "%00"]
PATHS = [
    "/api/search.csv?q=disclosure",
    "/api/search?q=disclosure",
    "/entries/para-4.10",
    "/areas/Wessex",
    "/api/areas/Wessex",
    "/areas//wessex",
    "/",
]


@pytest.mark.parametrize("host", UNTRUSTED)
@pytest.mark.parametrize("path", PATHS)
def test_a_host_that_is_not_trusted_gets_400(public_app, host, path):
    response = public_app.test_client().get(path, headers={"Host": host})
    assert response.status_code == 400
    assert "evil" not in response.get_data(as_text=True)
    assert "Location" not in response.headers
    if path.startswith("/api/"):
        assert response.get_json() == {
            "error": "This service does not answer to the Host name in the request.",
            "param": None,
            "status": 400,
        }


def test_absolute_urls_come_from_the_public_url(public_app):
    client = public_app.test_client()
    body = client.get("/api/search.csv?q=disclosure", headers={"Host": "search.example.org"}).get_data()
    body = body.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(r["url"] == f"{PUBLIC}/entries/{r['id']}" for r in rows)
    page = client.get("/entries/para-4.10", headers={"Host": "search.example.org"}).get_data(as_text=True)
    assert f'href="{PUBLIC}/entries/para-4.10"' in page


def test_the_default_public_url_is_trusted_and_used(client, app):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/search.csv?q=wessex").get_data().decode("utf-8-sig")))
    )
    assert rows[0]["url"] == f"{app.config['PUBLIC_URL']}/entries/{rows[0]['id']}"
    assert app.config["PUBLIC_URL"] == "http://localhost:8000"


@pytest.mark.parametrize(
    "path, location",
    [
        ("/areas//wessex", "/areas/wessex"),
        ("/areas/Wessex", "/areas/wessex"),
        ("/api/areas/Wessex", "/api/areas/wessex"),
        ("/entries/PARA-4.10", "/entries/para-4.10"),
    ],
)
def test_redirects_are_relative(public_app, path, location):
    response = public_app.test_client().get(path, headers={"Host": "search.example.org"})
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == location


def test_the_etag_does_not_depend_on_which_trusted_name_was_used(index_dir):
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": "http://127.0.0.1:8000"})
    client = app.test_client()
    tags = {
        client.get("/api/themes", headers={"Host": h}).headers["ETag"] for h in ("localhost", "127.0.0.1")
    }
    assert len(tags) == 1


def test_a_public_url_that_is_not_one_is_refused(index_dir):
    with pytest.raises(SearchError, match="public URL"):
        create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": "search.example.org"})
