"""JSON documents that remember where every value came from.

Parsing uses the fast `json` module; positions (line, column per JSON pointer) are computed
only when a message first needs one, by a single scan of the text. That keeps validation of a
clean app close to the cost of `json.loads`.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.diagnostics import LocatedError, Location

MAX_NESTING = 512
"""Deeper JSON than this is refused: no real app file comes close, and it protects the stack."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


class JsonSyntaxError(LocatedError):
    """A file that is not valid JSON (or not UTF-8, or nested absurdly deep)."""


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _max_depth_exceeded(text: str, limit: int) -> tuple[bool, int]:
    """Cheap bracket-depth scan (strings skipped) run before json.loads to avoid recursion."""
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        ch = m.group()[0]
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True, m.start()
        elif ch in "]}":
            depth -= 1
    return False, -1


@dataclass
class JsonDocument:
    """A parsed JSON file plus lazy pointer → (line, column) lookup."""

    name: str
    text: str
    data: Any
    _values: dict[str, int] | None = field(default=None, repr=False)
    _keys: dict[str, int] | None = field(default=None, repr=False)
    _lines: list[int] | None = field(default=None, repr=False)

    def location(self, pointer: str = "", *, at_key: bool = False) -> Location:
        """Location of the value at `pointer` (or of its key, for unknown-key messages)."""
        line, column = self.position(pointer, at_key=at_key)
        return Location(self.name, pointer, line, column)

    def position(self, pointer: str, *, at_key: bool = False) -> tuple[int | None, int | None]:
        if self._values is None:
            self._values, self._keys = _scan(self.text)
        table = self._keys if at_key else self._values
        assert table is not None
        offset = table.get(pointer)
        probe = pointer
        while offset is None and probe:
            # Fall back to the nearest existing ancestor (e.g. a missing required key).
            probe = probe.rsplit("/", 1)[0]
            offset = self._values.get(probe)
        if offset is None:
            return None, None
        return self._offset_to_line_col(offset)

    def _offset_to_line_col(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.end() for m in re.finditer("\n", self.text)]
        line_index = bisect.bisect_right(self._lines, offset)
        line_start = self._lines[line_index - 1] if line_index else 0
        return line_index + 1, offset - line_start + 1


def _scan(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Map every JSON pointer to the offset of its value and (for members) of its key."""
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    # Each frame: [is_object, pointer, current key or index, expecting_key]
    stack: list[list[Any]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        ch = tok[0]
        if ch == ",":
            if stack:
                frame = stack[-1]
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] += 1
            continue
        if ch == ":":
            continue
        if ch in "]}":
            if stack:
                stack.pop()
            continue
        if stack and stack[-1][0] and stack[-1][3]:
            frame = stack[-1]
            try:
                frame[2] = json.loads(tok)
            except ValueError:
                frame[2] = tok.strip('"')
            frame[3] = False
            keys[join_pointer(frame[1], frame[2])] = m.start()
            continue
        pointer = join_pointer(stack[-1][1], stack[-1][2]) if stack else ""
        values.setdefault(pointer, m.start())
        if ch == "{":
            stack.append([True, pointer, None, True])
        elif ch == "[":
            stack.append([False, pointer, 0, False])
    return values, keys


def parse_json_text(text: str, name: str) -> JsonDocument:
    """Parse JSON text; errors carry line and column and say how to fix the file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    too_deep, offset = _max_depth_exceeded(text, MAX_NESTING)
    if too_deep:
        doc = JsonDocument(name, text, None)
        line, column = doc._offset_to_line_col(offset)
        raise JsonSyntaxError(
            f"JSON is nested more than {MAX_NESTING} levels deep",
            Location(name, "", line, column),
            "flatten the structure; Altinn files never need this depth",
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(
            f"invalid JSON: {exc.msg}",
            Location(name, "", exc.lineno, exc.colno),
            "fix the syntax at this position (a missing comma, quote or bracket is typical)",
        ) from None
    except RecursionError:
        raise JsonSyntaxError(
            "JSON is nested too deeply to read",
            Location(name),
            "flatten the structure",
        ) from None
    return JsonDocument(name, text, data)


def decode_utf8(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start]
        line = prefix.count(b"\n") + 1
        column = exc.start - (prefix.rfind(b"\n") + 1) + 1
        raise JsonSyntaxError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            Location(name, "", line, column),
            "save the file as UTF-8",
        ) from None


def load_json_file(path: Path, name: str | None = None) -> JsonDocument:
    """Read and parse a JSON file; `name` is how messages refer to it (default: the path)."""
    label = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JsonSyntaxError(f"cannot read file: {exc.strerror}", Location(label)) from None
    return parse_json_text(decode_utf8(raw, label), label)
