"""The process engine: Altinn's rules for moving instances, each refusal, hooks and history."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app_runtime.process.conditions import ConditionContext, evaluate_subset
from app_runtime.process.engine import (
    EventKind,
    ProcessEngine,
    ProcessHooks,
    ProcessState,
    RefusalCode,
)
from app_runtime.process.reader import read_process_bytes

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:altinn="http://altinn.no/process" id="d">\n<bpmn:process id="p" isExecutable="false">\n'
)
TAIL = "</bpmn:process>\n</bpmn:definitions>\n"


def task(task_id: str, task_type: str | None, actions: str = "", tag: str = "task") -> str:
    ext = ""
    if task_type is not None:
        ext = (
            "<bpmn:extensionElements><altinn:taskExtension>"
            f"<altinn:taskType>{task_type}</altinn:taskType>"
            + (f"<altinn:actions>{actions}</altinn:actions>" if actions else "")
            + "</altinn:taskExtension></bpmn:extensionElements>"
        )
    return f'<bpmn:{tag} id="{task_id}">{ext}</bpmn:{tag}>\n'


def flow(flow_id: str, source: str, target: str, condition: object = None, extra: str = "") -> str:
    body = ""
    if condition is not None:
        text = condition if isinstance(condition, str) else json.dumps(condition)
        body = f"<bpmn:conditionExpression>{text}</bpmn:conditionExpression>"
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}" {extra}>'
        f"{body}</bpmn:sequenceFlow>\n"
    )


def gateway(gateway_id: str, default: str | None = None, data_type: str | None = None) -> str:
    attr = f' default="{default}"' if default else ""
    ext = ""
    if data_type:
        ext = (
            "<bpmn:extensionElements><altinn:gatewayExtension><altinn:connectedDataTypeId>"
            f"{data_type}</altinn:connectedDataTypeId></altinn:gatewayExtension>"
            "</bpmn:extensionElements>"
        )
    return f'<bpmn:exclusiveGateway id="{gateway_id}"{attr}>{ext}</bpmn:exclusiveGateway>\n'


START = '<bpmn:startEvent id="Start"/>\n'
END = '<bpmn:endEvent id="End"/>\n'


def engine_for(*parts: str, **options: object) -> ProcessEngine:
    document = read_process_bytes((HEAD + "".join(parts) + TAIL).encode())
    assert document.process is not None
    return ProcessEngine(
        document.process, evaluator=options.pop("evaluator", evaluate_subset), **options
    )  # type: ignore[arg-type]


class Clock:
    """A deterministic clock: each reading is one second after the last."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def linear(
    task_type: str, actions: str = "", tag: str = "task", **options: object
) -> ProcessEngine:
    return engine_for(
        START,
        task("T", task_type, actions, tag),
        END,
        flow("f1", "Start", "T"),
        flow("f2", "T", "End"),
        **options,
    )


def started(engine: ProcessEngine, data: object = None) -> ProcessState:
    result = engine.start(None, "alice", (lambda _t: data) if data is not None else None)
    assert result.ok, result.refusal
    return result.state


# --- task types and the actions that leave them ---------------------------------------------


@pytest.mark.parametrize(
    ("task_type", "tag", "good", "bad"),
    [
        ("data", "task", ["write"], ["confirm", "sign", "pay"]),
        ("feedback", "task", ["write"], ["confirm"]),
        ("confirmation", "task", ["confirm"], ["write", "sign"]),
        ("signing", "task", ["sign", "write"], ["confirm", "pay"]),
        ("payment", "task", ["pay", "write"], ["sign", "confirm"]),
        ("pdf", "serviceTask", ["write"], ["sign", "pay"]),
        ("eFormidling", "serviceTask", ["write"], ["confirm"]),
        ("fiksArkiv", "serviceTask", ["write"], ["sign"]),
        ("subformPdf", "serviceTask", ["write"], ["pay"]),
        ("myCustomType", "task", ["myCustomType"], ["write", "confirm"]),
    ],
)
def test_each_task_type_is_left_only_with_its_actions(
    task_type: str, tag: str, good: list[str], bad: list[str]
) -> None:
    engine = linear(task_type, tag=tag)
    state = started(engine)
    assert state.current is not None and state.current.task_type == task_type
    for action in bad:
        refused = engine.next(state, action, "alice")
        assert (
            refused.refusal is not None and refused.refusal.code is RefusalCode.ACTION_NOT_ALLOWED
        )
        assert refused.state is state
    for action in good:
        moved = engine.next(state, action, "alice")
        assert moved.ok and moved.state.is_ended and moved.state.end_event == "End"
        assert [e.kind for e in moved.events] == [EventKind.TASK_END, EventKind.PROCESS_END]


def test_no_action_uses_the_task_types_own_action() -> None:
    engine = linear("confirmation")
    result = engine.next(started(engine), None, "bob")
    assert result.ok
    assert result.events[0].action == "confirm"


def test_declared_process_action_may_leave_and_server_action_may_not() -> None:
    actions = '<altinn:action>complete</altinn:action><altinn:action type="serverAction">lookup</altinn:action>'
    engine = linear("data", actions)
    state = started(engine)
    assert engine.allowed_actions(state) == ["write", "complete"]
    assert engine.next(state, "complete", "a").ok
    refused = engine.next(state, "lookup", "a")
    assert refused.refusal is not None and refused.refusal.code is RefusalCode.SERVER_ACTION
    assert "server action" in refused.refusal.message


def test_service_tasks_may_always_be_rejected() -> None:
    engine = engine_for(
        START,
        task("T1", "data"),
        task("Pdf", "pdf", tag="serviceTask"),
        gateway("G"),
        END,
        flow("f1", "Start", "T1"),
        flow("f2", "T1", "Pdf"),
        flow("f3", "Pdf", "G"),
        flow("back", "G", "T1", ["equals", ["gatewayAction"], "reject"]),
        flow("on", "G", "End", ["notEquals", ["gatewayAction"], "reject"]),
    )
    state = engine.next(started(engine), "write", "a").state
    assert state.current is not None and state.current.element_id == "Pdf"
    back = engine.next(state, "reject", "a")
    assert back.ok and back.state.current is not None and back.state.current.element_id == "T1"
    assert back.events[0].kind is EventKind.TASK_ABANDON


# --- gateways --------------------------------------------------------------------------------


def review_process(**options: object) -> ProcessEngine:
    return engine_for(
        START,
        task("Fill", "data"),
        task(
            "Sign",
            "signing",
            "<altinn:action>sign</altinn:action><altinn:action>reject</altinn:action>",
        ),
        gateway("G"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "Sign"),
        flow("f3", "Sign", "G"),
        flow("back", "G", "Fill", ["equals", ["gatewayAction"], "reject"]),
        flow("done", "G", "End", ["notEquals", ["gatewayAction"], "reject"]),
        **options,
    )


def test_action_based_gateway_and_reject_loop() -> None:
    engine = review_process()
    state = engine.next(started(engine), "write", "alice").state
    assert state.current is not None and state.current.element_id == "Sign"
    for _ in range(3):  # reject loops back as often as needed
        rejected = engine.next(state, "reject", "bob")
        assert rejected.ok
        assert [(e.kind, e.element_id) for e in rejected.events] == [
            (EventKind.TASK_ABANDON, "Sign"),
            (EventKind.TASK_START, "Fill"),
        ]
        state = engine.next(rejected.state, "write", "alice").state
    signed = engine.next(state, "sign", "bob")
    assert signed.ok and signed.state.end_event == "End"
    assert signed.events[0].kind is EventKind.TASK_END


def data_gateway(
    default: str | None = None, data_type: str | None = "model", **options: object
) -> ProcessEngine:
    return engine_for(
        START,
        task("Fill", "data"),
        gateway("G", default=default, data_type=data_type),
        task("Small", "data"),
        task("Big", "confirmation"),
        task("Other", "feedback"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G"),
        flow("small", "G", "Small", ["lessThan", ["dataModel", "amount"], 100]),
        flow("big", "G", "Big", ["greaterThanEq", ["dataModel", "amount"], 100]),
        flow("other", "G", "Other"),
        flow("e1", "Small", "End"),
        flow("e2", "Big", "End"),
        flow("e3", "Other", "End"),
        **options,
    )


def test_data_based_gateway_reads_the_connected_data_type() -> None:
    seen: list[str | None] = []

    engine = data_gateway(default="other")
    for amount, expected in ((5, "Small"), (500, "Big")):

        def data(data_type: str | None, amount: int = amount) -> object:
            seen.append(data_type)
            return {"amount": amount}

        state = started(engine)
        result = engine.next(state, None, "a", data)
        assert result.ok, result.refusal
        assert result.state.current is not None and result.state.current.element_id == expected
    assert seen and set(seen) == {"model"}


def test_flow_without_condition_counts_as_a_candidate() -> None:
    engine = data_gateway(default=None)
    result = engine.next(started(engine), None, "a", lambda _t: {"amount": 5})
    assert result.refusal is not None
    assert result.refusal.code is RefusalCode.GATEWAY_MANY_OUTCOMES
    assert result.refusal.element_id == "G" and "G" in result.refusal.message


def test_default_flow_when_no_condition_holds() -> None:
    engine = engine_for(
        START,
        task("Fill", "data"),
        gateway("G", default="fallback"),
        task("A", "data"),
        task("B", "data"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G"),
        flow("a", "G", "A", ["equals", ["dataModel", "choice"], "a"]),
        flow("fallback", "G", "B"),
        flow("e1", "A", "End"),
        flow("e2", "B", "End"),
    )
    to_a = engine.next(started(engine), None, "x", lambda _t: {"choice": "a"})
    assert to_a.state.current is not None and to_a.state.current.element_id == "A"
    to_b = engine.next(started(engine), None, "x", lambda _t: {"choice": "zzz"})
    assert to_b.state.current is not None and to_b.state.current.element_id == "B"


def test_default_data_type_of_the_task_is_used_without_gateway_extension() -> None:
    captured: list[str | None] = []
    engine = data_gateway(default="other", data_type=None, default_data_types={"Fill": "form"})
    engine.next(started(engine), None, "a", lambda t: captured.append(t) or {"amount": 1})
    assert captured == ["form"]


def test_chained_gateways() -> None:
    engine = engine_for(
        START,
        task("Fill", "data", "<altinn:action>reject</altinn:action>"),
        gateway("G1"),
        gateway("G2", default="to_c"),
        task("A", "data"),
        task("B", "data"),
        task("C", "data"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G1"),
        flow("to_a", "G1", "A", ["equals", ["gatewayAction"], "reject"]),
        flow("to_g2", "G1", "G2", ["notEquals", ["gatewayAction"], "reject"]),
        flow("to_b", "G2", "B", ["equals", ["dataModel", "x"], 1]),
        flow("to_c", "G2", "C"),
        flow("e1", "A", "End"),
        flow("e2", "B", "End"),
        flow("e3", "C", "End"),
    )
    state = started(engine)
    cases = [("reject", {"x": 1}, "A"), ("write", {"x": 1}, "B"), ("write", {"x": 2}, "C")]
    for action, data, expected in cases:
        result = engine.next(state, action, "u", lambda _t, d=data: d)
        assert result.ok, result.refusal
        assert result.state.current is not None and result.state.current.element_id == expected


def test_gateway_with_no_outcome_names_the_gateway() -> None:
    engine = data_gateway(default=None)
    engine_no_other = engine_for(
        START,
        task("Fill", "data"),
        gateway("Choose"),
        task("A", "data"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "Choose"),
        flow("a", "Choose", "A", ["equals", ["dataModel", "go"], True]),
        flow("e", "A", "End"),
    )
    result = engine_no_other.next(started(engine_no_other), None, "u", lambda _t: {"go": False})
    assert result.refusal is not None and result.refusal.code is RefusalCode.GATEWAY_NO_OUTCOME
    assert "Choose" in result.refusal.message
    assert engine is not None


def test_custom_gateway_filter_for_unconditioned_gateway() -> None:
    def only_first(flows: list, context: ConditionContext) -> list:
        assert context.gateway_action == "write"
        return flows[:1]

    engine = engine_for(
        START,
        task("Fill", "data"),
        gateway("G"),
        task("A", "data"),
        task("B", "data"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G"),
        flow("a", "G", "A"),
        flow("b", "G", "B"),
        flow("e1", "A", "End"),
        flow("e2", "B", "End"),
        gateway_filters={"G": only_first},
    )
    result = engine.next(started(engine), "write", "u")
    assert result.ok and result.state.current is not None and result.state.current.element_id == "A"


def test_condition_errors_are_refusals() -> None:
    def build(condition: object) -> ProcessEngine:
        return engine_for(
            START,
            task("Fill", "data"),
            gateway("G", default="d"),
            END,
            flow("f1", "Start", "Fill"),
            flow("f2", "Fill", "G"),
            flow("c", "G", "End", condition),
            flow("d", "G", "End"),
        )

    for condition in ("[not json", ["noSuchFunction", 1], ["greaterThan", ["dataModel", "x"], 1]):
        engine = build(condition)
        result = engine.next(started(engine), None, "u", lambda _t: {"x": "text"})
        assert result.refusal is not None, condition
        assert result.refusal.code is RefusalCode.CONDITION_ERROR
        assert result.refusal.element_id == "c"


def test_non_boolean_condition_result_does_not_hold() -> None:
    engine = engine_for(
        START,
        task("Fill", "data"),
        gateway("G", default="d"),
        task("A", "data"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G"),
        flow("c", "G", "A", ["dataModel", "x"]),
        flow("d", "G", "End"),
        flow("e", "A", "End"),
    )
    result = engine.next(started(engine), None, "u", lambda _t: {"x": "text"})
    assert result.ok and result.state.is_ended


def test_gateway_without_conditions_takes_its_default() -> None:
    engine = engine_for(
        START,
        task("Fill", "data"),
        gateway("G", default="on"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G"),
        flow("back", "G", "Fill", extra='altinn:flowtype="AbandonCurrentReturnToNext"'),
        flow("on", "G", "End"),
    )
    assert engine.next(started(engine), None, "u").state.is_ended


def test_injected_evaluator_is_used() -> None:
    calls: list[object] = []

    def evaluator(expression: object, context: ConditionContext) -> bool:
        calls.append(expression)
        assert isinstance(expression, list)
        matches = context.gateway_action == expression[2]
        return matches if expression[0] == "equals" else not matches

    engine = review_process(evaluator=evaluator)
    state = engine.next(started(engine), None, "a").state
    result = engine.next(state, "reject", "b")
    assert result.state.current is not None and result.state.current.element_id == "Fill"
    assert calls


def test_gateway_loop_without_task_is_refused() -> None:
    engine = engine_for(
        START,
        task("Fill", "data"),
        gateway("G1"),
        gateway("G2"),
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "G1"),
        flow("a", "G1", "G2"),
        flow("b", "G2", "G1"),
    )
    result = engine.next(started(engine), None, "u")
    assert result.refusal is not None and result.refusal.code is RefusalCode.GATEWAY_LOOP


# --- structural refusals -----------------------------------------------------------------------


def test_refusals_for_state_and_structure() -> None:
    engine = linear("data")
    assert engine.next(ProcessState(), None, "u").refusal.code is RefusalCode.NOT_STARTED  # type: ignore[union-attr]
    state = started(engine)
    assert engine.start(state, "u").refusal.code is RefusalCode.ALREADY_STARTED  # type: ignore[union-attr]
    ended = engine.next(state, None, "u").state
    assert engine.next(ended, None, "u").refusal.code is RefusalCode.ENDED  # type: ignore[union-attr]
    bogus = ProcessState.from_dict({**state.to_dict(), "currentTask": {"elementId": "Nope"}})
    assert engine.next(bogus, None, "u").refusal.code is RefusalCode.UNKNOWN_ELEMENT  # type: ignore[union-attr]

    no_start = engine_for(task("T", "data"), END, flow("f", "T", "End"))
    assert no_start.start(None, "u").refusal.code is RefusalCode.NO_START_EVENT  # type: ignore[union-attr]

    dead = engine_for(START, task("T", "data"), flow("f", "Start", "T"))
    assert dead.next(started(dead), None, "u").refusal.code is RefusalCode.DEAD_END  # type: ignore[union-attr]

    fan = engine_for(
        START,
        task("T", "data"),
        END,
        flow("f", "Start", "T"),
        flow("a", "T", "End"),
        flow("b", "T", "End"),
    )
    assert fan.next(started(fan), None, "u").refusal.code is RefusalCode.AMBIGUOUS  # type: ignore[union-attr]

    missing = engine_for(START, task("T", "data"), flow("f", "Start", "T"), flow("a", "T", "Ghost"))
    assert missing.next(started(missing), None, "u").refusal.code is RefusalCode.UNKNOWN_ELEMENT  # type: ignore[union-attr]

    parallel = engine_for(
        START,
        task("T", "data"),
        '<bpmn:parallelGateway id="P"/>',
        flow("f", "Start", "T"),
        flow("a", "T", "P"),
    )
    refusal = parallel.next(started(parallel), None, "u").refusal
    assert (
        refusal is not None
        and refusal.code is RefusalCode.UNSUPPORTED
        and refusal.element_id == "P"
    )


# --- hooks: validation, authorization, notifications, service tasks -------------------------


def test_validation_must_pass_before_leaving_but_not_for_reject() -> None:
    problems = ["amount is required"]
    engine = review_process(
        validator=lambda node, state, data: problems if node.id == "Fill" else []
    )
    state = started(engine)
    refused = engine.next(state, "write", "u")
    assert refused.refusal is not None and refused.refusal.code is RefusalCode.VALIDATION_FAILED
    assert refused.refusal.details == ("amount is required",)
    problems = []
    state = engine.next(state, "write", "u").state
    problems = ["signature missing"]
    assert engine.next(state, "reject", "u").ok


def test_authorizer_can_refuse() -> None:
    engine = linear("signing", authorizer=lambda actor, action, node: actor == "boss")
    state = started(engine)
    refused = engine.next(state, "sign", "intern")
    assert refused.refusal is not None and refused.refusal.code is RefusalCode.UNAUTHORIZED
    assert engine.next(state, "sign", "boss").ok


def test_hooks_see_every_event_and_can_refuse() -> None:
    log: list[tuple[str, str | None]] = []

    def record(event, state):  # type: ignore[no-untyped-def]
        log.append((event.kind.value, event.element_id))

    hooks = ProcessHooks(
        on_process_start=[record],
        on_task_start=[record],
        on_task_end=[record],
        on_task_abandon=[record],
        on_process_end=[record],
    )
    engine = review_process(hooks=hooks)
    state = started(engine)
    state = engine.next(state, None, "u").state
    state = engine.next(state, "reject", "u").state
    state = engine.next(state, None, "u").state
    engine.next(state, "sign", "u")
    assert log == [
        ("process_start", "Start"),
        ("task_start", "Fill"),
        ("task_end", "Fill"),
        ("task_start", "Sign"),
        ("task_abandon", "Sign"),
        ("task_start", "Fill"),
        ("task_end", "Fill"),
        ("task_start", "Sign"),
        ("task_end", "Sign"),
        ("process_end", "End"),
    ]

    def fail(event, state):  # type: ignore[no-untyped-def]
        raise RuntimeError("mail server down")

    failing = review_process(hooks=ProcessHooks(on_task_end=[fail]))
    state = started(failing)
    result = failing.next(state, None, "u")
    assert result.refusal is not None and result.refusal.code is RefusalCode.HOOK_FAILED
    assert "mail server down" in result.refusal.message and result.state is state


def test_service_task_runner_moves_on_automatically_or_stays() -> None:
    parts = (
        START,
        task("Fill", "data"),
        task("Pdf", "pdf", tag="serviceTask"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "Pdf"),
        flow("f3", "Pdf", "End"),
    )
    ran: list[str] = []
    auto = engine_for(*parts, service_task_runner=lambda node, state: ran.append(node.id) or True)
    result = auto.next(started(auto), None, "u")
    assert result.ok and result.state.is_ended and ran == ["Pdf"]
    assert [e.kind for e in result.events] == [
        EventKind.TASK_END,
        EventKind.TASK_START,
        EventKind.TASK_END,
        EventKind.PROCESS_END,
    ]
    failing = engine_for(*parts, service_task_runner=lambda node, state: False)
    stuck = failing.next(started(failing), None, "u")
    assert stuck.ok and stuck.state.current is not None and stuck.state.current.element_id == "Pdf"


def test_abandon_flow_type_abandons_the_task() -> None:
    engine = engine_for(
        START,
        task("T", "data"),
        END,
        flow("f1", "Start", "T"),
        flow("f2", "T", "End", extra='altinn:flowtype="AbandonCurrentMoveToNext"'),
    )
    result = engine.next(started(engine), None, "u")
    assert result.events[0].kind is EventKind.TASK_ABANDON


# --- history, clock and serialization ----------------------------------------------------------


def test_history_records_who_did_what_when_and_serializes() -> None:
    clock = Clock()
    engine = review_process(clock=clock)
    state = engine.start(None, "alice").state
    state = engine.next(state, "write", "alice").state
    state = engine.next(state, "reject", "bob").state
    assert [(e.kind.value, e.element_id, e.actor, e.action) for e in state.history] == [
        ("process_start", "Start", "alice", None),
        ("task_start", "Fill", "alice", None),
        ("task_end", "Fill", "alice", "write"),
        ("task_start", "Sign", "alice", "write"),
        ("task_abandon", "Sign", "bob", "reject"),
        ("task_start", "Fill", "bob", "reject"),
    ]
    assert [e.kind.instance_event_type for e in state.history[:3]] == [
        "process_StartEvent",
        "process_StartTask",
        "process_EndTask",
    ]
    times = [e.at for e in state.history]
    assert times == sorted(times) and times[0].startswith("2026-01-01T00:00:01")
    assert state.current is not None and state.current.flow == 3
    restored = ProcessState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert restored == state
    assert engine.next(restored, "write", "alice").ok


def test_service_tasks_looping_forever_are_stopped() -> None:
    engine = engine_for(
        START,
        task("Fill", "data"),
        task("Pdf", "pdf", tag="serviceTask"),
        gateway("G"),
        END,
        flow("f1", "Start", "Fill"),
        flow("f2", "Fill", "Pdf"),
        flow("f3", "Pdf", "G"),
        flow("again", "G", "Pdf", ["equals", ["gatewayAction"], "write"]),
        flow("out", "G", "End", ["notEquals", ["gatewayAction"], "write"]),
        service_task_runner=lambda node, state: True,
    )
    result = engine.next(started(engine), None, "u")
    assert result.refusal is not None and result.refusal.code is RefusalCode.SERVICE_TASK_LOOP


# --- the default evaluator: the expression language ------------------------------------------


def test_default_evaluator_uses_the_expression_language() -> None:
    from app_runtime.process.conditions import check_condition, default_evaluator

    evaluator = default_evaluator()
    pytest.importorskip("layouts.expressions")
    assert type(evaluator).__name__ == "ExpressionLanguageEvaluator"
    engine = data_gateway(default="other", evaluator=evaluator)
    for amount, expected in ((5, "Small"), (500, "Big")):
        result = engine.next(started(engine), None, "a", lambda _t, a=amount: {"amount": a})
        assert result.ok, result.refusal
        assert result.state.current is not None and result.state.current.element_id == expected
    review = review_process(evaluator=evaluator)
    state = review.next(started(review), None, "a").state
    assert review.next(state, "reject", "b").state.current.element_id == "Fill"  # type: ignore[union-attr]
    assert check_condition(["equals", ["gatewayAction"], "reject"]) == []
    assert check_condition(["concat", "a", "b"])
    assert check_condition(["noSuchFunction"])


def test_condition_may_read_another_data_type() -> None:
    from app_runtime.process.conditions import default_evaluator, evaluate_subset

    for evaluator in (default_evaluator(), evaluate_subset):
        engine = engine_for(
            START,
            task("Fill", "data"),
            gateway("G", default="d", data_type="main"),
            task("Extra", "data"),
            END,
            flow("f1", "Start", "Fill"),
            flow("f2", "Fill", "G"),
            flow("x", "G", "Extra", ["equals", ["dataModel", "flag", "other"], True]),
            flow("d", "G", "End"),
            flow("e", "Extra", "End"),
            evaluator=evaluator,
        )
        stores = {"main": {"flag": False}, "other": {"flag": True}}
        result = engine.next(started(engine), None, "u", stores.get)
        assert result.ok, (evaluator, result.refusal)
        assert result.state.current is not None and result.state.current.element_id == "Extra"
