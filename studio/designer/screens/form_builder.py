"""The form builder: layout sets and pages, the component tree (detailed or compact) and the
catalogue-generated property editor, with live validation underneath."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Label, ListItem, ListView, Select, Tree

from app_runtime.app import LayoutSet
from app_runtime.editing import form
from app_runtime.editing.texts import set_text, translation_table
from app_runtime.editing.workspace import AppWorkspace
from layouts.catalogue import Category, all_definitions, children_of, definition_for
from schemas.diagnostics import Finding, Location
from studio.designer.actions import FORM_ACTIONS, bindings
from studio.designer.expressions import check_expression
from studio.designer.screens.base import WorkspaceScreen
from studio.designer.screens.modals import ConfirmScreen, PickScreen, PromptScreen
from studio.designer.widgets.property_editor import EditorContext, PropertyEditor
from studio.designer.widgets.validation_panel import ValidationPanel

PALETTE_ORDER = [
    Category.FORM,
    Category.TEXT,
    Category.BUTTON,
    Category.ATTACHMENT,
    Category.CONTAINER,
    Category.ADVANCED,
]


class FormBuilderScreen(WorkspaceScreen):
    """Pages on the left, components in the middle, properties on the right."""

    BINDINGS = [*WorkspaceScreen.BINDINGS, *bindings(FORM_ACTIONS)]
    AUTO_FOCUS = "#tree"

    def __init__(self, workspace: AppWorkspace, focus: Location | None = None) -> None:
        super().__init__(workspace)
        self.compact = False
        self.set_index = 0
        self.page_id: str | None = None
        self.selected_id: str | None = None
        self._compact_ids: list[str] = []
        if focus is not None:
            self._apply_focus(focus)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="builder"):
            with Vertical(id="pages-col"):
                options = [
                    (s.id or "(layouts)", str(i))
                    for i, s in enumerate(self.workspace.layout_sets())
                ]
                yield Select(
                    options or [("(no layout sets)", "-1")],
                    id="layout-set",
                    value=options[0][1] if options else "-1",
                    allow_blank=False,
                )
                yield ListView(id="pages")
            with Vertical(id="components-col"):
                yield Tree("page", id="tree")
                yield DataTable(id="compact", cursor_type="row", zebra_stripes=True)
            yield PropertyEditor(id="props")
        yield ValidationPanel(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#compact", DataTable).add_columns("type", "id", "binding", "flags")
        self.query_one("#compact").display = False
        self.query_one("#tree", Tree).show_root = False
        super().on_mount()

    # -- state helpers ---------------------------------------------------------------
    @property
    def layout_set(self) -> LayoutSet | None:
        sets = self.workspace.layout_sets()
        return sets[self.set_index] if 0 <= self.set_index < len(sets) else None

    @property
    def pages(self) -> form.PageSet | None:
        layout_set = self.layout_set
        return self.workspace.page_set(layout_set) if layout_set else None

    def page_order(self) -> list[str]:
        pages = self.pages
        if pages is None:
            return []
        order = self.read(lambda tx: form.page_order(tx, pages), [])
        layout_set = self.layout_set
        extra = [p for p in (layout_set.page_files if layout_set else {}) if p not in order]
        return [p for p in order if self.workspace.session.exists(pages.page(p))] + extra

    def page_components(self) -> list[dict[str, Any]]:
        pages = self.pages
        if (
            pages is None
            or self.page_id is None
            or not self.workspace.session.exists(pages.page(self.page_id))
        ):
            return []
        page = pages.page(self.page_id)
        data = self.read(lambda tx: tx.data(page), None)
        inner = data.get("data") if isinstance(data, dict) else None
        layout = inner.get("layout") if isinstance(inner, dict) else None
        return [c for c in layout if isinstance(c, dict)] if isinstance(layout, list) else []

    # -- drawing ----------------------------------------------------------------------
    def refresh_view(self) -> None:
        order = self.page_order()
        if self.page_id not in order:
            self.page_id = order[0] if order else None
        page_list = self.query_one("#pages", ListView)
        page_list.clear()
        for page in order:
            page_list.append(ListItem(Label(page), name=page))
        if self.page_id in order:
            page_list.index = order.index(self.page_id)
        self._draw_components()
        self._draw_properties()

    def _draw_components(self) -> None:
        components = self.page_components()
        by_id = {str(c.get("id")): c for c in components}
        child_ids = {ref.id for c in components for ref in children_of(c)}
        tree = self.query_one("#tree", Tree)
        tree.clear()
        tree.root.label = self.page_id or "(no page)"

        def add(node: Any, component: dict[str, Any], seen: set[str]) -> None:
            cid = str(component.get("id"))
            label = f"{component.get('type')} [dim]{cid}[/dim]"
            children = [ref.id for ref in children_of(component) if ref.id in by_id]
            branch = (
                node.add(label, data=cid, expand=True)
                if children
                else node.add_leaf(label, data=cid)
            )
            for child in children:
                if child not in seen:
                    add(branch, by_id[child], seen | {child})

        for component in components:
            if str(component.get("id")) not in child_ids:
                add(tree.root, component, {str(component.get("id"))})
        table = self.query_one("#compact", DataTable)
        table.clear()
        self._compact_ids = [str(c.get("id")) for c in components]
        for position, component in enumerate(components):
            bindings_ = component.get("dataModelBindings") or {}
            binding = next(iter(bindings_.values()), "") if isinstance(bindings_, dict) else ""
            flags = "".join(
                mark
                for key, mark in (("required", "R"), ("readOnly", "W"), ("hidden", "H"))
                if component.get(key) not in (None, False)
            )
            table.add_row(
                str(component.get("type")),
                str(component.get("id")),
                binding if isinstance(binding, str) else json.dumps(binding),
                flags,
                key=str(position),
            )
        self._select_in_views()

    def _select_in_views(self) -> None:
        if self.selected_id is None:
            return
        tree = self.query_one("#tree", Tree)

        def find(node: Any) -> Any:
            if node.data == self.selected_id:
                return node
            for child in node.children:
                hit = find(child)
                if hit is not None:
                    return hit
            return None

        node = find(tree.root)
        if node is not None:
            tree.move_cursor(node)
        table = self.query_one("#compact", DataTable)
        if self.selected_id in self._compact_ids:
            table.move_cursor(row=self._compact_ids.index(self.selected_id))

    def _draw_properties(self) -> None:
        component = next(
            (c for c in self.page_components() if c.get("id") == self.selected_id), None
        )
        definition = definition_for(str(component.get("type"))) if component else None
        self.query_one(PropertyEditor).show(component, definition, self._editor_context())

    def _editor_context(self) -> EditorContext:
        languages = self.workspace.languages() or ["nb", "nn", "en"]
        texts = self.read(lambda tx: translation_table(tx, languages), {})
        return EditorContext(self._model_fields(), texts, languages, self.check_expression)

    def _model_fields(self) -> list[tuple[str, str]]:
        layout_set = self.layout_set
        if layout_set is None or not layout_set.data_type:
            return []
        model = self.workspace.app.model_for_data_type(layout_set.data_type)
        if model is None or model.schema_path is None:
            return []
        try:
            from schemas.model import ModelTree, load_model

            tree = ModelTree(load_model(model.schema_path))
            return [(f.path, f.type) for f in tree.fields()]
        except Exception:  # a broken model is reported by validation; offer no suggestions
            return []

    def check_expression(self, value: Any, expected: str) -> str:
        return check_expression(self.workspace, self.layout_set, value, expected)

    def show_findings(self, findings: list[Finding]) -> None:
        self.query_one(ValidationPanel).show(findings)

    # -- selection events ---------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "layout-set" and event.value is not Select.BLANK:
            self.set_index = int(str(event.value))
            self.page_id = None
            self.selected_id = None
            self.refresh_view()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        item = event.item
        if (
            event.list_view.id == "pages"
            and item is not None
            and item.name not in (None, self.page_id)
        ):
            self.page_id = event.item.name
            self.selected_id = None
            self._draw_components()
            self._draw_properties()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data and event.node.data != self.selected_id:
            self.selected_id = str(event.node.data)
            self._draw_properties()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.row_key.value
        if event.data_table.id != "compact" or row is None:
            return
        if int(row) >= len(self._compact_ids):
            return  # a highlight from before the table was rebuilt
        component_id = self._compact_ids[int(row)]
        if component_id != self.selected_id:
            self.selected_id = component_id
            self._draw_properties()

    def on_validation_panel_jump(self, event: ValidationPanel.Jump) -> None:
        if "/layouts/" in event.finding.location.file:
            self._apply_focus(event.finding.location)
            self.refresh_view()
            return
        from studio.designer.navigation import screen_for

        screen = screen_for(self.workspace, event.finding.location)
        if screen is not None:
            self.app.push_screen(screen)

    def _apply_focus(self, location: Location) -> None:
        for index, layout_set in enumerate(self.workspace.layout_sets()):
            for page, path in layout_set.page_files.items():
                if path == location.file:
                    self.set_index, self.page_id = index, page
                    parts = location.pointer.split("/")
                    if len(parts) > 3 and parts[1:3] == ["data", "layout"]:
                        layout = self.page_components()
                        position = int(parts[3]) if parts[3].isdigit() else -1
                        if 0 <= position < len(layout):
                            self.selected_id = str(layout[position].get("id"))
                    return

    # -- property edits -------------------------------------------------------------------
    def on_property_editor_changed(self, event: PropertyEditor.Changed) -> None:
        pages = self.pages
        if pages is None:
            return
        if event.path == ["id"]:
            new_id = event.value
            if not new_id or new_id == event.component_id:
                return
            if self.apply(
                f"rename {event.component_id} to {new_id}",
                lambda tx: form.rename_component(tx, pages, event.component_id, str(new_id)),
            ):
                self.selected_id = str(new_id)
                self.refresh_view()
            return
        self.apply(
            f"set {'.'.join(event.path)} on {event.component_id}",
            lambda tx: form.set_property(tx, pages, event.component_id, event.path, event.value),
        )

    def on_property_editor_text_changed(self, event: PropertyEditor.TextChanged) -> None:
        self.apply(
            f"text {event.key} ({event.language})",
            lambda tx: set_text(tx, event.language, event.key, event.value),
        )

    # -- actions ------------------------------------------------------------------------------
    def action_toggle_compact(self) -> None:
        self.compact = not self.compact
        self.query_one("#tree").display = not self.compact
        self.query_one("#compact").display = self.compact

    def action_add_component(self) -> None:
        pages, page = self.pages, self.page_id
        if pages is None or page is None:
            self.notify("Add a page first (n)", severity="warning")
            return
        choices: list[tuple[str, str | None]] = []
        for category in PALETTE_ORDER:
            members = [
                d
                for d in all_definitions()
                if d.category == category and not d.deprecated and not d.internal
            ]
            if members:
                choices.append((f"— {category.value} —", None))
                choices.extend((f"  {d.title or d.type} ({d.type})", d.type) for d in members)
        selected = self.selected_id
        parent = None
        if selected:
            component = next((c for c in self.page_components() if c.get("id") == selected), None)
            if component and isinstance(component.get("children"), list):
                parent = selected

        def add(component_type: str | None) -> None:
            if not component_type:
                return
            new_ids: list[str] = []
            self.apply(
                f"add {component_type}",
                lambda tx: new_ids.append(
                    form.add_component(tx, pages, page, component_type, parent_id=parent)
                ),
            )
            if new_ids:
                self.selected_id = new_ids[0]
                self.refresh_view()

        self.app.push_screen(PickScreen("Add component", choices), add)

    def _with_selected(self, description: str, edit: Any) -> None:
        pages, selected = self.pages, self.selected_id
        if pages is None or selected is None:
            self.notify("Select a component first", severity="warning")
            return
        self.apply(f"{description} {selected}", lambda tx: edit(tx, pages, selected))

    def action_delete_component(self) -> None:
        selected = self.selected_id
        if selected is None:
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self._with_selected("delete", form.delete_component)
                self.selected_id = None
                self.refresh_view()

        self.app.push_screen(ConfirmScreen(f"Delete {selected} (and its children)?"), delete)

    def action_duplicate_component(self) -> None:
        self._with_selected("duplicate", form.duplicate_component)

    def action_move_up(self) -> None:
        self._with_selected("move up", lambda tx, p, c: form.move_component(tx, p, c, -1))

    def action_move_down(self) -> None:
        self._with_selected("move down", lambda tx, p, c: form.move_component(tx, p, c, 1))

    def action_indent(self) -> None:
        """Move the component into the nearest container above it on the page."""
        components = self.page_components()
        ids = [str(c.get("id")) for c in components]
        if self.selected_id not in ids:
            return
        above = components[: ids.index(self.selected_id)]
        target = next(
            (str(c["id"]) for c in reversed(above) if isinstance(c.get("children"), list)), None
        )
        if target is None:
            self.notify("No container above this component", severity="warning")
            return
        self._with_selected(
            "move into " + target, lambda tx, p, c: form.set_parent(tx, p, c, target)
        )

    def action_outdent(self) -> None:
        self._with_selected(
            "move out of container", lambda tx, p, c: form.set_parent(tx, p, c, None)
        )

    def action_add_page(self) -> None:
        pages = self.pages
        if pages is None:
            return
        after = self.page_id

        def add(name: str | None) -> None:
            if name and self.apply(
                f"add page {name}", lambda tx: form.add_page(tx, pages, name, after)
            ):
                self.page_id = name
                self.refresh_view()

        self.app.push_screen(PromptScreen("Name of the new page", placeholder="Side2"), add)

    def action_rename_page(self) -> None:
        pages, old = self.pages, self.page_id
        if pages is None or old is None:
            return

        def rename(name: str | None) -> None:
            if (
                name
                and name != old
                and self.apply(
                    f"rename page {old} to {name}",
                    lambda tx: form.rename_page(tx, pages, old, name),
                )
            ):
                self.page_id = name
                self.refresh_view()

        self.app.push_screen(PromptScreen(f"Rename page {old} to", value=old), rename)

    def action_delete_page(self) -> None:
        pages, page = self.pages, self.page_id
        if pages is None or page is None:
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed and self.apply(
                f"delete page {page}", lambda tx: form.delete_page(tx, pages, page)
            ):
                self.page_id = None
                self.refresh_view()

        self.app.push_screen(ConfirmScreen(f"Delete the page {page} and its components?"), delete)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def _move_page(self, delta: int) -> None:
        pages, page = self.pages, self.page_id
        if pages is not None and page is not None:
            self.apply(f"move page {page}", lambda tx: form.move_page(tx, pages, page, delta))

    def _reload_sets(self, select_id: str | None) -> None:
        """After a layout-set edit: rebuild the selector and select `select_id`."""
        self.workspace.changed()
        sets = self.workspace.layout_sets()
        options = [(s.id or "(layouts)", str(i)) for i, s in enumerate(sets)]
        selector = self.query_one("#layout-set", Select)
        selector.set_options(options or [("(no layout sets)", "-1")])
        index = next((i for i, s in enumerate(sets) if s.id == select_id), 0)
        self.set_index, self.page_id, self.selected_id = index, None, None
        selector.value = str(index) if options else "-1"
        self.refresh_view()

    def action_add_layout_set(self) -> None:
        if self.workspace.app.convention == "single":
            self.notify("This app keeps one layout in App/ui/layouts; add layout-sets.json first")
            return
        uses_file = self.workspace.uses_layout_sets_file()
        data_type = self.layout_set.data_type if self.layout_set else None

        def add(answer: str | None) -> None:
            if not answer:
                return
            set_id, _, task = (part.strip() for part in answer.partition(" for "))
            task = task or (None if uses_file else set_id)
            if self.apply(
                f"add layout set {set_id}",
                lambda tx: form.add_layout_set(
                    tx, set_id, data_type, task, uses_layout_sets_file=uses_file
                ),
            ):
                self._reload_sets(set_id)

        question = "New layout set: ID for TASK" if uses_file else "New layout set (= task id)"
        self.app.push_screen(PromptScreen(question, placeholder="Task_2"), add)

    def action_rename_layout_set(self) -> None:
        layout_set = self.layout_set
        if layout_set is None:
            return
        old = layout_set.id
        files = self.workspace.set_files(layout_set)
        pages = [p for s in self.workspace.layout_sets() for p in s.page_files.values()]

        def rename(new: str | None) -> None:
            if (
                new
                and new != old
                and self.apply(
                    f"rename layout set {old} to {new}",
                    lambda tx: form.rename_layout_set(tx, old, new, files, pages),
                )
            ):
                self._reload_sets(new)

        self.app.push_screen(PromptScreen(f"Rename layout set {old} to", value=old), rename)

    def action_delete_layout_set(self) -> None:
        layout_set = self.layout_set
        if layout_set is None:
            return
        files = self.workspace.set_files(layout_set)

        def delete(confirmed: bool | None) -> None:
            if confirmed and self.apply(
                f"delete layout set {layout_set.id}",
                lambda tx: form.delete_layout_set(tx, layout_set.id, files),
            ):
                self._reload_sets(None)

        self.app.push_screen(
            ConfirmScreen(f"Delete layout set {layout_set.id} and all its pages?"), delete
        )

    def action_preview(self) -> None:
        from studio.designer.screens.preview import PreviewScreen

        if self.layout_set is not None:
            self.app.push_screen(PreviewScreen(self.workspace, self.layout_set, self.page_id))

    def action_back(self) -> None:
        self.app.pop_screen()
