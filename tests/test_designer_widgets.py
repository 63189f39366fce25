"""Designer widgets in a minimal App: they post the right messages upward."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input, Select

from layouts.catalogue import definition_for
from schemas.diagnostics import Finding, Location, Severity
from studio.designer.widgets.property_editor import EditorContext, PropertyEditor
from studio.designer.widgets.validation_panel import ValidationPanel

COMPONENT = {
    "id": "name",
    "type": "Input",
    "dataModelBindings": {"simpleBinding": "person.name"},
    "textResourceBindings": {"title": "name.title"},
    "required": True,
}


class Recorder(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield PropertyEditor(id="props")
        yield ValidationPanel(id="problems")

    def on_property_editor_changed(self, message: PropertyEditor.Changed) -> None:
        self.messages.append(message)

    def on_property_editor_text_changed(self, message: PropertyEditor.TextChanged) -> None:
        self.messages.append(message)

    def on_validation_panel_jump(self, message: ValidationPanel.Jump) -> None:
        self.messages.append(message)


def _context() -> EditorContext:
    return EditorContext(
        model_fields=[("person.name", "string"), ("person.age", "integer")],
        text_values={"name.title": {"nb": "Navn", "nn": None, "en": "Name"}},
        languages=["nb", "nn", "en"],
        check_expression=lambda value, expected: f"checked as {expected}",
    )


def _field(editor: PropertyEditor, suffix: str) -> Any:
    return next(w for w in editor.query("*") if (w.id or "").endswith(suffix))


def test_property_editor_posts_changes_and_translations() -> None:
    async def run() -> list[Message]:
        app = Recorder()
        async with app.run_test(size=(100, 60)) as pilot:
            editor = app.query_one(PropertyEditor)
            editor.show(dict(COMPONENT), definition_for("Input"), _context())
            await pilot.pause()
            nn = _field(editor, "-f-textResourceBindings-title-nn")
            assert isinstance(nn, Input) and nn.value == ""
            nn.focus()
            nn.insert_text_at_cursor("Namn")
            await pilot.press("enter")
            required = _field(editor, "-f-required")
            assert required.value == "true"
            required.focus()
            required.value = ""
            required.insert_text_at_cursor('["equals", 1, 1]')
            await pilot.press("enter")
            await pilot.pause()
            assert "checked as boolean" in str(_field(editor, "-f-required-status").render())
            binding = _field(editor, "-f-dataModelBindings-simpleBinding")
            binding.focus()
            binding.value = ""
            binding.insert_text_at_cursor("person.age")
            await pilot.press("enter")
            await pilot.pause()
        return app.messages

    messages = asyncio.run(run())
    assert [type(m).__name__ for m in messages] == ["TextChanged", "Changed", "Changed"]
    text, required, binding = messages
    assert (text.key, text.language, text.value) == ("name.title", "nn", "Namn")
    assert required.path == ["required"] and required.value == ["equals", 1, 1]
    assert binding.path == ["dataModelBindings", "simpleBinding"]
    assert binding.value == "person.age" and binding.component_id == "name"


def test_choice_fields_post_only_real_changes() -> None:
    async def run() -> list[Message]:
        app = Recorder()
        async with app.run_test(size=(100, 60)) as pilot:
            editor = app.query_one(PropertyEditor)
            header = {"id": "title", "type": "Header", "size": "L"}
            editor.show(header, definition_for("Header"), _context())
            await pilot.pause()
            size = _field(editor, "-f-size")
            assert isinstance(size, Select)
            size.value = '"M"'
            await pilot.pause()
        return app.messages

    messages = asyncio.run(run())
    assert len(messages) == 1
    assert messages[0].path == ["size"] and messages[0].value == "M"


def test_validation_panel_jumps_to_the_selected_finding() -> None:
    findings = [
        Finding("LAY001", Severity.ERROR, "unknown type", Location("App/ui/a.json", "/x", 3, 1)),
        Finding("TXT002", Severity.INFO, "unused key", Location("App/config/t.json", "", 9, 5)),
    ]

    async def run() -> list[Message]:
        app = Recorder()
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(ValidationPanel)
            panel.show(findings)
            panel.focus()
            await pilot.press("down", "enter")
            await pilot.pause()
        return app.messages

    messages = asyncio.run(run())
    assert len(messages) == 1 and messages[0].finding == findings[1]
