"""Hardened XML parsing: no entity expansion, no DTD loading, no network.

Every XML file an app carries (process.bpmn, policy.xml, XSDs) goes through here. Documents
that declare entities are refused outright, which defeats billion-laughs and external-entity
attacks while keeping lxml's line numbers for messages.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from schemas.diagnostics import LocatedError, Location

MAX_XML_BYTES = 64 * 1024 * 1024


class XmlSafetyError(LocatedError):
    """XML that is malformed or tries something unsafe (entities, DTDs, huge input)."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
    )


def parse_xml_bytes(raw: bytes, name: str) -> etree._ElementTree:
    """Parse XML bytes safely; raise XmlSafetyError with line/column on any problem."""
    if len(raw) > MAX_XML_BYTES:
        raise XmlSafetyError(
            f"XML file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB",
            Location(name),
            "split or shrink the file",
        )
    lowered = raw.lower()
    if b"<!doctype" in lowered and b"<!entity" in lowered:
        raise XmlSafetyError(
            "XML declares entities in a DOCTYPE, which is refused for safety",
            Location(name, "", _line_of(raw, b"<!entity"), None),
            "remove the DOCTYPE and ENTITY declarations; Altinn files never need them",
        )
    try:
        tree = etree.ElementTree(etree.fromstring(raw, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise XmlSafetyError(
            f"invalid XML: {exc.msg}",
            Location(name, "", line, column),
            "fix the markup at this position",
        ) from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None and any(True for _ in docinfo.internalDTD.iterentities()):
        raise XmlSafetyError(
            "XML declares entities in a DOCTYPE, which is refused for safety",
            Location(name, "", 1, None),
            "remove the DOCTYPE and ENTITY declarations",
        )
    return tree


def parse_xml_file(path: Path, name: str | None = None) -> etree._ElementTree:
    label = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise XmlSafetyError(f"cannot read file: {exc.strerror}", Location(label)) from None
    return parse_xml_bytes(raw, label)


def _line_of(raw: bytes, needle: bytes) -> int | None:
    index = raw.lower().find(needle)
    if index < 0:
        return None
    return raw[:index].count(b"\n") + 1


def element_location(name: str, element: etree._Element) -> Location:
    """Location of an element: its line, and a readable path like /definitions/process[1]."""
    try:
        path = element.getroottree().getpath(element)
    except ValueError:
        path = ""
    return Location(name, path, element.sourceline, None)
