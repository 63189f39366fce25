"""Validating XML instance data (as Altinn stores form data) against a model.

The XML is read into the JSON shape first (following the model), so the same validator and
the same data paths serve both; values that do not even convert are reported as problems.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from schemas.instances.xmljson import xml_to_json
from schemas.model.loader import DataModel
from schemas.validation.validator import DataError, ModelValidator
from schemas.xmlsafe import parse_xml_bytes


def validate_xml(
    model: DataModel,
    xml: bytes | etree._Element | etree._ElementTree,
    validator: ModelValidator | None = None,
    name: str = "data.xml",
) -> tuple[list[DataError], list[tuple[str, str]], Any]:
    """(schema errors, conversion problems, the JSON data) for XML instance data.

    Raw bytes go through the hardened parser (no entities, no network); XmlSafetyError
    carries the line and column when the XML is unusable.
    """
    tree = parse_xml_bytes(xml, name) if isinstance(xml, bytes) else xml
    conversion = xml_to_json(model, tree)
    checker = validator or ModelValidator(model)
    return checker.errors(conversion.data), conversion.problems, conversion.data
