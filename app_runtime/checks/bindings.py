"""Binding checks (BIND): every `dataModelBindings` path must name a field of the layout set's
data model, with a type the component can hold, inside the right repeating group.

The model comes from the layout set's data type (metadata `classRef`, else the model file of
that name); `{dataType, field}` bindings point into another data type's model. Which types a
binding accepts comes from the component catalogue (`Binding.types`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from app_runtime.app import App, LayoutSet
from app_runtime.checks.layouts import components_by_id
from app_runtime.checks.registry import check
from app_runtime.datavalidation import (
    BoundComponent,
    _field_path,
    app_model,
    component_bindings,
)
from app_runtime.derived_cache import DocumentMemo
from layouts.catalogue import children_of, definition_for
from layouts.catalogue.registry import all_type_names
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.model import DataModel, ModelField

UNRESOLVED = define_rule(
    "BIND001",
    "binding-not-in-model",
    Severity.ERROR,
    "A dataModelBindings path names no field of the data model.",
)
TYPE_MISMATCH = define_rule(
    "BIND002",
    "binding-type-mismatch",
    Severity.ERROR,
    "A binding points at a field whose type the component cannot hold (e.g. a repeating group "
    "on a non-array, a text field on an object).",
)
NO_MODEL = define_rule(
    "BIND003",
    "binding-without-model",
    Severity.WARNING,
    "Components have data bindings but the layout set's data type has no JSON Schema model, so "
    "the bindings cannot be checked.",
)
OUTSIDE_GROUP = define_rule(
    "BIND004",
    "binding-outside-repeating-group",
    Severity.WARNING,
    "A binding goes through a repeating field but the component is not inside a repeating "
    "group bound to it, so no row is chosen.",
)
UNKNOWN_DATA_TYPE = define_rule(
    "BIND005",
    "binding-unknown-data-type",
    Severity.ERROR,
    "A {dataType, field} binding names a data type that application metadata does not define.",
)
NUMBER_FORMAT_ON_TEXT = define_rule(
    "BIND006",
    "number-format-on-non-number",
    Severity.INFO,
    "An Input with number formatting is bound to a field that is not a number.",
)
INVALID_BINDING = define_rule(
    "BIND007",
    "binding-not-a-path",
    Severity.ERROR,
    "A dataModelBindings value is neither a path string nor a {dataType, field} object.",
)

EMPTY_PATH = define_rule(
    "BIND008",
    "binding-empty",
    Severity.ERROR,
    "A dataModelBindings path is empty, so the component stores its value nowhere.",
)
MISSING_REQUIRED = define_rule(
    "BIND009",
    "binding-missing",
    Severity.ERROR,
    "A component lacks a binding its type requires (e.g. an Input without simpleBinding).",
)

_SCALARS = frozenset({"string", "number", "integer", "boolean", "date"})


@check(
    "bindings",
    UNRESOLVED,
    TYPE_MISMATCH,
    NO_MODEL,
    OUTSIDE_GROUP,
    UNKNOWN_DATA_TYPE,
    NUMBER_FORMAT_ON_TEXT,
    INVALID_BINDING,
    EMPTY_PATH,
    MISSING_REQUIRED,
)
def check_bindings(app: App) -> Iterator[Finding]:
    """Resolve every binding of every layout set against its model."""
    known_types = {t.get("id") for t in app.data_types}
    for layout_set in app.layout_sets:
        yield from _check_set(app, layout_set, known_types)


def _check_set(app: App, layout_set: LayoutSet, known_types: set[Any]) -> Iterator[Finding]:
    by_id = components_by_id(layout_set)  # (usually built already, by the layout checks)
    unique = not by_id.repeated  # no id used twice: each component wins its own
    components: dict[str, tuple[str, str, dict[str, Any]]]
    if unique:
        components = by_id.first  # (read only) every id's one entry
    else:  # the last component with an id wins it
        components = {}
        for entry in layout_set.components():
            component_id = entry[2].get("id")
            if isinstance(component_id, str):
                components[component_id] = entry
    scopes = _repeating_scopes(components, layout_set.data_type)
    default_model = app_model(app, layout_set.data_type)
    if default_model is None:
        # Rare (no model to check against): the NO_MODEL report spans pages, so no memo.
        yield from _invalid_values(layout_set, components)
        yield from _check_bindings(
            app, layout_set, layout_set.components(), components, scopes, known_types
        )
        return
    # Page by page, memoized on the page document: after an edit only that page is redone.
    # (components() lists each page's components together, pages being unique)
    by_page = {page: list(group) for page, group in groupby(layout_set.components(), _PAGE)}
    models = tuple(
        (data_type, id(app_model(app, data_type)))
        for data_type in sorted({str(t) for t in known_types if t} | {str(layout_set.data_type)})
    )
    context = (layout_set.data_type, frozenset(known_types), models)
    screen = _CleanScreen(default_model.tree())
    results: list[tuple[list[Finding], list[Finding]]] = []
    for page, entries in by_page.items():
        document = layout_set.pages.get(page)
        # The page document fixes its own components and ids: the key holds what else the
        # findings depend on (which component wins each id, the groups around them, models).
        winners: list[dict[str, Any]] = []
        if not unique:
            for entry in entries:
                component_id = entry[2].get("id")
                if isinstance(component_id, str):
                    winners.append(components[component_id][2])
        page_scopes: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        if scopes:
            for entry in entries:
                component_id = entry[2].get("id")
                scope = scopes.get(component_id) if isinstance(component_id, str) else None
                if scope:
                    page_scopes.append((component_id, tuple(scope)))
        key = (page, context, tuple(map(id, winners)) if winners else None, tuple(page_scopes))
        found = _PAGES.get(document, key) if document is not None else None
        if found is None:
            # Only components that may have a finding take the full path; the result is the
            # same as running it on every component (see `_CleanScreen`).
            slow_own: dict[str, tuple[str, str, dict[str, Any]]] = {}
            slow: list[tuple[str, str, dict[str, Any]]] = []
            for entry in entries:
                component = entry[2]
                component_id = component.get("id")
                if not isinstance(component_id, str):
                    continue  # binding findings all name a component by its id
                winning = unique or components[component_id][2] is component
                if not screen.clean(component, winning):
                    slow.append(entry)
                    if winning:
                        slow_own[component_id] = entry
            invalid = list(_invalid_values(layout_set, slow_own))
            bound = list(
                _check_bindings(app, layout_set, slow, components, scopes, known_types, screen)
            )
            # The winners and models ride along so the ids in the key stay theirs.
            found = (invalid, bound, winners, [app_model(app, t) for t, _ in models])
            if document is not None:
                _PAGES.put(document, key, found)
        results.append((found[0], found[1]))
    for invalid, _ in results:
        yield from invalid
    for _, bound in results:
        yield from bound


class _CleanScreen:
    """Tells components that surely have no finding from those that need the full check.

    A component (with a string id) is clean when `_invalid_values` could report nothing for
    it (every required binding present, every value a path; asked only of the component that
    owns its id) and every binding is a plain path to a field of a fitting type outside any
    repeating field (`_plainly_fine` is that second part alone). Per-type facts and fits are
    remembered for the run, so a clean component costs a few dictionary lookups and no new
    objects: this is the per-component hot loop of the check, written out in one function."""

    __slots__ = ("fits", "resolve", "types")

    def __init__(self, tree: Any) -> None:
        self.resolve = tree.resolve
        self.fits: dict[tuple[Any, ...], bool] = {}
        self.types: dict[str, tuple[tuple[str, ...], bool]] = {}
        """Per type name: its required binding keys, and whether it is an Input."""

    def clean(self, component: dict[str, Any], winning: bool) -> bool:
        type_name = component.get("type")
        if type(type_name) is not str:
            return False
        known = self.types.get(type_name)
        if known is None:
            definition = definition_for(type_name)
            keys = tuple(s.key for s in definition.bindings if s.required) if definition else ()
            known = self.types[type_name] = (keys, type_name == "Input")
        required, is_input = known
        bindings = component.get("dataModelBindings")
        if type(bindings) is not dict:
            if isinstance(bindings, dict):
                return False  # some other mapping type: the full path reads it
            return not (winning and required)
        if winning and required:
            for key in required:
                if key not in bindings:
                    return False
        if is_input and "formatting" in component and _numeric_formatting(component["formatting"]):
            return False  # maybe BIND006
        # Each binding: a plain path to a fitting field outside any repeating field. `fits`
        # remembers `_type_problem`'s answers per (type, key, field kind), which is
        # everything that function reads of the field.
        fits = self.fits
        for key, path in bindings.items():
            if type(path) is not str or not path:
                return False
            if (
                "[" in path or ".." in path or path[0] in _EDGE_CHARS or path[-1] in _EDGE_CHARS
            ) and _field_path(path) != path:
                return False  # (a path passing the tests above is its own field path)
            found = self.resolve(path)
            if found is None:
                return False
            kind = found.kind
            if kind.under_repeating:
                return False
            fit = fits.get((type_name, key, kind))
            if fit is None:
                definition = definition_for(type_name)
                spec = definition.binding(key) if definition else None
                fit = _type_problem(found, spec.types if spec else ()) is None
                fits[(type_name, key, kind)] = fit
            if not fit:
                return False
        return True


_PAGE = itemgetter(0)

_PAGES = DocumentMemo()
"""Per page document: (invalid-value findings, binding findings, anchors)."""


def _check_bindings(
    app: App,
    layout_set: LayoutSet,
    entries: Iterable[tuple[str, str, dict[str, Any]]],
    components: dict[str, tuple[str, str, dict[str, Any]]],
    scopes: dict[str, list[tuple[str, str | None]]],
    known_types: set[Any],
    screen: _CleanScreen | None = None,
) -> Iterator[Finding]:
    """Findings of the given components' bindings, in order.

    Most bindings are fine, so each is first put through `_plainly_fine` (a few dict lookups,
    no objects built); only the rest take the full path that builds the finding. `screen`
    remembers `_plainly_fine`'s answers (the caller may share one across pages)."""
    missing_model_reported = False
    models: dict[str | None, DataModel | None] = {}
    default_type = layout_set.data_type
    model = _model(app, default_type, models)
    tree = model.tree() if model is not None else None
    if screen is None and tree is not None:
        screen = _CleanScreen(tree)
    for entry in entries:
        bindings = entry[2].get("dataModelBindings")
        if not isinstance(bindings, dict):
            continue
        if screen is not None and _plainly_fine(screen, entry[2]):
            continue
        for bound in component_bindings((entry,), default_type):
            component = components.get(bound.component_id, (bound.page, "", {}))[2]
            # Positions cost a scan of the page text: compute them only for a finding.
            location = _LazyLocation(layout_set, bound)
            if not bound.field_path:
                yield EMPTY_PATH.finding(
                    f"{bound.component_id}: binding {bound.binding_key!r} is empty",
                    location(),
                    "pick the data model field this component should store its value in",
                )
                continue
            if bound.data_type != default_type and bound.data_type not in known_types:
                yield UNKNOWN_DATA_TYPE.finding(
                    f"{bound.component_id}: binding {bound.binding_key!r} names data type "
                    f"{bound.data_type!r}, which applicationmetadata.json does not define",
                    location(),
                    _suggest(str(bound.data_type), [str(t) for t in known_types if t]),
                )
                continue
            model = _model(app, bound.data_type, models)
            if model is None:
                if bound.data_type == default_type and not missing_model_reported:
                    missing_model_reported = True
                    yield _no_model(layout_set, known_types, location())
                continue
            yield from _check_binding(model, bound, component, scopes, location)


def _model(
    app: App, data_type: str | None, models: dict[str | None, DataModel | None]
) -> DataModel | None:
    if data_type in models:
        return models[data_type]
    model = models[data_type] = app_model(app, data_type)
    return model


def _plainly_fine(screen: _CleanScreen, component: dict[str, Any]) -> bool:
    """True when every binding of the component is a plain path, in the layout set's own
    model, naming a field of a fitting type outside any repeating field: then the full check
    could only find nothing. Anything else (including anything unusual) answers False.
    (The screen's test without the required-binding part, which `_invalid_values` owns.)"""
    return isinstance(component.get("id"), str) and screen.clean(component, winning=False)


_EDGE_CHARS = frozenset(
    ".\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""A dot and every character `str.isspace` accepts: a path starting or ending with one is
not its own field path (`_field_path` strips it)."""


def _no_model(layout_set: LayoutSet, known_types: set[Any], location: Location) -> Finding:
    """Why a binding layout set has no model to check against, most specific reason first."""
    name = layout_set.id or "(the app's only layout folder)"
    data_type = layout_set.data_type
    if not data_type:
        return NO_MODEL.finding(
            f"layout set {name!r} has components with data bindings but no data type",
            location,
            "give the set a dataType (layout-sets.json) or defaultDataType (Settings.json)",
        )
    if data_type not in known_types:
        return NO_MODEL.finding(
            f"layout set {name!r} uses data type {data_type!r}, which "
            "applicationmetadata.json does not define",
            location,
            _suggest(data_type, [str(t) for t in known_types if t]),
        )
    return NO_MODEL.finding(
        f"layout set {name!r} binds data but its data type {data_type!r} has no .schema.json model",
        location,
        "add App/models/<model>.schema.json and point the data type's classRef at it",
    )


def _check_binding(
    model: DataModel,
    bound: BoundComponent,
    component: dict[str, Any],
    scopes: dict[str, list[tuple[str, str | None]]],
    location: Callable[[], Location],
) -> Iterator[Finding]:
    tree = model.tree()
    found = tree.resolve(bound.path)
    if found is None:
        yield _unresolved(tree, bound, scopes, location())
        return
    definition = definition_for(bound.component_type)
    spec = definition.binding(bound.binding_key) if definition else None
    accepted = spec.types if spec else ()
    problem = _type_problem(found, accepted)
    if problem:
        needs, structural = problem
        yield TYPE_MISMATCH.finding(
            f"{bound.component_id}: binding {bound.binding_key!r} → {bound.path!r} is "
            f"{found.describe()}, but {bound.component_type} {bound.binding_key} needs {needs}",
            location(),
            "bind to a field of a fitting type, or change the field's type in the model",
            severity=None if structural else Severity.WARNING,
        )
    if (
        bound.component_type == "Input"
        and found.type not in ("number", "integer", "")
        and _numeric_formatting(component.get("formatting"))
    ):
        yield NUMBER_FORMAT_ON_TEXT.finding(
            f"{bound.component_id}: number formatting on {bound.path!r}, which is "
            f"{found.describe()}",
            location(),
            "make the field a number/integer in the model, or drop the number formatting",
        )
    repeating = _repeating_ancestors(found)
    if not repeating:
        return
    allowed = {
        path
        for path, data_type in scopes.get(bound.component_id, [])
        if data_type in (None, bound.data_type)
    }
    own_arrays = _own_array_bindings(component)
    for ancestor in repeating:
        if ancestor.path in allowed or ancestor.path in own_arrays:
            continue
        yield OUTSIDE_GROUP.finding(
            f"{bound.component_id}: binding {bound.binding_key!r} → {bound.path!r} goes through "
            f"the repeating field {ancestor.path!r}, but the component is not inside a "
            "repeating group bound to it",
            location(),
            f"move the component into the repeating group bound to {ancestor.path!r}",
        )
        break


class _LazyLocation:
    """A binding's location, computed on first use: positions need a scan of the page text,
    which a clean binding never pays for."""

    __slots__ = ("_bound", "_layout_set", "_location")

    def __init__(self, layout_set: LayoutSet, bound: BoundComponent) -> None:
        self._layout_set = layout_set
        self._bound = bound
        self._location: Location | None = None

    def __call__(self) -> Location:
        if self._location is None:
            self._location = _location(self._layout_set, self._bound)
        return self._location


def _unresolved(
    tree: Any,
    bound: BoundComponent,
    scopes: dict[str, list[tuple[str, str | None]]],
    location: Location,
) -> Finding:
    deepest, rest = tree.closest(bound.path)
    hint = ""
    for group_path, _ in scopes.get(bound.component_id, []):
        candidate = f"{group_path}.{bound.field_path}"
        if tree.resolve(candidate) is not None:
            hint = f"paths are absolute even inside a repeating group: write {candidate!r}"
            break
    if not hint and rest:
        elsewhere = [f.path for f in deepest.walk() if f.name == rest[-1]][:3]
        if not elsewhere:
            elsewhere = [f.path for f in tree.walk() if f.name == rest[-1]][:3]
        if elsewhere:
            hint = "a field of that name is at " + " or ".join(repr(p) for p in elsewhere)
    if not hint:
        options = list(deepest.children)
        close = difflib.get_close_matches(rest[0], options, n=1) if rest else []
        if close:
            prefix = f"{deepest.path}." if deepest.path else ""
            hint = f"did you mean {prefix + close[0]!r}?"
        elif options:
            where = f"under {deepest.path!r}" if deepest.path else "at the root"
            hint = f"fields {where}: " + ", ".join(options[:8])
    where = f" (no {rest[0]!r} under {deepest.path!r})" if deepest.path and rest else ""
    return UNRESOLVED.finding(
        f"{bound.component_id}: binding {bound.binding_key!r} → {bound.path!r} is not a field "
        f"of model {tree.model.name!r}{where}",
        location,
        hint,
    )


def _type_problem(found: ModelField, accepted: tuple[str, ...]) -> tuple[str, bool] | None:
    """(what the binding needs, whether the mismatch is structural) when the field does not
    fit; None when it fits. Scalar mismatches are softer: app-frontend converts the text a
    component produces to the field's schema type (so a Checkboxes value "true" lands in a
    boolean), which only fails for values that do not convert."""
    field_type = found.type
    if found.repeating:
        if not accepted or "array" in accepted:
            return None
        return "a single value (" + "/".join(accepted) + "), not a repeating field", True
    if accepted and "array" in accepted and not (_SCALARS & set(accepted)):
        return "a repeating (array) field", True
    if found.content.properties:
        if not accepted or "object" in accepted:
            return None
        return "a value field, not an object with sub-fields", True
    if not accepted or field_type in ("", "object") or field_type in accepted:
        return None
    compatible = {"date": {"string"}, "string": {"date"}, "integer": {"number"}}
    if compatible.get(field_type, set()) & set(accepted):
        return None
    if set(accepted) == {"string"} and field_type in ("boolean", "number", "integer"):
        return None
    return "/".join(accepted), False


def _numeric_formatting(formatting: Any) -> bool:
    """Number/currency formatting that treats the value as a number; a `format` mask (such
    as "+47 ### ## ###" for phone numbers) is meant for text and does not count."""
    if not isinstance(formatting, dict):
        return False
    if "currency" in formatting or "unit" in formatting:
        return True
    number = formatting.get("number")
    return isinstance(number, dict) and "format" not in number


def _repeating_ancestors(found: ModelField) -> tuple[ModelField, ...]:
    """The repeating fields above `found`, nearest first (memoized on the field)."""
    return found.repeating_ancestors


def _own_array_bindings(component: dict[str, Any]) -> set[str]:
    """Field paths the component itself binds (a Likert's `questions` scopes its `answer`)."""
    bindings = component.get("dataModelBindings")
    out: set[str] = set()
    if isinstance(bindings, dict):
        for raw in bindings.values():
            path = raw.get("field") if isinstance(raw, dict) else raw
            if isinstance(path, str):
                out.add(_strip_indices(path))
    return out


def _repeating_scopes(
    components: dict[str, tuple[str, str, dict[str, Any]]], default_type: str | None
) -> dict[str, list[tuple[str, str | None]]]:
    """Component id -> the (array path, data type) of every repeating group around it."""
    scopes: dict[str, list[tuple[str, str | None]]] = {}

    def visit(component_id: str, inherited: list[tuple[str, str | None]], seen: set[str]) -> None:
        if component_id in seen or component_id not in components:
            return
        seen = seen | {component_id}
        component = components[component_id][2]
        scopes.setdefault(component_id, []).extend(inherited)
        definition = definition_for(str(component.get("type", "")))
        inner = list(inherited)
        if definition is not None and definition.repeating and definition.repeating_binding:
            bindings = component.get("dataModelBindings")
            raw = bindings.get(definition.repeating_binding) if isinstance(bindings, dict) else None
            if isinstance(raw, str):
                inner.append((_strip_indices(raw), default_type))
            elif isinstance(raw, dict) and isinstance(raw.get("field"), str):
                data_type = raw.get("dataType")
                inner.append(
                    (
                        _strip_indices(raw["field"]),
                        data_type if isinstance(data_type, str) else default_type,
                    )
                )
        for child in children_of(component):
            visit(child.id, inner, seen)

    repeating = _repeating_types()
    for component_id, (_, _, component) in components.items():
        raw = component.get("type", "")
        if (raw if type(raw) is str else str(raw)) in repeating:
            visit(component_id, [], set())
    return scopes


@cache
def _repeating_types() -> frozenset[str]:
    """Every `type` value (aliases included) whose definition repeats its children."""
    return frozenset(
        name
        for name in all_type_names()
        if (definition := definition_for(name)) is not None and definition.repeating
    )


def _strip_indices(path: str) -> str:
    from schemas.model import split_path

    return ".".join(split_path(path))


def _invalid_values(
    layout_set: LayoutSet, components: dict[str, tuple[str, str, dict[str, Any]]]
) -> Iterator[Finding]:
    """Binding values that are not paths, and required bindings that are absent."""
    required_by_type: dict[str, tuple[Any, tuple[str, ...]]] = {}
    for component_id, (page, pointer, component) in components.items():
        bindings = component.get("dataModelBindings")
        type_name = str(component.get("type", ""))
        known = required_by_type.get(type_name)
        if known is None:
            definition = definition_for(type_name)
            keys = tuple(s.key for s in definition.bindings if s.required) if definition else ()
            known = required_by_type[type_name] = (definition, keys)
        definition, required = known
        if required:
            present = bindings if isinstance(bindings, dict) else {}
            for key in required:
                if key not in present:
                    document = layout_set.pages.get(page)
                    where = f"{pointer}/dataModelBindings" if bindings is not None else pointer
                    yield MISSING_REQUIRED.finding(
                        f"{component_id}: {definition.type} needs a {key!r} binding",
                        document.location(where) if document else Location(page, where),
                        f'add "dataModelBindings": {{"{key}": "<field path>"}}',
                    )
        if not isinstance(bindings, dict):
            continue
        for key, raw in bindings.items():
            ok = isinstance(raw, str) or (
                isinstance(raw, dict) and isinstance(raw.get("field"), str)
            )
            if ok:
                continue
            document = layout_set.pages.get(page)
            where = f"{pointer}/dataModelBindings/{key}"
            location = document.location(where) if document else Location(page, where)
            yield INVALID_BINDING.finding(
                f"{component_id}: binding {key!r} must be a path string or "
                '{"dataType": ..., "field": ...}',
                location,
                'write e.g. "Person.Name"',
            )


def _location(layout_set: LayoutSet, bound: BoundComponent) -> Location:
    document = layout_set.pages.get(bound.page)
    if document is not None:
        return document.location(bound.pointer)
    return Location(layout_set.page_path(bound.page) or bound.page, bound.pointer)


def _suggest(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return "data types: " + ", ".join(sorted(options)[:8]) if options else ""
