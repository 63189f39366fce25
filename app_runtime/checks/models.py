"""Model checks (MODEL): every `App/models/*.schema.json`, checked by `schemas.model.lint`.

The app side only finds the files and the root element (a data type's `classRef` decides it
for models without `info.rootNode`); the rules themselves live in the schemas package so
`studio model check` runs exactly the same ones on a lone file.
"""

from __future__ import annotations

from collections.abc import Iterator

from app_runtime.app import App
from app_runtime.checks.registry import check
from app_runtime.datavalidation import class_ref_of
from app_runtime.derived_cache import shared_model
from schemas.diagnostics import Finding
from schemas.model import ModelLoadError
from schemas.model.lint import (
    BOTH_PROPERTIES_AND_COMPOSITION,
    BROKEN_REF,
    DUPLICATE_NAME,
    EXTERNAL_REF,
    FIXED_VALUE_TYPE,
    INVALID_NAME,
    INVALID_SCHEMA,
    REF_CYCLE,
    RESERVED_WORD,
    UNKNOWN_DRAFT,
    UNREADABLE,
    check_model,
)


@check(
    "models",
    UNREADABLE,
    INVALID_NAME,
    DUPLICATE_NAME,
    RESERVED_WORD,
    BROKEN_REF,
    REF_CYCLE,
    BOTH_PROPERTIES_AND_COMPOSITION,
    FIXED_VALUE_TYPE,
    UNKNOWN_DRAFT,
    INVALID_SCHEMA,
    EXTERNAL_REF,
)
def check_models(app: App) -> Iterator[Finding]:
    """Check each model's JSON Schema (unparseable files are reported by the loader)."""
    for files in app.models:
        if files.schema_path is None:
            continue
        document = app.json(files.schema_path)
        if document is None:
            continue  # the loader already reported why the file cannot be read
        class_ref = _class_ref_for_model(app, files.name)
        model = shared_model(document, files.name, class_ref)  # shared with bindings/EXPR
        if isinstance(model, ModelLoadError):
            location = model.location or document.location("")
            yield UNREADABLE.finding(model.message, location, model.hint)
            continue
        yield from check_model(model)


def _class_ref_for_model(app: App, model_name: str) -> str | None:
    for entry in app.data_types:
        data_type = entry.get("id")
        if not isinstance(data_type, str):
            continue
        files = app.model_for_data_type(data_type)
        if files is not None and files.name == model_name:
            return class_ref_of(app, data_type)
    return None
