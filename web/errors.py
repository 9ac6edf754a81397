"""The one place exceptions become responses: JSON under /api/, an HTML page elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

from search.api.bodies import Error, dump
from search.errors import IndexMissing, NotFound, QueryError

log = logging.getLogger(__name__)

RETRY_AFTER = "10"
UNAVAILABLE = "The search index is not available right now; try again in a few seconds."
# URL parts named in a 404's "param", as the OpenAPI description names them.
PATH_PARAMS = {"entry_id": "id", "slug": "slug"}


def wants_json() -> bool:
    """Tell whether the request is for the JSON API."""
    return request.path.startswith("/api/")  # /api itself is the API's page for people


def error_response(
    status: int,
    message: str,
    param: str | None = None,
    title: str | None = None,
    allowed: list[str] | None = None,
) -> Response:
    """Return an error as JSON `{"error", "param", "status"}` (and `allowed`, the values a parameter
    takes, when it has them) for the API, else as a page."""
    if wants_json():
        body = {"error": message, "param": param, "status": status}
        if allowed is not None:
            body["allowed"] = allowed
        response = jsonify(dump(Error(**body)))
        response.status_code = status
    else:
        body = render_template("error.html", status=status, message=message, title=title or message)
        response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_query_error(exc: QueryError) -> Response:
    """Answer a bad search parameter with 400, naming the parameter."""
    allowed = getattr(exc, "allowed", None)
    return error_response(400, exc.message, exc.param, title="That search cannot be run", allowed=allowed)


def handle_not_found(exc: NotFound) -> Response:
    """Answer an unknown entry or Area with 404."""
    param = next((PATH_PARAMS[k] for k in request.view_args or {} if k in PATH_PARAMS), None)
    return error_response(404, str(exc), param, title="Not found")


def handle_index_missing(exc: IndexMissing) -> Response:
    """Answer with 503 while there is no usable index, without crashing the worker.

    The body says what happened, never where: the detail (folders, the file at fault,
    the exception) goes to the server's log only.
    """
    log.warning("no usable index for %s: %s", request.path, exc)
    response = error_response(
        503,
        UNAVAILABLE,
        title="The search service is not ready",
    )
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def handle_untrusted_host(_exc: SecurityError) -> Response:
    """Refuse a request naming a Host this service does not answer to (TRUSTED_HOSTS) with 400.

    Built without templates: no URL can be built for a request whose Host is refused.
    """
    message = "This service does not answer to the Host name in the request."
    if wants_json():
        response = jsonify({"error": message, "param": None, "status": 400})
        response.status_code = 400
    else:
        response = Response(message + "\n", status=400, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_http_error(exc: HTTPException) -> Response:
    """Answer Werkzeug's HTTP errors (unknown URL, wrong method …) in the same shapes."""
    response = error_response(exc.code or 500, exc.description or exc.name, title=exc.name)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_unexpected(exc: Exception) -> Response:
    """Log an unexpected failure and answer 500 without revealing a traceback."""
    log.exception("unhandled error serving %s", request.full_path)
    return error_response(500, "Something went wrong on our side; it has been logged.", title="Server error")


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(QueryError, handle_query_error)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(IndexMissing, handle_index_missing)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
