"""Drawing a process: as text for the terminal, and as an SVG diagram.

The text form walks the flow from the start event and shows each element once, with its task
type and actions, and each gateway's outgoing flows with their conditions in a readable infix
form. The SVG uses the file's own diagram coordinates when it has them, else the automatic
left-to-right layout, so a process without BPMNDI can still be looked at.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from app_runtime.process import diagram
from app_runtime.process.diagram import Box
from app_runtime.process.model import FlowNode, NodeKind, ProcessDefinition, SequenceFlow
from app_runtime.process.reader import ProcessDocument

_INFIX = {
    "equals": "==",
    "notEquals": "!=",
    "greaterThan": ">",
    "greaterThanEq": ">=",
    "lessThan": "<",
    "lessThanEq": "<=",
}


def format_expression(expression: Any) -> str:
    """A compact, readable form of a JSON expression (for display only)."""
    if isinstance(expression, list) and expression and isinstance(expression[0], str):
        name, args = expression[0], expression[1:]
        if name in _INFIX and len(args) == 2:
            return f"{format_expression(args[0])} {_INFIX[name]} {format_expression(args[1])}"
        if name in ("and", "or") and args:
            joined = f" {name} ".join(_wrapped(a) for a in args)
            return joined
        if name == "not" and len(args) == 1:
            return f"not {_wrapped(args[0])}"
        if name == "gatewayAction" and not args:
            return "gatewayAction"
        if name == "dataModel" and args and isinstance(args[0], str):
            suffix = f" of {args[1]}" if len(args) > 1 else ""
            return f"{args[0]}{suffix}"
        return f"{name}({', '.join(format_expression(a) for a in args)})"
    return json.dumps(expression, ensure_ascii=False)


def _wrapped(expression: Any) -> str:
    text = format_expression(expression)
    is_logic = isinstance(expression, list) and expression[:1] in (["and"], ["or"])
    return f"({text})" if is_logic else text


def condition_label(flow: SequenceFlow) -> str:
    if flow.condition is None:
        return ""
    if flow.condition.error is not None:
        return f"invalid: {flow.condition.text.strip()[:40]}"
    return format_expression(flow.condition.expression)


def _order(process: ProcessDefinition) -> list[FlowNode]:
    """Depth-first from the start, so a straight run of tasks reads top to bottom."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [n.id for n in reversed(process.start_events)]
    while stack:
        current = stack.pop()
        if current in seen or current not in process.nodes:
            continue
        seen.add(current)
        order.append(current)
        for flow in reversed(process.outgoing(current)):
            if flow.target and flow.target not in seen:
                stack.append(flow.target)
    order.extend(n for n in process.nodes if n not in seen)
    return [process.nodes[i] for i in order]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _node_title(node: FlowNode) -> str:
    name = f"{_one_line(node.name)} " if node.name else ""
    if node.kind is NodeKind.START:
        return f"● start {node.id}"
    if node.kind is NodeKind.END:
        return f"◉ end {node.id}"
    if node.kind is NodeKind.GATEWAY:
        default = f"  default: {node.default_flow}" if node.default_flow else ""
        data = f"  data: {node.connected_data_type_id}" if node.connected_data_type_id else ""
        return f"◆ {name}{node.id} (exclusive gateway){default}{data}"
    if node.kind is NodeKind.UNSUPPORTED:
        return f"✗ <{node.tag}> {name}{node.id} (not supported)"
    kind = "service task" if node.kind is NodeKind.SERVICE_TASK else "task"
    return f"{name}[{node.task_type or 'no type'}] {kind} {node.id}"


def render_text(document: ProcessDocument) -> str:
    """The flow as lines of text: each node, then arrows to where its flows lead."""
    process = document.process
    if process is None:
        return f"{document.name}: no process\n"
    lines = [f"process {process.id}" + (f" ({process.name})" if process.name else "")]
    order = _order(process)
    position = {node.id: index for index, node in enumerate(order)}
    for index, node in enumerate(order):
        title = _node_title(node)
        if node.is_task or node.kind is NodeKind.UNSUPPORTED:
            actions = ", ".join(
                a.name + ("" if a.moves_process else " (server)") for a in node.actions
            )
            rows = [title] + ([f"actions: {actions}"] if actions else [])
            width = max(len(r) for r in rows) + 2
            lines.append("┌" + "─" * width + "┐")
            lines.extend(f"│ {row:<{width - 2}} │" for row in rows)
            lines.append("└" + "─" * width + "┘")
        else:
            lines.append(title)
        outgoing = process.outgoing(node.id)
        for number, flow in enumerate(outgoing):
            last = number == len(outgoing) - 1
            label = condition_label(flow)
            if flow.id == node.default_flow:
                label = "default" + (f", {label}" if label else "")
            target = flow.target or "?"
            target_index = position.get(target)
            if target_index is None:
                where = f"{target} (missing!)"
            elif target_index <= index and process.nodes[target].kind is not NodeKind.END:
                where = f"back to {target}"
            else:
                where = target
            tag = f" [{label}] " if label else ""
            if len(outgoing) == 1 and target_index == index + 1 and not label:
                lines.append("  │")
                lines.append("  ▼")
            else:
                lines.append(f"  {'└' if last else '├'}─{tag}──▶ {where}")
        if not outgoing and node.kind is not NodeKind.END:
            lines.append("  ✗ no outgoing flow")
    unsupported = document.all_unsupported()
    if unsupported:
        lines.append("")
        lines.append("not supported by the engine:")
        for item in unsupported:
            lines.append(f"  line {item.line}: <{item.tag}> {item.id or ''} {item.reason}")
    return "\n".join(lines) + "\n"


# --- SVG ------------------------------------------------------------------------------------


def render_svg(document: ProcessDocument) -> str:
    """An SVG drawing of the main process."""
    process = document.process
    if process is None:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"/>'
    plane = diagram.find_plane(document.tree, process)
    placed = diagram.shapes(plane) if plane is not None else {}
    drawn = diagram.edges(plane) if plane is not None else {}
    placed = {k: v for k, v in placed.items() if k in process.nodes}
    boxes = {**placed, **diagram.layout_positions(process, placed)}
    routes: dict[str, list[tuple[float, float]]] = {}
    for flow in process.flows.values():
        if flow.id in drawn and len(drawn[flow.id]) >= 2:
            routes[flow.id] = drawn[flow.id]
        elif flow.source in boxes and flow.target in boxes:
            routes[flow.id] = diagram.route(
                boxes[flow.source],  # type: ignore[index]
                boxes[flow.target],  # type: ignore[index]
                list(boxes.values()),
            )
    xs = [b.x for b in boxes.values()] + [p[0] for r in routes.values() for p in r]
    ys = [b.y for b in boxes.values()] + [p[1] for r in routes.values() for p in r]
    x2 = [b.x + b.width for b in boxes.values()] + xs
    y2 = [b.y + b.height for b in boxes.values()] + ys
    left, top = (min(xs) - 40, min(ys) - 40) if xs else (0, 0)
    width = (max(x2) - left + 40) if x2 else 200
    height = (max(y2) - top + 60) if y2 else 100
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
        f"<title>{escape(process.name or process.id)}</title>",
    ]
    for flow_id, points in routes.items():
        flow = process.flows[flow_id]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="#333" stroke-width="1.5" '
            f'marker-end="url(#arrow)"><title>{escape(flow_id)}</title></polyline>'
        )
        label = condition_label(flow)
        source = process.nodes.get(flow.source or "")
        if source is not None and flow.id == source.default_flow:
            label = "default" + (f": {label}" if label else "")
        if label:
            (ax, ay), (bx, by) = points[0], points[1]
            out.append(
                f'<text x="{(ax + bx) / 2 + 4:.1f}" y="{(ay + by) / 2 - 6:.1f}" '
                f'fill="#555" font-size="10">{escape(label)}</text>'
            )
    for node_id, box in boxes.items():
        out.extend(_svg_node(process.nodes[node_id], box))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_node(node: FlowNode, box: Box) -> list[str]:
    cx, cy = box.center
    title = f"<title>{escape(node.label())}</title>"
    if node.kind in (NodeKind.START, NodeKind.END):
        stroke = 4 if node.kind is NodeKind.END else 2
        return [
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{box.width / 2:.1f}" fill="#fff" '
            f'stroke="#222" stroke-width="{stroke}">{title}</circle>',
            f'<text x="{cx:.1f}" y="{box.y + box.height + 14:.1f}" text-anchor="middle">'
            f"{escape(node.name or node.id)}</text>",
        ]
    if node.kind is NodeKind.GATEWAY:
        points = f"{cx},{box.y} {box.x + box.width},{cy} {cx},{box.y + box.height} {box.x},{cy}"
        return [
            f'<polygon points="{points}" fill="#fff" stroke="#222" stroke-width="2">{title}'
            "</polygon>",
            f'<text x="{cx:.1f}" y="{cy + 5:.1f}" text-anchor="middle" font-size="16">×</text>',
            f'<text x="{cx:.1f}" y="{box.y - 6:.1f}" text-anchor="middle">'
            f"{escape(node.name or node.id)}</text>",
        ]
    fill = "#fde8e8" if node.kind is NodeKind.UNSUPPORTED else "#eef4fb"
    dash = ' stroke-dasharray="4 3"' if node.kind is NodeKind.SERVICE_TASK else ""
    kind = node.task_type or ("not supported" if node.kind is NodeKind.UNSUPPORTED else "no type")
    return [
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="10" fill="{fill}" stroke="#222" stroke-width="1.5"{dash}>{title}</rect>',
        f'<text x="{cx:.1f}" y="{cy - 4:.1f}" text-anchor="middle">'
        f"{escape(_clip(node.name or node.id, box.width))}</text>",
        f'<text x="{cx:.1f}" y="{cy + 12:.1f}" text-anchor="middle" fill="#555" font-size="10" '
        f"data-task-type={quoteattr(kind)}>[{escape(kind)}]</text>",
    ]


def _clip(text: str, width: float) -> str:
    limit = max(6, int(width / 7))
    return text if len(text) <= limit else text[: limit - 1] + "…"
