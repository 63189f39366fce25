"""The property editor, generated from the component catalogue.

Each property of the selected component's definition becomes one field of the right kind:
text, number, yes/no, a choice, JSON (for structured values and expressions, with a live
type-check), a data-model binding picked from the model tree, or a text key with its nb/nn/en
values side by side. Edits are posted upward as messages; the screen applies them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static

from layouts.catalogue import ComponentDefinition, Prop

UNSET = "(not set)"


@dataclass(frozen=True)
class EditorContext:
    """What the editor can offer: model fields (path, type) and text values per language."""

    model_fields: list[tuple[str, str]]
    text_values: dict[str, dict[str, str | None]]
    languages: list[str]
    check_expression: Callable[[Any, str], str]


class PropertyEditor(VerticalScroll):
    """Fields for one component. Posts PropertyEditor.Changed and PropertyEditor.TextChanged."""

    class Changed(Message):
        """A property got a new value (None = remove it)."""

        def __init__(self, editor: PropertyEditor, path: list[str], value: Any) -> None:
            super().__init__()
            self.editor = editor
            self.component_id = editor.component_id
            self.path = path
            self.value = value

        @property
        def control(self) -> PropertyEditor:
            return self.editor

    class TextChanged(Message):
        """A translation of a text key was edited in place."""

        def __init__(self, editor: PropertyEditor, key: str, language: str, value: str) -> None:
            super().__init__()
            self.editor = editor
            self.key = key
            self.language = language
            self.value = value

        @property
        def control(self) -> PropertyEditor:
            return self.editor

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.component_id = ""
        self._fields: dict[str, tuple[list[str], str, Prop | None]] = {}
        self._initial: dict[str, Any] = {}
        self._generation = 0
        self._signature: tuple[Any, ...] | None = None
        self._choices: dict[str, set[str]] = {}
        self._editor_context: EditorContext | None = None

    def show(
        self,
        component: dict[str, Any] | None,
        definition: ComponentDefinition | None,
        context: EditorContext,
    ) -> None:
        """Show `component`: update the fields in place when only values changed (keeps focus
        and is cheap), rebuild them when another component or key set is shown."""
        self._editor_context = context
        signature = _signature(component)
        if component is not None and definition is not None and signature == self._signature:
            self._update_values(component, context)
            return
        self._signature = signature
        self.remove_children()
        self._fields.clear()
        self._initial.clear()
        self._generation += 1
        if component is None:
            self.border_title = "Properties"
            self.mount(Static("Select a component to edit its properties."))
            return
        self.component_id = str(component.get("id", ""))
        self.border_title = f"{component.get('type')} · {self.component_id}"
        if definition is None:
            self.mount(Static(f"Unknown component type {component.get('type')!r}."))
            return
        self.mount_all(list(self._build(component, definition, context)))

    def _update_values(self, component: dict[str, Any], context: EditorContext) -> None:
        for field_id, (path, kind, prop) in self._fields.items():
            matches = self.query(f"#{field_id}")
            if not matches:
                continue
            widget = matches.first()
            if kind.startswith("translation:"):
                value: Any = (context.text_values.get(path[0]) or {}).get(kind.split(":", 1)[1])
            else:
                value = component
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
            if isinstance(widget, Select):
                wanted = json.dumps(value) if value is not None else Select.NULL
                if widget.value != wanted and (
                    value is None or wanted in self._option_values(widget)
                ):
                    self._initial[field_id] = wanted
                    widget.value = wanted
                continue
            if not isinstance(widget, Input):
                continue
            if kind == "json" or (value is not None and not isinstance(value, str | int | float)):
                text = "" if value is None else json.dumps(value, ensure_ascii=False)
            else:
                text = "" if value is None else str(value)
            if widget.value != text and not widget.has_focus:
                widget.value = text
            if kind == "json" and prop is not None:
                status = self.query(f"#{field_id}-status")
                if status:
                    verdict = (
                        context.check_expression(value, prop.expr or "any")
                        if value is not None
                        else ""
                    )
                    status.first(Static).update(verdict)

    # -- building ----------------------------------------------------------------
    def _field_id(self, path: list[str], suffix: str = "") -> str:
        raw = f"g{self._generation}-f-" + "-".join(path) + (f"-{suffix}" if suffix else "")
        return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in raw)

    def _build(
        self, component: dict[str, Any], definition: ComponentDefinition, context: EditorContext
    ) -> list[Any]:
        widgets: list[Any] = [
            self._row(["id"], "id", Input(str(component.get("id", "")), compact=True))
        ]
        for binding in definition.bindings:
            current = (component.get("dataModelBindings") or {}).get(binding.key, "")
            fitting = [path for path, kind in context.model_fields if _fits(kind, binding.types)]
            hint = "/".join(binding.types) or "any type"
            field = Input(
                current if isinstance(current, str) else json.dumps(current),
                placeholder=f"model path ({hint})",
                compact=True,
                suggester=SuggestFromList(fitting, case_sensitive=False),
            )
            label = f"{binding.key}{' *' if binding.required else ''}"
            widgets.append(self._row(["dataModelBindings", binding.key], label, field, "binding"))
        for key in definition.text_keys:
            current = (component.get("textResourceBindings") or {}).get(key, "")
            widgets.append(
                self._row(
                    ["textResourceBindings", key],
                    f"text {key}",
                    Input(
                        current if isinstance(current, str) else json.dumps(current),
                        placeholder="text key",
                        compact=True,
                        suggester=SuggestFromList(sorted(context.text_values)),
                    ),
                    "text",
                )
            )
            if isinstance(current, str) and current:
                # Translations side by side; typing into them creates a new key's texts.
                known = context.text_values.get(current, {})
                for language in context.languages:
                    value = known.get(language) or ""
                    widget = Input(value, placeholder=f"missing {language}", compact=True)
                    widget.id = self._field_id(["textResourceBindings", key], language)
                    self._fields[widget.id] = ([current], f"translation:{language}", None)
                    widgets.append(Horizontal(Label(f"  {language}", classes="prop-label"), widget))
        for prop in definition.props:
            if prop.name in ("id", "type", "dataModelBindings", "textResourceBindings"):
                continue
            widgets.append(self._prop_row(prop, component.get(prop.name), context))
        return widgets

    def _row(self, path: list[str], label: str, field: Any, kind: str = "string") -> Horizontal:
        field.id = self._field_id(path)
        self._fields[field.id] = (path, kind, None)
        return Horizontal(Label(label, classes="prop-label"), field, classes="prop-row")

    def _prop_row(self, prop: Prop, value: Any, context: EditorContext) -> Any:
        path = [prop.name]
        label = prop.name + (" *" if prop.required else "")
        if prop.expr is not None or prop.kind in ("object", "array", "any"):
            text = "" if value is None else json.dumps(value, ensure_ascii=False)
            field = Input(text, placeholder=f"{prop.kind} or expression (JSON)", compact=True)
            row = self._row(path, label, field, "json")
            self._fields[field.id] = (path, "json", prop)
            verdict = (
                context.check_expression(value, prop.expr or "any") if value is not None else ""
            )
            status = Static(verdict, id=self._field_id(path, "status"), classes="expr-status")
            status.display = bool(verdict)
            return [row, status]
        if prop.enum or prop.kind == "boolean":
            choices = list(prop.enum) if prop.enum else [True, False]
            options = [
                (json.dumps(c) if not isinstance(c, str) else c, json.dumps(c)) for c in choices
            ]
            if value is not None and json.dumps(value) not in {v for _, v in options}:
                options.append((json.dumps(value), json.dumps(value)))
            selected = json.dumps(value) if value is not None else Select.NULL
            field = Select(options, value=selected, prompt=UNSET, allow_blank=True, compact=True)
            row = self._row(path, label, field, "choice")
            self._initial[field.id or ""] = selected
            self._choices[field.id or ""] = {v for _, v in options}
            return row
        field = Input(
            "" if value is None else str(value),
            placeholder=prop.description[:40] or prop.kind,
            compact=True,
            type="integer"
            if prop.kind == "integer"
            else "number"
            if prop.kind == "number"
            else "text",
        )
        return self._row(path, label, field, prop.kind)

    def mount_all(self, widgets: list[Any]) -> None:
        flat: list[Any] = []
        for widget in widgets:
            flat.extend(widget if isinstance(widget, list) else [widget])
        self.mount(*flat)

    # -- events ------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._emit(event.input.id or "", event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        entry = self._fields.get(event.input.id or "")
        if entry is None or entry[1] != "json" or entry[2] is None:
            return
        status = self.query(f"#{event.input.id}-status")
        if not status:
            return
        try:
            value = json.loads(event.value) if event.value.strip() else None
        except ValueError as exc:
            status.first(Static).update(f"[red]not valid JSON: {exc.msg}[/red]")
            status.first(Static).display = True
            return
        message = "" if value is None else self._check(value, entry[2])
        status.first(Static).update(message)
        status.first(Static).display = bool(message)

    def _check(self, value: Any, prop: Prop) -> str:
        if self._editor_context is None:
            return ""
        return self._editor_context.check_expression(value, prop.expr or "any")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        entry = self._fields.get(event.select.id or "")
        if entry is None or self._initial.get(event.select.id or "") == event.value:
            return
        self._initial[event.select.id or ""] = event.value
        blank = event.value in (Select.NULL, Select.BLANK) or not isinstance(event.value, str)
        value = None if blank else json.loads(str(event.value))
        self.post_message(self.Changed(self, entry[0], value))

    def _emit(self, field_id: str, raw: str) -> None:
        entry = self._fields.get(field_id)
        if entry is None:
            return
        path, kind, _ = entry
        if kind.startswith("translation:"):
            self.post_message(self.TextChanged(self, path[0], kind.split(":", 1)[1], raw))
            return
        text = raw.strip()
        value: Any
        if not text:
            value = None
        elif kind == "json":
            try:
                value = json.loads(text)
            except ValueError as exc:
                self.notify(f"{'.'.join(path)}: not valid JSON ({exc.msg})", severity="error")
                return
        elif kind == "integer":
            value = int(text)
        elif kind == "number":
            value = float(text) if "." in text or "e" in text.lower() else int(text)
        else:
            value = text
        self.post_message(self.Changed(self, path, value))


def _signature(component: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """What decides the editor's shape: the component and which text keys it names."""
    if component is None:
        return None
    texts = component.get("textResourceBindings")
    keys = tuple(sorted(texts.items())) if isinstance(texts, dict) else ()
    return (component.get("id"), component.get("type"), repr(keys))


def _fits(kind: str, accepted: tuple[str, ...]) -> bool:
    if not accepted:
        return True
    if kind in accepted:
        return True
    return kind == "integer" and "number" in accepted
