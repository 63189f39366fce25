"""Evaluate one page of a layout set against data: what shows, labelled how, with which
value, and whether it is required or read-only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app_runtime.app import App, LayoutSet
from layouts.expressions import EvalState, ExpressionError, LayoutTree, compile_expression
from layouts.expressions.tree import ComponentContext

_INDEXED = re.compile(r"^(.*)\[(\d+)\]$")


@dataclass(frozen=True)
class FieldView:
    """One component as shown on a page (in a given repeating-group row)."""

    component_id: str
    type: str
    depth: int
    row_indices: tuple[int, ...]
    label: str
    value: Any
    data_type: str | None
    path: str | None
    required: bool
    read_only: bool
    is_container: bool
    error: str = ""


def concrete_path(path: str, groups: list[tuple[str, int]]) -> str:
    """`people.name` inside row 2 of the `people` group -> `people[2].name` (nested groups
    outermost first), the way Altinn transposes bindings into rows."""
    for group_path, row in groups:
        plain = re.sub(r"\[\d+\]", "", group_path)
        if path == plain or path.startswith(plain + "."):
            path = f"{group_path}[{row}]{path[len(plain) :]}"
    return path


def write_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value at a dotted path with `[n]` indexes, creating objects and rows as needed."""
    parts = path.split(".")
    node: Any = data
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        match = _INDEXED.match(part)
        key, index = (match.group(1), int(match.group(2))) if match else (part, None)
        if index is None:
            if last:
                node[key] = value
                return
            node = node.setdefault(key, {})
            continue
        rows = node.setdefault(key, [])
        while len(rows) <= index:
            rows.append({})
        if last:
            rows[index] = value
            return
        node = rows[index]


class FormState:
    """A layout set with its data in one language; `view(page)` evaluates a page afresh."""

    def __init__(self, app: App, layout_set: LayoutSet, language: str = "nb") -> None:
        self.app = app
        self.layout_set = layout_set
        self.language = language
        self.data_type = layout_set.data_type or "default"
        self.models: dict[str, Any] = {self.data_type: {}}
        self.layouts = {page: doc.data for page, doc in layout_set.pages.items()}
        self.tree = LayoutTree(self.layouts, strict=False)
        self._compiled: dict[tuple[str, str], Any] = {}

    @property
    def data(self) -> dict[str, Any]:
        return self.models[self.data_type]

    def _texts(self) -> dict[str, Mapping[str, Any]]:
        return {key: entry for key, (_, entry) in self.app.text_resources(self.language).items()}

    def state(self) -> EvalState:
        return EvalState(
            tree=self.tree,
            models=self.models,
            default_data_type=self.data_type,
            frontend_settings=self.app.frontend_settings,
            texts=self._texts(),
            language=self.language,
            code_lists=self._code_lists(),
        )

    def _code_lists(self) -> dict[str, list[Any]]:
        """Static option lists, for optionLabel and displayValue."""
        return {
            key: document.data
            for key, document in self.app.options.items()
            if isinstance(document.data, list)
        }

    def pages(self) -> list[str]:
        return list(self.layouts)

    def visible_pages(self) -> list[str]:
        state = self.state()
        return [c.page.name for c in state.pages if not c.is_hidden()]

    def set_value(self, path: str, value: Any, data_type: str | None = None) -> None:
        write_path(self.models.setdefault(data_type or self.data_type, {}), path, value)

    def view(self, page: str) -> list[FieldView]:
        state = self.state()
        for context in state.pages:
            if context.page.name == page:
                rows: list[FieldView] = []
                for child in context.children:
                    self._walk(state, child, 0, [], rows)
                return rows
        return []

    def _walk(
        self,
        state: EvalState,
        context: ComponentContext,
        depth: int,
        groups: list[tuple[str, int]],
        out: list[FieldView],
    ) -> None:
        if context.is_row:
            info = context.parent.component if context.parent else None
            binding = info.group_binding if info else None
            row_groups = groups
            if binding is not None:
                row_groups = [*groups, (concrete_path(binding[1], groups), context.row_indices[-1])]
            for child in context.children:
                self._walk(state, child, depth, row_groups, out)
            return
        if context.is_hidden():
            return
        out.append(self._field(state, context, depth, groups))
        for child in context.children:
            self._walk(state, child, depth + 1, groups, out)

    def _field(
        self, state: EvalState, context: ComponentContext, depth: int, groups: list[tuple[str, int]]
    ) -> FieldView:
        info = context.component
        assert info is not None
        raw = info.json
        error = ""
        binding = info.binding("simpleBinding")
        data_type, path, value = None, None, None
        if binding is not None:
            data_type, field = binding
            path = concrete_path(field, groups)
            try:
                value = state.data_value(field, data_type, context)
            except ExpressionError as exc:
                error = exc.message
        required, problem = self._boolean(info.id, "required", raw.get("required"), context)
        read_only, problem2 = self._boolean(info.id, "readOnly", raw.get("readOnly"), context)
        bindings = raw.get("textResourceBindings")
        title = bindings.get("title") if isinstance(bindings, Mapping) else None
        label = self._text(title, context) if title is not None else ""
        return FieldView(
            component_id=info.id,
            type=info.type,
            depth=depth,
            row_indices=context.row_indices,
            label=label,
            value=value,
            data_type=data_type,
            path=path,
            required=required,
            read_only=read_only,
            is_container=bool(info.children),
            error=error or problem or problem2,
        )

    def _boolean(
        self, component_id: str, name: str, raw: Any, context: ComponentContext
    ) -> tuple[bool, str]:
        if raw is None or isinstance(raw, bool):
            return bool(raw), ""
        key = (component_id, name)
        try:
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = self._compiled[key] = compile_expression(raw, "boolean")
            return compiled(context) is True, ""
        except ExpressionError as exc:
            return False, f"{name}: {exc.message}"

    def _text(self, raw: Any, context: ComponentContext) -> str:
        if isinstance(raw, str):
            return context.state.text(raw, context)
        try:
            value = compile_expression(raw, "string")(context)
        except ExpressionError as exc:
            return f"({exc.message})"
        return "" if value is None else str(value)
