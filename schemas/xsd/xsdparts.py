"""Building blocks of the XSD reader: QNames, occurs, facet tables, step and property lists.

Kept apart from the walker in to_json.py so each module stays small; nothing here knows about
the order in which Altinn visits schema objects.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from schemas.xsd.loader import is_xsd, local_name

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
    """A run of properties (elements or attributes) that becomes one step."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Schema, bool]] = []

    def add(self, name: str, schema: Schema, required: bool) -> None:
        self.items.append((name, schema, required))

    def flush(self, steps: Steps) -> None:
        if not self.items:
            return
        step: Schema = {"properties": {name: schema for name, schema, _ in self.items}}
        required = [name for name, _, is_required in self.items if is_required]
        if required:
            step["required"] = required
        steps.add(step)
        self.items = []

    def build_into(self, builder: Schema) -> None:
        if not self.items:
            return
        builder["properties"] = {name: schema for name, schema, _ in self.items}
        required = [name for name, _, is_required in self.items if is_required]
        if required:
            builder["required"] = required
        self.items = []


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
