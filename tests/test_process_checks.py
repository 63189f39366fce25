"""PROC checks: each rule fires on a process made to break it, and a sound process is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app_runtime.app import load_app
from app_runtime.checks.process import process_checks
from app_runtime.checks.registry import all_checks
from app_runtime.process.checks import check_document
from app_runtime.process.reader import read_process_bytes
from app_runtime.validation import run_checks
from schemas.diagnostics import Severity

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:altinn="http://altinn.no/process"'
)


def bpmn(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions {NS} id="d">\n'
        f'<bpmn:process id="p" isExecutable="false">\n{body}\n</bpmn:process>\n'
        "</bpmn:definitions>\n"
    ).encode()


def task(
    task_id: str, task_type: str | None, actions: str = "", inner: str = "", tag: str = "task"
) -> str:
    ext = ""
    if task_type is not None:
        acts = f"<altinn:actions>{actions}</altinn:actions>" if actions else ""
        ext = (
            "<bpmn:extensionElements><altinn:taskExtension>"
            f"<altinn:taskType>{task_type}</altinn:taskType>{acts}{inner}"
            "</altinn:taskExtension></bpmn:extensionElements>"
        )
    return f'<bpmn:{tag} id="{task_id}">{ext}</bpmn:{tag}>'


def flow(
    flow_id: str, source: str, target: str, condition: str | None = None, extra: str = ""
) -> str:
    body = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}" {extra}>{body}</bpmn:sequenceFlow>'


START = '<bpmn:startEvent id="Start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'
END = '<bpmn:endEvent id="End"/>'


def codes(raw: bytes) -> list[str]:
    return [f.code for f in check_document(read_process_bytes(raw, "process.bpmn"))]


SOUND = bpmn(
    "\n".join(
        [
            START,
            task("Fill", "data").replace(
                "</bpmn:task>",
                "<bpmn:incoming>f0</bpmn:incoming><bpmn:incoming>back</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing></bpmn:task>",
            ),
            task(
                "Sign",
                "signing",
                "<altinn:action>sign</altinn:action><altinn:action>reject</altinn:action>",
            ).replace(
                "</bpmn:task>",
                "<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:task>",
            ),
            '<bpmn:exclusiveGateway id="G"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>back</bpmn:outgoing><bpmn:outgoing>on</bpmn:outgoing></bpmn:exclusiveGateway>',
            '<bpmn:endEvent id="End"><bpmn:incoming>on</bpmn:incoming></bpmn:endEvent>',
            flow("f0", "Start", "Fill"),
            flow("f1", "Fill", "Sign"),
            flow("f2", "Sign", "G"),
            flow("back", "G", "Fill", '["equals", ["gatewayAction"], "reject"]'),
            flow("on", "G", "End", '["notEquals", ["gatewayAction"], "reject"]'),
        ]
    )
)


def test_sound_process_has_no_findings() -> None:
    assert codes(SOUND) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<bpmn:parallelGateway id='P'/>" + START + flow("f0", "Start", "P"), "PROC003"),
        (
            START
            + task("T", "data")
            + task("T", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC004",
        ),
        (task("T", "data") + END + flow("f1", "T", "End"), "PROC010"),
        (
            START
            + START.replace("Start", "Start2")
            + task("T", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC010",
        ),
        (
            START
            + task("T", "data")
            + task("Lost", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End")
            + flow("f2", "Lost", "End"),
            "PROC011",
        ),
        (START + task("T", "data") + END + flow("f0", "Start", "T"), "PROC012"),
        (
            START + task("T", "data") + END + flow("f0", "Start", "T") + flow("f1", "T", "Nowhere"),
            "PROC013",
        ),
        (
            START + task("T", "data") + END + flow("f0", "Start", "T") + flow("f1", "T", "End"),
            "PROC014",
        ),
        (
            START
            + task("T", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End")
            + flow("f2", "T", "End"),
            "PROC015",
        ),
        (
            START + task("T", None) + END + flow("f0", "Start", "T") + flow("f1", "T", "End"),
            "PROC020",
        ),
        (
            START + task("T", "dtaa") + END + flow("f0", "Start", "T") + flow("f1", "T", "End"),
            "PROC021",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End")
            + flow("b", "G", "T"),
            "PROC030",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G' default='nope'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End"),
            "PROC031",
        ),
        (
            START
            + task("T", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End", '["equals", 1, 1]'),
            "PROC032",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G' default='b'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End", '["equals", 1'),
            "PROC040",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G' default='b'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End", '"yes"')
            + flow("b", "G", "End"),
            "PROC040",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G' default='b'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End", '["noSuchFunction"]')
            + flow("b", "G", "End"),
            "PROC040",
        ),
        (
            START
            + task("T", "data")
            + "<bpmn:exclusiveGateway id='G' default='b'/>"
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "G")
            + flow("a", "G", "End", '["equals", ["gatewayAction"], "sign"]')
            + flow("b", "G", "End"),
            "PROC041",
        ),
        (
            START
            + task("T", "data", "<altinn:action>sign</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC050",
        ),
        (
            START
            + task("T", "confirmation", "<altinn:action>pay</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC050",
        ),
        (
            START
            + task("T", "data", "<altinn:action type='clientAction'>x</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC051",
        ),
        (
            START
            + task("T", "data", "<altinn:action>x</altinn:action><altinn:action>x</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC052",
        ),
        (
            START
            + task("T", "data", "<altinn:action type='serverAction'>sign</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC053",
        ),
        (
            START
            + task("T", "signing", "<altinn:action>reject</altinn:action>")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC054",
        ),
        (
            START
            + task("T", "data")
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End", extra='altinn:flowtype="Sideways"'),
            "PROC055",
        ),
        (
            START
            + task("T", "data").replace(
                "</bpmn:extensionElements>", "<altinn:gatewayExtension/></bpmn:extensionElements>"
            )
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC066",
        ),
        (
            START
            + task(
                "T",
                "pdf",
                inner="<altinn:pdfConfig><altinn:autoPdfTaskIds><altinn:taskId>Ghost</altinn:taskId></altinn:autoPdfTaskIds></altinn:pdfConfig>",
                tag="serviceTask",
            )
            + END
            + flow("f0", "Start", "T")
            + flow("f1", "T", "End"),
            "PROC065",
        ),
    ],
)
def test_each_rule_fires(body: str, code: str) -> None:
    found = check_document(read_process_bytes(bpmn(body), "process.bpmn"), _refs())
    assert code in [f.code for f in found], [(f.code, f.message) for f in found]
    for finding in found:
        assert finding.location.file == "process.bpmn"
        assert finding.message


def _refs():  # type: ignore[no-untyped-def]
    from app_runtime.process.checks import AppReferences

    return AppReferences(data_type_ids=set())


def test_findings_point_at_lines() -> None:
    raw = bpmn(
        START
        + "\n"
        + task("T", None)
        + "\n"
        + END
        + "\n"
        + flow("f0", "Start", "T")
        + flow("f1", "T", "End")
    )
    finding = next(
        f for f in check_document(read_process_bytes(raw, "p.bpmn")) if f.code == "PROC020"
    )
    assert finding.location.line == 5
    assert finding.severity is Severity.ERROR and finding.hint


def test_empty_process_and_no_process() -> None:
    assert "PROC002" in codes(bpmn(""))
    raw = f'<bpmn:definitions {NS} id="d"/>'.encode()
    assert "PROC002" in codes(raw)


def _write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


POLICY = """<?xml version="1.0" encoding="utf-8"?>
<xacml:Policy xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="p" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides" Version="1.0">
  <xacml:Target/>
  <xacml:Rule RuleId="urn:altinn:example:ruleid:1" Effect="Permit">
    <xacml:Target><xacml:AnyOf><xacml:AllOf>
      <xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
        <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">Task_9</xacml:AttributeValue>
        <xacml:AttributeDesignator AttributeId="urn:altinn:task" Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
      </xacml:Match>
      <xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
        <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">EndEvent_9</xacml:AttributeValue>
        <xacml:AttributeDesignator AttributeId="urn:altinn:end-event" Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
      </xacml:Match>
    </xacml:AllOf></xacml:AnyOf></xacml:Target>
  </xacml:Rule>
</xacml:Policy>
"""


def test_app_references_to_missing_tasks(tmp_path: Path) -> None:
    _write(tmp_path, "App/config/process/process.bpmn", SOUND.decode())
    metadata = {
        "id": "ttd/app",
        "dataTypes": [
            {"id": "model", "taskId": "Fill", "appLogic": {"classRef": "M"}},
            {"id": "old", "taskId": "Task_Gone"},
        ],
    }
    _write(tmp_path, "App/config/applicationmetadata.json", json.dumps(metadata, indent=2))
    layout_sets = {
        "sets": [
            {"id": "form", "dataType": "model", "tasks": ["Fill"]},
            {"id": "stale", "dataType": "model", "tasks": ["Task_Renamed"]},
            {"id": "receipt", "dataType": "model", "tasks": ["CustomReceipt"]},
        ]
    }
    _write(tmp_path, "App/ui/layout-sets.json", json.dumps(layout_sets, indent=2))
    _write(tmp_path, "App/config/authorization/policy.xml", POLICY)
    app = load_app(tmp_path)
    # Reported once each, by the checks that own those files, not again by the process checks.
    assert not [f for f in process_checks(app) if f.code.startswith("PROC06")]
    found = {
        (f.code, f.location.file): f
        for f in run_checks(app)
        if "Task_Renamed" in f.message or "Task_Gone" in f.message or "_9" in f.message
    }
    assert {code for code, _ in found} == {"META003", "META004", "AUTH004", "AUTH005"}
    assert ("META004", "App/ui/layout-sets.json") in found
    assert ("META003", "App/config/applicationmetadata.json") in found
    policy = [f for (code, file), f in found.items() if code == "AUTH004"]
    assert policy and policy[0].location.file == "App/config/authorization/policy.xml"
    messages = " ".join(f.message for f in run_checks(app))
    assert "CustomReceipt" not in messages


def test_unknown_data_types_in_configs(tmp_path: Path) -> None:
    body = (
        START
        + task(
            "S",
            "signing",
            "<altinn:action>sign</altinn:action>",
            "<altinn:signatureConfig><altinn:dataTypesToSign><altinn:dataType>ghost</altinn:dataType>"
            "</altinn:dataTypesToSign><altinn:signatureDataType>sig</altinn:signatureDataType></altinn:signatureConfig>",
        )
        + END
        + flow("f0", "Start", "S")
        + flow("f1", "S", "End")
    )
    _write(tmp_path, "App/config/process/process.bpmn", bpmn(body).decode())
    _write(
        tmp_path,
        "App/config/applicationmetadata.json",
        json.dumps({"id": "a/b", "dataTypes": [{"id": "sig"}]}),
    )
    messages = [f.message for f in process_checks(load_app(tmp_path)) if f.code == "PROC064"]
    assert len(messages) == 1 and "ghost" in messages[0]


def test_unreadable_process_is_one_finding(tmp_path: Path) -> None:
    _write(tmp_path, "App/config/process/process.bpmn", "<bpmn:definitions")
    _write(tmp_path, "App/config/applicationmetadata.json", "{}")
    found = list(process_checks(load_app(tmp_path)))
    assert [f.code for f in found] == ["PROC001"]
    assert found[0].location.file == "App/config/process/process.bpmn" and found[0].location.line


def test_registered_in_the_check_registry() -> None:
    registered = [c for c in all_checks() if c.area == "process"]
    assert registered and registered[0].run is process_checks
    assert {r.code for r in registered[0].rules} >= {"PROC010", "PROC040", "PROC064"}
