"""`studio validate`: exit codes, filters and every output format."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from test_checks_layouts import layout_app
from test_loader import page

from app_runtime.validation import FindingFilter
from schemas.diagnostics import Finding, Location, Severity
from studio.commands.validate import command

# Only this module's areas, so the tests do not depend on other teams' checks.
MINE = ["--select", "FILE,LAY,TXT,OPT,META,APP,CHK"]


def broken_app(tmp_path: Path) -> Path:
    """An app with one error (unknown type), one warning (unlisted page), one info."""
    root = layout_app(
        tmp_path,
        {
            "p1": page({"id": "field", "type": "Inptu"}),
            "p2": page(),
        },
        order=["p1"],
    )
    (root / "App/options/colours.json").write_text('[{"value": "r", "label": "R"},]')
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(command, [*args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_clean_app_exits_zero(tmp_path: Path) -> None:
    root = layout_app(tmp_path, {"p1": page()})
    code, output = run(str(root), *MINE)
    assert code == 0, output
    assert output.strip().splitlines()[-1].startswith("✓ 0 errors, 0 warnings, 0 info in 1 app")


def test_findings_exit_one_and_text_format(tmp_path: Path) -> None:
    root = broken_app(tmp_path)
    code, output = run(str(root), *MINE)
    assert code == 1
    assert f"{root}/App/ui/form/layouts/p1.json:" in output
    assert "error LAY001" in output and "did you mean 'Input'?" in output
    assert "1 error, 1 warning, 1 info in 1 app" in output


def test_unusable_input_exits_two(tmp_path: Path) -> None:
    root = broken_app(tmp_path / "good")
    code, output = run(str(root), str(tmp_path / "missing"), *MINE)
    assert code == 2
    assert "APP001" in output and "does not exist" in output


@pytest.mark.parametrize(
    ("args", "expected_codes", "exit_code"),
    [
        (["--select", "LAY"], {"LAY001", "LAY012"}, 1),
        (["--select", "LAY001"], {"LAY001"}, 1),
        (["--select", "FILE,LAY", "--ignore", "LAY001"], {"FILE004", "LAY012"}, 1),
        (["--select", "FILE"], {"FILE004"}, 0),  # info never fails
        (["--select", "LAY", "--min-severity", "error"], {"LAY001"}, 1),
        (["--select", "LAY012", "--min-severity", "error"], set(), 0),
    ],
)
def test_filters(tmp_path: Path, args: list[str], expected_codes: set[str], exit_code: int) -> None:
    root = broken_app(tmp_path)
    code, output = run(str(root), "--format", "json", *args)
    payload = json.loads(output)
    assert {f["code"] for f in payload["apps"][0]["findings"]} == expected_codes
    assert code == exit_code


def test_json_format(tmp_path: Path) -> None:
    root = broken_app(tmp_path)
    _, output = run(str(root), "--format", "json", *MINE)
    payload = json.loads(output)
    finding = next(f for f in payload["apps"][0]["findings"] if f["code"] == "LAY001")
    assert finding["file"] == "App/ui/form/layouts/p1.json"
    assert finding["pointer"] == "/data/layout/0/type"
    assert finding["line"] and finding["column"]
    assert payload["summary"] == {"error": 1, "warning": 1, "info": 1, "apps": 1}


def test_junit_format(tmp_path: Path) -> None:
    root = broken_app(tmp_path)
    _, output = run(str(root), "--format", "junit", *MINE)
    tree = ElementTree.fromstring(output)
    suite = tree.find("testsuite")
    assert suite is not None and suite.get("failures") == "3"
    failures = tree.findall(".//failure")
    assert {f.get("type") for f in failures} == {"error", "warning", "info"}


def test_sarif_format(tmp_path: Path) -> None:
    root = broken_app(tmp_path)
    _, output = run(str(root), "--format", "sarif", *MINE)
    sarif = json.loads(output)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    rule_ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
    assert "LAY001" in rule_ids and "FILE001" in rule_ids
    result = next(r for r in run0["results"] if r["ruleId"] == "LAY001")
    assert rule_ids[result["ruleIndex"]] == "LAY001"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("App/ui/form/layouts/p1.json")
    assert location["region"]["startLine"] >= 1


def test_github_format(tmp_path: Path) -> None:
    root = broken_app(tmp_path)
    _, output = run(str(root), "--format", "github", *MINE)
    lines = output.splitlines()
    error = next(line for line in lines if line.startswith("::error "))
    assert f"file={root}/App/ui/form/layouts/p1.json,line=" in error
    assert ",col=" in error and "title=LAY001::" in error
    assert any(line.startswith("::warning ") for line in lines)
    assert any(line.startswith("::notice ") for line in lines)


def test_output_file(tmp_path: Path) -> None:
    root = broken_app(tmp_path / "app")
    target = tmp_path / "report.json"
    code, output = run(str(root), "--format", "json", "-o", str(target), *MINE)
    assert code == 1
    assert json.loads(target.read_text())["summary"]["error"] == 1
    assert "1 error" in output  # the summary still goes to the terminal


def test_filter_parses_prefixes() -> None:
    flt = FindingFilter.build(["lay", "TXT001,OPT"], ["LAY012"], "warning")

    def finding(code: str, severity: Severity) -> Finding:
        return Finding(code, severity, "m", Location("f"))

    assert flt.accepts(finding("LAY001", Severity.ERROR))
    assert not flt.accepts(finding("LAY012", Severity.ERROR))
    assert not flt.accepts(finding("TXT002", Severity.WARNING))
    assert not flt.accepts(finding("OPT002", Severity.INFO))
    with pytest.raises(ValueError):
        FindingFilter.build(min_severity="fatal")


def test_crashing_check_becomes_a_finding(tmp_path: Path) -> None:
    from app_runtime.app import load_app
    from app_runtime.checks.registry import Check
    from app_runtime.validation.runner import run_checks

    def explode(app: object) -> list[Finding]:
        raise KeyError("boom")

    def odd(app: object) -> list[object]:
        return [None]

    root = layout_app(tmp_path, {"p1": page()})
    checks = [Check("t.explode", "test", (), explode), Check("t.odd", "test", (), odd)]
    findings = run_checks(load_app(root), checks)
    assert [f.code for f in findings] == ["CHK001", "CHK001"]
    assert "KeyError" in findings[0].message or "KeyError" in findings[1].message


def test_list_rules_and_unmatched_select(tmp_path: Path) -> None:
    code, output = run("--list-rules")
    assert code == 0
    lines = output.splitlines()
    assert any(line.startswith("LAY001 ") and "error" in line for line in lines)
    assert any(line.startswith("FILE004 ") and "info" in line for line in lines)
    root = layout_app(tmp_path, {"p1": page()})
    result = CliRunner().invoke(command, [str(root), "--select", "NOPE"])
    assert result.exit_code == 0
    assert "--select NOPE matches no rule code" in result.output
    assert CliRunner().invoke(command, []).exit_code == 2  # usage error: no app given


def test_paths_when_the_app_folder_itself_is_given(tmp_path: Path) -> None:
    root = broken_app(tmp_path / "repo")
    _, output = run(str(root / "App"), "--format", "json", "--select", "LAY001")
    [finding] = json.loads(output)["apps"][0]["findings"]
    assert finding["path"] == f"{root}/App/ui/form/layouts/p1.json"
