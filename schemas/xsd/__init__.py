"""XSD <-> JSON Schema conversion compatible with Altinn Studio's DataModeling converters.

`xsd_to_json_schema` reads an XSD (hardened parser, local includes only) and returns the JSON
Schema Altinn Studio would generate, `@xsd*` keywords included; `json_schema_to_xsd` writes an
XSD back following the SERES or general strategy. `compare` holds the semantic comparisons the
conformance test and the model checks use.
"""

from __future__ import annotations

from schemas.xsd.analyzer import JsonToXsdError
from schemas.xsd.loader import XsdError, load_xsd_bytes, load_xsd_file
from schemas.xsd.to_json import convert_xsd_bytes, convert_xsd_file
from schemas.xsd.to_xsd import convert_json_schema, is_seres, write_xsd

xsd_to_json_schema = convert_xsd_file
json_schema_to_xsd = convert_json_schema

__all__ = [
    "JsonToXsdError",
    "XsdError",
    "convert_json_schema",
    "convert_xsd_bytes",
    "convert_xsd_file",
    "is_seres",
    "json_schema_to_xsd",
    "load_xsd_bytes",
    "load_xsd_file",
    "write_xsd",
    "xsd_to_json_schema",
]
