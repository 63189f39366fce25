"""One registry of designer actions: key bindings, footer, command palette and help read it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class DesignerAction:
    action: str
    key: str
    description: str
    show: bool = True


APP_ACTIONS: tuple[DesignerAction, ...] = (
    DesignerAction("save", "ctrl+s", "Save"),
    DesignerAction("undo", "ctrl+z", "Undo"),
    DesignerAction("redo", "ctrl+y", "Redo"),
    DesignerAction("help", "f1", "Help"),
    DesignerAction("validate", "f5", "Validate", show=False),
    DesignerAction("quit", "ctrl+q", "Quit"),
)

FORM_ACTIONS: tuple[DesignerAction, ...] = (
    DesignerAction("add_component", "a", "Add"),
    DesignerAction("delete_component", "delete", "Delete"),
    DesignerAction("duplicate_component", "d", "Duplicate", show=False),
    DesignerAction("move_up", "ctrl+up", "Move up", show=False),
    DesignerAction("move_down", "ctrl+down", "Move down", show=False),
    DesignerAction("indent", "ctrl+right", "Into container above", show=False),
    DesignerAction("outdent", "ctrl+left", "Out of container", show=False),
    DesignerAction("toggle_compact", "v", "Compact/detailed"),
    DesignerAction("add_page", "n", "New page", show=False),
    DesignerAction("rename_page", "r", "Rename page", show=False),
    DesignerAction("delete_page", "ctrl+delete", "Delete page", show=False),
    DesignerAction("page_up", "alt+up", "Page up in order", show=False),
    DesignerAction("page_down", "alt+down", "Page down in order", show=False),
    DesignerAction("add_layout_set", "N", "New layout set", show=False),
    DesignerAction("rename_layout_set", "R", "Rename layout set", show=False),
    DesignerAction("delete_layout_set", "X", "Delete layout set", show=False),
    DesignerAction("preview", "p", "Preview"),
    DesignerAction("back", "escape", "Back"),
)

TEXT_ACTIONS: tuple[DesignerAction, ...] = (
    DesignerAction("add_text", "a", "Add key"),
    DesignerAction("rename_text", "r", "Rename key"),
    DesignerAction("edit_text", "enter", "Edit"),
    DesignerAction("search", "/", "Search"),
    DesignerAction("back", "escape", "Back"),
)


def bindings(actions: tuple[DesignerAction, ...]) -> list[Binding]:
    return [Binding(a.key, a.action, a.description, show=a.show) for a in actions]
