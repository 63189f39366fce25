"""The designer application: composes screens and routes between them, nothing more."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from app_runtime.editing.workspace import AppWorkspace, is_app_folder


class DesignerApp(App[None]):
    """`studio edit PATH`: PATH is an app (open its dashboard) or a folder of apps."""

    CSS_PATH = "designer.tcss"
    TITLE = "Formstudio"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.workspaces: list[AppWorkspace] = []
        self.started_at = time.perf_counter()
        self.first_screen_seconds: float | None = None

    def on_mount(self) -> None:
        if is_app_folder(self.target):
            self.open_app(self.target)
        else:
            from studio.designer.screens.overview import OverviewScreen

            self.push_screen(OverviewScreen(self.target))

    def open_app(self, path: Path) -> None:
        from studio.designer.screens.dashboard import DashboardScreen

        workspace = AppWorkspace(path)
        self.workspaces.append(workspace)
        self.push_screen(DashboardScreen(workspace))

    def mark_first_screen(self) -> None:
        """Record when the first app screen was painted (what `bench/designer.py` reports)."""
        if self.first_screen_seconds is None:
            self.first_screen_seconds = time.perf_counter() - self.started_at

    def on_unmount(self) -> None:
        for workspace in self.workspaces:
            workspace.close()

    def action_help(self) -> None:
        from studio.designer.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key-bound action of the current screen is also in the command palette."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for binding in screen.active_bindings.values():
            action = binding.binding.action
            if action in seen or not binding.binding.description:
                continue
            seen.add(action)
            yield SystemCommand(
                binding.binding.description,
                f"{binding.binding.description} ({binding.binding.key})",
                lambda action=action: self.call_later(screen.run_action, action),
            )
