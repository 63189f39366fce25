"""Semantic comparison of JSON Schemas and XSDs, as Altinn's converter tests compare them.

JSON: objects are unordered maps, arrays are ordered, numbers compare by value (but booleans are
not numbers), and the `@xsd*` map keywords that record XSD order (namespaces, schema and
unhandled attributes) must also match in key order. XSD: element trees compared by namespace
and local name, attributes as an unordered map with QName values resolved, whitespace and
comments ignored. Each function returns a list of human-readable differences (empty = equal).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from schemas.xsd.normalize import normalize

ORDERED_MAP_KEYWORDS = frozenset(
    {
        "@xsdNamespaces",
        "@xsdSchemaAttributes",
        "@xsdUnhandledAttributes",
        "@xsdUnhandledEnumAttributes",
    }
)
QNAME_ATTRIBUTES = frozenset({"type", "base", "ref", "itemType", "refer", "substitutionGroup"})
MAX_DIFFERENCES = 20
# attribute values that mean the same as leaving the attribute out
DEFAULTS: dict[str, dict[str, str]] = {
    "anyAttribute": {"namespace": "##any", "processContents": "strict"},
    "any": {"namespace": "##any", "processContents": "strict", "minOccurs": "1", "maxOccurs": "1"},
    "element": {"minOccurs": "1", "maxOccurs": "1", "nillable": "false", "abstract": "false"},
    "sequence": {"minOccurs": "1", "maxOccurs": "1"},
    "choice": {"minOccurs": "1", "maxOccurs": "1"},
    "all": {"minOccurs": "1", "maxOccurs": "1"},
    "group": {"minOccurs": "1", "maxOccurs": "1"},
    "attribute": {"use": "optional"},
    "complexType": {"mixed": "false", "abstract": "false"},
}


def json_differences(actual: Any, expected: Any, normalize_expected: bool = True) -> list[str]:
    """Differences between two JSON Schemas; `expected` gets single-entry allOf flattened."""
    if normalize_expected:
        expected = normalize(expected)
    found: list[str] = []
    _json_diff(actual, expected, "", found, None)
    return found


def _json_diff(
    actual: Any, expected: Any, path: str, found: list[str], keyword: str | None
) -> None:
    if len(found) >= MAX_DIFFERENCES:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key not in actual:
                found.append(f"{path}/{key}: missing (expected {_short(expected[key])})")
        for key in actual:
            if key not in expected:
                found.append(f"{path}/{key}: unexpected {_short(actual[key])}")
        for key in expected:
            if key in actual:
                _json_diff(actual[key], expected[key], f"{path}/{key}", found, key)
        if (
            keyword in ORDERED_MAP_KEYWORDS
            and list(actual) != list(expected)
            and set(actual) == set(expected)
        ):
            found.append(f"{path}: key order {list(actual)} != {list(expected)}")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            found.append(
                f"{path}: {len(actual)} entries, expected {len(expected)}: {_short(actual)} vs {_short(expected)}"
            )
            return
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            _json_diff(left, right, f"{path}/{index}", found, None)
        return
    if not _scalar_equal(actual, expected):
        found.append(f"{path}: {_short(actual)} != expected {_short(expected)}")


def _scalar_equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and left == right


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def xsd_differences(actual: etree._Element, expected: etree._Element) -> list[str]:
    """Differences between two XSD element trees, ignoring prefixes, order of attributes, etc."""
    found: list[str] = []
    _xml_diff(actual, expected, "", found)
    return found


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _attributes(element: etree._Element) -> dict[str, str]:
    defaults = DEFAULTS.get(etree.QName(element).localname, {})
    result: dict[str, str] = {}
    for key, value in element.attrib.items():
        if etree.QName(key).localname in QNAME_ATTRIBUTES and etree.QName(key).namespace is None:
            value = _resolve(element, value)
        value = value.strip()
        if defaults.get(key) == value:
            continue
        result[key] = value
    return result


def _resolve(element: etree._Element, value: str) -> str:
    value = value.strip()
    prefix, _, local = value.rpartition(":")
    namespace = element.nsmap.get(prefix or None)
    return f"{{{namespace}}}{local}" if namespace else local


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return " ".join("".join(parts).split())


def _label(element: etree._Element) -> str:
    name = element.get("name") or element.get("ref") or element.get("value") or ""
    local = etree.QName(element).localname
    return f"{local}[{name}]" if name else local


def _xml_diff(
    actual: etree._Element, expected: etree._Element, path: str, found: list[str]
) -> None:
    if len(found) >= MAX_DIFFERENCES:
        return
    here = f"{path}/{_label(expected)}"
    if actual.tag != expected.tag:
        found.append(f"{here}: element {actual.tag} != expected {expected.tag}")
        return
    left, right = _attributes(actual), _attributes(expected)
    if left != right:
        missing = {k: v for k, v in right.items() if left.get(k) != v}
        extra = {k: v for k, v in left.items() if right.get(k) != v}
        found.append(f"{here}: attributes differ: got {extra}, expected {missing}")
    left_children, right_children = _children(actual), _children(expected)
    if not right_children and not left_children and _text(actual) != _text(expected):
        found.append(f"{here}: text {_text(actual)!r} != expected {_text(expected)!r}")
    if [c.tag for c in left_children] != [c.tag for c in right_children] or len(
        left_children
    ) != len(right_children):
        got = [_label(c) for c in left_children]
        want = [_label(c) for c in right_children]
        if len(got) != len(want):
            found.append(f"{here}: children {got} != expected {want}")
            return
    for left_child, right_child in zip(left_children, right_children, strict=False):
        _xml_diff(left_child, right_child, here, found)
