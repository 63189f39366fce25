"""The model tree: paths layouts bind to, types, restrictions, occurrence, roots, cycles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.model import (
    ModelLoadError,
    find_root_pointer,
    load_model,
    model_from_document,
    model_from_schema,
)
from schemas.sourcemap import parse_json_text

MODERN = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "info": {"rootNode": ""},
    "@xsdRootElement": "model",
    "type": "object",
    "properties": {
        "Navn": {"type": "string", "maxLength": 50, "minLength": 1, "pattern": "^[A-Za-z ]+$"},
        "Fodt": {"type": "string", "format": "date"},
        "Alder": {"type": "integer", "minimum": 0, "maximum": 150},
        "Belop": {"type": "number", "totalDigits": 10},
        "Samtykke": {"type": ["boolean", "null"]},
        "Kjonn": {"type": "string", "enum": ["M", "K"]},
        "Mennesker": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {"$ref": "#/$defs/Menneske"},
        },
        "Tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["Navn"],
    "$defs": {
        "Menneske": {
            "properties": {
                "id": {"type": "string", "@xsdAttribute": True},
                "Alder": {"type": "integer"},
                "Adresse": {"$ref": "#/$defs/Adresse"},
            },
            "required": ["Alder"],
        },
        "Adresse": {
            "properties": {"Gate": {"type": "string"}, "Postnr": {"type": "string"}},
        },
    },
}

SERES = {
    "$schema": "http://json-schema.org/schema#",
    "type": "object",
    "properties": {"melding": {"$ref": "#/definitions/Skjema"}},
    "info": {"meldingsnavn": "melding"},
    "definitions": {
        "Skjema": {
            "properties": {
                "dataFormatProvider": {
                    "type": "string",
                    "const": "SERES",
                    "@xsdType": "XmlAttribute",
                },
                "Gruppe-grp-1": {"$ref": "#/definitions/Gruppe-grp-1"},
            },
        },
        "Gruppe-grp-1": {
            "properties": {
                "gruppeid": {"type": "integer", "const": 1, "@xsdType": "XmlAttribute"},
                "Felt-datadef-2": {"$ref": "#/definitions/Felt-datadef-2"},
            },
        },
        "Felt-datadef-2": {
            "properties": {
                "orid": {"type": "integer", "@xsdType": "XmlAttribute"},
                "value": {"$ref": "#/definitions/Tekst", "@xsdText": True},
            },
        },
        "Tekst": {"type": "string", "maxLength": 20},
    },
}


def test_every_field_has_its_binding_path_and_type() -> None:
    tree = model_from_schema(MODERN).tree()
    paths = {f.path: f.type for f in tree.walk()}
    assert paths["Navn"] == "string"
    assert paths["Fodt"] == "date"
    assert paths["Alder"] == "integer"
    assert paths["Belop"] == "number"
    assert paths["Samtykke"] == "boolean"
    assert paths["Mennesker"] == "array"
    assert paths["Mennesker.Alder"] == "integer"
    assert paths["Mennesker.Adresse"] == "object"
    assert paths["Mennesker.Adresse.Gate"] == "string"
    assert paths["Tags"] == "array"


def test_restrictions_occurrence_and_flags() -> None:
    tree = model_from_schema(MODERN).tree()
    navn = tree.field("Navn")
    assert navn.restrictions == {"minLength": 1, "maxLength": 50, "pattern": "^[A-Za-z ]+$"}
    assert (navn.min_occurs, navn.max_occurs, navn.required) == (1, 1, True)
    assert tree.field("Alder").min_occurs == 0
    assert tree.field("Belop").restrictions == {"totalDigits": 10}
    assert tree.field("Kjonn").restrictions == {"enum": ["M", "K"]}
    assert tree.field("Samtykke").nullable
    people = tree.field("Mennesker")
    assert people.repeating and (people.min_occurs, people.max_occurs) == (1, 5)
    assert people.item_type == "object"
    assert tree.field("Tags").item_type == "string"
    assert tree.field("Tags").max_occurs is None
    assert tree.field("Mennesker.id").is_attribute
    assert tree.field("Mennesker.Alder").required
    assert tree.field("Fodt").format == "date"


def test_lookup_tolerates_indices_and_reports_misses() -> None:
    tree = model_from_schema(MODERN).tree()
    assert tree.resolve("Mennesker[0].Adresse.Gate") is tree.resolve("Mennesker.Adresse.Gate")
    assert tree.resolve("Mennesker[12].Alder") is not None
    assert tree.resolve("Mennesker.Nope") is None
    with pytest.raises(KeyError):
        tree.field("Nope")
    deepest, rest = tree.closest("Mennesker.Adresse.By.X")
    assert deepest.path == "Mennesker.Adresse" and rest == ["By", "X"]


def test_completion_for_binding_editors() -> None:
    tree = model_from_schema(MODERN).tree()
    assert [f.path for f in tree.complete("menn")] == [
        "Mennesker",
        "Mennesker.id",
        "Mennesker.Alder",
        "Mennesker.Adresse",
        "Mennesker.Adresse.Gate",
        "Mennesker.Adresse.Postnr",
    ]
    assert [f.path for f in tree.complete("Mennesker[0].")][:2] == [
        "Mennesker.id",
        "Mennesker.Alder",
    ]
    assert [f.path for f in tree.complete("", types=("array",))] == ["Mennesker", "Tags"]
    assert len(tree.complete("", limit=3)) == 3


def test_seres_root_is_the_meldingsnavn_definition_and_text_fields_are_marked() -> None:
    model = model_from_schema(SERES)
    assert model.root_pointer == "/definitions/Skjema"
    assert model.root_element_name == "melding"
    tree = model.tree()
    value = tree.field("Gruppe-grp-1.Felt-datadef-2.value")
    assert value.is_text and value.type == "string"
    assert value.restrictions == {"maxLength": 20}
    assert tree.field("dataFormatProvider").is_attribute
    assert tree.field("dataFormatProvider").xsd == {"@xsdType": "XmlAttribute"}
    assert value.xsd == {"@xsdText": True}
    assert tree.resolve("melding") is None


def test_root_from_one_of_ref_and_from_class_ref() -> None:
    one_of = {
        "oneOf": [{"$ref": "#/$defs/Form"}],
        "$defs": {"Form": {"properties": {"a": {"type": "string"}}}},
    }
    assert find_root_pointer(one_of) == "/$defs/Form"
    assert model_from_schema(one_of).tree().resolve("a") is not None
    classed = {
        "properties": {"Form": {"$ref": "#/definitions/Form"}},
        "definitions": {"Form": {"properties": {"b": {"type": "string"}}}},
    }
    assert find_root_pointer(classed) == ""
    assert find_root_pointer(classed, "Altinn.App.Models.Form") == "/definitions/Form"
    assert find_root_pointer(classed, "Altinn.App.Models.model.Form") == "/definitions/Form"
    document = parse_json_text(json.dumps(classed), "m.schema.json")
    model = model_from_document(document, "m", "Altinn.App.Models.Form")
    assert model.root_element_name == "Form"
    renamed = {**classed, "properties": {"Melding": {"$ref": "#/definitions/Form"}}}
    document = parse_json_text(json.dumps(renamed), "m.schema.json")
    assert model_from_document(document, "m", "Form").root_element_name == "Melding"


def test_all_of_members_are_merged() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {
            "melding": {
                "type": "object",
                "allOf": [
                    {"properties": {"a": {"type": "string"}}, "required": ["a"]},
                    {"$ref": "#/definitions/B"},
                ],
            }
        },
        "definitions": {"B": {"properties": {"b": {"type": "integer"}}}},
    }
    model = model_from_schema(schema)
    assert model.draft == "draft-07"
    tree = model.tree()
    assert tree.field("melding.a").required
    assert tree.field("melding.b").type == "integer"


def test_recursive_models_are_marked_and_still_resolve() -> None:
    schema = {
        "properties": {"Person": {"$ref": "#/$defs/Person"}},
        "$defs": {
            "Person": {
                "properties": {
                    "Navn": {"type": "string"},
                    "Forelder": {"$ref": "#/$defs/Person"},
                    "Barn": {"type": "array", "items": {"$ref": "#/$defs/Person"}},
                }
            }
        },
    }
    tree = model_from_schema(schema).tree()
    # The walk stops at the two recursive fields instead of going on forever.
    assert [f.path for f in tree.fields()] == [
        "Person",
        "Person.Navn",
        "Person.Forelder",
        "Person.Barn",
    ]
    assert tree.field("Person.Forelder").cycle
    assert tree.field("Person.Barn").cycle
    deep = tree.resolve("Person.Forelder.Forelder.Barn[3].Navn")
    assert deep is not None and deep.type == "string"


def test_broken_refs_do_not_crash_the_tree() -> None:
    tree = model_from_schema({"properties": {"a": {"$ref": "#/$defs/Missing"}}}).tree()
    field = tree.field("a")
    assert field.broken_ref is not None and field.broken_ref.ref == "#/$defs/Missing"
    assert field.children == {}


def test_unreadable_model_files_raise_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.schema.json"
    bad.write_text('{\n  "properties": {,\n}')
    with pytest.raises(ModelLoadError) as info:
        load_model(bad)
    assert info.value.location is not None and info.value.location.line == 2
    not_object = tmp_path / "list.schema.json"
    not_object.write_text("[1, 2]")
    with pytest.raises(ModelLoadError, match="JSON object"):
        load_model(not_object)
    dangling = tmp_path / "root.schema.json"
    dangling.write_text(json.dumps({"info": {"rootNode": "#/definitions/Nope"}}))
    with pytest.raises(ModelLoadError, match="points to nothing"):
        load_model(dangling)


def test_byte_order_mark_and_model_name(tmp_path: Path) -> None:
    path = tmp_path / "skjema.schema.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(MODERN).encode())
    model = load_model(path)
    assert model.name == "skjema"
    assert model.draft == "2020-12"
    assert model.tree().resolve("Navn") is not None
