"""Reading process.bpmn: Altinn extensions, line numbers, unsupported BPMN, bad input."""

from __future__ import annotations

import pytest

from app_runtime.process.model import NodeKind, actions_that_allow_next
from app_runtime.process.reader import ProcessReadError, read_process_bytes
from schemas.xmlsafe import XmlSafetyError

ALTINN = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:altinn="http://altinn.no/process" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="defs">
  <bpmn:process id="Proc" name="Søknad" isExecutable="false">
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Sign" name="Signering">
      <bpmn:extensionElements>
        <altinn:taskExtension>
          <altinn:taskType>signing</altinn:taskType>
          <altinn:actions>
            <altinn:action>sign</altinn:action>
            <altinn:action type="serverAction">lookup</altinn:action>
          </altinn:actions>
          <altinn:signatureConfig>
            <altinn:dataTypesToSign><altinn:dataType>model</altinn:dataType><altinn:dataType>pdf</altinn:dataType></altinn:dataTypesToSign>
            <altinn:signatureDataType>signature</altinn:signatureDataType>
            <altinn:runDefaultValidator>true</altinn:runDefaultValidator>
          </altinn:signatureConfig>
          <altinn:futureConfig><altinn:knob>7</altinn:knob></altinn:futureConfig>
        </altinn:taskExtension>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:task>
    <bpmn:task id="Pay"><bpmn:extensionElements><altinn:taskExtension>
      <altinn:taskType>payment</altinn:taskType>
      <altinn:paymentConfig><altinn:paymentDataType>payInfo</altinn:paymentDataType>
      <altinn:paymentReceiptPdfDataType>receipt</altinn:paymentReceiptPdfDataType></altinn:paymentConfig>
    </altinn:taskExtension></bpmn:extensionElements></bpmn:task>
    <bpmn:serviceTask id="Pdf"><bpmn:extensionElements><altinn:taskExtension>
      <altinn:taskType>pdf</altinn:taskType>
      <altinn:pdfConfig><altinn:filenameTextResourceKey>file.name</altinn:filenameTextResourceKey>
      <altinn:autoPdfTaskIds><altinn:taskId>Sign</altinn:taskId></altinn:autoPdfTaskIds></altinn:pdfConfig>
    </altinn:taskExtension></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:serviceTask id="Send"><bpmn:extensionElements><altinn:taskExtension>
      <altinn:taskType>eFormidling</altinn:taskType>
      <altinn:eFormidlingConfig><altinn:receiver>910075918</altinn:receiver>
      <altinn:dataTypes><altinn:dataType>model</altinn:dataType></altinn:dataTypes></altinn:eFormidlingConfig>
    </altinn:taskExtension></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:exclusiveGateway id="Gw" default="f4">
      <bpmn:extensionElements><altinn:gatewayExtension>
        <altinn:connectedDataTypeId>model</altinn:connectedDataTypeId>
      </altinn:gatewayExtension></bpmn:extensionElements>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Sign"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Sign" targetRef="Gw"/>
    <bpmn:sequenceFlow id="f3" sourceRef="Gw" targetRef="Sign" altinn:flowtype="AbandonCurrentMoveToNext">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">["equals", ["gatewayAction"], "reject"]
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="Gw" targetRef="End"/>
    <bpmn:sequenceFlow id="f5" sourceRef="Gw" targetRef="End">
      <bpmn:conditionExpression>["equals", oops</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>
""".encode()


def test_altinn_extensions_are_read() -> None:
    document = read_process_bytes(ALTINN, "process.bpmn")
    process = document.process
    assert process is not None
    assert (process.id, process.name, process.is_executable) == ("Proc", "Søknad", False)
    sign = process.nodes["Sign"]
    assert sign.kind is NodeKind.TASK and sign.task_type == "signing"
    assert [(a.name, a.type, a.moves_process) for a in sign.actions] == [
        ("sign", "processAction", True),
        ("lookup", "serverAction", False),
    ]
    signature = sign.extension.signature_config  # type: ignore[union-attr]
    assert signature is not None
    assert signature.data_types_to_sign == ("model", "pdf")
    assert signature.signature_data_type == "signature"
    assert signature.run_default_validator is True
    assert sign.extension.configs["futureConfig"] == {"knob": "7"}  # type: ignore[union-attr]
    pay = process.nodes["Pay"].extension.payment_config  # type: ignore[union-attr]
    assert pay is not None and (pay.payment_data_type, pay.payment_receipt_pdf_data_type) == (
        "payInfo",
        "receipt",
    )
    pdf = process.nodes["Pdf"]
    assert pdf.kind is NodeKind.SERVICE_TASK
    assert pdf.extension.pdf_config.auto_pdf_task_ids == ("Sign",)  # type: ignore[union-attr]
    assert pdf.extension.pdf_config.filename_text_resource_key == "file.name"  # type: ignore[union-attr]
    eformidling = process.nodes["Send"].extension.eformidling_config  # type: ignore[union-attr]
    assert eformidling == {"receiver": "910075918", "dataTypes": {"dataType": "model"}}
    gateway = process.nodes["Gw"]
    assert gateway.default_flow == "f4" and gateway.connected_data_type_id == "model"
    back = process.flows["f3"]
    assert back.flow_type == "AbandonCurrentMoveToNext"
    assert back.condition is not None
    assert back.condition.expression == ["equals", ["gatewayAction"], "reject"]
    broken = process.flows["f5"].condition
    assert broken is not None and broken.error is not None and broken.expression is None
    assert [f.id for f in process.outgoing("Gw")] == ["f3", "f4", "f5"]
    assert [f.id for f in process.incoming("Sign")] == ["f1", "f3"]


def test_every_element_keeps_its_line() -> None:
    process = read_process_bytes(ALTINN).process
    assert process is not None
    lines = ALTINN.decode("utf-8-sig").splitlines()
    for element_id, node in process.nodes.items():
        assert node.line is not None
        assert f'id="{element_id}"' in lines[node.line - 1]
    for flow_id, flow in process.flows.items():
        assert f'id="{flow_id}"' in lines[flow.line - 1]  # type: ignore[operator]
    sign = process.nodes["Sign"]
    assert "<altinn:action>sign" in lines[sign.actions[0].line - 1]  # type: ignore[operator]
    condition = process.flows["f3"].condition
    assert condition is not None and "conditionExpression" in lines[condition.line - 1]  # type: ignore[operator]


UNSUPPORTED = b"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <collaboration id="c"><participant id="pool" processRef="p"/></collaboration>
  <process id="p">
    <laneSet id="ls"><lane id="lane1"/></laneSet>
    <startEvent id="s"><timerEventDefinition id="t"/></startEvent>
    <parallelGateway id="fork"/>
    <subProcess id="sub"><startEvent id="inner"/></subProcess>
    <userTask id="ut"/>
    <task id="loop"><standardLoopCharacteristics/></task>
    <intermediateCatchEvent id="wait"><messageEventDefinition/></intermediateCatchEvent>
    <textAnnotation id="note"><text>hi</text></textAnnotation>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
  </process>
</definitions>
"""


def test_unsupported_elements_are_reported_with_lines_not_crashed_on() -> None:
    document = read_process_bytes(UNSUPPORTED, "x.bpmn")
    found = {(u.tag, u.line, u.blocking) for u in document.all_unsupported()}
    expected = {
        ("collaboration", 3, False),
        ("laneSet", 5, False),
        ("timerEventDefinition", 6, True),
        ("parallelGateway", 7, True),
        ("subProcess", 8, True),
        ("userTask", 9, True),
        ("standardLoopCharacteristics", 10, True),
        ("intermediateCatchEvent", 11, True),
        ("textAnnotation", 12, False),
    }
    assert expected <= found
    process = document.process
    assert process is not None
    assert process.nodes["fork"].kind is NodeKind.UNSUPPORTED
    assert "inner" not in process.nodes  # inside the sub-process, which is not executed


def test_legacy_tasktype_attribute_and_namespace() -> None:
    raw = b"""<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:altinn="http://altinn.no" id="d"><bpmn:process id="p">
        <bpmn:task id="T" altinn:tasktype="data"/>
        <bpmn:sequenceFlow id="f" sourceRef="T" targetRef="T" altinn:flowtype="AbandonCurrentReturnToNext"/>
        </bpmn:process></bpmn:definitions>"""
    process = read_process_bytes(raw).process
    assert process is not None
    task = process.nodes["T"]
    assert task.task_type == "data" and task.extension is not None and task.extension.legacy
    assert process.flows["f"].flow_type == "AbandonCurrentReturnToNext"


@pytest.mark.parametrize(
    ("raw", "error", "line"),
    [
        (b"<definitions><process>", XmlSafetyError, 1),
        (b'<?xml version="1.0"?>\n<notbpmn/>', ProcessReadError, 2),
        (
            b'<!DOCTYPE d [<!ENTITY x "boom">]>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</definitions>',
            XmlSafetyError,
            1,
        ),
    ],
)
def test_bad_input_gives_a_located_error(raw: bytes, error: type[Exception], line: int) -> None:
    with pytest.raises(error) as caught:
        read_process_bytes(raw, "bad.bpmn")
    location = caught.value.location  # type: ignore[attr-defined]
    assert location.file == "bad.bpmn" and location.line == line


def test_actions_that_allow_next_follow_altinn() -> None:
    assert actions_that_allow_next("data") == ("write",)
    assert actions_that_allow_next("feedback") == ("write",)
    assert actions_that_allow_next("confirmation") == ("confirm",)
    assert actions_that_allow_next("signing") == ("sign", "write")
    assert actions_that_allow_next("payment") == ("pay", "write")
    assert actions_that_allow_next("eFormidling") == ("write",)
    assert actions_that_allow_next("myThing") == ("myThing",)
