"""Search analytics: each search run and each result opened, handed to search/analytics/.

On only when ANALYTICS_DIR is set (`python -m search serve` sets it unless
`--no-analytics`). Recording takes nothing personal from the request: the search
this request ran (`g.search_result`, set by views.run_search), for an entry page
opened from a result its `q` and `rank`, and from the Referer only the `q` of this
site's results page it was typed on. Nothing of it is served over HTTP.
"""

from __future__ import annotations

import atexit
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from flask import Flask, Response, current_app, g, request

from search.analytics import ClickEvent, Recorder, search_event

MAX_RANK = 10_000


def init_app(app: Flask) -> None:
    """Record searches and clicks into the app's ANALYTICS_DIR, when one is set."""
    if not app.config.get("ANALYTICS_DIR"):
        return
    recorder = Recorder(Path(app.config["ANALYTICS_DIR"]), keep_days=app.config["ANALYTICS_KEEP_DAYS"])
    app.extensions["analytics"] = recorder
    atexit.register(recorder.close)
    app.after_request(record)


def record(response: Response) -> Response:
    """Queue an event for the search this request ran, or the result it opened."""
    result = g.get("search_result")
    if result is not None:
        source = "page" if request.blueprint == "pages" else "api"
        event = search_event(result, source, time.time(), typed_on())
        current_app.extensions["analytics"].record(event)
    elif request.endpoint == "pages.entry_page" and response.status_code == 200 and request.args.get("q"):
        click = ClickEvent(time.time(), request.args["q"], request.view_args["entry_id"], rank())
        current_app.extensions["analytics"].record(click)
    return response


def typed_on() -> str | None:
    """Return the query of this site's results page the request came from (the Referer's q), if any."""
    referrer = urlsplit(request.referrer or "")
    if referrer.path != "/" or referrer.netloc != request.host:
        return None
    return (parse_qs(referrer.query).get("q") or [None])[0]


def rank() -> int | None:
    """Return the opened result's place in its search (a result link's `rank`), if it is a sane one."""
    raw = request.args.get("rank", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_RANK else None
