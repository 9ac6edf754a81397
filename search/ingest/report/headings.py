"""The headings that structure the report, as every section recognises them.

Takes one stripped line; gives whether it is a chapter heading ("2. Part A: …"), a
Part heading ("Part A: The success of CPS people") or a lone heading line.
"""

from __future__ import annotations

import re

CHAPTER = re.compile(r"^(\d)\.\s+(\S.*)$")
PART_HEADING = re.compile(r"^Part ([A-E]):\s*(.+)$")


def is_heading(line: str) -> bool:
    """Tell whether a lone line reads as a heading: short, capitalised, unpunctuated."""
    words = line.split()
    return 0 < len(words) <= 8 and line[0].isupper() and line[-1] not in ".,;:!?"


def part_of(heading: str) -> str | None:
    """Return the Part letter ("a"…"e") a heading names, or None."""
    match = PART_HEADING.match(heading)
    return match.group(1).lower() if match else None
