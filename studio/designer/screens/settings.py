"""Settings: app title per language, page order per layout set, who may instantiate,
and frontend settings."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Footer, Header, Input, Label, ListItem, ListView, Static

from app_runtime.editing import form
from app_runtime.editing.workspace import AppWorkspace
from studio.designer.screens.base import WorkspaceScreen
from studio.designer.screens.modals import PromptScreen

METADATA = "App/config/applicationmetadata.json"
APPSETTINGS = "App/appsettings.json"
PARTY_TYPES = ("person", "organisation", "subUnit", "bankruptcyEstate")


class SettingsScreen(WorkspaceScreen):
    """Edits go to applicationmetadata.json, Settings.json and appsettings.json."""

    BINDINGS = [
        *WorkspaceScreen.BINDINGS,
        Binding("alt+up", "page_up", "Page up"),
        Binding("alt+down", "page_down", "Page down"),
        Binding("g", "add_group", "New page group"),
        Binding("alt+left", "group_previous", "To previous group", show=False),
        Binding("alt+right", "group_next", "To next group", show=False),
        Binding("f", "add_frontend_setting", "Frontend setting"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, workspace: AppWorkspace) -> None:
        super().__init__(workspace)
        self.languages = workspace.languages() or ["nb", "nn", "en"]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static("[b]App title[/b]")
            for language in self.languages:
                yield Horizontal(
                    Label(language, classes="prop-label"),
                    Input(id=f"title-{language}", placeholder=f"title in {language}", compact=True),
                    classes="prop-row",
                )
            yield Static("[b]Who may start the app (partyTypesAllowed)[/b]")
            for party in PARTY_TYPES:
                yield Checkbox(party, id=f"party-{party}", compact=True)
            yield Static("[b]Page order and groups[/b] (alt+↑/↓ order, alt+←/→ group, g new group)")
            yield ListView(id="page-order")
            yield Static("[b]Frontend settings[/b] (f to add or change)")
            yield Static("", id="frontend")
        yield Footer()

    def _metadata(self) -> dict[str, Any]:
        data = self.read(lambda tx: tx.data(METADATA) if tx.exists(METADATA) else {}, {})
        return data if isinstance(data, dict) else {}

    def refresh_view(self) -> None:
        metadata = self._metadata()
        titles = metadata.get("title") if isinstance(metadata.get("title"), dict) else {}
        for language in self.languages:
            field = self.query_one(f"#title-{language}", Input)
            if not field.has_focus:
                field.value = str(titles.get(language, ""))
        allowed = metadata.get("partyTypesAllowed") or {}
        for party in PARTY_TYPES:
            self.query_one(f"#party-{party}", Checkbox).value = bool(allowed.get(party))
        order_view = self.query_one("#page-order", ListView)
        index = order_view.index
        order_view.clear()
        for layout_set in self.workspace.layout_sets():
            pages = self.workspace.page_set(layout_set)
            groups = self.read(lambda tx, pages=pages: form.page_groups(tx, pages), None)
            if not groups:
                order = self.read(lambda tx, pages=pages: form.page_order(tx, pages), [])
                groups = [{"order": order}]
            for number, group in enumerate(groups, start=1):
                group_name = group.get("name") or (f"group {number}" if len(groups) > 1 else "")
                for page in group.get("order", []):
                    where = " / ".join(p for p in (layout_set.id or "layouts", group_name) if p)
                    item = ListItem(Label(f"{where} / {page}"), name=page)
                    item.page_set = pages  # type: ignore[attr-defined]
                    order_view.append(item)
        if index is not None and order_view.children:
            order_view.index = min(index, len(order_view.children) - 1)
        settings = self._frontend_settings()
        self.query_one("#frontend", Static).update(
            "\n".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in settings.items())
            or "(none)"
        )

    def _frontend_settings(self) -> dict[str, Any]:
        data = self.read(lambda tx: tx.data(APPSETTINGS) if tx.exists(APPSETTINGS) else {}, {})
        settings = data.get("FrontEndSettings") if isinstance(data, dict) else None
        return settings if isinstance(settings, dict) else {}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not (event.input.id or "").startswith("title-"):
            return
        language = (event.input.id or "").removeprefix("title-")

        def edit(tx: Any) -> None:
            data = tx.data(METADATA)
            data.setdefault("title", {})[language] = event.value

        self.apply(f"title ({language})", edit)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        party = (event.checkbox.id or "").removeprefix("party-")
        if party not in PARTY_TYPES or not self.workspace.session.exists(METADATA):
            return
        current = bool((self._metadata().get("partyTypesAllowed") or {}).get(party))
        if current == event.value:
            return

        def edit(tx: Any) -> None:
            data = tx.data(METADATA)
            allowed = data.setdefault("partyTypesAllowed", {p: False for p in PARTY_TYPES})
            allowed[party] = event.value

        self.apply(f"party type {party}", edit)

    def _move(self, delta: int) -> None:
        view = self.query_one("#page-order", ListView)
        item = view.highlighted_child
        if item is None or not item.name:
            return
        pages = item.page_set  # type: ignore[attr-defined]
        page = item.name
        if self.apply(f"move page {page}", lambda tx: form.move_page(tx, pages, page, delta)):
            view.index = max(0, (view.index or 0) + delta)

    def action_page_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(1)

    def _selected_page(self) -> tuple[form.PageSet, str] | None:
        item = self.query_one("#page-order", ListView).highlighted_child
        if item is None or not item.name:
            return None
        return item.page_set, item.name  # type: ignore[attr-defined]

    def action_add_group(self) -> None:
        selected = self._selected_page()
        sets = self.workspace.layout_sets()
        if selected is None and not sets:
            return
        pages = selected[0] if selected else self.workspace.page_set(sets[0])

        def add(name: str | None) -> None:
            if name:
                self.apply(
                    f"add page group {name}", lambda tx: form.add_page_group(tx, pages, name)
                )

        self.app.push_screen(PromptScreen("Name of the new page group"), add)

    def _move_group(self, delta: int) -> None:
        selected = self._selected_page()
        if selected is not None:
            pages, page = selected
            self.apply(
                f"move page {page} to another group",
                lambda tx: form.move_page_to_group(tx, pages, page, delta),
            )

    def action_group_previous(self) -> None:
        self._move_group(-1)

    def action_group_next(self) -> None:
        self._move_group(1)

    def action_add_frontend_setting(self) -> None:
        def add(entry: str | None) -> None:
            if not entry or "=" not in entry:
                return
            key, raw = (part.strip() for part in entry.split("=", 1))
            try:
                value: Any = json.loads(raw)
            except ValueError:
                value = raw

            def edit(tx: Any) -> None:
                if not tx.exists(APPSETTINGS):
                    tx.write(APPSETTINGS, {})
                tx.data(APPSETTINGS).setdefault("FrontEndSettings", {})[key] = value

            self.apply(f"frontend setting {key}", edit)

        self.app.push_screen(PromptScreen("name = value", placeholder="showHelp = true"), add)

    def action_back(self) -> None:
        self.app.pop_screen()
