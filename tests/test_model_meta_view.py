"""Lint's meta view: the schema `surely_compiles` checks against the meta-schema, with the
leaves left out of `properties`/`$defs`/`definitions` maps that surely pass it, gets the
meta-schema's verdict on the whole schema (generated schemas of every draft, hand-made edge
cases; real models are in test_compile_precheck.py). `leaf_surely_valid` vouches only for
leaves valid in every equal spelling."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from schemas.model import model_from_schema

META_DRAFTS = [
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema#",
    "http://json-schema.org/draft-04/schema#",
    "http://example.com/unknown",
    None,
]
META_LEAVES: list[Any] = [
    {"type": "string"},
    {"type": "string", "maxLength": 100},
    {"maxLength": 100, "type": "string"},
    {"type": "string", "maxLength": 100.0},
    {"maxLength": 1},
    {"maxLength": 1.0},
    {"maxLength": float(2**53)},
    {"minItems": 2**53},
    {"minimum": 0},
    {"minimum": -0.0},
    {"exclusiveMaximum": 1},
    {"type": "integer", "maximum": 10**30},
    {"$id": "a"},
    {"multipleOf": 2.5},
    {"x-any": 1.5},
    {"type": "string", "@xsdMinOccurs": 0, "nillable": False},
    {"description": "x"},
    {},
    True,
]
ODD_LEAVES: list[Any] = [
    {"maxLength": True},
    {"maxLength": -1},
    {"exclusiveMaximum": True},
    {"type": "strin"},
    {"$id": "a#b"},
    {"$schema": "http://json-schema.org/draft-07/schema#"},
    {"$anchor": "1a"},
    {"format": 5},
    {"description": 3},
    {"pattern": "(["},
    {"multipleOf": 0},
    {"uniqueItems": 1},
    {"x-nan": float("nan")},
    {"$ref": 5},
    {"required": "a"},
    False,
    5,
]


MEMBER_KEYWORDS = ["maxLength", "type", "minimum", "items", "not", "required", "$id", "enum"]


def meta_node(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """A schema node whose maps hold many (often equal) leaves, under keywords every draft,
    some drafts or none judge as schemas."""
    node: dict[str, Any] = {}

    def leaf() -> Any:
        if depth < 3 and rng.random() < 0.15:
            return meta_node(rng, depth + 1)
        chosen = copy.deepcopy(rng.choice(ODD_LEAVES if rng.random() < 0.1 else META_LEAVES))
        if isinstance(chosen, dict) and rng.random() < 0.3:
            chosen = dict(reversed(list(chosen.items())))
        return chosen

    def members(inner: bool = True) -> dict[str, Any]:
        if rng.random() < 0.4:
            same = leaf()
            found = {name: copy.deepcopy(same) for name in names(rng.randint(1, 8))}
        else:
            found = {name: leaf() for name in names(rng.randint(0, 8))}
        if inner and rng.random() < 0.3:  # a member named like a map of a misread schema
            found[rng.choice(["properties", "$defs", "definitions"])] = members(False)
        return found

    def names(count: int) -> list[str]:
        """Member names, some of them keywords (which a map misread as a schema would
        check)."""
        return [
            rng.choice(MEMBER_KEYWORDS) if rng.random() < 0.2 else f"m{i}" for i in range(count)
        ]

    for _ in range(rng.randint(1, 5)):
        key = rng.choice(
            [
                "properties", "properties", "$defs", "definitions", "patternProperties",
                "dependentSchemas", "dependencies", "x-extra", "default", "items", "items",
                "additionalProperties", "additionalItems", "not", "if", "contains",
                "unevaluatedProperties", "contentSchema", "allOf", "anyOf", "prefixItems",
                "enum", "info", "type", "maxLength",
            ]
        )  # fmt: skip
        if key in ("allOf", "anyOf", "prefixItems", "enum") or (
            key == "items" and rng.random() < 0.4
        ):
            node[key] = [leaf() for _ in range(rng.randint(1, 4))]
        elif key in ("type", "maxLength"):
            odd = rng.random() < 0.1
            if key == "type":
                node[key] = rng.choice(["strin", 5] if odd else ["object", "string"])
            else:
                node[key] = rng.choice([True, -1, "5"] if odd else [5, 5.0])
        elif key in (
            "properties",
            "$defs",
            "definitions",
            "patternProperties",
            "dependentSchemas",
            "dependencies",
        ):
            node[key] = members()
        elif key in ("x-extra", "default", "info"):
            node[key] = {"properties": members()}
        else:
            node[key] = (
                leaf() if rng.random() < 0.7 else meta_node(rng, depth + 1) if depth < 3 else {}
            )
    return node


def meta_schema_of(rng: random.Random) -> dict[str, Any]:
    schema = meta_node(rng)
    draft = rng.choice(META_DRAFTS)
    if draft is not None:
        schema["$schema"] = draft
    schema.pop("info", None)
    if rng.random() < 0.3:  # a root element further down: root assertions are left out
        schema["$defs"] = {**schema.get("$defs", {}), "Root": meta_node(rng, 1)}
        schema["info"] = {"rootNode": "#/$defs/Root"}
    return schema


def meta_verdicts(model: Any) -> tuple[Any, Any]:
    """The meta-schema's verdict on the model's rooted schema and on lint's meta view
    (None when the validator raises)."""
    import jsonschema_rs

    from schemas.model.lint import _Scan
    from schemas.validation.validator import _META_URIS, _rooted, meta_draft, rooted_schema

    uri = _META_URIS[meta_draft(model.draft)]
    scan = _Scan(model)

    def verdict(schema: dict[str, Any]) -> Any:
        try:
            return jsonschema_rs.meta.is_valid({**schema, "$schema": uri})
        except Exception:
            return None

    full = verdict(rooted_schema(model))
    view = verdict(_rooted(scan.meta_view, model.root_pointer))
    return full, view


@pytest.mark.parametrize("seed", range(30))
def test_the_meta_view_gets_the_meta_schemas_verdict(seed: int) -> None:
    """Leaving repeated valid leaves out of `properties`/`$defs`/`definitions` maps (where
    the draft judges members as schemas) never changes the meta-schema's verdict; nor does
    it change `surely_compiles`."""
    from schemas.model.lint import _Scan
    from schemas.validation.validator import surely_compiles

    rng = random.Random(6000 + seed)
    verdicts: list[Any] = []
    shrunk = 0
    for _ in range(40):
        try:
            model = model_from_schema(meta_schema_of(rng))
        except Exception:  # e.g. no usable root
            continue
        full, view = meta_verdicts(model)
        assert view == full, json.dumps(model.schema, default=str)[:400]
        verdicts.append(full)
        scan = _Scan(model)
        shrunk += scan.meta_view is not model.schema
        facts = scan.compile_facts
        assert surely_compiles(model, facts, scan.meta_view) == surely_compiles(model, facts)
    assert True in verdicts and False in verdicts
    assert shrunk > 5


LEAF_KEYS = [
    "maxLength", "minimum", "exclusiveMaximum", "multipleOf", "uniqueItems", "type", "x-any",
    "minItems", "description", "$comment", "nillable",
]  # fmt: skip
SPELLINGS: list[Any] = [
    0, 0.0, -0.0, False, 1, 1.0, True, 100, 100.0, -1, -1.0, 2**53, float(2**53), 1.5,
    "x", "string", "integer", None,
]  # fmt: skip


@pytest.mark.parametrize("draft", ["2020-12", "2019-09", "draft-07", "draft-06", "draft-04"])
def test_a_leaf_surely_valid_is_valid_in_every_equal_spelling(draft: str) -> None:
    """What `leaf_surely_valid` vouches for holds for each leaf equal to the one asked
    about (1 == 1.0 == True), at the root and as a property."""
    from itertools import product

    import jsonschema_rs

    from schemas.validation.validator import _META_URIS, leaf_surely_valid

    uri = _META_URIS[draft]
    rng = random.Random(draft)
    sure = unsure = 0
    for _ in range(250):
        leaf = {key: rng.choice(SPELLINGS) for key in rng.sample(LEAF_KEYS, rng.randint(1, 2))}
        if not leaf_surely_valid(tuple(leaf.items()), draft):
            unsure += 1
            continue
        sure += 1
        spellings = [[v for v in SPELLINGS if v == value] for value in leaf.values()]
        for values in product(*spellings):
            equal = dict(zip(leaf, values, strict=True))
            assert jsonschema_rs.meta.is_valid({**equal, "$schema": uri}), equal
            assert jsonschema_rs.meta.is_valid({"$schema": uri, "properties": {"a": equal}})
    assert sure > 20 and unsure > 20


def repeated(leaf: Any, count: int = 6) -> dict[str, Any]:
    return {f"f{i}": copy.deepcopy(leaf) for i in range(count)}


D04 = "http://json-schema.org/draft-04/schema#"


@pytest.mark.parametrize(
    ("schema", "valid"),
    [
        ({"properties": repeated({"type": "string", "maxLength": 9})}, True),
        ({"properties": {**repeated({"maxLength": 1}), "x": {"maxLength": True}}}, False),
        ({"properties": {**repeated({"maxLength": True}), "x": {"maxLength": 1}}}, False),
        ({"$schema": D04, "properties": {**repeated({"maxLength": 9}), "x": {"maxLength": 9.0}}}, False),
        ({"$schema": D04, "properties": repeated({"maxLength": 9})}, True),
        ({"properties": {"a": repeated({"type": "string"}), "b": {"properties": {"x": {"type": "strin"}}}}}, False),
        ({"$defs": {"A": {"properties": {**repeated({}), "x": {"$id": "a#b"}}}}}, False),
        # members of maps a draft does not judge as schemas are never left out
        ({"dependentSchemas": {"properties": {**repeated({"type": "string"}), "maxLength": {"type": "string"}}}}, False),
        ({"dependencies": {"properties": {**repeated({"type": "string"}), "maxLength": {"type": "string"}}}}, False),
        ({"properties": repeated({"type": "string"}), "dependentSchemas": {"properties": {**repeated({"type": "string"}), "maxLength": {"type": "string"}}}}, False),
        ({"properties": repeated({}), "dependencies": {"properties": {**repeated({}), "maxLength": {}}}}, False),
        ({"$schema": D04, "$defs": {"properties": {**repeated({}), "maxLength": {}}}}, True),
        ({"$schema": D04, "items": {"properties": {**repeated({}), "x": {"maxLength": -1}}}}, False),
        ({"info": {"rootNode": "#/$defs/R"}, "properties": {"x": {"type": "strin"}}, "$defs": {"R": {"properties": repeated({"type": "string"})}}}, True),
        ({"info": {"rootNode": "#/$defs/R"}, "$defs": {"R": {"properties": {**repeated({"type": "string"}), "y": {"type": "strin"}}}}}, False),
    ],
)  # fmt: skip
def test_the_meta_view_on_hand_made_schemas(schema: dict[str, Any], valid: bool) -> None:
    full, view = meta_verdicts(model_from_schema(schema))
    assert (full, view) == (valid, valid)
