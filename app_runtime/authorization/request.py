"""Decision requests and responses: the XACML 3.0 Request/Response XML and Python shapes.

A request holds categories of attributes. When a category appears more than once (or a
MultiRequests element lists combinations) the Multiple Decision Profile applies: every
combination is decided separately and gives one Result. Attributes marked IncludeInResult are
echoed in their individual request's result.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.context import Key
from app_runtime.authorization.errors import RequestError
from app_runtime.authorization.model import Obligation
from schemas.xmlsafe import element_location, parse_xml_bytes, parse_xml_file

NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
_Q = "{" + NS + "}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

SUBJECT = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
RESOURCE = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
ACTION = "urn:oasis:names:tc:xacml:3.0:attribute-category:action"
ENVIRONMENT = "urn:oasis:names:tc:xacml:3.0:attribute-category:environment"


@dataclass(slots=True)
class Attribute:
    """One request attribute: id, issuer, whether to echo it, and its typed values."""

    attribute_id: str
    values: list[tuple[str, Any]]  # (data type, value)
    issuer: str | None = None
    include_in_result: bool = False


@dataclass(slots=True)
class Category:
    """<Attributes Category=...>: one category's attributes (xml:id for MultiRequests)."""

    category: str
    attributes: list[Attribute] = field(default_factory=list)
    xml_id: str | None = None


@dataclass(slots=True)
class Request:
    """A decision request, possibly holding several individual requests (MDP)."""

    categories: list[Category]
    return_policy_ids: bool = False
    combined_decision: bool = False
    multi_requests: list[list[str]] | None = None

    def individual(self) -> list[list[Category]]:
        """The individual requests: one per combination of repeated categories."""
        if self.multi_requests:
            by_id = {cat.xml_id: cat for cat in self.categories if cat.xml_id}
            out: list[list[Category]] = []
            for references in self.multi_requests:
                missing = [ref for ref in references if ref not in by_id]
                if missing:
                    raise RequestError(f"RequestReference names unknown Attributes {missing[0]}")
                out.append([by_id[ref] for ref in references])
            return out
        groups: dict[str, list[Category]] = {}
        for cat in self.categories:
            groups.setdefault(cat.category, []).append(cat)
        return [list(combo) for combo in itertools.product(*groups.values())]


def bags_of(
    categories: list[Category],
) -> tuple[dict[Key, tuple[Any, ...]], dict[tuple[str, str, str, str], tuple[Any, ...]]]:
    """Index one individual request's values by (category, id, type) and by issuer."""
    bags: dict[Key, list[Any]] = {}
    by_issuer: dict[tuple[str, str, str, str], list[Any]] = {}
    for cat in categories:
        for attribute in cat.attributes:
            for datatype, value in attribute.values:
                key = (cat.category, attribute.attribute_id, datatype)
                bags.setdefault(key, []).append(value)
                if attribute.issuer is not None:
                    by_issuer.setdefault((*key, attribute.issuer), []).append(value)
    return (
        {key: tuple(values) for key, values in bags.items()},
        {key: tuple(values) for key, values in by_issuer.items()},
    )


def echoed(categories: list[Category]) -> list[Category]:
    """The IncludeInResult attributes, grouped by category, for the result."""
    out: list[Category] = []
    for cat in categories:
        kept = [attribute for attribute in cat.attributes if attribute.include_in_result]
        if kept:
            out.append(Category(cat.category, kept, cat.xml_id))
    return out


@dataclass(slots=True)
class Result:
    """One decision result as returned to the caller."""

    decision: str
    status_code: str
    status_message: str = ""
    obligations: list[Obligation] = field(default_factory=list)
    advice: list[Obligation] = field(default_factory=list)
    attributes: list[Category] = field(default_factory=list)
    policy_ids: list[str] = field(default_factory=list)
    decided_by: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- XML in
def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _name(element: etree._Element) -> str:
    tag = element.tag
    return tag[len(_Q) :] if isinstance(tag, str) and tag.startswith(_Q) else str(tag)


def parse_request_element(root: etree._Element, source: str) -> Request:
    def fail(element: etree._Element, message: str) -> RequestError:
        return RequestError(message, element_location(source, element))

    if _name(root) != "Request":
        raise fail(root, f"expected a XACML 3.0 <Request>, found {root.tag}")
    request = Request(
        [],
        root.get("ReturnPolicyIdList", "false") in ("true", "1"),
        root.get("CombinedDecision", "false") in ("true", "1"),
    )
    for child in _children(root):
        name = _name(child)
        if name == "Attributes":
            category = child.get("Category")
            if not category:
                raise fail(child, "<Attributes> needs a Category")
            cat = Category(category, [], child.get(XML_ID))
            for item in _children(child):
                item_name = _name(item)
                if item_name == "Content":
                    continue
                if item_name != "Attribute":
                    raise fail(item, f"<{item_name}> is not allowed in <Attributes>")
                attribute_id = item.get("AttributeId")
                if not attribute_id:
                    raise fail(item, "<Attribute> needs an AttributeId")
                values: list[tuple[str, Any]] = []
                for value_element in _children(item):
                    datatype = dt.canonical_datatype(value_element.get("DataType", ""))
                    text = value_element.text or ""
                    if not dt.is_known(datatype):
                        # Unknown types are kept as text: no function can use them anyway.
                        values.append((datatype, text))
                        continue
                    try:
                        values.append((datatype, dt.parse_value(datatype, text)))
                    except ValueError as exc:
                        raise fail(value_element, f"bad attribute value: {exc}") from None
                cat.attributes.append(
                    Attribute(
                        attribute_id,
                        values,
                        item.get("Issuer"),
                        item.get("IncludeInResult", "false") in ("true", "1"),
                    )
                )
            request.categories.append(cat)
        elif name == "MultiRequests":
            request.multi_requests = [
                [ref.get("ReferenceId", "") for ref in _children(reference)]
                for reference in _children(child)
            ]
        elif name == "RequestDefaults":
            continue
        else:
            raise fail(child, f"<{name}> is not allowed in <Request>")
    return request


def load_request_file(path: Path, source: str | None = None) -> Request:
    name = source or str(path)
    return parse_request_element(parse_xml_file(path, name).getroot(), name)


def load_request_bytes(raw: bytes, source: str = "request") -> Request:
    return parse_request_element(parse_xml_bytes(raw, source).getroot(), source)


# --------------------------------------------------------------------------- XML out
def _assignments_xml(
    parent: etree._Element, tag: str, items: list[Obligation], id_name: str
) -> None:
    if not items:
        return
    holder = etree.SubElement(parent, _Q + tag)
    for item in items:
        node = etree.SubElement(holder, _Q + ("Obligation" if tag == "Obligations" else "Advice"))
        node.set(id_name, item.id)
        for assignment in item.assignments:
            element = etree.SubElement(node, _Q + "AttributeAssignment")
            element.set("AttributeId", assignment.attribute_id)
            element.set("DataType", assignment.datatype)
            if assignment.category:
                element.set("Category", assignment.category)
            if assignment.issuer:
                element.set("Issuer", assignment.issuer)
            element.text = dt.format_value(assignment.datatype, assignment.value)


def response_xml(results: list[Result]) -> bytes:
    """Serialise results as a XACML 3.0 <Response> document."""
    root = etree.Element(_Q + "Response", nsmap={None: NS})
    for result in results:
        node = etree.SubElement(root, _Q + "Result")
        etree.SubElement(node, _Q + "Decision").text = result.decision
        status = etree.SubElement(node, _Q + "Status")
        etree.SubElement(status, _Q + "StatusCode").set("Value", result.status_code)
        if result.status_message:
            etree.SubElement(status, _Q + "StatusMessage").text = result.status_message
        _assignments_xml(node, "Obligations", result.obligations, "ObligationId")
        _assignments_xml(node, "AssociatedAdvice", result.advice, "AdviceId")
        for cat in result.attributes:
            attributes = etree.SubElement(node, _Q + "Attributes")
            attributes.set("Category", cat.category)
            for attribute in cat.attributes:
                element = etree.SubElement(attributes, _Q + "Attribute")
                element.set("AttributeId", attribute.attribute_id)
                element.set("IncludeInResult", "true")
                if attribute.issuer:
                    element.set("Issuer", attribute.issuer)
                for datatype, value in attribute.values:
                    value_element = etree.SubElement(element, _Q + "AttributeValue")
                    value_element.set("DataType", datatype)
                    value_element.text = dt.format_value(datatype, value)
        if result.policy_ids:
            holder = etree.SubElement(node, _Q + "PolicyIdentifierList")
            for policy_id in result.policy_ids:
                etree.SubElement(holder, _Q + "PolicyIdReference").text = policy_id
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
