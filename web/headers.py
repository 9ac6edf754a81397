"""Response headers: ETags and 304s, Cache-Control, security headers, CORS for the API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, g, request

from web.holder import get_index

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# A read-only public API: scripts and notebooks on other origins may call it.
API_HEADERS = {"Access-Control-Allow-Origin": "*"}
# Pages and API answers change only with a new build or new code, and ETags make
# revalidation cheap, so a short freshness lifetime is enough.
PAGE_CACHE = "public, max-age=60"
STATIC_CACHE = "public, max-age=31536000, immutable"
UNVERSIONED_STATIC_CACHE = "public, max-age=300"
CODE_SUFFIXES = {".py", ".html", ".xml", ".css", ".js"}
# The settings an answer's body depends on besides the build and the URL: the code, and the
# public URL its links are made from (CSV rows, citations, the OpenSearch description).
BODY_SETTINGS = ("CODE_VERSION", "PUBLIC_URL")
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def code_version(folder: Path) -> str:
    """Return a digest of the web package's code, templates and static files."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def request_etag(build: str) -> str:
    """Return the ETag of this request's answer: the build, the settings a body depends on, the full URL."""
    # The path and query, not the Host: answers are the same whichever trusted name was used.
    settings = [f"{name}={current_app.config[name]}" for name in BODY_SETTINGS]
    key = "\n".join([build, *settings, request.full_path])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def answer_if_unchanged() -> Response | None:
    """Answer 304 when the client's copy of this URL is current, without running the request.

    Only a real ETag is answered early. `If-None-Match: *` means "if any current
    representation exists" (RFC 9110 §13.1.2), which only the view can tell: it is
    answered in `add_headers`, once the request has been validated and answered 200.
    """
    if request.endpoint in (None, "static"):
        return None
    index = get_index()
    if request.method in ("GET", "HEAD"):
        g.etag = request_etag(index.name)
        if not request.if_none_match.star_tag and request.if_none_match.contains_weak(g.etag):
            return Response(status=304)
    return None


def not_modified(response: Response) -> Response:
    """Turn a 200 answer into a 304 without a body, keeping its other headers."""
    answer = Response(status=304, headers=response.headers)
    for header in ("Content-Type", "Content-Length", "Content-Disposition"):
        answer.headers.pop(header, None)
    return answer


def add_headers(response: Response) -> Response:
    """Add validators and lifetimes where they apply (the constant headers: `ConstantHeaders`)."""
    if request.endpoint == "static":
        versioned = request.args.get("v") == current_app.config["CODE_VERSION"]
        response.headers["Cache-Control"] = STATIC_CACHE if versioned else UNVERSIONED_STATIC_CACHE
    elif response.status_code in (200, 304) and g.get("etag"):
        response.set_etag(g.etag, weak=True)
        response.headers["Cache-Control"] = PAGE_CACHE
        if response.status_code == 200 and request.if_none_match.star_tag:
            response = not_modified(response)  # it exists, and the client has some copy of it
    # Only a redirect has a Location (looking up a header an answer lacks raises inside Werkzeug).
    if response.status_code in REDIRECTS and response.location:
        response.location = relative_location(response.location)
    return response


class ConstantHeaders:
    """WSGI middleware: the headers that never change, on every answer as it starts.

    The security headers go on everything, Access-Control-Allow-Origin on the API.
    They are constant strings, so they are appended to the answer's header list as
    they are, rather than checked one by one on each response, as Werkzeug checks
    a header set on a response object: about 10 µs a request, of the ~75 µs the
    service's own hooks cost over a bare Flask app.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.page = list(SECURITY_HEADERS.items())
        self.api = self.page + list(API_HEADERS.items())

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        # The path as Werkzeug reads it (`request.path`): leading slashes merged into one.
        path = "/" + environ.get("PATH_INFO", "").lstrip("/")
        constant = self.api if path.startswith("/api/") else self.page

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            headers.extend(constant)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def relative_location(location: str) -> str:
    """Return a redirect's target as a path on this site: Werkzeug's own redirects
    (merged slashes) are absolute, built from the request's Host."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return location


def drop_skipped_length(response: Response) -> Response:
    """Leave out the length of a HEAD answer whose body was never made (`web.data.run_search`).

    HTTP lets a HEAD answer omit a header only the content determines; a length that
    is not the GET's would be wrong.
    """
    if g.get("headless"):
        response.headers.pop("Content-Length", None)
        response.automatically_set_content_length = False
    return response


def install(app: Flask) -> None:
    """Register the request hooks on the app (call `install_last` before compression is installed)."""
    app.before_request(answer_if_unchanged)
    app.after_request(add_headers)
    app.wsgi_app = ConstantHeaders(app.wsgi_app)


def install_last(app: Flask) -> None:
    """Register the hook that must run after every other one, compression included."""
    app.after_request(drop_skipped_length)
