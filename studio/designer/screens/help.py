"""The help screen: every key of the screen you came from, from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = """[b]Formstudio designer[/b]

Build Altinn 3 form apps from the keyboard (the mouse works too). Every edit is checked at once
in the Problems panel; ctrl+z undoes anything; ctrl+s saves only the files you changed.
ctrl+p opens the command palette with every action of the current screen.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close"), Binding("f1", "close", "Close")]

    def __init__(self, origin: Screen[object]) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        rows = []
        seen: set[str] = set()
        for binding in self.origin.active_bindings.values():
            b = binding.binding
            if b.description and b.action not in seen:
                seen.add(b.action)
                rows.append(f"  [b]{b.key:<14}[/b] {b.description}")
        with VerticalScroll(classes="dialog tall"):
            yield Static(INTRO + "\n[b]Keys here[/b]\n" + "\n".join(rows))

    def action_close(self) -> None:
        self.dismiss(None)
