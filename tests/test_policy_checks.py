"""AUTH checks in `studio validate` and the `studio policy` commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, suite_path

from app_runtime.app import load_app
from app_runtime.authorization.editing import read_policy, write_policy
from app_runtime.checks import registry
from app_runtime.checks.policy import check_policy
from studio.cli import cli

TEMPLATE = "altinn-studio__app-template-v8"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    source = suite_path("STUDIO_REAL_APPS") / TEMPLATE
    if not source.is_dir():
        pytest.skip("real apps are not present")
    target = tmp_path / "app"
    shutil.copytree(source, target)
    return target


def policy_path(app: Path) -> Path:
    return app / "App" / "config" / "authorization" / "policy.xml"


def codes(app: Path) -> list[str]:
    return sorted(f.code for f in check_policy(load_app(app)))


def test_template_app_is_clean(app_dir: Path) -> None:
    assert codes(app_dir) == []


def test_policy_checks_are_registered() -> None:
    # Importing the module registers the check (all_checks() would import every area).
    assert "app_runtime.checks.policy" in registry.AREA_MODULES
    registered = registry._CHECKS["app_runtime.checks.policy.check_policy"]
    assert registered.area == "policy"
    assert {rule.code for rule in registered.rules} == {f"AUTH00{i}" for i in range(1, 8)}


def test_unknown_action_unknown_task_and_missing_instantiate(app_dir: Path) -> None:
    doc = read_policy(policy_path(app_dir))
    for rule in doc.rules:
        rule.remove_action("instantiate")
    doc.rules[0].add_action("frobnicate")
    doc.rules[0].add_resource("[ORG]", "[APP]", task="Task_9")
    doc.rules[0].add_resource("[ORG]", "[APP]", end_event="EndEvent_9")
    write_policy(doc, policy_path(app_dir))
    findings = list(check_policy(load_app(app_dir)))
    by_code = {f.code: f for f in findings}
    assert set(by_code) == {"AUTH003", "AUTH004", "AUTH005", "AUTH006"}
    assert "frobnicate" in by_code["AUTH003"].message
    assert "Task_9" in by_code["AUTH004"].message and "Task_1" in by_code["AUTH004"].hint
    assert by_code["AUTH004"].location.file == "App/config/authorization/policy.xml"
    assert by_code["AUTH004"].location.line is not None


def test_task_type_and_data_type_actions_are_known(app_dir: Path) -> None:
    doc = read_policy(policy_path(app_dir))
    doc.rules[0].add_action("data")  # the task type of Task_1 doubles as an action name
    write_policy(doc, policy_path(app_dir))
    assert codes(app_dir) == []


def test_subject_that_matches_nobody_is_info(app_dir: Path) -> None:
    doc = read_policy(policy_path(app_dir))
    doc.rules[0].add_role("ZZZZ")
    doc.rules[0].add_access_package("no-such-package")
    write_policy(doc, policy_path(app_dir))
    findings = [f for f in check_policy(load_app(app_dir)) if f.code == "AUTH007"]
    assert len(findings) == 2 and all(f.severity.label == "info" for f in findings)


def test_invalid_and_missing_policy(app_dir: Path) -> None:
    text = policy_path(app_dir).read_text("utf-8-sig")
    policy_path(app_dir).write_text(
        text.replace("string-equal-ignore-case", "string-equal-sometimes", 1)
    )
    [finding] = check_policy(load_app(app_dir))
    assert finding.code == "AUTH002" and "unknown function" in finding.message
    assert finding.location.line is not None
    policy_path(app_dir).unlink()
    assert codes(app_dir) == ["AUTH001"]


def test_real_apps_and_examples_have_no_invalid_policy() -> None:
    roots = [p for p in sorted(suite_path("STUDIO_REAL_APPS").glob("*")) if (p / "App").is_dir()]
    roots += [p for p in sorted(EXAMPLES.glob("*")) if (p / "App").is_dir()]
    if not roots:
        pytest.skip("no apps present")
    for root in roots:
        assert "AUTH002" not in codes(root), root.name


# --------------------------------------------------------------------------- CLI
def test_policy_show_prints_the_rule_matrix(app_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["policy", "show", str(app_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["minimumAuthenticationLevel"] == 2
    first = data["rules"][0]
    assert first["subjects"] == ["role:priv", "role:dagl"]
    assert set(first["actions"]) == {"read", "write", "delete", "instantiate"}
    text = CliRunner().invoke(cli, ["policy", "show", str(app_dir)])
    assert text.exit_code == 0 and "instantiate" in text.output and "role:dagl" in text.output


def test_policy_check_prints_decision_and_rule(app_dir: Path) -> None:
    runner = CliRunner()
    allowed = runner.invoke(
        cli,
        [
            "policy",
            "check",
            str(app_dir),
            "--user",
            "ola",
            "--party",
            "310000001",
            "--action",
            "write",
            "--task",
            "Task_1",
        ],
    )
    assert allowed.exit_code == 0, allowed.output
    assert "Decision: Permit" in allowed.output and "ruleid:1" in allowed.output
    denied = runner.invoke(
        cli,
        [
            "policy",
            "check",
            str(app_dir),
            "--user",
            "kari",
            "--party",
            "51001",
            "--action",
            "write",
        ],
    )
    assert denied.exit_code == 1
    assert "Decision: NotApplicable" in denied.output and "not allowed" in denied.output
    unknown = runner.invoke(
        cli, ["policy", "check", str(app_dir), "--user", "nobody", "--action", "read"]
    )
    assert unknown.exit_code == 2 and "unknown user" in unknown.output


def test_policy_check_with_own_register(app_dir: Path, tmp_path: Path) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(
        "persons:\n  - id: 7\n    name: Test Person\norganisations:\n  - id: 8\n    name: Firma AS\n    orgnr: '999999999'\n"
        "users:\n  - id: 70\n    username: tess\n    person: 7\n    auth_level: 1\n    roles:\n      - party: 8\n        codes: [DAGL]\n"
    )
    result = CliRunner().invoke(
        cli,
        [
            "policy",
            "check",
            str(app_dir),
            "--user",
            "tess",
            "--party",
            "999999999",
            "--action",
            "read",
            "--register",
            str(register),
        ],
    )
    # DAGL may read, but the policy demands authentication level 2 and Tess has 1.
    assert result.exit_code == 1, result.output
    assert "Decision: Permit" in result.output and "required 2, user has 1" in result.output
