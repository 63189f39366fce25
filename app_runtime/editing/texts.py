"""Text-resource operations: keys × languages, with renames that follow every reference."""

from __future__ import annotations

import re
from typing import Any

from app_runtime.editing.session import EditError, Transaction
from schemas.diagnostics import Location

TEXTS_FOLDER = "App/config/texts"
TEXTS_SCHEMA_URL = (
    "https://altinncdn.no/toolkits/altinn-app-frontend/4/schemas/json/text-resources/"
    "text-resources.schema.v1.json"
)
TEXT_KEY = re.compile(r"^[^\s]+$")
OPTION_TEXT_FIELDS = ("label", "description", "helpText")


def text_file(language: str) -> str:
    return f"{TEXTS_FOLDER}/resource.{language}.json"


def _resources(tx: Transaction, language: str, *, create: bool) -> list[dict[str, Any]] | None:
    path = text_file(language)
    if not tx.exists(path):
        if not create:
            return None
        tx.write(path, {"$schema": TEXTS_SCHEMA_URL, "language": language, "resources": []})
    data = tx.data(path)
    resources: list[dict[str, Any]] = data.setdefault("resources", [])
    return resources


def translation_table(tx: Transaction, languages: list[str]) -> dict[str, dict[str, str | None]]:
    """Every key with its value per language (None where the translation is missing)."""
    table: dict[str, dict[str, str | None]] = {}
    for language in languages:
        path = text_file(language)
        data = tx.peek(path) if tx.exists(path) else None
        resources = data.get("resources") if isinstance(data, dict) else None
        for entry in resources if isinstance(resources, list) else []:
            key = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(key, str):
                table.setdefault(key, dict.fromkeys(languages))[language] = entry.get("value")
    for values in table.values():
        for language in languages:
            values.setdefault(language, None)
    return dict(sorted(table.items()))


def set_text(tx: Transaction, language: str, key: str, value: str) -> None:
    """Create or change one translation of a key."""
    if not TEXT_KEY.match(key):
        raise EditError(
            f"{key!r} is not a usable text key (no spaces)", Location(text_file(language))
        )
    resources = _resources(tx, language, create=True)
    assert resources is not None
    for entry in resources:
        if entry.get("id") == key:
            entry["value"] = value
            return
    resources.append({"id": key, "value": value})


def delete_text(tx: Transaction, languages: list[str], key: str) -> None:
    for language in languages:
        resources = _resources(tx, language, create=False)
        if resources is not None:
            resources[:] = [e for e in resources if e.get("id") != key]


def rename_text_key(
    tx: Transaction, languages: list[str], old: str, new: str, referencing_files: list[str]
) -> int:
    """Rename a key in every language and in every reference; returns references changed.

    `referencing_files` are the JSON files that may point at text keys: layout pages, footer,
    option lists and validation configs.
    """
    if not TEXT_KEY.match(new):
        raise EditError(f"{new!r} is not a usable text key", Location(text_file(languages[0])))
    for language in languages:
        for entry in _resources(tx, language, create=False) or []:
            if entry.get("id") == new:
                raise EditError(f"text key {new} already exists", Location(text_file(language)))
    for language in languages:
        for entry in _resources(tx, language, create=False) or []:
            if entry.get("id") == old:
                entry["id"] = new
    changed = 0
    for path in referencing_files:
        if tx.exists(path):
            changed += _rename_references(tx.data(path), old, new)
    return changed


def _rename_references(node: Any, old: str, new: str) -> int:
    count = 0
    if isinstance(node, dict):
        bindings = node.get("textResourceBindings")
        if isinstance(bindings, dict):
            for name, value in bindings.items():
                if value == old:
                    bindings[name] = new
                    count += 1
        for field in OPTION_TEXT_FIELDS:
            if node.get(field) == old and "value" in node:
                node[field] = new
                count += 1
        if node.get("title") == old and "type" in node and "target" in node:
            node["title"] = new  # footer entries
            count += 1
        for value in node.values():
            count += _rename_references(value, old, new)
    elif isinstance(node, list):
        if len(node) == 2 and node[0] == "text" and node[1] == old:
            node[1] = new
            count += 1
        for value in node:
            count += _rename_references(value, old, new)
    return count
