"""Altinn's shared expression test suite (STUDIO_EXPRESSION_TESTS), run against both the
compiled and the interpreted evaluator.

Every case of functions/, context-lists/, invalid/ and backend-only/ is collected. A case is
skipped only when its file uses a key this server-side evaluator does not understand (decided
by feature, never by name); the summary test prints pass counts per folder.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import require_suite, suite_path

from layouts.expressions.cases import (
    case_expressions,
    failure_matches,
    normalize_contexts,
    run_case,
    same_value,
    state_from_case,
)
from layouts.expressions.errors import ExpressionError, LayoutTreeError

pytestmark = pytest.mark.conformance

SUPPORTED_KEYS = frozenset(
    {
        "$schema",
        "name",
        "expression",
        "expects",
        "expectsFailure",
        "testCases",
        "context",
        "layouts",
        "dataModel",
        "dataModels",
        "instance",
        "instanceDataElements",
        "process",
        "permissions",
        "frontendSettings",
        "textResources",
        "profileSettings",
        "positionalArguments",
        "valueArguments",
        "externalApis",
        "codeLists",
        "stateless",
        "gatewayAction",
        "expectedContexts",
        # informational only
        "comment",
        "source",
        "disabledFrontend",
    }
)


def _folder(relative: Path) -> str:
    parts = relative.parts
    if parts[0] == "backend-only":
        return "backend-only"
    return parts[0]


def _collect() -> list[Any]:
    root = suite_path("STUDIO_EXPRESSION_TESTS")
    if not root.is_dir():
        return []
    params = []
    for path in sorted(root.rglob("*.json")):
        relative = path.relative_to(root)
        case = json.loads(path.read_text(encoding="utf-8"))
        if "expectedContexts" in case:
            params.append(pytest.param(path, None, id=f"{relative}"))
            continue
        for index, (_name, _sub) in enumerate(case_expressions(case)):
            params.append(pytest.param(path, index, id=f"{relative}#{index}"))
    return params


def _unsupported(case: dict[str, Any]) -> list[str]:
    return sorted(set(case) - SUPPORTED_KEYS)


def check_case(path: Path, index: int | None) -> tuple[bool, str]:
    """Run one case with both evaluators; (passed, explanation)."""
    case = json.loads(path.read_text(encoding="utf-8"))
    if index is None:
        try:
            state = state_from_case(case)
            got = normalize_contexts([page.describe() for page in state.pages])
        except (ExpressionError, LayoutTreeError) as error:
            return False, f"error building contexts: {error}"
        expected = normalize_contexts(case["expectedContexts"])
        # Pages compare in any order (Altinn's frontend runner sorts them by name).
        got.sort(key=lambda page: str(page["component"]))
        expected.sort(key=lambda page: str(page["component"]))
        return got == expected, f"got {got}, expected {expected}"
    _name, sub = case_expressions(case)[index]
    for compiled in (True, False):
        outcome = run_case(case, sub["expression"], compiled=compiled)
        mode = "compiled" if compiled else "interpreted"
        if "expectsFailure" in sub:
            if outcome.error is None or not failure_matches(outcome.error, sub["expectsFailure"]):
                return False, f"{mode}: expected failure {sub['expectsFailure']!r}, got {outcome}"
        elif outcome.error is not None or not same_value(outcome.value, sub.get("expects")):
            return False, f"{mode}: expected {sub.get('expects')!r}, got {outcome}"
    return True, ""


@pytest.mark.parametrize(("path", "index"), _collect())
def test_case(path: Path, index: int | None) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    unsupported = _unsupported(case)
    if unsupported:
        pytest.skip(f"case uses keys this evaluator does not support: {unsupported}")
    passed, explanation = check_case(path, index)
    assert passed, explanation


def test_pass_counts_per_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs everything once more and reports passed/total per folder (shown with -s or -rA)."""
    root = require_suite("STUDIO_EXPRESSION_TESTS")
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    skipped: list[str] = []
    failed: list[str] = []
    for param in _collect():
        path, index = param.values
        relative = path.relative_to(root)
        folder = _folder(relative)
        case = json.loads(path.read_text(encoding="utf-8"))
        total[folder] += 1
        if _unsupported(case):
            skipped.append(f"{relative}: {_unsupported(case)}")
            continue
        ok, explanation = check_case(path, index)
        if ok:
            passed[folder] += 1
        else:
            failed.append(f"{relative}#{index}: {explanation}")
    lines = [f"{folder}: {passed[folder]}/{total[folder]}" for folder in sorted(total)]
    lines.append(f"total: {sum(passed.values())}/{sum(total.values())}")
    report = "\n".join(["expression conformance:", *lines, *skipped, *failed])
    with capsys.disabled():
        print("\n" + report)
    assert not failed, report
