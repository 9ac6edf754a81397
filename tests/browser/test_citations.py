"""Citations on an entry page: copied to the clipboard, downloaded as plain text, RIS and BibTeX."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_copy_and_download_citations(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    entry = live_server.api("/api/entries/issue-wessex-4")
    page.goto("/entries/issue-wessex-4")

    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copy-status").first).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == entry["citation"]

    page.locator("details.bibtex summary").click()  # opens the details
    page.get_by_role("button", name="Copy BibTeX").click()
    assert page.evaluate("navigator.clipboard.readText()") == entry["citations"]["bibtex"].strip()

    for name, key, suffix in (("text", "text", "txt"), ("RIS", "ris", "ris"), ("BibTeX", "bibtex", "bib")):
        with page.expect_download() as info:
            page.locator(".downloads").get_by_role("link", name=name, exact=True).click()
        download = info.value
        assert download.suggested_filename == f"issue-wessex-4.{suffix}"
        with open(download.path(), encoding="utf-8", newline="") as handle:
            assert handle.read() == entry["citations"][key]
    context.close()
