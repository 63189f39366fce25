"""The process definition as plain data: what the reader produces and the engine executes.

Everything keeps its source line so checks and refusals can point into process.bpmn. The
model is a read-only view; edits go through `editing.ProcessEditor`, which changes the XML tree
(never losing unknown content) and reads the model again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
ALTINN_NS = "http://altinn.no/process"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


class NodeKind(StrEnum):
    """The BPMN elements Altinn executes, plus a bucket for everything it cannot."""

    START = "startEvent"
    TASK = "task"
    SERVICE_TASK = "serviceTask"
    END = "endEvent"
    GATEWAY = "exclusiveGateway"
    UNSUPPORTED = "unsupported"


TASK_KINDS = frozenset({NodeKind.TASK, NodeKind.SERVICE_TASK})

USER_TASK_TYPES = ("data", "confirmation", "feedback", "signing", "payment")
"""Task types a person works on (Altinn's AltinnTaskTypes)."""

SERVICE_TASK_TYPES = ("pdf", "eFormidling", "fiksArkiv", "subformPdf")
"""Built-in service task types that run without a person."""

KNOWN_TASK_TYPES = USER_TASK_TYPES + SERVICE_TASK_TYPES

_NEXT_ACTIONS: dict[str, tuple[str, ...]] = {
    "data": ("write",),
    "feedback": ("write",),
    "pdf": ("write",),
    "eFormidling": ("write",),
    "fiksArkiv": ("write",),
    "subformPdf": ("write",),
    "payment": ("pay", "write"),
    "confirmation": ("confirm",),
    "signing": ("sign", "write"),
}

RESERVED_ACTIONS = frozenset({"read", "write", "confirm", "sign", "pay", "reject", "complete"})
"""Action names with a built-in meaning in Altinn's policy and process engine."""

ACTION_TYPES = ("processAction", "serverAction")


def implicit_actions(task_type: str | None, is_service_task: bool) -> tuple[str, ...]:
    """Actions allowed without being declared: a stuck service task may always be rejected."""
    if is_service_task or task_type in SERVICE_TASK_TYPES:
        return ("reject",)
    return ()


def actions_that_allow_next(task_type: str | None) -> tuple[str, ...]:
    """Actions that let a user move on from a task of this type (ProcessEngineAuthorizer rule).

    Custom task types are left with an action of their own name.
    """
    if not task_type:
        return ("write",)
    return _NEXT_ACTIONS.get(task_type, (task_type,))


@dataclass(frozen=True, slots=True)
class Action:
    """One `<altinn:action>`: processAction moves the process, serverAction runs app code."""

    name: str
    type: str = "processAction"
    line: int | None = None

    @property
    def moves_process(self) -> bool:
        return self.type == "processAction"


@dataclass(frozen=True, slots=True)
class SignatureConfig:
    data_types_to_sign: tuple[str, ...] = ()
    signature_data_type: str | None = None
    unique_from_signatures_in_data_types: tuple[str, ...] = ()
    signee_provider_id: str | None = None
    signee_states_data_type_id: str | None = None
    signing_pdf_data_type: str | None = None
    correspondence_resource: str | None = None
    run_default_validator: bool | None = None


@dataclass(frozen=True, slots=True)
class PaymentConfig:
    payment_data_type: str | None = None
    payment_receipt_pdf_data_type: str | None = None


@dataclass(frozen=True, slots=True)
class PdfConfig:
    filename_text_resource_key: str | None = None
    auto_pdf_task_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class TaskExtension:
    """`<altinn:taskExtension>`: the task type, its actions and per-type configuration.

    `configs` holds every child config element (signatureConfig, eFormidlingConfig, and ones
    this code does not know yet) as plain dicts, so nothing is dropped.
    """

    task_type: str | None = None
    actions: list[Action] = field(default_factory=list)
    configs: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    task_type_line: int | None = None
    legacy: bool = False
    """True when the type came from the old `altinn:tasktype` attribute (Altinn 2-era apps)."""

    @property
    def signature_config(self) -> SignatureConfig | None:
        raw = self.configs.get("signatureConfig")
        if not isinstance(raw, dict):
            return None
        validator = _text(raw.get("runDefaultValidator"))
        return SignatureConfig(
            data_types_to_sign=_strings(raw.get("dataTypesToSign")),
            signature_data_type=_text(raw.get("signatureDataType")),
            unique_from_signatures_in_data_types=_strings(
                raw.get("uniqueFromSignaturesInDataTypes")
            ),
            signee_provider_id=_text(raw.get("signeeProviderId")),
            signee_states_data_type_id=_text(raw.get("signeeStatesDataTypeId")),
            signing_pdf_data_type=_text(raw.get("signingPdfDataType")),
            correspondence_resource=_text(raw.get("correspondenceResource")),
            run_default_validator=None if validator is None else validator.lower() == "true",
        )

    @property
    def payment_config(self) -> PaymentConfig | None:
        raw = self.configs.get("paymentConfig")
        if not isinstance(raw, dict):
            return None
        return PaymentConfig(
            _text(raw.get("paymentDataType")), _text(raw.get("paymentReceiptPdfDataType"))
        )

    @property
    def pdf_config(self) -> PdfConfig | None:
        raw = self.configs.get("pdfConfig")
        if not isinstance(raw, dict):
            return None
        return PdfConfig(
            _text(raw.get("filenameTextResourceKey")), _strings(raw.get("autoPdfTaskIds"))
        )

    @property
    def eformidling_config(self) -> dict[str, Any] | None:
        raw = self.configs.get("eFormidlingConfig")
        return raw if isinstance(raw, dict) else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return _text(value[0]) if value else None
    if isinstance(value, dict):
        return None
    return str(value).strip() or None


def _strings(value: Any) -> tuple[str, ...]:
    """A wrapper like `<dataTypesToSign><dataType>a</dataType>...` read as a tuple of texts."""
    if value is None:
        return ()
    if isinstance(value, dict):
        items: list[Any] = []
        for child in value.values():
            items.extend(child if isinstance(child, list) else [child])
        return tuple(t for t in (_text(i) for i in items) if t)
    if isinstance(value, list):
        return tuple(t for t in (_text(i) for i in value) if t)
    single = _text(value)
    return (single,) if single else ()


@dataclass(slots=True)
class Condition:
    """A sequence flow's conditionExpression: Altinn writes a JSON expression in it."""

    text: str
    line: int | None = None
    expression: Any = None
    error: str | None = None

    @classmethod
    def parse(cls, text: str, line: int | None) -> Condition:
        stripped = text.strip()
        try:
            return cls(text, line, json.loads(stripped))
        except ValueError as exc:
            return cls(text, line, None, f"not valid JSON: {exc}")


@dataclass(slots=True)
class FlowNode:
    """A start event, task, service task, exclusive gateway, end event, or unsupported node."""

    id: str
    kind: NodeKind
    tag: str
    name: str | None = None
    line: int | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    extension: TaskExtension | None = None
    default_flow: str | None = None
    connected_data_type_id: str | None = None
    ignored_extensions: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def task_type(self) -> str | None:
        return self.extension.task_type if self.extension else None

    @property
    def actions(self) -> list[Action]:
        return self.extension.actions if self.extension else []

    @property
    def is_task(self) -> bool:
        return self.kind in TASK_KINDS

    def label(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


@dataclass(slots=True)
class SequenceFlow:
    id: str
    source: str | None
    target: str | None
    name: str | None = None
    line: int | None = None
    condition: Condition | None = None
    flow_type: str | None = None


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A BPMN element the engine cannot execute; kept in the file, reported with its line."""

    tag: str
    id: str | None
    line: int | None
    reason: str
    blocking: bool = True
    """True when it sits in the flow (the engine would get stuck); False for decoration."""


@dataclass(slots=True)
class ProcessDefinition:
    """One `<process>` with its nodes and flows in document order."""

    id: str
    name: str | None = None
    is_executable: bool | None = None
    line: int | None = None
    nodes: dict[str, FlowNode] = field(default_factory=dict)
    flows: dict[str, SequenceFlow] = field(default_factory=dict)
    unsupported: list[Unsupported] = field(default_factory=list)
    duplicate_ids: list[tuple[str, int | None]] = field(default_factory=list)
    _out: dict[str, list[SequenceFlow]] = field(default_factory=dict, repr=False)
    _in: dict[str, list[SequenceFlow]] = field(default_factory=dict, repr=False)

    def index(self) -> None:
        """Build the source/target maps the engine and checks walk."""
        self._out = {}
        self._in = {}
        for flow in self.flows.values():
            if flow.source is not None:
                self._out.setdefault(flow.source, []).append(flow)
            if flow.target is not None:
                self._in.setdefault(flow.target, []).append(flow)

    def outgoing(self, node_id: str) -> list[SequenceFlow]:
        return self._out.get(node_id, [])

    def incoming(self, node_id: str) -> list[SequenceFlow]:
        return self._in.get(node_id, [])

    def nodes_of(self, *kinds: NodeKind) -> list[FlowNode]:
        return [n for n in self.nodes.values() if n.kind in kinds]

    @property
    def start_events(self) -> list[FlowNode]:
        return self.nodes_of(NodeKind.START)

    @property
    def tasks(self) -> list[FlowNode]:
        return self.nodes_of(NodeKind.TASK, NodeKind.SERVICE_TASK)

    @property
    def end_events(self) -> list[FlowNode]:
        return self.nodes_of(NodeKind.END)

    def task_ids(self) -> set[str]:
        return {n.id for n in self.tasks}
