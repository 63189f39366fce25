"""BPMN diagram interchange (BPMNDI): reading shapes and adding them for new elements.

Existing coordinates are never moved. Elements without a shape get one from a left-to-right
layered layout: a node goes one column right of its furthest-placed predecessor, in the first
free row, so a process built from scratch reads as a row of boxes joined by arrows, the way
bpmn.io and Altinn Studio draw it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from lxml import etree

from app_runtime.process.model import (
    BPMNDI_NS,
    DC_NS,
    DI_NS,
    FlowNode,
    NodeKind,
    ProcessDefinition,
    SequenceFlow,
)

SIZES: dict[NodeKind, tuple[float, float]] = {
    NodeKind.START: (36, 36),
    NodeKind.END: (36, 36),
    NodeKind.GATEWAY: (50, 50),
    NodeKind.TASK: (100, 80),
    NodeKind.SERVICE_TASK: (100, 80),
    NodeKind.UNSUPPORTED: (100, 80),
}
COLUMN = 150
ROW = 130
ORIGIN = (160.0, 120.0)
"""Centre of the first column and row (bpmn.io puts the start event about here)."""

DI_NSMAP = {"bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS}


@dataclass(slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def overlaps(self, other: Box, margin: float = 10) -> bool:
        return not (
            self.x + self.width + margin <= other.x
            or other.x + other.width + margin <= self.x
            or self.y + self.height + margin <= other.y
            or other.y + other.height + margin <= self.y
        )


def find_plane(tree: etree._ElementTree, process: ProcessDefinition) -> etree._Element | None:
    """The BPMNPlane drawing this process (directly, or through its collaboration)."""
    planes = list(tree.getroot().iter(f"{{{BPMNDI_NS}}}BPMNPlane"))
    for plane in planes:
        if plane.get("bpmnElement") == process.id:
            return plane
    return planes[0] if planes else None


def ensure_plane(tree: etree._ElementTree, process: ProcessDefinition) -> etree._Element:
    plane = find_plane(tree, process)
    if plane is not None:
        return plane
    root = tree.getroot()
    taken = {e.get("id") for e in root.iter() if e.get("id")}
    diagram = etree.Element(f"{{{BPMNDI_NS}}}BPMNDiagram", nsmap=DI_NSMAP)
    diagram.set("id", _unused("BPMNDiagram_1", taken))
    plane = etree.SubElement(diagram, f"{{{BPMNDI_NS}}}BPMNPlane")
    plane.set("id", _unused("BPMNPlane_1", taken))
    plane.set("bpmnElement", process.id)
    append_indented(root, diagram)
    return plane


def _unused(wanted: str, taken: set[str | None]) -> str:
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}_{number}"
    return candidate


def shapes(plane: etree._Element) -> dict[str, Box]:
    found: dict[str, Box] = {}
    for shape in plane.iter(f"{{{BPMNDI_NS}}}BPMNShape"):
        bounds = shape.find(f"{{{DC_NS}}}Bounds")
        element = shape.get("bpmnElement")
        if bounds is None or not element:
            continue
        try:
            found[element] = Box(
                float(bounds.get("x", 0)),
                float(bounds.get("y", 0)),
                float(bounds.get("width", 0)),
                float(bounds.get("height", 0)),
            )
        except ValueError:
            continue
    return found


def edges(plane: etree._Element) -> dict[str, list[tuple[float, float]]]:
    found: dict[str, list[tuple[float, float]]] = {}
    for edge in plane.iter(f"{{{BPMNDI_NS}}}BPMNEdge"):
        element = edge.get("bpmnElement")
        if not element:
            continue
        points: list[tuple[float, float]] = []
        for point in edge.iter(f"{{{DI_NS}}}waypoint", "{*}waypoint"):
            try:
                points.append((float(point.get("x", 0)), float(point.get("y", 0))))
            except ValueError:
                continue
        found[element] = points
    return found


def layout_positions(process: ProcessDefinition, placed: dict[str, Box]) -> dict[str, Box]:
    """Boxes for every node without one, left to right from its predecessors."""
    boxes = dict(placed)
    order = _walk_order(process)
    for node_id in order:
        if node_id in boxes:
            continue
        node = process.nodes[node_id]
        width, height = SIZES[node.kind]
        predecessors = [
            boxes[f.source]
            for f in process.incoming(node_id)
            if f.source in boxes and f.source != node_id
        ]
        if predecessors:
            anchor = max(predecessors, key=lambda b: b.x + b.width)
            cx = anchor.x + anchor.width + (COLUMN - 100) + width / 2
            cy = anchor.center[1]
        elif boxes:
            right = max(boxes.values(), key=lambda b: b.x + b.width)
            cx = right.x + right.width + (COLUMN - 100) + width / 2
            cy = min(b.center[1] for b in boxes.values())
        else:
            cx, cy = ORIGIN
        box = Box(cx - width / 2, cy - height / 2, width, height)
        while any(box.overlaps(other) for other in boxes.values()):
            box = Box(box.x, box.y + ROW, width, height)
        boxes[node_id] = box
    return {k: v for k, v in boxes.items() if k not in placed}


def _walk_order(process: ProcessDefinition) -> list[str]:
    """Nodes in breadth-first order from the start events, then any left over."""
    order: list[str] = []
    seen: set[str] = set()
    queue = deque(n.id for n in process.start_events)
    while queue:
        current = queue.popleft()
        if current in seen or current not in process.nodes:
            continue
        seen.add(current)
        order.append(current)
        for flow in process.outgoing(current):
            if flow.target and flow.target not in seen:
                queue.append(flow.target)
    order.extend(n for n in process.nodes if n not in seen)
    return order


def route(source: Box, target: Box, others: list[Box] | None = None) -> list[tuple[float, float]]:
    """Waypoints for an arrow: straight if level and clear, else an elbow; backwards and
    blocked flows go round underneath."""
    sx, sy = source.center
    tx, ty = target.center
    if target.x >= source.x + source.width:
        start = (source.x + source.width, sy)
        end = (target.x, ty)
        if abs(sy - ty) < 1:
            corridor = Box(start[0], sy - 1, end[0] - start[0], 2)
            blocked = [
                b
                for b in others or ()
                if b is not source and b is not target and b.overlaps(corridor, 0)
            ]
            if not blocked:
                return [start, end]
            below = max(b.y + b.height for b in [source, target, *blocked]) + 30
            return [
                (sx, source.y + source.height),
                (sx, below),
                (tx, below),
                (tx, target.y + target.height),
            ]
        middle = (start[0] + end[0]) / 2
        return [start, (middle, sy), (middle, ty), end]
    below = max(source.y + source.height, target.y + target.height) + 40
    return [
        (sx, source.y + source.height),
        (sx, below),
        (tx, below),
        (tx, target.y + target.height),
    ]


def add_missing(tree: etree._ElementTree, process: ProcessDefinition) -> int:
    """Add shapes and edges for elements the diagram lacks; returns how many were added."""
    plane = ensure_plane(tree, process)
    placed = shapes(plane)
    drawn = edges(plane)
    added = 0
    new_boxes = layout_positions(process, placed)
    for node_id, box in new_boxes.items():
        _add_shape(plane, process.nodes[node_id], box)
        added += 1
    boxes = {**placed, **new_boxes}
    for flow in process.flows.values():
        if flow.id in drawn or flow.source not in boxes or flow.target not in boxes:
            continue
        points = route(boxes[flow.source], boxes[flow.target], list(boxes.values()))  # type: ignore[index]
        _add_edge(plane, flow, points)
        added += 1
    return added


def remove_for(tree: etree._ElementTree, element_ids: set[str]) -> None:
    """Drop the shapes and edges drawing the given elements."""
    for tag in ("BPMNShape", "BPMNEdge"):
        for item in list(tree.getroot().iter(f"{{{BPMNDI_NS}}}{tag}")):
            if item.get("bpmnElement") in element_ids:
                _remove(item)


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.getnext() is None and previous is not None:
        previous.tail = element.tail
    parent.remove(element)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _add_shape(plane: etree._Element, node: FlowNode, box: Box) -> None:
    shape = etree.Element(f"{{{BPMNDI_NS}}}BPMNShape", nsmap=DI_NSMAP)
    shape.set("id", f"{node.id}_di")
    shape.set("bpmnElement", node.id)
    if node.kind is NodeKind.GATEWAY:
        shape.set("isMarkerVisible", "true")
    bounds = etree.SubElement(shape, f"{{{DC_NS}}}Bounds")
    for key, value in (("x", box.x), ("y", box.y), ("width", box.width), ("height", box.height)):
        bounds.set(key, _fmt(value))
    append_indented(plane, shape)


def _add_edge(plane: etree._Element, flow: SequenceFlow, points: list[tuple[float, float]]) -> None:
    edge = etree.Element(f"{{{BPMNDI_NS}}}BPMNEdge", nsmap=DI_NSMAP)
    edge.set("id", f"{flow.id}_di")
    edge.set("bpmnElement", flow.id)
    for x, y in points:
        point = etree.SubElement(edge, f"{{{DI_NS}}}waypoint")
        point.set("x", _fmt(x))
        point.set("y", _fmt(y))
    append_indented(plane, edge)


def append_indented(
    parent: etree._Element, child: etree._Element, index: int | None = None
) -> None:
    """Insert `child` into `parent` matching the file's indentation, so diffs stay small."""
    children = [c for c in parent]
    unit = _indent_unit(parent)
    parent_indent = _indent_of(parent)
    child_indent = parent_indent + unit
    etree.indent(child, space=unit, level=0)
    _shift(child, child_indent)
    if index is None or index >= len(children):
        if children:
            last = children[-1]
            child.tail = last.tail if last.tail is not None else "\n" + parent_indent
            last.tail = "\n" + child_indent
        else:
            parent.text = "\n" + child_indent
            child.tail = "\n" + parent_indent
        parent.append(child)
    else:
        before = children[index]
        previous = before.getprevious()
        if previous is None:
            parent.text = "\n" + child_indent
        else:
            previous.tail = "\n" + child_indent
        child.tail = "\n" + child_indent
        before.addprevious(child)


def _shift(element: etree._Element, indent: str) -> None:
    """Prefix the inner line breaks of a freshly indented subtree with `indent`."""
    for item in element.iter():
        if item is not element and item.tail and item.tail.startswith("\n"):
            item.tail = item.tail.replace("\n", "\n" + indent)
        if len(item) and item.text and item.text.startswith("\n"):
            item.text = item.text.replace("\n", "\n" + indent)


def _indent_of(element: etree._Element) -> str:
    previous = element.getprevious()
    text = (
        previous.tail
        if previous is not None
        else (element.getparent().text if element.getparent() is not None else "")
    )
    if text and "\n" in text:
        return text.rsplit("\n", 1)[-1]
    return ""


def _indent_unit(parent: etree._Element) -> str:
    if parent.text and "\n" in parent.text:
        inner = parent.text.rsplit("\n", 1)[-1]
        outer = _indent_of(parent)
        if inner.startswith(outer) and len(inner) > len(outer):
            return inner[len(outer) :]
    root = parent.getroottree().getroot()
    if root.text and "\n" in root.text:
        unit = root.text.rsplit("\n", 1)[-1]
        if unit and not unit.strip():
            return unit
    return "  "
