"""Annotations as `$comment` text, serialized the way Altinn's converter writes them.

Altinn keeps xs:documentation and xs:appinfo content of an annotation as markup in `$comment`:
`<documentation>...</documentation><appInfo>...</appInfo>`, whitespace-only text dropped, empty
elements written `<p />`. The JSON -> XSD direction parses that text back into the annotation.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from schemas.xsd.builtins import XML_NS
from schemas.xsd.loader import is_xsd

WRAPPERS = {"documentation": "documentation", "appinfo": "appInfo"}


def annotation_comment(annotation: etree._Element) -> str:
    """The `$comment` text for an xs:annotation, or "" when it has no content."""
    parts: list[str] = []
    for child in annotation:
        if not is_xsd(child, "documentation", "appinfo"):
            continue
        wrapper = WRAPPERS[etree.QName(child).localname]
        inner = "".join(_node_markup(node, child) for node in _content(child))
        if inner:
            parts.append(f"<{wrapper}>{inner}</{wrapper}>")
    return "".join(parts)


def _content(element: etree._Element) -> list[etree._Element | str]:
    """Child nodes in order: text runs as str, elements and comments as themselves."""
    nodes: list[etree._Element | str] = []
    if element.text and element.text.strip():
        nodes.append(element.text)
    for child in element:
        nodes.append(child)
        if child.tail and child.tail.strip():
            nodes.append(child.tail)
    return nodes


def _node_markup(node: etree._Element | str, parent: etree._Element) -> str:
    if isinstance(node, str):
        return escape(node)
    if not isinstance(node.tag, str):
        if node.tag is etree.Comment:
            return f"<!--{node.text or ''}-->"
        return ""
    declared = _declared_here(node, parent)
    name = _qualified(node, node.tag)
    attributes = [
        f'{_qualified(node, key)}="{_escape_attribute(value)}"'
        for key, value in node.attrib.items()
    ]
    attributes.extend(
        f'xmlns:{prefix}="{_escape_attribute(uri)}"'
        if prefix
        else f'xmlns="{_escape_attribute(uri)}"'
        for prefix, uri in declared
    )
    start = name + "".join(" " + attribute for attribute in attributes)
    children = "".join(_node_markup(child, node) for child in _content(node))
    if not children:
        return f"<{start} />"
    return f"<{start}>{children}</{name}>"


def _declared_here(node: etree._Element, parent: etree._Element) -> list[tuple[str | None, str]]:
    """Namespace declarations that must appear on `node` for the markup to stand alone.

    Declarations made on the node itself are kept; the outermost markup element also declares
    the prefixes it uses that were inherited from the schema, as a DOM import would.
    """
    outer = is_xsd(parent)
    parent_map = {} if outer else parent.nsmap
    result: list[tuple[str | None, str]] = []
    for prefix, uri in node.nsmap.items():
        if parent_map.get(prefix) == uri:
            continue
        if outer and not _uses(node, prefix, uri) and not _declared_locally(node, prefix):
            continue
        result.append((prefix, uri))
    return result


def _declared_locally(node: etree._Element, prefix: str | None) -> bool:
    parent = node.getparent()
    if parent is None:
        return True
    return parent.nsmap.get(prefix) != node.nsmap.get(prefix)


def _uses(node: etree._Element, prefix: str | None, uri: str) -> bool:
    names = [node.tag, *node.attrib.keys()]
    return any(etree.QName(name).namespace == uri for name in names if isinstance(name, str)) and (
        prefix is not None or etree.QName(node).namespace == uri
    )


def _qualified(node: etree._Element, key: str) -> str:
    qname = etree.QName(key)
    if qname.namespace is None:
        return qname.localname
    if qname.namespace == XML_NS:
        return f"xml:{qname.localname}"
    for prefix, uri in node.nsmap.items():
        if uri == qname.namespace:
            if prefix is None:
                if key == node.tag:
                    return qname.localname
                continue
            return f"{prefix}:{qname.localname}"
    return qname.localname


def _escape_attribute(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#xA;", "\r": "&#xD;", "\t": "&#x9;"})
