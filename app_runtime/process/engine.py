"""The process engine: a pure function from (definition, state, action, user, data) to a step.

Nothing here touches storage, HTTP or the clock directly: the runtime passes the instance's
process state in and stores the returned state; notifications and custom app logic hang off
the hooks; validation is a hook too. That keeps every Altinn rule testable in isolation:

- the actions that may leave each task type (write; confirm; sign or write; pay or write;
  a custom type's own name; plus the task's declared process actions),
- exclusive gateways evaluated with `gatewayAction` and the connected data element, chained
  gateways, the default flow, and exactly one outcome or a refusal naming the gateway. As in
  Altinn, a flow without a condition always applies, and a gateway with no conditions takes its
  default (or asks the app's custom gateway filter). One deliberate difference: when conditions
  are present, the default flow is taken only if no other flow applies (standard BPMN), where
  Altinn would refuse because two flows apply,
- `reject` (or an `AbandonCurrentMoveToNext` flow) abandons the task instead of ending it,
- leaving a task (unless rejecting) requires the validation hook to pass.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from app_runtime.process.conditions import (
    ConditionContext,
    ConditionError,
    Evaluator,
    compile_subset,
    default_evaluator,
    evaluate_subset,
)
from app_runtime.process.model import (
    FlowNode,
    NodeKind,
    ProcessDefinition,
    SequenceFlow,
    actions_that_allow_next,
    implicit_actions,
)

ABANDON_FLOW = "AbandonCurrentMoveToNext"
ABANDON_FLOWS = frozenset({ABANDON_FLOW, "AbandonCurrentReturnToNext"})
"""Flow types that abandon the current task; the second is the spelling of older apps."""
MAX_AUTOMATIC_STEPS = 1000


class EventKind(StrEnum):
    PROCESS_START = "process_start"
    TASK_START = "task_start"
    TASK_END = "task_end"
    TASK_ABANDON = "task_abandon"
    PROCESS_END = "process_end"

    @property
    def instance_event_type(self) -> str:
        """The name Altinn Storage gives this event in an instance's event log."""
        return _INSTANCE_EVENT_TYPES[self]


_INSTANCE_EVENT_TYPES = {
    EventKind.PROCESS_START: "process_StartEvent",
    EventKind.TASK_START: "process_StartTask",
    EventKind.TASK_END: "process_EndTask",
    EventKind.TASK_ABANDON: "process_AbandonTask",
    EventKind.PROCESS_END: "process_EndEvent",
}


class RefusalCode(StrEnum):
    NOT_STARTED = "not-started"
    ALREADY_STARTED = "already-started"
    ENDED = "ended"
    NO_START_EVENT = "no-start-event"
    UNKNOWN_ELEMENT = "unknown-element"
    ACTION_NOT_ALLOWED = "action-not-allowed"
    SERVER_ACTION = "server-action"
    UNAUTHORIZED = "unauthorized"
    VALIDATION_FAILED = "validation-failed"
    DEAD_END = "dead-end"
    AMBIGUOUS = "ambiguous-next"
    GATEWAY_NO_OUTCOME = "gateway-no-outcome"
    GATEWAY_MANY_OUTCOMES = "gateway-many-outcomes"
    GATEWAY_LOOP = "gateway-loop"
    CONDITION_ERROR = "condition-error"
    UNSUPPORTED = "unsupported-element"
    HOOK_FAILED = "hook-failed"
    SERVICE_TASK_LOOP = "service-task-loop"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the engine did not move: a stable code, a message, and the element concerned."""

    code: RefusalCode
    message: str
    element_id: str | None = None
    line: int | None = None
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.code}: {self.message}{where}"


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class ProcessEvent:
    kind: EventKind
    element_id: str | None
    at: str
    actor: str | None
    action: str | None = None
    task_type: str | None = None


@dataclass(frozen=True, slots=True)
class CurrentTask:
    element_id: str
    name: str | None
    task_type: str | None
    flow: int
    started_at: str


@dataclass(frozen=True, slots=True)
class ProcessState:
    """An instance's process state, like Altinn's ProcessState plus the history of events."""

    started_at: str | None = None
    start_event: str | None = None
    current: CurrentTask | None = None
    ended_at: str | None = None
    end_event: str | None = None
    flow: int = 0
    history: tuple[ProcessEvent, ...] = ()

    @property
    def is_started(self) -> bool:
        return self.started_at is not None

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    def to_dict(self) -> dict[str, Any]:
        current = self.current
        return {
            "started": self.started_at,
            "startEvent": self.start_event,
            "currentTask": None
            if current is None
            else {
                "elementId": current.element_id,
                "name": current.name,
                "altinnTaskType": current.task_type,
                "flow": current.flow,
                "started": current.started_at,
            },
            "ended": self.ended_at,
            "endEvent": self.end_event,
            "flow": self.flow,
            "history": [
                [e.kind, e.element_id, e.at, e.actor, e.action, e.task_type] for e in self.history
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProcessState:
        raw = data.get("currentTask")
        current = (
            None
            if not raw
            else CurrentTask(
                raw["elementId"],
                raw.get("name"),
                raw.get("altinnTaskType"),
                int(raw.get("flow", 0)),
                raw.get("started") or "",
            )
        )
        history = tuple(
            ProcessEvent(EventKind(k), el, at, actor, action, tt)
            for k, el, at, actor, action, tt in data.get("history", ())
        )
        return cls(
            data.get("started"),
            data.get("startEvent"),
            current,
            data.get("ended"),
            data.get("endEvent"),
            int(data.get("flow", 0)),
            history,
        )


@dataclass(frozen=True, slots=True)
class StepResult:
    """The outcome of start/next: the new state and its events, or a refusal (state unchanged)."""

    state: ProcessState
    events: tuple[ProcessEvent, ...] = ()
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


DataAccessor = Callable[[str | None], Any]
"""Given a data type id (or None when none is known), the instance's data for it."""

Validator = Callable[[FlowNode, ProcessState, "DataAccessor | None"], Sequence[str]]
Authorizer = Callable[[str | None, str, FlowNode], bool]
GatewayFilter = Callable[[list[SequenceFlow], ConditionContext], list[SequenceFlow]]
Hook = Callable[[ProcessEvent, ProcessState], None]
ServiceTaskRunner = Callable[[FlowNode, ProcessState], bool]


@dataclass(slots=True)
class ProcessHooks:
    """Called after a step is decided, in event order. An exception refuses the step."""

    on_task_start: Sequence[Hook] = ()
    on_task_end: Sequence[Hook] = ()
    on_task_abandon: Sequence[Hook] = ()
    on_process_end: Sequence[Hook] = ()
    on_process_start: Sequence[Hook] = ()

    def for_kind(self, kind: EventKind) -> Sequence[Hook]:
        return {
            EventKind.TASK_START: self.on_task_start,
            EventKind.TASK_END: self.on_task_end,
            EventKind.TASK_ABANDON: self.on_task_abandon,
            EventKind.PROCESS_END: self.on_process_end,
            EventKind.PROCESS_START: self.on_process_start,
        }[kind]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class ProcessEngine:
    """Moves instances through one process definition; holds no per-instance state."""

    definition: ProcessDefinition
    evaluator: Evaluator | None = None
    clock: Callable[[], datetime] = _utc_now
    validator: Validator | None = None
    authorizer: Authorizer | None = None
    gateway_filters: Mapping[str, GatewayFilter] = field(default_factory=dict)
    default_data_types: Mapping[str, str] = field(default_factory=dict)
    hooks: ProcessHooks = field(default_factory=ProcessHooks)
    service_task_runner: ServiceTaskRunner | None = None
    _compiled: dict[str, Callable[[ConditionContext], Any]] = field(default_factory=dict)
    _allowed: dict[str, list[str]] = field(default_factory=dict)
    _hooked: bool = False

    def __post_init__(self) -> None:
        hooks = self.hooks
        self._hooked = any(
            (
                hooks.on_task_start,
                hooks.on_task_end,
                hooks.on_task_abandon,
                hooks.on_process_end,
                hooks.on_process_start,
            )
        )
        if self.evaluator is None:
            self.evaluator = default_evaluator()
        if self.evaluator is evaluate_subset:
            for flow in self.definition.flows.values():
                cond = flow.condition
                if cond is not None and cond.error is None:
                    # a condition that does not compile is refused when it is evaluated
                    with contextlib.suppress(ConditionError):
                        self._compiled[flow.id] = compile_subset(cond.expression)

    # --- public API -----------------------------------------------------------------------

    def allowed_actions(self, state: ProcessState) -> list[str]:
        """Actions that may move the process on from the current task, in a stable order."""
        if state.current is None:
            return []
        node = self.definition.nodes.get(state.current.element_id)
        return [] if node is None else self.allowed_actions_for(node)

    def start(
        self, state: ProcessState | None, actor: str | None, data: DataAccessor | None = None
    ) -> StepResult:
        state = state or ProcessState()
        try:
            if state.is_started:
                raise _Refused(
                    Refusal(RefusalCode.ALREADY_STARTED, "the process has already started")
                )
            starts = self.definition.start_events
            if len(starts) != 1:
                raise _Refused(
                    Refusal(
                        RefusalCode.NO_START_EVENT,
                        f"the process needs exactly one start event, it has {len(starts)}",
                        self.definition.id,
                        self.definition.line,
                    )
                )
            start = starts[0]
            now = self._now()
            events = [ProcessEvent(EventKind.PROCESS_START, start.id, now, actor)]
            state = replace(state, started_at=now, start_event=start.id)
            target, _ = self._resolve_with_flow(start, None, data)
            return self._enter(state, events, target, actor, None, data, now)
        except _Refused as refused:
            return StepResult(state, (), refused.refusal)

    def next(
        self,
        state: ProcessState,
        action: str | None,
        actor: str | None,
        data: DataAccessor | None = None,
    ) -> StepResult:
        """Leave the current task with `action` (None: the task type's own action)."""
        try:
            node = self._current_node(state)
            action = self._check_action(node, action, actor)
            if action != "reject" and self.validator is not None:
                problems = list(self.validator(node, state, data))
                if problems:
                    raise _Refused(
                        Refusal(
                            RefusalCode.VALIDATION_FAILED,
                            f"task {node.label()} has validation errors; fix them before moving on",
                            node.id,
                            node.line,
                            tuple(problems),
                        )
                    )
            return self._leave(state, node, action, actor, data, [])
        except _Refused as refused:
            return StepResult(state, (), refused.refusal)

    # --- steps ----------------------------------------------------------------------------

    def _now(self) -> str:
        return self.clock().isoformat()

    def _current_node(self, state: ProcessState) -> FlowNode:
        if not state.is_started:
            raise _Refused(Refusal(RefusalCode.NOT_STARTED, "the process has not started"))
        if state.is_ended or state.current is None:
            raise _Refused(Refusal(RefusalCode.ENDED, "the process has ended"))
        node = self.definition.nodes.get(state.current.element_id)
        if node is None or not node.is_task:
            raise _Refused(
                Refusal(
                    RefusalCode.UNKNOWN_ELEMENT,
                    f"the current task {state.current.element_id!r} is not a task of this process",
                    state.current.element_id,
                )
            )
        return node

    def _check_action(self, node: FlowNode, action: str | None, actor: str | None) -> str:
        allowed = self._allowed.get(node.id) or self.allowed_actions_for(node)
        if action is None:
            action = allowed[0]
        if action not in allowed:
            declared = {a.name: a for a in node.actions}
            if action in declared and not declared[action].moves_process:
                raise _Refused(
                    Refusal(
                        RefusalCode.SERVER_ACTION,
                        f"{action!r} is a server action on {node.label()}: it runs app code and "
                        "does not move the process",
                        node.id,
                        declared[action].line,
                    )
                )
            raise _Refused(
                Refusal(
                    RefusalCode.ACTION_NOT_ALLOWED,
                    f"action {action!r} cannot leave {node.task_type or 'untyped'} task "
                    f"{node.label()}; allowed: {', '.join(allowed)}",
                    node.id,
                    node.line,
                )
            )
        if self.authorizer is not None and not self.authorizer(actor, action, node):
            raise _Refused(
                Refusal(
                    RefusalCode.UNAUTHORIZED,
                    f"{actor or 'the user'} may not perform {action!r} on {node.label()}",
                    node.id,
                    node.line,
                )
            )
        return action

    def allowed_actions_for(self, node: FlowNode) -> list[str]:
        cached = self._allowed.get(node.id)
        if cached is None:
            cached = self._allowed[node.id] = self._compute_allowed(node)
        return list(cached) if cached is not None else []

    def _compute_allowed(self, node: FlowNode) -> list[str]:
        names = list(actions_that_allow_next(node.task_type))
        for implicit in implicit_actions(node.task_type, node.kind is NodeKind.SERVICE_TASK):
            if implicit not in names:
                names.append(implicit)
        for declared in node.actions:
            if declared.moves_process and declared.name not in names:
                names.append(declared.name)
        return names

    def _leave(
        self,
        state: ProcessState,
        node: FlowNode,
        action: str | None,
        actor: str | None,
        data: DataAccessor | None,
        events: list[ProcessEvent],
    ) -> StepResult:
        target, first_flow = self._resolve_with_flow(node, action, data)
        abandon = action == "reject" or (
            first_flow is not None and first_flow.flow_type in ABANDON_FLOWS
        )
        kind = EventKind.TASK_ABANDON if abandon else EventKind.TASK_END
        now = self._now()  # one reading per transition: its events share the timestamp
        events.append(ProcessEvent(kind, node.id, now, actor, action, node.task_type))
        return self._enter(state, events, target, actor, action, data, now)

    def _enter(
        self,
        state: ProcessState,
        events: list[ProcessEvent],
        target: FlowNode,
        actor: str | None,
        action: str | None,
        data: DataAccessor | None,
        now: str,
    ) -> StepResult:
        automatic = 0
        current: CurrentTask | None = state.current
        flow = state.flow
        ended_at, end_event = state.ended_at, state.end_event
        while True:
            if target.kind is NodeKind.END:
                events.append(ProcessEvent(EventKind.PROCESS_END, target.id, now, actor, action))
                current, ended_at, end_event = None, now, target.id
                break
            if not target.is_task:
                raise _Refused(
                    Refusal(
                        RefusalCode.UNSUPPORTED,
                        f"the process reaches <{target.tag}> {target.id!r}, which the engine "
                        "cannot execute",
                        target.id,
                        target.line,
                    )
                )
            flow += 1
            events.append(
                ProcessEvent(EventKind.TASK_START, target.id, now, actor, action, target.task_type)
            )
            current = CurrentTask(target.id, target.name, target.task_type, flow, now)
            runner = self.service_task_runner
            if target.kind is not NodeKind.SERVICE_TASK or runner is None:
                break
            snapshot = ProcessState(
                state.started_at,
                state.start_event,
                current,
                None,
                None,
                flow,
                state.history + tuple(events),
            )
            if not runner(target, snapshot):
                break
            automatic += 1
            if automatic > MAX_AUTOMATIC_STEPS:
                raise _Refused(
                    Refusal(
                        RefusalCode.SERVICE_TASK_LOOP,
                        f"service tasks keep running in a loop at {target.label()}",
                        target.id,
                        target.line,
                    )
                )
            action = actions_that_allow_next(target.task_type)[0]
            source = target
            target, _ = self._resolve_with_flow(source, action, data)
            now = self._now()  # the service task took time
            events.append(
                ProcessEvent(EventKind.TASK_END, source.id, now, actor, action, source.task_type)
            )
        new_events = tuple(events)
        state = ProcessState(
            state.started_at,
            state.start_event,
            current,
            ended_at,
            end_event,
            flow,
            state.history + new_events,
        )
        if self._hooked:
            self._run_hooks(events, state)
        return StepResult(state, new_events)

    def _run_hooks(self, events: list[ProcessEvent], state: ProcessState) -> None:
        for event in events:
            for hook in self.hooks.for_kind(event.kind):
                try:
                    hook(event, state)
                except Exception as exc:
                    raise _Refused(
                        Refusal(
                            RefusalCode.HOOK_FAILED,
                            f"the {event.kind} hook for {event.element_id} failed: {exc}",
                            event.element_id,
                        )
                    ) from exc

    # --- navigation -----------------------------------------------------------------------

    def _resolve_with_flow(
        self, node: FlowNode, action: str | None, data: DataAccessor | None
    ) -> tuple[FlowNode, SequenceFlow | None]:
        """The single element the process moves to from `node`, following gateways."""
        flows = self.definition.outgoing(node.id)
        if not flows:
            raise _Refused(
                Refusal(
                    RefusalCode.DEAD_END,
                    f"{node.label()} has no outgoing sequence flow",
                    node.id,
                    node.line,
                )
            )
        if len(flows) > 1:
            raise _Refused(
                Refusal(
                    RefusalCode.AMBIGUOUS,
                    f"{node.label()} has {len(flows)} outgoing flows; put an exclusive gateway "
                    "after it to choose one",
                    node.id,
                    node.line,
                )
            )
        first = flows[0]
        target = self._target(first)
        seen: set[str] = set()
        cache: dict[str | None, Any] = {}
        while target.kind is NodeKind.GATEWAY:
            if target.id in seen:
                raise _Refused(
                    Refusal(
                        RefusalCode.GATEWAY_LOOP,
                        f"gateway {target.label()} is reached again without passing a task",
                        target.id,
                        target.line,
                    )
                )
            seen.add(target.id)
            chosen = self._choose(target, node, action, data, cache)
            target = self._target(chosen)
        return target, first

    def _target(self, flow: SequenceFlow) -> FlowNode:
        target = self.definition.nodes.get(flow.target or "")
        if target is None:
            raise _Refused(
                Refusal(
                    RefusalCode.UNKNOWN_ELEMENT,
                    f"sequence flow {flow.id!r} points to {flow.target!r}, which does not exist",
                    flow.id,
                    flow.line,
                )
            )
        return target

    def _choose(
        self,
        gateway: FlowNode,
        origin: FlowNode,
        action: str | None,
        data: DataAccessor | None,
        cache: dict[str | None, Any],
    ) -> SequenceFlow:
        flows = self.definition.outgoing(gateway.id)
        default = next((f for f in flows if f.id == gateway.default_flow), None)
        custom = self.gateway_filters.get(gateway.id)
        if any(f.condition is not None for f in flows):
            context = self._context(gateway, origin, action, data, cache)
            candidates = [
                f
                for f in flows
                if f is not default and (f.condition is None or self._holds(f, context))
            ]
            if (
                not candidates
                and default is not None
                and (default.condition is None or self._holds(default, context))
            ):
                return default
        else:
            if custom is not None:
                context = self._context(gateway, origin, action, data, cache)
                candidates = list(custom(list(flows), context))
            else:
                candidates = list(flows)
            if default is not None and default in candidates:
                return default
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            message = f"no outgoing flow of gateway {gateway.label()} applies"
            code = RefusalCode.GATEWAY_NO_OUTCOME
        else:
            names = ", ".join(f.id for f in candidates)
            message = (
                f"gateway {gateway.label()} has {len(candidates)} possible flows ({names}); "
                "supply an action and conditions, or define a default flow"
            )
            code = RefusalCode.GATEWAY_MANY_OUTCOMES
        raise _Refused(Refusal(code, message, gateway.id, gateway.line))

    def _context(
        self,
        gateway: FlowNode,
        origin: FlowNode,
        action: str | None,
        data: DataAccessor | None,
        cache: dict[str | None, Any],
    ) -> ConditionContext:
        data_type = gateway.connected_data_type_id or self.default_data_types.get(origin.id)
        if data_type not in cache:
            cache[data_type] = data(data_type) if data is not None else None
        return ConditionContext(
            action, cache[data_type], data_type, extra={"data_by_type": data} if data else {}
        )

    def _holds(self, flow: SequenceFlow, context: ConditionContext) -> bool:
        condition = flow.condition
        assert condition is not None
        if condition.error is not None:
            raise _Refused(
                Refusal(
                    RefusalCode.CONDITION_ERROR,
                    f"condition of flow {flow.id!r} is {condition.error}",
                    flow.id,
                    condition.line,
                )
            )
        try:
            compiled = self._compiled.get(flow.id)
            if compiled is not None:
                result = compiled(context)
            else:
                assert self.evaluator is not None
                result = self.evaluator(condition.expression, context)
        except ConditionError as exc:
            raise _Refused(
                Refusal(
                    RefusalCode.CONDITION_ERROR,
                    f"condition of flow {flow.id!r} cannot be evaluated: {exc}",
                    flow.id,
                    condition.line,
                )
            ) from None
        return result is True  # like Altinn, anything but true (a string, null) does not hold
