"""Writing process.bpmn back: the original bytes when untouched, a faithful re-serialization
otherwise.

An edited file is written by splicing: everything before and after the root element (BOM,
XML declaration, leading comments) is copied from the original bytes, and the root element is
serialized by lxml, which keeps every element, attribute, namespace prefix, comment and
whitespace node it read. When the original wrote empty elements as `<x />` (bpmn.io does), the
output does too, so a small edit gives a small diff.
"""

from __future__ import annotations

import re

from lxml import etree

from app_runtime.process.reader import ProcessDocument

_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?definitions[\s/>]")
_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?definitions\s*>")
_SPACED_EMPTY = re.compile(rb"(\"|<[A-Za-z_][\w:.-]*)/>")


def document_bytes(document: ProcessDocument) -> bytes:
    """The bytes to save: the original when nothing was edited."""
    if not document.edited:
        return document.raw
    return serialize(document)


def serialize(document: ProcessDocument) -> bytes:
    """Serialize the tree, keeping the original prolog, epilog and empty-element style."""
    root = document.tree.getroot()
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False, with_tail=False)
    raw = document.raw
    start = _ROOT_START.search(raw)
    ends = list(_ROOT_END.finditer(raw))
    if start is None or not ends:
        prolog = b'<?xml version="1.0" encoding="UTF-8"?>\n'
        epilog = b"\n"
    else:
        prolog = raw[: start.start()]
        epilog = raw[ends[-1].end() :]
        declared = re.search(rb"encoding=[\"']([^\"']+)[\"']", prolog[:200])
        if declared and declared.group(1).decode("ascii", "replace").lower() not in (
            "utf-8",
            "utf8",
        ):
            prolog = re.sub(rb"encoding=[\"'][^\"']+[\"']", b'encoding="UTF-8"', prolog, count=1)
    if raw.count(b" />") > raw.count(b'"/>'):
        body = _SPACED_EMPTY.sub(rb"\1 />", body)
    return prolog + body + epilog
