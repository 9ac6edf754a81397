"""How browsers and crawlers find the service: OpenSearch description, sitemap and robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from search.output.serialize import permalink
from web.holder import get_index
from web.present import absolute_url

bp = Blueprint("discovery", __name__)

OPENSEARCH = "application/opensearchdescription+xml"
# Pages worth listing besides every entry and Area page.
TOP_PAGES = ("/", "/areas", "/compare", "/themes", "/glossary")


@bp.get("/opensearch.xml")
def opensearch():
    """Describe the search (and its suggestions) so a browser can add it as a search engine."""
    body = render_template("opensearch.xml")
    return Response(body, mimetype=OPENSEARCH)


@bp.get("/sitemap.xml")
def sitemap():
    """List the pages crawlers should index: the main pages, every Area page and every entry."""
    index = get_index()
    paths = [
        *TOP_PAGES,
        *(url_for("pages.area_page", slug=a.slug) for a in index.areas.areas),
        *(permalink(e.id) for e in index.entries),
    ]
    built = str(index.meta.get("built_at", ""))[:10] or None
    body = render_template("sitemap.xml", urls=[absolute_url(p) for p in paths], lastmod=built)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    """Allow every crawler and name the sitemap."""
    body = f"User-agent: *\nAllow: /\nSitemap: {absolute_url(url_for('discovery.sitemap'))}\n"
    return Response(body, mimetype="text/plain")
