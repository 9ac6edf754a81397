"""Query text is stored case-folded, whitespace collapsed, with personal data masked."""

from __future__ import annotations

import pytest

from search.analytics.masking import normalise_query


def test_text_is_case_folded_and_its_whitespace_collapsed():
    assert normalise_query("  Victim\tLETTERS \n Straße ") == "victim letters strasse"
    assert normalise_query(None) == normalise_query("") == ""


@pytest.mark.parametrize(
    "typed",
    [
        "contact John.Smith@example.co.uk please",
        "j_smith+cps@justice.gov.uk",
        "a@b.io",
    ],
)
def test_email_addresses_are_masked(typed):
    stored = normalise_query(typed)
    assert "[email]" in stored and "@" not in stored


@pytest.mark.parametrize(
    "typed",
    [
        "07700 900123",
        "call 07700900123 about my case",
        "+44 20 7946 0958",
        "(020) 7946 0958",
        "0161-496-0000",
        "+1 (555) 123-4567",
        "0044 113 496 0000",
    ],
)
def test_phone_numbers_are_masked(typed):
    stored = normalise_query(typed)
    assert "[phone]" in stored and sum(c.isdigit() for c in stored) <= 2


@pytest.mark.parametrize(
    "typed", ["SW1A 1AA", "sw1a1aa", "my postcode is LS1 4AP", "M1 1AE", "EC1A 1BB", "B33 8TH"]
)
def test_postcodes_are_masked(typed):
    assert "[postcode]" in normalise_query(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "paragraph 4.13",
        "2.4 3.9 4.13 5.7",  # a list of the report's paragraph numbers is not a phone number
        "tables 1, 3, 4 and 5",
        "mg3 advice",
        "b2 resource management",
        "october 2019 aap report",
        "75 issues to address",
        "iqa ccp lsip",
        "a1 strengths",
    ],
)
def test_what_readers_ask_of_the_report_is_kept(typed):
    assert normalise_query(typed) == typed


def test_everything_is_masked_at_once():
    stored = normalise_query("Email me: Jo@Example.com, 07700 900123, SW1A 1AA — disclosure")
    assert stored == "email me: [email], [phone], [postcode] — disclosure"
