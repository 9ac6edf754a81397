"""Query text as it is stored: case-folded, whitespace collapsed, personal data masked.

Readers sometimes type what they should not: their e-mail address, a phone number, a
postcode. Nothing of the kind is kept. Each pattern errs on the side of masking: a run
of nine or more digits is taken for a phone number whatever its separators (the report's
numbers — paragraphs such as 4.13, years, table numbers — are shorter, and a list of
paragraph numbers, "2.4 3.9 4.13 5.7", has no group of three digits as every phone
number has), and a UK postcode is matched with or without its space.
"""

from __future__ import annotations

import re
from functools import lru_cache

EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
# Nine to fifteen digits (E.164 allows fifteen), a leading + or (, separated by spaces,
# dots, dashes or brackets: +44 20 7946 0958, (020) 7946 0958, 07700-900-123.
PHONE = re.compile(r"(?<![\w])[+(]?\d(?:[\s().\-/]{0,3}\d){8,14}(?![\w])")
# A full UK postcode: outward code (A9, A99, A9A, AA9, AA99, AA9A), then inward code (9AA),
# the space optional. Case-folded text, so lower case.
POSTCODE = re.compile(r"(?<![\w])[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}(?![\w])")
WHITESPACE = re.compile(r"\s+")
DIGITS = re.compile(r"\d+")
MASKS = ((EMAIL, "[email]"), (POSTCODE, "[postcode]"))
MAX_STORED = 500


def mask_personal(text: str) -> str:
    """Replace e-mail addresses, phone numbers and postcodes in case-folded text with placeholders."""
    for pattern, placeholder in MASKS:
        text = pattern.sub(placeholder, text)
    return PHONE.sub(mask_phone, text)


def mask_phone(match: re.Match) -> str:
    """Mask a run of digits unless all its groups are of one or two digits (paragraph numbers)."""
    digits = match.group()
    return "[phone]" if max(len(group) for group in DIGITS.findall(digits)) >= 3 else digits


@lru_cache(maxsize=4096)  # readers repeat queries: each is masked once per process
def normalise_query(text: str | None) -> str:
    """Return query text as stored: case-folded, whitespace collapsed, personal data masked."""
    if not text:
        return ""
    folded = WHITESPACE.sub(" ", text.casefold()).strip()
    return mask_personal(folded)[:MAX_STORED]
