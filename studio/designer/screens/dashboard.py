"""The app dashboard: each area of the app with its size and its number of problems."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from app_runtime.editing.workspace import AppWorkspace, area_of
from schemas.diagnostics import Finding
from studio.designer.screens.base import WorkspaceScreen
from studio.designer.widgets.validation_panel import ValidationPanel

AREA_SCREENS = {
    "Layouts": "form",
    "Texts": "texts",
    "Settings": "settings",
    "Data models": "readonly:models",
    "Process": "readonly:process",
    "Access rules": "readonly:policy",
}


class DashboardScreen(WorkspaceScreen):
    """Entry point for one app; pick an area to work on."""

    BINDINGS = [
        *WorkspaceScreen.BINDINGS,
        Binding("f", "open('form')", "Form builder"),
        Binding("t", "open('texts')", "Texts"),
        Binding("s", "open('settings')", "Settings"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, workspace: AppWorkspace) -> None:
        super().__init__(workspace)
        self.findings: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static("", id="app-title")
            yield OptionList(id="areas")
        yield ValidationPanel(id="problems")
        yield Footer()

    def show_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.query_one(ValidationPanel).show(findings)
        self.refresh_view()

    def refresh_view(self) -> None:
        app = self.workspace.app
        metadata = app.metadata.data if app.metadata else {}
        title = metadata.get("title", {}) if isinstance(metadata, dict) else {}
        name = title.get("nb") or title.get("en") or self.workspace.root.name
        self.query_one("#app-title", Static).update(f"[b]{name}[/b]  ({self.workspace.root.name})")
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[area_of(finding)] = counts.get(area_of(finding), 0) + 1
        pages = sum(len(s.pages) for s in app.layout_sets)
        texts = len({key for doc in app.texts.values() for key in _text_keys(doc.data)})
        rows = {
            "Layouts": f"{len(app.layout_sets)} layout set(s), {pages} page(s)",
            "Data models": f"{len(app.models)} model(s)",
            "Process": f"{len(getattr(app, 'process_tasks', {}) or {})} task(s)",
            "Access rules": "policy.xml" if app.policy_path else "no policy",
            "Texts": f"{texts} key(s) in {', '.join(self.workspace.languages()) or 'no language'}",
            "Settings": "title, page order, party types, frontend settings",
        }
        areas = self.query_one("#areas", OptionList)
        highlighted = areas.highlighted
        areas.clear_options()
        for area, summary in rows.items():
            problems = counts.get(area, 0)
            mark = f"[red]{problems} problem(s)[/red]" if problems else "[green]ok[/green]"
            areas.add_option(Option(f"{area:<14} {summary}  {mark}", id=AREA_SCREENS[area]))
        if highlighted is not None:
            areas.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def action_open(self, target: str) -> None:
        if target == "form":
            from studio.designer.screens.form_builder import FormBuilderScreen

            self.app.push_screen(FormBuilderScreen(self.workspace))
        elif target == "texts":
            from studio.designer.screens.texts import TextsScreen

            self.app.push_screen(TextsScreen(self.workspace))
        elif target == "settings":
            from studio.designer.screens.settings import SettingsScreen

            self.app.push_screen(SettingsScreen(self.workspace))
        elif target.startswith("readonly:"):
            from studio.designer.screens.readonly import ReadOnlyScreen

            self.app.push_screen(ReadOnlyScreen(self.workspace, target.split(":", 1)[1]))

    def on_screen_resume(self) -> None:
        self.after_change()

    def on_validation_panel_jump(self, event: ValidationPanel.Jump) -> None:
        from studio.designer.navigation import screen_for

        screen = screen_for(self.workspace, event.finding.location)
        if screen is None:
            self.notify(str(event.finding.location), title=event.finding.code)
        else:
            self.app.push_screen(screen)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


def _text_keys(data: object) -> list[str]:
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        return [r["id"] for r in data["resources"] if isinstance(r, dict) and "id" in r]
    return []
