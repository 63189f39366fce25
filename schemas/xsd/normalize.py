"""Simplify JSON Schema structure the way Altinn Studio does, without changing validation.

The XSD reader builds every complex type as a list of steps joined with `allOf`; most have one
step, which this pass folds into the parent. The JSON Schema -> XSD direction runs the same pass
first, so both directions see the same shapes. Rules (from the behaviour of Altinn's normalizer):
a one-entry `allOf` is merged into its parent unless that would put `$ref` next to other
keywords or clash with a keyword the parent already has; nested one-entry `allOf`s collapse.
"""

from __future__ import annotations

from typing import Any

SINGLE_SCHEMA_KEYWORDS = frozenset(
    {
        "items",
        "additionalProperties",
        "additionalItems",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAP_KEYWORDS = frozenset(
    {"properties", "$defs", "definitions", "patternProperties", "dependentSchemas"}
)


def normalize(schema: Any) -> Any:
    """Return a normalized copy of `schema` (dicts are rebuilt; the input is not modified)."""
    if not isinstance(schema, dict):
        return schema
    if not schema:
        return {}
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        for name, normalized in _normalize_keyword(schema, keyword, value):
            result[name] = normalized
    return result


def _normalize_keyword(schema: dict[str, Any], keyword: str, value: Any) -> list[tuple[str, Any]]:
    produced: list[tuple[str, Any]] = []
    if keyword == "allOf" and isinstance(value, list) and len(value) == 1:
        sub = normalize(value[0])
        sub_keys = set(sub) if isinstance(sub, dict) else set()
        if len(schema) > 1 and "$ref" in sub_keys:
            produced.append(("allOf", [sub]))
        elif isinstance(sub, dict) and len(sub) == 1 and "allOf" in sub:
            produced.append(("allOf", sub["allOf"]))
        elif (isinstance(sub, dict) and len(schema) == 1) or (
            isinstance(sub, dict) and sub and not (set(schema) & sub_keys)
        ):
            produced.extend(sub.items())
        else:
            produced.append(("allOf", [sub]))
    if not produced:
        produced.append((keyword, value))
    return [(name, _normalize_children(name, item)) for name, item in produced]


def _normalize_children(keyword: str, value: Any) -> Any:
    if keyword in SINGLE_SCHEMA_KEYWORDS:
        if isinstance(value, list):
            return [normalize(item) for item in value]
        return normalize(value)
    if keyword in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
        return [normalize(item) for item in value]
    if keyword in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
        return {name: normalize(item) for name, item in value.items()}
    return value
