"""The designer's view of the expression language: a one-line verdict for an edited value."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from app_runtime.app import LayoutSet
from app_runtime.editing.workspace import AppWorkspace


def check_expression(
    workspace: AppWorkspace, layout_set: LayoutSet | None, value: Any, expected: str
) -> str:
    """Type-check `value` as an expression of type `expected` and say what it evaluates to
    on empty sample data; literals are checked against the expected type."""
    if not isinstance(value, list):
        return _literal_verdict(value, expected)
    from app_runtime.forms.expression_preview import describe_expression

    verdict = describe_expression(workspace.app, layout_set, value, expected)
    colour, mark = ("green", "✔") if verdict.ok else ("red", "✖")
    return f"[{colour}]{mark} {escape(verdict.text)}[/{colour}]"


def _literal_verdict(value: Any, expected: str) -> str:
    fits = {
        "boolean": isinstance(value, bool),
        "string": isinstance(value, str),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }.get(expected, True)
    if fits:
        return "[green]✔ literal[/green]"
    return f"[red]✖ expected a {expected} or an expression[/red]"
