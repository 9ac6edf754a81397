"""Compressed responses: encodings, Vary, ETags and 304s in every representation."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def without_timing(body: bytes) -> bytes:
    """Drop the search's own timing, which differs from run to run."""
    return re.sub(rb'"took_ms":[0-9.]+', b"", body)


@pytest.mark.parametrize(
    "url", ["/?q=disclosure", "/api/search?q=disclosure", "/api/search.csv?q=disclosure"]
)
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_json_and_csv_are_compressed(client, url, encoding):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert without_timing(DECODE[encoding](packed.data)) == without_timing(plain.data)
    assert len(packed.data) < len(plain.data) / 3
    assert plain.headers["Vary"] == packed.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["Content-Length"] == str(len(packed.data))


def test_weak_etags_revalidate_in_every_encoding(client):
    plain = client.get("/areas")
    packed = client.get("/areas", headers={"Accept-Encoding": "br, gzip"})
    # Weak validators say "the same content", which both encodings are; a strong one would not be shared.
    assert packed.headers["ETag"] == plain.headers["ETag"] and packed.headers["ETag"].startswith('W/"')
    for encoding in ("br", "gzip", "identity"):
        again = client.get(
            "/areas", headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b"" and "Content-Encoding" not in again.headers
        assert again.headers["Vary"] == "Accept-Encoding"


def test_static_files_get_a_strong_etag_per_encoding(client, app):
    url = f"/static/style.css?v={app.config['CODE_VERSION']}"
    with client.get(url) as plain, client.get(url, headers={"Accept-Encoding": "br"}) as packed:
        assert packed.headers["Content-Encoding"] == "br"
        assert brotli.decompress(packed.get_data()) == plain.get_data()
        plain_etag, packed_etag = plain.headers["ETag"], packed.headers["ETag"]
    assert not plain_etag.startswith("W/") and packed_etag == plain_etag[:-1] + ':br"'
    for headers in ({"Accept-Encoding": "br", "If-None-Match": packed_etag}, {"If-None-Match": plain_etag}):
        with client.get(url, headers=headers) as again:
            assert again.status_code == 304


def test_small_answers_are_not_compressed(client):
    response = client.get("/api/suggest?q=iqa", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip;q=0", None),  # refused: q=0 means "not acceptable" (RFC 9110, 12.5.3)
        ("br;q=0", None),
        ("br;q=0, gzip;q=0", None),
        ("br;q=0, *", "gzip"),  # anything but Brotli
        ("*;q=0, gzip", "gzip"),
        ("gzip;q=0, br", "br"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("identity", None),
        ("*;q=0", None),
        ("GZIP", "gzip"),
    ],
)
def test_an_encoding_refused_with_q0_is_never_used(client, accept, encoding):
    response = client.get("/api/search?q=disclosure", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    if encoding is None:
        assert response.get_json()["total"] > 0
