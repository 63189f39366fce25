"""Expression checks (EXPR): every expression in an app, parsed and type-checked statically.

Which properties hold expressions, and of which type, comes from the component catalogue
(`Prop.expr`); page `data.hidden`, `textResourceBindings.*`, RepeatingGroup `edit.*` and
`App/models/*.validation.json` conditions and messages are covered too. Component and
data-model references are resolved against the layout set and its data type's JSON Schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app_runtime.app import App, LayoutSet
from app_runtime.checks.registry import check
from app_runtime.datavalidation import load_app_model
from app_runtime.derived_cache import DocumentMemo
from layouts.catalogue import expression_slots
from layouts.expressions.typecheck import (
    COMPONENT,
    DATA_PATH,
    DATA_TYPE,
    RESULT,
    SYNTAX,
    TYPE,
    TypeEnvironment,
    TypeIssue,
    check_expression,
)
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.model import DataModel
from schemas.sourcemap import JsonDocument

INVALID = define_rule(
    "EXPR001",
    "expression-invalid",
    Severity.ERROR,
    "An expression is malformed: not a call, unknown function, or wrong number of arguments.",
)
WRONG_TYPE = define_rule(
    "EXPR002",
    "expression-argument-type",
    Severity.ERROR,
    "An argument can never be coerced to the type the function needs.",
)
RESULT_TYPE = define_rule(
    "EXPR003",
    "expression-result-type",
    Severity.WARNING,
    "An expression's result does not fit the property (e.g. free text for a boolean).",
)
UNKNOWN_COMPONENT = define_rule(
    "EXPR004",
    "expression-unknown-component",
    Severity.ERROR,
    "An expression refers to a component id that does not exist in the layout set.",
)
UNKNOWN_PATH = define_rule(
    "EXPR005",
    "expression-unknown-data-path",
    Severity.WARNING,
    "An expression reads a data-model path that the data model does not have.",
)
UNKNOWN_DATA_TYPE = define_rule(
    "EXPR006",
    "expression-unknown-data-type",
    Severity.ERROR,
    "An expression reads a data type the app does not define.",
)

RULES = {
    SYNTAX: INVALID,
    TYPE: WRONG_TYPE,
    RESULT: RESULT_TYPE,
    COMPONENT: UNKNOWN_COMPONENT,
    DATA_PATH: UNKNOWN_PATH,
    DATA_TYPE: UNKNOWN_DATA_TYPE,
}

HINTS = {
    SYNTAX: 'an expression is ["functionName", arg1, ...]; see the function list in the docs',
    TYPE: "use a value of the right type, or wrap it in a function that converts it",
    RESULT: "make the expression return the property's type (e.g. wrap it in equals)",
    COMPONENT: "use the id of a component in this layout set",
    DATA_PATH: "use a path from the data model (dots between names, e.g. Person.Name)",
    DATA_TYPE: "use a dataType id from applicationmetadata.json",
}

# Expression-valued properties Altinn documents beyond the catalogue's top-level props.
COMMON_BOOLEAN = ("hidden", "required", "readOnly")
NESTED = {
    ("edit", "addButton"): "boolean",
    ("edit", "saveButton"): "boolean",
    ("edit", "deleteButton"): "boolean",
    ("edit", "editButton"): "boolean",
    ("edit", "alertOnDelete"): "boolean",
    ("edit", "saveAndNextButton"): "boolean",
    ("source", "label"): "string",
    ("source", "description"): "string",
    ("source", "helpText"): "string",
    ("pageBreak", "breakBefore"): "string",
    ("pageBreak", "breakAfter"): "string",
}


@dataclass(frozen=True, slots=True)
class Site:
    """Where an expression sits and what its property expects."""

    file: str
    pointer: str
    value: Any
    expected: str
    data_type: str | None = None  # read from another data type (a Subform's entries)


_PAGE_FINDINGS = DocumentMemo()
"""Each page's findings, kept while the parsed page lives: after an edit in the designer only
the edited page (a new document object) is type-checked again."""


@check(
    "expressions",
    INVALID,
    WRONG_TYPE,
    RESULT_TYPE,
    UNKNOWN_COMPONENT,
    UNKNOWN_PATH,
    UNKNOWN_DATA_TYPE,
)
def check_expressions(app: App) -> Iterator[Finding]:
    """Type-check every expression in layouts and validation files."""
    data_types = {entry["id"] for entry in app.data_types if isinstance(entry.get("id"), str)}
    resolver = _PathResolver(app)
    set_types = {entry.id: entry.data_type for entry in app.layout_sets}
    for layout_set in app.layout_sets:
        components = layout_set.components()
        ids = {c["id"] for _, _, c in components if isinstance(c.get("id"), str)}
        bound = {
            c["id"]
            for _, _, c in components
            if isinstance(c.get("id"), str)
            and isinstance(c.get("dataModelBindings"), dict)
            and c["dataModelBindings"].get("simpleBinding")
        }
        env = TypeEnvironment(
            component_ids=ids,
            bound_component_ids=bound,
            data_types=data_types or None,
            data_path_exists=resolver.for_default(layout_set.data_type),
        )
        # Everything a page's findings depend on besides the page itself. Models are keyed
        # by identity (they are shared and rebuilt only when their schema file changes) and
        # kept alive by the memo entry, so an identity is never reused while remembered.
        type_names = sorted({t for t in (*data_types, *set_types.values()) if t})
        models = tuple(load_app_model(app, name) for name in type_names)
        context = (
            frozenset(ids),
            frozenset(bound),
            frozenset(data_types),
            tuple(map(id, models)),
            tuple(sorted((k, str(v)) for k, v in set_types.items())),
            layout_set.data_type,
        )
        by_page: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        for entry in components:
            by_page.setdefault(entry[0], []).append(entry)

        for page, document in layout_set.pages.items():
            key = (page, context)
            remembered = _PAGE_FINDINGS.get(document, key)
            if remembered is None:
                sites = page_sites(layout_set, page, document, by_page.get(page, []), set_types)
                found = [
                    finding
                    for site in sites
                    for finding in _findings(site, _site_env(site, env, resolver), document)
                ]
                remembered = (found, models)
                _PAGE_FINDINGS.put(document, key, remembered)
            yield from remembered[0]
    for files in app.models:
        if files.validation_path is None:
            continue
        relpath = app.relpath(files.validation_path)
        document = app.json(relpath)
        if document is None:
            continue
        data_type = _data_type_of_model(app, files.name)
        env = TypeEnvironment(
            data_types=data_types or None,
            data_path_exists=resolver.for_default(data_type),
        )
        for site in validation_sites(relpath, document.data):
            yield from _findings(site, env, document)


def _site_env(site: Site, env: TypeEnvironment, resolver: _PathResolver) -> TypeEnvironment:
    """A site evaluated against another data type (Subform entries) gets its own paths."""
    if site.data_type is None:
        return env
    return TypeEnvironment(
        component_ids=env.component_ids,
        bound_component_ids=env.bound_component_ids,
        data_types=env.data_types,
        data_path_exists=resolver.for_default(site.data_type),
    )


def _findings(site: Site, env: TypeEnvironment, document: JsonDocument | None) -> Iterator[Finding]:
    result = check_expression(site.value, site.expected, env)
    for issue in result.issues:
        yield _finding(site, issue, document)


def _finding(site: Site, issue: TypeIssue, document: JsonDocument | None) -> Finding:
    rule = RULES[issue.kind]
    pointer = site.pointer + issue.pointer
    location = Location(site.file, pointer)
    if document is not None:
        line, column = document.position(pointer)
        location = location.with_position(line, column)
    severity = None
    if issue.kind == RESULT:
        severity = Severity.ERROR if issue.error else Severity.WARNING
    return rule.finding(issue.message, location, HINTS[issue.kind], severity)


def layout_sites(
    layout_set: LayoutSet, set_types: Mapping[str, str | None] | None = None
) -> Iterator[Site]:
    """Every expression-valued property of every page and component in a layout set."""
    by_page: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for entry in layout_set.components():
        by_page.setdefault(entry[0], []).append(entry)
    for page, document in layout_set.pages.items():
        yield from page_sites(layout_set, page, document, by_page.get(page, []), set_types)


def page_sites(
    layout_set: LayoutSet,
    page: str,
    document: JsonDocument,
    components: list[tuple[str, str, dict[str, Any]]],
    set_types: Mapping[str, str | None] | None = None,
) -> Iterator[Site]:
    """The expressions of one page: its `data.hidden`, then each component's.

    A Subform's own texts and entry name are evaluated per entry, against the data type of
    the layout set it shows (`set_types` maps layout-set ids to data types)."""
    file = layout_set.page_files.get(page, page)
    data = document.data.get("data") if isinstance(document.data, dict) else None
    if isinstance(data, dict) and isinstance(data.get("hidden"), list):
        yield Site(file, "/data/hidden", data["hidden"], "boolean")
    for _, pointer, component in components:
        entry_type = None
        if component.get("type") == "Subform" and set_types:
            entry_type = set_types.get(str(component.get("layoutSet")))
        for site in component_sites(file, pointer, component):
            per_entry = "/textResourceBindings/" in site.pointer or site.pointer.endswith(
                "/entryDisplayName"
            )
            if entry_type is not None and per_entry:
                site = Site(site.file, site.pointer, site.value, site.expected, entry_type)
            yield site


def component_sites(file: str, pointer: str, component: Mapping[str, Any]) -> Iterator[Site]:
    """Expressions in one component: the catalogue's expression slots (every place its
    definition allows an expression, nested ones included), plus the documented places for
    types or keys the catalogue does not know."""
    seen: set[str] = set()
    for relative, expected in expression_slots(component):
        value = _at(component, relative)
        seen.add(relative)
        if isinstance(value, list):
            yield Site(file, pointer + relative, value, expected.value)
    fallbacks: list[tuple[str, Any, str]] = [
        (f"/{name}", component.get(name), "boolean") for name in (*COMMON_BOOLEAN, "hiddenRow")
    ]
    bindings = component.get("textResourceBindings")
    if isinstance(bindings, Mapping):
        fallbacks += [
            (f"/textResourceBindings/{_escape(key)}", value, "string")
            for key, value in bindings.items()
        ]
    for (outer, inner), expected in NESTED.items():
        holder = component.get(outer)
        if isinstance(holder, Mapping):
            fallbacks.append((f"/{outer}/{inner}", holder.get(inner), expected))
    for relative, value, expected in fallbacks:
        if relative not in seen and isinstance(value, list):
            yield Site(file, pointer + relative, value, expected)


def _at(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (None when absent)."""
    node = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def validation_sites(file: str, data: Any) -> Iterator[Site]:
    """Conditions (boolean) and messages (string) in a `*.validation.json` file."""
    if not isinstance(data, Mapping):
        return
    definitions = data.get("definitions")
    if isinstance(definitions, Mapping):
        for name, definition in definitions.items():
            yield from _validation_entry(file, f"/definitions/{_escape(name)}", definition)
    validations = data.get("validations")
    if isinstance(validations, Mapping):
        for field, entries in validations.items():
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                yield from _validation_entry(file, f"/validations/{_escape(field)}/{index}", entry)


def _validation_entry(file: str, pointer: str, entry: Any) -> Iterator[Site]:
    if not isinstance(entry, Mapping):
        return
    if isinstance(entry.get("condition"), list):
        yield Site(file, f"{pointer}/condition", entry["condition"], "boolean")
    if isinstance(entry.get("message"), list):
        yield Site(file, f"{pointer}/message", entry["message"], "string")


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _data_type_of_model(app: App, model_name: str) -> str | None:
    for entry in app.data_types:
        logic = entry.get("appLogic")
        class_ref = logic.get("classRef") if isinstance(logic, dict) else None
        if isinstance(class_ref, str) and class_ref.rsplit(".", 1)[-1] == model_name:
            return entry.get("id")
    return model_name


class _PathResolver:
    """Answers whether a dot path exists in a data type's JSON Schema (None if unknown)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._trees: dict[str, Any] = {}

    def tree(self, data_type: str) -> Any:
        if data_type in self._trees:
            return self._trees[data_type]
        tree = None
        model = load_app_model(self.app, data_type)
        if isinstance(model, DataModel):
            try:
                tree = model.tree()
            except Exception:  # a model the tree cannot read is reported by the model checks
                tree = None
        self._trees[data_type] = tree
        return tree

    def for_default(self, default: str | None):
        def exists(path: str, data_type: str | None) -> bool | None:
            chosen = data_type or default
            if chosen is None:
                return None
            tree = self.tree(chosen)
            if tree is None:
                return None
            try:
                return tree.resolve(path) is not None
            except Exception:
                return None

        return exists
