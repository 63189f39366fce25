"""A faster pointer -> offset table for JSON documents the loader hands out.

`schemas.sourcemap.JsonDocument` builds the table on the first `location()` call. Checks that
place many findings (or bindings) ask for it on every page of an app, so the loader's
documents use this scan instead: same tokens, same result, but each member's pointer is
built once (at its key) and plain keys skip JSON decoding and escaping.
"""

from __future__ import annotations

import json
import re
from typing import Any

from schemas.sourcemap import JsonDocument

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


def fast_scan(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Map every JSON pointer to the offset of its value and (for members) of its key.

    Produces exactly what `schemas.sourcemap._scan` produces, for any text.
    """
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    # Frame: [is_object, pointer, index (arrays), expecting_key (objects), member pointer]
    stack: list[list[Any]] = []
    frame: list[Any] | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == ",":
            if frame is not None:
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] += 1
            continue
        if first == ":":
            continue
        if first == "]" or first == "}":
            if stack:
                stack.pop()
                frame = stack[-1] if stack else None
            continue
        if frame is not None and frame[0] and frame[3]:
            key = _key_text(token)
            if "~" in key or "/" in key:
                key = key.replace("~", "~0").replace("/", "~1")
            member = f"{frame[1]}/{key}"
            frame[4] = member
            frame[3] = False
            keys[member] = match.start()
            continue
        if frame is None:
            pointer = ""
        elif frame[0]:
            pointer = frame[4]
        else:
            pointer = f"{frame[1]}/{frame[2]}"
        if pointer not in values:
            values[pointer] = match.start()
        if first == "{":
            frame = [True, pointer, 0, True, f"{pointer}/None"]
            stack.append(frame)
        elif first == "[":
            frame = [False, pointer, 0, False, ""]
            stack.append(frame)
    return values, keys


def _key_text(token: str) -> str:
    if token[0] == '"' and token[-1] == '"' and len(token) > 1 and "\\" not in token:
        return token[1:-1]
    try:
        return str(json.loads(token))
    except ValueError:
        return token.strip('"')


class SourceDocument(JsonDocument):
    """A JsonDocument whose position table is built with `fast_scan`."""

    def position(self, pointer: str, *, at_key: bool = False) -> tuple[int | None, int | None]:
        if self._values is None:
            self._values, self._keys = fast_scan(self.text)
        return super().position(pointer, at_key=at_key)
