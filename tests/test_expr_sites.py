"""Finding expressions from per-type slot tables, against the generic schema walk.

`expression_slots` and the check's `component_expressions` use tables compiled once per
component type; `schema_walk_slots` walks the whole layout schema along each component and
`reference_expressions` below is the check's former per-component logic on top of it. They
must agree exactly (pointers, types, values, order) on every catalogue type, on components
generated from each type's own schema (nested places, wrong shapes, unknown keys), on odd
`type` values, and on every component of the real apps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import suite_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app_runtime.checks.expression_sites import (
    COMMON_BOOLEAN,
    NESTED,
    TypePlan,
    component_expressions,
    component_sites,
)
from layouts.catalogue.expr_slots import (
    _definitions,
    compile_slots,
    component_slots,
    expression_slots,
    schema_walk_slots,
    walk_slots,
)
from layouts.catalogue.registry import all_definitions
from layouts.catalogue.schema_gen import definition_key

EXPRESSION = ["equals", ["dataModel", "a"], "x"]
TYPE_NAMES = sorted({name for d in all_definitions() for name in (d.type, *d.aliases)})


def _at(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def reference_expressions(
    component: Mapping[str, Any], walk: Callable[..., Any] = schema_walk_slots
) -> list[tuple[str, str, Any]]:
    """What the check found before the slot tables: the walk's slots holding arrays, then the
    documented places the walk did not report."""
    seen: set[str] = set()
    found: list[tuple[str, str, Any]] = []
    for relative, expected in walk(component):
        value = _at(component, relative)
        seen.add(relative)
        if isinstance(value, list):
            found.append((relative, expected.value, value))
    fallbacks: list[tuple[str, Any, str]] = [
        (f"/{name}", component.get(name), "boolean") for name in (*COMMON_BOOLEAN, "hiddenRow")
    ]
    bindings = component.get("textResourceBindings")
    if isinstance(bindings, Mapping):
        fallbacks += [
            (f"/textResourceBindings/{_escape(key)}", value, "string")
            for key, value in bindings.items()
        ]
    for (outer, inner), expected in NESTED.items():
        holder = component.get(outer)
        if isinstance(holder, Mapping):
            fallbacks.append((f"/{outer}/{inner}", holder.get(inner), expected))
    for relative, value, expected in fallbacks:
        if relative not in seen and isinstance(value, list):
            found.append((relative, expected, value))
    return found


def assert_same_sites(component: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """Tables and walk agree on `component`; returns what was found."""
    assert list(expression_slots(component)) == list(schema_walk_slots(component)), component
    expected = reference_expressions(component)
    found = component_expressions(component)
    assert [(p, t) for p, t, _ in found] == [(p, t) for p, t, _ in expected], component
    assert all(a is b for (_, _, a), (_, _, b) in zip(found, expected, strict=True))
    sites = list(component_sites("f.json", "/data/layout/0", component))
    assert [(s.pointer, s.expected) for s in sites] == [
        (f"/data/layout/0{p}", t) for p, t, _ in expected
    ]
    return found


def _everything(definition_type: str, value: Any) -> dict[str, Any]:
    """A component of the type with every property, text key and documented place set."""
    definition = next(d for d in all_definitions() if definition_type in (d.type, *d.aliases))
    component: dict[str, Any] = {"id": "c", "type": definition_type}
    for prop in definition.props:
        component[prop.name] = value
    component["textResourceBindings"] = {key: value for key in definition.text_keys} | {
        "notAKey": value,
        "a/b~c": value,
        "plain": "text",
    }
    component["dataModelBindings"] = {b.key: "a.b" for b in definition.bindings}
    for outer, inner in NESTED:
        holder = component.get(outer)
        if not isinstance(holder, dict):
            holder = component[outer] = {}
        holder[inner] = value
    component["hiddenRow"] = value
    component["unknownKey"] = value
    return component


@pytest.mark.parametrize("type_name", TYPE_NAMES)
@pytest.mark.parametrize(
    "value",
    [EXPRESSION, True, "text", 3, None, {"hidden": EXPRESSION}, [EXPRESSION, {"a": 1}]],
    ids=["expression", "boolean", "string", "number", "null", "object", "array"],
)
def test_every_type_with_every_place_set(type_name: str, value: Any) -> None:
    assert_same_sites(_everything(type_name, value))


def test_types_the_catalogue_does_not_know() -> None:
    for type_value in ("NoSuchType", "", None, 5, ["Input"], "input", "INPUT", "Subform"):
        component = _everything("Input", EXPRESSION) | {"type": type_value}
        assert_same_sites(component)
    assert_same_sites({"id": "x", "hidden": EXPRESSION, "textResourceBindings": {"a": ["x"]}})
    assert assert_same_sites({"type": "NoSuchType", "hidden": EXPRESSION})


def test_nested_places_are_found() -> None:
    group = {
        "id": "r",
        "type": "RepeatingGroup",
        "edit": {"addButton": EXPRESSION, "mode": "showAll"},
        "tableColumns": {"a~b/c": {"hidden": EXPRESSION}},
        "rowsAfter": [{"cells": [{"text": "t", "cellStyle": {"colSpan": EXPRESSION}}]}],
        "textResourceBindings": {"title": EXPRESSION, "weird": EXPRESSION},
    }
    found = assert_same_sites(group)
    assert [pointer for pointer, _, _ in found] == [
        "/edit/addButton",
        "/tableColumns/a~0b~1c/hidden",
        "/rowsAfter/0/cells/0/cellStyle/colSpan",
        "/textResourceBindings/title",
        "/textResourceBindings/weird",
    ]


def test_every_type_compiles_to_a_table_for_its_keys() -> None:
    """The hot path serves every catalogue type (no type falls back to the walk)."""
    for type_name in TYPE_NAMES:
        table = component_slots(type_name)
        assert table.known and table._top is not None, type_name


# -- components generated from each type's own schema -----------------------------------------


def _deref(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    for _ in range(20):
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            break
        schema = _definitions()[ref.rsplit("/", 1)[1]]
    return schema


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from(["", "x", "a.b"]),
    st.just(EXPRESSION),
    st.just([]),
    st.just({"k": EXPRESSION}),
)


def _value(draw: st.DrawFn, schema: Any, depth: int) -> Any:
    """A value shaped by `schema` most of the time, and anything else now and then."""
    if depth > 5 or not isinstance(schema, Mapping) or draw(st.integers(0, 9)) == 0:
        return draw(_JUNK)
    schema = _deref(schema)
    alternatives = [
        alt
        for keyword in ("anyOf", "oneOf", "allOf")
        for alt in schema.get(keyword) or ()
        if isinstance(alt, Mapping)
    ]
    if alternatives and draw(st.booleans()):
        return _value(draw, draw(st.sampled_from(alternatives)), depth + 1)
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        keys = draw(st.lists(st.sampled_from(sorted(properties)), max_size=4, unique=True))
        value = {key: _value(draw, properties[key], depth + 1) for key in keys}
        if draw(st.integers(0, 3)) == 0:
            extra = schema.get("additionalProperties")
            value[draw(st.sampled_from(["extra", "x/y", "~"]))] = _value(draw, extra, depth + 1)
        return value
    if isinstance(schema.get("additionalProperties"), Mapping):
        keys = draw(st.lists(st.sampled_from(["a", "b~c", "d/e"]), max_size=2, unique=True))
        return {key: _value(draw, schema["additionalProperties"], depth + 1) for key in keys}
    if isinstance(schema.get("items"), Mapping):
        return [_value(draw, schema["items"], depth + 1) for _ in range(draw(st.integers(0, 2)))]
    return draw(_JUNK)


@st.composite
def components(draw: st.DrawFn) -> dict[str, Any]:
    definition = draw(st.sampled_from(all_definitions()))
    schema = _definitions()[definition_key(definition)]
    keys = [*sorted(schema["properties"]), "hiddenRow", "edit", "source", "unknown"]
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=8, unique=True))
    component: dict[str, Any] = {}
    for key in chosen:
        component[key] = _value(draw, schema["properties"].get(key), 0)
    component["type"] = draw(
        st.sampled_from([definition.type, definition.type.lower(), *definition.aliases])
    )
    if draw(st.booleans()):  # `type` is not always first
        component = dict(reversed(component.items()))
    return component


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(components())
def test_generated_components(component: dict[str, Any]) -> None:
    assert_same_sites(component)


# -- made-up schemas: shapes the catalogue does not use today ----------------------------------
# Alternatives that hold expressions, expression-valued additionalProperties, `null` property
# schemas, deep nesting: the tables must fall back to the walk exactly where needed.

_LEAF_SCHEMAS = st.sampled_from(
    [
        {"$ref": "#/definitions/boolean-expr"},
        {"$ref": "#/definitions/string-expr"},
        {"$ref": "#/definitions/number-expr"},
        {"$ref": "#/definitions/any-expr"},
        {"$ref": "#/definitions/prop-hidden"},
        {"x-expression": "number", "type": "number"},
        {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/expression"}]},
        {"type": "string"},
        {"type": "boolean"},
        {"$ref": "#/definitions/binding"},
        {"$ref": "#/definitions/componentId"},
        {},
    ]
)
_KEYS = st.sampled_from(["a", "b", "hidden", "edit", "addButton", "c/d", "e~f"])


def _nested_schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    def obj(properties: dict[str, Any], extra: Any) -> dict[str, Any]:
        return {"type": "object", "properties": properties, "additionalProperties": extra}

    return st.one_of(
        st.builds(
            obj,
            st.dictionaries(_KEYS, st.one_of(children, st.none()), max_size=3),
            st.one_of(st.just(False), st.just(True), children),
        ),
        st.builds(lambda items: {"type": "array", "items": items}, children),
        st.builds(
            lambda keyword, members: {keyword: members},
            st.sampled_from(["anyOf", "oneOf", "allOf"]),
            st.lists(children, min_size=1, max_size=3),
        ),
    )


_SCHEMAS = st.recursive(_LEAF_SCHEMAS, _nested_schemas, max_leaves=12)
_TEXT_SCHEMAS = st.one_of(
    _SCHEMAS,
    st.builds(
        lambda keys, extra: {
            "type": "object",
            "properties": {key: {"$ref": "#/definitions/string-expr"} for key in keys},
            "additionalProperties": extra,
        },
        st.lists(st.sampled_from(["title", "help", "a/b"]), max_size=3),
        st.sampled_from([False, {"$ref": "#/definitions/string-expr"}, {"type": "string"}]),
    ),
)


@st.composite
def schemas_and_components(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    properties = draw(st.dictionaries(_KEYS, _SCHEMAS, max_size=5))
    if draw(st.booleans()):
        properties["textResourceBindings"] = draw(_TEXT_SCHEMAS)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": draw(st.one_of(st.just(False), _SCHEMAS)),
    }
    if draw(st.integers(0, 4)) == 0:
        schema["allOf"] = [draw(_SCHEMAS)]
    keys = [*properties, "textResourceBindings", "other", "x/y", "hiddenRow", "source"]
    chosen = draw(st.lists(st.sampled_from(keys), max_size=6, unique=True))
    component = {key: _value(draw, properties.get(key, {}), 0) for key in chosen}
    if "textResourceBindings" in chosen and draw(st.booleans()):
        component["textResourceBindings"] = {
            key: draw(st.sampled_from([EXPRESSION, "t", {"x": EXPRESSION}]))
            for key in draw(st.lists(st.sampled_from(["title", "help", "odd"]), unique=True))
        }
    return schema, component


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas_and_components())
def test_tables_match_the_walk_on_made_up_schemas(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    schema, component = case
    table = compile_slots(schema)
    walked = list(walk_slots(schema, component))
    sites = table.sites(component)
    assert [(p, t) for p, t, _ in sites] == walked
    assert all(value is _at(component, pointer) for pointer, _, value in sites)
    arrays = [(p, str(t), _at(component, p)) for p, t in walked]
    arrays = [site for site in arrays if isinstance(site[2], list)]
    assert table.expressions(component) == arrays
    expected = reference_expressions(component, lambda c: walk_slots(schema, c))
    assert TypePlan(table).expressions(component) == expected
    reported = {pointer for pointer, _ in walked}
    for key, value in component.items():
        paths: list[tuple[str, ...]] = [(key,)]
        if isinstance(value, dict):
            paths += [(key, inner) for inner in value]
        for tokens in paths:
            covered = table.covers(*tokens)
            pointer = "".join(f"/{_escape(token)}" for token in tokens)
            if covered is not None:
                assert (pointer in reported) == covered, (tokens, schema)


@pytest.mark.parametrize(
    "extra", [False, {"$ref": "#/definitions/string-expr"}, {"type": "string"}, {}]
)
def test_text_keys_keep_their_order(extra: Any) -> None:
    """Text keys the schema reports stay in place; the others follow every other slot."""
    schema = {
        "type": "object",
        "properties": {
            "textResourceBindings": {
                "type": "object",
                "properties": {"title": {"$ref": "#/definitions/string-expr"}, "plain": {}},
                "additionalProperties": extra,
            },
            "hidden": {"$ref": "#/definitions/boolean-expr"},
        },
        "additionalProperties": False,
    }
    texts = {"odd": EXPRESSION, "plain": EXPRESSION, "title": EXPRESSION, "t": "x"}
    component = {"textResourceBindings": texts, "hidden": EXPRESSION}
    table = compile_slots(schema)
    walked = list(walk_slots(schema, component))
    assert [(p, t) for p, t, _ in table.sites(component)] == walked
    assert [(p, t) for p, t, _ in table.expressions(component)] == [
        (p, str(t)) for p, t in walked if isinstance(_at(component, p), list)
    ]


# -- real apps ----------------------------------------------------------------------------------


def _real_components(root: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(root.glob("*/App/ui/**/layouts/*.json")):
        try:
            page = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            continue
        data = page.get("data") if isinstance(page, dict) else None
        layout = data.get("layout") if isinstance(data, dict) else None
        for component in layout if isinstance(layout, list) else ():
            if isinstance(component, dict):
                yield component


@pytest.mark.conformance
def test_every_real_app_component() -> None:
    root = suite_path("STUDIO_REAL_APPS")
    if not root.is_dir():
        pytest.skip("STUDIO_REAL_APPS is not available")
    count = found = 0
    for component in _real_components(root):
        count += 1
        found += len(assert_same_sites(component))
    assert count > 1000
    assert found > 250
