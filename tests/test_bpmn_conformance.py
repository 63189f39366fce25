"""The BPMN MIWG reference diagrams (STUDIO_BPMN_TESTS): every file reads, reports what the
engine cannot run with a line, and writes back without losing anything."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import require_suite, suite_path
from lxml import etree

from app_runtime.process.checks import check_document
from app_runtime.process.editing import ProcessEditor
from app_runtime.process.model import BPMN_NS, BPMNDI_NS, DC_NS, DI_NS, NodeKind
from app_runtime.process.reader import read_process_bytes
from app_runtime.process.writer import document_bytes, serialize

STANDARD = {BPMN_NS, BPMNDI_NS, DC_NS, DI_NS}


def _files() -> list[Path]:
    folder = suite_path("STUDIO_BPMN_TESTS")
    return sorted(folder.glob("*.bpmn")) if folder.is_dir() else []


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _c14n(raw: bytes) -> bytes:
    tree = etree.ElementTree(etree.fromstring(raw))
    return etree.tostring(tree, method="c14n2")


def _foreign(raw: bytes) -> Counter[str]:
    """Every non-BPMN element and attribute, with its text, as a multiset."""
    root = etree.fromstring(raw)
    found: Counter[str] = Counter()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace = etree.QName(element).namespace
        if namespace not in STANDARD:
            found[f"E {element.tag} {(element.text or '').strip()}"] += 1
        for key, value in element.attrib.items():
            if key.startswith("{") and etree.QName(key).namespace not in STANDARD:
                found[f"A {element.tag} {key}={value}"] += 1
    return found


@pytest.mark.conformance
def test_suite_is_present() -> None:
    folder = require_suite("STUDIO_BPMN_TESTS")
    assert list(folder.glob("*.bpmn")), f"no .bpmn files in {folder}"


@pytest.mark.conformance
@pytest.mark.parametrize("path", _files(), ids=_ids(_files()))
def test_reads_and_reports_unsupported_with_lines(path: Path) -> None:
    raw = path.read_bytes()
    document = read_process_bytes(raw, path.name)
    assert document.processes, "every reference file has a process"
    for process in document.processes:
        for node in process.nodes.values():
            assert node.line is not None
        for flow in process.flows.values():
            assert flow.line is not None
    for item in document.all_unsupported():
        assert item.line is not None, item
    findings = check_document(document)
    assert all(f.location.file == path.name for f in findings)
    unsupported_tags = {u.tag for u in document.all_unsupported()}
    root = etree.fromstring(raw)
    for tag in ("parallelGateway", "subProcess", "laneSet", "boundaryEvent", "inclusiveGateway"):
        in_process = root.findall(f"{{{BPMN_NS}}}process/{{{BPMN_NS}}}{tag}")
        if in_process:
            assert tag in unsupported_tags, f"{tag} is present but not reported"


@pytest.mark.conformance
@pytest.mark.parametrize("path", _files(), ids=_ids(_files()))
def test_round_trip_keeps_everything(path: Path) -> None:
    raw = path.read_bytes()
    document = read_process_bytes(raw, path.name)
    assert document_bytes(document) == raw, "an untouched file must be written back unchanged"
    rewritten = serialize(document)
    assert _c14n(rewritten) == _c14n(raw)
    assert rewritten.startswith(raw[:20])


@pytest.mark.conformance
@pytest.mark.parametrize("path", _files(), ids=_ids(_files()))
def test_edit_keeps_foreign_extensions(path: Path) -> None:
    raw = path.read_bytes()
    before = _foreign(raw)
    editor = ProcessEditor(read_process_bytes(raw, path.name))
    task = editor.add_task("data", "Added by Formstudio")
    end = editor.add_event(NodeKind.END)
    flow = editor.add_flow(task, end)
    out = editor.to_bytes()
    after = _foreign(out)
    missing = before - after
    assert not missing, f"lost foreign content: {list(missing)[:5]}"
    again = read_process_bytes(out, path.name)
    process = again.process
    assert process is not None
    assert process.nodes[task].task_type == "data"
    assert process.flows[flow].target == end
    drawn = {e.get("bpmnElement") for e in etree.fromstring(out).iter(f"{{{BPMNDI_NS}}}BPMNShape")}
    assert {task, end} <= drawn
    assert len(again.processes) == len(read_process_bytes(raw).processes)
