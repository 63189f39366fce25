"""Connecting a process to the rest of an app: which data element a task's gateways read.

Altinn evaluates a gateway against its connectedDataTypeId, else the data type of the layout
set for the task just left, else the dataType whose taskId is that task (with app logic).
`engine_for_app` wires that into a ProcessEngine so the runtime need not repeat it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app_runtime.process.engine import ProcessEngine
from app_runtime.process.reader import ProcessDocument, ProcessReadError, read_process_file
from schemas.diagnostics import Location

if TYPE_CHECKING:
    from app_runtime.app import App


def default_data_types(app: App) -> dict[str, str]:
    """Task id -> the data type its gateways read when they name none."""
    found: dict[str, str] = {}
    for layout_set in app.layout_sets:
        if layout_set.data_type:
            for task in layout_set.tasks:
                found.setdefault(task, layout_set.data_type)
    metadata = app.metadata.data if app.metadata is not None else None
    types = metadata.get("dataTypes") if isinstance(metadata, dict) else None
    for entry in types if isinstance(types, list) else []:
        if not isinstance(entry, dict):
            continue
        task, identifier, logic = entry.get("taskId"), entry.get("id"), entry.get("appLogic")
        if isinstance(task, str) and isinstance(identifier, str) and isinstance(logic, dict):
            found.setdefault(task, identifier)
    return found


def load_app_process(app: App) -> ProcessDocument:
    """The app's process.bpmn; ProcessReadError (located) when it is missing or unreadable."""
    if app.process_path is None:
        raise ProcessReadError(
            "the app has no process",
            Location("App/config/process/process.bpmn"),
            "add App/config/process/process.bpmn (studio new creates one)",
        )
    return read_process_file(app.process_path, app.relpath(app.process_path))


def engine_for_app(app: App, **options: Any) -> ProcessEngine:
    """A ProcessEngine for the app's process with Altinn's data-type fallbacks filled in."""
    document = load_app_process(app)
    process = document.process
    if process is None:
        raise ProcessReadError("process.bpmn holds no <bpmn:process>", document.location(None))
    options.setdefault("default_data_types", default_data_types(app))
    return ProcessEngine(process, **options)
