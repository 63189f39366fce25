"""The component tree of a layout set, and the per-data component contexts built from it.

`LayoutTree` is static: pages in order, components by id, parent/child links resolved through
the component catalogue (so every container type, multipage `N:` prefixes and RepeatingGroup
rowsBefore/rowsAfter are handled in one place). `ComponentContext`s are built for one data
snapshot: repeating groups get one set of child contexts per row of their bound array, each
with its row indices (outermost first). The context is also what expressions evaluate in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from layouts.catalogue import children_of, repeating_binding_of
from layouts.catalogue.model import ComponentDefinition
from layouts.catalogue.registry import resolve
from layouts.expressions.errors import LayoutTreeError
from schemas.diagnostics import Location

if TYPE_CHECKING:
    from layouts.expressions.state import EvalState


@dataclass(eq=False, slots=True)
class ChildSlot:
    """A child of a container; `place` is "row" (repeats per row), "before"/"after" (a
    RepeatingGroup's rowsBefore/rowsAfter) or "plain"."""

    component: ComponentInfo
    place: str


@dataclass(eq=False, slots=True)
class ComponentInfo:
    """One component of a layout, with where it sits and how it nests."""

    id: str
    type: str
    page: str
    json: Mapping[str, Any]
    pointer: str
    definition: ComponentDefinition | None
    parent: ComponentInfo | None = None
    children: list[ChildSlot] = field(default_factory=list)
    repeating: bool = False
    group_binding: tuple[str | None, str] | None = None
    compiled: dict[str, Any] = field(default_factory=dict)
    simple_binding: tuple[str | None, str] | None = None

    def binding(self, key: str) -> tuple[str | None, str] | None:
        """A dataModelBindings entry as (data type or None, field)."""
        bindings = self.json.get("dataModelBindings")
        if not isinstance(bindings, Mapping):
            return None
        return parse_binding(bindings.get(key))


def parse_binding(raw: Any) -> tuple[str | None, str] | None:
    if isinstance(raw, str):
        return None, raw
    if isinstance(raw, Mapping) and isinstance(raw.get("field"), str):
        data_type = raw.get("dataType")
        return (data_type if isinstance(data_type, str) else None), raw["field"]
    return None


@dataclass(eq=False, slots=True)
class PageInfo:
    name: str
    json: Mapping[str, Any]
    top: list[ComponentInfo] = field(default_factory=list)
    compiled: dict[str, Any] = field(default_factory=dict)

    @property
    def hidden(self) -> Any:
        data = self.json.get("data") if isinstance(self.json, Mapping) else None
        return data.get("hidden") if isinstance(data, Mapping) else None


class LayoutTree:
    """The static structure of a layout set: pages (in order) and components by id."""

    def __init__(
        self,
        layouts: Mapping[str, Any],
        file_names: Mapping[str, str] | None = None,
        *,
        strict: bool = True,
    ):
        """`strict` raises LayoutTreeError on duplicate ids and missing, shared or cyclic
        children, as Altinn's backend does; lenient mode (for running real apps, whose layout
        problems the LAY checks report) skips the offending component or child reference and
        records the problem in `problems`."""
        self.pages: dict[str, PageInfo] = {}
        self.components: dict[str, ComponentInfo] = {}
        self.problems: list[LayoutTreeError] = []
        self._strict = strict
        self._files = dict(file_names or {})
        for page_name, layout in layouts.items():
            self._add_page(page_name, layout)

    def _problem(self, error: LayoutTreeError) -> None:
        if self._strict:
            raise error
        self.problems.append(error)

    def _location(self, page: str, pointer: str) -> Location:
        return Location(self._files.get(page, f"{page}.json"), pointer)

    def _add_page(self, page_name: str, layout: Any) -> None:
        page = PageInfo(page_name, layout if isinstance(layout, Mapping) else {})
        self.pages[page_name] = page
        data = page.json.get("data")
        items = data.get("layout") if isinstance(data, Mapping) else None
        if not isinstance(items, list):
            return
        local: dict[str, ComponentInfo] = {}
        order: list[ComponentInfo] = []
        for index, raw in enumerate(items):
            if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
                continue
            component_id = raw["id"]
            type_name = str(raw.get("type", ""))
            definition = resolve(type_name)  # case-insensitive, as Altinn matches types
            info = ComponentInfo(
                component_id,
                type_name,
                page_name,
                raw,
                f"/data/layout/{index}",
                definition,
            )
            if component_id in self.components:
                self._problem(
                    LayoutTreeError(
                        f"Duplicate component id {component_id} (also on page "
                        f"{self.components[component_id].page})",
                        self._location(page_name, info.pointer),
                    )
                )
                continue
            info.simple_binding = info.binding("simpleBinding")
            repeating_key = repeating_binding_of(raw)
            info.repeating = repeating_key is not None
            if repeating_key is not None:
                info.group_binding = info.binding(repeating_key)
            self.components[component_id] = info
            local[component_id] = info
            order.append(info)
        for info in order:
            self._link_children(info, local)
        page.top = [info for info in order if info.parent is None]

    def _link_children(self, info: ComponentInfo, local: Mapping[str, ComponentInfo]) -> None:
        if info.definition is None:
            return
        raw = info.json
        if info.definition.type != info.type:
            raw = {**raw, "type": info.definition.type}
        for ref in children_of(raw):
            child = local.get(ref.id)
            location = self._location(info.page, info.pointer + ref.pointer)
            if child is None:
                self._problem(
                    LayoutTreeError(
                        f"Component {info.id} refers to child {ref.id}, which does not exist on "
                        f"page {info.page}",
                        location,
                    )
                )
                continue
            if child.parent is not None and child.parent is not info:
                self._problem(
                    LayoutTreeError(
                        f"Component {child.id} is a child of both {child.parent.id} and {info.id}",
                        location,
                    )
                )
                continue
            if child.parent is info:
                continue
            if child is info or _is_ancestor(child, info):
                self._problem(
                    LayoutTreeError(
                        f"Component {info.id} contains itself through child {child.id}", location
                    )
                )
                continue
            child.parent = info
            place = "plain"
            if info.repeating:
                if ref.pointer.startswith("/rowsBefore"):
                    place = "before"
                elif ref.pointer.startswith("/rowsAfter"):
                    place = "after"
                else:
                    place = "row"
            info.children.append(ChildSlot(child, place))

    def ids(self) -> set[str]:
        return set(self.components)


def _is_ancestor(candidate: ComponentInfo, node: ComponentInfo) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is candidate:
            return True
        parent = parent.parent
    return False


class ComponentContext:
    """One place an expression can be evaluated: a page, a component (in a given repeating
    group row) or a repeating-group row itself (for `hiddenRow`)."""

    __slots__ = (
        "_hidden",
        "children",
        "component",
        "is_row",
        "location",
        "location_type",
        "page",
        "parent",
        "row_indices",
        "state",
    )

    def __init__(
        self,
        state: EvalState,
        component: ComponentInfo | None,
        page: PageInfo,
        row_indices: tuple[int, ...],
        parent: ComponentContext | None,
        is_row: bool = False,
    ) -> None:
        self.state = state
        self.component = component
        self.page = page
        self.row_indices = row_indices
        self.parent = parent
        self.children: list[ComponentContext] = []
        self.is_row = is_row
        self._hidden: bool | None = None
        # The data-model path of the innermost repeating-group row around this context, with
        # row indices ("people[2].pets[0]"), and its data type; None outside repeating groups.
        # Bindings and dataModel paths are transposed against it, as Altinn does.
        self.location: str | None = parent.location if parent is not None else None
        self.location_type: str | None = parent.location_type if parent is not None else None

    @property
    def ctx(self) -> ComponentContext:
        return self

    @property
    def id(self) -> str:
        return self.component.id if self.component is not None else self.page.name

    def is_hidden(self) -> bool:
        """Hidden if the page, any ancestor, this component or (for rows) hiddenRow says so."""
        hidden = self._hidden
        if hidden is not None:
            return hidden
        self._hidden = False  # provisional, breaks cycles (a hidden expression reading itself)
        try:
            result = self._compute_hidden()
        except BaseException:
            self._hidden = None
            raise
        self._hidden = result
        return result

    def _compute_hidden(self) -> bool:
        if self.parent is not None and self.parent.is_hidden():
            return True
        if self.component is None:
            return self.state.eval_property(self.page.compiled, "hidden", self.page.hidden, self)
        raw = self.component.json
        if self.is_row:
            return self.state.eval_property(
                self.component.compiled, "hiddenRow", raw.get("hiddenRow"), self
            )
        return self.state.eval_property(self.component.compiled, "hidden", raw.get("hidden"), self)

    def visible_children(self) -> Iterator[ComponentContext]:
        """Children as listed in Altinn's context lists (rows flattened away)."""
        for child in self.children:
            if child.is_row:
                yield from child.children
            else:
                yield child

    def walk(self) -> Iterator[ComponentContext]:
        """This context and all below it, depth first in document order."""
        stack = [self]
        pop, extend = stack.pop, stack.extend
        while stack:
            context = pop()
            yield context
            if context.children:
                extend(reversed(context.children))

    def describe(self) -> dict[str, Any]:
        """The context as Altinn's expected-context JSON."""
        result: dict[str, Any] = {"component": self.id, "currentLayout": self.page.name}
        if self.row_indices:
            result["rowIndices"] = list(self.row_indices)
        children = [child.describe() for child in self.visible_children()]
        if children:
            result["children"] = children
        return result

    def __repr__(self) -> str:
        return f"<Context {self.id} rows={list(self.row_indices)} page={self.page.name}>"


def build_contexts(state: EvalState, tree: LayoutTree) -> list[ComponentContext]:
    """Page contexts (with all descendants) for the state's current data."""
    pages: list[ComponentContext] = []
    for page in tree.pages.values():
        page_context = ComponentContext(state, None, page, (), None)
        for info in page.top:
            page_context.children.append(_build(state, info, page, (), page_context))
        pages.append(page_context)
    return pages


def _build(
    state: EvalState,
    info: ComponentInfo,
    page: PageInfo,
    rows: tuple[int, ...],
    parent: ComponentContext,
) -> ComponentContext:
    context = ComponentContext(state, info, page, rows, parent)
    if not info.repeating:
        for slot in info.children:
            context.children.append(_build(state, slot.component, page, rows, context))
        return context
    for slot in info.children:
        if slot.place == "before":
            context.children.append(_build(state, slot.component, page, rows, context))
    count = state.row_count(info.group_binding, context)
    group_path = state.group_path(info.group_binding, context)
    for row in range(count):
        row_rows = (*rows, row)
        row_context = ComponentContext(state, info, page, row_rows, context, is_row=True)
        if group_path is not None:
            row_context.location = f"{group_path[1]}[{row}]"
            row_context.location_type = group_path[0]
        for slot in info.children:
            if slot.place in ("row", "plain"):
                row_context.children.append(
                    _build(state, slot.component, page, row_rows, row_context)
                )
        context.children.append(row_context)
    for slot in info.children:
        if slot.place == "after":
            context.children.append(_build(state, slot.component, page, rows, context))
    return context
