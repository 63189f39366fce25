"""The XSD side's fast paths give the answers of the plain algorithms they replace.

Normalizing keeps unchanged subtrees, the construct scan lets libxml2 pick candidates, the
converter converts each childless-element shape once, and the agreement check summarizes plain
leaves instead of building model fields. Each is compared here with a straightforward
reference implementation on generated XSDs and schemas of many shapes.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import suite_path

from schemas.model import DataModel, ModelField, model_from_schema
from schemas.xmlsafe import parse_xml_bytes, parse_xml_file
from schemas.xsd.agreement import (
    MISSING_IN_JSON,
    MISSING_IN_XSD,
    ROOT,
    FieldDifference,
    _compare_field,
    _parent_missing,
    _shape,
    compare_xsd_with_json,
)
from schemas.xsd.constructs import _classify, find_constructs
from schemas.xsd.loader import XsdError, is_xsd, load_xsd_bytes
from schemas.xsd.normalize import (
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
    SINGLE_SCHEMA_KEYWORDS,
    normalize,
)
from schemas.xsd.to_json import XsdToJson

# ---- normalize ----------------------------------------------------------------------------


def reference_normalize(schema: Any) -> Any:
    """The rebuild-everything normalizer (Altinn's rules, applied literally)."""
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        produced: list[tuple[str, Any]] = []
        if keyword == "allOf" and isinstance(value, list) and len(value) == 1:
            sub = reference_normalize(value[0])
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
        for name, item in produced:
            result[name] = _reference_children(name, item)
    return result


def _reference_children(keyword: str, value: Any) -> Any:
    if keyword in SINGLE_SCHEMA_KEYWORDS:
        if isinstance(value, list):
            return [reference_normalize(item) for item in value]
        return reference_normalize(value)
    if keyword in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
        return [reference_normalize(item) for item in value]
    if keyword in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
        return {name: reference_normalize(item) for name, item in value.items()}
    return value


KEYWORDS = [
    *("allOf", "allOf", "allOf", "anyOf", "properties", "items", "not", "$defs", "type"),
    *("$ref", "title", "prefixItems", "additionalProperties", "required"),
]


def random_schema(rng: random.Random, depth: int = 0) -> Any:
    """A schema-ish value with one-entry allOfs, $refs, clashing keywords and odd values."""
    if depth > 4 or rng.random() < 0.15:
        return rng.choice([{}, {"type": "string"}, {"$ref": "#/$defs/a"}, True, 5, [], "x"])
    node: dict[str, Any] = {}
    for _ in range(rng.randint(0, 4)):
        keyword = rng.choice(KEYWORDS)
        if keyword in ("allOf", "anyOf", "prefixItems"):
            count = rng.choice([1, 1, 1, 2, 0])
            node[keyword] = [random_schema(rng, depth + 1) for _ in range(count)]
            if rng.random() < 0.05:
                node[keyword] = random_schema(rng, depth + 1)  # not a list
        elif keyword in ("properties", "$defs"):
            node[keyword] = {
                f"p{i}": random_schema(rng, depth + 1) for i in range(rng.randint(0, 3))
            }
        elif keyword in ("items", "not", "additionalProperties"):
            node[keyword] = random_schema(rng, depth + 1)
            if rng.random() < 0.1:
                node[keyword] = [random_schema(rng, depth + 1)]
        elif keyword == "$ref":
            node[keyword] = "#/$defs/a"
        elif keyword == "required":
            node[keyword] = ["p0"]
        else:
            node[keyword] = rng.choice(["string", "object", "t"])
    return node


@pytest.mark.parametrize("seed", range(40))
def test_normalize_matches_the_rebuilding_reference(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        schema = random_schema(rng)
        before = copy.deepcopy(schema)
        result = normalize(schema)
        assert result == reference_normalize(before)
        assert schema == before  # the input is never modified
        assert normalize(result) == result  # idempotent: what the fast path relies on


def test_normalize_returns_unchanged_subtrees_themselves() -> None:
    leaf = {"type": "string", "maxLength": 5}
    schema = {"properties": {"a": leaf, "b": {"allOf": [{"type": "integer"}]}}}
    result = normalize(schema)
    assert result == {"properties": {"a": leaf, "b": {"type": "integer"}}}
    assert result["properties"]["a"] is leaf
    untouched = {"properties": {"a": leaf}}
    assert normalize(untouched) is untouched


# ---- construct scan -----------------------------------------------------------------------

CONSTRUCTS_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:other">
  <!-- a comment -->
  <xs:element name="root" substitutionGroup="head">
    <xs:complexType mixed="true">
      <xs:sequence>
        <xs:choice><xs:any/><xs:element name="c" type="xs:string"/></xs:choice>
        <xs:group ref="g"/><xs:group ref=""/>
        <xs:any/>
        <xs:element name="k" substitutionGroup=""/>
        <o:union/>
      </xs:sequence>
      <xs:attributeGroup ref="ag"/>
    </xs:complexType>
    <xs:key name="k1"><xs:selector xpath="."/><xs:field xpath="@a"/></xs:key>
  </xs:element>
  <xs:complexType name="t" mixed=" 1 ">
    <xs:complexContent><xs:restriction base="xs:anyType"/></xs:complexContent>
  </xs:complexType>
  <xs:complexType name="u" mixed="false">
    <xs:simpleContent><xs:restriction base="xs:string"/></xs:simpleContent>
  </xs:complexType>
  <xs:simpleType name="s"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>
  <xs:simpleType name="l"><xs:list itemType="xs:int"/></xs:simpleType>
  <xs:group name="g"><xs:all><xs:element name="x"/></xs:all></xs:group>
  <xs:attributeGroup name="ag"><xs:attribute name="a"/></xs:attributeGroup>
  <xs:import namespace="urn:x"/><xs:redefine schemaLocation="x.xsd"/><xs:override/>
  <xs:assert test="1"/><xs:assertion/><xs:alternative/><xs:openContent/>
  <xs:keyref name="r" refer="k1"/><xs:unique name="q"/>
</xs:schema>
"""


def reference_constructs(root: Any) -> list[tuple[str, str, int | None]]:
    """Every element of the document classified in turn (what the scan must equal)."""
    found = []
    for element in root.iter():
        if is_xsd(element):
            found.extend(_classify(element))
    return [(c.grade, c.message, c.element.sourceline) for c in found]


def scanned(root: Any) -> list[tuple[str, str, int | None]]:
    return [(c.grade, c.message, c.element.sourceline) for c in find_constructs(root)]


def test_construct_scan_finds_what_a_full_walk_finds() -> None:
    root = parse_xml_bytes(CONSTRUCTS_XSD.encode(), "c.xsd").getroot()
    expected = reference_constructs(root)
    assert len(expected) > 20
    assert scanned(root) == expected
    without_substitution = CONSTRUCTS_XSD.replace("substitutionGroup", "title")
    root = parse_xml_bytes(without_substitution.encode(), "c.xsd").getroot()
    assert scanned(root) == reference_constructs(root)


def suite_xsds() -> list[Path]:
    folder = suite_path("STUDIO_DATAMODEL_TESTS")
    return sorted(folder.rglob("*.xsd")) if folder.is_dir() else []


def test_construct_scan_on_the_conversion_suite() -> None:
    files = suite_xsds()
    if not files:
        pytest.skip("datamodel suite not available")
    for path in files:
        root = parse_xml_file(path).getroot()
        assert scanned(root) == reference_constructs(root), path.name


# ---- generated XSDs -----------------------------------------------------------------------

BUILTINS = ["xs:string", "xs:int", "xs:date", "xs:boolean", "xs:decimal", "xs:dateTime"]


class XsdWriter:
    """A random but valid-looking XSD: named and inline types, occurrences, attributes,
    nillable elements, foreign attributes and an element that rebinds a namespace prefix."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.complex_names = [f"T{i}" for i in range(rng.randint(0, 3))]
        self.simple_names = [f"S{i}" for i in range(rng.randint(0, 2))]

    def occurs(self) -> str:
        rng = self.rng
        text = ""
        if rng.random() < 0.5:
            text += f' minOccurs="{rng.choice(["0", "1", "2", " 0 "])}"'
        if rng.random() < 0.3:
            text += f' maxOccurs="{rng.choice(["1", "3", "unbounded"])}"'
        return text

    def element(self, name: str, depth: int) -> str:
        rng = self.rng
        extra = self.occurs()
        if rng.random() < 0.15:
            extra += ' nillable="true"'
        if rng.random() < 0.1:
            extra += ' o:guid="g1"'
        roll = rng.random()
        if roll < 0.08:
            # the same type name, but the prefix means another namespace here
            return f'<xs:element name="{name}" type="t:string" xmlns:t="urn:not-xsd"{extra}/>'
        if depth < 3 and roll < 0.3:
            return f'<xs:element name="{name}"{extra}>{self.complex_type(depth + 1)}</xs:element>'
        choices = [*BUILTINS * 3, "t:string", *self.simple_names, *self.complex_names]
        if rng.random() < 0.05:
            return f'<xs:element name="{name}"{extra}/>'
        return f'<xs:element name="{name}" type="{rng.choice(choices)}"{extra}/>'

    def complex_type(self, depth: int, name: str = "") -> str:
        rng = self.rng
        named = f' name="{name}"' if name else ""
        fields = "".join(self.element(f"f{i}", depth) for i in range(rng.randint(0, 6)))
        occurs = ' minOccurs="0"' if rng.random() < 0.2 else ""
        occurs += ' maxOccurs="2"' if rng.random() < 0.1 else ""
        attributes = ""
        for index in range(rng.randint(0, 2)):
            use = rng.choice(["", ' use="required"'])
            attributes += f'<xs:attribute name="a{index}" type="xs:string"{use}/>'
        return f"<xs:complexType{named}><xs:sequence{occurs}>{fields}</xs:sequence>{attributes}</xs:complexType>"

    def document(self) -> str:
        rng = self.rng
        parts = [
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:other" '
            'xmlns:t="http://www.w3.org/2001/XMLSchema">',
            f'<xs:element name="root">{self.complex_type(1)}</xs:element>',
        ]
        for name in self.complex_names:
            parts.append(self.complex_type(2, name))
        for name in self.simple_names:
            base = rng.choice(BUILTINS)
            parts.append(
                f'<xs:simpleType name="{name}"><xs:restriction base="{base}">'
                '<xs:maxLength value="9"/></xs:restriction></xs:simpleType>'
            )
        parts.append("</xs:schema>")
        return "".join(parts)


def generated_xsds(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [XsdWriter(rng).document().encode() for _ in range(count)]


def convert(raw: bytes, share: bool) -> dict[str, Any] | str:
    try:
        return XsdToJson(load_xsd_bytes(raw, "m.xsd"), share_leaves=share).convert("m")
    except XsdError as exc:
        return f"error: {exc.message}"


def containers(value: Any, out: list[Any]) -> list[Any]:
    if isinstance(value, dict):
        out.append(value)
        for item in value.values():
            containers(item, out)
    elif isinstance(value, list):
        out.append(value)
        for item in value:
            containers(item, out)
    return out


@pytest.mark.parametrize("seed", range(10))
def test_shared_leaves_convert_to_equal_schemas_and_private_ones_stay_private(
    seed: int,
) -> None:
    for raw in generated_xsds(20, seed):
        private = convert(raw, share=False)
        shared = convert(raw, share=True)
        assert json.dumps(shared) == json.dumps(private)  # same content, same key order
        if isinstance(private, dict):
            found = containers(private, [])
            assert len({id(item) for item in found}) == len(found)  # nothing aliased


def test_an_element_that_rebinds_a_prefix_is_not_taken_for_its_siblings() -> None:
    raw = (
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        b'xmlns:t="http://www.w3.org/2001/XMLSchema"><xs:element name="r">'
        b'<xs:complexType><xs:sequence><xs:element name="a" type="t:string"/>'
        b'<xs:element name="b" type="t:string" xmlns:t="urn:not-xsd"/>'
        b'<xs:element name="c" type="t:string"/>'
        b"</xs:sequence></xs:complexType></xs:element></xs:schema>"
    )
    converted = convert(raw, share=True)
    assert isinstance(converted, dict)
    assert converted["properties"]["a"]["type"] == "string"
    assert converted["properties"]["b"] == {"$ref": "#/$defs/string"}
    assert converted["properties"]["c"]["type"] == "string"


# ---- agreement ----------------------------------------------------------------------------


def reference_compare(xsd_schema: dict[str, Any], json_model: DataModel) -> list[FieldDifference]:
    """The agreement computed over two complete model trees (no leaf summaries)."""
    xsd_model = model_from_schema(xsd_schema, json_model.name)
    xsd_fields = {field.path: field for field in xsd_model.tree().walk()}
    json_fields: dict[str, ModelField] = {field.path: field for field in json_model.tree().walk()}
    differences: list[FieldDifference] = []
    root_name = xsd_model.root_element_name
    wrapped = json_fields.get(root_name)
    top_level = [path for path in json_fields if "." not in path]
    if (
        root_name
        and root_name not in xsd_fields
        and wrapped is not None
        and not wrapped.repeating
        and top_level == [root_name]
    ):
        cut = len(root_name) + 1
        json_fields = {
            path[cut:]: field
            for path, field in json_fields.items()
            if path.startswith(root_name + ".")
        }
    json_root = json_model.schema.get("@xsdRootElement")
    if isinstance(json_root, str) and json_root and root_name and json_root != root_name:
        differences.append(FieldDifference(ROOT, "", f"root {root_name} {json_root}"))
    for path, field in xsd_fields.items():
        other = json_fields.get(path)
        if other is None:
            if not _parent_missing(path, json_fields):
                differences.append(FieldDifference(MISSING_IN_JSON, path, _shape(field)))
            continue
        differences.extend(_compare_field(path, field, other))
    for path, field in json_fields.items():
        if path in xsd_fields or _parent_missing(path, xsd_fields):
            continue
        differences.append(FieldDifference(MISSING_IN_XSD, path, _shape(field), field.pointer))
    return differences


def comparable(differences: list[FieldDifference]) -> list[tuple[str, str, str | None]]:
    """Kind, path and pointer (the reference words root and missing messages tersely)."""
    return [(d.kind, d.path, d.json_pointer) for d in differences]


def mutated(schema: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The converted schema with a few fields retyped, dropped, added or made repeating."""
    result = copy.deepcopy(schema)
    nodes = [
        props
        for node in containers(result, [])
        if isinstance(node, dict) and isinstance(props := node.get("properties"), dict)
    ]
    for _ in range(rng.randint(0, 4)):
        if not nodes:
            break
        props = rng.choice(nodes)
        if not props:
            continue
        name = rng.choice(list(props))
        roll = rng.random()
        if roll < 0.25:
            props[name] = {"type": rng.choice(["integer", "boolean", "string"])}
        elif roll < 0.45:
            del props[name]
        elif roll < 0.6:
            props[name + "x"] = {"type": "string", "@xsdMinOccurs": rng.choice([0, 1, True])}
        elif roll < 0.8:
            props[name] = {"type": "array", "items": props[name], "minItems": rng.choice([0, 1])}
        else:
            props[name] = {"$ref": rng.choice(["#/$defs/T0", "#/$defs/S0", "#/nowhere"])}
    if rng.random() < 0.2:
        result = {"properties": {"root": result}, "@xsdRootElement": "root"}
    return result


@pytest.mark.parametrize("seed", range(12))
def test_agreement_matches_the_full_tree_reference(seed: int) -> None:
    rng = random.Random(seed)
    compared = 0
    for raw in generated_xsds(15, seed + 100):
        converted = convert(raw, share=True)
        if not isinstance(converted, dict):
            continue
        json_model = model_from_schema(mutated(convert(raw, share=False), rng), "m")  # type: ignore[arg-type]
        try:
            expected = comparable(reference_compare(converted, json_model))
        except RecursionError:
            continue
        assert comparable(compare_xsd_with_json(converted, json_model)) == expected
        compared += 1
    assert compared > 5
