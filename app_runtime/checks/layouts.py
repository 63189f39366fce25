"""Layout checks (LAY): component types and ids, container children, page order.

Everything about component types comes from the catalogue (`layouts.catalogue`); this module
keeps no list of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import NamedTuple

from app_runtime.app import App, LayoutSet
from app_runtime.checks.registry import check
from app_runtime.checks.suggest import Suggestions
from layouts.catalogue import canonical_type, children_of, definition_for
from layouts.catalogue.registry import all_type_names, resolve
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.sourcemap import join_pointer

UNKNOWN_TYPE = define_rule(
    "LAY001", "unknown-component-type", Severity.ERROR, "A component's type is not known."
)
TYPE_CASE = define_rule(
    "LAY002",
    "component-type-case",
    Severity.WARNING,
    "A component's type matches a known type only when ignoring case.",
)
MISSING_TYPE = define_rule(
    "LAY003", "missing-component-type", Severity.ERROR, "A component has no `type`."
)
MISSING_ID = define_rule(
    "LAY004", "missing-component-id", Severity.ERROR, "A component has no string `id`."
)
DUPLICATE_ID = define_rule(
    "LAY005",
    "duplicate-component-id",
    Severity.ERROR,
    "Two components in one layout set share an id (ids must be unique across its pages).",
)
ID_PATTERN = define_rule(
    "LAY006",
    "component-id-pattern",
    Severity.WARNING,
    "A component id does not match Altinn's id pattern (letters, digits, dashes; no "
    "trailing dash-number).",
)
CHILD_MISSING = define_rule(
    "LAY007",
    "child-missing",
    Severity.ERROR,
    "A container names a child id that no component in the layout set has.",
)
CHILD_TWICE = define_rule(
    "LAY008",
    "child-claimed-twice",
    Severity.ERROR,
    "A component is named as a child by more than one container (or twice by one).",
)
CHILD_CYCLE = define_rule(
    "LAY009", "child-cycle", Severity.ERROR, "Containers contain each other in a cycle."
)
CHILD_OTHER_PAGE = define_rule(
    "LAY010",
    "child-on-other-page",
    Severity.ERROR,
    "A container names a child that is on a different page; children must share its page.",
)
ORDER_MISSING_PAGE = define_rule(
    "LAY011",
    "order-names-missing-page",
    Severity.ERROR,
    "Settings.json page order names a page that has no layout file.",
)
PAGE_NOT_IN_ORDER = define_rule(
    "LAY012",
    "page-not-in-order",
    Severity.WARNING,
    "A page file is not listed in Settings.json's page order (nor as pdfLayoutName), so it is "
    "not shown as a form page.",
)
ORDER_DUPLICATE = define_rule(
    "LAY013", "order-duplicate-page", Severity.WARNING, "A page is listed twice in the order."
)
ORDER_AND_GROUPS = define_rule(
    "LAY014",
    "order-and-groups",
    Severity.ERROR,
    "Settings.json sets both pages.order and pages.groups; Altinn refuses that.",
)
NO_LAYOUT = define_rule(
    "LAY015",
    "layout-not-a-list",
    Severity.ERROR,
    "A page file has no `data.layout` list of components.",
)
PREFIX_NOT_ALLOWED = define_rule(
    "LAY017",
    "multipage-prefix-not-allowed",
    Severity.ERROR,
    "A container that is not a RepeatingGroup names a child with a `N:` multipage prefix.",
)
MISSING_SET_FOLDER = define_rule(
    "LAY016",
    "layout-set-without-pages",
    Severity.WARNING,
    "A layout set has no page files.",
)

PDF_PAGE_MISSING = define_rule(
    "LAY018",
    "pdf-settings-missing-page",
    Severity.WARNING,
    "Settings.json's pdfLayoutName or pages.excludeFromPdf names a page that does not exist.",
)
PDF_COMPONENT_MISSING = define_rule(
    "LAY019",
    "pdf-settings-missing-component",
    Severity.WARNING,
    "Settings.json's components.excludeFromPdf names a component that does not exist.",
)

UNDECLARED_FOLDER = define_rule(
    "LAY020",
    "undeclared-layout-folder",
    Severity.WARNING,
    "A folder of pages under App/ui is not a layout set in layout-sets.json, so it is unused.",
)

RULE_FIELD_MISSING = define_rule(
    "LAY021",
    "rule-configuration-missing-component",
    Severity.WARNING,
    "Legacy RuleConfiguration.json shows or hides a component id that does not exist.",
)

ID_RE = re.compile(r"^[0-9a-zA-Z][0-9a-zA-Z-]*(-?[a-zA-Z]+|[a-zA-Z][0-9]+|-[0-9]{6,})$")

LAYOUT_RULES = (
    UNKNOWN_TYPE,
    TYPE_CASE,
    MISSING_TYPE,
    MISSING_ID,
    DUPLICATE_ID,
    ID_PATTERN,
    CHILD_MISSING,
    CHILD_TWICE,
    CHILD_CYCLE,
    CHILD_OTHER_PAGE,
    ORDER_MISSING_PAGE,
    PAGE_NOT_IN_ORDER,
    ORDER_DUPLICATE,
    ORDER_AND_GROUPS,
    NO_LAYOUT,
    MISSING_SET_FOLDER,
    PREFIX_NOT_ALLOWED,
    PDF_PAGE_MISSING,
    PDF_COMPONENT_MISSING,
    UNDECLARED_FOLDER,
    RULE_FIELD_MISSING,
)

_PREFIXED = re.compile(r"^(\d+):(.+)$")


class Placed(NamedTuple):
    """A component with where it sits."""

    page: str
    file: str
    pointer: str
    component: dict


Entry = tuple[str, str, dict]
"""(page, pointer, component), as `LayoutSet.components()` lists them."""


class ComponentIds:
    """The components of a layout set by id, read like a `dict[str, list[Placed]]` (ids in
    order of first use; a list longer than one means a duplicate id).

    Built in one pass that makes no object per component: it keeps each id's first entry,
    and all entries only of ids used more than once; `Placed` values are made when asked."""

    __slots__ = ("first", "page_files", "repeated")

    def __init__(self, layout_set: LayoutSet) -> None:
        self.page_files = layout_set.page_files
        self.first: dict[str, Entry] = {}
        self.repeated: dict[str, list[Entry]] = {}
        keep = self.first.setdefault
        for entry in layout_set.components():
            component_id = entry[2].get("id")
            if isinstance(component_id, str):
                kept = keep(component_id, entry)
                if kept is not entry:
                    self.repeated.setdefault(component_id, [kept]).append(entry)

    def __contains__(self, component_id: object) -> bool:
        return component_id in self.first

    def __iter__(self) -> Iterator[str]:
        return iter(self.first)

    def __getitem__(self, component_id: str) -> list[Placed]:
        found = self.get(component_id)
        if found is None:
            raise KeyError(component_id)
        return found

    def get(self, component_id: str) -> list[Placed] | None:
        entries = self.repeated.get(component_id)
        if entries is None:
            entry = self.first.get(component_id)
            if entry is None:
                return None
            entries = [entry]
        files = self.page_files
        return [Placed(page, files.get(page, ""), pointer, c) for page, pointer, c in entries]

    def duplicates(self) -> Iterator[tuple[str, list[Placed]]]:
        """(id, placements) of every id used more than once, in order of first use."""
        if not self.repeated:
            return
        for component_id in self.first:
            if component_id in self.repeated:
                yield component_id, self[component_id]


def components_by_id(layout_set: LayoutSet) -> ComponentIds:
    """Every component of the set grouped by id; cached on the layout set."""
    cached = layout_set.cache.get("components_by_id")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out = ComponentIds(layout_set)
    layout_set.cache["components_by_id"] = out
    return out


@check("layouts", UNKNOWN_TYPE, TYPE_CASE, MISSING_TYPE, MISSING_ID, ID_PATTERN, NO_LAYOUT)
def check_components(app: App) -> Iterator[Finding]:
    """Each component has a known type and a well-formed id."""
    suggest = Suggestions()
    for layout_set in app.layout_sets:
        for page, document in layout_set.pages.items():
            file = layout_set.page_files[page]
            data = document.data
            inner = data.get("data") if isinstance(data, dict) else None
            if not isinstance(inner, dict) or not isinstance(inner.get("layout"), list):
                yield NO_LAYOUT.finding(
                    "page has no data.layout list",
                    Location(file, "/data" if isinstance(inner, dict) else ""),
                    'a page file looks like {"data": {"layout": [ ...components ]}}',
                )
        known: dict[str, bool] = {}
        for page, pointer, component in layout_set.components():
            component_id = component.get("id")
            type_name = component.get("type")
            if isinstance(component_id, str) and component_id and isinstance(type_name, str):
                # The usual component: a known type and a well-formed id give no finding.
                is_known = known.get(type_name)
                if is_known is None:
                    is_known = known[type_name] = definition_for(type_name) is not None
                if is_known and ID_RE.match(component_id):
                    continue
            file = layout_set.page_files[page]
            yield from _component_findings(file, pointer, component, suggest)


def _component_findings(
    file: str, pointer: str, component: dict, suggest: Suggestions
) -> Iterator[Finding]:
    component_id = component.get("id")
    label = f"component {component_id!r}" if isinstance(component_id, str) else "component"
    if not isinstance(component_id, str) or not component_id:
        yield MISSING_ID.finding(
            "component has no id", Location(file, pointer), "give it a unique string id"
        )
    elif not ID_RE.match(component_id):
        yield ID_PATTERN.finding(
            f"component id {component_id!r} does not match Altinn's id pattern",
            Location(file, f"{pointer}/id"),
            "use ASCII letters, digits and dashes, starting with a letter or digit, and do not "
            "end with a dash followed by a number (that suffix is reserved for repeating rows)",
        )
    type_name = component.get("type")
    if type_name is None:
        yield MISSING_TYPE.finding(
            f"{label} has no type", Location(file, pointer), 'add "type", e.g. "Input"'
        )
        return
    if not isinstance(type_name, str):
        yield MISSING_TYPE.finding(
            f"{label} has a type that is not a string",
            Location(file, f"{pointer}/type"),
            'use a type name such as "Input"',
        )
        return
    if definition_for(type_name) is not None:
        return
    canonical = canonical_type(type_name)
    if canonical is not None:
        yield TYPE_CASE.finding(
            f"{label} has type {type_name!r}; the type is spelled {canonical!r}",
            Location(file, f"{pointer}/type"),
            f'write "type": "{canonical}"',
        )
        return
    close = suggest.closest(type_name, all_type_names(), 0.6, "component types")
    hint = f"did you mean {close!r}?" if close else "see `studio schema layout` for the types"
    yield UNKNOWN_TYPE.finding(
        f"{label} has unknown type {type_name!r}", Location(file, f"{pointer}/type"), hint
    )


@check("layouts", DUPLICATE_ID)
def check_duplicate_ids(app: App) -> Iterator[Finding]:
    """Ids are unique across every page of a layout set."""
    for layout_set in app.layout_sets:
        for component_id, placed in components_by_id(layout_set).duplicates():
            first = placed[0]
            for other in placed[1:]:
                where = "on the same page" if other.page == first.page else f"page {first.page!r}"
                yield DUPLICATE_ID.finding(
                    f"component id {component_id!r} is also used {where}"
                    + (f" ({first.file})" if other.page != first.page else ""),
                    Location(other.file, f"{other.pointer}/id"),
                    "rename one of them; ids must be unique within the layout set",
                )


@check("layouts", CHILD_MISSING, CHILD_TWICE, CHILD_CYCLE, CHILD_OTHER_PAGE, PREFIX_NOT_ALLOWED)
def check_children(app: App) -> Iterator[Finding]:
    """Container children exist on the same page, have one parent, and form no cycle."""
    suggest = Suggestions()
    for layout_set in app.layout_sets:
        by_id = components_by_id(layout_set)
        graph: dict[str, list[str]] = {}
        claimed: dict[str, tuple[str, str]] = {}
        containers: dict[str, bool] = {}
        for page, pointer, component in layout_set.components():
            parent_id = component.get("id")
            if not isinstance(parent_id, str):
                continue
            type_name = component.get("type", "")
            if type(type_name) is not str:
                type_name = str(type_name)  # as children_of reads it
            container = containers.get(type_name)
            if container is None:
                definition = resolve(type_name)
                container = definition is not None and bool(definition.child_paths)
                containers[type_name] = container
            if not container:
                continue  # children_of names no children for this type
            file = layout_set.page_files[page]
            for ref in children_of(component):
                location = Location(file, pointer + ref.pointer)
                child_id = ref.id
                targets = by_id.get(child_id)
                prefixed = _PREFIXED.match(child_id)
                if not targets and prefixed and prefixed.group(2) in by_id:
                    yield PREFIX_NOT_ALLOWED.finding(
                        f"container {parent_id!r} ({component.get('type')}) names child "
                        f"{child_id!r} with a multipage prefix, which only RepeatingGroup "
                        "supports",
                        location,
                        'use "type": "RepeatingGroup" with edit.multiPage, or drop the prefix',
                    )
                    child_id = prefixed.group(2)
                    targets = by_id[child_id]
                if not targets:
                    yield CHILD_MISSING.finding(
                        f"container {parent_id!r} names child {child_id!r}, which does not exist",
                        location,
                        _child_hint(child_id, by_id, suggest),
                    )
                    continue
                graph.setdefault(parent_id, []).append(child_id)
                if not any(t.page == page for t in targets):
                    yield CHILD_OTHER_PAGE.finding(
                        f"container {parent_id!r} names child {child_id!r}, which is on page "
                        f"{targets[0].page!r}",
                        location,
                        "move the child to the container's page",
                    )
                previous = claimed.get(child_id)
                if previous is not None:
                    by = (
                        "again by the same container"
                        if previous[0] == parent_id
                        else f"also by {previous[0]!r}"
                    )
                    yield CHILD_TWICE.finding(
                        f"component {child_id!r} is claimed as a child {by}",
                        location,
                        "a component can belong to one container only; remove one reference",
                    )
                else:
                    claimed[child_id] = (parent_id, file)
        yield from _cycles(layout_set, graph, by_id)


def _child_hint(child_id: str, by_id: ComponentIds, suggest: Suggestions) -> str:
    close = suggest.closest(child_id, by_id, 0.75, ("component ids", id(by_id)))
    if close:
        return f"did you mean {close!r}?"
    return "add a component with this id to the page, or remove it from children"


def _cycles(
    layout_set: LayoutSet, graph: dict[str, list[str]], by_id: ComponentIds
) -> Iterator[Finding]:
    """Report each cycle once, at the container that closes it."""
    state: dict[str, int] = {}  # 1 = on stack, 2 = done
    reported: set[frozenset[str]] = set()
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                cycle = path[path.index(child) :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    placed = by_id[node][0]
                    yield CHILD_CYCLE.finding(
                        "containers contain each other: " + " -> ".join([*cycle, child]),
                        Location(placed.file, placed.pointer),
                        f"remove {child!r} from the children of {node!r}",
                    )
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph.get(child, ()))))


@check(
    "layouts",
    ORDER_MISSING_PAGE,
    PAGE_NOT_IN_ORDER,
    ORDER_DUPLICATE,
    ORDER_AND_GROUPS,
    MISSING_SET_FOLDER,
)
def check_page_order(app: App) -> Iterator[Finding]:
    """Settings.json's order and the page files on disk agree."""
    for layout_set in app.layout_sets:
        settings_file = layout_set.settings_path or ""
        data = layout_set.settings.data if layout_set.settings else None
        pages = data.get("pages") if isinstance(data, dict) else None
        if isinstance(pages, dict) and "order" in pages and "groups" in pages:
            yield ORDER_AND_GROUPS.finding(
                "pages.order and pages.groups are both set",
                Location(settings_file, "/pages/groups"),
                "keep one: either a flat order or groups each with their own order",
            )
        if not layout_set.page_files:
            if layout_set.declared_in or layout_set.settings is not None:
                yield MISSING_SET_FOLDER.finding(
                    f"layout set {layout_set.id or '(default)'!r} has no page files",
                    Location(
                        layout_set.declared_in or settings_file,
                        layout_set.declared_pointer if layout_set.declared_in else "",
                    ),
                    f"add pages under {app.relpath(layout_set.folder)}/layouts/",
                )
            continue
        if not layout_set.order:
            continue
        seen: set[str] = set()
        for name in layout_set.order:
            pointer = layout_set.order_pointers.get(name, "/pages")
            if name in seen:
                yield ORDER_DUPLICATE.finding(
                    f"page {name!r} is listed more than once",
                    Location(settings_file, pointer),
                    "list each page once",
                )
                continue
            seen.add(name)
            if name not in layout_set.page_files:
                close = difflib.get_close_matches(name, list(layout_set.page_files), n=1)
                yield ORDER_MISSING_PAGE.finding(
                    f"page order names {name!r}, but there is no layouts/{name}.json",
                    Location(settings_file, pointer),
                    f"did you mean {close[0]!r}?" if close else "create the page or remove it",
                )
        pdf_page = pages.get("pdfLayoutName") if isinstance(pages, dict) else None
        for page, file in layout_set.page_files.items():
            if page not in seen and page != pdf_page:
                yield PAGE_NOT_IN_ORDER.finding(
                    f"page {page!r} is not in the page order of {settings_file}, so it is not "
                    "shown as a form page",
                    Location(file),
                    "add it to pages.order (or set it as pages.pdfLayoutName) in Settings.json, "
                    "or delete the file if nothing uses it",
                )


@check("layouts", PDF_PAGE_MISSING, PDF_COMPONENT_MISSING)
def check_pdf_settings(app: App) -> Iterator[Finding]:
    """PDF settings in Settings.json name pages and components that exist."""
    suggest = Suggestions()
    for layout_set in app.layout_sets:
        data = layout_set.settings.data if layout_set.settings else None
        if not isinstance(data, dict) or not layout_set.settings_path:
            continue
        file = layout_set.settings_path
        pages = data.get("pages") if isinstance(data.get("pages"), dict) else {}
        pdf_name = pages.get("pdfLayoutName")
        if isinstance(pdf_name, str) and pdf_name not in layout_set.page_files:
            yield PDF_PAGE_MISSING.finding(
                f"pdfLayoutName names page {pdf_name!r}, which has no layout file",
                Location(file, "/pages/pdfLayoutName"),
                f"create layouts/{pdf_name}.json or fix the name",
            )
        excluded = pages.get("excludeFromPdf")
        if isinstance(excluded, list):
            for index, name in enumerate(excluded):
                if isinstance(name, str) and name not in layout_set.page_files:
                    yield PDF_PAGE_MISSING.finding(
                        f"excludeFromPdf names page {name!r}, which has no layout file",
                        Location(file, f"/pages/excludeFromPdf/{index}"),
                        "remove it or fix the page name",
                    )
        components = data.get("components")
        excluded = components.get("excludeFromPdf") if isinstance(components, dict) else None
        if isinstance(excluded, list) and layout_set.page_files:
            by_id = components_by_id(layout_set)
            for index, name in enumerate(excluded):
                if isinstance(name, str) and name not in by_id:
                    yield PDF_COMPONENT_MISSING.finding(
                        f"components.excludeFromPdf names {name!r}, which no component has",
                        Location(file, f"/components/excludeFromPdf/{index}"),
                        _child_hint(name, by_id, suggest),
                    )


@check("layouts", UNDECLARED_FOLDER)
def check_undeclared_folders(app: App) -> Iterator[Finding]:
    """With layout-sets.json, every folder of pages must be one of its sets."""
    if app.convention != "layout-sets" or app.layout_sets_document is None:
        return
    declared = {s.id for s in app.layout_sets}
    for folder in app._listdir(app.ui_dir):
        if folder.name in declared or not folder.is_dir():
            continue
        if (folder / "layouts").is_dir() and app.is_inside(folder / "layouts"):
            yield UNDECLARED_FOLDER.finding(
                f"App/ui/{folder.name}/ has pages but layout-sets.json has no set {folder.name!r}",
                Location(app.relpath(folder)),
                f'add {{"id": "{folder.name}", "dataType": ..., "tasks": [...]}} to '
                "layout-sets.json, or delete the folder",
            )


@check("layouts", RULE_FIELD_MISSING)
def check_rule_configuration(app: App) -> Iterator[Finding]:
    """conditionalRendering in legacy RuleConfiguration.json names existing components."""
    suggest = Suggestions()
    for layout_set in app.layout_sets:
        path = layout_set.rule_configuration_path
        document = app.json(path) if path else None
        data = document.data if document is not None else None
        inner = data.get("data") if isinstance(data, dict) else None
        rendering = inner.get("conditionalRendering") if isinstance(inner, dict) else None
        if not isinstance(rendering, dict) or path is None:
            continue
        by_id = components_by_id(layout_set)
        for rule_id, rule in rendering.items():
            fields = rule.get("selectedFields") if isinstance(rule, dict) else None
            if not isinstance(fields, dict):
                continue
            for field_key, component_id in fields.items():
                if not isinstance(component_id, str) or "{" in component_id:
                    continue
                if component_id not in by_id:
                    pointer = join_pointer(
                        "/data/conditionalRendering", rule_id, "selectedFields", field_key
                    )
                    yield RULE_FIELD_MISSING.finding(
                        f"rule {rule_id!r} shows/hides {component_id!r}, which no component "
                        "in the layout set has",
                        Location(path, pointer),
                        _child_hint(component_id, by_id, suggest),
                    )
