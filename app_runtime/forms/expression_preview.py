"""A one-line verdict on an expression being edited: does it parse and type-check, and what
does it give on the form's current (empty) data? The designer shows it under the field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app_runtime.app import App, LayoutSet
from app_runtime.forms.page_view import FormState
from layouts.expressions import ExpressionError, compile_expression, parse, to_json, type_name
from layouts.expressions.typecheck import TypeEnvironment, check_expression


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str


def describe_expression(
    app: App, layout_set: LayoutSet | None, value: Any, expected: str
) -> Verdict:
    """Parse, type-check and sample-evaluate `value` as an expression returning `expected`."""
    try:
        parse(value)
    except ExpressionError as exc:
        return Verdict(False, f"{exc.message} at {exc.pointer or '/'}")
    problems = _type_problems(app, layout_set, value, expected)
    if problems:
        return Verdict(False, problems[0])
    if layout_set is None:
        return Verdict(True, "valid expression")
    form = FormState(app, layout_set)
    state = form.state()
    context = state.context_for()
    try:
        result = compile_expression(value, expected if expected != "any" else None)(context)
    except ExpressionError as exc:
        return Verdict(False, f"on empty data: {exc.message}")
    shown = json.dumps(to_json(result), ensure_ascii=False)
    return Verdict(True, f"on empty data: {shown} ({type_name(result)})")


def _type_problems(app: App, layout_set: LayoutSet | None, value: Any, expected: str) -> list[str]:
    """Messages from the static type-checker, with the layout set's component ids known."""
    env = TypeEnvironment()
    if layout_set is not None:
        env.component_ids = {str(c.get("id")) for _, _, c in layout_set.components()}
    result = check_expression(value, expected, env)
    return [f"{issue.message} at {issue.pointer or '/'}" for issue in result.issues if issue.error]
