"""Model checks (MODEL0xx) on small models, each rule with a case that trips it and one that
does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.diagnostics import Severity
from schemas.model import model_from_schema
from schemas.model.lint import check_model, check_model_file

CLEAN = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "properties": {
        "Navn": {"type": "string"},
        "Gateadresse_æøå": {"type": "string"},
        "Felt-datadef-1": {"$ref": "#/$defs/Felt"},
        "Liste": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
    },
    "$defs": {
        "Felt": {"properties": {"orid": {"type": "integer", "const": 1}}},
        "Node": {"properties": {"Barn": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}},
    },
}


def codes(schema: dict[str, Any]) -> list[str]:
    return [f.code for f in check_model(model_from_schema(schema))]


def test_a_clean_model_has_no_findings() -> None:
    assert codes(CLEAN) == []


def test_names_that_are_not_identifiers() -> None:
    findings = check_model(
        model_from_schema({"properties": {"1abc": {}, "a.b": {}, "has space": {}, "ok_1-x": {}}})
    )
    assert sorted(f.message.split("'")[1] for f in findings if f.code == "MODEL002") == [
        "1abc",
        "a.b",
        "has space",
    ]
    located = next(f for f in findings if "1abc" in f.message)
    assert located.location.pointer == "/properties/1abc"
    assert located.location.line is not None


def test_duplicate_names_ignoring_case_among_siblings_only() -> None:
    assert codes({"properties": {"Navn": {}, "navn": {}}}) == ["MODEL003"]
    nested = {"properties": {"Navn": {}, "A": {"properties": {"navn": {}}}}}
    assert codes(nested) == []


def test_csharp_keywords_are_reserved() -> None:
    assert codes({"properties": {"class": {}, "Class": {"type": "string"}}}) == [
        "MODEL004",
        "MODEL003",
    ]
    assert codes({"properties": {"klasse": {}}}) == []


def test_broken_and_external_refs() -> None:
    broken = check_model(model_from_schema({"properties": {"a": {"$ref": "#/$defs/Nope"}}}))
    assert [f.code for f in broken] == ["MODEL005"]
    assert broken[0].location.pointer == "/properties/a/$ref"
    assert codes({"properties": {"a": {"$ref": "other.json#/x"}}}) == ["MODEL011"]


def test_cycles_without_a_repeating_step() -> None:
    optional = {
        "properties": {"P": {"$ref": "#/$defs/P"}},
        "$defs": {"P": {"properties": {"Forelder": {"$ref": "#/$defs/P"}}}},
    }
    findings = check_model(model_from_schema(optional))
    assert [f.code for f in findings] == ["MODEL006"]
    assert findings[0].severity == Severity.WARNING
    required = {
        "properties": {"P": {"$ref": "#/$defs/P"}},
        "required": ["P"],
        "$defs": {
            "P": {"properties": {"Forelder": {"$ref": "#/$defs/P"}}, "required": ["Forelder"]}
        },
    }
    assert [f.severity for f in check_model(model_from_schema(required))] == [Severity.ERROR]
    # A cycle through an array is how Altinn models trees: fine.
    assert codes(CLEAN) == []


def test_root_properties_mixed_with_composition() -> None:
    mixed = {"properties": {"a": {}}, "oneOf": [{"$ref": "#/$defs/X"}], "$defs": {"X": {}}}
    assert "MODEL007" in codes(mixed)
    assert "MODEL007" not in codes({"oneOf": [{"$ref": "#/$defs/X"}], "$defs": {"X": {}}})


def test_fixed_values_of_the_wrong_type_are_summarised_once() -> None:
    schema = {
        "properties": {
            "a": {"type": "integer", "const": "1603"},
            "b": {"type": "integer", "const": "1"},
            "c": {"type": "string", "enum": ["x", 2]},
            "d": {"type": "integer", "const": 5},
        }
    }
    findings = [f for f in check_model(model_from_schema(schema)) if f.code == "MODEL008"]
    assert len(findings) == 1
    assert "2 more" in findings[0].message
    assert findings[0].location.pointer == "/properties/a/const"


def test_unknown_draft_and_uncompilable_schema() -> None:
    assert "MODEL009" in codes({"$schema": "http://example.com/my-draft", "properties": {}})
    assert "MODEL010" in codes({"properties": {"a": {"type": "string", "pattern": "(unclosed"}}})


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "m.schema.json"
    path.write_text("{ nope")
    findings = check_model_file(path, "App/models/m.schema.json")
    assert [f.code for f in findings] == ["MODEL001"]
    assert findings[0].location.file == "App/models/m.schema.json"
    assert findings[0].location.line == 1
    good = tmp_path / "ok.schema.json"
    good.write_text(json.dumps(CLEAN))
    assert check_model_file(good) == []
