"""The EXPR checks of `studio validate` and the `studio expr` command, on a small app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import suite_path

from app_runtime.app import load_app
from app_runtime.checks.expressions import check_expressions
from studio.commands.expr import command as expr_command

SOURCE_APP = "altinn-studio__app-without-layoutsets"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    source = suite_path("STUDIO_REAL_APPS") / SOURCE_APP
    if not source.is_dir():
        pytest.skip(f"{source} is not available")
    target = tmp_path / "app"
    shutil.copytree(source, target)
    layout = {
        "data": {
            "hidden": ["equals", ["dataModel", "Innflytter.Fornavn"], "skjul"],
            "layout": [
                {
                    "id": "first-name",
                    "type": "Input",
                    "dataModelBindings": {"simpleBinding": "Innflytter.Fornavn"},
                    "readOnly": ["concat", "x"],
                    "required": ["greaterThan", ["dataModel", "Innflytter.Fornavnn"], "abc"],
                    "textResourceBindings": {
                        "title": ["concat", "Hei ", ["dataModel", "Innflytter.Fornavn"]],
                        "description": ["concat", ["component", "no-such-component"]],
                    },
                },
                {
                    "id": "group",
                    "type": "RepeatingGroup",
                    "dataModelBindings": {"group": "rows"},
                    "children": ["cell"],
                    "hiddenRow": ["nope", 1],
                },
                {"id": "cell", "type": "Input", "dataModelBindings": {"simpleBinding": "rows.v"}},
            ],
        }
    }
    page = target / "App" / "ui" / "layouts" / "layoutFile2.json"
    page.write_text(json.dumps(layout, indent=2), encoding="utf-8")
    return target


def test_expression_findings_have_codes_pointers_and_lines(app_dir: Path) -> None:
    findings = list(check_expressions(load_app(app_dir)))
    by_pointer = {finding.location.pointer: finding for finding in findings}
    assert "/data/hidden" not in by_pointer
    assert by_pointer["/data/layout/0/readOnly"].code == "EXPR003"
    assert by_pointer["/data/layout/0/textResourceBindings/description/1/1"].code == "EXPR004"
    assert by_pointer["/data/layout/0/required/1/1"].code == "EXPR005"
    assert by_pointer["/data/layout/0/required/2"].code == "EXPR002"
    assert by_pointer["/data/layout/1/hiddenRow/0"].code == "EXPR001"
    assert all(f.location.file.endswith("layoutFile2.json") for f in findings)
    assert all(f.location.line for f in findings)
    assert "/data/layout/0/textResourceBindings/title" not in by_pointer


def test_expr_command_prints_value_and_type(app_dir: Path, tmp_path: Path) -> None:
    page = app_dir / "App" / "ui" / "layouts" / "layoutFile2.json"
    layout = json.loads(page.read_text(encoding="utf-8"))
    layout["data"]["layout"][1]["hiddenRow"] = ["equals", ["dataModel", "rows.v"], 99]
    page.write_text(json.dumps(layout), encoding="utf-8")
    data = tmp_path / "data.json"
    data.write_text(
        json.dumps({"Innflytter": {"Fornavn": "Kari"}, "rows": [{"v": 1}, {"v": 2}]}),
        encoding="utf-8",
    )
    runner = CliRunner()
    common = ["--app", str(app_dir), "--data", str(data)]
    result = runner.invoke(expr_command, ['["component", "first-name"]', *common])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == '"Kari"  (string)'
    result = runner.invoke(
        expr_command,
        ['["plus", ["component", "cell"], 1]', *common, "--component", "cell", "--row", "1"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3  (number)"


def test_errors_inside_hidden_expressions_name_their_origin(app_dir: Path) -> None:
    page = app_dir / "App" / "ui" / "layouts" / "layoutFile2.json"
    layout = json.loads(page.read_text(encoding="utf-8"))
    layout["data"]["layout"][0]["hidden"] = ["not", "maybe"]
    page.write_text(json.dumps(layout), encoding="utf-8")
    result = CliRunner().invoke(
        expr_command, ['["concat", ["component", "first-name"]]', "--app", str(app_dir)]
    )
    assert result.exit_code == 1
    assert 'error at /1: Expected boolean, got value "maybe"' in result.output
    assert "hidden of first-name" in result.output


def test_expr_command_exit_codes(app_dir: Path) -> None:
    runner = CliRunner()
    failed = runner.invoke(expr_command, ['["plus", 1, "x"]'])
    assert failed.exit_code == 1
    assert 'error at /2: Expected number, got value "x"' in failed.output
    assert runner.invoke(expr_command, ['["plus", 1']).exit_code == 2
    missing = runner.invoke(
        expr_command, ['["language"]', "--app", str(app_dir), "--component", "ghost"]
    )
    assert missing.exit_code == 2
    assert runner.invoke(expr_command, ['["language"]', "--lang", "en"]).output.strip() == (
        '"en"  (string)'
    )


def test_expr_command_replays_a_shared_test_case(tmp_path: Path) -> None:
    case = {
        "name": "row lookup",
        "layouts": {
            "P": {
                "data": {
                    "layout": [
                        {
                            "id": "g",
                            "type": "RepeatingGroup",
                            "dataModelBindings": {"group": "r"},
                            "children": ["v"],
                        },
                        {"id": "v", "type": "Input", "dataModelBindings": {"simpleBinding": "r.v"}},
                    ]
                }
            }
        },
        "dataModel": {"r": [{"v": "a"}, {"v": "b"}]},
        "context": {"component": "v", "currentLayout": "P", "rowIndices": [1]},
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    result = CliRunner().invoke(expr_command, ['["component", "v"]', "--case", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == '"b"  (string)'


@pytest.mark.conformance
def test_subform_table_cells_read_the_subform_data_type() -> None:
    """A Subform's tableColumns[].cellContent.value is evaluated per entry, against the data
    type of the layout set the Subform shows (paths there are not the main model's)."""
    from conftest import require_suite

    root = require_suite("STUDIO_REAL_APPS") / "altinn-studio__navigation-test-subform"
    if not root.is_dir():
        pytest.skip("navigation-test-subform is not in this copy of the real apps")
    cells = [
        f
        for f in check_expressions(load_app(root))
        if "/tableColumns/" in f.location.pointer and "/cellContent/" in f.location.pointer
    ]
    assert cells == []
