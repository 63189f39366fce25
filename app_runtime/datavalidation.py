"""Data models of an app, the bindings that point into them, and validation errors mapped to
the components showing each field.

The schemas package knows nothing of layouts; this module joins the two: a layout set's data
type names its model (metadata `dataTypes[].appLogic.classRef`, else the model file named like
the data type), and every component's `dataModelBindings` path is indexed so a data error at
`Group[2].Name` can be shown on the component bound to `Group.Name`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app_runtime.app.datatypes import class_ref
from app_runtime.derived_cache import shared_model
from schemas.model import DataModel, ModelLoadError, split_path
from schemas.validation import DataError, ModelValidator

if TYPE_CHECKING:
    from app_runtime.app import App, LayoutSet

_MODEL_CACHE: weakref.WeakKeyDictionary[Any, dict[str, DataModel | ModelLoadError | None]] = (
    weakref.WeakKeyDictionary()
)


def class_ref_of(app: App, data_type: str) -> str | None:
    for entry in app.data_types:
        if entry.get("id") == data_type:
            ref = class_ref(entry)
            return ref if isinstance(ref, str) and ref else None
    return None


def load_app_model(app: App, data_type: str) -> DataModel | ModelLoadError | None:
    """The model of a data type, cached per app: a DataModel, the load error, or None when
    the data type has no `.schema.json`."""
    cache = _MODEL_CACHE.setdefault(app, {})
    if data_type in cache:
        return cache[data_type]
    result: DataModel | ModelLoadError | None = None
    files = app.model_for_data_type(data_type)
    if files is not None and files.schema_path is not None:
        document = app.json(files.schema_path)
        if document is not None:
            result = shared_model(document, files.name, class_ref_of(app, data_type))
    cache[data_type] = result
    return result


def app_model(app: App, data_type: str | None) -> DataModel | None:
    """Like load_app_model, but None for anything that is not a usable model."""
    if not data_type:
        return None
    found = load_app_model(app, data_type)
    return found if isinstance(found, DataModel) else None


@dataclass(frozen=True, slots=True)
class BoundComponent:
    """One component binding: where it is and which model field path it names."""

    component_id: str
    binding_key: str
    path: str  # as written, e.g. "Group.Name" or "Group[0].Name"
    field_path: str  # without indices
    data_type: str | None  # the model it points into
    page: str
    pointer: str  # JSON pointer of the binding value in the page file
    component_type: str = ""


def binding_value(raw: Any, default_type: str | None) -> tuple[str, str | None] | None:
    """(path, data type) of a `dataModelBindings` value: a string, or {dataType, field}."""
    if isinstance(raw, str):
        return raw, default_type
    if isinstance(raw, dict) and isinstance(raw.get("field"), str):
        data_type = raw.get("dataType")
        return raw["field"], data_type if isinstance(data_type, str) else default_type
    return None


def layout_set_bindings(layout_set: LayoutSet) -> Iterator[BoundComponent]:
    """Every binding of every component in a layout set, in page order."""
    return component_bindings(layout_set.components(), layout_set.data_type)


def component_bindings(
    components: Iterable[tuple[str, str, dict[str, Any]]], default_type: str | None
) -> Iterator[BoundComponent]:
    """Every binding of the given (page, pointer, component) entries, in order."""
    for page, pointer, component in components:
        bindings = component.get("dataModelBindings")
        if not isinstance(bindings, dict):
            continue
        component_id = component.get("id")
        if not isinstance(component_id, str):
            continue
        for key, raw in bindings.items():
            value = binding_value(raw, default_type)
            if value is None:
                continue
            path, data_type = value
            suffix = "/field" if isinstance(raw, dict) else ""
            yield BoundComponent(
                component_id,
                str(key),
                path,
                _field_path(path),
                data_type,
                page,
                f"{pointer}/dataModelBindings/{_esc(str(key))}{suffix}",
                str(component.get("type", "")),
            )


@dataclass
class BindingIndex:
    """Field path -> components bound to it (and, for prefix lookups, to its ancestors)."""

    by_path: dict[str, list[BoundComponent]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, bindings: Iterable[BoundComponent], data_type: str | None = None
    ) -> BindingIndex:
        index = cls()
        for bound in bindings:
            if data_type is not None and bound.data_type not in (data_type, None):
                continue
            index.by_path.setdefault(bound.field_path, []).append(bound)
        return index

    def components_for(self, field_path: str) -> list[BoundComponent]:
        """Components bound to this exact field path."""
        return self.by_path.get(field_path, [])

    def components_for_error(self, error: DataError) -> tuple[str, ...]:
        """Ids of the components showing the field an error is about (each id once)."""
        bound = self.by_path.get(error.field_path)
        return tuple(dict.fromkeys(b.component_id for b in bound)) if bound else ()


@dataclass(frozen=True, slots=True)
class MappedError:
    """A data error together with the ids of the components that show the field."""

    error: DataError
    component_ids: tuple[str, ...]


def map_errors(errors: Iterable[DataError], index: BindingIndex) -> list[MappedError]:
    """Attach component ids to each error (an empty tuple: no component shows that field)."""
    return [MappedError(error, index.components_for_error(error)) for error in errors]


class LayoutSetValidator:
    """Validates one layout set's form data and says which components each error belongs to."""

    def __init__(
        self, model: DataModel, bindings: Iterable[BoundComponent], data_type: str | None = None
    ) -> None:
        self.model = model
        compiled = model._cache.get("validator")
        if not isinstance(compiled, ModelValidator):
            # Compiling a large schema takes milliseconds: share it with later validators
            # (and the MODEL010 lint, which stores the one it compiles the same way).
            compiled = model._cache["validator"] = ModelValidator(model)
        self.validator = compiled
        self.index = BindingIndex.build(bindings, data_type)

    def validate(self, instance: Any) -> list[MappedError]:
        errors = self.validator.errors(instance)
        return map_errors(errors, self.index) if errors else []


def validator_for_layout_set(app: App, layout_set: LayoutSet) -> LayoutSetValidator | None:
    model = app_model(app, layout_set.data_type)
    if model is None:
        return None
    return LayoutSetValidator(model, layout_set_bindings(layout_set), layout_set.data_type)


def app_validator(app: App, data_type: str) -> LayoutSetValidator | None:
    """A validator for one data type whose errors name every component, in any layout set,
    bound to the field (including `{dataType, field}` bindings from other sets)."""
    model = app_model(app, data_type)
    if model is None:
        return None
    bindings = [
        b for s in app.layout_sets for b in layout_set_bindings(s) if b.data_type == data_type
    ]
    return LayoutSetValidator(model, bindings, data_type)


def _field_path(path: str) -> str:
    """`a.b[0].c` -> `a.b.c`; most paths have no indices or stray dots and pass unchanged."""
    if path and "[" not in path and ".." not in path:
        first, last = path[0], path[-1]
        if "." not in (first, last) and not first.isspace() and not last.isspace():
            return path
    return ".".join(split_path(path))


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
