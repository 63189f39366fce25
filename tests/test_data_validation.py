"""Validating instance data: all errors with data paths, both engines agreeing, errors mapped
to the components bound to each field, and the `studio model` commands."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from app_runtime.app import load_app
from app_runtime.datavalidation import (
    BindingIndex,
    BoundComponent,
    app_validator,
    layout_set_bindings,
    map_errors,
    validator_for_layout_set,
)
from schemas.instances import json_to_xml_bytes, sample_instance
from schemas.model import model_from_schema
from schemas.validation import (
    ModelValidator,
    SchemaCompileError,
    data_path,
    validate_data,
    validate_xml,
)
from schemas.xmlsafe import XmlSafetyError
from studio.commands.model import command as model_command

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "info": {"rootNode": "#/definitions/Skjema"},
    "definitions": {
        "Skjema": {
            "properties": {
                "Navn": {"type": "string", "maxLength": 10},
                "Epost": {"type": "string", "format": "email"},
                "Fodt": {"type": "string", "format": "date"},
                "Alder": {"type": "integer", "minimum": 0},
                "Status": {"type": "string", "enum": ["ny", "ferdig"]},
                "Personer": {
                    "type": "array",
                    "maxItems": 3,
                    "items": {"$ref": "#/definitions/Person"},
                },
            },
            "required": ["Navn"],
        },
        "Person": {
            "properties": {
                "Fornavn": {"type": "string", "pattern": "^[A-Z][a-z]+$"},
                "Alder": {"type": "integer"},
            },
            "required": ["Fornavn"],
        },
    },
}
MODEL = model_from_schema(SCHEMA, "skjema")


def test_all_errors_are_reported_with_data_paths() -> None:
    data = {
        "Navn": "x" * 11,
        "Alder": -1,
        "Status": "kanskje",
        "Fodt": "2024-02-31",
        "Personer": [{"Fornavn": "Ola"}, {"Fornavn": "per", "Alder": "tre"}, {}],
    }
    errors = validate_data(MODEL, data)
    assert [(e.path, e.keyword) for e in errors] == [
        ("Alder", "minimum"),
        ("Fodt", "format"),
        ("Navn", "maxLength"),
        ("Personer[1].Alder", "type"),
        ("Personer[1].Fornavn", "pattern"),
        ("Personer[2].Fornavn", "required"),
        ("Status", "enum"),
    ]
    missing = next(e for e in errors if e.keyword == "required")
    assert missing.field_path == "Personer.Fornavn"
    assert missing.pointer == "/Personer/2/Fornavn"
    assert validate_data(MODEL, {"Navn": "Kari"}) == []


def test_xml_data_is_validated_with_the_same_paths() -> None:
    xml = (
        b"<Skjema><Navn>Kari Nordmann Hansen</Navn><Alder>tre</Alder>"
        b"<Personer><Fornavn>ola</Fornavn></Personer></Skjema>"
    )
    errors, problems, data = validate_xml(MODEL, xml)
    assert data["Personer"] == [{"Fornavn": "ola"}]
    assert problems == [("Alder", "'tre' is not a valid integer")]
    assert [e.path for e in errors] == ["Alder", "Navn", "Personer[0].Fornavn"]
    with pytest.raises(XmlSafetyError):
        validate_xml(MODEL, b'<!DOCTYPE x [<!ENTITY e "boom">]><Skjema>&e;</Skjema>')


def test_data_path_format() -> None:
    assert data_path(["a", 0, "b", 12]) == "a[0].b[12]"
    assert data_path([]) == ""


def _mutations(rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
    choice = rng.randrange(6)
    if choice == 0:
        data["Navn"] = "y" * rng.randint(11, 20)
    elif choice == 1:
        data["Alder"] = rng.choice([-5, "ti", 1.5])
    elif choice == 2:
        data.pop("Navn", None)
    elif choice == 3:
        data["Personer"] = [{"Fornavn": "lowercase"}] * rng.randint(1, 5)
    elif choice == 4:
        data["Status"] = 3
    else:
        data["Fodt"] = "28.02.2024"
    return data


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 3))
def test_fast_engine_agrees_with_the_reference(seed: int, mutations: int) -> None:
    rng = random.Random(seed)
    data = sample_instance(MODEL, rng)
    for _ in range(mutations):
        data = _mutations(rng, data)
    fast = {(e.pointer, e.keyword) for e in validate_data(MODEL, data, "fast")}
    reference = {(e.pointer, e.keyword) for e in validate_data(MODEL, data, "reference")}
    assert fast == reference
    if mutations == 0:
        assert fast == set()


def test_uncompilable_schema_is_a_located_error() -> None:
    bad = model_from_schema({"properties": {"a": {"type": "string", "pattern": "(["}}})
    with pytest.raises(SchemaCompileError) as info:
        ModelValidator(bad)
    assert info.value.location is not None


def test_errors_map_to_bound_components() -> None:
    bindings = [
        BoundComponent("navn-input", "simpleBinding", "Navn", "Navn", "m", "p", ""),
        BoundComponent("navn-summary", "simpleBinding", "Navn", "Navn", "m", "p2", ""),
        BoundComponent(
            "fornavn", "simpleBinding", "Personer.Fornavn", "Personer.Fornavn", "m", "p", ""
        ),
        BoundComponent("annen", "simpleBinding", "Navn", "Navn", "other", "p", ""),
    ]
    index = BindingIndex.build(bindings, "m")
    errors = validate_data(MODEL, {"Alder": "x", "Personer": [{"Fornavn": "a"}]})
    mapped = {m.error.path: m.component_ids for m in map_errors(errors, index)}
    assert mapped == {
        "Alder": (),
        "Navn": ("navn-input", "navn-summary"),
        "Personer[0].Fornavn": ("fornavn",),
    }


def _app(tmp_path: Path) -> Path:
    app = tmp_path / "App"
    (app / "config").mkdir(parents=True)
    (app / "models").mkdir()
    (app / "ui" / "form" / "layouts").mkdir(parents=True)
    metadata = {
        "id": "ttd/x",
        "dataTypes": [{"id": "skjema", "appLogic": {"classRef": "Altinn.App.Models.Skjema"}}],
    }
    (app / "config" / "applicationmetadata.json").write_text(json.dumps(metadata))
    (app / "models" / "skjema.schema.json").write_text(json.dumps(SCHEMA))
    sets = {"sets": [{"id": "form", "dataType": "skjema", "tasks": ["Task_1"]}]}
    (app / "ui" / "layout-sets.json").write_text(json.dumps(sets))
    layout = [
        {"id": "navn", "type": "Input", "dataModelBindings": {"simpleBinding": "Navn"}},
        {
            "id": "personer",
            "type": "RepeatingGroup",
            "children": ["fornavn"],
            "dataModelBindings": {"group": "Personer"},
        },
        {
            "id": "fornavn",
            "type": "Input",
            "dataModelBindings": {"simpleBinding": "Personer.Fornavn"},
        },
    ]
    (app / "ui" / "form" / "layouts" / "side1.json").write_text(
        json.dumps({"data": {"layout": layout}})
    )
    return tmp_path


def test_layout_set_validation_through_the_app(tmp_path: Path) -> None:
    app = load_app(_app(tmp_path))
    layout_set = app.layout_sets[0]
    assert [b.component_id for b in layout_set_bindings(layout_set)] == [
        "navn",
        "personer",
        "fornavn",
    ]
    validator = validator_for_layout_set(app, layout_set)
    assert validator is not None
    result = validator.validate({"Personer": [{"Fornavn": "Ola"}, {"Fornavn": "ola"}]})
    assert [(m.error.path, m.component_ids) for m in result] == [
        ("Navn", ("navn",)),
        ("Personer[1].Fornavn", ("fornavn",)),
    ]
    assert validator.validate({"Navn": "Kari"}) == []
    whole_app = app_validator(app, "skjema")
    assert whole_app is not None
    assert [m.component_ids for m in whole_app.validate({})] == [("navn",)]
    assert app_validator(app, "unknown") is None


def test_cli_tree_check_and_validate_data(tmp_path: Path) -> None:
    model_path = tmp_path / "skjema.schema.json"
    model_path.write_text(json.dumps(SCHEMA))
    runner = CliRunner()
    tree = runner.invoke(model_command, ["tree", str(model_path)])
    assert tree.exit_code == 0
    assert "Personer  array of object  [0..3]" in tree.output
    assert "Fornavn  string  [1..1]  pattern='^[A-Z][a-z]+$'" in tree.output
    as_json = runner.invoke(model_command, ["tree", "--json", str(model_path)])
    assert json.loads(as_json.output.splitlines()[0])["path"] == "Navn"

    assert runner.invoke(model_command, ["check", str(model_path)]).exit_code == 0
    broken = tmp_path / "broken.schema.json"
    broken.write_text(json.dumps({"properties": {"a": {"$ref": "#/definitions/X"}}}))
    result = runner.invoke(model_command, ["check", str(broken)])
    assert result.exit_code == 1 and "MODEL005" in result.output

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"Navn": "Kari", "Personer": [{"Fornavn": "Ola"}]}))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(json_to_xml_bytes(MODEL, {"Alder": 3, "Personer": [{"Fornavn": "ola"}]}))
    result = runner.invoke(model_command, ["validate-data", str(model_path), str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: valid" in result.output
    assert f"{bad}: Navn: " in result.output
    assert f"{bad}: Personer[0].Fornavn: " in result.output
    unreadable = tmp_path / "nope.json"
    unreadable.write_text("{")
    result = runner.invoke(model_command, ["validate-data", str(model_path), str(unreadable)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{unreadable}: unreadable:")


def test_cli_names_bound_components_with_app(tmp_path: Path) -> None:
    root = _app(tmp_path)
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"Personer": [{"Fornavn": "ola"}]}))
    model_path = root / "App" / "models" / "skjema.schema.json"
    runner = CliRunner()
    result = runner.invoke(
        model_command, ["validate-data", "--app", str(root), str(model_path), str(data)]
    )
    assert result.exit_code == 1
    assert f"{data}: Navn: " in result.output and "[navn]" in result.output
    assert "Personer[0].Fornavn" in result.output and "[fornavn]" in result.output
    other = tmp_path / "other.schema.json"
    other.write_text(json.dumps(SCHEMA))
    result = runner.invoke(
        model_command, ["validate-data", "--app", str(root), str(other), str(data)]
    )
    assert result.exit_code == 2


def test_cli_refuses_an_unreadable_model(tmp_path: Path) -> None:
    path = tmp_path / "m.schema.json"
    path.write_text("[")
    result = CliRunner().invoke(model_command, ["tree", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_convert_is_offered_only_when_its_module_exists() -> None:
    import importlib.util

    ctx = model_command.make_context("model", [], resilient_parsing=True)
    names = model_command.list_commands(ctx)
    expected = importlib.util.find_spec("studio.commands.model_convert") is not None
    assert ("convert" in names) is expected
    assert {"tree", "check", "validate-data"} <= set(names)


def test_validators_of_one_model_share_the_compiled_schema() -> None:
    from app_runtime.datavalidation import LayoutSetValidator

    model = model_from_schema({"type": "object", "properties": {"a": {"type": "string"}}})
    first = LayoutSetValidator(model, [])
    second = LayoutSetValidator(model, [])
    assert first.validator is second.validator
    assert [m.error.field_path for m in second.validate({"a": 1})] == ["a"]
