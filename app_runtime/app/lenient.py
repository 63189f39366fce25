"""Tolerant JSON reading: Altinn's backend accepts `//` and `/* */` comments and trailing
commas, so real apps contain them. We accept them too (and say so as a style finding).

Comments and trailing commas are blanked out with spaces (newlines kept), so every offset,
line and column in the cleaned text is the same as in the file on disk.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from app_runtime.app.positions import SourceDocument
from schemas.sourcemap import JsonDocument, JsonSyntaxError, parse_json_text

_COMMENTS = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?(?:\*/|\Z)', re.S)
_TRAILING_COMMA = re.compile(r'"(?:[^"\\\n]|\\.)*"|,(?=\s*[}\]])', re.S)


@dataclass(frozen=True, slots=True)
class LenientResult:
    """A parsed document plus where the first non-standard construct sat (if any)."""

    document: JsonDocument
    nonstandard: str = ""
    offset: int = -1


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def clean_json_text(text: str) -> tuple[str, str, int]:
    """Blank comments and trailing commas; return (text, what was found first, its offset)."""
    found = ""
    first = -1

    def comments(match: re.Match[str]) -> str:
        nonlocal found, first
        token = match.group()
        if token.startswith('"'):
            return token
        if first < 0 or match.start() < first:
            found, first = "comment", match.start()
        return _blank(token)

    def commas(match: re.Match[str]) -> str:
        nonlocal found, first
        token = match.group()
        if token.startswith('"'):
            return token
        if first < 0 or match.start() < first:
            found, first = "trailing comma", match.start()
        return " "

    cleaned = _COMMENTS.sub(comments, text) if "/" in text else text
    cleaned = _TRAILING_COMMA.sub(commas, cleaned) if "," in cleaned else cleaned
    return cleaned, found, first


def parse_lenient(text: str, name: str) -> LenientResult:
    """Parse strictly first (fast path); on failure retry with comments/trailing commas
    blanked. Raises JsonSyntaxError (positions refer to the original file) if still invalid."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        # Fast path: the C decoder guards its own recursion (RecursionError), so valid files
        # skip parse_json_text's depth pre-scan; every problem takes the careful path below.
        return LenientResult(SourceDocument(name, text, json.loads(text)))
    except (ValueError, RecursionError):
        pass
    try:
        return LenientResult(_source(parse_json_text(text, name)))
    except JsonSyntaxError as strict_error:
        cleaned, found, offset = clean_json_text(text)
        if not found:
            raise strict_error from None
        document = _source(parse_json_text(cleaned, name))
        return LenientResult(document, found, offset)


def _source(document: JsonDocument) -> SourceDocument:
    return SourceDocument(document.name, document.text, document.data)
