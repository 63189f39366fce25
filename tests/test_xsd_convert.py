"""XSD <-> JSON Schema conversion: shapes, @xsd keywords, round trips and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from schemas.xmlsafe import XmlSafetyError, parse_xml_bytes
from schemas.xsd import (
    JsonToXsdError,
    XsdError,
    convert_json_schema,
    convert_xsd_bytes,
    convert_xsd_file,
    write_xsd,
)
from schemas.xsd.compare import json_differences, xsd_differences
from schemas.xsd.normalize import normalize

XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'
SERES = 'xmlns:seres="http://seres.no/xsd/forvaltningsdata"'


def xsd(body: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<xs:schema {XS} {extra} elementFormDefault="qualified" '
        f'attributeFormDefault="unqualified">\n{body}\n</xs:schema>'
    ).encode()


def to_json(body: str, extra: str = "") -> dict:
    return convert_xsd_bytes(xsd(body, extra), "model.xsd")


def roundtrip_differences(raw: bytes) -> list[str]:
    schema = convert_xsd_bytes(raw, "model.xsd")
    written = write_xsd(convert_json_schema(schema))
    return xsd_differences(
        parse_xml_bytes(written, "out").getroot(), parse_xml_bytes(raw, "in").getroot()
    )


def test_root_element_with_named_type_becomes_oneof_ref_and_defs() -> None:
    schema = to_json(
        '<xs:element name="melding" type="Melding"/>'
        '<xs:complexType name="Melding"><xs:sequence>'
        '<xs:element name="navn" type="xs:string"/>'
        '<xs:element name="alder" type="xs:int" minOccurs="0"/>'
        "</xs:sequence></xs:complexType>"
    )
    assert schema["@xsdRootElement"] == "melding"
    assert schema["oneOf"] == [{"$ref": "#/$defs/Melding"}]
    melding = schema["$defs"]["Melding"]
    assert melding["properties"]["navn"] == {"type": "string", "@xsdType": "string"}
    assert melding["properties"]["alder"] == {
        "type": "integer",
        "@xsdType": "int",
        "@xsdMinOccurs": 0,
    }
    assert melding["required"] == ["navn"]
    assert schema["@xsdSchemaAttributes"] == {
        "AttributeFormDefault": "Unqualified",
        "ElementFormDefault": "Qualified",
        "BlockDefault": "None",
        "FinalDefault": "None",
    }


def test_repeating_nillable_and_attributes() -> None:
    schema = to_json(
        '<xs:element name="Root"><xs:complexType><xs:sequence>'
        '<xs:element name="rows" type="Row" minOccurs="0" maxOccurs="5"/>'
        '<xs:element name="note" type="xs:string" nillable="true"/>'
        "</xs:sequence>"
        '<xs:attribute name="kind" type="xs:string" use="required" fixed="A"/>'
        "</xs:complexType></xs:element>"
        '<xs:complexType name="Row"><xs:sequence><xs:element name="v" type="xs:decimal"/>'
        "</xs:sequence></xs:complexType>"
    )
    steps = schema["allOf"]
    assert steps[0]["properties"]["kind"] == {
        "type": "string",
        "@xsdType": "string",
        "const": "A",
        "@xsdAttribute": True,
    }
    assert steps[0]["required"] == ["kind"]
    rows = steps[1]["properties"]["rows"]
    assert rows["type"] == "array" and rows["maxItems"] == 5 and "minItems" not in rows
    assert rows["items"] == {"$ref": "#/$defs/Row"}
    assert steps[1]["properties"]["note"]["type"] == ["string", "null"]


def test_simple_content_extension_gets_a_text_value_property() -> None:
    schema = to_json(
        '<xs:element name="Root" type="Amount"/>'
        '<xs:complexType name="Amount"><xs:simpleContent><xs:extension base="xs:decimal">'
        '<xs:attribute name="currency" type="xs:string"/>'
        "</xs:extension></xs:simpleContent></xs:complexType>"
    )
    amount = schema["$defs"]["Amount"]
    assert amount["properties"]["value"] == {
        "@xsdText": True,
        "type": "number",
        "@xsdType": "decimal",
    }
    assert amount["properties"]["currency"]["@xsdAttribute"] is True
    assert amount["required"] == ["value"]


def test_restrictions_become_json_keywords() -> None:
    schema = to_json(
        '<xs:element name="Root" type="Code"/>'
        '<xs:simpleType name="Code"><xs:restriction base="xs:decimal">'
        '<xs:totalDigits value="5"/><xs:fractionDigits value="2"/>'
        '<xs:minInclusive value="-1.5"/><xs:maxExclusive value="100"/>'
        "</xs:restriction></xs:simpleType>"
        '<xs:simpleType name="Date"><xs:restriction base="xs:date">'
        '<xs:minInclusive value="2000-01-01"/></xs:restriction></xs:simpleType>'
    )
    code = schema["$defs"]["Code"]
    assert code["totalDigits"] == 5
    assert code["multipleOf"] == pytest.approx(0.01)
    assert code["minimum"] == -1.5 and code["exclusiveMaximum"] == 100
    assert code["@xsdStructure"] == "XmlSchemaSimpleTypeRestriction"
    assert schema["$defs"]["Date"]["formatMinimum"] == "2000-01-01"


def test_choice_becomes_oneof_and_annotation_becomes_comment() -> None:
    schema = to_json(
        '<xs:element name="Root"><xs:complexType><xs:choice>'
        '<xs:element name="a" type="xs:string"><xs:annotation><xs:documentation>'
        "Hjelp &amp; mer</xs:documentation></xs:annotation></xs:element>"
        '<xs:element name="b" type="xs:string" minOccurs="0"/>'
        "</xs:choice></xs:complexType></xs:element>"
    )
    first, second = schema["oneOf"]
    assert first["required"] == ["a"]
    assert first["properties"]["a"]["$comment"] == "<documentation>Hjelp &amp; mer</documentation>"
    assert "required" not in second


def test_seres_unhandled_attributes_and_enum_attributes_survive_a_round_trip() -> None:
    raw = xsd(
        "<xs:annotation><xs:documentation>"
        '<xs:attribute name="XSLT-skriptnavn" fixed="SERES_XSD_GEN"/>'
        '<xs:attribute name="meldingsnavn" fixed="melding"/>'
        "</xs:documentation></xs:annotation>"
        '<xs:element name="melding" type="Skjema"/>'
        '<xs:complexType name="Skjema" seres:elementtype="Meldingsmodell"><xs:sequence>'
        '<xs:element name="valg" type="Valg" nillable="true" minOccurs="0" '
        'seres:guid="http://seres.no/guid/1"/>'
        '<xs:element name="liste" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>'
        "</xs:sequence>"
        '<xs:attribute name="dataFormatId" type="xs:string" use="required" fixed="5273"/>'
        "<xs:anyAttribute/></xs:complexType>"
        '<xs:complexType name="Valg"><xs:simpleContent><xs:extension base="ValgKode">'
        '<xs:attribute name="orid" type="xs:string" fixed="123"/>'
        "</xs:extension></xs:simpleContent></xs:complexType>"
        '<xs:simpleType name="ValgKode"><xs:restriction base="xs:string">'
        '<xs:enumeration value="ja" seres:guid="g1"/><xs:enumeration value="nei" seres:guid="g2"/>'
        "</xs:restriction></xs:simpleType>",
        SERES,
    )
    schema = convert_xsd_bytes(raw, "model.xsd")
    assert schema["info"] == {"XSLT-skriptnavn": "SERES_XSD_GEN", "meldingsnavn": "melding"}
    assert schema["$defs"]["ValgKode"]["@xsdUnhandledEnumAttributes"] == {
        "ja": {"seres:guid": "g1"},
        "nei": {"seres:guid": "g2"},
    }
    assert roundtrip_differences(raw) == []


def test_round_trip_difference_is_detected() -> None:
    raw = xsd(
        '<xs:element name="Root"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>'
    )
    changed = raw.replace(b'name="a"', b'name="b"')
    assert xsd_differences(
        parse_xml_bytes(raw, "a").getroot(), parse_xml_bytes(changed, "b").getroot()
    )


def test_json_to_xsd_uses_type_when_xsd_type_hint_does_not_fit() -> None:
    schema = {
        "@xsdRootElement": "Root",
        "properties": {
            "a": {"type": "string", "@xsdType": "integer"},
            "b": {"type": "integer"},
            "c": {"type": "string", "format": "date"},
            "d": {"type": "array", "items": {"type": "number"}, "maxItems": 3},
        },
        "required": ["a"],
    }
    root = convert_json_schema(schema).getroot()
    elements = {e.get("name"): e for e in root.iter("{http://www.w3.org/2001/XMLSchema}element")}
    assert elements["Root"] is not None
    assert elements["a"].get("type") == "xsd:string" and elements["a"].get("minOccurs") is None
    assert elements["b"].get("type") == "xsd:long" and elements["b"].get("minOccurs") == "0"
    assert elements["c"].get("type") == "xsd:date"
    assert elements["d"].get("type") == "xsd:double" and elements["d"].get("maxOccurs") == "3"


def test_json_to_xsd_rejects_refs_that_are_not_type_names() -> None:
    with pytest.raises(JsonToXsdError) as dangling:
        convert_json_schema({"@xsdRootElement": "r", "properties": {"a": {"$ref": "#/nowhere/x"}}})
    assert "does not point" in dangling.value.message
    into_properties = {
        "oneOf": [{"$ref": "#/properties/x"}],
        "properties": {"x": {"type": "string"}},
    }
    with pytest.raises(JsonToXsdError) as not_a_type:
        convert_json_schema(into_properties)
    assert "$defs" in not_a_type.value.message


def test_normalize_flattens_single_allof_but_keeps_ref_apart() -> None:
    assert normalize({"allOf": [{"type": "string"}]}) == {"type": "string"}
    assert normalize({"allOf": [{"$ref": "#/$defs/a"}], "title": "t"}) == {
        "allOf": [{"$ref": "#/$defs/a"}],
        "title": "t",
    }
    assert normalize({"allOf": [{"allOf": [{"a": 1}, {"b": 2}]}]}) == {
        "allOf": [{"a": 1}, {"b": 2}]
    }
    assert normalize({"type": "object", "allOf": [{"type": "string"}]}) == {
        "type": "object",
        "allOf": [{"type": "string"}],
    }


def test_json_comparison_is_order_aware_only_where_upstream_is() -> None:
    assert json_differences({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1.0}) == []
    assert json_differences({"required": ["a", "b"]}, {"required": ["b", "a"]})
    assert json_differences({"x": True}, {"x": 1})
    assert json_differences(
        {"@xsdNamespaces": {"a": "1", "b": "2"}}, {"@xsdNamespaces": {"b": "2", "a": "1"}}
    )


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('<xs:include schemaLocation="http://example.com/x.xsd"/>', "network"),
        ('<xs:include schemaLocation="../outside.xsd"/>', "outside"),
        ('<xs:import namespace="urn:x" schemaLocation="x.xsd"/>', "import"),
        ('<xs:redefine schemaLocation="x.xsd"/>', "redefine"),
    ],
)
def test_includes_and_imports_outside_are_refused_with_a_line(
    tmp_path: Path, body: str, fragment: str
) -> None:
    (tmp_path / "outside.xsd").write_bytes(xsd(""))
    folder = tmp_path / "models"
    folder.mkdir()
    model = folder / "model.xsd"
    model.write_bytes(xsd(body))
    with pytest.raises(XsdError) as caught:
        convert_xsd_file(model)
    assert fragment in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == 3


def test_local_include_is_merged(tmp_path: Path) -> None:
    (tmp_path / "types.xsd").write_bytes(
        xsd('<xs:simpleType name="Navn"><xs:restriction base="xs:string"/></xs:simpleType>')
    )
    model = tmp_path / "model.xsd"
    model.write_bytes(
        xsd('<xs:element name="navn" type="Navn"/><xs:include schemaLocation="types.xsd"/>')
    )
    schema = convert_xsd_file(model)
    assert schema["$defs"]["Navn"]["type"] == "string"


def test_union_is_refused_with_its_line() -> None:
    raw = xsd(
        '<xs:element name="r" type="U"/>\n<xs:simpleType name="U">\n'
        '<xs:union memberTypes="xs:int xs:date"/></xs:simpleType>'
    )
    with pytest.raises(XsdError) as caught:
        convert_xsd_bytes(raw, "model.xsd")
    assert "union" in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == 5


def test_entities_are_refused_before_conversion() -> None:
    raw = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><xs:schema ' + XS.encode() + b"/>"
    with pytest.raises(XmlSafetyError):
        convert_xsd_bytes(raw, "model.xsd")


def test_not_a_schema_is_refused() -> None:
    with pytest.raises(XsdError):
        convert_xsd_bytes(b"<root/>", "model.xsd")


def test_written_xsd_is_well_formed_and_declares_prefixes() -> None:
    schema = to_json('<xs:element name="r" type="xs:string"/>')
    written = write_xsd(convert_json_schema(schema))
    assert written.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = etree.fromstring(written)
    assert root.nsmap["xs"] == "http://www.w3.org/2001/XMLSchema"


def test_malformed_type_name_is_a_located_error() -> None:
    raw = xsd('<xs:element name="root" type="/definitions/rootType"/>')
    with pytest.raises(XsdError) as caught:
        convert_xsd_bytes(raw, "model.xsd")
    assert "QName" in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == 3


def test_types_before_the_root_element_keep_their_place_in_a_round_trip() -> None:
    raw = xsd(
        '<xs:complexType name="Person"><xs:sequence><xs:element name="navn" type="xs:string"/>'
        "</xs:sequence></xs:complexType>"
        '<xs:element name="model"><xs:complexType><xs:sequence>'
        '<xs:element name="person" type="Person"/></xs:sequence></xs:complexType></xs:element>'
    )
    assert roundtrip_differences(raw) == []


def test_date_bounds_on_a_named_date_type_are_kept_both_ways() -> None:
    raw = xsd(
        '<xs:element name="melding" type="Fra"/>'
        '<xs:simpleType name="Dato"><xs:restriction base="xs:date"/></xs:simpleType>'
        '<xs:simpleType name="Fra"><xs:restriction base="Dato">'
        '<xs:minInclusive value="2000-01-01"/></xs:restriction></xs:simpleType>'
    )
    schema = convert_xsd_bytes(raw, "model.xsd")
    assert schema["$defs"]["Fra"]["allOf"][1] == {"formatMinimum": "2000-01-01"}
    assert roundtrip_differences(raw) == []


def test_json_that_cannot_become_valid_xsd_is_refused_not_written() -> None:
    raw = xsd(
        '<xs:element name="Root"><xs:complexType><xs:complexContent><xs:restriction base="B">'
        '<xs:sequence><xs:element name="e" type="xs:string"/></xs:sequence>'
        '<xs:attribute name="a" type="xs:int"/></xs:restriction></xs:complexContent>'
        "</xs:complexType></xs:element>"
        '<xs:complexType name="B"><xs:sequence><xs:element name="e" type="xs:string"/>'
        '</xs:sequence><xs:attribute name="a" type="xs:int"/></xs:complexType>'
    )
    schema = convert_xsd_bytes(raw, "model.xsd")
    with pytest.raises(JsonToXsdError) as caught:
        convert_json_schema(schema)
    assert "not valid" in caught.value.message


_KEYWORD_VALUES = {
    "type": st.sampled_from(
        ["string", "integer", "number", "boolean", "object", ["string", "null"]]
    ),
    "@xsdType": st.sampled_from(["string", "int", "#ref", "date"]),
    "@xsdAttribute": st.just(True),
    "@xsdNillable": st.just(True),
    "@xsdStructure": st.just("XmlSchemaSimpleTypeRestriction"),
    "$ref": st.sampled_from(["#/$defs/a", "#/$defs/b", "#/nowhere"]),
    "maxLength": st.integers(0, 5),
    "enum": st.just(["x", "y"]),
    "required": st.just(["a", "value"]),
    "minItems": st.integers(0, 3),
    "multipleOf": st.sampled_from([0.01, 0.3, 1]),
}


def _schemas(depth: int) -> st.SearchStrategy[dict]:
    plain = st.sets(st.sampled_from(sorted(_KEYWORD_VALUES)), max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({key: _KEYWORD_VALUES[key] for key in keys})
    )
    if depth == 0:
        return plain
    child = _schemas(depth - 1)
    return st.one_of(
        plain,
        st.fixed_dictionaries(
            {"properties": st.dictionaries(st.sampled_from(["a", "b", "value"]), child, max_size=3)}
        ),
        st.fixed_dictionaries({"type": st.just("array"), "items": child}),
        st.fixed_dictionaries({"allOf": st.lists(child, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(child, min_size=1, max_size=2)}),
    )


@settings(max_examples=80, deadline=None)
@given(root=_schemas(3), a=_schemas(2), b=_schemas(2))
def test_json_to_xsd_never_crashes_and_writes_valid_xsd(root: dict, a: dict, b: dict) -> None:
    schema = {**root, "$defs": {"a": a, "b": b}}
    try:
        written = write_xsd(convert_json_schema(schema))
    except JsonToXsdError as exc:
        assert exc.message and exc.location is not None
        return
    etree.XMLSchema(etree.fromstring(written))


def test_older_altinn_models_with_a_wrapper_root_and_xml_attribute_hints() -> None:
    schema = {
        "$schema": "http://json-schema.org/schema#",
        "info": {"meldingsnavn": "melding", "modellnavn": "Skjema_M"},
        "properties": {"melding": {"$ref": "#/definitions/Skjema_M"}},
        "definitions": {
            "Skjema_M": {
                "properties": {
                    "navn": {"type": "string"},
                    "dataFormatId": {"type": "string", "@xsdType": "XmlAttribute", "const": "5273"},
                },
                "required": ["navn", "dataFormatId"],
            }
        },
    }
    root = convert_json_schema(schema).getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    top = root.find(f"{xs}element")
    assert top is not None and (top.get("name"), top.get("type")) == ("melding", "Skjema_M")
    attribute = root.find(f"{xs}complexType/{xs}attribute")
    assert attribute is not None
    assert (attribute.get("name"), attribute.get("fixed"), attribute.get("use")) == (
        "dataFormatId",
        "5273",
        "required",
    )


def test_root_element_named_like_its_type_keeps_the_type() -> None:
    raw = xsd(
        '<xs:element name="model" type="model"/><xs:complexType name="model"><xs:sequence>'
        '<xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>'
    )
    schema = convert_xsd_bytes(raw, "model.xsd")
    assert schema["oneOf"] == [{"$ref": "#/$defs/model"}] and "model" in schema["$defs"]
    assert roundtrip_differences(raw) == []
