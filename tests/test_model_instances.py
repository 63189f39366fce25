"""XML <-> JSON instances following the model, and empty/sample instances."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from schemas.instances import (
    empty_instance,
    instance_strategy,
    json_to_xml,
    json_to_xml_bytes,
    sample_instance,
    xml_to_json,
)
from schemas.instances.regexgen import string_matching
from schemas.model import model_from_schema
from schemas.validation import ModelValidator
from schemas.xmlsafe import parse_xml_bytes

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "@xsdRootElement": "Skjema",
    "properties": {
        "versjon": {"type": "string", "@xsdAttribute": True, "const": "1.0"},
        "Navn": {"type": "string", "minLength": 2, "maxLength": 30},
        "Alder": {"type": "integer", "minimum": 0, "maximum": 120},
        "Belop": {"type": "number", "minimum": 0},
        "Aktiv": {"type": "boolean"},
        "Fodt": {"type": "string", "format": "date"},
        "Kommentar": {"type": ["string", "null"]},
        "Postnr": {"type": "string", "pattern": "^[0-9]{4}$"},
        "Kode": {"type": "string", "pattern": "^(AB|CD)-[A-Z]{2,3}[0-9]?$"},
        "Personer": {
            "type": "array",
            "maxItems": 4,
            "items": {"$ref": "#/$defs/Person"},
        },
        "Tall": {"type": "array", "items": {"type": "integer"}},
        "Merknad": {"$ref": "#/$defs/Merknad"},
    },
    "required": ["Navn", "versjon"],
    "$defs": {
        "Person": {
            "properties": {
                "id": {"type": "string", "@xsdAttribute": True},
                "Fornavn": {"type": "string", "maxLength": 20},
                "Kjonn": {"type": "string", "enum": ["M", "K"]},
            },
            "required": ["Fornavn"],
        },
        "Merknad": {
            "properties": {
                "sprak": {"type": "string", "@xsdAttribute": True},
                "value": {"type": "string", "@xsdText": True},
            }
        },
    },
}
MODEL = model_from_schema(SCHEMA, "skjema")
VALIDATOR = ModelValidator(MODEL)


def normalise(data: Any) -> Any:
    """XML cannot tell an empty list from an absent one, nor empty text content from none;
    compare without either."""
    if isinstance(data, dict):
        return {
            k: normalise(v) for k, v in data.items() if v != [] and not (k == "value" and v == "")
        }
    if isinstance(data, list):
        return [normalise(v) for v in data]
    return data


def test_xml_to_json_follows_the_model_types() -> None:
    xml = b"""<?xml version="1.0"?>
<Skjema xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" versjon="1.0">
  <Alder>42</Alder>
  <Navn>Kari</Navn>
  <Belop>12.50</Belop>
  <Aktiv>true</Aktiv>
  <Kommentar xsi:nil="true"/>
  <Personer id="p1" altinnRowId="7d1c"><Fornavn>Ola</Fornavn></Personer>
  <Personer id="p2"><Fornavn>Per</Fornavn><Kjonn>M</Kjonn></Personer>
  <Tall>1</Tall><Tall>2</Tall>
  <Merknad sprak="nb">Hei</Merknad>
  <Ukjent>x</Ukjent>
</Skjema>"""
    result = xml_to_json(MODEL, parse_xml_bytes(xml, "data.xml"))
    assert result.data == {
        "versjon": "1.0",
        "Alder": 42,
        "Navn": "Kari",
        "Belop": 12.5,
        "Aktiv": True,
        "Kommentar": None,
        "Personer": [
            {"id": "p1", "altinnRowId": "7d1c", "Fornavn": "Ola"},
            {"id": "p2", "Fornavn": "Per", "Kjonn": "M"},
        ],
        "Tall": [1, 2],
        "Merknad": {"sprak": "nb", "value": "Hei"},
    }
    assert result.problems == [("Ukjent", "element 'Ukjent' is not in the model")]
    assert VALIDATOR.errors(result.data) == []


def test_bad_xml_values_are_reported_not_dropped() -> None:
    xml = b"<Skjema versjon='1.0'><Navn>Kari</Navn><Alder>mange</Alder></Skjema>"
    result = xml_to_json(MODEL, parse_xml_bytes(xml, "d.xml"))
    assert result.data["Alder"] == "mange"
    assert result.problems == [("Alder", "'mange' is not a valid integer")]
    assert [e.path for e in VALIDATOR.errors(result.data)] == ["Alder"]


def test_json_to_xml_uses_model_order_attributes_text_and_nil() -> None:
    data = {
        "Merknad": {"value": "Hei", "sprak": "nb"},
        "Kommentar": None,
        "Navn": "Kari",
        "versjon": "1.0",
        "Personer": [{"Fornavn": "Ola", "altinnRowId": "r1", "id": "p1"}],
        "Aktiv": False,
        "Belop": 3.0,
    }
    root, problems = json_to_xml(MODEL, data)
    assert problems == []
    assert root.tag == "Skjema"
    assert root.get("versjon") == "1.0"
    assert [etree.QName(c).localname for c in root] == [
        "Navn",
        "Belop",
        "Aktiv",
        "Kommentar",
        "Personer",
        "Merknad",
    ]
    assert root.find("Kommentar").get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert root.find("Aktiv").text == "false"
    assert root.find("Belop").text == "3.0"
    assert root.find("Personer").get("altinnRowId") == "r1"
    assert root.find("Merknad").text == "Hei" and root.find("Merknad").get("sprak") == "nb"


def test_namespaces_round_trip() -> None:
    data = {"versjon": "1.0", "Navn": "Kari"}
    raw = json_to_xml_bytes(MODEL, data, namespace="urn:test")
    tree = parse_xml_bytes(raw, "x.xml")
    assert tree.getroot().tag == "{urn:test}Skjema"
    back = xml_to_json(MODEL, tree)
    assert back.namespace == "urn:test" and back.data == data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance_strategy(MODEL))
def test_generated_instances_are_valid_and_round_trip_through_xml(data: dict[str, Any]) -> None:
    assert VALIDATOR.errors(data) == []
    root, problems = json_to_xml(MODEL, data)
    assert problems == []
    reparsed = parse_xml_bytes(etree.tostring(root), "x.xml")
    back = xml_to_json(MODEL, reparsed)
    assert back.problems == []
    assert normalise(back.data) == normalise(data)
    again, _ = json_to_xml(MODEL, back.data)
    assert etree.tostring(again, method="c14n") == etree.tostring(root, method="c14n")


def test_sample_instances_are_valid_and_reproducible() -> None:
    for seed in range(25):
        sample = sample_instance(MODEL, seed)
        assert VALIDATOR.errors(sample) == [], sample
    assert sample_instance(MODEL, 3) == sample_instance(MODEL, 3)
    assert sample_instance(MODEL, random.Random(1)) != sample_instance(MODEL, random.Random(2))


def test_empty_instance_holds_only_fixed_root_values() -> None:
    assert empty_instance(MODEL) == {"versjon": "1.0"}


@given(
    st.sampled_from(
        ["^[0-9]{11}$", "^\\d{4}-\\d{2}$", "[A-Z]+@[a-z]{2,5}\\.no", "^(ja|nei)$", "^[^<>]{3,8}$"]
    ),
    st.integers(0, 10_000),
)
def test_pattern_strings_match(pattern: str, seed: int) -> None:
    import re

    text = string_matching(pattern, random.Random(seed))
    assert text is not None and re.search(pattern, text)
