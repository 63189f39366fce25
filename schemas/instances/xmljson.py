"""XML <-> JSON instance conversion that follows the model, as Altinn's C# serializer does.

Altinn stores form data as XML (element order from the model, `@xsdAttribute` fields as XML
attributes, `@xsdText` as the element's text, `xsi:nil` for nulls, repeating rows carrying an
`altinnRowId` attribute) and exchanges it with the browser as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from schemas.model.loader import DataModel
from schemas.model.tree import ModelField

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ROW_ID = "altinnRowId"


@dataclass
class Conversion:
    """A converted instance plus what did not fit the model (path, message)."""

    data: Any
    problems: list[tuple[str, str]] = field(default_factory=list)
    namespace: str | None = None


def xml_to_json(model: DataModel, root: etree._Element | etree._ElementTree) -> Conversion:
    """Read XML instance data into the JSON shape layouts bind to."""
    element = root.getroot() if isinstance(root, etree._ElementTree) else root
    tree = model.tree()
    problems: list[tuple[str, str]] = []
    namespace = etree.QName(element).namespace
    data = _element_to_object(tree.root, element, "", problems)
    return Conversion(data, problems, namespace)


def json_to_xml(
    model: DataModel, data: Any, namespace: str | None = None
) -> tuple[etree._Element, list[tuple[str, str]]]:
    """Write JSON instance data as the XML Altinn stores, in model order."""
    tree = model.tree()
    ns = namespace if namespace is not None else model.target_namespace
    problems: list[tuple[str, str]] = []
    nsmap: dict[str | None, str] = {"xsi": XSI}
    if ns:
        nsmap[None] = ns
    root = etree.Element(_qname(ns, model.root_element_name), nsmap=nsmap)
    if isinstance(data, dict):
        _fill_element(tree.root, root, data, ns, "", problems)
    elif data is not None:
        problems.append(("", "the instance must be a JSON object"))
    return root, problems


def json_to_xml_bytes(model: DataModel, data: Any, namespace: str | None = None) -> bytes:
    root, _ = json_to_xml(model, data, namespace)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


# -- XML -> JSON ---------------------------------------------------------------------------


def _local(name: str) -> str:
    return etree.QName(name).localname


def _is_nil(element: etree._Element) -> bool:
    return element.get(f"{{{XSI}}}nil") in ("true", "1")


def _element_to_object(
    node: ModelField, element: etree._Element, path: str, problems: list[tuple[str, str]]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    children = node.children
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        if qname.namespace == XSI:
            continue
        local = qname.localname
        target = children.get(local)
        if local == ROW_ID and (target is None or target.is_attribute):
            result[ROW_ID] = value
            continue
        if target is None or not target.is_attribute:
            problems.append((_join(path, local), f"attribute {local!r} is not in the model"))
            continue
        result[local] = _scalar(target, value, _join(path, local), problems)
    text_field = next((c for c in children.values() if c.is_text), None)
    if text_field is not None and element.text is not None:
        # An empty element has no text value (as Altinn's C# [XmlText] reads it).
        name = text_field.name
        result[name] = _scalar(text_field, element.text, _join(path, name), problems)
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        local = _local(child.tag)
        target = children.get(local)
        child_path = _join(path, local)
        if target is None or target.is_attribute or target.is_text:
            problems.append((child_path, f"element {local!r} is not in the model"))
            continue
        value = _element_value(target, child, child_path, problems)
        if target.repeating:
            rows = result.setdefault(local, [])
            child_path = f"{child_path}[{len(rows)}]"
            rows.append(value)
        elif local in result:
            problems.append((child_path, f"element {local!r} occurs more than once"))
        else:
            result[local] = value
    return result


def _element_value(
    node: ModelField, element: etree._Element, path: str, problems: list[tuple[str, str]]
) -> Any:
    if _is_nil(element):
        return None
    if node.content.properties or (node.is_object and not node.repeating):
        return _element_to_object(node, element, path, problems)
    return _scalar(node, element.text or "", path, problems)


def _scalar(node: ModelField, text: str, path: str, problems: list[tuple[str, str]]) -> Any:
    kind = node.item_type if node.repeating else node.type
    if kind in ("string", "date", "", None):
        return text
    stripped = text.strip()
    if stripped == "":
        return None
    if kind == "boolean":
        if stripped in ("true", "1"):
            return True
        if stripped in ("false", "0"):
            return False
    elif kind == "integer":
        try:
            return int(stripped)
        except ValueError:
            pass
    elif kind == "number":
        try:
            number = Decimal(stripped)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            if "." not in stripped and "e" not in stripped.lower():
                return int(number)
            return float(number)
    problems.append((path, f"{text!r} is not a valid {kind}"))
    return text


# -- JSON -> XML ---------------------------------------------------------------------------


def _qname(namespace: str | None, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return f"{value:.1f}"
        return format(Decimal(repr(value)), "f")
    return str(value)


def _fill_element(
    node: ModelField,
    element: etree._Element,
    data: dict[str, Any],
    ns: str | None,
    path: str,
    problems: list[tuple[str, str]],
) -> None:
    children = node.children
    known = set(children) | {ROW_ID}
    for key in data:
        if key not in known:
            problems.append((_join(path, key), f"{key!r} is not in the model; not written"))
    row_id = data.get(ROW_ID)
    if row_id is not None and (ROW_ID not in children):
        element.set(ROW_ID, str(row_id))
    for name, child in children.items():
        if name not in data:
            continue
        value = data[name]
        child_path = _join(path, name)
        if child.is_attribute:
            if value is not None:
                element.set(name, _text(value))
        elif child.is_text:
            if value is not None:
                element.text = _text(value)
        elif child.repeating:
            if value is None:
                continue
            if not isinstance(value, list):
                problems.append((child_path, "a repeating field must be a JSON array"))
                continue
            for index, item in enumerate(value):
                _append_child(child, element, item, ns, f"{child_path}[{index}]", problems)
        else:
            _append_child(child, element, value, ns, child_path, problems)


def _append_child(
    node: ModelField,
    parent: etree._Element,
    value: Any,
    ns: str | None,
    path: str,
    problems: list[tuple[str, str]],
) -> None:
    sub = etree.SubElement(parent, _qname(ns, node.name))
    if value is None:
        sub.set(f"{{{XSI}}}nil", "true")
    elif isinstance(value, dict):
        _fill_element(node, sub, value, ns, path, problems)
    elif isinstance(value, list):
        problems.append((path, "an array where the model has a single value"))
    else:
        sub.text = _text(value)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
