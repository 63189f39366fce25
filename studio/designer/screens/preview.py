"""Preview: a page as the end user sees it, evaluated live. Type values and watch
hidden/required/read-only follow the expressions; switch language; step through pages."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from app_runtime.app import LayoutSet
from app_runtime.editing.workspace import AppWorkspace
from app_runtime.forms import FieldView, FormState
from studio.designer.screens.modals import PromptScreen

LABEL_WIDTH = 44


class PreviewScreen(Screen[None]):
    """Renders the current page of a layout set from the workspace's current (unsaved) state."""

    BINDINGS = [
        Binding("enter", "edit_value", "Type a value"),
        Binding("right", "next_page", "Next page", key_display="→", priority=True),
        Binding("left", "previous_page", "Previous page", key_display="←", priority=True),
        Binding("l", "language", "Language"),
        Binding("s", "sample", "Sample data"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, workspace: AppWorkspace, layout_set: LayoutSet, page: str | None) -> None:
        super().__init__()
        self.workspace = workspace
        fresh = next((s for s in workspace.layout_sets() if s.id == layout_set.id), layout_set)
        self.languages = workspace.languages() or ["nb"]
        self.form = FormState(workspace.app, fresh, self.languages[0])
        pages = self.form.pages()
        self.page = page if page in pages else (pages[0] if pages else "")
        self.fields: list[FieldView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="preview-title")
        yield DataTable(id="preview-body", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("", "field", "value")
        self.redraw()

    def redraw(self) -> None:
        self.fields = self.form.view(self.page)
        visible = self.form.visible_pages()
        position = (
            f"{visible.index(self.page) + 1}/{len(visible)}" if self.page in visible else "hidden"
        )
        self.query_one("#preview-title", Static).update(
            f"[b]{escape(self.page)}[/b]  page {position} · language {self.form.language}"
        )
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, field in enumerate(self.fields):
            flags = ("*" if field.required else " ") + ("🔒" if field.read_only else "")
            text = field.label or field.type
            if len(text) > LABEL_WIDTH:
                text = text[: LABEL_WIDTH - 1] + "…"
            label = "  " * field.depth + (escape(text) if field.label else f"[dim]{text}[/dim]")
            if field.path is None:
                value = ""
            else:
                value = "" if field.value is None else json.dumps(field.value, ensure_ascii=False)
            if field.error:
                value = f"[red]{escape(field.error)}[/red]"
            table.add_row(flags, label, value, key=str(index))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_value()

    def action_edit_value(self) -> None:
        table = self.query_one(DataTable)
        if not self.fields:
            return
        field = self.fields[table.cursor_row]
        if field.path is None or field.read_only:
            self.notify("This component has no value to type", severity="warning")
            return

        def typed(text: str | None) -> None:
            if text is None:
                return
            value: Any
            try:
                value = json.loads(text)
            except ValueError:
                value = text
            self.form.set_value(field.path or "", value, field.data_type)
            self.redraw()

        current = "" if field.value is None else str(field.value)
        self.app.push_screen(PromptScreen(f"{field.label or field.component_id}", current), typed)

    def _step(self, delta: int) -> None:
        visible = self.form.visible_pages()
        if not visible:
            return
        index = visible.index(self.page) if self.page in visible else 0
        self.page = visible[max(0, min(len(visible) - 1, index + delta))]
        self.redraw()

    def action_next_page(self) -> None:
        self._step(1)

    def action_previous_page(self) -> None:
        self._step(-1)

    def action_language(self) -> None:
        index = (
            self.languages.index(self.form.language) if self.form.language in self.languages else 0
        )
        self.form.language = self.languages[(index + 1) % len(self.languages)]
        self.redraw()

    def action_sample(self) -> None:
        sample = sample_data(self.workspace, self.form.layout_set)
        if sample is None:
            self.notify("No data model to make sample data from", severity="warning")
            return
        self.form.models[self.form.data_type] = sample
        self.redraw()

    def action_back(self) -> None:
        self.app.pop_screen()


def sample_data(workspace: AppWorkspace, layout_set: LayoutSet) -> dict[str, Any] | None:
    """Random valid data for the layout set's model, from the data-model package."""
    if not layout_set.data_type:
        return None
    model = workspace.app.model_for_data_type(layout_set.data_type)
    if model is None or model.schema_path is None:
        return None
    from schemas.instances import sample_instance
    from schemas.model import load_model

    value = sample_instance(load_model(model.schema_path))
    return value if isinstance(value, dict) else None
