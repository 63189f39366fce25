"""Where a component (or page) holds expressions, and what each must evaluate to.

Derived from the generated layout schema, so nested places (options `source.label`,
`queryParameters.*`, `pageBreak.*`, table column `hidden`, grid `cellStyle.colSpan`, map
`toolbar.*`, number formatting, `textResourceBindings.*`, ...) are found without anyone keeping
a second list. Only places that are present in the given JSON are reported; whether the value
there is an expression or a literal is the caller's call (`isinstance(value, list)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from layouts.catalogue.model import ExprType
from layouts.catalogue.registry import resolve
from layouts.catalogue.schema_gen import definition_key, layout_schema
from schemas.sourcemap import escape_pointer_token

_TYPED_REF = re.compile(r"^#/definitions/(boolean|string|number|any)-expr$")
_MAX_DEPTH = 24


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = layout_schema()["definitions"]
    return definitions


_SLOTS_BY_SHAPE: dict[tuple[str, Any], tuple[tuple[str, ExprType], ...]] = {}
_MAX_SHAPES = 4096


def _shape(value: Any) -> Any:
    """The structure of a JSON value (keys and value kinds), which is all the slots depend on."""
    if isinstance(value, Mapping):
        return tuple((key, _shape(item)) for key, item in value.items())
    if isinstance(value, list):
        return ("[]", tuple(_shape(item) for item in value))
    return type(value).__name__


def expression_slots(component: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    """(JSON pointer relative to the component, expected type) for every expression-capable
    place the component uses. Unknown types yield nothing.

    Forms repeat the same component shapes many times, and walking the schema is the
    expensive part, so results are remembered per (type, shape)."""
    key = (str(component.get("type", "")), _shape(component))
    found = _SLOTS_BY_SHAPE.get(key)
    if found is None:
        found = tuple(_expression_slots(component))
        if len(_SLOTS_BY_SHAPE) >= _MAX_SHAPES:
            _SLOTS_BY_SHAPE.clear()
        _SLOTS_BY_SHAPE[key] = found
    return iter(found)


def _expression_slots(component: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    definition = resolve(str(component.get("type", "")))
    if definition is None:
        return
    schema = _definitions()[definition_key(definition)]
    seen: set[str] = set()
    for pointer, expected in _walk(schema, component, "", 0):
        if pointer not in seen:
            seen.add(pointer)
            yield pointer, expected
    texts = component.get("textResourceBindings")
    if isinstance(texts, Mapping):
        # Keys the type does not define are schema errors, but Altinn still evaluates them
        # as text: type-check them too.
        for key in texts:
            pointer = f"/textResourceBindings/{escape_pointer_token(key)}"
            if pointer not in seen:
                yield pointer, ExprType.STRING


def page_expression_slots(page: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    """Slots of a whole page file: `data.hidden` and every component's, with full pointers."""
    data = page.get("data")
    if not isinstance(data, Mapping):
        return
    if "hidden" in data:
        yield "/data/hidden", ExprType.BOOLEAN
    layout = data.get("layout")
    if not isinstance(layout, list):
        return
    for index, component in enumerate(layout):
        if isinstance(component, Mapping):
            for pointer, expected in expression_slots(component):
                yield f"/data/layout/{index}{pointer}", expected


def _expected(schema: Mapping[str, Any]) -> ExprType | None:
    """The expression type a schema node stands for, or None when it is not an expression."""
    annotated = schema.get("x-expression")
    if isinstance(annotated, str):
        return ExprType(annotated)
    match = _TYPED_REF.match(str(schema.get("$ref", "")))
    if match:
        return ExprType(match.group(1))
    alternatives = schema.get("anyOf")
    if isinstance(alternatives, list):
        kinds = [_expected(alt) for alt in alternatives if isinstance(alt, Mapping)]
        typed = {kind for kind in kinds if kind is not None}
        if len(typed) == 1:
            return typed.pop()
        if len(typed) > 1:
            return ExprType.ANY
    return None


def _deref(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    for _ in range(_MAX_DEPTH):
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
            return schema
        schema = _definitions()[ref.rsplit("/", 1)[1]]
    return schema


def _walk(
    schema: Mapping[str, Any], value: Any, pointer: str, depth: int
) -> Iterator[tuple[str, ExprType]]:
    if depth > _MAX_DEPTH:
        return
    expected = _expected(schema)
    if expected is None:
        schema = _deref(schema)
        expected = _expected(schema)
    if expected is not None:
        yield pointer, expected
        return
    for keyword in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(keyword) or ():
            if isinstance(alternative, Mapping):
                yield from _walk(alternative, value, pointer, depth + 1)
    if isinstance(value, Mapping):
        yield from _walk_object(schema, value, pointer, depth)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from _walk(schema["items"], item, f"{pointer}/{index}", depth + 1)


def _walk_object(
    schema: Mapping[str, Any], value: Mapping[str, Any], pointer: str, depth: int
) -> Iterator[tuple[str, ExprType]]:
    properties = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        sub = properties.get(key)
        if sub is None and isinstance(extra, Mapping):
            sub = extra
        if isinstance(sub, Mapping):
            yield from _walk(sub, item, f"{pointer}/{escape_pointer_token(key)}", depth + 1)
