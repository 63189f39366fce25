"""Layout checks (LAY): types, ids, children, page order."""

from __future__ import annotations

from pathlib import Path

from test_loader import base_files, page, write

from app_runtime.app import load_app
from app_runtime.validation.runner import load_checks, run_checks
from schemas.diagnostics import Finding


def area_findings(root: Path, area: str) -> list[Finding]:
    checks = [c for c in load_checks()[0] if c.area == area]
    return run_checks(load_app(root), checks)


def layout_app(tmp_path: Path, pages: dict[str, dict], order: list[str] | None = None) -> Path:
    files = base_files()
    files["App/ui/layout-sets.json"] = {
        "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
    }
    settings: dict = {"pages": {"order": order if order is not None else list(pages)}}
    files["App/ui/form/Settings.json"] = settings
    files["App/models/Other.schema.json"] = {"type": "object"}
    for name, content in pages.items():
        files[f"App/ui/form/layouts/{name}.json"] = content
    return write(tmp_path, files)


def codes(findings: list[Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def test_clean_layout_has_no_findings(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {"id": "group", "type": "Group", "children": ["name"]},
                {"id": "name", "type": "Input", "dataModelBindings": {"simpleBinding": "a"}},
            )
        },
    )
    assert area_findings(root, "layouts") == []


def test_unknown_type_with_hints(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {"id": "aa", "type": "Inptu"},
                {"id": "bb", "type": "radiobuttons"},
                {"id": "cc"},
                {"type": "Paragraph"},
            )
        },
    )
    found = {f.code: f for f in area_findings(root, "layouts")}
    assert set(found) == {"LAY001", "LAY002", "LAY003", "LAY004"}
    assert "Input" in found["LAY001"].hint
    assert '"RadioButtons"' in found["LAY002"].hint
    assert found["LAY001"].location.pointer == "/data/layout/0/type"
    assert found["LAY001"].location.line is not None


def test_duplicate_ids_across_pages_and_id_pattern(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page({"id": "same", "type": "Paragraph"}),
            "p2": page({"id": "same", "type": "Paragraph"}, {"id": "row-1", "type": "Paragraph"}),
        },
    )
    findings = area_findings(root, "layouts")
    assert codes(findings) == ["LAY005", "LAY006"]
    duplicate = next(f for f in findings if f.code == "LAY005")
    assert duplicate.location.file == "App/ui/form/layouts/p2.json"


def test_children_missing_twice_cycle_and_other_page(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {"id": "groupA", "type": "Group", "children": ["groupB", "ghost", "xx"]},
                {"id": "groupB", "type": "Group", "children": ["groupA", "xx"]},
                {"id": "xx", "type": "Paragraph"},
                {"id": "groupC", "type": "Group", "children": ["far"]},
            ),
            "p2": page({"id": "far", "type": "Paragraph"}),
        },
    )
    findings = area_findings(root, "layouts")
    assert codes(findings) == ["LAY007", "LAY008", "LAY009", "LAY010"]
    missing = next(f for f in findings if f.code == "LAY007")
    assert missing.location.pointer == "/data/layout/0/children/1"


def test_multipage_prefix(tmp_path: Path) -> None:
    root = layout_app(
        tmp_path,
        {
            "p1": page(
                {
                    "id": "rep",
                    "type": "RepeatingGroup",
                    "children": ["0:aa", "1:bb"],
                    "edit": {"multiPage": True},
                    "dataModelBindings": {"group": "a"},
                },
                {"id": "grp", "type": "Group", "children": ["0:cc"]},
                {"id": "aa", "type": "Paragraph"},
                {"id": "bb", "type": "Paragraph"},
                {"id": "cc", "type": "Paragraph"},
            )
        },
    )
    assert codes(area_findings(root, "layouts")) == ["LAY017"]


def test_page_order(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page(), "p2": page()}, order=["p1", "p1", "nope"])
    findings = area_findings(root, "layouts")
    assert codes(findings) == ["LAY011", "LAY012", "LAY013"]
    missing = next(f for f in findings if f.code == "LAY011")
    assert missing.location.file == "App/ui/form/Settings.json"
    assert missing.location.pointer == "/pages/order/2"


def test_pdf_layout_page_is_not_unlisted(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page(), "pdf": page()}, order=["p1"])
    settings = root / "App/ui/form/Settings.json"
    settings.write_text('{"pages": {"order": ["p1"], "pdfLayoutName": "pdf"}}')
    assert area_findings(root, "layouts") == []


def test_page_without_layout_list(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": {"data": {}}})
    assert codes(area_findings(root, "layouts")) == ["LAY015"]


def test_undeclared_layout_folder(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    (root / "App/ui/orphan/layouts").mkdir(parents=True)
    (root / "App/ui/orphan/layouts/x.json").write_text('{"data": {"layout": []}}')
    findings = area_findings(root, "layouts")
    assert [(f.code, f.location.file) for f in findings] == [("LAY020", "App/ui/orphan")]


def test_legacy_rule_configuration_targets(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page({"id": "shown", "type": "Paragraph"})})
    (root / "App/ui/form/RuleConfiguration.json").write_text(
        '{"data": {"ruleConnection": {}, "conditionalRendering": {"r/1": {'
        '"selectedFunction": "f", "selectedAction": "Hide",'
        ' "selectedFields": {"a": "shown", "b": "gone", "c": "row-{0}"}}}}}'
    )
    findings = area_findings(root, "layouts")
    assert [(f.code, f.location.pointer) for f in findings] == [
        ("LAY021", "/data/conditionalRendering/r~11/selectedFields/b")
    ]
    assert findings[0].location.line == 1
