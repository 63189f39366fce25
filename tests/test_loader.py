"""The app loader: three layout-set conventions, page order, tolerant JSON, safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app_runtime.app import AppLoadError, load_app
from app_runtime.app.lenient import parse_lenient
from app_runtime.app.positions import SourceDocument, fast_scan
from schemas.sourcemap import _scan

PROCESS = """<?xml version="1.0" encoding="utf-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:altinn="http://altinn.no/process" id="d">
  <bpmn:process id="p">
    <bpmn:startEvent id="Start"/>
    <bpmn:task id="Task_1"><bpmn:extensionElements><altinn:taskExtension>
      <altinn:taskType>data</altinn:taskType></altinn:taskExtension></bpmn:extensionElements>
    </bpmn:task>
    <bpmn:serviceTask id="Task_2" altinn:tasktype="confirmation"/>
    <bpmn:endEvent id="End"/>
  </bpmn:process>
</bpmn:definitions>
"""

METADATA = {
    "id": "ttd/demo",
    "org": "ttd",
    "title": {"nb": "Demo"},
    "dataTypes": [
        {"id": "ref-data-as-pdf", "allowedContentTypes": ["application/pdf"]},
        {
            "id": "model",
            "appLogic": {"classRef": "Altinn.App.Models.model.model"},
            "taskId": "Task_1",
        },
        {"id": "other", "appLogic": {"classRef": "Altinn.App.Models.Other"}, "taskId": "Task_2"},
    ],
}


def page(*components: dict) -> dict:
    return {"data": {"layout": list(components)}}


def write(root: Path, files: dict[str, object]) -> Path:
    """Write `files` (relative path -> JSON value or text) under root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
    return root


def base_files() -> dict[str, object]:
    return {
        "App/config/applicationmetadata.json": METADATA,
        "App/config/process/process.bpmn": PROCESS,
        "App/config/texts/resource.nb.json": {
            "language": "nb",
            "resources": [{"id": "appName", "value": "Demo"}],
        },
        "App/models/model.schema.json": {"type": "object", "properties": {"a": {}}},
        "App/models/model.xsd": "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>",
        "App/models/model.prefill.json": {},
        "App/options/colours.json": [{"value": "r", "label": "Red"}],
        "App/appsettings.json": {"FrontEndSettings": {"home": "https://x"}},
    }


def test_v8_layout_sets(tmp_path: Path) -> None:
    files = base_files()
    files.update(
        {
            "App/ui/layout-sets.json": {
                "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
            },
            "App/ui/form/Settings.json": {"pages": {"order": ["B", "A"]}},
            "App/ui/form/layouts/A.json": page({"id": "a", "type": "Paragraph"}),
            "App/ui/form/layouts/B.json": page(),
            "App/ui/form/layouts/C.json": page(),
            "App/ui/footer.json": {"footer": []},
        }
    )
    app = load_app(write(tmp_path, files))
    assert app.convention == "layout-sets"
    [layout_set] = app.layout_sets
    assert (layout_set.id, layout_set.data_type, layout_set.tasks) == ("form", "model", ["Task_1"])
    assert list(layout_set.pages) == ["B", "A", "C"]  # unlisted pages come after
    assert layout_set.order == ["B", "A"]
    assert layout_set.page_files["A"] == "App/ui/form/layouts/A.json"
    assert app.footer is not None and app.footer.data == {"footer": []}
    assert app.frontend_settings == {"home": "https://x"}
    assert app.process_tasks == {"Task_1": "data", "Task_2": "confirmation"}
    assert list(app.texts) == ["nb"] and "appName" in app.text_resources("nb")
    assert list(app.options) == ["colours"]
    [model] = app.models
    assert model.name == "model" and model.xsd_path and model.prefill_path
    assert model.validation_path is None
    assert app.load_findings == []


def test_v9_task_folders_and_data_type_fallback(tmp_path: Path) -> None:
    files = base_files()
    files.update(
        {
            "App/ui/Task_1/Settings.json": {
                "pages": {"groups": [{"order": ["p2"]}, {"order": ["p1"]}]}
            },
            "App/ui/Task_1/layouts/p1.json": page(),
            "App/ui/Task_1/layouts/p2.json": page(),
            "App/ui/Task_2/Settings.json": {"pages": {"order": []}, "defaultDataType": "model"},
            "App/ui/Task_2/layouts/x.json": page(),
            "App/ui/sub/Settings.json": {"pages": {"order": ["s"]}, "type": "subform"},
            "App/ui/sub/layouts/s.json": page(),
            "App/ui/Settings.json": {"taskNavigation": [{"taskId": "Task_1"}]},
        }
    )
    app = load_app(write(tmp_path, files))
    assert app.convention == "task-folders"
    sets = {s.id: s for s in app.layout_sets}
    assert set(sets) == {"Task_1", "Task_2", "sub"}
    assert list(sets["Task_1"].pages) == ["p2", "p1"]  # groups' orders concatenated
    assert sets["Task_1"].data_type == "model"  # classRef dataType bound to Task_1
    assert sets["Task_1"].tasks == ["Task_1"]
    assert sets["Task_2"].data_type == "model"  # defaultDataType wins
    assert sets["sub"].tasks == [] and sets["sub"].type == "subform"
    assert app.global_settings is not None


def test_single_layouts_folder(tmp_path: Path) -> None:
    files = base_files()
    files.update(
        {
            "App/ui/settings.json": {"pages": {"order": ["2", "1"]}},  # old lower-case name
            "App/ui/layouts/1.json": page(),
            "App/ui/layouts/2.json": page(),
        }
    )
    app = load_app(write(tmp_path, files))
    assert app.convention == "single"
    [layout_set] = app.layout_sets
    assert list(layout_set.pages) == ["2", "1"]
    assert layout_set.data_type == "model"
    assert app.global_settings is None


def test_app_folder_itself_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, base_files())
    app = load_app(tmp_path / "App")
    assert app.root == tmp_path
    assert app.metadata is not None


@pytest.mark.parametrize("kind", ["missing", "file", "empty", "no-app"])
def test_not_an_app_raises(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x"
    if kind == "file":
        target.write_text("hi")
    elif kind == "empty":
        target.mkdir()
    elif kind == "no-app":
        write(target, {"config/x.json": {}})
    with pytest.raises(AppLoadError) as error:
        load_app(target)
    assert error.value.location is not None


def test_comments_and_trailing_commas_are_tolerated(tmp_path: Path) -> None:
    files = base_files()
    files["App/options/colours.json"] = (
        '// leading comment\n[\n  {"value": "r", "label": "a // not a comment"},\n]\n'
    )
    app = load_app(write(tmp_path, files))
    document = app.options["colours"]
    assert document.data == [{"value": "r", "label": "a // not a comment"}]
    [finding] = app.load_findings
    assert finding.code == "FILE004"
    assert (finding.location.line, finding.location.column) == (1, 1)
    # positions still match the file on disk after blanking the comment
    assert document.location("/0/label").line == 3


def test_invalid_json_is_a_finding_with_position(tmp_path: Path) -> None:
    files = base_files()
    files["App/config/applicationmetadata.json"] = '{\n  "id": "ttd/demo",\n  "org" "ttd"\n}'
    app = load_app(write(tmp_path, files))
    assert app.metadata is None
    assert app.data_types == []
    [finding] = app.load_findings
    assert finding.code == "FILE001"
    assert finding.location.file == "App/config/applicationmetadata.json"
    assert finding.location.line == 3


def test_non_utf8_and_empty_files(tmp_path: Path) -> None:
    write(tmp_path, base_files())
    (tmp_path / "App/options/bad.json").write_bytes(b'[{"value": "\xff"}]')
    (tmp_path / "App/options/empty.json").write_bytes(b"")
    app = load_app(tmp_path)
    assert set(app.options) == {"colours"}
    codes = sorted(f.code for f in app.load_findings)
    assert codes == ["FILE001", "FILE005"]


def test_symlink_outside_app_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"password": "x"}')
    root = write(tmp_path / "app", base_files())
    os.symlink(secret, root / "App/options/leak.json")
    os.symlink(tmp_path, root / "App/ui")
    app = load_app(root)
    assert "leak" not in app.options
    assert app.layout_sets == []
    outside = [f for f in app.load_findings if f.code == "FILE003"]
    assert {f.location.file for f in outside} >= {"App/options/leak.json"}


def test_broken_xml_is_a_finding(tmp_path: Path) -> None:
    files = base_files()
    files["App/config/process/process.bpmn"] = "<definitions><process>"
    app = load_app(write(tmp_path, files))
    assert app.process_tasks == {}
    [finding] = app.load_findings
    assert finding.code == "FILE002" and finding.location.line is not None


def test_loading_is_lazy(tmp_path: Path) -> None:
    files = base_files()
    files["App/options/colours.json"] = "{broken"
    app = load_app(write(tmp_path, files))
    assert app.load_findings == []  # nothing read yet
    app.load_everything()
    assert [f.code for f in app.load_findings] == ["FILE001"]


def test_reuse_parsed_keeps_unchanged_files(tmp_path: Path) -> None:
    files = base_files()
    files["App/options/broken.json"] = "{"
    root = write(tmp_path, files)
    first = load_app(root)
    first.load_everything()
    (root / "App/options/colours.json").write_text('[{"value": "g", "label": "Green"}]')
    second = load_app(root)
    second.reuse_parsed(first, {"App/options/colours.json"})
    assert second.json("App/config/applicationmetadata.json") is first.metadata
    assert second.options["colours"].data == [{"value": "g", "label": "Green"}]
    assert [f.code for f in second.load_findings] == ["FILE001"]  # broken.json carried over


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(value=json_values, indent=st.sampled_from([None, 0, 2]))
def test_fast_position_table_matches_sourcemap(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert fast_scan(text) == _scan(text)
    document = parse_lenient(text, "x.json").document
    assert isinstance(document, SourceDocument)
    assert document.position("") == (1, 1)


def test_parent_references_are_outside(tmp_path: Path) -> None:
    root = write(tmp_path / "app", base_files())
    (tmp_path / "secret.json").write_text("{}")
    app = load_app(root)
    app.load_everything()  # fills the folder cache
    assert app.is_inside(root / "App" / "options" / "colours.json")
    assert not app.is_inside(root / "..")
    assert not app.is_inside(root / "App" / ".." / ".." / "secret.json")
    assert app.json("App/../../secret.json") is None
    assert any(f.code == "FILE003" for f in app.load_findings)


def test_memo_builds_once(tmp_path: Path) -> None:
    app = load_app(write(tmp_path, base_files()))
    calls: list[int] = []
    assert app.memo("k", lambda: calls.append(1) or 42) == 42
    assert app.memo("k", lambda: calls.append(1) or 43) == 42
    assert calls == [1]
