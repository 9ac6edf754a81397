"""Turn the report's inline oddities (HTML, bullets, superscripts, emphasis) into clean text."""

from __future__ import annotations

import html
import re

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
FOOTNOTE_LINE = re.compile(f"^([{SUPERSCRIPT_DIGITS}]+)\\s+(.*)$")
_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z]+)[^>]*>")
_EMPHASIS = re.compile(r"\*{1,2}([^*\n]+?)\*{1,2}")
PLACEHOLDER = re.compile(
    r"\[(?:add|insert|link|tbc|todo)\b[^\]]*\]|\bpara(?:graph)?\s+#|\bTBC\b|\bXXX*\b",
    re.IGNORECASE,
)


def superscript_number(marks: str) -> str:
    """Return the ordinary digits of a run of superscript digits ("¹²" → "12")."""
    return marks.translate(_TO_ASCII)


def split_footnote_refs(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove footnote markers from text; return the text and the cited numbers."""
    refs = tuple(superscript_number(m) for m in SUPERSCRIPT.findall(text))
    return SUPERSCRIPT.sub("", text), refs


def strip_emphasis(text: str) -> str:
    """Drop Markdown-style *emphasis* markers left by the PDF extraction."""
    return _EMPHASIS.sub(r"\1", text)


def clean_markup(text: str) -> tuple[str, bool]:
    """Turn HTML and "•" bullets into plain text with "- " list lines.

    Returns the text and whether a list was marked up without item boundaries
    (a `<ul>` with neither `<li>` nor bullets), which cannot be split faithfully.
    """
    has_list = bool(re.search(r"<\s*ul\b", text, re.IGNORECASE))
    has_items = bool(re.search(r"<\s*li\b", text, re.IGNORECASE)) or "•" in text

    def tag(match: re.Match) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name == "li":
            return "" if closing else "\n- "
        if name in {"p", "ul", "ol", "br", "div"}:
            return "\n"
        return ""

    text = _TAG.sub(tag, text)
    text = html.unescape(text).replace("•", "\n- ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line and line != "-"]
    return "\n".join(lines), has_list and not has_items


def find_placeholders(text: str) -> list[str]:
    """Return author placeholders left in the text ("[add link …]", "paragraph #")."""
    return [m.group(0) for m in PLACEHOLDER.finditer(text)]


def one_line(text: str) -> str:
    """Collapse all whitespace, newlines included, to single spaces."""
    return " ".join(text.split())
