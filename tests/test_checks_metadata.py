"""Metadata/cross-file checks (META) and file schema checks (FILE01x)."""

from __future__ import annotations

import json
from pathlib import Path

from test_checks_layouts import area_findings, codes, layout_app
from test_loader import page


def edit_json(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def test_clean_metadata(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/models/Other.schema.json").write_text('{"type": "object"}')
    assert area_findings(root, "metadata") == []


def test_data_types_models_and_tasks(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/models/Other.schema.json").unlink()

    def change(data: dict) -> None:
        data["id"] = "other/demo"
        data["dataTypes"][1]["taskId"] = "Task_9"
        data["dataTypes"].append({"id": "model"})

    edit_json(root / "App/config/applicationmetadata.json", change)
    findings = area_findings(root, "metadata")
    # Other has no model files; Task_9 is not in the process; id/org mismatch; duplicate id
    assert codes(findings) == ["META002", "META003", "META008", "META009"]
    task = next(f for f in findings if f.code == "META003")
    assert task.location.pointer == "/dataTypes/1/taskId"
    assert task.location.line is not None


def test_layout_sets_against_process_and_metadata(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/models/Other.schema.json").write_text('{"type": "object"}')
    (root / "App/ui/layout-sets.json").write_text(
        json.dumps(
            {
                "sets": [
                    {"id": "form", "dataType": "Model", "tasks": ["Task_1", "Task_X"]},
                    {"id": "form", "dataType": "model", "tasks": ["Task_2"]},
                    {"id": "second", "dataType": "model", "tasks": ["Task_1"]},
                    {"id": "receipt", "dataType": "model", "tasks": ["CustomReceipt"]},
                ]
            }
        )
    )
    findings = area_findings(root, "metadata")
    assert codes(findings) == ["META004", "META005", "META006", "META010"]
    wrong_type = next(f for f in findings if f.code == "META005")
    assert "did you mean 'model'" in wrong_type.hint


def test_missing_metadata_and_process(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/models/Other.schema.json").write_text('{"type": "object"}')
    (root / "App/config/process/process.bpmn").unlink()
    assert codes(area_findings(root, "metadata")) == ["META007"]
    (root / "App/config/applicationmetadata.json").unlink()
    assert codes(area_findings(root, "metadata")) == ["META001"]


def test_schema_findings_have_pointers_and_positions(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {"id": "name", "type": "Input", "dataModelBindings": {"simpleBinding": "a"}},
                {"id": "para", "type": "Paragraph", "colour": "red", "hidden": "yes"},
            )
        },
    )
    (root / "App/options/colours.json").write_text('[{"label": "Red"}, {"value": "b"}]')
    (root / "App/ui/layout-sets.json").write_text(
        '{"sets": [{"id": "form", "dataType": "model", "tasks": "Task_1"}]}'
    )
    findings = area_findings(root, "files")
    by_file = {(f.location.file, f.code, f.location.pointer) for f in findings}
    assert ("App/ui/form/layouts/p1.json", "FILE010", "/data/layout/1/colour") in by_file
    assert ("App/options/colours.json", "FILE012", "/0") in by_file
    assert ("App/ui/layout-sets.json", "FILE011", "/sets/0/tasks") in by_file
    unknown = next(f for f in findings if f.code == "FILE010")
    assert unknown.location.line == unknown.location.line and unknown.location.column


def test_on_entry_navigation_and_pdf_settings(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page({"id": "para", "type": "Paragraph"})})
    edit_json(
        root / "App/config/applicationmetadata.json",
        lambda data: data.update(onEntry={"show": "stateless"}),
    )
    edit_json(
        root / "App/ui/layout-sets.json",
        lambda data: data.update(uiSettings={"taskNavigation": [{"taskId": "Task_7"}]}),
    )
    (root / "App/ui/form/Settings.json").write_text(
        json.dumps(
            {
                "pages": {"order": ["p1"], "pdfLayoutName": "pdf", "excludeFromPdf": ["p1"]},
                "components": {"excludeFromPdf": ["para", "ghost"]},
            }
        )
    )
    assert codes(area_findings(root, "metadata")) == ["META011", "META012"]
    layout = area_findings(root, "layouts")
    assert codes(layout) == ["LAY018", "LAY019"]
    assert {f.location.pointer for f in layout} == {
        "/pages/pdfLayoutName",
        "/components/excludeFromPdf/1",
    }


def test_layout_set_data_type_must_be_a_form_model(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    edit_json(
        root / "App/ui/layout-sets.json",
        lambda data: data["sets"][0].update(dataType="ref-data-as-pdf"),
    )
    findings = area_findings(root, "metadata")
    assert [(f.code, f.location.pointer) for f in findings] == [("META013", "/sets/0/dataType")]


def test_subform_layout_set(tmp_path: Path) -> None:
    subforms = [
        {"id": "subA", "type": "Subform", "layoutSet": "nowhere", "tableColumns": []},
        {"id": "subB", "type": "Subform", "layoutSet": "form", "tableColumns": []},
    ]
    root = layout_app(tmp_path, {"p1": page(*subforms)})
    findings = area_findings(root, "metadata")
    assert [(f.code, f.location.pointer) for f in findings] == [
        ("META014", "/data/layout/0/layoutSet"),
        ("META014", "/data/layout/1/layoutSet"),
    ]


def test_class_ref_is_read_in_any_letter_case() -> None:
    """Altinn reads applicationmetadata.json case-insensitively: "ClassRef" names a model."""
    from app_runtime.app.datatypes import class_ref, class_ref_key

    assert class_ref({"appLogic": {"classRef": "A.B"}}) == "A.B"
    assert class_ref({"appLogic": {"ClassRef": "A.C"}}) == "A.C"
    assert class_ref({"appLogic": {"CLASSREF": "A.D", "classRef": "A.E"}}) == "A.E"  # exact first
    assert class_ref({"appLogic": {"autoCreate": True}}) is None
    assert class_ref({"appLogic": "x"}) is None and class_ref("x") is None
    assert class_ref_key({"ClassRef": 1}) == "ClassRef"
