"""Altinn BPMN processes: read, check, execute, edit and write process.bpmn.

- `reader.read_process_file/bytes` -> `ProcessDocument` (model + original bytes + lxml tree)
- `checks.check_document(document, references)` -> PROC findings
- `engine.ProcessEngine(definition, ...)` .start()/.next() -> `StepResult` (pure, no storage)
- `editing.ProcessEditor(document)` edits; `.to_bytes()` writes BPMN with BPMNDI
- `render.render_text/render_svg` for `studio process show`
"""

from app_runtime.process.engine import (
    EventKind,
    ProcessEngine,
    ProcessEvent,
    ProcessHooks,
    ProcessState,
    Refusal,
    RefusalCode,
    StepResult,
)
from app_runtime.process.model import FlowNode, NodeKind, ProcessDefinition, SequenceFlow
from app_runtime.process.reader import (
    ProcessDocument,
    ProcessReadError,
    read_process_bytes,
    read_process_file,
)

__all__ = [
    "EventKind",
    "FlowNode",
    "NodeKind",
    "ProcessDefinition",
    "ProcessDocument",
    "ProcessEngine",
    "ProcessEvent",
    "ProcessHooks",
    "ProcessReadError",
    "ProcessState",
    "Refusal",
    "RefusalCode",
    "SequenceFlow",
    "StepResult",
    "read_process_bytes",
    "read_process_file",
]
