"""Process engine throughput: Formstudio's engine against SpiffWorkflow, side by side.

One Altinn process (data -> exclusive gateway -> confirmation -> signing -> end) is driven
through N instances by both engines. Every step is followed by serializing the instance's
process state to JSON, as a runtime that stores instances must do. SpiffWorkflow (a benchmark
extra, `pip install formstudio[bench]`) gets a small parser hook that reads the
altinn:taskExtension, `isExecutable` forced on, and a script engine that evaluates the
gateway's JSON expression with the same evaluator Formstudio uses (the expression language
when installed), so both engines do the same work.

Usage: python bench/process.py [--instances 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from lxml import etree

from app_runtime.process.conditions import ConditionContext, Evaluator, default_evaluator
from app_runtime.process.engine import ProcessEngine
from app_runtime.process.model import ALTINN_NS
from app_runtime.process.reader import read_process_bytes

PROCESS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:altinn="http://altinn.no/process" id="bench" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Bench" isExecutable="false">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Task_Data" name="Fill in">
      <bpmn:extensionElements><altinn:taskExtension>
        <altinn:taskType>data</altinn:taskType>
      </altinn:taskExtension></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:task>
    <bpmn:exclusiveGateway id="Gateway_1" default="to_sign">
      <bpmn:extensionElements><altinn:gatewayExtension>
        <altinn:connectedDataTypeId>model</altinn:connectedDataTypeId>
      </altinn:gatewayExtension></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>to_confirm</bpmn:outgoing><bpmn:outgoing>to_sign</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:task id="Task_Confirm" name="Confirm">
      <bpmn:extensionElements><altinn:taskExtension>
        <altinn:taskType>confirmation</altinn:taskType>
        <altinn:actions><altinn:action>confirm</altinn:action></altinn:actions>
      </altinn:taskExtension></bpmn:extensionElements>
      <bpmn:incoming>to_confirm</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:task>
    <bpmn:task id="Task_Sign" name="Sign">
      <bpmn:extensionElements><altinn:taskExtension>
        <altinn:taskType>signing</altinn:taskType>
        <altinn:actions><altinn:action>sign</altinn:action></altinn:actions>
      </altinn:taskExtension></bpmn:extensionElements>
      <bpmn:incoming>f4</bpmn:incoming><bpmn:incoming>to_sign</bpmn:incoming>
      <bpmn:outgoing>f5</bpmn:outgoing>
    </bpmn:task>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="StartEvent_1" targetRef="Task_Data" />
    <bpmn:sequenceFlow id="f2" sourceRef="Task_Data" targetRef="Gateway_1" />
    <bpmn:sequenceFlow id="to_confirm" sourceRef="Gateway_1" targetRef="Task_Confirm">
      <bpmn:conditionExpression>["and", ["notEquals", ["gatewayAction"], "reject"], ["equals", ["dataModel", "needsConfirmation"], true]]</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_sign" sourceRef="Gateway_1" targetRef="Task_Sign" />
    <bpmn:sequenceFlow id="f4" sourceRef="Task_Confirm" targetRef="Task_Sign" />
    <bpmn:sequenceFlow id="f5" sourceRef="Task_Sign" targetRef="EndEvent_1" />
  </bpmn:process>
</bpmn:definitions>
"""

ACTIONS = {"data": "write", "confirmation": "confirm", "signing": "sign"}
EXPECTED_TASKS = ["Task_Data", "Task_Confirm", "Task_Sign"]


def instance_data(number: int) -> dict[str, Any]:
    return {"needsConfirmation": True, "applicant": f"person {number}", "amount": number}


# --- Formstudio ------------------------------------------------------------------------------


def run_formstudio(instances: int, evaluator: Evaluator) -> tuple[float, int]:
    document = read_process_bytes(PROCESS, "bench.bpmn")
    assert document.process is not None
    engine = ProcessEngine(document.process, evaluator=evaluator)
    types = {n.id: n.task_type for n in document.process.tasks}
    steps = 0
    started = time.perf_counter()
    for number in range(instances):
        data = instance_data(number)

        def accessor(_data_type: str | None, data: dict[str, Any] = data) -> dict[str, Any]:
            return data

        result = engine.start(None, "user", accessor)
        stored = json.dumps(result.state.to_dict())
        visited = []
        while True:
            state = result.state
            steps += 1
            if state.current is None:
                break
            visited.append(state.current.element_id)
            action = ACTIONS[types[state.current.element_id] or "data"]
            result = engine.next(state, action, "user", accessor)
            if not result.ok:
                raise SystemExit(f"Formstudio refused: {result.refusal}")
            stored = json.dumps(result.state.to_dict())
        assert visited == EXPECTED_TASKS, visited
        assert stored
    return time.perf_counter() - started, steps


# --- SpiffWorkflow ---------------------------------------------------------------------------


def spiff_runner(evaluator: Evaluator) -> Callable[[int], tuple[float, int]]:
    """Build SpiffWorkflow with an altinn task parser; imported lazily (a bench-only extra)."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, full_tag
    from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
    from SpiffWorkflow.bpmn.serializer import DEFAULT_CONFIG, BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
    from SpiffWorkflow.bpmn.specs.defaults import UserTask
    from SpiffWorkflow.util.task import TaskState

    class AltinnTask(UserTask):  # type: ignore[misc]
        """A user task carrying the altinn task type and its actions."""

        def __init__(
            self,
            wf_spec: Any,
            bpmn_id: str,
            task_type: str | None = None,
            actions: list[str] | None = None,
            **kwargs: Any,
        ) -> None:
            super().__init__(wf_spec, bpmn_id, **kwargs)
            self.task_type = task_type
            self.actions = actions or []

    class AltinnTaskParser(TaskParser):  # type: ignore[misc]
        """Reads <altinn:taskExtension> (taskType, actions) into the spec."""

        def create_task(self) -> Any:
            ns = {"altinn": ALTINN_NS}
            found = self.node.xpath(".//altinn:taskExtension/altinn:taskType/text()", namespaces=ns)
            actions = self.node.xpath(
                ".//altinn:taskExtension/altinn:actions/altinn:action/text()", namespaces=ns
            )
            return self.spec_class(
                self.spec,
                self.bpmn_id,
                task_type=found[0].strip() if found else None,
                actions=[a.strip() for a in actions],
                **self.bpmn_attributes,
            )

    class AltinnParser(BpmnParser):  # type: ignore[misc]
        OVERRIDE_PARSER_CLASSES = {
            **BpmnParser.OVERRIDE_PARSER_CLASSES,
            full_tag("task"): (AltinnTaskParser, AltinnTask),
        }

        def add_bpmn_xml(self, bpmn: Any, filename: str | None = None) -> None:
            for process in bpmn.iter(full_tag("process")):
                process.set("isExecutable", "true")  # Altinn writes false; Spiff skips those
            super().add_bpmn_xml(bpmn, filename)

    class AltinnTaskConverter(BpmnTaskSpecConverter):  # type: ignore[misc]
        def to_dict(self, spec: Any) -> dict[str, Any]:
            dct = self.get_default_attributes(spec)
            dct["task_type"] = spec.task_type
            dct["actions"] = spec.actions
            return dct

    class JsonExpressionEngine(PythonScriptEngine):  # type: ignore[misc]
        """Evaluates the gateway's JSON expressions with the same evaluator Formstudio uses."""

        def __init__(self) -> None:
            super().__init__()
            self._parsed: dict[str, Any] = {}

        def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
            parsed = self._parsed.get(expression)
            if parsed is None:
                parsed = self._parsed[expression] = json.loads(expression)
            data = task.data
            context = ConditionContext(data.get("gatewayAction"), data.get("model"), "model")
            return evaluator(parsed, context) is True

    parser = AltinnParser()
    parser.add_bpmn_xml(etree.fromstring(PROCESS), "bench.bpmn")
    spec = parser.get_spec("Bench")
    registry = BpmnWorkflowSerializer.configure({**DEFAULT_CONFIG, AltinnTask: AltinnTaskConverter})
    serializer = BpmnWorkflowSerializer(registry)
    script_engine = JsonExpressionEngine()

    def run(instances: int) -> tuple[float, int]:
        steps = 0
        started = time.perf_counter()
        for number in range(instances):
            workflow = BpmnWorkflow(spec, script_engine=script_engine)
            workflow.do_engine_steps()
            stored = serializer.serialize_json(workflow)
            visited = []
            while True:
                steps += 1
                task = workflow.get_next_task(state=TaskState.READY, manual=True)
                if task is None:
                    break
                visited.append(task.task_spec.bpmn_id)
                task.data["model"] = instance_data(number)
                task.data["gatewayAction"] = ACTIONS[task.task_spec.task_type]
                task.run()
                workflow.do_engine_steps()
                stored = serializer.serialize_json(workflow)
            assert workflow.is_completed() and visited == EXPECTED_TASKS, visited
            assert stored
        return time.perf_counter() - started, steps

    return run


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--instances", type=int, default=10_000)
    args = options.parse_args(argv)
    evaluator = default_evaluator()
    try:
        spiff = spiff_runner(evaluator)
    except ImportError:
        print("SpiffWorkflow is not installed: pip install 'formstudio[bench]'", file=sys.stderr)
        return 2
    ours, our_steps = run_formstudio(args.instances, evaluator)
    theirs, their_steps = spiff(args.instances)
    our_rate = args.instances / ours
    their_rate = args.instances / theirs
    print(f"instances: {args.instances}; condition evaluator: {type(evaluator).__name__}")
    print("each instance: start + 3 steps, state serialized to JSON after every step")
    print(f"formstudio:    {ours:8.2f} s  {our_rate:10.0f} instances/s  ({our_steps} steps)")
    print(f"spiffworkflow: {theirs:8.2f} s  {their_rate:10.0f} instances/s  ({their_steps} steps)")
    print(f"formstudio_instances_per_second = {our_rate:.0f}")
    print(f"spiffworkflow_instances_per_second = {their_rate:.0f}")
    print(f"speedup_vs_spiffworkflow = {our_rate / their_rate:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
