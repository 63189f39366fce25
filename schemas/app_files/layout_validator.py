"""A page-layout validator that checks each component against its own type's branch only.

The generated layout schema picks a component's branch with one `if`/`then` per catalogue type
(case-insensitive patterns), so a validator tries every branch on every component: on a large
form that is most of the schema-check time. Here the page is validated with the component
schema switched off, and each component then with a validator built from the branches whose
`if` accepts its `type` — evaluated by the same schema engine, so the verdict is the full
schema's. Errors are always listed by the full validator, which keeps messages identical.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import jsonschema_rs

COMPONENT_REF = "#/definitions/component"

MAX_NAMES = 4096
"""Type-name spellings whose validator is remembered by name (like `_branches_of`'s cache)."""


class PageLayoutValidator:
    """`is_valid` / `iter_errors` over a page file, like a jsonschema-rs validator."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._full = jsonschema_rs.Draft7Validator(schema)
        self._schema = schema
        self._dispatch = _dispatch_is_exact(schema)
        self._branches: list[tuple[Any, dict[str, Any]]] = []
        if self._dispatch:
            self._branches = [
                (jsonschema_rs.Draft7Validator(branch["if"]), branch["then"])
                for branch in schema["definitions"]["component"].get("allOf", [])
            ]
        skeleton = copy.deepcopy(schema)
        skeleton["definitions"]["component"] = {}
        self._skeleton = jsonschema_rs.Draft7Validator(skeleton)
        self._branches_of = lru_cache(maxsize=4096)(self._matching_branches)
        self._per_branches = cache(self._validator_for_branches)
        self._by_name: dict[str, Any] = {}

    def is_valid(self, data: Any) -> bool:
        if not self._dispatch:
            return bool(self._full.is_valid(data))
        if not self._skeleton.is_valid(data):
            return False
        by_type = _by_type(_components(data))
        if by_type is None:
            return bool(self._full.is_valid(data))
        # One call per type on the list of its components: the per-call cost, not the
        # checking, is what a component-at-a-time loop spends most on.
        known = self._by_name
        for name, group in by_type.items():
            validator = known.get(name)
            if validator is None:
                validator = self._per_type(name)
            if not validator.is_valid(group):
                return False
        return True

    def _per_type(self, type_name: str) -> Any:
        """The validator for a list of components of this type name. Validators are kept
        per set of branches that apply, not per spelling: a file may spell a type in
        hundreds of letter cases, and each new validator takes milliseconds to build.
        The first spellings are also remembered by name (a dict lookup is all a page
        then costs per type); the rest are found through the bounded caches."""
        validator = self._per_branches(self._branches_of(type_name))
        if len(self._by_name) < MAX_NAMES:
            self._by_name[type_name] = validator
        return validator

    def _matching_branches(self, type_name: str) -> tuple[int, ...]:
        probe = {"type": type_name}
        return tuple(
            index
            for index, (condition, _) in enumerate(self._branches)
            if condition.is_valid(probe)
        )

    def iter_errors(self, data: Any) -> Iterator[Any]:
        return iter(self._full.iter_errors(data))

    def _validator_for_branches(self, indexes: tuple[int, ...]) -> Any:
        """For a list of components: each against the component schema with only the given
        branches (those whose condition accepts the components' type name)."""
        component = dict(self._schema["definitions"]["component"])
        chosen = [self._branches[index][1] for index in indexes]
        component.pop("allOf", None)
        if chosen:
            component["allOf"] = chosen
        wrapper = {
            "$schema": self._schema.get("$schema", "http://json-schema.org/draft-07/schema#"),
            "definitions": self._schema["definitions"],
            "type": "array",
            "items": component,
        }
        return jsonschema_rs.Draft7Validator(wrapper)


def _components(data: Any) -> list[Any]:
    """The page's `data.layout` entries (the skeleton has already checked the shape)."""
    inner = data.get("data") if type(data) is dict else None
    layout = inner.get("layout") if type(inner) is dict else None
    return layout if type(layout) is list else []


def _by_type(components: list[Any]) -> dict[str, list[Any]] | None:
    """The components grouped by their `type`, or None if one is not an exact dict with an
    exact str `type` (the full schema then decides). Subscripts, not `.get` calls: this
    loop runs once per component of every page."""
    by_type: defaultdict[str, list[Any]] = defaultdict(list)
    try:
        for component in components:
            if type(component) is not dict:
                return None
            name = component["type"]
            if type(name) is not str:
                return None
            by_type[name].append(component)
    except KeyError:  # no `type`
        return None
    return by_type


def _dispatch_is_exact(schema: dict[str, Any]) -> bool:
    """Dispatching is exact only if `data.layout.items` is the one use of the component schema
    and every branch condition looks at nothing but the component's `type`."""
    layout = schema.get("properties", {}).get("data", {}).get("properties", {}).get("layout", {})
    component = schema.get("definitions", {}).get("component")
    if not isinstance(component, dict) or repr(schema).count(repr(COMPONENT_REF)) != 1:
        return False
    if layout.get("items", {}).get("$ref") != COMPONENT_REF:
        return False
    for branch in component.get("allOf", []):
        condition = branch.get("if") if isinstance(branch, dict) else None
        if not isinstance(condition, dict) or set(branch) != {"if", "then"}:
            return False
        if set(condition) - {"properties", "required"}:
            return False
        if set(condition.get("properties", {})) != {"type"}:
            return False
    return True
