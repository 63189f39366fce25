"""The agreement check's fast paths on the XSD side give the answers of the full model trees.

Plain objects of plain leaves (what converted complex types mostly are) are listed from their
schema without model fields, and the comparison reads a summarized leaf against a field that
does not repeat without property calls. Both are compared here with the full-tree reference
of test_xsd_fastpaths on mutated XSD sides, on crafted cycles and odd members, and on the
models of real apps.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import suite_path
from test_xsd_fastpaths import convert, generated_xsds, mutated, reference_compare

from schemas.model import DataModel, ModelLoadError, model_from_schema
from schemas.xsd.agreement import OCCURS, TYPE, FieldDifference, _xsd_fields, compare_xsd_with_json


def described(differences: list[FieldDifference]) -> list[tuple[str, str, str | None, str]]:
    """`comparable` plus the message where the reference words it as the fast path does."""
    return [
        (d.kind, d.path, d.json_pointer, d.message if d.kind in (TYPE, OCCURS) else "")
        for d in differences
    ]


@pytest.mark.parametrize("seed", range(12))
def test_agreement_of_mutated_xsd_sides_matches_the_reference(seed: int) -> None:
    """The XSD side changed too (objects made required, arrays, odd minOccurs, references),
    so that its plain groups of leaves are not always what a conversion makes."""
    rng = random.Random(seed + 500)
    compared = 0
    for raw in generated_xsds(15, seed + 500, variants=True):
        converted = convert(raw, share=False)
        if not isinstance(converted, dict):
            continue
        xsd_side = mutated(converted, rng)
        json_model = model_from_schema(mutated(converted, rng), "m")
        try:
            expected = described(reference_compare(xsd_side, json_model))
        except RecursionError:
            continue
        assert described(compare_xsd_with_json(xsd_side, json_model)) == expected
        compared += 1
    assert compared > 5


def summary(field: Any) -> tuple[Any, ...]:
    return field.type, field.min_occurs, field.repeating, field.item_type


def assert_xsd_fields_follow_the_walk(model: DataModel) -> None:
    """The XSD side's listing: the walk's paths in its order, each summarized as the walk's
    field would answer."""
    listed = [(path, summary(field)) for path, field in _xsd_fields(model).items()]
    walked = {field.path: field for field in model.tree().walk()}
    assert listed == [(path, summary(field)) for path, field in walked.items()]


@pytest.mark.parametrize("seed", range(8))
def test_xsd_field_listing_is_the_tree_walk(seed: int) -> None:
    rng = random.Random(seed + 600)
    listed = 0
    for raw in generated_xsds(15, seed + 600, variants=bool(seed % 2)):
        converted = convert(raw, share=True)
        if not isinstance(converted, dict):
            continue
        for schema in (converted, mutated(converted, rng)):
            try:
                assert_xsd_fields_follow_the_walk(model_from_schema(schema, "m", copy=False))
            except RecursionError:
                continue
            listed += 1
    assert listed > 5


def test_a_group_of_leaves_that_closes_a_cycle_lists_no_leaves() -> None:
    """`a` under `b` is the definition `p` already stands for (its `$ref` site brings its own
    properties): a cycle, listed itself but not below, though all its properties are leaves."""
    schema = {
        "properties": {
            "p": {"$ref": "#/$defs/X/properties/a", "properties": {"b": {"$ref": "#/$defs/X"}}}
        },
        "$defs": {
            "X": {
                "properties": {
                    "a": {"properties": {"c": {"type": "string"}}, "required": ["c"]},
                    "d": {"type": "integer"},
                }
            }
        },
    }
    model = model_from_schema(schema, "m")
    walked = {field.path: field for field in model.tree().walk()}
    assert walked["p.b.a"].cycle and "p.b.a.c" not in walked
    assert_xsd_fields_follow_the_walk(model)
    assert list(_xsd_fields(model)) == ["p", "p.b", "p.b.a", "p.b.d"]


def test_groups_of_leaves_with_odd_members_list_as_the_walk_does() -> None:
    leaf = {"type": "string"}
    schema = {
        "properties": {
            "plain": {"properties": {"x": leaf, "y": leaf}, "required": ["y", 5]},
            "odd": {"properties": {"x": 5, "y": leaf, "z": "s"}, "@xsdMinOccurs": 1},
            "deep": {"properties": {"x": leaf, "y": {"properties": {"z": leaf}}}},
            "array": {"type": "array", "items": {"properties": {"x": leaf}}},
            "rows": {"type": "array", "properties": {"x": leaf}, "items": {"properties": {}}},
            "untyped_rows": {"properties": {"x": leaf}, "prefixItems": []},
            "typed": {"type": ["null"], "properties": {"x": leaf}, "required": "x"},
            "dated": {"type": "string", "format": "date", "properties": {"x": leaf}},
            "composed": {"properties": {"x": leaf}, "allOf": [{"properties": {"w": leaf}}]},
            "ref": {"$ref": 5, "properties": {"x": leaf}},
            "a.b": leaf,
            "a": {"properties": {"b": {"type": "integer"}}},
        }
    }
    model = model_from_schema(schema, "m", copy=False)
    assert_xsd_fields_follow_the_walk(model)
    fields = _xsd_fields(model)
    assert "odd.y" in fields and "odd.x" not in fields and "deep.y.z" in fields
    assert "rows.x" not in fields and "untyped_rows.x" not in fields  # rows come from items
    assert fields["a.b"].type == "integer"  # a repeated path keeps its place, takes the last


def real_app_pairs() -> list[tuple[Path, Path]]:
    apps = suite_path("STUDIO_REAL_APPS")
    pairs = []
    for xsd in sorted(apps.rglob("*.xsd")) if apps.is_dir() else []:
        schema = xsd.with_name(xsd.name[: -len(".xsd")] + ".schema.json")
        if schema.is_file():
            pairs.append((xsd, schema))
    return pairs


def test_agreement_and_listing_on_real_app_models() -> None:
    pairs = real_app_pairs()
    if not pairs:
        pytest.skip("real apps not available")
    compared = 0
    for xsd, schema in pairs:
        converted = convert(xsd.read_bytes(), share=True)
        if not isinstance(converted, dict):
            continue
        try:
            json_model = model_from_schema(json.loads(schema.read_text(encoding="utf-8-sig")), "m")
            expected = described(reference_compare(converted, json_model))
        except (ModelLoadError, RecursionError):
            continue
        assert described(compare_xsd_with_json(converted, json_model)) == expected, xsd
        assert_xsd_fields_follow_the_walk(model_from_schema(converted, "m", copy=False))
        compared += 1
    assert compared > len(pairs) // 2


def test_json_leaf_pointers_follow_the_walk_when_names_hold_dots() -> None:
    """JSON Schema leaves are summarized too; a difference that names one gets the pointer
    of the walk's field, also where a dotted property name spells another field's path."""
    json_schema = {
        "properties": {
            "x": {
                "properties": {
                    "a": {"properties": {"b": {"type": "integer"}}},
                    "a.b": {"type": "string"},
                    "only.json": {"type": "string"},
                    "n": {"type": "boolean"},
                }
            },
            "wrapped": {"type": "string"},
        }
    }
    xsd_side = {
        "properties": {
            "x": {"properties": {"a": {"properties": {"b": {"type": "number"}}}, "n": {}}}
        }
    }
    for wrap in (False, True):
        schema = {"properties": {"root": json_schema}} if wrap else json_schema
        model = model_from_schema(schema, "m")
        side = {**xsd_side, "@xsdRootElement": "root"} if wrap else xsd_side
        found = described(compare_xsd_with_json(side, model))
        assert found == described(reference_compare(side, model_from_schema(schema, "m")))
        # "x.a.b" is both x -> a -> b (integer) and x -> "a.b" (string): the walk lists the
        # latter last, so its pointer, not the one a path lookup would find
        assert ("type", "x.a.b") in {(d[0], d[1]) for d in found}
        assert ("/properties/root" if wrap else "") + "/properties/x/properties/a.b" in {
            d[2] for d in found
        }
