"""`studio expr 'EXPR' --app APP [--data data.json] [--component ID --row 0] [--lang nb]`.

Evaluates one expression against an app's layout set (component tree, texts, options,
frontend settings) and a data file, and prints the value with its type, or the error with the
JSON pointer of the failing node. Static type-check findings are printed as warnings first.
Exit codes: 0 evaluated, 1 the expression failed, 2 unusable input (bad JSON, app, data file,
unknown component or layout set).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from layouts.expressions import (
    EvalState,
    ExpressionError,
    LayoutTree,
    LayoutTreeError,
    compile_expression,
    to_json,
    type_name,
)
from layouts.expressions.cases import context_from_case, state_from_case
from layouts.expressions.typecheck import TypeEnvironment, check_expression


class InputProblem(Exception):
    """Input that makes evaluation impossible (exit code 2)."""


@click.command(name="expr")
@click.argument("expression")
@click.option("--app", "app_path", type=click.Path(), help="The app folder (holding App/).")
@click.option("--layout-set", "layout_set_id", help="Layout set id (default: the first).")
@click.option("--data", "data_path", type=click.Path(dir_okay=False), help="Form data (JSON).")
@click.option("--component", "component_id", help="Evaluate in this component's context.")
@click.option(
    "--row", "rows", type=int, multiple=True, help="Repeating-group row index; repeat for nesting."
)
@click.option("--lang", "language", default="nb", show_default=True, help="Language code.")
@click.option("--arg", "positional", multiple=True, help="Positional argument for argv.")
@click.option(
    "--case",
    "case_path",
    type=click.Path(dir_okay=False),
    help="Evaluate in the world of an Altinn shared expression test case file (instead of --app).",
)
def command(
    expression: str,
    app_path: str | None,
    layout_set_id: str | None,
    data_path: str | None,
    component_id: str | None,
    rows: tuple[int, ...],
    language: str,
    positional: tuple[str, ...],
    case_path: str | None,
) -> None:
    """Evaluate an expression against an app and print its value and type."""
    try:
        source = _parse_json(expression, "the expression")
        if case_path is not None:
            state, component_ids, data_types = _case_state(case_path)
            context = (
                _context(state, component_id, rows)
                if component_id
                else context_from_case(state, _case(case_path))
            )
        else:
            state, component_ids, data_types = _build_state(
                app_path, layout_set_id, data_path, language, list(positional) or None
            )
            context = _context(state, component_id, rows)
    except InputProblem as problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    env = TypeEnvironment(component_ids=component_ids, data_types=data_types)
    for issue in check_expression(source, None, env).issues:
        if issue.kind != "syntax":
            where = issue.pointer or "/"
            click.echo(f"warning at {where}: {issue.message}", err=True)
    try:
        value = compile_expression(source)(context)
    except ExpressionError as error:
        where = error.pointer or "/"
        click.echo(f"error at {where}: {error.message}", err=True)
        click.echo(f"  in {json.dumps(_node_at(source, error.pointer or ''))}", err=True)
        if error.hint:
            click.echo(f"  ({error.hint})", err=True)
        sys.exit(1)
    click.echo(f"{json.dumps(to_json(value), ensure_ascii=False)}  ({type_name(value)})")


def _case(path: str) -> Any:
    try:
        case = _parse_json(Path(path).read_text(encoding="utf-8"), path)
    except OSError as error:
        raise InputProblem(f"cannot read {path}: {error.strerror}") from None
    if not isinstance(case, dict):
        raise InputProblem(f"{path} is not a test case (a JSON object)")
    return case


def _case_state(path: str) -> tuple[EvalState, set[str] | None, set[str] | None]:
    try:
        state = state_from_case(_case(path))
    except LayoutTreeError as error:
        raise InputProblem(str(error)) from None
    return state, set(state.tree.components), None


def _parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputProblem(f"{what} is not valid JSON: {error}") from None


def _node_at(source: Any, pointer: str) -> Any:
    node = source
    for token in [part for part in pointer.split("/") if part]:
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
    return node


def _build_state(
    app_path: str | None,
    layout_set_id: str | None,
    data_path: str | None,
    language: str,
    positional: list[Any] | None,
) -> tuple[EvalState, set[str] | None, set[str] | None]:
    data: Any = None
    if data_path is not None:
        try:
            data = _parse_json(Path(data_path).read_text(encoding="utf-8"), data_path)
        except OSError as error:
            raise InputProblem(f"cannot read {data_path}: {error.strerror}") from None
    if app_path is None:
        models = {"default": data} if data is not None else {}
        return EvalState(models=models, language=language, positional_args=positional), None, None
    from app_runtime.app import AppLoadError, load_app

    try:
        app = load_app(app_path)
    except AppLoadError as error:
        raise InputProblem(str(error)) from None
    sets = app.layout_sets
    chosen = None
    if layout_set_id is not None:
        chosen = next((entry for entry in sets if entry.id == layout_set_id), None)
        if chosen is None:
            names = ", ".join(entry.id for entry in sets) or "none"
            raise InputProblem(f"no layout set {layout_set_id!r} (layout sets: {names})")
    elif sets:
        chosen = sets[0]
    pages = {page: document.data for page, document in chosen.pages.items()} if chosen else {}
    try:
        tree = LayoutTree(pages, dict(chosen.page_files) if chosen else None, strict=False)
    except LayoutTreeError as error:
        raise InputProblem(str(error)) from None
    for problem in tree.problems:
        click.echo(f"warning: {problem} (ignored)", err=True)
    data_type = (chosen.data_type if chosen else None) or "default"
    texts = {key: entry for key, (_, entry) in app.text_resources(language).items()}
    code_lists = {
        key: document.data
        for key, document in app.options.items()
        if isinstance(document.data, list)
    }
    state = EvalState(
        tree=tree,
        models={data_type: data} if data is not None else {},
        default_data_type=data_type,
        frontend_settings=app.frontend_settings,
        texts=texts,
        language=language,
        code_lists=code_lists,
        positional_args=positional,
        stateless=True,
    )
    data_types = {entry["id"] for entry in app.data_types if isinstance(entry.get("id"), str)}
    return state, set(tree.components), data_types or None


def _context(state: EvalState, component_id: str | None, rows: tuple[int, ...]) -> Any:
    if component_id is None:
        return state.context_for(None, None, rows)
    for context in state.index.get(component_id, ()):
        if context.row_indices == rows:
            return context
    if component_id not in state.tree.components:
        raise InputProblem(f"no component {component_id!r} in the layout set")
    found = [list(context.row_indices) for context in state.index.get(component_id, ())]
    raise InputProblem(
        f"component {component_id!r} has no context at rows {list(rows)} "
        f"(available: {found or 'none; its repeating group has no rows in the data'})"
    )
