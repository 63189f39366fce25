"""Lookup over all component definitions, and the generic child walker containers share."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from layouts.catalogue.model import ChildRef, ComponentDefinition

_MULTIPAGE = re.compile(r"^(\d+):(.+)$")


@cache
def _index() -> tuple[dict[str, ComponentDefinition], dict[str, str]]:
    from layouts.catalogue.components import DEFINITIONS

    by_type: dict[str, ComponentDefinition] = {}
    lower: dict[str, str] = {}
    for definition in DEFINITIONS:
        for name in (definition.type, *definition.aliases):
            if name in by_type:
                raise ValueError(f"component type {name} is defined twice")
            by_type[name] = definition
            lower[name.lower()] = name
    return by_type, lower


def all_definitions() -> list[ComponentDefinition]:
    """Every definition once (aliases not repeated), in catalogue order."""
    from layouts.catalogue.components import DEFINITIONS

    return list(DEFINITIONS)


def all_type_names() -> list[str]:
    """Every accepted `type` value, aliases included (the layout schema's enum)."""
    return sorted(_index()[0])


def definition_for(type_name: str) -> ComponentDefinition | None:
    """The definition for a `type` value spelled exactly as the catalogue spells it (or an
    alias). Altinn's frontend also accepts other letter cases; `resolve` does that."""
    return _index()[0].get(type_name)


def resolve(type_name: str) -> ComponentDefinition | None:
    """The definition for a `type` value, matching letter case loosely as Altinn's frontend
    does (it maps "radiobuttons" to RadioButtons). Checks still flag the odd spelling."""
    by_type, lower = _index()
    exact = by_type.get(type_name)
    if exact is not None:
        return exact
    canonical = lower.get(type_name.lower())
    return by_type[canonical] if canonical else None


def repeating_binding_of(component: Mapping[str, Any]) -> str | None:
    """The binding key a component repeats its children over, or None when it does not repeat.

    RepeatingGroup always repeats; an old-style Group repeats only when maxCount > 1 (Altinn's
    backend and the shared expression tests still rely on that)."""
    definition = resolve(str(component.get("type", "")))
    if definition is None:
        return None
    if definition.repeating:
        return definition.repeating_binding
    legacy = definition.extra.get("legacy_repeating_binding")
    max_count = component.get("maxCount")
    if legacy and isinstance(max_count, int) and not isinstance(max_count, bool):
        return str(legacy) if max_count > 1 else None
    return None


def canonical_type(type_name: str) -> str | None:
    """The catalogue's spelling of a type, matching case-insensitively (for fix hints)."""
    return _index()[1].get(type_name.lower())


def is_container(component: Mapping[str, Any]) -> bool:
    definition = resolve(str(component.get("type", "")))
    return bool(definition and definition.is_container)


def children_of(component: Mapping[str, Any]) -> list[ChildRef]:
    """The child ids a container names, in order, each with its JSON pointer (relative to the
    component) and, for multipage repeating groups, the `N:` page prefix."""
    definition = resolve(str(component.get("type", "")))
    if definition is None or not definition.child_paths:
        return []
    multipage = definition.multipage_children or repeating_binding_of(component) is not None
    refs: list[ChildRef] = []
    for path in definition.child_paths:
        for pointer, value in _walk(component, path, ""):
            if isinstance(value, str):
                refs.append(_child_ref(value, pointer, multipage))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str):
                        refs.append(_child_ref(item, f"{pointer}/{index}", multipage))
    return refs


def _child_ref(raw: str, pointer: str, multipage: bool) -> ChildRef:
    if multipage:
        match = _MULTIPAGE.match(raw)
        if match:
            return ChildRef(match.group(2), pointer, int(match.group(1)))
    return ChildRef(raw, pointer, None)


def _walk(node: Any, path: tuple[str, ...], pointer: str) -> Iterator[tuple[str, Any]]:
    if not path:
        yield pointer, node
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _walk(item, rest, f"{pointer}/{index}")
        return
    if isinstance(node, Mapping) and head in node:
        yield from _walk(node[head], rest, f"{pointer}/{head}")
