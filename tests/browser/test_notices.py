"""What the search page says about the query, and the ways back it offers, by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def tab_to(page: Page, locator, most: int = 60) -> None:
    """Press Tab until the locator has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("never reached by Tab")


def test_a_typo_is_corrected_and_the_typed_words_are_one_keypress_away(page: Page):
    page.goto("/?q=comunity+engagment")
    notice = page.locator("p.correction")
    expect(notice).to_contain_text("Showing results for community engagement")
    back = notice.get_by_role("link", name="Search instead for “comunity engagment”")
    tab_to(page, back)
    page.keyboard.press("Enter")
    expect(page).to_have_url("/?q=comunity+engagment&verbatim=1")
    expect(page.locator("p.correction")).to_have_count(0)
    expect(page.locator("p.missing")).to_have_text("Not found in the report: comunity.")


def test_a_real_word_is_offered_a_correction_not_given_one(page: Page):
    page.goto("/?q=victim+latter")
    offer = page.locator("p.suggestion")
    expect(offer).to_have_text("Did you mean victim letter?")
    expect(page.locator("p.missing")).to_have_text("Not found in the report: latter.")
    tab_to(page, offer.get_by_role("link"))
    page.keyboard.press("Enter")
    expect(page).to_have_url("/?q=victim+letter")


def test_nothing_found_says_why_and_what_to_try(page: Page):
    page.goto("/?q=prison")
    expect(page.locator("p.missing")).to_have_text("Not found in the report: prison.")
    help_box = page.locator(".no-results")
    expect(help_box).to_contain_text("the report never uses that word")
    for name in ("glossary", "themes", "Areas"):
        expect(help_box.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_a_place_says_which_cps_area_covers_it(page: Page):
    page.goto("/?q=victim+letters+in+leeds")
    expect(page.locator("p.place")).to_have_text("Leeds is in CPS Yorkshire and Humberside.")


def test_a_scope_that_relaxed_says_so(page: Page):
    page.goto("/?q=wessex+bicycles")
    expect(page.locator("p.relaxed")).to_contain_text("showing every entry about Wessex")
