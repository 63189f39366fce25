"""Text checks (TXT) and options checks (OPT) on small synthetic apps."""

from __future__ import annotations

from pathlib import Path

from test_checks_layouts import area_findings, codes, layout_app
from test_loader import page


def text_file(language: str, *entries: dict) -> dict:
    return {"language": language, "resources": list(entries)}


def test_key_missing_in_one_language_but_literal_is_fine(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {
                    "id": "para",
                    "type": "Paragraph",
                    "textResourceBindings": {"title": "both", "help": "only.nb"},
                },
                {"id": "lit", "type": "Paragraph", "textResourceBindings": {"title": "Hello!"}},
            )
        },
    )
    (root / "App/config/texts/resource.nb.json").write_text(
        '{"language": "nb", "resources": [{"id": "both", "value": "x"},'
        ' {"id": "only.nb", "value": "y"}, {"id": "appName", "value": "z"}]}'
    )
    (root / "App/config/texts/resource.en.json").write_text(
        '{"language": "en", "resources": [{"id": "both", "value": "x"}]}'
    )
    findings = area_findings(root, "texts")
    assert codes(findings) == ["TXT001"]
    [missing] = findings
    assert "en" in missing.message
    assert missing.location.pointer == "/data/layout/0/textResourceBindings/help"


def test_unused_duplicate_and_language_mismatch(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {"p1": page({"id": "para", "type": "Paragraph", "textResourceBindings": {"title": "a"}})},
    )
    (root / "App/config/texts/resource.nb.json").write_text(
        '{"language": "nb-NO", "resources": [{"id": "a", "value": "x"},'
        ' {"id": "a", "value": "y"}, {"id": "unused", "value": "z"},'
        ' {"id": "general.next", "value": "Neste"}]}'
    )
    findings = area_findings(root, "texts")
    assert codes(findings) == ["TXT002", "TXT005", "TXT006"]
    unused = next(f for f in findings if f.code == "TXT002")
    assert "'unused'" in unused.message


def test_variables(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/models/model.schema.json").write_text(
        '{"type": "object", "properties": {"people": {"type": "array", "items":'
        ' {"type": "object", "properties": {"name": {"type": "string"}}}}}}'
    )
    (root / "App/config/texts/resource.nb.json").write_text(
        """{"language": "nb", "resources": [
        {"id": "ok", "value": "{0}", "variables": [
            {"key": "people[{0}].name", "dataSource": "dataModel.model"},
            {"key": "people.name", "dataSource": "dataModel.default"},
            {"key": "instanceId", "dataSource": "instanceContext"}]},
        {"id": "bad", "value": "{0}", "variables": [
            {"key": "people.nope", "dataSource": "dataModel.model"},
            {"key": "x", "dataSource": "dataModel.ghost"},
            {"key": "x", "dataSource": "somewhere"}]}
        ]}"""
    )
    findings = [f for f in area_findings(root, "texts") if f.code != "TXT002"]
    assert codes(findings) == ["TXT003", "TXT004", "TXT004"]
    path_finding = next(f for f in findings if f.code == "TXT003")
    assert path_finding.location.pointer == "/resources/1/variables/0/key"


def test_options_missing_file_and_code(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {"id": "one", "type": "Dropdown", "optionsId": "colours"},
                {"id": "two", "type": "Dropdown", "optionsId": "countries"},
                {"id": "three", "type": "Dropdown", "optionsId": ""},
            )
        },
    )
    assert codes(area_findings(root, "options")) == ["OPT002", "OPT004"]
    provider = root / "App/logic/CountriesProvider.cs"
    provider.parent.mkdir(parents=True)
    provider.write_text('public class P : IAppOptionsProvider { public string Id => "countries"; }')
    assert codes(area_findings(root, "options")) == ["OPT004"]
    provider.write_text("public class P : IAppOptionsProvider { }")
    assert codes(area_findings(root, "options")) == ["OPT001", "OPT004"]


def test_duplicate_option_values(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {
                    "id": "radio",
                    "type": "RadioButtons",
                    "options": [{"value": 1, "label": "a"}, {"value": "1", "label": "b"}],
                }
            )
        },
    )
    (root / "App/options/colours.json").write_text(
        '[{"value": "r", "label": "Red"}, {"value": "r", "label": "Rose"}]'
    )
    findings = area_findings(root, "options")
    assert codes(findings) == ["OPT003", "OPT003"]
    assert {f.location.pointer for f in findings} == {"/1/value", "/data/layout/0/options/1/value"}


def test_texts_in_old_folder(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/texts").mkdir()
    (root / "App/texts/resource.nb.json").write_text('{"language": "nb", "resources": []}')
    findings = area_findings(root, "texts")
    assert [(f.code, f.location.file) for f in findings] == [
        ("TXT007", "App/texts/resource.nb.json")
    ]
