"""The texts editor: every key × language in one table, with search, add, edit and rename."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Input

from app_runtime.editing.texts import rename_text_key, set_text, translation_table
from app_runtime.editing.workspace import AppWorkspace
from studio.designer.actions import TEXT_ACTIONS, bindings
from studio.designer.screens.base import WorkspaceScreen
from studio.designer.screens.modals import PromptScreen
from studio.designer.widgets.validation_panel import ValidationPanel


class TextsScreen(WorkspaceScreen):
    """Missing translations show as a red ✖ so they stand out."""

    BINDINGS = [*WorkspaceScreen.BINDINGS, *bindings(TEXT_ACTIONS)]

    def __init__(self, workspace: AppWorkspace, search: str = "") -> None:
        super().__init__(workspace)
        self.filter = search
        self.languages = workspace.languages() or ["nb", "nn", "en"]
        for language in ("nb", "nn", "en"):
            if language not in self.languages:
                self.languages.append(language)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.filter, placeholder="search keys and texts (/)", id="search")
        yield DataTable(id="texts", cursor_type="cell", zebra_stripes=True)
        yield ValidationPanel(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#texts", DataTable).add_columns("key", *self.languages)
        super().on_mount()

    def table(self) -> dict[str, dict[str, str | None]]:
        table = self.read(lambda tx: translation_table(tx, self.languages), {})
        return table if isinstance(table, dict) else {}

    def refresh_view(self) -> None:
        table = self.query_one("#texts", DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        needle = self.filter.lower()
        for key, values in self.table().items():
            if (
                needle
                and needle not in key.lower()
                and not any(needle in (v or "").lower() for v in values.values())
            ):
                continue
            cells = [
                (values[lang] or "")[:60] if values[lang] is not None else "[red]✖ missing[/red]"
                for lang in self.languages
            ]
            table.add_row(key, *cells, key=key)
        if table.row_count:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)

    def show_findings(self, findings: list) -> None:  # type: ignore[type-arg]
        self.query_one(ValidationPanel).show([f for f in findings if f.code.startswith("TXT")])

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.filter = event.value
            self.refresh_view()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def _current(self) -> tuple[str | None, str | None]:
        table = self.query_one("#texts", DataTable)
        if not table.row_count:
            return None, None
        coordinate = table.cursor_coordinate
        key = table.coordinate_to_cell_key(coordinate).row_key.value
        column = coordinate.column
        language = self.languages[column - 1] if column >= 1 else None
        return key, language

    def action_add_text(self) -> None:
        def add(key: str | None) -> None:
            if key:
                self.apply(f"add text {key}", lambda tx: set_text(tx, self.languages[0], key, ""))

        self.app.push_screen(PromptScreen("New text key", placeholder="page1.title"), add)

    def action_edit_text(self) -> None:
        key, language = self._current()
        if key is None:
            return
        if language is None:
            self.action_rename_text()
            return
        current = self.table().get(key, {}).get(language) or ""

        def edit(value: str | None) -> None:
            if value is not None:
                self.apply(
                    f"text {key} ({language})", lambda tx: set_text(tx, language, key, value)
                )

        self.app.push_screen(PromptScreen(f"{key} in {language}", value=current), edit)

    def action_rename_text(self) -> None:
        key, _ = self._current()
        if key is None:
            return

        def rename(new: str | None) -> None:
            if new and new != key:
                files = self.workspace.referencing_files()
                self.apply(
                    f"rename text {key} to {new}",
                    lambda tx: rename_text_key(tx, self.languages, key, new, files),
                )

        self.app.push_screen(PromptScreen(f"Rename {key} to", value=key), rename)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_edit_text()

    def action_back(self) -> None:
        self.app.pop_screen()
