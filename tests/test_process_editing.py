"""The editing model and writer: edits, diagram layout, and never losing unknown content."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from app_runtime.process.checks import check_document
from app_runtime.process.diagram import shapes
from app_runtime.process.editing import ProcessEditError, ProcessEditor
from app_runtime.process.engine import ProcessEngine
from app_runtime.process.model import BPMNDI_NS, DC_NS, NodeKind
from app_runtime.process.reader import read_process_bytes
from app_runtime.process.render import format_expression, render_svg, render_text
from app_runtime.process.writer import document_bytes

SAMPLE = b"""\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>
<!-- kept comment -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:altinn="http://altinn.no/process" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:vendor="urn:vendor" id="d" vendor:stamp="42" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="p" isExecutable="false">
    <bpmn:startEvent id="Start">
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:task id="Fill" name="Fill in" vendor:colour="red">
      <bpmn:documentation>keep me</bpmn:documentation>
      <bpmn:extensionElements>
        <vendor:note>unknown extension</vendor:note>
        <altinn:taskExtension>
          <altinn:taskType>data</altinn:taskType>
          <altinn:somethingNew a="b" />
        </altinn:taskExtension>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:task>
    <bpmn:endEvent id="End">
      <bpmn:incoming>f2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Fill" />
    <bpmn:sequenceFlow id="f2" sourceRef="Fill" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="D">
    <bpmndi:BPMNPlane id="P" bpmnElement="p">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start">
        <dc:Bounds x="152" y="102" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Fill_di" bpmnElement="Fill" vendor:fill="#fff">
        <dc:Bounds x="240" y="80" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End">
        <dc:Bounds x="392" y="102" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1">
        <di:waypoint x="188" y="120" />
        <di:waypoint x="240" y="120" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2">
        <di:waypoint x="340" y="120" />
        <di:waypoint x="392" y="120" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def test_untouched_document_is_written_byte_for_byte() -> None:
    document = read_process_bytes(SAMPLE)
    assert document_bytes(document) == SAMPLE
    assert ProcessEditor(document).to_bytes() == SAMPLE


def test_insert_a_task_between_existing_elements() -> None:
    editor = ProcessEditor(read_process_bytes(SAMPLE))
    sign = editor.add_task("signing", "Sign it")
    editor.delete("f2")
    editor.add_flow("Fill", sign)
    editor.add_flow(sign, "End")
    out = editor.to_bytes()

    # prolog, BOM, comment, foreign attributes and elements all survive
    assert out.startswith(
        b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n<!-- kept comment -->'
    )
    for kept in (
        b'vendor:stamp="42"',
        b'vendor:colour="red"',
        b"<vendor:note>unknown extension</vendor:note>",
        b'<altinn:somethingNew a="b" />',
        b"<bpmn:documentation>keep me</bpmn:documentation>",
        b'vendor:fill="#fff"',
    ):
        assert kept in out, kept
    assert b"f2" not in out  # the deleted flow, its refs and its edge are gone

    document = read_process_bytes(out)
    process = document.process
    assert process is not None
    assert process.nodes[sign].task_type == "signing"
    assert [a.name for a in process.nodes[sign].actions] == ["sign", "reject"]
    assert check_document(document) == [f for f in check_document(document) if f.code == "PROC054"]

    # existing coordinates are kept; the new task is placed to the right of its predecessor
    plane = next(document.tree.getroot().iter(f"{{{BPMNDI_NS}}}BPMNPlane"))
    boxes = shapes(plane)
    assert (boxes["Fill"].x, boxes["Fill"].y) == (240, 80)
    assert (boxes["End"].x, boxes["End"].y) == (392, 102)
    assert boxes[sign].x > boxes["Fill"].x + boxes["Fill"].width
    assert not boxes[sign].overlaps(boxes["End"], 0)

    # the result runs
    engine = ProcessEngine(process)
    state = engine.start(None, "u").state
    state = engine.next(state, None, "u").state
    assert state.current is not None and state.current.element_id == sign


def test_build_a_process_from_nothing() -> None:
    editor = ProcessEditor.new()
    start = editor.add_event(NodeKind.START)
    fill = editor.add_task("data", "Utfylling")
    gateway = editor.add_gateway("Veivalg")
    confirm = editor.add_task("confirmation", "Bekreft")
    pdf = editor.add_task("pdf", "PDF")
    end = editor.add_event(NodeKind.END)
    editor.add_flow(start, fill)
    editor.add_flow(fill, gateway)
    editor.add_flow(gateway, confirm, ["equals", ["dataModel", "confirm"], True])
    skip = editor.add_flow(gateway, pdf)
    editor.set_default(gateway, skip)
    editor.add_flow(confirm, pdf)
    editor.add_flow(pdf, end)
    editor.rename(fill, "Fyll ut")
    out = editor.to_bytes()

    document = read_process_bytes(out)
    process = document.process
    assert process is not None
    assert process.nodes[pdf].tag == "serviceTask"
    assert process.nodes[fill].name == "Fyll ut"
    assert process.nodes[gateway].default_flow == skip
    assert check_document(document) == []
    root = etree.fromstring(out)
    assert len(list(root.iter(f"{{{BPMNDI_NS}}}BPMNShape"))) == 6
    assert len(list(root.iter(f"{{{BPMNDI_NS}}}BPMNEdge"))) == 6
    xs = {
        e.getparent().get("bpmnElement"): float(e.get("x")) for e in root.iter(f"{{{DC_NS}}}Bounds")
    }
    assert xs[start] < xs[fill] < xs[gateway] < xs[confirm] < xs[pdf] < xs[end]
    engine = ProcessEngine(process, service_task_runner=lambda node, state: True)
    state = engine.start(None, "u").state
    result = engine.next(state, None, "u", lambda _t: {"confirm": False})
    assert result.ok and result.state.is_ended  # default flow, then the pdf task ran


def test_conditions_defaults_types_actions_and_rename() -> None:
    editor = ProcessEditor(read_process_bytes(SAMPLE))
    gateway = editor.add_gateway()
    flow = editor.add_flow(gateway, "End", '["equals", ["gatewayAction"], "reject"]')
    editor.set_condition(flow, ["notEquals", ["gatewayAction"], "reject"])
    process = editor.process
    assert process.flows[flow].condition.expression == ["notEquals", ["gatewayAction"], "reject"]  # type: ignore[union-attr]
    editor.set_condition(flow, None)
    assert editor.process.flows[flow].condition is None
    editor.set_default(gateway, flow)
    editor.set_default(gateway, None)
    assert editor.process.nodes[gateway].default_flow is None
    editor.set_task_type("Fill", "feedback")
    editor.set_actions("Fill", ["write", ("lookup", "serverAction")])
    node = editor.process.nodes["Fill"]
    assert node.task_type == "feedback"
    assert [(a.name, a.type) for a in node.actions] == [
        ("write", "processAction"),
        ("lookup", "serverAction"),
    ]
    editor.rename("Fill", None)
    assert editor.process.nodes["Fill"].name is None
    out = editor.to_bytes()
    assert b"<altinn:somethingNew" in out and b"vendor:note" in out


def test_delete_a_node_removes_its_flows_and_drawings() -> None:
    editor = ProcessEditor(read_process_bytes(SAMPLE))
    editor.delete("Fill")
    process = editor.process
    assert "Fill" not in process.nodes and not process.flows
    out = editor.to_bytes()
    assert b"Fill" not in out and b"<bpmn:outgoing>" not in out and b"<bpmn:incoming>" not in out
    assert b'bpmnElement="Start"' in out


@pytest.mark.parametrize(
    "edit",
    [
        lambda e: e.add_flow("Start", "Ghost"),
        lambda e: e.add_task("data", element_id="Fill"),
        lambda e: e.add_task("data", element_id="has space"),
        lambda e: e.set_default("Fill", "f1"),
        lambda e: e.set_default(e.add_gateway(), "f1"),
        lambda e: e.set_condition("f1", "[not json"),
        lambda e: e.set_condition("Fill", ["equals", 1, 1]),
        lambda e: e.delete("Ghost"),
        lambda e: e.set_task_type("Start", "data"),
    ],
)
def test_impossible_edits_are_refused_clearly(edit) -> None:  # type: ignore[no-untyped-def]
    editor = ProcessEditor(read_process_bytes(SAMPLE, "process.bpmn"))
    with pytest.raises(ProcessEditError) as caught:
        edit(editor)
    assert caught.value.location is not None and caught.value.location.file == "process.bpmn"


def test_text_and_svg_rendering() -> None:
    editor = ProcessEditor(read_process_bytes(SAMPLE, "process.bpmn"))
    gateway = editor.add_gateway("Choose")
    editor.delete("f2")
    editor.add_flow("Fill", gateway)
    editor.add_flow(gateway, "Fill", ["equals", ["gatewayAction"], "reject"])
    editor.add_flow(gateway, "End", ["and", ["equals", ["dataModel", "a.b"], 1], ["not", True]])
    document = read_process_bytes(editor.to_bytes(), "process.bpmn")
    text = render_text(document)
    assert "Fill in [data] task Fill" in text
    assert '[gatewayAction == "reject"] ──▶ back to Fill' in text
    assert "a.b == 1 and not true" in text
    svg = render_svg(document)
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "[data]" in svg and "gatewayAction == &quot;reject&quot;" not in svg
    assert 'gatewayAction == "reject"' in svg
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 4


def test_format_expression() -> None:
    assert (
        format_expression(["notEquals", ["gatewayAction"], "reject"]) == 'gatewayAction != "reject"'
    )
    assert format_expression(["or", ["lessThan", ["dataModel", "x"], 3], False]) == "x < 3 or false"
    assert format_expression(["concat", "a", ["text", "k"]]) == 'concat("a", text("k"))'


def test_cli_show(tmp_path: Path) -> None:
    from studio.cli import cli

    app = tmp_path / "App" / "config" / "process"
    app.mkdir(parents=True)
    (app / "process.bpmn").write_bytes(SAMPLE)
    (tmp_path / "App" / "config" / "applicationmetadata.json").write_text("{}")
    svg = tmp_path / "out.svg"
    result = CliRunner().invoke(cli, ["process", "show", str(tmp_path), "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    assert "Fill in [data] task Fill" in result.output
    assert etree.fromstring(svg.read_bytes()).tag.endswith("svg")

    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions>")
    result = CliRunner().invoke(cli, ["process", "show", str(broken)])
    assert result.exit_code != 0
    assert "broken.bpmn:1" in result.output and "Traceback" not in result.output


def test_change_id_updates_every_reference() -> None:
    editor = ProcessEditor(read_process_bytes(SAMPLE))
    pdf = editor.add_task("pdf")
    editor.change_id("Fill", "Task_Utfylling")
    with pytest.raises(ProcessEditError):
        editor.change_id("Start", "End")
    out = editor.to_bytes()
    assert b'"Fill"' not in out and b">Fill<" not in out
    document = read_process_bytes(out)
    process = document.process
    assert process is not None and "Task_Utfylling" in process.nodes
    assert process.flows["f1"].target == "Task_Utfylling"
    assert process.nodes["Task_Utfylling"].outgoing == ["f2"]
    plane = next(document.tree.getroot().iter(f"{{{BPMNDI_NS}}}BPMNPlane"))
    boxes = shapes(plane)
    assert boxes["Task_Utfylling"].x == 240 and pdf in boxes


def test_written_files_validate_against_the_bpmn_schema() -> None:
    """The OMG BPMN 2.0 XSD ships with SpiffWorkflow (a bench extra); skip without it."""
    spiff = pytest.importorskip("SpiffWorkflow")
    schema_file = Path(spiff.__file__).parent / "bpmn" / "parser" / "schema" / "BPMN20.xsd"
    if not schema_file.is_file():
        pytest.skip("SpiffWorkflow without its BPMN schema")
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    editor = ProcessEditor.new()
    start, end = editor.add_event(NodeKind.START), editor.add_event(NodeKind.END)
    fill, gateway = editor.add_task("data", "Fill"), editor.add_gateway()
    editor.add_flow(start, fill)
    editor.add_flow(fill, gateway)
    editor.add_flow(gateway, end, ["notEquals", ["gatewayAction"], "reject"])
    editor.add_flow(gateway, fill, ["equals", ["gatewayAction"], "reject"])
    for raw in (editor.to_bytes(), SAMPLE):
        edited = ProcessEditor(read_process_bytes(raw))
        edited.add_task("signing")
        tree = etree.ElementTree(etree.fromstring(edited.to_bytes()))
        assert schema.validate(tree), schema.error_log
