"""Every real Altinn app's process (STUDIO_REAL_APPS) reads, checks, runs and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import suite_path

from app_runtime.app import load_app
from app_runtime.checks.process import collect_references, process_checks
from app_runtime.process.checks import check_document
from app_runtime.process.engine import ProcessEngine, RefusalCode
from app_runtime.process.reader import read_process_file
from app_runtime.process.writer import document_bytes

STRUCTURAL = {"PROC001", "PROC002", "PROC003", "PROC004", "PROC010", "PROC013", "PROC040"}


def _apps() -> list[Path]:
    folder = suite_path("STUDIO_REAL_APPS")
    if not folder.is_dir():
        return []
    return sorted(
        p.parent.parent.parent.parent for p in folder.glob("*/App/config/process/process.bpmn")
    )


@pytest.mark.conformance
@pytest.mark.parametrize("app_dir", _apps(), ids=[p.name for p in _apps()])
def test_real_app_process(app_dir: Path) -> None:
    path = app_dir / "App" / "config" / "process" / "process.bpmn"
    document = read_process_file(path, "App/config/process/process.bpmn")
    assert document_bytes(document) == path.read_bytes()
    process = document.process
    assert process is not None and process.tasks
    for task in process.tasks:
        assert task.line is not None and task.task_type, task.id

    app = load_app(app_dir)
    findings = list(process_checks(app))
    assert findings == check_document(document, collect_references(app))
    structural = [f for f in findings if f.code in STRUCTURAL]
    assert not structural, [str(f.location) + " " + f.message for f in structural]

    # the engine starts every real process and reaches its first task
    result = ProcessEngine(process).start(None, "tester")
    assert result.ok, result.refusal
    assert result.state.current is not None
    assert result.state.current.element_id in process.task_ids()


@pytest.mark.conformance
def test_real_apps_walk_to_the_end_with_default_actions() -> None:
    """Drive each linear real process to its end: always the task type's own action."""
    walked = 0
    for app_dir in _apps():
        path = app_dir / "App" / "config" / "process" / "process.bpmn"
        process = read_process_file(path).process
        assert process is not None
        engine = ProcessEngine(process, service_task_runner=lambda node, state: True)
        result = engine.start(None, "tester", lambda _t: {})
        for _ in range(50):
            if not result.ok or result.state.is_ended:
                break
            result = engine.next(result.state, None, "tester", lambda _t: {})
        if result.ok and result.state.is_ended:
            walked += 1
        else:
            # only data-driven or custom gateways may stop a walk without data
            assert result.refusal is not None
            assert result.refusal.code in (
                RefusalCode.GATEWAY_NO_OUTCOME,
                RefusalCode.GATEWAY_MANY_OUTCOMES,
            ), result.refusal
    assert walked >= len(_apps()) // 2


@pytest.mark.conformance
def test_engine_for_app_knows_the_data_types_of_tasks() -> None:
    from app_runtime.process.appsupport import default_data_types, engine_for_app

    for app_dir in _apps():
        app = load_app(app_dir)
        engine = engine_for_app(app)
        mapping = default_data_types(app)
        assert engine.default_data_types == mapping
        known = (
            {t.get("id") for t in (app.metadata.data.get("dataTypes") or [])}
            if app.metadata
            else set()
        )
        assert set(mapping.values()) <= known | {ls.data_type for ls in app.layout_sets}
