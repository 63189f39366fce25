"""Schemas of text resources, static options (code lists) and expression validations."""

from __future__ import annotations

from schemas.app_files.common import document, expression_definitions

TEXT_RESOURCES = document(
    "text-resources",
    "Altinn text resources",
    "App/config/texts/resource.<lang>.json: the app's texts in one language.",
    {
        "type": "object",
        "required": ["language", "resources"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "language": {
                "type": "string",
                "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                "description": "Language code; should match the file name (resource.<lang>.json).",
            },
            "resources": {"type": "array", "items": {"$ref": "#/definitions/resource"}},
        },
        "definitions": {
            "resource": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "description": "Unique key within the file."},
                    "value": {
                        "type": "string",
                        "description": "The text; {0}, {1}, ... are replaced by variables.",
                    },
                    "variables": {"type": "array", "items": {"$ref": "#/definitions/variable"}},
                },
            },
            "variable": {
                "type": "object",
                "required": ["key", "dataSource"],
                "additionalProperties": False,
                "properties": {
                    "key": {
                        "type": "string",
                        "description": "Path in the data source; may hold [{0}] row indexes.",
                    },
                    "dataSource": {
                        "type": "string",
                        "pattern": "^(dataModel\\.[^\\s]+|instanceContext|applicationSettings)$",
                        "description": "dataModel.<dataType>, dataModel.default, instanceContext "
                        "or applicationSettings.",
                    },
                    "defaultValue": {
                        "type": "string",
                        "description": "Shown when the looked-up value is empty.",
                    },
                },
            },
        },
    },
)

OPTIONS = document(
    "options",
    "Altinn static options",
    "App/options/<optionsId>.json: a code list for Dropdown, RadioButtons, Checkboxes ...",
    {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "label"],
            "additionalProperties": False,
            "properties": {
                "value": {
                    "type": ["string", "number", "boolean", "null"],
                    "description": "Stored in the data model when chosen.",
                },
                "label": {"type": "string", "description": "Text resource key or literal."},
                "description": {"type": "string"},
                "helpText": {"type": "string"},
            },
        },
    },
)

VALIDATION = document(
    "validation",
    "Altinn expression validations",
    "App/models/<model>.validation.json: expression-based validations per data model field.",
    {
        "type": "object",
        "required": ["validations"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "validations": {
                "type": "object",
                "description": "Field path -> validations (objects or names of definitions).",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "if": {"type": "object"},
                        "then": {"$ref": "#/definitions/validation"},
                        "else": {"type": "string", "description": "A name in `definitions`."},
                    },
                },
            },
            "definitions": {
                "type": "object",
                "additionalProperties": {"$ref": "#/definitions/validation"},
            },
        },
        "definitions": {
            "validation": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "message": {
                        "$ref": "#/definitions/string-expr",
                        "description": "Text resource key, literal or string expression.",
                    },
                    "condition": {
                        "$ref": "#/definitions/boolean-expr",
                        "description": 'Fails when true; ["argv", 0] is the field path.',
                    },
                    "severity": {
                        "type": "string",
                        "enum": ["error", "warning", "info", "success"],
                        "default": "error",
                    },
                    "showImmediately": {"type": "boolean", "default": False},
                    "ref": {"type": "string", "description": "A definition to extend."},
                },
                "if": {"required": ["ref"]},
                "else": {"required": ["message", "condition"]},
            },
            **expression_definitions(),
        },
    },
)
