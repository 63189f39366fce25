"""Presentation lookups: text resources with variables, and components' display values.

These are what `text`, `optionLabel` and `displayValue` read. They live apart from the core
evaluator because they know about individual component types and text-resource variables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from layouts.expressions import dates
from layouts.expressions.errors import ExpressionError
from layouts.expressions.values import cast_string, is_number, js_number

if TYPE_CHECKING:
    from layouts.expressions.state import EvalState
    from layouts.expressions.tree import ComponentContext

_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def resolve_text(state: EvalState, key: str, context: ComponentContext | None) -> str:
    """A text resource with its `{n}` variables filled in; an unknown key is returned as is."""
    resource = state.texts.get(key)
    if resource is None:
        return key
    value = resource.get("value")
    if not isinstance(value, str):
        return key
    variables = resource.get("variables")
    if not isinstance(variables, list) or not variables:
        return value
    filled = [_variable(state, variable, context) for variable in variables]

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return filled[index] if index < len(filled) else match.group(0)

    return _PLACEHOLDER.sub(replace, value)


def _variable(state: EvalState, variable: Any, context: ComponentContext | None) -> str:
    if not isinstance(variable, Mapping):
        return ""
    key = variable.get("key")
    key = key if isinstance(key, str) else ""
    source = variable.get("dataSource")
    default = variable.get("defaultValue")
    value: Any = None
    if isinstance(source, str) and source.startswith("dataModel."):
        data_type = source[len("dataModel.") :]
        data_type = state.default_data_type if data_type == "default" else data_type
        rows = context.row_indices if context is not None else ()
        path = _PLACEHOLDER.sub(
            lambda m: str(rows[int(m.group(1))]) if int(m.group(1)) < len(rows) else m.group(0),
            key,
        )
        if data_type in state.models:
            value = state.data_value(path, data_type, context)
    elif source == "applicationSettings":
        value = state.frontend_settings.get(key)
    elif source == "instanceContext":
        try:
            value = state.instance_context(key)
        except ExpressionError:
            value = None
    if value is None or isinstance(value, (list, dict)):
        return default if isinstance(default, str) else key
    return cast_string(value) or ""


def _text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return js_number(value)
    if isinstance(value, str):
        return value
    return ""


def display_value(
    state: EvalState, context: ComponentContext, component_id: str | None
) -> str | None:
    """The text a component shows for its value, per component type (what a summary shows)."""
    if component_id is None:
        raise ExpressionError("Cannot lookup component null")
    if component_id not in state.tree.components:
        raise ExpressionError(f"Unable to find component with identifier {component_id}")
    target = state.component_target(context, component_id)
    info = target.component
    assert info is not None
    kind = info.definition.display if info.definition is not None else None
    if target.is_hidden():
        return None

    def bound(key: str) -> Any:
        binding = info.binding(key)
        if binding is None:
            return None
        return state.data_value(binding[1], binding[0], context)

    raw = info.json
    if kind == "number-input":
        return _format_number_input(bound("simpleBinding"), raw)
    if kind == "text":
        return _text_value(bound("simpleBinding"))
    if kind == "options-multi":
        value = bound("simpleBinding")
        values = value if isinstance(value, list) else _text_value(value).split(",")
        labels = [_label(state, target, raw, _text_value(item).strip()) for item in values]
        return ", ".join(label for label in labels if label)
    if kind in ("options-single", "likert"):
        value = (
            bound("simpleBinding")
            if kind == "options-single"
            else (bound("answer") if bound("answer") is not None else bound("simpleBinding"))
        )
        return _label(state, target, raw, _text_value(value))
    if kind == "date":
        return _format_date_value(state, bound("simpleBinding"), raw)
    if kind == "address":
        keys = ("careOf", "address", "houseNumber", "zipCode", "postPlace")
        parts = [_text_value(bound(key)) for key in keys]
        return " ".join(part for part in parts if part)
    if kind in ("value-text", "value-number", "value-date", "value-option"):
        value = _evaluate_value(raw.get("value"), target)
        if kind == "value-option":
            return _label(state, target, raw, _text_value(value))
        if kind == "value-date":
            return _format_date_value(state, value, raw)
        if kind == "value-number":
            return _format_number_input(value, raw)
        return _text_value(value)
    if kind == "map":
        parts = _text_value(bound("simpleBinding")).split(",")
        if len(parts) == 2 and all(_is_float(part) for part in parts):
            return f"{parts[0].strip()}, {parts[1].strip()}"
        return ""
    if kind == "attachments":
        names = [
            str(element.get("filename"))
            for element in state.attachments
            if isinstance(element, Mapping) and element.get("dataType") == info.id
        ]
        return ", ".join(names)
    if kind == "list":
        summary = raw.get("bindingToShowInSummary")
        if isinstance(summary, str):
            return _text_value(state.data_value(summary, None, context))
    if kind == "person-lookup":
        parts = [_text_value(bound("person_lookup_ssn")), _text_value(bound("person_lookup_name"))]
        return ", ".join(part for part in parts if part)
    if kind == "organisation-lookup":
        parts = [
            _text_value(bound("organisation_lookup_orgnr") or bound("organization_lookup_orgnr")),
            _text_value(bound("organisation_lookup_name") or bound("organization_lookup_name")),
        ]
        return ", ".join(part for part in parts if part)
    if kind == "bindings":
        bindings = raw.get("dataModelBindings")
        if isinstance(bindings, Mapping):
            values = [_text_value(bound(key)) for key in bindings]
            return ", ".join(value for value in values if value)
        return ""
    raise ExpressionError(f"Component of type '{info.type}' does not have a displayValue")


DATEPICKER_FORMAT = "dd.MM.yyyy"
"""The Datepicker's default display format."""


def _format_date_value(state: EvalState, value: Any, raw: Mapping[str, Any]) -> str:
    if value in (None, ""):
        return ""
    pattern = raw.get("format") if isinstance(raw.get("format"), str) else DATEPICKER_FORMAT
    try:
        parsed = dates.parse_date(_text_value(value))
    except ExpressionError:
        return _text_value(value)
    return dates.format_date(parsed, pattern, state.language, state.local_zone)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _evaluate_value(raw: Any, context: ComponentContext) -> Any:
    if isinstance(raw, list):
        from layouts.expressions.evaluate import compile_expression

        cache = context.component.compiled if context.component is not None else {}
        compiled = cache.get("value")
        if compiled is None:
            compiled = compile_expression(raw)
            cache["value"] = compiled
        return compiled(context)
    return raw


def _label(state: EvalState, context: ComponentContext, raw: Mapping[str, Any], value: str) -> str:
    options = raw.get("options")
    if not isinstance(options, list):
        options_id = raw.get("optionsId")
        options = state.code_lists.get(options_id) if isinstance(options_id, str) else None
    for option in options or ():
        if isinstance(option, Mapping) and _text_value(option.get("value")) == value:
            label = option.get("label")
            return resolve_text(state, label, context) if isinstance(label, str) else value
    return value


def _format_number_input(value: Any, raw: Mapping[str, Any]) -> str:
    text = _text_value(value)
    formatting = raw.get("formatting")
    number = formatting.get("number") if isinstance(formatting, Mapping) else None
    if not isinstance(number, Mapping) or text == "":
        return text
    separator = number.get("thousandSeparator")
    decimal = number.get("decimalSeparator")
    whole, dot, fraction = text.partition(".")
    if separator:
        sep = " " if separator is True else str(separator)
        sign = "-" if whole.startswith("-") else ""
        digits = whole.lstrip("-")
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        whole = sign + sep.join(groups)
    if dot and isinstance(decimal, str):
        dot = decimal
    prefix = number.get("prefix") if isinstance(number.get("prefix"), str) else ""
    suffix = number.get("suffix") if isinstance(number.get("suffix"), str) else ""
    return f"{prefix}{whole}{dot}{fraction}{suffix}"
