"""Read-only views of the areas whose editors come later: data models, process, policy."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from app_runtime.editing.workspace import AppWorkspace
from studio.designer.screens.base import WorkspaceScreen
from studio.designer.summaries import describe_area


class ReadOnlyScreen(WorkspaceScreen):
    """Shows what the app has in one area, as text."""

    BINDINGS = [*WorkspaceScreen.BINDINGS, Binding("escape", "back", "Back")]

    def __init__(self, workspace: AppWorkspace, area: str) -> None:
        super().__init__(workspace)
        self.area = area

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="content")
        yield Footer()

    def refresh_view(self) -> None:
        self.query_one("#content", Static).update(describe_area(self.workspace.app, self.area))

    def action_back(self) -> None:
        self.app.pop_screen()
