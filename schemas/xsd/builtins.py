"""XSD built-in types and how Altinn maps them to JSON Schema types and formats.

Both converter directions share these tables so that a type written one way reads back the same
way: `decimal` becomes `number`, `gYear` becomes a string with format `year`, and so on.
"""

from __future__ import annotations

XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SERES_NS = "http://seres.no/xsd/forvaltningsdata"
OR_NS = "http://www.brreg.no/or"

INTEGER_TYPES: frozenset[str] = frozenset(
    {
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "nonNegativeInteger",
        "positiveInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    }
)
FRACTION_TYPES: frozenset[str] = frozenset({"decimal", "float", "double"})
NUMERIC_TYPES: frozenset[str] = INTEGER_TYPES | FRACTION_TYPES

# string-valued types with the JSON Schema format Altinn gives them (None: no format)
STRING_TYPES: dict[str, str | None] = {
    "anyAtomicType": None,
    "anySimpleType": None,
    "string": None,
    "gMonthDay": None,
    "gDay": None,
    "gMonth": None,
    "hexBinary": None,
    "base64Binary": None,
    "QName": None,
    "NOTATION": None,
    "normalizedString": None,
    "token": None,
    "language": None,
    "NMTOKEN": None,
    "NMTOKENS": None,
    "Name": None,
    "NCName": None,
    "ID": None,
    "IDREF": None,
    "IDREFS": None,
    "ENTITY": None,
    "ENTITIES": None,
    "yearMonthDuration": None,
    "dayTimeDuration": None,
    "gYearMonth": "year-month",
    "gYear": "year",
    "dateTime": "date-time",
    "time": "time",
    "date": "date",
    "duration": "duration",
    "anyURI": "uri",
}

DATE_TYPES: frozenset[str] = frozenset(
    {"date", "dateTime", "duration", "gDay", "gMonth", "gMonthDay", "gYear", "gYearMonth", "time"}
)

KNOWN_TYPES: frozenset[str] = (
    frozenset(STRING_TYPES) | NUMERIC_TYPES | frozenset({"boolean", "anyType"})
)


def json_type_of(xsd_type: str) -> tuple[str, str | None] | None:
    """(JSON type, format) for a built-in XSD type name, or None when it is not one we map."""
    if xsd_type == "boolean":
        return "boolean", None
    if xsd_type in INTEGER_TYPES:
        return "integer", None
    if xsd_type in FRACTION_TYPES:
        return "number", None
    if xsd_type in STRING_TYPES:
        return "string", STRING_TYPES[xsd_type]
    return None


def compatible(json_type: str, xsd_type: str) -> bool:
    """Whether an `@xsdType` hint fits the JSON type it sits next to."""
    if json_type == "boolean":
        return xsd_type == "boolean"
    if json_type == "string":
        return xsd_type in STRING_TYPES
    if json_type == "number":
        return xsd_type in FRACTION_TYPES
    if json_type == "integer":
        return xsd_type in INTEGER_TYPES
    return False


def xsd_type_for(json_type: str, fmt: str | None) -> str:
    """The XSD type to write for a JSON type without a usable `@xsdType` hint."""
    if json_type == "boolean":
        return "boolean"
    if json_type == "number":
        return "double"
    if json_type == "integer":
        return "long"
    return {"date-time": "dateTime", "date": "date", "time": "time", "uri": "anyURI"}.get(
        fmt or "", "string"
    )
