"""What is wrong with a process definition, and with how the rest of the app refers to it.

Pure functions over a `ProcessDocument` plus the references other app files make (layout
sets, data types, policy rules), so the designer can run them on an unsaved edit and the
validator on disk. Rule codes start with PROC.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app_runtime.process.conditions import check_condition, mentions_gateway_action
from app_runtime.process.engine import ABANDON_FLOW, ABANDON_FLOWS
from app_runtime.process.model import (
    ACTION_TYPES,
    KNOWN_TASK_TYPES,
    RESERVED_ACTIONS,
    SERVICE_TASK_TYPES,
    FlowNode,
    NodeKind,
    ProcessDefinition,
    actions_that_allow_next,
    implicit_actions,
)
from app_runtime.process.reader import ProcessDocument
from schemas.diagnostics import Finding, Severity, define_rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

UNREADABLE = define_rule("PROC001", "process-unreadable", E, "process.bpmn cannot be read")
NO_PROCESS = define_rule("PROC002", "no-process", E, "process.bpmn holds no process")
UNSUPPORTED = define_rule("PROC003", "unsupported-element", E, "BPMN the engine cannot run")
DUPLICATE_ID = define_rule("PROC004", "duplicate-id", E, "two process elements share an id")
START_COUNT = define_rule("PROC010", "start-event-count", E, "not exactly one start event")
UNREACHABLE = define_rule("PROC011", "unreachable-node", W, "element not reachable from start")
NO_END = define_rule("PROC012", "cannot-reach-end", E, "element from which no end is reachable")
MISSING_NODE = define_rule("PROC013", "flow-missing-node", E, "flow to or from a missing element")
REF_MISMATCH = define_rule(
    "PROC014", "incoming-outgoing-mismatch", W, "<incoming>/<outgoing> disagree with the flows"
)
TASK_FANOUT = define_rule("PROC015", "task-many-outgoing", E, "task with several outgoing flows")
EVENT_FLOWS = define_rule("PROC016", "event-flow-direction", E, "flow into a start/out of an end")
NO_TASK_TYPE = define_rule("PROC020", "task-type-missing", E, "task without altinn:taskType")
UNKNOWN_TASK_TYPE = define_rule("PROC021", "task-type-unknown", W, "task type needs app code")
GATEWAY_UNROUTED = define_rule(
    "PROC030", "gateway-without-routing", W, "gateway flows have neither default nor conditions"
)
GATEWAY_DEFAULT = define_rule("PROC031", "gateway-default-invalid", E, "bad default flow")
CONDITION_IGNORED = define_rule(
    "PROC032", "condition-ignored", W, "condition on a flow that does not leave a gateway"
)
CONDITION_INVALID = define_rule(
    "PROC040", "condition-invalid", E, "condition is not a boolean expression"
)
GATEWAY_ACTION_UNKNOWN = define_rule(
    "PROC041", "gateway-action-unknown", W, "condition tests an action no task can send"
)
ACTION_WRONG_TYPE = define_rule(
    "PROC050", "action-wrong-task-type", W, "action makes no sense for the task type"
)
ACTION_TYPE_INVALID = define_rule("PROC051", "action-type-invalid", E, "bad altinn:action type")
ACTION_DUPLICATE = define_rule("PROC052", "action-duplicate", W, "empty or repeated action")
SERVER_ACTION_RESERVED = define_rule(
    "PROC053", "server-action-reserved", W, "server action named like a process action"
)
REJECT_NO_WAY_BACK = define_rule(
    "PROC054", "reject-without-route", W, "reject action but no gateway routes on it"
)
FLOWTYPE_INVALID = define_rule("PROC055", "flowtype-invalid", E, "unknown altinn:flowtype")
CONFIG_DATA_TYPE = define_rule(
    "PROC064", "config-unknown-data-type", E, "process config names an unknown data type"
)
CONFIG_TASK = define_rule(
    "PROC065", "config-unknown-task", E, "process config names a missing task"
)
EXTENSION_IGNORED = define_rule(
    "PROC066", "extension-ignored", INFO, "altinn extension the engine does not read here"
)

_ACTION_TASK_TYPES: dict[str, frozenset[str]] = {
    "sign": frozenset({"signing"}),
    "pay": frozenset({"payment"}),
    "confirm": frozenset({"confirmation", "payment"}),
}
_FLOW_TYPES = ("CompleteCurrentMoveToNext", ABANDON_FLOW, "AbandonCurrentReturnToNext")


@dataclass(slots=True)
class AppReferences:
    """What the rest of the app says about the process (all optional)."""

    data_type_ids: set[str] | None = None
    """Ids of applicationmetadata.json dataTypes; None when the metadata is unusable."""


def check_document(doc: ProcessDocument, refs: AppReferences | None = None) -> list[Finding]:
    """Every finding for one process file, in file order."""
    findings: list[Finding] = []
    for item in doc.all_unsupported():
        label = f" {item.id!r}" if item.id else ""
        findings.append(
            UNSUPPORTED.finding(
                f"<{item.tag}>{label}: {item.reason}",
                doc.location(item.line),
                "model the step with a task, service task or exclusive gateway"
                if item.blocking
                else "it is kept in the file but has no effect when the app runs",
                severity=None if item.blocking else W,
            )
        )
    process = doc.process
    if process is None or not process.nodes:
        findings.append(
            NO_PROCESS.finding(
                "process.bpmn has no <bpmn:process> with elements",
                doc.location(process.line if process else doc.tree.getroot().sourceline),
                "add a process with a start event, a task and an end event",
            )
        )
        return findings
    findings.extend(_structure(doc, process))
    findings.extend(_tasks(doc, process))
    findings.extend(_gateways(doc, process))
    if refs is not None:
        findings.extend(_references(doc, process, refs))
    findings.sort(key=lambda f: (f.location.line or 0, f.code))
    return findings


def _structure(doc: ProcessDocument, process: ProcessDefinition) -> Iterator[Finding]:
    for identifier, line in process.duplicate_ids:
        yield DUPLICATE_ID.finding(
            f"id {identifier!r} is used by more than one element",
            doc.location(line),
            "give every element its own id",
        )
    starts = process.start_events
    if len(starts) != 1:
        where = starts[1].line if len(starts) > 1 else process.line
        yield START_COUNT.finding(
            f"the process has {len(starts)} start events; Altinn needs exactly one",
            doc.location(where),
            "keep one start event" if starts else "add a start event with a flow to the first task",
        )
    for flow in process.flows.values():
        for role, ref in (("source", flow.source), ("target", flow.target)):
            if not ref:
                yield MISSING_NODE.finding(
                    f"sequence flow {flow.id!r} has no {role}Ref",
                    doc.location(flow.line),
                    f"set {role}Ref to the id of an element",
                )
            elif ref not in process.nodes:
                yield MISSING_NODE.finding(
                    f"sequence flow {flow.id!r} has {role} {ref!r}, which does not exist",
                    doc.location(flow.line),
                    "point it at an existing element or delete the flow",
                )
        if flow.flow_type is not None and flow.flow_type not in _FLOW_TYPES:
            yield FLOWTYPE_INVALID.finding(
                f"sequence flow {flow.id!r} has altinn:flowtype {flow.flow_type!r}",
                doc.location(flow.line),
                f"use one of {', '.join(_FLOW_TYPES)}",
            )
    for node in process.nodes.values():
        yield from _references_lists(doc, process, node)
        outgoing = process.outgoing(node.id)
        incoming = process.incoming(node.id)
        if node.kind is NodeKind.START and incoming:
            yield EVENT_FLOWS.finding(
                f"start event {node.id!r} has incoming flows", doc.location(node.line)
            )
        if node.kind is NodeKind.END and outgoing:
            yield EVENT_FLOWS.finding(
                f"end event {node.id!r} has outgoing flows", doc.location(node.line)
            )
        if (
            node.kind in (NodeKind.START, NodeKind.TASK, NodeKind.SERVICE_TASK)
            and len(outgoing) > 1
        ):
            yield TASK_FANOUT.finding(
                f"{node.tag} {node.label()} has {len(outgoing)} outgoing flows; Altinn moves "
                "along exactly one",
                doc.location(node.line),
                "lead the flows through an exclusive gateway with conditions",
            )
    yield from _reachability(doc, process)


def _references_lists(
    doc: ProcessDocument, process: ProcessDefinition, node: FlowNode
) -> Iterator[Finding]:
    """Altinn navigates by a node's <outgoing> ids, bpmn.io by the flows' refs: keep them equal."""
    if node.kind is NodeKind.UNSUPPORTED:
        return
    for listed, actual, word in (
        (node.outgoing, process.outgoing(node.id), "outgoing"),
        (node.incoming, process.incoming(node.id), "incoming"),
    ):
        actual_ids = {f.id for f in actual}
        missing = [f for f in actual if f.id not in set(listed)]
        extra = [i for i in listed if i not in actual_ids]
        if missing:
            yield REF_MISMATCH.finding(
                f"{node.label()} does not list {word} flow(s) "
                f"{', '.join(f.id for f in missing)} in <{word}>",
                doc.location(node.line),
                f"add <bpmn:{word}> elements; BPMN editors rely on them",
            )
        if extra:
            yield REF_MISMATCH.finding(
                f"{node.label()} lists {word} flow(s) {', '.join(extra)} that do not "
                f"{'start' if word == 'outgoing' else 'end'} there",
                doc.location(node.line),
                f"remove the stale <bpmn:{word}> entries",
            )


def _walk(start: Iterable[str], step: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in step.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reachability(doc: ProcessDocument, process: ProcessDefinition) -> Iterator[Finding]:
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for flow in process.flows.values():
        if flow.source in process.nodes and flow.target in process.nodes:
            forward.setdefault(flow.source, []).append(flow.target)  # type: ignore[arg-type]
            backward.setdefault(flow.target, []).append(flow.source)  # type: ignore[arg-type]
    reached = _walk((n.id for n in process.start_events), forward)
    ending = _walk((n.id for n in process.end_events), backward)
    has_start = bool(process.start_events)
    for node in process.nodes.values():
        if has_start and node.id not in reached:
            yield UNREACHABLE.finding(
                f"{node.tag} {node.label()} cannot be reached from the start event",
                doc.location(node.line),
                "connect it with a sequence flow or delete it",
            )
        if node.id not in ending and node.kind is not NodeKind.UNSUPPORTED:
            dead = not process.outgoing(node.id)
            yield NO_END.finding(
                f"{node.tag} {node.label()} "
                + ("has no outgoing flow" if dead else "has no path to an end event")
                + "; instances reaching it would be stuck",
                doc.location(node.line),
                "add a sequence flow towards an end event",
            )


def _tasks(doc: ProcessDocument, process: ProcessDefinition) -> Iterator[Finding]:
    for node in process.nodes.values():
        for tag, line in node.ignored_extensions:
            yield EXTENSION_IGNORED.finding(
                f"altinn:{tag} on {node.tag} {node.id!r} is not read by the engine",
                doc.location(line),
                "move it to the element it belongs to, or remove it",
            )
        if not node.is_task:
            continue
        task_type = node.task_type
        if task_type is None:
            yield NO_TASK_TYPE.finding(
                f"{node.tag} {node.label()} has no altinn:taskType",
                doc.location(node.line),
                "add <altinn:taskExtension><altinn:taskType>data</altinn:taskType>"
                "</altinn:taskExtension> in extensionElements",
            )
        elif task_type not in KNOWN_TASK_TYPES:
            close = [t for t in KNOWN_TASK_TYPES if t.startswith(task_type[:4].lower())]
            guess = f"; did you mean {close[0]!r}?" if close else ""
            yield UNKNOWN_TASK_TYPE.finding(
                f"{node.tag} {node.label()} has task type {task_type!r}, which is not built in; "
                f"the app must register code for it (moving on needs the action {task_type!r})"
                + guess,
                doc.location(node.extension.task_type_line if node.extension else node.line),
                f"use one of {', '.join(KNOWN_TASK_TYPES)}, or make sure the app implements it",
            )
        yield from _actions(doc, process, node)


def _actions(doc: ProcessDocument, process: ProcessDefinition, node: FlowNode) -> Iterator[Finding]:
    task_type = node.task_type
    seen: set[str] = set()
    for action in node.actions:
        where = doc.location(action.line)
        if action.type not in ACTION_TYPES:
            yield ACTION_TYPE_INVALID.finding(
                f"action {action.name!r} on {node.id!r} has type {action.type!r}",
                where,
                'use type="processAction" (the default) or type="serverAction"',
            )
        if not action.name or action.name in seen:
            yield ACTION_DUPLICATE.finding(
                f"action {action.name!r} on {node.id!r} is "
                + ("empty" if not action.name else "listed twice"),
                where,
            )
        seen.add(action.name)
        if action.type == "serverAction" and action.name in RESERVED_ACTIONS:
            yield SERVER_ACTION_RESERVED.finding(
                f"server action {action.name!r} on {node.id!r} has the name of a process action",
                where,
                "give the server action its own name, or make it a process action",
            )
        if task_type is None or task_type not in KNOWN_TASK_TYPES or not action.moves_process:
            continue
        allowed_types = _ACTION_TASK_TYPES.get(action.name)
        service = task_type in SERVICE_TASK_TYPES
        if (allowed_types is not None and task_type not in allowed_types) or (
            service and action.name not in ("reject", "write")
        ):
            yield ACTION_WRONG_TYPE.finding(
                f"action {action.name!r} makes no sense on a {task_type} task ({node.id})",
                where,
                f"a {task_type} task moves on with {' or '.join(actions_that_allow_next(task_type))}",
            )
    rejects = any(a.name == "reject" and a.moves_process for a in node.actions)
    if rejects and not _routes_on_reject(process, node):
        yield REJECT_NO_WAY_BACK.finding(
            f"{node.label()} offers 'reject' but no gateway after it tests gatewayAction, so "
            "rejecting would move the process forward",
            doc.location(node.line),
            "lead the task into an exclusive gateway with a "
            '["equals", ["gatewayAction"], "reject"] flow back',
        )


def _routes_on_reject(process: ProcessDefinition, node: FlowNode) -> bool:
    frontier = [f.target for f in process.outgoing(node.id)]
    seen: set[str] = set()
    while frontier:
        current = process.nodes.get(frontier.pop() or "")
        if current is None or current.id in seen:
            continue
        seen.add(current.id)
        if any(f.flow_type in ABANDON_FLOWS for f in process.incoming(current.id)):
            return True
        if current.kind is not NodeKind.GATEWAY:
            continue
        for flow in process.outgoing(current.id):
            if flow.condition and mentions_gateway_action(flow.condition.expression) is not None:
                return True
            frontier.append(flow.target)
    return False


def _gateways(doc: ProcessDocument, process: ProcessDefinition) -> Iterator[Finding]:
    sendable = _sendable_actions(process)
    for flow in process.flows.values():
        condition = flow.condition
        if condition is None:
            continue
        source = process.nodes.get(flow.source or "")
        where = doc.location(condition.line or flow.line)
        if source is not None and source.kind is not NodeKind.GATEWAY:
            yield CONDITION_IGNORED.finding(
                f"flow {flow.id!r} has a condition but leaves {source.tag} {source.id!r}; only "
                "conditions on flows out of exclusive gateways are evaluated",
                where,
                "put an exclusive gateway between the element and its targets",
            )
        if condition.error is not None:
            yield CONDITION_INVALID.finding(
                f"condition of flow {flow.id!r} is {condition.error}",
                where,
                'write a JSON expression such as ["equals", ["gatewayAction"], "reject"]',
            )
            continue
        for problem in check_condition(condition.expression):
            yield CONDITION_INVALID.finding(
                f"condition of flow {flow.id!r}: {problem}",
                where,
                "a gateway condition must be an expression that gives true or false",
            )
        if source is not None and source.kind is NodeKind.GATEWAY:
            tested = mentions_gateway_action(condition.expression) or set()
            possible = sendable.get(source.id)
            unknown = sorted(a for a in tested if possible is not None and a not in possible)
            if unknown:
                yield GATEWAY_ACTION_UNKNOWN.finding(
                    f"flow {flow.id!r} tests gatewayAction {', '.join(map(repr, unknown))}, "
                    f"which no task before gateway {source.id!r} can send "
                    f"(possible: {', '.join(sorted(possible or ())) or 'none'})",
                    where,
                    "declare the action on the task (altinn:actions) or fix the name",
                )
    for gateway in process.nodes_of(NodeKind.GATEWAY):
        outgoing = process.outgoing(gateway.id)
        if gateway.default_flow is not None:
            match = next((f for f in outgoing if f.id == gateway.default_flow), None)
            if match is None:
                yield GATEWAY_DEFAULT.finding(
                    f"gateway {gateway.id!r} has default {gateway.default_flow!r}, which is not "
                    "one of its outgoing flows",
                    doc.location(gateway.line),
                    "set default to the id of a flow leaving the gateway",
                )
            elif match.condition is not None:
                yield GATEWAY_DEFAULT.finding(
                    f"default flow {match.id!r} of gateway {gateway.id!r} has a condition, "
                    "which is never evaluated",
                    doc.location(match.line),
                    "remove the condition from the default flow",
                    severity=W,
                )
        if (
            len(outgoing) > 1
            and gateway.default_flow is None
            and not any(f.condition is not None for f in outgoing)
        ):
            yield GATEWAY_UNROUTED.finding(
                f"gateway {gateway.label()} has {len(outgoing)} outgoing flows but neither "
                "conditions nor a default flow; it only works with a custom gateway in app code",
                doc.location(gateway.line),
                "add conditions to the flows or mark one as the default",
            )


def _sendable_actions(process: ProcessDefinition) -> dict[str, set[str] | None]:
    """For each gateway, the actions the tasks feeding it can move on with (None: any)."""
    result: dict[str, set[str] | None] = {}
    for gateway in process.nodes_of(NodeKind.GATEWAY):
        actions: set[str] | None = set()
        stack, seen = [gateway.id], set()
        while stack and actions is not None:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            for flow in process.incoming(current):
                source = process.nodes.get(flow.source or "")
                if source is None:
                    continue
                if source.kind is NodeKind.GATEWAY:
                    stack.append(source.id)
                elif source.is_task:
                    if source.task_type is None:
                        actions = None
                        break
                    actions.update(actions_that_allow_next(source.task_type))
                    actions.update(
                        implicit_actions(source.task_type, source.kind is NodeKind.SERVICE_TASK)
                    )
                    actions.update(a.name for a in source.actions if a.moves_process)
                elif source.kind is NodeKind.START:
                    actions.add("")
        result[gateway.id] = actions
    return result


def _references(
    doc: ProcessDocument, process: ProcessDefinition, refs: AppReferences
) -> Iterator[Finding]:
    """Process configuration naming data types or tasks that do not exist.

    Layout sets, dataTypes and policy rules that name missing tasks are reported once, by
    the metadata (META003/META004) and policy (AUTH004) checks that own those files."""
    yield from _config_references(doc, process, refs.data_type_ids, process.task_ids())


def _config_references(
    doc: ProcessDocument, process: ProcessDefinition, data_types: set[str] | None, tasks: set[str]
) -> Iterator[Finding]:
    for node in process.nodes.values():
        names: list[tuple[str, str]] = []
        if node.connected_data_type_id:
            names.append(("connectedDataTypeId", node.connected_data_type_id))
        extension = node.extension
        if extension is not None:
            signature = extension.signature_config
            if signature is not None:
                names += [("dataTypesToSign", n) for n in signature.data_types_to_sign]
                names += [
                    ("uniqueFromSignaturesInDataTypes", n)
                    for n in signature.unique_from_signatures_in_data_types
                ]
                for key, value in (
                    ("signatureDataType", signature.signature_data_type),
                    ("signeeStatesDataTypeId", signature.signee_states_data_type_id),
                    ("signingPdfDataType", signature.signing_pdf_data_type),
                ):
                    if value:
                        names.append((key, value))
            payment = extension.payment_config
            if payment is not None:
                for key, value in (
                    ("paymentDataType", payment.payment_data_type),
                    ("paymentReceiptPdfDataType", payment.payment_receipt_pdf_data_type),
                ):
                    if value:
                        names.append((key, value))
            pdf = extension.pdf_config
            if pdf is not None:
                for task_id in pdf.auto_pdf_task_ids:
                    if task_id not in tasks:
                        yield CONFIG_TASK.finding(
                            f"pdfConfig of {node.id!r} lists autoPdfTaskId {task_id!r}, which is "
                            "not a task",
                            doc.location(extension.line),
                            "list ids of tasks in this process",
                        )
        if data_types is None:
            continue
        for key, name in names:
            if name not in data_types:
                yield CONFIG_DATA_TYPE.finding(
                    f"{key} of {node.id!r} names data type {name!r}, which applicationmetadata."
                    "json does not define",
                    doc.location(extension.line if extension else node.line),
                    "add the data type to applicationmetadata.json or fix the name",
                )
