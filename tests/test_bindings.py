"""Binding checks (BIND0xx): layout bindings resolved against the layout set's model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app_runtime.app import load_app
from app_runtime.checks.bindings import check_bindings
from app_runtime.datavalidation import app_model
from schemas.diagnostics import Finding, Severity

MODEL = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "oneOf": [{"$ref": "#/$defs/Skjema"}],
    "$defs": {
        "Skjema": {
            "properties": {
                "Navn": {"type": "string"},
                "Alder": {"type": "integer"},
                "Fodt": {"type": "string", "format": "date"},
                "Aktiv": {"type": "boolean"},
                "Adresse": {"properties": {"Gate": {"type": "string"}}},
                "Personer": {"type": "array", "items": {"$ref": "#/$defs/Person"}},
                "Sporsmal": {"type": "array", "items": {"$ref": "#/$defs/Sporsmal"}},
            }
        },
        "Person": {
            "properties": {
                "Fornavn": {"type": "string"},
                "Barn": {"type": "array", "items": {"properties": {"Navn": {"type": "string"}}}},
            }
        },
        "Sporsmal": {"properties": {"Id": {"type": "string"}, "Svar": {"type": "string"}}},
    },
}
OTHER = {"properties": {"Kommentar": {"type": "string"}}}


def make_app(root: Path, components: list[dict[str, Any]], with_model: bool = True) -> Path:
    app = root / "App"
    (app / "config").mkdir(parents=True)
    (app / "models").mkdir()
    (app / "ui" / "form" / "layouts").mkdir(parents=True)
    metadata = {
        "id": "ttd/test",
        "org": "ttd",
        "dataTypes": [
            {
                "id": "model",
                "appLogic": {"classRef": "Altinn.App.Models.Skjema"},
                "taskId": "Task_1",
            },
            {"id": "other", "appLogic": {"classRef": "Altinn.App.Models.other"}},
        ],
    }
    (app / "config" / "applicationmetadata.json").write_text(json.dumps(metadata))
    if with_model:
        (app / "models" / "Skjema.schema.json").write_text(json.dumps(MODEL, indent=2))
    (app / "models" / "other.schema.json").write_text(json.dumps(OTHER))
    sets = {"sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]}
    (app / "ui" / "layout-sets.json").write_text(json.dumps(sets))
    (app / "ui" / "form" / "Settings.json").write_text(json.dumps({"pages": {"order": ["side1"]}}))
    page = {"data": {"layout": components}}
    (app / "ui" / "form" / "layouts" / "side1.json").write_text(json.dumps(page, indent=2))
    return root


def findings_for(tmp_path: Path, components: list[dict[str, Any]], **kw: Any) -> list[Finding]:
    return list(check_bindings(load_app(make_app(tmp_path, components, **kw))))


def comp(id_: str, type_: str, **bindings: Any) -> dict[str, Any]:
    return {"id": id_, "type": type_, "dataModelBindings": bindings}


def test_good_bindings_give_no_findings(tmp_path: Path) -> None:
    components = [
        comp("navn", "Input", simpleBinding="Navn"),
        comp("alder", "Input", simpleBinding="Alder"),
        comp("fodt", "Datepicker", simpleBinding="Fodt"),
        comp("gate", "TextArea", simpleBinding="Adresse.Gate"),
        comp("aktiv", "Checkboxes", simpleBinding="Aktiv"),
        {**comp("personer", "RepeatingGroup", group="Personer"), "children": ["fornavn", "barn"]},
        comp("fornavn", "Input", simpleBinding="Personer.Fornavn"),
        {**comp("barn", "RepeatingGroup", group="Personer[0].Barn"), "children": ["barnnavn"]},
        comp("barnnavn", "Input", simpleBinding="Personer.Barn.Navn"),
        comp("likert", "Likert", questions="Sporsmal", answer="Sporsmal.Svar"),
        comp("kommentar", "Input", simpleBinding={"dataType": "other", "field": "Kommentar"}),
    ]
    assert findings_for(tmp_path, components) == []


def test_unresolved_paths_name_the_miss_and_suggest(tmp_path: Path) -> None:
    findings = findings_for(
        tmp_path,
        [
            comp("a", "Input", simpleBinding="Adresse.Gat"),
            comp("b", "Input", simpleBinding="Nope"),
            comp("c", "Input", simpleBinding="Adresse.Fornavn"),
        ],
    )
    assert [f.code for f in findings] == ["BIND001", "BIND001", "BIND001"]
    assert "did you mean 'Adresse.Gate'" in findings[0].hint
    assert "'Personer.Fornavn'" in findings[2].hint
    assert findings[0].location.file == "App/ui/form/layouts/side1.json"
    assert findings[0].location.pointer == "/data/layout/0/dataModelBindings/simpleBinding"
    assert findings[0].location.line is not None


def test_relative_paths_inside_a_group_get_the_absolute_path_as_hint(tmp_path: Path) -> None:
    components = [
        {**comp("personer", "RepeatingGroup", group="Personer"), "children": ["fornavn"]},
        comp("fornavn", "Input", simpleBinding="Fornavn"),
    ]
    findings = findings_for(tmp_path, components)
    assert [f.code for f in findings] == ["BIND001"]
    assert "'Personer.Fornavn'" in findings[0].hint


def test_type_mismatches(tmp_path: Path) -> None:
    components = [
        comp("group-on-text", "RepeatingGroup", group="Navn"),
        comp("text-on-object", "Input", simpleBinding="Adresse"),
        comp("text-on-array", "Input", simpleBinding="Personer"),
        comp("date-on-bool", "Datepicker", simpleBinding="Aktiv"),
    ]
    findings = findings_for(tmp_path, components)
    by_id = {f.message.split(":")[0]: f for f in findings}
    assert {f.code for f in findings} == {"BIND002"}
    assert by_id["group-on-text"].severity == Severity.ERROR
    assert by_id["text-on-object"].severity == Severity.ERROR
    assert by_id["text-on-array"].severity == Severity.ERROR
    assert by_id["date-on-bool"].severity == Severity.WARNING


def test_binding_through_a_repeating_field_outside_its_group(tmp_path: Path) -> None:
    components = [
        comp("los", "Input", simpleBinding="Personer.Fornavn"),
        {**comp("personer", "RepeatingGroup", group="Personer"), "children": ["barnnavn"]},
        comp("barnnavn", "Input", simpleBinding="Personer.Barn.Navn"),
    ]
    findings = findings_for(tmp_path, components)
    assert [(f.code, f.message.split(":")[0]) for f in findings] == [
        ("BIND004", "los"),
        ("BIND004", "barnnavn"),
    ]
    assert "'Personer.Barn'" in findings[1].message


def test_unknown_data_type_and_missing_model(tmp_path: Path) -> None:
    findings = findings_for(
        tmp_path, [comp("x", "Input", simpleBinding={"dataType": "otter", "field": "Kommentar"})]
    )
    assert [f.code for f in findings] == ["BIND005"]
    assert "did you mean 'other'" in findings[0].hint
    other = tmp_path / "second"
    other.mkdir()
    findings = findings_for(other, [comp("x", "Input", simpleBinding="Navn")], with_model=False)
    assert [f.code for f in findings] == ["BIND003"]


def test_number_formatting_on_text_and_invalid_values(tmp_path: Path) -> None:
    components = [
        {
            **comp("belop", "Input", simpleBinding="Navn"),
            "formatting": {"number": {"prefix": "kr"}},
        },
        {
            **comp("tlf", "Input", simpleBinding="Navn"),
            "formatting": {"number": {"format": "# ##"}},
        },
        {"id": "rar", "type": "Input", "dataModelBindings": {"simpleBinding": 12}},
    ]
    findings = findings_for(tmp_path, components)
    assert sorted(f.code for f in findings) == ["BIND006", "BIND007"]


def test_empty_and_missing_required_bindings(tmp_path: Path) -> None:
    components = [
        comp("tom", "Input", simpleBinding=""),
        {"id": "uten", "type": "Input", "dataModelBindings": {}},
        {"id": "ingen", "type": "RepeatingGroup", "children": []},
        {"id": "tekst", "type": "Paragraph"},
    ]
    findings = findings_for(tmp_path, components)
    assert sorted((f.code, f.message.split(":")[0]) for f in findings) == [
        ("BIND008", "tom"),
        ("BIND009", "ingen"),
        ("BIND009", "uten"),
    ]


def test_the_layout_sets_model_is_found_through_class_ref(tmp_path: Path) -> None:
    app = load_app(make_app(tmp_path, []))
    model = app_model(app, "model")
    assert model is not None and model.name == "Skjema"
    assert model.root_pointer == "/$defs/Skjema"
    assert app_model(app, "missing") is None


@pytest.mark.conformance
def test_plainly_fine_components_have_no_findings_in_any_real_app() -> None:
    """The fast path may only skip components the full check would pass: for every component
    of every real app it accepts, the full per-binding check finds nothing."""
    from conftest import require_suite

    from app_runtime.checks import bindings as module
    from app_runtime.datavalidation import component_bindings

    root = require_suite("STUDIO_REAL_APPS")
    accepted = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        app = load_app(folder)
        for layout_set in app.layout_sets:
            model = app_model(app, layout_set.data_type)
            if model is None:
                continue
            screen = module._CleanScreen(model.tree())
            for entry in layout_set.components():
                bindings = entry[2].get("dataModelBindings")
                if not isinstance(bindings, dict):
                    continue
                if not module._plainly_fine(screen, entry[2]):
                    continue
                accepted += 1
                for bound in component_bindings((entry,), layout_set.data_type):
                    assert bound.field_path and bound.data_type == layout_set.data_type
                    where = module.Location(entry[0])
                    found = list(
                        module._check_binding(model, bound, entry[2], {}, lambda w=where: w)
                    )
                    assert found == [], (folder.name, bound)
    assert accepted > 200
