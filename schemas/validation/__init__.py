"""Validating instance data (JSON, or XML as Altinn stores it) against a data model."""

from schemas.validation.validator import (
    DataError,
    ModelValidator,
    SchemaCompileError,
    data_path,
    rooted_schema,
    validate_data,
)
from schemas.validation.xmldata import validate_xml

__all__ = [
    "DataError",
    "ModelValidator",
    "SchemaCompileError",
    "data_path",
    "rooted_schema",
    "validate_data",
    "validate_xml",
]
