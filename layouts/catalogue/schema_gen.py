"""Generate the page-layout JSON Schema (draft-07) from the component catalogue.

Like Altinn's codegen, the schema is an artefact of the declarations: one branch per component
type, selected by `type`, each closing its properties with `additionalProperties: false`.
The output is committed as schemas/app_files/layout.schema.json (the `schemas` package reads it
as data); `studio schema layout -o schemas/app_files/layout.schema.json` regenerates it and a
test fails when the committed file drifts from this generator.
"""

from __future__ import annotations

import json
import re
from typing import Any

from layouts.catalogue.components.common import VALIDATION_MASKS
from layouts.catalogue.model import Binding, ComponentDefinition, Prop
from layouts.catalogue.registry import all_definitions
from schemas.app_files.common import DRAFT_07, ID_BASE, expression_definitions

REGENERATE_COMMAND = "studio schema layout -o schemas/app_files/layout.schema.json"

_JSON_TYPES = {"string", "number", "integer", "boolean", "object", "array"}


def case_insensitive_pattern(*names: str) -> str:
    """A portable regex matching any of the names in any letter case (Altinn's frontend maps
    `type` values case-insensitively, so "Radiobuttons" is a RadioButtons)."""

    def one(name: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in name)

    return "^(?:" + "|".join(one(n) for n in names) + ")$"


def definition_key(definition: ComponentDefinition) -> str:
    return f"comp-{definition.type}"


def prop_schema(prop: Prop) -> dict[str, Any]:
    """One property as JSON Schema: its type (or fragment), enum, expression and null forms."""
    if prop.schema is not None:
        schema: dict[str, Any] = dict(prop.schema)
    elif prop.kind in _JSON_TYPES:
        schema = {"type": prop.kind}
    else:
        schema = {}
    if prop.enum:
        schema["enum"] = list(prop.enum)
    if prop.expr is not None:
        schema = {"anyOf": [schema, {"$ref": "#/definitions/expression"}]}
    if prop.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    annotated: dict[str, Any] = {}
    if prop.title:
        annotated["title"] = prop.title
    if prop.description:
        annotated["description"] = prop.description
    if prop.default is not None:
        annotated["default"] = prop.default
    if prop.expr is not None:
        annotated["x-expression"] = str(prop.expr)
    if prop.deprecated:
        annotated["deprecated"] = True
    return {**annotated, **schema}


def _binding_schema(binding: Binding) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": "#/definitions/binding"}
    if binding.description or binding.types:
        fits = ", ".join(binding.types) if binding.types else "any type"
        text = f"{binding.description} Fits: {fits}.".strip()
        schema = {"description": text, "allOf": [schema]}
    return schema


def component_schema(
    definition: ComponentDefinition, shared: _SharedProps | None = None
) -> dict[str, Any]:
    """The closed object schema of one component type. With `shared`, property schemas used
    by several types become `$ref`s into `definitions` (keeps the file small)."""
    properties: dict[str, Any] = {
        "id": {"$ref": "#/definitions/componentId"},
        "type": {
            "type": "string",
            "pattern": case_insensitive_pattern(*definition.names),
            "description": " or ".join(definition.names),
        },
    }
    required = ["id", "type"]
    for prop in definition.props:
        schema = prop_schema(prop)
        properties[prop.name] = shared.ref(prop.name, schema) if shared else schema
        if prop.required:
            required.append(prop.name)

    text_bindings: dict[str, Any] = {
        "type": "object",
        "title": "Text resource bindings",
        "properties": {key: {"$ref": "#/definitions/string-expr"} for key in definition.text_keys},
        "additionalProperties": (
            {"$ref": "#/definitions/string-expr"} if definition.open_text_keys else False
        ),
    }
    properties["textResourceBindings"] = text_bindings

    model_bindings: dict[str, Any] = {
        "type": "object",
        "title": "Data model bindings",
        "properties": {k: _binding_schema(b) for b in definition.bindings for k in b.keys},
        "additionalProperties": (
            {"$ref": "#/definitions/binding"} if definition.open_bindings else False
        ),
    }
    plain = [b.key for b in definition.bindings if b.required and not b.aliases]
    either = [b for b in definition.bindings if b.required and b.aliases]
    if plain:
        model_bindings["required"] = plain
    if either:
        model_bindings["allOf"] = [
            {"anyOf": [{"required": [key]} for key in b.keys]} for b in either
        ]
    if plain or either:
        required.append("dataModelBindings")
    properties["dataModelBindings"] = model_bindings

    schema: dict[str, Any] = {"type": "object", "title": definition.title or definition.type}
    if definition.description:
        schema["description"] = definition.description
    schema["required"] = required
    schema["properties"] = properties
    schema["additionalProperties"] = definition.open_props
    return schema


class _SharedProps:
    """Collects property schemas that several component types share, by content."""

    def __init__(self, definitions: list[ComponentDefinition]) -> None:
        counts: dict[str, int] = {}
        for definition in definitions:
            for prop in definition.props:
                key = _canonical(prop_schema(prop))
                counts[key] = counts.get(key, 0) + 1
        self._shared = {key for key, count in counts.items() if count > 1}
        self._names: dict[str, str] = {}
        self.definitions: dict[str, Any] = {}

    def ref(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        key = _canonical(schema)
        if key not in self._shared:
            return schema
        if key not in self._names:
            candidate, n = f"prop-{name}", 2
            while candidate in self.definitions:
                candidate, n = f"prop-{name}-{n}", n + 1
            self._names[key] = candidate
            self.definitions[candidate] = schema
        return {"$ref": f"#/definitions/{self._names[key]}"}


def _canonical(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True)


def _dispatch(definitions: list[ComponentDefinition]) -> dict[str, Any]:
    names = [name for d in definitions for name in d.names]
    return {
        "type": "object",
        "description": "Any component; `type` selects the branch that checks the rest "
        "(including `id`).",
        "required": ["type"],
        "properties": {
            "type": {
                "type": "string",
                "title": "Component type",
                "description": "A catalogue type name (letter case is not significant).",
                "anyOf": [
                    {"enum": sorted(names)},
                    {"pattern": case_insensitive_pattern(*names)},
                ],
            },
        },
        "allOf": [
            {
                "if": {
                    "properties": {"type": {"pattern": case_insensitive_pattern(*d.names)}},
                    "required": ["type"],
                },
                "then": {"$ref": f"#/definitions/{definition_key(d)}"},
            }
            for d in definitions
        ],
    }


def layout_schema() -> dict[str, Any]:
    """The whole page-layout schema, deterministic for a given catalogue."""
    definitions = all_definitions()
    shared: dict[str, Any] = {
        **expression_definitions(),
        "componentId": {
            "type": "string",
            "minLength": 1,
            "title": "Id",
            "description": "Unique within the layout set. Should not end in -<number>.",
        },
        "binding": {
            "title": "Data model binding",
            "anyOf": [
                {"type": "string", "description": "Dot path in the default data model."},
                {
                    "type": "object",
                    "required": ["dataType", "field"],
                    "additionalProperties": False,
                    "properties": {
                        "dataType": {"type": "string"},
                        "field": {"type": "string"},
                    },
                },
            ],
        },
        "component": _dispatch(definitions),
    }
    props = _SharedProps(definitions)
    components = {definition_key(d): component_schema(d, props) for d in definitions}
    shared.update(sorted(props.definitions.items()))
    shared.update(components)
    return {
        "$schema": DRAFT_07,
        "$id": f"{ID_BASE}layout.schema.json",
        "title": "Altinn page layout",
        "description": "One page of a layout folder (App/ui/<folder>/layouts/<page>.json). "
        f"Generated from the component catalogue by `{REGENERATE_COMMAND}`; do not edit.",
        "type": "object",
        "required": ["data"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "data": {
                "type": "object",
                "required": ["layout"],
                "additionalProperties": False,
                "properties": {
                    "layout": {
                        "type": "array",
                        "items": {"$ref": "#/definitions/component"},
                    },
                    "hidden": {
                        "title": "Hide the page",
                        "$ref": "#/definitions/boolean-expr",
                    },
                    "expandedWidth": {"type": "boolean", "title": "Use the full page width"},
                    "validationOnNavigation": {
                        "title": "Validation when leaving the page",
                        "type": "object",
                        "required": ["page", "show"],
                        "additionalProperties": False,
                        "properties": {
                            "page": {
                                "type": "string",
                                "enum": ["current", "currentAndPrevious", "all"],
                            },
                            "show": {
                                "type": "array",
                                "items": {"type": "string", "enum": list(VALIDATION_MASKS)},
                            },
                        },
                    },
                },
            },
        },
        "definitions": shared,
    }


def layout_schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(layout_schema(), indent=2, ensure_ascii=False) + "\n"
