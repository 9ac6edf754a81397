"""AAP Search web service: the application factory."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, url_for

from search.analytics import DEFAULT_KEEP_DAYS
from search.output import serialize
from search.public import default_public_url, normalise_public_url, trusted_hosts
from web import analytics, api, compression, discovery, errors, headers, holder, jsonout, present, views
from web.holder import CHECK_INTERVAL

DEFAULT_PUBLIC_URL = default_public_url("localhost", 8000)


class App(Flask):
    """Flask, telling once per function rather than on every call whether it is a coroutine.

    Flask asks it of each hook and view it runs, seven times a search (`inspect` reading
    code flags each time); the answer for a function never changes.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._synced: dict[Callable, Callable] = {}

    def ensure_sync(self, func: Callable) -> Callable:
        try:
            return self._synced[func]
        except KeyError:
            synced = self._synced[func] = super().ensure_sync(func)
            return synced
        except TypeError:  # a callable that cannot be a key
            return super().ensure_sync(func)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app over the index in INDEX_DIR (config, else $AAP_INDEX_DIR, else ./index)."""
    app = App(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("AAP_INDEX_DIR", "index"),
        CORPUS_DIR=os.environ.get("AAP_CORPUS_DIR", "corpus"),
        INDEX_CHECK_INTERVAL=CHECK_INTERVAL,
        # Leave a served build's objects out of garbage collections (web/holder.py): the
        # server's workers do; an app made in another process (tests, scripts) does not.
        FREEZE_GC=os.environ.get("AAP_FREEZE_GC") == "1",
        CODE_VERSION=headers.code_version(Path(__file__).parent),
        MAX_CONTENT_LENGTH=64 * 1024,
        # Where the service is reached; absolute URLs are built from it, never from Host.
        PUBLIC_URL=os.environ.get("AAP_PUBLIC_URL", DEFAULT_PUBLIC_URL),
        TRUSTED_HOSTS=None,  # None: the public URL's host (see search/public.py)
        # Search analytics (web/analytics.py): off unless a folder is given.
        ANALYTICS_DIR=os.environ.get("AAP_ANALYTICS_DIR") or None,
        ANALYTICS_KEEP_DAYS=int(os.environ.get("AAP_ANALYTICS_KEEP_DAYS") or DEFAULT_KEEP_DAYS),
    )
    if test_config:
        app.config.update(test_config)
    app.config["PUBLIC_URL"] = normalise_public_url(app.config["PUBLIC_URL"])
    if app.config["TRUSTED_HOSTS"] is None:
        # Werkzeug answers a request naming any other Host with 400 Bad Request.
        app.config["TRUSTED_HOSTS"] = trusted_hosts(
            app.config["PUBLIC_URL"], os.environ.get("AAP_TRUSTED_HOSTS", "")
        )
    jsonout.init_app(app)
    holder.init_app(app)
    analytics.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(discovery.bp)
    errors.register_error_handlers(app)
    # After-request hooks run last-registered first: headers (ETags) before compression.
    headers.install_last(app)
    compression.install(app)
    headers.install(app)
    app.jinja_env.globals.update(
        asset=asset,
        external_url=present.external_url,
        search_href=present.search_href,
        entry_href=present.entry_href,
        absolute_url=present.absolute_url,
        facet_href=present.facet_href,
        export_href=present.export_href,
        without_value=present.without_value,
        without_filters=present.without_filters,
        text_blocks=present.text_blocks,
        rating_class=present.rating_class,
        short_rating=present.short_rating,
        heat_class=present.heat_class,
        schema_label=present.schema_label,
        schema_limits=present.schema_limits,
        schema_fields=present.schema_fields,
        ratings_href=present.ratings_href,
        answer_ratings_href=serialize.ratings_href,
    )
    app.jinja_env.filters["snippet"] = present.safe_snippet
    app.jinja_env.filters["marked"] = present.marked_text
    return app


def asset(filename: str) -> str:
    """Return a static file's URL, versioned by the code so it can be cached for a year."""
    return url_for("static", filename=filename, v=current_app.config["CODE_VERSION"])
