"""The overview: every app in a folder with its title, last change and validation state."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from app_runtime.editing.workspace import AppSummary, scan_apps
from studio.designer.screens.modals import ConfirmScreen, PromptScreen


class OverviewScreen(Screen[None]):
    """A table of apps; enter opens, `n` creates, `delete` removes (after confirmation)."""

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("n", "create", "New app"),
        Binding("delete", "delete", "Delete"),
        Binding("f5", "rescan", "Refresh"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.apps: list[AppSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Apps in {self.folder.name or self.folder}", id="overview-title")
        yield DataTable(id="apps", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#apps", DataTable)
        table.add_columns("app", "title", "last change", "status")
        self.action_rescan()

    def action_rescan(self) -> None:
        self.apps = scan_apps(self.folder) if self.folder.is_dir() else []
        table = self.query_one("#apps", DataTable)
        table.clear()
        for app in self.apps:
            if app.errors:
                status = f"✖ {app.errors} errors"
            elif app.warnings:
                status = f"▲ {app.warnings} warnings"
            else:
                status = "✔ valid"
            table.add_row(
                app.name,
                app.title,
                app.last_change.strftime("%Y-%m-%d %H:%M"),
                status,
                key=str(app.path),
            )
        if not self.apps:
            self.notify("No apps here yet: press n to create one")

    def _selected(self) -> AppSummary | None:
        table = self.query_one("#apps", DataTable)
        if not self.apps or table.cursor_row < 0:
            return None
        return self.apps[min(table.cursor_row, len(self.apps) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.app.open_app(selected.path)  # type: ignore[attr-defined]

    def action_create(self) -> None:
        def create(name: str | None) -> None:
            if not name:
                return
            from studio.commands.new import DEFAULT_ORG, NewAppError, create_app, plan_new_app

            try:
                create_app(plan_new_app(name, DEFAULT_ORG, self.folder))
            except NewAppError as exc:
                self.notify(str(exc), severity="error")
                return
            self.action_rescan()

        self.app.push_screen(PromptScreen("Name of the new app", placeholder="my-app"), create)

    def action_delete(self) -> None:
        selected = self._selected()
        if selected is None:
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                shutil.rmtree(selected.path)
                self.notify(f"Deleted {selected.name}")
                self.action_rescan()

        self.app.push_screen(
            ConfirmScreen(f"Delete the app {selected.name} and all its files?"), delete
        )
