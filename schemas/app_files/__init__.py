"""JSON Schemas of the app's own files (not its data models).

`schema_for(kind)` returns a fresh draft-07 schema; `validator_for(kind)` a cached compiled
jsonschema-rs validator. The page-layout schema is generated from the component catalogue by
`studio schema layout` (layouts/catalogue/schema_gen.py) and read here only as data, because
`schemas` must not import `layouts`.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from schemas.app_files import metadata, texts, ui
from schemas.app_files.layout_validator import PageLayoutValidator

LAYOUT_SCHEMA_PATH = Path(__file__).with_name("layout.schema.json")
"""The generated page-layout schema; regenerate with `studio schema layout -o <this path>`."""

_HAND_WRITTEN: dict[str, dict[str, Any]] = {
    "applicationmetadata": metadata.SCHEMA,
    "layout-sets": ui.LAYOUT_SETS,
    "layout-settings": ui.LAYOUT_SETTINGS,
    "ui-settings": ui.UI_SETTINGS,
    "footer": ui.FOOTER,
    "text-resources": texts.TEXT_RESOURCES,
    "options": texts.OPTIONS,
    "validation": texts.VALIDATION,
}

KINDS: tuple[str, ...] = (*_HAND_WRITTEN, "layout")

FILES: dict[str, str] = {
    "applicationmetadata": "App/config/applicationmetadata.json",
    "layout-sets": "App/ui/layout-sets.json",
    "layout-settings": "App/ui/<folder>/Settings.json (or App/ui/Settings.json without sets)",
    "ui-settings": "App/ui/Settings.json (v9, beside task folders)",
    "footer": "App/ui/footer.json",
    "text-resources": "App/config/texts/resource.<lang>.json",
    "options": "App/options/<optionsId>.json",
    "validation": "App/models/<model>.validation.json",
    "layout": "App/ui/<folder>/layouts/<page>.json",
}
"""Which file each kind describes (for `studio schema list` and messages)."""


class UnknownSchemaKind(KeyError):
    """Asked for a kind this package does not have."""

    def __str__(self) -> str:
        return f"unknown schema kind {self.args[0]!r}; known kinds: {', '.join(KINDS)}"


@cache
def _layout_schema() -> dict[str, Any]:
    with LAYOUT_SCHEMA_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _source(kind: str) -> dict[str, Any]:
    if kind == "layout":
        return _layout_schema()
    try:
        return _HAND_WRITTEN[kind]
    except KeyError:
        raise UnknownSchemaKind(kind) from None


def schema_for(kind: str) -> dict[str, Any]:
    """A deep copy of the schema of one file kind (callers may modify it)."""
    return copy.deepcopy(_source(kind))


@cache
def validator_for(kind: str) -> Any:
    """A compiled jsonschema-rs validator for one kind, built once per process (for page
    layouts, one that checks each component against its own type's branch only)."""
    if kind == "layout":
        return PageLayoutValidator(_layout_schema())
    return jsonschema_rs.Draft7Validator(_source(kind))


__all__ = [
    "FILES",
    "KINDS",
    "LAYOUT_SCHEMA_PATH",
    "UnknownSchemaKind",
    "schema_for",
    "validator_for",
]
