"""Compressed responses: Brotli or gzip for pages, JSON, CSV and static text (Flask-Compress).

Flask-Compress compresses, adds `Vary: Accept-Encoding`, and gives a strong ETag
(static files) a suffix per encoding, so a compressed and an uncompressed file never
share a strong validator. Pages and API answers carry weak ETags (web/headers.py),
which may name both encodings of the same content; their 304s are answered before
the view runs, so they are never compressed.

Which encoding to use is chosen here, by Werkzeug's reading of Accept-Encoding:
Flask-Compress (1.25, its latest release) uses a coding the client refuses with
`q=0` when it is the only one named ("gzip;q=0" still got gzip), or the one a
wildcard does not cover ("br;q=0, *" got Brotli).
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

SETTINGS = {
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/x-suggestions+json",
        "text/csv",
        "application/xml",
        "application/opensearchdescription+xml",
        "image/svg+xml",
    ],
    # Brotli where the browser takes it (every current one over HTTPS and on localhost), else gzip.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Nothing here streams but static files, and those are buffered first (see below).
    "COMPRESS_STREAMS": False,
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
}


def buffer_static(response: Response) -> Response:
    """Read a static file into memory so that it is compressed like a page.

    Flask sends files as streams; Flask-Compress's streaming path would keep the file
    open until garbage collection. The style sheet and script are a few kilobytes, and
    the file is closed as soon as it has been read.
    """
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
    return response


class NegotiatedCompress(Compress):
    """Flask-Compress, told the one encoding the client accepts best (RFC 9110, 12.5.3)."""

    def after_request(self, response: Response) -> Response:
        chosen = request.accept_encodings.best_match(self.enabled_algorithms)
        if chosen is None and response:
            # Nothing to compress for this client: only the Vary that Flask-Compress adds.
            vary = response.headers.get("Vary")
            if not vary:
                response.headers["Vary"] = "Accept-Encoding"
            elif "accept-encoding" not in vary.lower():
                response.headers["Vary"] = f"{vary}, Accept-Encoding"
            return response
        # Flask-Compress reads the header itself: it is shown only the choice ("identity"
        # for none) while it runs, and the request's own header is put back afterwards.
        environ = request.environ
        sent = environ.get("HTTP_ACCEPT_ENCODING")
        environ["HTTP_ACCEPT_ENCODING"] = chosen or "identity"
        try:
            return super().after_request(response)
        finally:
            if sent is None:
                environ.pop("HTTP_ACCEPT_ENCODING", None)
            else:
                environ["HTTP_ACCEPT_ENCODING"] = sent


def install(app: Flask) -> None:
    """Compress responses; call before web.headers.install, so ETags are set before compressing."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    NegotiatedCompress(app)
    # Registered after Compress, so it runs before it.
    app.after_request(buffer_static)
