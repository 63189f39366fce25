"""Altinn's shared expression test-case format (see altinn-formats.md section 4): turning a
case file into an evaluation state and running it.

Used by the conformance tests and by `studio expr --case FILE`, so a case can be replayed by
hand. Nothing here knows any particular case; it only maps the documented file keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from layouts.expressions.errors import ExpressionError, LayoutTreeError
from layouts.expressions.evaluate import compile_expression, evaluate
from layouts.expressions.state import EvalState
from layouts.expressions.tree import ComponentContext, LayoutTree
from layouts.expressions.values import is_number, to_json

DEFAULT_TASK = "Task_1"
"""The task Altinn's own test harness runs cases in when a case names no process."""


def state_from_case(case: Mapping[str, Any]) -> EvalState:
    """An EvalState holding everything a case file provides."""
    layouts = case.get("layouts")
    tree = LayoutTree(layouts if isinstance(layouts, Mapping) else {})
    models: dict[str, Any] = {}
    elements: dict[str, str] = {}  # data element id -> data type, counted once each
    if "dataModel" in case:
        models["default"] = case["dataModel"]
    for number, entry in enumerate(case.get("dataModels") or ()):
        element = entry.get("dataElement") if isinstance(entry, Mapping) else None
        data_type = element.get("dataType") if isinstance(element, Mapping) else None
        if not isinstance(data_type, str):
            continue
        models.setdefault(data_type, entry.get("data"))
        elements[str(element.get("id", f"model-{number}"))] = data_type
    attachments = [
        element for element in case.get("instanceDataElements") or () if isinstance(element, dict)
    ]
    instance = case.get("instance")
    listed = instance.get("data") if isinstance(instance, Mapping) else None
    for number, element in enumerate([*attachments, *(listed if isinstance(listed, list) else [])]):
        if isinstance(element, Mapping) and isinstance(element.get("dataType"), str):
            elements.setdefault(str(element.get("id", f"element-{number}")), element["dataType"])
    counts: dict[str, int] = {}
    for data_type in elements.values():
        counts[data_type] = counts.get(data_type, 0) + 1
    if not case.get("stateless") and "default" not in counts:
        counts["default"] = 1  # every instance in Altinn's harness has its default data element
    process = case.get("process")
    task = None
    if isinstance(process, Mapping) and isinstance(process.get("currentTask"), Mapping):
        task = process["currentTask"].get("elementId")
    texts = {
        resource["id"]: resource
        for resource in case.get("textResources") or ()
        if isinstance(resource, Mapping) and isinstance(resource.get("id"), str)
    }
    profile = case.get("profileSettings")
    language = profile.get("language") if isinstance(profile, Mapping) else None
    external = case.get("externalApis")
    return EvalState(
        tree=tree,
        models=models,
        default_data_type="default",
        data_element_counts=counts,
        instance=case.get("instance"),
        task_id=task or DEFAULT_TASK,
        stateless=bool(case.get("stateless")),
        frontend_settings=case.get("frontendSettings") or {},
        texts=texts,
        language=language or "nb",
        positional_args=case.get("positionalArguments"),
        value_args=case.get("valueArguments"),
        permissions=case.get("permissions"),
        gateway_action=case.get("gatewayAction"),
        external_apis=external.get("data") if isinstance(external, Mapping) else None,
        code_lists=case.get("codeLists"),
        attachments=attachments,
    )


def context_from_case(state: EvalState, case: Mapping[str, Any]) -> ComponentContext:
    context = case.get("context")
    if not isinstance(context, Mapping):
        return state.context_for()
    return state.context_for(
        context.get("component"), context.get("currentLayout"), context.get("rowIndices") or ()
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What running one case gave: a value, or an error message."""

    value: Any = None
    error: str | None = None


def run_case(case: Mapping[str, Any], expression: Any, *, compiled: bool = True) -> Outcome:
    """Build the case's state, evaluate `expression` in its context, report value or error."""
    try:
        state = state_from_case(case)
        context = context_from_case(state, case)
        if compiled:
            value = compile_expression(expression)(context)
        else:
            value = evaluate(expression, state, context)
        return Outcome(to_json(value))
    except (ExpressionError, LayoutTreeError) as error:
        return Outcome(error=error.message)


def same_value(actual: Any, expected: Any) -> bool:
    """JSON equality with numbers compared as doubles and booleans never equal to numbers."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if is_number(expected) or is_number(actual):
        if not (is_number(expected) and is_number(actual)):
            return False
        return float(actual) == float(expected)  # Altinn's runners compare doubles
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same_value(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same_value(actual[key], expected[key]) for key in expected)
        )
    return actual == expected


def failure_matches(message: str, expected: str) -> bool:
    """Altinn's runners match the expected failure as a substring (`*` marks wildcards)."""
    return all(part in message for part in expected.split("*") if part)


def normalize_contexts(contexts: Any) -> Any:
    """Expected-context JSON with empty children/rowIndices dropped and keys in one order."""
    result = []
    for context in contexts or ():
        item: dict[str, Any] = {
            "component": context.get("component"),
            "currentLayout": context.get("currentLayout"),
        }
        if context.get("rowIndices"):
            item["rowIndices"] = list(context["rowIndices"])
        children = normalize_contexts(context.get("children"))
        if children:
            item["children"] = children
        result.append(item)
    return result


def case_expressions(case: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The runnable cases of a file: the top-level expression (if any) and every testCases item."""
    items: list[tuple[str, Mapping[str, Any]]] = []
    if "expression" in case:
        items.append((str(case.get("name", "")), case))
    for index, sub in enumerate(case.get("testCases") or ()):
        if isinstance(sub, Mapping) and "expression" in sub:
            items.append((str(sub.get("name") or f"testCases[{index}]"), sub))
    return items
