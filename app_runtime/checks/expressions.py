"""Expression checks (EXPR): every expression in an app, parsed and type-checked statically.

Where expressions sit comes from `expression_sites` (the component catalogue's slots plus
Altinn's documented places). Component and data-model references are resolved against the
layout set and its data type's JSON Schema. Almost every expression is fine, so each is first
given to the type checker's allocation-free fast path, straight from the component
(`unclear_components`); only the rest are parsed into an AST and worded as findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from app_runtime.app import App, LayoutSet
from app_runtime.app.datatypes import class_ref
from app_runtime.checks.expression_sites import (
    Entry,
    Site,
    component_expressions,
    entry_type_of,
    page_hidden,
    per_entry,
    unclear_components,
    validation_sites,
)
from app_runtime.checks.registry import check
from app_runtime.datavalidation import load_app_model
from app_runtime.derived_cache import DocumentMemo
from layouts.expressions.typecheck import (
    COMPONENT,
    DATA_PATH,
    DATA_TYPE,
    RESULT,
    SYNTAX,
    TYPE,
    UNSURE,
    TypeEnvironment,
    TypeIssue,
    clean_type,
    full_check,
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

_PAGE_FINDINGS = DocumentMemo()
"""Each page's findings, kept while the parsed page lives: after an edit in the designer only
the edited page (a new document object) is type-checked again. Stored with the page's
findings: the models they were made with, and the component ids they depend on (None when
no expression of the page names a component, so other pages' ids cannot change them)."""

_NO_COMPONENTS: frozenset[str] = frozenset()


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
    # Models are keyed by identity (they are shared and rebuilt only when their schema file
    # changes) and kept alive by the memo entries, so an identity is never reused while
    # remembered.
    type_names = sorted({t for t in (*data_types, *set_types.values()) if t})
    models = tuple(load_app_model(app, name) for name in type_names)
    for layout_set in app.layout_sets:
        # Everything a page's findings depend on besides the page itself and component ids.
        context = (
            frozenset(data_types),
            tuple(map(id, models)),
            tuple(sorted((k, str(v)) for k, v in set_types.items())),
            layout_set.data_type,
        )
        checker = _LayoutSetCheck(layout_set, set_types, data_types, resolver)
        yield from checker.findings(context, models)
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
            find_default_path=resolver.finder(data_type),
        )
        for site in validation_sites(relpath, document.data):
            yield from _findings(site, env, document)


class _LayoutSetCheck:
    """The expressions of one layout set, checked in two rounds.

    First every expression goes through the fast path with no component known: whatever
    it passes cannot depend on which components exist. Only what is left (expressions that
    name components, or have issues) waits for the set's component ids, which are collected
    only then, and goes through the fast path again and, if need be, the full one."""

    def __init__(
        self,
        layout_set: LayoutSet,
        set_types: Mapping[str, str | None],
        data_types: set[str],
        resolver: _PathResolver,
    ) -> None:
        self.layout_set = layout_set
        self.set_types = set_types
        self.data_types = data_types or None
        self.resolver = resolver
        self._ids: tuple[frozenset[str], frozenset[str]] | None = None

    def component_ids(self) -> tuple[frozenset[str], frozenset[str]]:
        """Every component id of the set, and the ids of those with a simpleBinding."""
        if self._ids is None:
            ids: set[str] = set()
            bound: set[str] = set()
            for _, _, component in self.layout_set.components():
                component_id = component.get("id")
                if isinstance(component_id, str):
                    ids.add(component_id)
                    bindings = component.get("dataModelBindings")
                    if isinstance(bindings, dict) and bindings.get("simpleBinding"):
                        bound.add(component_id)
            self._ids = (frozenset(ids), frozenset(bound))
        return self._ids

    def env(self, ids: frozenset[str], bound: frozenset[str]) -> TypeEnvironment:
        return TypeEnvironment(
            component_ids=ids,
            bound_component_ids=bound,
            data_types=self.data_types,
            data_path_exists=self.resolver.for_default(self.layout_set.data_type),
            find_default_path=self.resolver.finder(self.layout_set.data_type),
        )

    def findings(self, context: tuple[Any, ...], models: tuple[Any, ...]) -> Iterator[Finding]:
        layout_set = self.layout_set
        blind = self.env(_NO_COMPONENTS, _NO_COMPONENTS)
        remembered_pages: dict[str, list[Finding]] = {}
        for page, document in layout_set.pages.items():
            remembered = _PAGE_FINDINGS.get(document, (page, context))
            if remembered is not None and (
                remembered[2] is None or remembered[2] == self.component_ids()
            ):
                remembered_pages[page] = remembered[0]
        # The hot loop, once over the components of every page to check.
        unclear: dict[str, list[Entry]] = {}
        if len(remembered_pages) < len(layout_set.pages):
            entries = layout_set.components()
            if remembered_pages:  # some pages only (an edit in the designer)
                entries = [entry for entry in entries if entry[0] not in remembered_pages]
            for entry in unclear_components(entries, blind):
                unclear.setdefault(entry[0], []).append(entry)
        # (page, document, its remembered findings, or else the sites left to check)
        pages: list[tuple[str, JsonDocument, list[Finding] | None, list[Site]]] = []
        for page, document in layout_set.pages.items():
            if page in remembered_pages:
                pages.append((page, document, remembered_pages[page], []))
            else:
                unsure = self._unsure_sites(page, document, unclear.get(page, []), blind)
                pages.append((page, document, None, unsure))
        env = blind
        if any(unsure for _, _, _, unsure in pages):
            env = self.env(*self.component_ids())
        entry_envs: dict[str, TypeEnvironment] = {}
        for page, document, remembered_findings, unsure in pages:
            if remembered_findings is not None:
                yield from remembered_findings
                continue
            found: list[Finding] = []
            for site in unsure:
                site_env = env
                if site.data_type is not None:
                    site_env = entry_envs.get(site.data_type) or entry_envs.setdefault(
                        site.data_type, _entry_env(env, self.resolver, site.data_type)
                    )
                found.extend(_findings(site, site_env, document))
            depends = self.component_ids() if unsure else None
            _PAGE_FINDINGS.put(document, (page, context), (found, models, depends))
            yield from found

    def _unsure_sites(
        self, page: str, document: JsonDocument, unclear: list[Entry], blind: TypeEnvironment
    ) -> list[Site]:
        """The page's expressions the fast path does not pass without knowing components
        (`page_sites`, but a Site is only built for those). Of the components, only those
        `unclear_components` left (`unclear`) need looking at."""
        file = self.layout_set.page_files.get(page, page)
        unsure: list[Site] = []
        hidden = page_hidden(document)
        if hidden is not None and clean_type(hidden, "boolean", blind) is UNSURE:
            unsure.append(Site(file, "/data/hidden", hidden, "boolean"))
        entry_envs: dict[str, TypeEnvironment] = {}
        set_types = self.set_types
        for _, pointer, component in unclear:
            type_name = component.get("type", "")
            expressions = component_expressions(component)
            if not expressions:
                continue
            if (
                type_name != "Subform"
                or (entry_type := entry_type_of(component, set_types)) is None
            ):
                for relative, expected, value in expressions:
                    if clean_type(value, expected, blind) is UNSURE:
                        unsure.append(Site(file, pointer + relative, value, expected))
                continue
            for relative, expected, value in expressions:
                data_type = None
                site_env = blind
                if per_entry(pointer + relative):
                    data_type = entry_type
                    site_env = entry_envs.get(entry_type) or entry_envs.setdefault(
                        entry_type, _entry_env(blind, self.resolver, entry_type)
                    )
                if clean_type(value, expected, site_env) is UNSURE:
                    unsure.append(Site(file, pointer + relative, value, expected, data_type))
        return unsure


def _entry_env(env: TypeEnvironment, resolver: _PathResolver, data_type: str) -> TypeEnvironment:
    """A Subform entry's expressions read their own data type's paths."""
    return TypeEnvironment(
        component_ids=env.component_ids,
        bound_component_ids=env.bound_component_ids,
        data_types=env.data_types,
        data_path_exists=resolver.for_default(data_type),
        find_default_path=resolver.finder(data_type),
    )


def _findings(site: Site, env: TypeEnvironment, document: JsonDocument | None) -> Iterator[Finding]:
    if clean_type(site.value, site.expected, env) is UNSURE:
        yield from _issue_findings(site, env, document)


def _issue_findings(
    site: Site, env: TypeEnvironment, document: JsonDocument | None
) -> Iterator[Finding]:
    """The findings of an expression the fast path was not sure about."""
    for issue in full_check(site.value, site.expected, env).issues:
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


def _data_type_of_model(app: App, model_name: str) -> str | None:
    for entry in app.data_types:
        reference = class_ref(entry)
        if isinstance(reference, str) and reference.rsplit(".", 1)[-1] == model_name:
            return entry.get("id")
    return model_name


class _PathResolver:
    """Answers whether a dot path exists in a data type's JSON Schema (None if unknown).

    The model tree remembers every path it resolved, for the bindings check as well."""

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

    def finder(self, default: str | None) -> Callable[[str], object] | None:
        """The default data type's path lookup (`find_default_path`), if its tree is known."""
        tree = self.tree(default) if default is not None else None
        return None if tree is None else tree.resolve  # type: ignore[no-any-return]

    def for_default(self, default: str | None) -> Callable[[str, str | None], bool | None]:
        default_tree = self.tree(default) if default is not None else None

        def exists(path: str, data_type: str | None) -> bool | None:
            tree = self.tree(data_type) if data_type else default_tree
            if tree is None:
                return None
            try:
                return tree.resolve(path) is not None
            except Exception:
                return None

        return exists
