"""Changing a process: the operations the designer's process editor offers.

Edits are made on the lxml tree the file was read into, so every element and attribute the
editor does not understand (other tools' extensions, documentation, diagram styling) stays
exactly where it was. After each edit the model is read again from the tree, and new
elements get diagram shapes from the automatic layout when the document is written.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from app_runtime.process import diagram
from app_runtime.process.model import (
    ALTINN_NS,
    BPMN_NS,
    SERVICE_TASK_TYPES,
    NodeKind,
    ProcessDefinition,
)
from app_runtime.process.reader import ProcessDocument, read_process_bytes
from app_runtime.process.writer import document_bytes
from schemas.diagnostics import LocatedError, Location

EMPTY_PROCESS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:altinn="http://altinn.no/process" xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Altinn_SingleDataTask_Process_Definition" \
targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="SingleDataTask" isExecutable="false">
  </bpmn:process>
</bpmn:definitions>
"""

_PREFIX = {
    NodeKind.TASK: "Task",
    NodeKind.SERVICE_TASK: "Task",
    NodeKind.GATEWAY: "Gateway",
    NodeKind.START: "StartEvent",
    NodeKind.END: "EndEvent",
}


class ProcessEditError(LocatedError):
    """An edit that cannot be made (unknown id, id taken, flow to nowhere...)."""


class ProcessEditor:
    """Edits one ProcessDocument in place; `to_bytes()` gives the file to save."""

    def __init__(self, document: ProcessDocument) -> None:
        self.document = document
        process = document.process
        if process is None:
            raise ProcessEditError(
                "the file has no <bpmn:process> to edit", Location(document.name)
            )
        self._process_id = process.id

    @classmethod
    def new(cls, name: str = "process.bpmn") -> ProcessEditor:
        """An editor on a fresh, empty Altinn process."""
        return cls(read_process_bytes(EMPTY_PROCESS, name))

    # --- queries --------------------------------------------------------------------------

    @property
    def process(self) -> ProcessDefinition:
        process = next(p for p in self.document.processes if p.id == self._process_id)
        return process

    def _element(self, element_id: str) -> etree._Element:
        for element in self._process_element().iter():
            if element.get("id") == element_id and isinstance(element.tag, str):
                return element
        raise ProcessEditError(f"no element with id {element_id!r}", Location(self.document.name))

    def _process_element(self) -> etree._Element:
        for element in self.document.tree.getroot():
            if element.tag == f"{{{BPMN_NS}}}process" and element.get("id") == self._process_id:
                return element
        raise ProcessEditError("the process element disappeared", Location(self.document.name))

    def _all_ids(self) -> set[str]:
        return {e.get("id") for e in self.document.tree.getroot().iter() if e.get("id")}  # type: ignore[misc]

    def _fresh_id(self, prefix: str) -> str:
        taken = self._all_ids()
        number = 1
        while f"{prefix}_{number}" in taken:
            number += 1
        return f"{prefix}_{number}"

    def _claim(self, wanted: str | None, prefix: str) -> str:
        if wanted is None:
            return self._fresh_id(prefix)
        if not wanted or any(c.isspace() for c in wanted) or wanted[0].isdigit():
            raise ProcessEditError(
                f"{wanted!r} is not a valid id (use letters, digits, _ and -, not starting with a digit)",
                Location(self.document.name),
            )
        if wanted in self._all_ids():
            raise ProcessEditError(f"id {wanted!r} is already used", Location(self.document.name))
        return wanted

    # --- edits ----------------------------------------------------------------------------

    def add_task(
        self, task_type: str, name: str | None = None, element_id: str | None = None
    ) -> str:
        """Add a task (a serviceTask for service types) with its altinn:taskExtension."""
        identifier = self._claim(element_id, "Task")
        tag = "serviceTask" if task_type in SERVICE_TASK_TYPES else "task"
        element = etree.Element(f"{{{BPMN_NS}}}{tag}")
        element.set("id", identifier)
        if name:
            element.set("name", name)
        extensions = etree.SubElement(element, f"{{{BPMN_NS}}}extensionElements")
        extension = etree.SubElement(
            extensions, f"{{{ALTINN_NS}}}taskExtension", nsmap={"altinn": ALTINN_NS}
        )
        etree.SubElement(extension, f"{{{ALTINN_NS}}}taskType").text = task_type
        for action in _default_actions(task_type):
            self._actions_element(extension, create=True).append(_action(action))
        self._insert_node(element)
        return self._done(identifier)

    def add_gateway(self, name: str | None = None, element_id: str | None = None) -> str:
        identifier = self._claim(element_id, "Gateway")
        element = etree.Element(f"{{{BPMN_NS}}}exclusiveGateway")
        element.set("id", identifier)
        if name:
            element.set("name", name)
        self._insert_node(element)
        return self._done(identifier)

    def add_event(self, kind: NodeKind, element_id: str | None = None) -> str:
        if kind not in (NodeKind.START, NodeKind.END):
            raise ProcessEditError(
                "events are startEvent or endEvent", Location(self.document.name)
            )
        identifier = self._claim(element_id, _PREFIX[kind])
        element = etree.Element(f"{{{BPMN_NS}}}{kind.value}")
        element.set("id", identifier)
        self._insert_node(element)
        return self._done(identifier)

    def add_flow(
        self,
        source: str,
        target: str,
        condition: Any = None,
        element_id: str | None = None,
        name: str | None = None,
    ) -> str:
        """Connect two elements; keeps their <incoming>/<outgoing> lists in step."""
        for ref in (source, target):
            if ref not in self.process.nodes:
                raise ProcessEditError(
                    f"cannot connect {ref!r}: no such element", Location(self.document.name)
                )
        identifier = self._claim(element_id, "Flow")
        element = etree.Element(f"{{{BPMN_NS}}}sequenceFlow")
        element.set("id", identifier)
        if name:
            element.set("name", name)
        element.set("sourceRef", source)
        element.set("targetRef", target)
        diagram.append_indented(self._process_element(), element)
        self._link(source, "outgoing", identifier)
        self._link(target, "incoming", identifier)
        if condition is not None:
            self._write_condition(element, condition)
        return self._done(identifier)

    def set_condition(self, flow_id: str, condition: Any) -> None:
        """Set (or with None, remove) a flow's condition; takes an expression or JSON text."""
        element = self._flow_element(flow_id)
        for old in element.findall(f"{{{BPMN_NS}}}conditionExpression"):
            _remove(old)
        if condition is not None:
            self._write_condition(element, condition)
        self._done(flow_id)

    def set_default(self, gateway_id: str, flow_id: str | None) -> None:
        element = self._element(gateway_id)
        if element.tag != f"{{{BPMN_NS}}}exclusiveGateway":
            raise ProcessEditError(
                f"{gateway_id!r} is not an exclusive gateway", Location(self.document.name)
            )
        if flow_id is None:
            element.attrib.pop("default", None)
        else:
            flow = self.process.flows.get(flow_id)
            if flow is None or flow.source != gateway_id:
                raise ProcessEditError(
                    f"{flow_id!r} is not a flow leaving {gateway_id!r}",
                    Location(self.document.name),
                )
            element.set("default", flow_id)
        self._done(gateway_id)

    def rename(self, element_id: str, name: str | None) -> None:
        """Change the display name (the id stays: layout sets and policies refer to it)."""
        element = self._element(element_id)
        if name:
            element.set("name", name)
        else:
            element.attrib.pop("name", None)
        self._done(element_id)

    def change_id(self, old: str, new: str) -> None:
        """Give an element a new id and update every reference to it in this file: flow ends,
        <incoming>/<outgoing>, gateway defaults, pdf auto-task lists and the diagram.

        Layout sets, data types and the policy name tasks too; the PROC06x checks point at
        any that still use the old id.
        """
        element = self._element(old)
        self._claim(new, "")
        element.set("id", new)
        root = self.document.tree.getroot()
        for item in root.iter():
            tag = item.tag
            if not isinstance(tag, str):
                continue
            for attribute in ("sourceRef", "targetRef", "default", "bpmnElement"):
                if item.get(attribute) == old:
                    item.set(attribute, new)
            if (
                tag
                in (
                    f"{{{BPMN_NS}}}incoming",
                    f"{{{BPMN_NS}}}outgoing",
                    f"{{{ALTINN_NS}}}taskId",
                )
                and (item.text or "").strip() == old
            ):
                item.text = new
        self._done(new)

    def set_task_type(self, task_id: str, task_type: str) -> None:
        element = self._element(task_id)
        extension = self._task_extension(element)
        found = extension.find(f"{{{ALTINN_NS}}}taskType")
        if found is None:
            found = etree.Element(f"{{{ALTINN_NS}}}taskType")
            diagram.append_indented(extension, found, 0)
        found.text = task_type
        self._done(task_id)

    def set_actions(self, task_id: str, actions: list[str | tuple[str, str]]) -> None:
        """Replace the task's actions; a tuple is (name, "processAction"|"serverAction")."""
        element = self._element(task_id)
        extension = self._task_extension(element)
        existing = extension.find(f"{{{ALTINN_NS}}}actions")
        if existing is not None:
            _remove(existing)
        if actions:
            holder = self._actions_element(extension, create=True)
            for item in actions:
                name, kind = (item, None) if isinstance(item, str) else item
                diagram.append_indented(holder, _action(name, kind))
        self._done(task_id)

    def delete(self, element_id: str) -> None:
        """Delete an element with every flow touching it (or one flow), and their drawings."""
        process = self.process
        if element_id in process.flows:
            doomed = {element_id}
        elif element_id in process.nodes:
            doomed = {element_id}
            doomed.update(f.id for f in process.outgoing(element_id))
            doomed.update(f.id for f in process.incoming(element_id))
        else:
            raise ProcessEditError(
                f"no element with id {element_id!r}", Location(self.document.name)
            )
        for identifier in doomed:
            _remove(self._element(identifier))
        for element in self._process_element().iter():
            tag = element.tag
            if tag in (f"{{{BPMN_NS}}}incoming", f"{{{BPMN_NS}}}outgoing") and (
                (element.text or "").strip() in doomed
            ):
                _remove(element)
            elif tag == f"{{{BPMN_NS}}}exclusiveGateway" and element.get("default") in doomed:
                element.attrib.pop("default", None)
        diagram.remove_for(self.document.tree, doomed)
        self._done(None)

    # --- output ---------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The file to save: untouched bytes if nothing changed, else BPMN with diagram."""
        if self.document.edited and diagram.add_missing(self.document.tree, self.process):
            self.document.reread()
        return document_bytes(self.document)

    # --- helpers --------------------------------------------------------------------------

    def _done(self, identifier: str | None) -> str:
        self.document.edited = True
        self.document.reread()
        return identifier or ""

    def _insert_node(self, element: etree._Element) -> None:
        process = self._process_element()
        children = [c for c in process if isinstance(c.tag, str)]
        flows = [i for i, c in enumerate(process) if c.tag == f"{{{BPMN_NS}}}sequenceFlow"]
        index = flows[0] if flows and len(children) else None
        diagram.append_indented(process, element, index)

    def _flow_element(self, flow_id: str) -> etree._Element:
        element = self._element(flow_id)
        if element.tag != f"{{{BPMN_NS}}}sequenceFlow":
            raise ProcessEditError(
                f"{flow_id!r} is not a sequence flow", Location(self.document.name)
            )
        return element

    def _write_condition(self, element: etree._Element, condition: Any) -> None:
        text = condition if isinstance(condition, str) else json.dumps(condition)
        try:
            json.loads(text)
        except ValueError as exc:
            raise ProcessEditError(
                f"the condition is not valid JSON: {exc}", Location(self.document.name)
            ) from None
        node = etree.Element(f"{{{BPMN_NS}}}conditionExpression")
        node.text = text
        diagram.append_indented(element, node)

    def _link(self, node_id: str, kind: str, flow_id: str) -> None:
        element = self._element(node_id)
        ref = etree.Element(f"{{{BPMN_NS}}}{kind}")
        ref.text = flow_id
        same = element.findall(f"{{{BPMN_NS}}}{kind}")
        if same:
            index = list(element).index(same[-1]) + 1
        elif kind == "incoming":
            outgoing = element.find(f"{{{BPMN_NS}}}outgoing")
            index = list(element).index(outgoing) if outgoing is not None else len(element)
        else:
            index = len(element)
        diagram.append_indented(element, ref, index)

    def _task_extension(self, element: etree._Element) -> etree._Element:
        if element.tag not in (f"{{{BPMN_NS}}}task", f"{{{BPMN_NS}}}serviceTask"):
            raise ProcessEditError(
                f"{element.get('id')!r} is not a task", Location(self.document.name)
            )
        holder = element.find(f"{{{BPMN_NS}}}extensionElements")
        if holder is None:
            holder = etree.Element(f"{{{BPMN_NS}}}extensionElements")
            diagram.append_indented(element, holder, 0)
        extension = holder.find(f"{{{ALTINN_NS}}}taskExtension")
        if extension is None:
            extension = etree.Element(f"{{{ALTINN_NS}}}taskExtension", nsmap={"altinn": ALTINN_NS})
            diagram.append_indented(holder, extension)
        return extension

    def _actions_element(self, extension: etree._Element, create: bool) -> etree._Element:
        found = extension.find(f"{{{ALTINN_NS}}}actions")
        if found is None and create:
            found = etree.Element(f"{{{ALTINN_NS}}}actions")
            diagram.append_indented(extension, found)
        assert found is not None
        return found


def _default_actions(task_type: str) -> list[str]:
    """What Altinn Studio puts on a new task of each type."""
    return {
        "confirmation": ["confirm"],
        "signing": ["sign", "reject"],
        "payment": ["pay", "confirm", "reject"],
    }.get(task_type, [])


def _action(name: str, kind: str | None = None) -> etree._Element:
    element = etree.Element(f"{{{ALTINN_NS}}}action")
    element.text = name
    if kind and kind != "processAction":
        element.set("type", kind)
    return element


def _remove(element: etree._Element) -> None:
    diagram._remove(element)
