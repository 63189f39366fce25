"""Format-preserving JSON rewriting.

The designer must save exactly what changed: editing one property of one component may only
touch that property's lines. `rewrite(text, new_data)` re-parses the original text into spans,
compares it with the new data and patches only the spans that differ; new or reshaped parts
are written in Altinn's style (2-space indentation, key order kept, non-ASCII as is).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*.*?\*/)*", re.S)
"""Whitespace, plus the comments Altinn tolerates in its JSON files (kept untouched)."""
_INDENT = re.compile(r"[ \t]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


@dataclass
class Node:
    """A parsed JSON value with its text span; members/items keep their own spans."""

    start: int
    end: int
    value: Any
    members: list[Member] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    kind: str = "scalar"


@dataclass
class Member:
    key: str
    key_start: int
    node: Node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def parse(self) -> Node:
        self.skip()
        node = self.value()
        return node

    def value(self) -> Node:
        self.skip()
        ch = self.text[self.pos]
        start = self.pos
        if ch == "{":
            self.pos += 1
            members: list[Member] = []
            self.skip()
            if self.text[self.pos] == "}":
                self.pos += 1
            else:
                while True:
                    self.skip()
                    m = _STRING.match(self.text, self.pos)
                    assert m is not None
                    key = json.loads(m.group())
                    key_start = self.pos
                    self.pos = m.end()
                    self.skip()
                    self.pos += 1  # colon
                    child = self.value()
                    members.append(Member(key, key_start, child))
                    self.skip()
                    if self.text[self.pos] == ",":
                        self.pos += 1
                        self.skip()
                        if self.text[self.pos] != "}":
                            continue
                    self.pos += 1  # closing brace
                    break
            data = {m.key: m.node.value for m in members}
            return Node(start, self.pos, data, members=members, kind="object")
        if ch == "[":
            self.pos += 1
            items: list[Node] = []
            self.skip()
            if self.text[self.pos] == "]":
                self.pos += 1
            else:
                while True:
                    items.append(self.value())
                    self.skip()
                    if self.text[self.pos] == ",":
                        self.pos += 1
                        self.skip()
                        if self.text[self.pos] != "]":
                            continue
                    self.pos += 1
                    break
            return Node(start, self.pos, [i.value for i in items], items=items, kind="array")
        if ch == '"':
            m = _STRING.match(self.text, self.pos)
            assert m is not None
            self.pos = m.end()
            return Node(start, self.pos, json.loads(m.group()))
        m = _SCALAR.match(self.text, self.pos)
        assert m is not None, f"unexpected character at offset {self.pos}"
        self.pos = m.end()
        return Node(start, self.pos, json.loads(m.group()))


def dumps(value: Any, indent_level: int = 0, indent: str = "  ") -> str:
    """Serialize the way Altinn Studio writes files: 2-space indent, UTF-8 characters kept."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    if indent_level:
        pad = indent * indent_level
        text = text.replace("\n", "\n" + pad)
    return text


def dump_file(value: Any) -> str:
    """A whole new file in Altinn's formatting, with a trailing newline."""
    return dumps(value) + "\n"


def _line_indent(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    match = _INDENT.match(text, line_start)
    return match.group() if match else ""


def _same(a: Any, b: Any) -> bool:
    """Equality that tells 1 from 1.0 and True from 1, as the file text would."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def rewrite(text: str, new_data: Any) -> str:
    """Return `text` changed as little as possible so that it parses to `new_data`."""
    body_start = 1 if text.startswith("\ufeff") else 0
    root = _Parser(text[body_start:]).parse() if text.strip() else None
    if root is None:
        return dump_file(new_data)
    edits: list[tuple[int, int, str]] = []
    source = text[body_start:]
    _diff(source, root, new_data, edits)
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        source = source[:start] + replacement + source[end:]
    return text[:body_start] + source


def _replacement(source: str, node: Node, value: Any) -> str:
    indent = _line_indent(source, node.start)
    unit = "  "
    level = len(indent) // len(unit) if indent.strip(" ") == "" else 0
    text = json.dumps(value, indent=unit, ensure_ascii=False)
    if level:
        text = text.replace("\n", "\n" + unit * level)
    return text


def _diff(source: str, node: Node, new: Any, edits: list[tuple[int, int, str]]) -> None:
    old = node.value
    if _same(old, new):
        return
    if node.kind == "object" and isinstance(new, dict):
        old_keys = [m.key for m in node.members]
        kept = [k for k in old_keys if k in new]
        new_order = [k for k in new if k in old_keys]
        if kept == new_order and node.members:
            _diff_object(source, node, new, edits)
            return
    if node.kind == "array" and isinstance(new, list) and len(new) == len(node.items) and new:
        for item, value in zip(node.items, new, strict=True):
            _diff(source, item, value, edits)
        return
    if (
        node.kind == "array"
        and isinstance(new, list)
        and node.items
        and len(new) > len(node.items)
        and all(_same(i.value, v) for i, v in zip(node.items, new, strict=False))
    ):
        _append_items(source, node, new[len(node.items) :], edits)
        return
    edits.append((node.start, node.end, _replacement(source, node, new)))


def _diff_object(source: str, node: Node, new: dict[str, Any], edits: list[tuple[int, int, str]]):
    members = node.members
    first_kept = next((i for i, m in enumerate(members) if m.key in new), None)
    if first_kept is None:
        edits.append((node.start, node.end, _replacement(source, node, new)))
        return
    if first_kept > 0:
        # Leading removed members go together with the comma before the first kept one.
        edits.append((members[0].key_start, members[first_kept].key_start, ""))
    for index in range(first_kept, len(members)):
        member = members[index]
        if member.key in new:
            _diff(source, member.node, new[member.key], edits)
        else:
            # Remove ", key: value" following the previous member.
            edits.append((members[index - 1].node.end, member.node.end, ""))
    original = {m.key: m for m in members}
    added = [k for k in new if k not in original]
    if not added:
        return
    multiline = "\n" in source[node.start : node.end]
    member_indent = _line_indent(source, members[first_kept].key_start) if multiline else ""
    sep = ("\n" + member_indent) if multiline else " "
    # Each new key goes right after the nearest kept key before it in `new` (or first).
    runs: dict[str | None, list[str]] = {}
    previous: str | None = None
    for key in new:
        if key in original:
            previous = key
            continue
        value_text = _format_value(new[key], member_indent, multiline)
        runs.setdefault(previous, []).append(f"{json.dumps(key, ensure_ascii=False)}: {value_text}")
    for anchor_key, pairs in runs.items():
        if anchor_key is None:
            anchor = members[first_kept].key_start
            edits.append((anchor, anchor, "".join(f"{pair},{sep}" for pair in pairs)))
        else:
            anchor = original[anchor_key].node.end
            edits.append((anchor, anchor, "".join(f",{sep}{pair}" for pair in pairs)))


def _append_items(source: str, node: Node, extra: list[Any], edits: list[tuple[int, int, str]]):
    last = node.items[-1]
    multiline = "\n" in source[node.start : node.end]
    indent = _line_indent(source, last.start) if multiline else ""
    sep = ("\n" + indent) if multiline else " "
    parts = [f",{sep}{_format_value(value, indent, multiline)}" for value in extra]
    edits.append((last.end, last.end, "".join(parts)))


def _format_value(value: Any, indent: str, multiline: bool) -> str:
    """A value inserted into a container: indented like its siblings, or compact on one line."""
    if not multiline:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    text = json.dumps(value, indent="  ", ensure_ascii=False)
    level = len(indent) // 2
    return text.replace("\n", "\n" + "  " * level) if level else text
