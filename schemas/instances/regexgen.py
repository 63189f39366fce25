"""Random strings matching a regular expression, for sample data of `pattern` fields.

Walks the standard library's own parse of the pattern (`re._parser`), so any pattern Python
can compile is understood; unbounded repeats are capped so results stay short.
"""

from __future__ import annotations

import random
import re
import string
from typing import Any

try:  # Python 3.11+
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_REPEAT = 6
_CATEGORIES: dict[Any, str] = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
    sre_constants.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_constants.CATEGORY_NOT_WORD: "-.,!",
}
_PRINTABLE = string.ascii_letters + string.digits + " -_.,"


def string_matching(
    pattern: str, rng: random.Random, min_len: int = 0, max_len: int | None = None, tries: int = 60
) -> str | None:
    """A string that `re.search(pattern)` accepts within the length bounds, or None."""
    try:
        compiled = re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None
    for _ in range(tries):
        groups: dict[int, str] = {}
        try:
            text = _emit(parsed, rng, groups)
        except (ValueError, IndexError, RecursionError):
            continue
        if len(text) < min_len and not _anchored(pattern):
            text += "a" * (min_len - len(text))
        if compiled.search(text) and min_len <= len(text) <= (max_len or len(text)):
            return text
    return None


def _anchored(pattern: str) -> bool:
    return pattern.endswith("$")


def _emit(items: Any, rng: random.Random, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in items:
        out.append(_one(op, arg, rng, groups))
    return "".join(out)


def _one(op: Any, arg: Any, rng: random.Random, groups: dict[int, str]) -> str:
    if op is sre_constants.LITERAL:
        return chr(arg)
    if op is sre_constants.NOT_LITERAL:
        return rng.choice([c for c in _PRINTABLE if ord(c) != arg])
    if op is sre_constants.ANY:
        return rng.choice(string.ascii_letters)
    if op is sre_constants.IN:
        return _from_set(arg, rng)
    if op is sre_constants.BRANCH:
        return _emit(rng.choice(arg[1]), rng, groups)
    if op is sre_constants.SUBPATTERN:
        group, _add, _del, body = arg
        text = _emit(body, rng, groups)
        if group:
            groups[group] = text
        return text
    if op in (
        sre_constants.MAX_REPEAT,
        sre_constants.MIN_REPEAT,
        getattr(sre_constants, "POSSESSIVE_REPEAT", None),
    ):
        low, high, body = arg
        cap = low + MAX_REPEAT if high == sre_constants.MAXREPEAT else high
        count = rng.randint(low, max(low, min(cap, low + MAX_REPEAT)))
        return "".join(_emit(body, rng, groups) for _ in range(count))
    if op is sre_constants.GROUPREF:
        return groups.get(arg, "")
    if op is sre_constants.CATEGORY:
        return rng.choice(_CATEGORIES.get(arg, string.ascii_letters))
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _emit(arg, rng, groups)
    # anchors, lookarounds and the like produce no text
    return ""


def _from_set(items: Any, rng: random.Random) -> str:
    negate = False
    pool: list[str] = []
    for op, arg in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            pool.append(chr(arg))
        elif op is sre_constants.RANGE:
            low, high = arg
            pool.extend(chr(c) for c in range(low, min(high, low + 400) + 1))
        elif op is sre_constants.CATEGORY:
            pool.extend(_CATEGORIES.get(arg, ""))
    if negate:
        excluded = set(pool)
        pool = [c for c in _PRINTABLE if c not in excluded]
    if not pool:
        raise ValueError("empty character set")
    return rng.choice(pool)
