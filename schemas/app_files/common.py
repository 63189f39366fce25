"""Building blocks shared by the app-file schemas: expressions and small reusable fragments.

An expression is a JSON array whose first item names a function. The schemas check only that
shape; which functions exist, their arity and types are the expression checker's job, so the
schemas stay valid when the language grows.
"""

from __future__ import annotations

from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
ID_BASE = "https://formstudio.dev/schemas/app_files/"

EXPRESSION: dict[str, Any] = {
    "title": "Expression",
    "description": 'A function call written as a JSON array: ["functionName", arg1, arg2, ...].',
    "type": "array",
    "minItems": 1,
    "items": [{"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}],
}


def expression_definitions() -> dict[str, Any]:
    """The `definitions` every schema that accepts expressions embeds (kept self-contained)."""
    return {
        "expression": EXPRESSION,
        "boolean-expr": {
            "title": "Boolean or expression",
            "anyOf": [{"type": "boolean"}, {"$ref": "#/definitions/expression"}],
        },
        "string-expr": {
            "title": "String or expression",
            "anyOf": [{"type": "string"}, {"$ref": "#/definitions/expression"}],
        },
        "number-expr": {
            "title": "Number or expression",
            "anyOf": [{"type": "number"}, {"$ref": "#/definitions/expression"}],
        },
        "any-expr": {
            "title": "Value or expression",
            "anyOf": [
                {"type": ["string", "number", "boolean", "null", "object"]},
                {"$ref": "#/definitions/expression"},
            ],
        },
    }


def string_list(description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": {"type": "string"}}


def document(kind: str, title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    """Wrap a schema body with the draft-07 header every app-file schema carries."""
    return {
        "$schema": DRAFT_07,
        "$id": f"{ID_BASE}{kind}.schema.json",
        "title": title,
        "description": description,
        **body,
    }
