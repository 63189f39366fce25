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


_NESTING_KEYWORDS = SINGLE_SCHEMA_KEYWORDS | SCHEMA_LIST_KEYWORDS | SCHEMA_MAP_KEYWORDS


def normalize(schema: Any) -> Any:
    """The normalized form of `schema`; the input is never modified.

    Subtrees that need no change are returned as they are (not copied): converted models
    have thousands of leaf schemas, and rebuilding each one cost more than converting it.
    Normalizing is idempotent, so parts that come out of a fold are not normalized twice.
    """
    if not isinstance(schema, dict) or schema.keys().isdisjoint(_NESTING_KEYWORDS):
        return schema
    result: dict[str, Any] = {}
    changed = False
    for keyword, value in schema.items():
        if keyword == "allOf" and isinstance(value, list) and len(value) == 1:
            sub = normalize(value[0])
            if isinstance(sub, dict) and _folds(schema, sub):
                if len(sub) == 1 and "allOf" in sub:
                    result["allOf"] = sub["allOf"]
                else:
                    result.update(sub)
                changed = True
                continue
            if sub is not value[0]:
                value = [sub]
                changed = True
            result["allOf"] = value
            continue
        if keyword not in _NESTING_KEYWORDS:  # annotations, types, facets: kept as they are
            result[keyword] = value
            continue
        normalized = _normalize_children(keyword, value)
        changed = changed or normalized is not value
        result[keyword] = normalized
    return result if changed else schema


def _folds(schema: dict[str, Any], sub: dict[str, Any]) -> bool:
    """Whether a one-entry allOf's (normalized) member merges into `schema`."""
    if not sub or (len(schema) > 1 and "$ref" in sub):
        return False  # an empty member leaves the allOf as it is
    if len(sub) == 1 and "allOf" in sub:
        return True  # nested one-entry allOfs collapse to the inner list
    return len(schema) == 1 or (bool(sub) and schema.keys().isdisjoint(sub))


def _normalize_children(keyword: str, value: Any) -> Any:
    if keyword in SINGLE_SCHEMA_KEYWORDS:
        if isinstance(value, list):
            return _normalize_list(value)
        return normalize(value)
    if keyword in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
        return _normalize_list(value)
    if keyword in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
        result: dict[str, Any] | None = None  # a copy, made at the first changed member
        seen_leaf: Any = None
        for name, item in value.items():
            # leaves (most properties, often one shared dict) are recognised here, without
            # a call each
            if item is seen_leaf:
                continue
            if not isinstance(item, dict) or item.keys().isdisjoint(_NESTING_KEYWORDS):
                seen_leaf = item
                continue
            normalized = normalize(item)
            if normalized is not item:
                if result is None:
                    result = dict(value)
                result[name] = normalized
        return value if result is None else result
    return value


def _normalize_list(items: list[Any]) -> list[Any]:
    result = [normalize(item) for item in items]
    if all(new is old for new, old in zip(result, items, strict=True)):
        return items
    return result
