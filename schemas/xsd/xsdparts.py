"""Building blocks of the XSD reader: QNames, occurs, facets, step and property lists, and
the schema-level and foreign attributes.

Kept apart from the walker in to_json.py so each module stays small; nothing here knows about
the order in which Altinn visits schema objects.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from schemas.xsd.builtins import XML_NS, XSD_NS
from schemas.xsd.loader import is_xsd, local_name, xsd_children

Schema = dict[str, Any]

UNBOUNDED = Decimal("Infinity")
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

FORM_NAMES = {"qualified": "Qualified", "unqualified": "Unqualified"}
DERIVATION_NAMES = {
    "#all": "All",
    "extension": "Extension",
    "restriction": "Restriction",
    "substitution": "Substitution",
    "list": "List",
    "union": "Union",
}
DERIVATION_ORDER = ["Substitution", "Extension", "Restriction", "List", "Union"]


NCNAME = re.compile(r"^[^\W\d][\w.\-]*$", re.UNICODE)


def qname(element: etree._Element, value: str | None) -> tuple[str | None, str] | None:
    """Resolve a QName-valued attribute against the element's in-scope namespaces."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    prefix, _, local = value.rpartition(":")
    if not NCNAME.match(local) or (prefix and not NCNAME.match(prefix)):
        raise BadName(
            element,
            f"{value!r} is not a valid type or element name (an XML QName)",
            'use a plain name such as "MyType" or a prefixed one such as "xs:string"',
        )
    if prefix:
        if prefix not in element.nsmap:
            raise BadName(
                element,
                f"the prefix {prefix!r} in {value!r} is not declared",
                f'declare it with xmlns:{prefix}="..." on xs:schema',
            )
        return element.nsmap.get(prefix), local
    return element.nsmap.get(None), value


class BadName(Exception):
    """A malformed QName, turned into an XsdError with the file name by the converter."""

    def __init__(self, element: etree._Element, message: str, hint: str) -> None:
        super().__init__(message)
        self.element = element
        self.message = message
        self.hint = hint


_COMMON_OCCURS = {"0": Decimal("0"), "1": Decimal("1"), "unbounded": UNBOUNDED}


def occurs(element: etree._Element, attribute: str) -> Decimal:
    return parse_occurs(element.get(attribute))


def parse_occurs(raw: str | None) -> Decimal:
    """A minOccurs/maxOccurs value; missing or malformed counts as 1, as in XSD."""
    if raw is None:
        return Decimal(1)
    common = _COMMON_OCCURS.get(raw)
    if common is not None:
        return common  # Decimals are immutable: sharing the usual values is safe
    raw = raw.strip()
    if raw == "unbounded":
        return UNBOUNDED
    try:
        return Decimal(raw)
    except InvalidOperation:
        return Decimal(1)


def json_number(text: str) -> int | float | None:
    """A facet value as a JSON number (integers stay integers), or None when not numeric."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite():
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def uint(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit():
        return None
    return int(text.strip())


class Steps:
    """Sub-schemas that a complex structure is made of, joined with allOf when built."""

    def __init__(self) -> None:
        self.schemas: list[Schema] = []

    def add(self, schema: Schema) -> None:
        self.schemas.append(schema)

    def build_into(self, builder: Schema) -> None:
        builder["allOf"] = self.schemas


class Properties:
    """A run of properties (elements or attributes) that becomes one step.

    Kept as the finished `properties` dict and `required` list (a repeated name keeps its
    first place and takes the last schema, as a dict built from the run would), so that the
    converter's hot loop can add to them directly."""

    __slots__ = ("properties", "required")

    def __init__(self) -> None:
        self.properties: dict[str, Schema] = {}
        self.required: list[str] = []

    def add(self, name: str, schema: Schema, required: bool) -> None:
        self.properties[name] = schema
        if required:
            self.required.append(name)

    def flush(self, steps: Steps) -> None:
        if not self.properties:
            return
        step: Schema = {"properties": self.properties}
        if self.required:
            step["required"] = self.required
        steps.add(step)
        self.properties = {}
        self.required = []

    def build_into(self, builder: Schema) -> None:
        if not self.properties:
            return
        builder["properties"] = self.properties
        if self.required:
            builder["required"] = self.required
        self.properties = {}
        self.required = []


FORMAT_BOUND = {
    "maxExclusive": "formatExclusiveMaximum",
    "maxInclusive": "formatMaximum",
    "minExclusive": "formatExclusiveMinimum",
    "minInclusive": "formatMinimum",
}
NUMBER_BOUND = {
    "maxExclusive": "exclusiveMaximum",
    "maxInclusive": "maximum",
    "minExclusive": "exclusiveMinimum",
    "minInclusive": "minimum",
}
FACETS = frozenset(
    {
        "enumeration",
        "fractionDigits",
        "length",
        "maxExclusive",
        "maxInclusive",
        "maxLength",
        "minExclusive",
        "minInclusive",
        "minLength",
        "totalDigits",
        "pattern",
        "whiteSpace",
    }
)


def facets_of(restriction: etree._Element) -> list[etree._Element]:
    return [child for child in restriction if is_xsd(child) and local_name(child) in FACETS]


def derivation_name(value: str | None) -> str:
    if value is None or not value.strip():
        return "None"
    names = {DERIVATION_NAMES.get(token, "") for token in value.split()}
    if "All" in names:
        return "All"
    ordered = [name for name in DERIVATION_ORDER if name in names]
    return ", ".join(ordered) if ordered else "None"


def prefix_for(element: etree._Element, namespace: str) -> str | None:
    for prefix, uri in element.nsmap.items():
        if uri == namespace and prefix is not None:
            return prefix
    return None


def schema_attributes(root: etree._Element) -> dict[str, str]:
    """The schema element's settings, named as Altinn writes them in @xsdSchemaAttributes."""
    attributes = {
        "AttributeFormDefault": FORM_NAMES.get(root.get("attributeFormDefault", ""), "None"),
        "ElementFormDefault": FORM_NAMES.get(root.get("elementFormDefault", ""), "None"),
        "BlockDefault": derivation_name(root.get("blockDefault")),
        "FinalDefault": derivation_name(root.get("finalDefault")),
    }
    target = root.get("targetNamespace")
    if target and target.strip():
        attributes["TargetNamespace"] = target
    return attributes


def schema_info(annotation: etree._Element) -> dict[str, str] | None:
    """SERES puts generator facts in xs:documentation as xs:attribute name/fixed pairs."""
    documentation = next(iter(xsd_children(annotation, "documentation")), None)
    if documentation is None:
        return None
    info: dict[str, str] = {}
    for node in documentation:
        if is_xsd(node, "attribute"):
            name = node.get("name")
            if name and name.strip():
                info[name] = node.get("fixed") or ""
    return info


def unhandled_attributes(element: etree._Element) -> dict[str, str]:
    """Attributes from foreign namespaces (like seres:guid), keyed by prefix:name."""
    result: dict[str, str] = {}
    for key, value in element.items():
        if key[0] != "{":
            continue  # no namespace: an ordinary XSD attribute (the common case)
        namespace, _, local = key[1:].partition("}")
        if namespace == XSD_NS:
            continue
        prefix = "xml" if namespace == XML_NS else prefix_for(element, namespace)
        result[f"{prefix}:{local}" if prefix else local] = value
    return result


def apply_facets(
    facets: list[etree._Element], builder: Schema, date_base: bool, enum_attributes: bool
) -> None:
    """The restriction facets as JSON Schema keywords (and enum values with their foreign
    attributes, when `enum_attributes`)."""
    if not facets:
        return
    enum_values: list[str] = []
    for facet in facets:
        kind = local_name(facet)
        value = facet.get("value")
        if kind == "enumeration":
            enum_values.append(value or "")
        elif kind == "fractionDigits":
            digits = uint(value)
            if digits is not None:
                builder["multipleOf"] = json_number(str(Decimal(1).scaleb(-digits)))
        elif kind == "length":
            length = uint(value)
            if length is not None:
                builder["maxLength"] = length
                builder["minLength"] = length
        elif kind in ("maxLength", "minLength"):
            length = uint(value)
            if length is not None:
                builder[kind] = length
        elif kind in ("maxExclusive", "maxInclusive", "minExclusive", "minInclusive"):
            if date_base:
                builder[FORMAT_BOUND[kind]] = value or ""
            else:
                number = json_number(value or "")
                if number is not None:
                    builder[NUMBER_BOUND[kind]] = number
        elif kind == "totalDigits":
            digits = uint(value)
            if digits is not None:
                builder["totalDigits"] = digits
        elif kind == "pattern":
            builder["pattern"] = value or ""
        elif kind == "whiteSpace":
            continue
    if enum_values:
        if enum_attributes:
            extra: dict[str, dict[str, str]] = {}
            for facet in facets:
                unhandled = unhandled_attributes(facet)
                if unhandled:
                    extra[facet.get("value") or ""] = unhandled
            if extra:
                builder["@xsdUnhandledEnumAttributes"] = extra
        builder["enum"] = enum_values


def builtin_base(restriction: etree._Element, simple_types: dict[str, etree._Element]) -> str:
    """The built-in type a restriction ends at, following named simple types."""
    seen: set[str] = set()
    node: etree._Element | None = restriction
    while node is not None:
        inline = xsd_children(node, "simpleType")
        if inline:
            node = next(iter(xsd_children(inline[0], "restriction")), None)
            continue
        base = qname(node, node.get("base"))
        if base is None:
            return ""
        if base[0] == XSD_NS:
            return base[1]
        if base[1] in seen or base[1] not in simple_types:
            return base[1]
        seen.add(base[1])
        node = next(iter(xsd_children(simple_types[base[1]], "restriction")), None)
    return ""


def parents_with(documents: set[etree._Element], tag: str) -> set[etree._Element]:
    """The elements with a `tag` child in these documents, found in one pass in C (none at
    all when no document has that tag). The set keeps their proxies alive, so lxml hands out
    the same objects again and membership is by identity."""
    return {found.getparent() for document in documents for found in document.iter(tag)}


def wildcard_of(any_attribute: etree._Element) -> dict[str, str]:
    """The `@xsdAnyAttribute` value of an xs:anyAttribute."""
    value: dict[str, str] = {}
    if any_attribute.get("id") is not None:
        value["Id"] = any_attribute.get("id") or ""
    value["Namespace"] = any_attribute.get("namespace") or "##any"
    value["ProcessContent"] = (any_attribute.get("processContents") or "none").capitalize()
    return value


def place_items(builder: Schema, items: list[tuple[str, Schema, bool]]) -> None:
    """Place the converted top-level items, each (name, schema, is an element): the first
    element's keywords on the schema itself, the other items under `$defs`."""
    roots = [item for item in items if item[2]]
    # Altinn drops every item named like the root element; we drop only the root element
    # itself so that `<element name="x" type="x"/>` keeps its type definition.
    definitions = {
        name: schema for name, schema, _ in (i for i in items if not (roots and i is roots[0]))
    }
    if roots and definitions and not items[0][2]:
        # keep the XSD's order (types first) so that writing the XSD back preserves it
        builder["$defs"] = definitions
    if roots:
        root_name, root_schema, _ = roots[0]
        if root_name:
            builder["@xsdRootElement"] = root_name
        if "$ref" in root_schema:
            builder["oneOf"] = [{"$ref": root_schema["$ref"]}]
        else:
            skip = {"$schema", "$id", "type", "@xsdNamespaces", "@xsdSchemaAttributes"}
            for keyword, value in root_schema.items():
                if keyword not in skip:
                    builder[keyword] = value
    if definitions and "$defs" not in builder:
        builder["$defs"] = definitions
