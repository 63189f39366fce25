"""Everything an expression can read: data models, instance, settings, texts, arguments, and
the component contexts of a layout set for the current data.

One EvalState is one snapshot: contexts and hidden-ness are computed once and memoized, so a
full re-evaluation of a form creates a fresh state (cheap) and evaluates everything against it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from layouts.expressions.errors import ExpressionError
from layouts.expressions.tree import (
    ComponentContext,
    LayoutTree,
    PageInfo,
    build_contexts,
)
from layouts.expressions.values import cast_boolean, cast_string, describe, js_string

Evaluation = ComponentContext

_SEGMENT = re.compile(r"^([^\[\]]*)((?:\[\d+\])*)$")
_INDEX = re.compile(r"\[(\d+)\]")


@lru_cache(maxsize=4096)
def parse_path(path: str) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    """`a.b[1].c` as ((a, ()), (b, (1,)), (c, ())); None if the path is malformed."""
    segments: list[tuple[str, tuple[int, ...]]] = []
    for part in path.split("."):
        match = _SEGMENT.match(part)
        if match is None or match.group(1) == "":
            return None
        indexes = tuple(int(number) for number in _INDEX.findall(match.group(2)))
        segments.append((match.group(1), indexes))
    return tuple(segments)


def lookup(data: Any, path: str, rows: tuple[int, ...]) -> Any:
    """Read a dot path, filling unindexed arrays with the caller's row indices (outermost
    first) until an explicit index disagrees with them, as Altinn transposes bindings."""
    return lookup_segments(data, parse_path(path), rows)


def lookup_segments(
    data: Any, segments: tuple[tuple[str, tuple[int, ...]], ...] | None, rows: tuple[int, ...]
) -> Any:
    """`lookup` with the path already parsed (compiled expressions parse it once)."""
    if segments is None:
        return None
    current = data
    depth = 0
    transpose = True
    for key, indexes in segments:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
        if isinstance(current, list):
            if indexes:
                for index in indexes:
                    if not isinstance(current, list):
                        return None
                    if transpose and (depth >= len(rows) or rows[depth] != index):
                        transpose = False
                    depth += 1
                    current = current[index] if index < len(current) else None
            elif transpose and depth < len(rows):
                index = rows[depth]
                depth += 1
                current = current[index] if index < len(current) else None
        elif indexes:
            return None
    return current


@lru_cache(maxsize=65536)
def transpose(path: str, location: str) -> str:
    """Give `path` the row indices of `location` where their leading parts match: the parts
    are walked together while their names agree; an index in `location` is copied onto an
    unindexed part, and an index already in `path` stops the walk."""
    current_parts = location.split(".")
    subject_parts = path.split(".")
    for index, current_raw in enumerate(current_parts):
        if index >= len(subject_parts):
            break
        current_base, current_index = _split_index(current_raw)
        subject_base, subject_index = _split_index(subject_parts[index])
        if current_base != subject_base:
            break
        if current_index is None:
            continue
        if subject_index is not None:
            break
        subject_parts[index] = f"{subject_base}[{current_index}]"
    return ".".join(subject_parts)


def _split_index(raw: str) -> tuple[str, int | None]:
    start = raw.rfind("[")
    if start == -1 or not raw.endswith("]") or not raw[start + 1 : -1].isdigit():
        return raw, None
    return raw[:start], int(raw[start + 1 : -1])


@lru_cache(maxsize=65536)
def transposed_segments(path: str, location: str) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    return parse_path(transpose(path, location))


class EvalState:
    """The world an expression sees. Construct with keyword arguments; all are optional."""

    def __init__(
        self,
        *,
        tree: LayoutTree | None = None,
        models: Mapping[str, Any] | None = None,
        default_data_type: str = "default",
        data_element_counts: Mapping[str, int] | None = None,
        instance: Mapping[str, Any] | None = None,
        task_id: str | None = None,
        stateless: bool = False,
        frontend_settings: Mapping[str, Any] | None = None,
        texts: Mapping[str, Mapping[str, Any]] | None = None,
        language: str = "nb",
        positional_args: list[Any] | None = None,
        value_args: Mapping[str, Any] | None = None,
        permissions: Mapping[str, Any] | None = None,
        gateway_action: str | None = None,
        external_apis: Mapping[str, Any] | None = None,
        code_lists: Mapping[str, list[Any]] | None = None,
        attachments: list[Mapping[str, Any]] | None = None,
        local_zone: timezone = UTC,
    ) -> None:
        self.tree = tree or LayoutTree({})
        self.models = dict(models or {})
        self.default_data_type = default_data_type
        self.default_model = self.models.get(default_data_type)
        self.data_element_counts = dict(data_element_counts or {})
        self.instance = instance
        self.task_id = task_id
        self.stateless = stateless
        self.frontend_settings = dict(frontend_settings or {})
        self.texts = dict(texts or {})
        self.language = language or "nb"
        self.positional_args = positional_args
        self.value_args = value_args
        self.permissions = permissions
        self.gateway_action = gateway_action
        self.external_apis = dict(external_apis or {})
        self.code_lists = dict(code_lists or {})
        self.attachments = list(attachments or [])
        self.local_zone = local_zone
        self._pages: list[ComponentContext] | None = None
        self._index: dict[str, list[ComponentContext]] | None = None
        self._exact: dict[tuple[str, tuple[int, ...]], ComponentContext] = {}

    # --- contexts ---------------------------------------------------------------------------

    @property
    def pages(self) -> list[ComponentContext]:
        if self._pages is None:
            self._pages = build_contexts(self, self.tree)
        return self._pages

    @property
    def index(self) -> dict[str, list[ComponentContext]]:
        if self._index is None:
            index: dict[str, list[ComponentContext]] = {}
            exact = self._exact
            for page in self.pages:
                for context in page.walk():
                    info = context.component
                    if info is not None and not context.is_row:
                        index.setdefault(info.id, []).append(context)
                        exact.setdefault((info.id, context.row_indices), context)
            self._index = index
        return self._index

    def all_contexts(self) -> list[ComponentContext]:
        """Every component context (not pages, not rows), in tree order."""
        return [
            context
            for page in self.pages
            for context in page.walk()
            if context.component is not None and not context.is_row
        ]

    def context_for(
        self,
        component_id: str | None = None,
        page: str | None = None,
        row_indices: tuple[int, ...] | list[int] = (),
    ) -> ComponentContext:
        """The context to evaluate in: a component (in a row), a page, or the first page."""
        rows = tuple(row_indices)
        if component_id is not None:
            for context in self.index.get(component_id, ()):
                if context.row_indices == rows:
                    return context
            for context in self.pages:
                if context.page.name == component_id and not rows:
                    return context
        pages = self.pages
        for context in pages:
            if context.page.name == page:
                if component_id is None and not rows:
                    return context
                return ComponentContext(self, None, context.page, rows, context)
        if page is not None:
            return ComponentContext(self, None, PageInfo(page, {}), rows, None)
        if pages:
            first = pages[0]
            return first if not rows else ComponentContext(self, None, first.page, rows, first)
        return ComponentContext(self, None, PageInfo("", {}), rows, None)

    def row_count(self, binding: tuple[str | None, str] | None, context: ComponentContext) -> int:
        """Rows of a repeating group: the length of its bound array (transposed to `context`)."""
        if binding is None:
            return 0
        data_type, path = binding
        try:
            value = self.data_value(path, data_type, context)
        except ExpressionError:
            return 0
        return len(value) if isinstance(value, list) else 0

    def group_path(
        self, binding: tuple[str | None, str] | None, context: ComponentContext
    ) -> tuple[str | None, str] | None:
        """A repeating group's binding transposed to `context` (its rows' location base)."""
        if binding is None:
            return None
        data_type, path = binding
        if context.location is not None and self._same_type(data_type, context.location_type):
            path = transpose(path, context.location)
        return data_type, path

    def _same_type(self, first: str | None, second: str | None) -> bool:
        default = self.default_data_type
        return (first or default) == (second or default)

    def eval_property(
        self, cache: dict[str, Any], key: str, raw: Any, context: ComponentContext
    ) -> bool:
        """A boolean layout property (hidden, hiddenRow) evaluated in `context`."""
        if raw is None or isinstance(raw, bool):
            return bool(raw)
        try:
            compiled = cache.get(key)
            if compiled is None:
                from layouts.expressions.evaluate import compile_expression

                compiled = compile_expression(raw)
                cache[key] = compiled
            return cast_boolean(compiled(context)) is True
        except ExpressionError as error:
            # The pointer belongs to the other expression; the caller marks its own node.
            where = f" at {error.pointer}" if error.pointer else ""
            raise ExpressionError(
                error.message,
                hint=f"while evaluating {key} of {context.id}{where} (page {context.page.name})",
            ) from None

    # --- data -------------------------------------------------------------------------------

    def model(self, data_type: str | None) -> Any:
        key = self.default_data_type if data_type is None else data_type
        if key not in self.models:
            if data_type is None:
                return None
            raise ExpressionError(f"Data model with type {data_type} not found")
        return self.models[key]

    def data_value(self, path: str, data_type: str | None, context: ComponentContext | None) -> Any:
        """A data-model read from `context`: inside a repeating-group row the path is
        transposed onto the row's location (same data type only), as Altinn does. Contexts
        that only know row indices (no group binding) fill unindexed arrays by position."""
        model = self.model(data_type)
        if context is None:
            return lookup(model, path, ())
        location = context.location
        if location is not None:
            if not self._same_type(data_type, context.location_type):
                return lookup(model, path, ())
            return lookup_segments(model, transposed_segments(path, location), ())
        return lookup(model, path, context.row_indices)

    def component_target(self, context: ComponentContext, component_id: str) -> ComponentContext:
        """The context of `component_id` reachable from `context`: the one whose row indices
        are the longest prefix of the caller's, and (inside repeating groups) whose row
        location is the caller's own row or an enclosing one. A component inside a repeating
        group is thus only found from within the same row of a group over the same data."""
        rows = context.row_indices
        if self._index is None:
            self.index  # noqa: B018 - builds the exact-position table
        exact = self._exact
        for length in range(len(rows), -1, -1):
            target = exact.get((component_id, rows[:length] if length < len(rows) else rows))
            if target is not None and _encloses(target.location, context.location):
                return target
        if component_id in self.tree.components:
            raise ExpressionError(
                f"Unable to find component with identifier {component_id} in the current "
                "context. This component exists inside a repeating group structure, but is not "
                "sibling or parent in relation this expression."
            )
        raise ExpressionError(f"Unable to find component with identifier {component_id}")

    def component_value(self, context: ComponentContext, component_id: str | None) -> Any:
        if component_id is None:
            raise ExpressionError("Cannot lookup component null")
        info = self.tree.components.get(component_id)
        if info is None:
            raise ExpressionError(f"Unable to find component with identifier {component_id}")
        binding = info.simple_binding
        if binding is None:
            raise ExpressionError(f"Component {component_id} does not have a simpleBinding")
        target = self.component_target(context, component_id)
        if target.is_hidden():
            return None
        data_type, path = binding
        return self.data_value(path, data_type, context)

    # --- instance, settings, arguments ------------------------------------------------------

    def instance_context(self, key: str | None) -> Any:
        known = (
            "instanceId",
            "appId",
            "instanceOwnerPartyId",
            "instanceOwnerPartyType",
            "instanceOwnerName",
        )
        if key not in known:
            raise ExpressionError(f"Unknown Instance context property {key}")
        instance = self.instance
        if not isinstance(instance, Mapping):
            return None
        owner = instance.get("instanceOwner")
        owner = owner if isinstance(owner, Mapping) else {}
        if key == "instanceId":
            return instance.get("id")
        if key == "appId":
            return instance.get("appId")
        if key == "instanceOwnerPartyId":
            party_id = owner.get("partyId", instance.get("instanceOwnerPartyId"))
            return None if party_id is None else str(party_id)
        if key == "instanceOwnerName":
            party = owner.get("party")
            return party.get("name") if isinstance(party, Mapping) else None
        if owner.get("organisationNumber"):
            return "org"
        if owner.get("personNumber"):
            return "person"
        if owner.get("username"):
            return "selfIdentified"
        return "unknown"

    def frontend_setting(self, key: str | None) -> Any:
        if key is None:
            raise ExpressionError("Value cannot be null. (Parameter 'key')")
        return self.frontend_settings.get(key)

    def auth_context(self, key: str | None) -> bool | None:
        if key is None:
            raise ExpressionError("Auth context key cannot be null")
        permissions = self.permissions if isinstance(self.permissions, Mapping) else {}
        actions = permissions.get("actions")
        known: dict[str, Any] = {
            "read": permissions.get("read"),
            "write": permissions.get("write"),
            **(dict(actions) if isinstance(actions, Mapping) else {}),
        }
        if key not in known:
            raise ExpressionError(
                f"Unknown Auth context property {key} for task {self.task_id or 'unknown'} "
                f"(allowed keys are {{{', '.join(known)}}})"
            )
        return bool(known[key])

    def count_data_elements(self, data_type: str | None) -> int:
        return int(self.data_element_counts.get(data_type or "", 0))

    def positional_argument(self, index: Any) -> Any:
        if not self.positional_args:
            raise ExpressionError("No positional arguments available")
        if index is None or not 0 <= index < len(self.positional_args):
            raise ExpressionError(f"Index {describe(index)} out of range")
        if index != int(index):
            return None  # a fractional index names no argument
        return self.positional_args[int(index)]

    def value_argument(self, key: str | None) -> Any:
        if not isinstance(self.value_args, Mapping):
            raise ExpressionError("No value arguments available")
        data = self.value_args.get("data")
        if key is None:
            key = self.value_args.get("defaultKey")
        if not isinstance(key, str) or not key:
            raise ExpressionError(
                f"Invalid key (expected string, got {'null' if not key else type(key).__name__})"
            )
        data = data if isinstance(data, Mapping) else {}
        if key not in data:
            raise ExpressionError(f"Unknown key {key}, Valid keys are: {', '.join(data)}")
        return data[key]

    def external_api(self, api_id: str | None, path: str | None) -> Any:
        """A dot/bracket path into an external API's result; only scalars come back (as
        strings), empty or missing values and structures read as null."""
        if not path:
            return None
        current: Any = self.external_apis.get(api_id or "")
        if isinstance(current, (Mapping, list)):
            for part in re.split(r"\.|\[(\d+)\]", path):
                if part is None or part == "":
                    continue
                if isinstance(current, list) and part.isdigit():
                    index = int(part)
                    current = current[index] if index < len(current) else None
                elif isinstance(current, Mapping):
                    current = current.get(part)
                else:
                    current = None
                    break
        if not current or isinstance(current, (Mapping, list)):
            return None
        return cast_string(current) if not isinstance(current, str) else current

    # --- texts, options, presentation -------------------------------------------------------

    def text(self, key: str, context: ComponentContext | None) -> str:
        from layouts.expressions.present import resolve_text

        return resolve_text(self, key, context)

    def display_value(self, context: ComponentContext, component_id: str | None) -> str | None:
        from layouts.expressions.present import display_value

        return display_value(self, context, component_id)

    def option_label(self, context: ComponentContext, options_id: str | None, value: Any) -> Any:
        options = self.code_lists.get(options_id or "")
        if options is None:
            raise ExpressionError(f'Could not find options with id "{options_id}"')
        wanted = _option_value(value)
        for option in options:
            if isinstance(option, Mapping) and _loosely_equal(option.get("value"), value, wanted):
                label = option.get("label")
                return self.text(label, context) if isinstance(label, str) else label
        return None

    def _link_base(self) -> str:
        """`/instance/<id>/<task>` when both are known (stateless apps link to the page)."""
        instance_id = self.instance.get("id") if isinstance(self.instance, Mapping) else None
        if self.stateless or not instance_id or not self.task_id:
            return ""
        parts = [quote(str(part), safe="") for part in str(instance_id).split("/")]
        return f"/instance/{'/'.join(parts)}/{quote(self.task_id, safe='')}"

    def link_to_page(self, context: ComponentContext, text: str, page: str, back: bool) -> str:
        href = f"{self._link_base()}/{quote(page, safe='')}"
        current = context.page.name
        if back and current and current != page:
            href += f"?backToPage={quote(current, safe='')}"
        return _anchor(href, "LinkToPotentialPage", text)

    def link_to_component(
        self, context: ComponentContext, text: str, component_id: str, back: bool
    ) -> str:
        info = self.tree.components.get(component_id)
        if info is None:
            raise ExpressionError(f"Unable to find component with identifier {component_id}")
        target = self.component_target(context, component_id)
        focus = component_id + "".join(f"-{row}" for row in target.row_indices)
        href = f"{self._link_base()}/{quote(info.page, safe='')}"
        href += f"?focusComponentId={quote(focus, safe='')}"
        current = context.page.name
        if back and current and current != info.page:
            href += f"&backToPage={quote(current, safe='')}"
        return _anchor(href, "LinkToPotentialNode", text)


def _encloses(target: str | None, caller: str | None) -> bool:
    """Whether a row location `target` is the caller's row or encloses it (no location: the
    target is outside repeating groups, or the caller only knows its row indices)."""
    if target is None or caller is None:
        return True
    return caller == target or caller.startswith(target + ".")


def _option_value(value: Any) -> str | None:
    if isinstance(value, (list, dict)) or value is None:
        return None
    return js_string(value)


def _loosely_equal(option_value: Any, value: Any, wanted: str | None) -> bool:
    """JavaScript `==` between an option value and a looked-up value, for scalars."""
    if option_value is None or value is None:
        return option_value is None and value is None
    if isinstance(option_value, bool) or isinstance(value, bool):
        return js_string(option_value) == wanted or option_value == value
    return _option_value(option_value) == wanted


def _anchor(href: str, kind: str, text: str | None) -> str:
    return f'<a href="{href}" data-link-type="{kind}">{html.escape(text or "", quote=False)}</a>'
