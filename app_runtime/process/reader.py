"""Reading process.bpmn into the model, on the hardened XML parser.

The reader never fails on BPMN it cannot execute: parallel gateways, timers, sub-processes,
lanes, pools and the like are recorded as `Unsupported` with their line so checks can report
them. The original bytes and the lxml tree are kept on the `ProcessDocument`, which is what
lets the writer hand back an untouched file byte for byte and keep every unknown element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app_runtime.process.model import (
    ALTINN_NS,
    BPMN_NS,
    Action,
    Condition,
    FlowNode,
    NodeKind,
    ProcessDefinition,
    SequenceFlow,
    TaskExtension,
    Unsupported,
)
from schemas.diagnostics import LocatedError, Location
from schemas.xmlsafe import parse_xml_bytes


class ProcessReadError(LocatedError):
    """process.bpmn is not XML, or not a BPMN definitions document at all."""


_KINDS = {
    "startEvent": NodeKind.START,
    "task": NodeKind.TASK,
    "serviceTask": NodeKind.SERVICE_TASK,
    "endEvent": NodeKind.END,
    "exclusiveGateway": NodeKind.GATEWAY,
}

_DECORATION = {
    "laneSet": "lanes are not used by the Altinn engine",
    "textAnnotation": "annotations are drawn only",
    "association": "associations are drawn only",
    "group": "groups are drawn only",
    "dataObject": "data objects are not used by the Altinn engine",
    "dataObjectReference": "data objects are not used by the Altinn engine",
    "dataStoreReference": "data stores are not used by the Altinn engine",
    "ioSpecification": "io specifications are not used by the Altinn engine",
    "property": "process properties are not used by the Altinn engine",
    "category": "categories are drawn only",
}

_DEFINITION_LEVEL_OK = {
    "process",
    "extensionElements",
    "documentation",
    "import",
    "message",
    "itemDefinition",
    "error",
    "escalation",
    "signal",
    "resource",
    "interface",
    "category",
    "dataStore",
    "relationship",
    "eventDefinition",
    "timerEventDefinition",
    "messageEventDefinition",
    "signalEventDefinition",
    "errorEventDefinition",
}

_TASK_INNER_UNSUPPORTED = {
    "standardLoopCharacteristics": "looping tasks",
    "multiInstanceLoopCharacteristics": "multi-instance tasks",
    "ioSpecification": None,
    "dataInputAssociation": None,
    "dataOutputAssociation": None,
    "property": None,
    "potentialOwner": None,
    "performer": None,
    "humanPerformer": None,
}


@dataclass
class ProcessDocument:
    """A parsed process.bpmn: the raw bytes, the tree, and the model of each process."""

    name: str
    raw: bytes
    tree: etree._ElementTree
    definitions_id: str | None = None
    processes: list[ProcessDefinition] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    edited: bool = False

    @property
    def process(self) -> ProcessDefinition | None:
        """The process Altinn runs: the first with flow nodes (Altinn apps have just one)."""
        for candidate in self.processes:
            if candidate.nodes:
                return candidate
        return self.processes[0] if self.processes else None

    def all_unsupported(self) -> list[Unsupported]:
        found = list(self.unsupported)
        for process in self.processes:
            found.extend(process.unsupported)
        return found

    def location(self, line: int | None, pointer: str = "") -> Location:
        return Location(self.name, pointer, line, None)

    def reread(self) -> None:
        """Rebuild the model from the (edited) tree."""
        fresh = _read_tree(self.name, self.raw, self.tree)
        self.definitions_id = fresh.definitions_id
        self.processes = fresh.processes
        self.unsupported = fresh.unsupported


def read_process_file(path: Path, name: str | None = None) -> ProcessDocument:
    label = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProcessReadError(f"cannot read file: {exc.strerror}", Location(label)) from None
    return read_process_bytes(raw, label)


def read_process_bytes(raw: bytes, name: str = "process.bpmn") -> ProcessDocument:
    """Parse BPMN XML; raises ProcessReadError (or XmlSafetyError) with a line on bad input."""
    tree = parse_xml_bytes(raw, name)
    return _read_tree(name, raw, tree)


def read_process_tree(tree: etree._ElementTree, name: str = "process.bpmn") -> ProcessDocument:
    """Read a tree already parsed elsewhere (the app loader caches XML)."""
    raw = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return _read_tree(name, raw, tree)


__all__ = [
    "ProcessDocument",
    "ProcessReadError",
    "read_process_bytes",
    "read_process_file",
    "read_process_tree",
]


def local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _ns(element: Any) -> str:
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def _is_bpmn(element: Any, name: str | None = None) -> bool:
    return _ns(element) == BPMN_NS and (name is None or local(element) == name)


def _read_tree(name: str, raw: bytes, tree: etree._ElementTree) -> ProcessDocument:
    root = tree.getroot()
    if not _is_bpmn(root, "definitions"):
        raise ProcessReadError(
            f"root element is <{local(root) or root.tag}>, not a BPMN <definitions>",
            Location(name, "", root.sourceline, None),
            f'process.bpmn must start with <bpmn:definitions xmlns:bpmn="{BPMN_NS}">',
        )
    document = ProcessDocument(name, raw, tree, root.get("id"))
    for child in root:
        if not isinstance(child.tag, str):
            continue
        tag = local(child)
        if _is_bpmn(child, "process"):
            document.processes.append(_read_process(child))
        elif _is_bpmn(child) and tag == "collaboration":
            document.unsupported.append(
                Unsupported(
                    tag,
                    child.get("id"),
                    child.sourceline,
                    "pools and message flows (collaboration) are not executed by Altinn",
                    blocking=False,
                )
            )
        elif _is_bpmn(child) and tag not in _DEFINITION_LEVEL_OK:
            document.unsupported.append(
                Unsupported(tag, child.get("id"), child.sourceline, f"<{tag}> is not used", False)
            )
    main = document.process
    for extra in document.processes:
        if extra is not main and extra.nodes:
            document.unsupported.append(
                Unsupported(
                    "process",
                    extra.id,
                    extra.line,
                    "Altinn runs only one process per app; this one is ignored",
                    blocking=False,
                )
            )
    return document


def _read_process(element: etree._Element) -> ProcessDefinition:
    executable = element.get("isExecutable")
    process = ProcessDefinition(
        id=element.get("id") or "",
        name=element.get("name"),
        is_executable=None if executable is None else executable.strip().lower() == "true",
        line=element.sourceline,
    )
    seen: set[str] = set()
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = local(child)
        identifier = child.get("id")
        if identifier:
            if identifier in seen:
                process.duplicate_ids.append((identifier, child.sourceline))
            seen.add(identifier)
        if not _is_bpmn(child):
            continue
        if tag in _KINDS:
            node = _read_node(child, _KINDS[tag], process)
            process.nodes.setdefault(node.id, node)
        elif tag == "sequenceFlow":
            flow = _read_flow(child)
            process.flows.setdefault(flow.id, flow)
        elif tag in ("extensionElements", "documentation"):
            continue
        elif tag in _DECORATION:
            process.unsupported.append(
                Unsupported(tag, identifier, child.sourceline, _DECORATION[tag], blocking=False)
            )
        else:
            node = FlowNode(
                id=identifier or f"<{tag}>@{child.sourceline}",
                kind=NodeKind.UNSUPPORTED,
                tag=tag,
                name=child.get("name"),
                line=child.sourceline,
                incoming=_refs(child, "incoming"),
                outgoing=_refs(child, "outgoing"),
            )
            process.nodes.setdefault(node.id, node)
            process.unsupported.append(
                Unsupported(tag, identifier, child.sourceline, _unsupported_reason(tag, child))
            )
    process.index()
    return process


def _unsupported_reason(tag: str, element: etree._Element) -> str:
    if tag == "subProcess":
        return "sub-processes cannot be executed by the Altinn engine"
    if tag.endswith("Gateway"):
        return f"{tag} cannot be executed; Altinn supports only exclusive gateways"
    if tag.endswith("Event"):
        kinds = [local(c) for c in element if local(c).endswith("EventDefinition")]
        detail = f" ({', '.join(kinds)})" if kinds else ""
        return f"{tag}{detail} cannot be executed; Altinn supports start and end events only"
    if tag.endswith("Task") or tag == "callActivity":
        return f"{tag} cannot be executed; use <task> or <serviceTask> with an altinn:taskType"
    return f"<{tag}> cannot be executed by the Altinn engine"


def _refs(element: etree._Element, name: str) -> list[str]:
    return [
        (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str) and _is_bpmn(child, name) and (child.text or "").strip()
    ]


def _read_node(element: etree._Element, kind: NodeKind, process: ProcessDefinition) -> FlowNode:
    node = FlowNode(
        id=element.get("id") or f"<{local(element)}>@{element.sourceline}",
        kind=kind,
        tag=local(element),
        name=element.get("name"),
        line=element.sourceline,
        incoming=_refs(element, "incoming"),
        outgoing=_refs(element, "outgoing"),
    )
    if kind is NodeKind.GATEWAY:
        node.default_flow = element.get("default")
    legacy_type = next(
        (v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1].lower() == "tasktype"), None
    )
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = local(child)
        if _is_bpmn(child, "extensionElements"):
            _read_extensions(child, node)
        elif tag.endswith("EventDefinition") and _is_bpmn(child):
            process.unsupported.append(
                Unsupported(
                    tag,
                    node.id,
                    child.sourceline,
                    f"{node.tag} with {tag} cannot be executed; Altinn events have no definitions",
                    blocking=kind is NodeKind.START or tag != "terminateEventDefinition",
                )
            )
        elif _is_bpmn(child) and tag in _TASK_INNER_UNSUPPORTED:
            reason = _TASK_INNER_UNSUPPORTED[tag]
            if reason:
                process.unsupported.append(
                    Unsupported(tag, node.id, child.sourceline, f"{reason} are not supported")
                )
    if node.is_task and legacy_type and (node.extension is None or not node.extension.task_type):
        extension = node.extension or TaskExtension(line=element.sourceline)
        extension.task_type = legacy_type.strip() or None
        extension.task_type_line = element.sourceline
        extension.legacy = True
        node.extension = extension
    return node


def _read_extensions(extension_elements: etree._Element, node: FlowNode) -> None:
    for child in extension_elements:
        if not isinstance(child.tag, str) or _ns(child) != ALTINN_NS:
            continue
        tag = local(child)
        if tag == "taskExtension" and node.is_task:
            node.extension = _read_task_extension(child)
        elif tag == "gatewayExtension" and node.kind is NodeKind.GATEWAY:
            for item in child:
                if local(item) == "connectedDataTypeId" and _ns(item) == ALTINN_NS:
                    node.connected_data_type_id = (item.text or "").strip() or None
        else:
            node.ignored_extensions.append((tag, child.sourceline))


def _read_task_extension(element: etree._Element) -> TaskExtension:
    extension = TaskExtension(line=element.sourceline)
    for child in element:
        if not isinstance(child.tag, str) or _ns(child) != ALTINN_NS:
            continue
        tag = local(child)
        if tag == "taskType":
            extension.task_type = (child.text or "").strip() or None
            extension.task_type_line = child.sourceline
        elif tag == "actions":
            for item in child:
                if local(item) != "action" or _ns(item) != ALTINN_NS:
                    continue
                kind = item.get(f"{{{ALTINN_NS}}}type") or item.get("type") or "processAction"
                extension.actions.append(
                    Action((item.text or "").strip(), kind.strip(), item.sourceline)
                )
        else:
            extension.configs[tag] = _config_value(child)
    return extension


def _config_value(element: etree._Element) -> Any:
    """Config elements as plain data: leaves are text, repeated children become lists."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return (element.text or "").strip()
    result: dict[str, Any] = {}
    for child in children:
        value = _config_value(child)
        name = local(child)
        if name in result:
            existing = result[name]
            if isinstance(existing, list) and getattr(existing, "_repeated", False):
                existing.append(value)
            else:
                result[name] = _Repeated([existing, value])
        else:
            result[name] = value
    return {k: (list(v) if isinstance(v, _Repeated) else v) for k, v in result.items()}


class _Repeated(list):  # type: ignore[type-arg]
    _repeated = True


def _read_flow(element: etree._Element) -> SequenceFlow:
    flow = SequenceFlow(
        id=element.get("id") or f"<sequenceFlow>@{element.sourceline}",
        source=element.get("sourceRef"),
        target=element.get("targetRef"),
        name=element.get("name"),
        line=element.sourceline,
        flow_type=next(
            (v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1].lower() == "flowtype"),
            None,
        ),
    )
    for child in element:
        if _is_bpmn(child, "conditionExpression"):
            flow.condition = Condition.parse(child.text or "", child.sourceline)
    return flow
