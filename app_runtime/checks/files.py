"""File checks (FILE): each app file against the JSON Schema of its kind.

Syntax problems (invalid JSON/XML, encodings, unsafe XML, symlinks leaving the app) are found
by the loader itself (`app_runtime.app.issues`); this module adds the schema checks: unknown
keys, wrong types, missing required properties and invalid values, each at its JSON pointer.

The schemas come from `schemas.app_files.validator_for(kind)`; the page-layout schema is the
one generated from the component catalogue. A kind whose schema is not available is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from app_runtime.app import App
from app_runtime.checks.registry import check
from app_runtime.checks.suggest import Suggestions
from app_runtime.validation.runner import mark_key_findings
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.sourcemap import JsonDocument, join_pointer

UNKNOWN_KEY = define_rule(
    "FILE010",
    "unknown-property",
    Severity.WARNING,
    "A property that the file's schema does not allow (often a typo or an outdated name).",
)
WRONG_TYPE = define_rule(
    "FILE011", "wrong-type", Severity.ERROR, "A value has the wrong JSON type for its property."
)
MISSING_REQUIRED = define_rule(
    "FILE012", "missing-required-property", Severity.ERROR, "A required property is missing."
)
INVALID_VALUE = define_rule(
    "FILE013",
    "invalid-value",
    Severity.ERROR,
    "A value is not allowed by the file's schema (enum, pattern, range, shape).",
)
TOO_MANY = define_rule(
    "FILE014",
    "schema-findings-truncated",
    Severity.INFO,
    "A file has so many schema problems that only the first ones are listed.",
)

mark_key_findings(UNKNOWN_KEY.code)

MAX_PER_FILE = 50


def _validator(kind: str) -> Any | None:
    try:
        from schemas.app_files import validator_for
    except ImportError:
        return None
    try:
        return validator_for(kind)
    except (KeyError, OSError, ValueError):
        return None


def _schema(kind: str) -> dict[str, Any] | None:
    try:
        from schemas.app_files import schema_for

        return schema_for(kind)
    except (ImportError, KeyError, OSError, ValueError):
        return None


def files_by_kind(app: App) -> Iterator[tuple[str, JsonDocument]]:
    """Every parsed app file paired with the schema kind that describes it."""
    if app.metadata is not None:
        yield "applicationmetadata", app.metadata
    if app.layout_sets_document is not None:
        yield "layout-sets", app.layout_sets_document
    if app.global_settings is not None:
        yield "ui-settings", app.global_settings
    if app.footer is not None:
        yield "footer", app.footer
    for layout_set in app.layout_sets:
        if layout_set.settings is not None:
            yield "layout-settings", layout_set.settings
        for document in layout_set.pages.values():
            yield "layout", document
    for document in app.texts.values():
        yield "text-resources", document
    for document in app.options.values():
        yield "options", document
    for model in app.models:
        if model.validation_path is not None:
            document = app.json(model.validation_path)
            if document is not None:
                yield "validation", document


@check("files", UNKNOWN_KEY, WRONG_TYPE, MISSING_REQUIRED, INVALID_VALUE, TOO_MANY)
def check_file_schemas(app: App) -> Iterator[Finding]:
    """Each file against its kind's schema; problems are reported at their JSON pointer."""
    validators: dict[str, Any] = {}
    schemas: dict[str, dict[str, Any] | None] = {}
    suggest = Suggestions()
    for kind, document in files_by_kind(app):
        if kind not in validators:
            validators[kind] = _validator(kind)
        validator = validators[kind]
        if validator is None or validator.is_valid(document.data):
            continue
        if kind not in schemas:
            schemas[kind] = _schema(kind)
        skip = _layout_skips(document) if kind == "layout" else None
        findings: list[Finding] = []
        for error in validator.iter_errors(document.data):
            for finding in _map_error(error, document.name, schemas[kind], document.data, suggest):
                if skip is not None and _skipped(finding, skip):
                    continue
                findings.append(finding)
        if len(findings) > MAX_PER_FILE:
            yield from findings[:MAX_PER_FILE]
            yield TOO_MANY.finding(
                f"{len(findings) - MAX_PER_FILE} more schema problems in this file not shown",
                Location(document.name),
                "fix the ones listed first, then validate again",
            )
        else:
            yield from findings


def _layout_skips(document: JsonDocument) -> set[str]:
    """Component pointers whose type is unknown or missing: LAY rules report those, and the
    schema's errors inside them would only repeat it less clearly."""
    from layouts.catalogue import definition_for

    skips: set[str] = set()
    data = document.data
    inner = data.get("data") if isinstance(data, dict) else None
    layout = inner.get("layout") if isinstance(inner, dict) else None
    if isinstance(layout, list):
        for index, component in enumerate(layout):
            if isinstance(component, dict):
                type_name = component.get("type")
                if not isinstance(type_name, str) or definition_for(type_name) is None:
                    skips.add(f"/data/layout/{index}")
    return skips


def _skipped(finding: Finding, skips: set[str]) -> bool:
    pointer = finding.location.pointer
    if pointer.endswith("/id") and finding.code == INVALID_VALUE.code:
        return True  # LAY006 reports id pattern problems with a better hint
    # Skips are whole components, `/data/layout/<n>`: the pointer or its first three steps.
    # (A set lookup, not a scan of every skip per finding: broken pages have thousands.)
    return "/".join(pointer.split("/", 4)[:4]) in skips


def _pointer(path: list[Any]) -> str:
    return join_pointer("", *path)


def _map_error(
    error: Any, file: str, schema: dict[str, Any] | None, data: Any, suggest: Suggestions
) -> Iterator[Finding]:
    kind = type(error.kind).__name__
    pointer = _pointer(list(error.instance_path))
    where = _component_label(data, list(error.instance_path))
    if kind == "AdditionalProperties":
        allowed = _allowed_properties(schema, list(error.schema_path))
        for key in error.kind.unexpected:
            close = suggest.closest(str(key), allowed, 0.7, tuple(allowed))
            hint = f"did you mean {close!r}?" if close else "remove it or check its spelling"
            yield UNKNOWN_KEY.finding(
                f"unknown property {key!r}{where}",
                Location(file, join_pointer(pointer, key)),
                hint,
            )
        return
    if kind == "Required":
        prop = error.kind.property
        yield MISSING_REQUIRED.finding(
            f"missing required property {prop!r}{where}",
            Location(file, pointer),
            f"add {prop!r}",
        )
        return
    if kind == "Type":
        expected = " or ".join(str(t) for t in error.kind.types)
        yield WRONG_TYPE.finding(
            f"{_describe(_value_at(data, error.instance_path))} where {expected} is expected"
            + where,
            Location(file, pointer),
            f"use a value of type {expected}",
        )
        return
    if kind in ("AnyOf", "OneOfNotValid"):
        best = _best_branch(error, list(error.instance_path))
        if best is not None:
            for sub in best:
                yield from _map_error(sub, file, schema, data, suggest)
            return
    hint = "see the schema of this file kind with `studio schema`"
    if kind == "Enum":
        hint = f"use one of: {_listed(error.kind.options, 200)}"
    elif kind == "Constant":
        hint = f"use {json.dumps(error.kind.expected_value, ensure_ascii=False)}"
    yield INVALID_VALUE.finding(
        _shorten(error.message) + where,
        Location(file, pointer),
        hint,
    )


def _best_branch(error: Any, instance_path: list[Any]) -> list[Any] | None:
    """Of an anyOf/oneOf's failed branches, the one that fits best: the value's type matched
    it (no type error at the value itself) and it has the fewest errors."""
    context = getattr(error.kind, "context", None)
    if not context:
        return None
    candidates = []
    for branch in context:
        errors = list(branch)
        if not errors:
            continue
        type_miss = any(
            type(e.kind).__name__ == "Type" and list(e.instance_path) == instance_path
            for e in errors
        )
        if not type_miss:
            candidates.append(errors)
    if not candidates:
        return None
    candidates.sort(key=len)
    return candidates[0]


def _component_label(data: Any, path: list[Any]) -> str:
    """' on Input 'name'' when the path lies inside a page's component, else ''."""
    if len(path) < 3 or path[0] != "data" or path[1] != "layout" or not isinstance(data, dict):
        return ""
    component = _value_at(data, path[:3])
    if not isinstance(component, dict):
        return ""
    type_name, component_id = component.get("type"), component.get("id")
    if isinstance(type_name, str) and isinstance(component_id, str):
        return f" on {type_name} {component_id!r}"
    return ""


def _allowed_properties(schema: dict[str, Any] | None, schema_path: list[Any]) -> list[str]:
    if schema is None or not schema_path:
        return []
    node: Any = schema
    for part in schema_path[:-1]:
        if isinstance(node, dict):
            node = node.get(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return []
    if isinstance(node, dict) and isinstance(node.get("properties"), dict):
        return list(node["properties"])
    return []


def _value_at(data: Any, path: Any) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {_shorten(repr(value), 40)}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _listed(values: Iterable[Any], limit: int) -> str:
    """`_shorten` of the values as JSON joined by ", ", encoding only as many as the limit
    shows (an enum of every component type has well over a hundred)."""
    parts: list[str] = []
    length = -2  # no separator before the first
    for value in values:
        text = json.dumps(value, ensure_ascii=False)
        parts.append(text)
        length += len(text) + 2
        if length > limit:
            break  # shortened either way: the rest is cut off
    return _shorten(", ".join(parts), limit)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
