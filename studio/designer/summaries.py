"""Plain-text descriptions of the areas shown read-only on the dashboard."""

from __future__ import annotations

from rich.markup import escape

from app_runtime.app import App


def describe_area(app: App, area: str) -> str:
    if area == "models":
        return _models(app)
    if area == "process":
        return _process(app)
    if area == "policy":
        return _policy(app)
    return f"Unknown area {escape(area)}"


def _models(app: App) -> str:
    lines = ["[b]Data models[/b] (read-only here; edit with `studio model`)", ""]
    if not app.models:
        lines.append("No data models in App/models.")
    for model in app.models:
        files = [p.name for p in (model.schema_path, model.xsd_path) if p is not None]
        lines.append(f"[b]{escape(model.name)}[/b]  ({', '.join(files)})")
        if model.schema_path is None:
            continue
        try:
            from schemas.model import ModelTree, load_model

            tree = ModelTree(load_model(model.schema_path))
            for field in tree.fields()[:400]:
                indent = "  " * field.depth
                repeat = " []" if field.repeating else ""
                required = " *" if field.required else ""
                lines.append(f"{indent}{escape(field.name)}{repeat}: {field.type}{required}")
        except Exception as exc:  # shown as text; validation reports the details
            lines.append(f"  (cannot read the model: {escape(str(exc))})")
        lines.append("")
    return "\n".join(lines)


def _process(app: App) -> str:
    from app_runtime.process.appsupport import load_app_process
    from app_runtime.process.reader import ProcessReadError
    from app_runtime.process.render import render_text

    lines = ["[b]Process[/b] (read-only here; see `studio process show`)", ""]
    try:
        document = load_app_process(app)
    except ProcessReadError as exc:
        return "\n".join([*lines, escape(str(exc))])
    return "\n".join(lines) + escape(render_text(document))


def _policy(app: App) -> str:
    from app_runtime.authorization.editing import read_policy
    from schemas.diagnostics import LocatedError

    lines = ["[b]Access rules[/b] (read-only here; see `studio policy show`)", ""]
    if app.policy_path is None:
        return "\n".join([*lines, "No policy.xml."])
    try:
        document = read_policy(app.policy_path, app.relpath(app.policy_path))
    except LocatedError as exc:
        return "\n".join([*lines, escape(str(exc))])
    for rule in document.rules:
        short = rule.rule_id.rsplit(":", 1)[-1]
        where = [
            ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("org", "app")) or "whole app"
            for r in rule.resources
        ] or ["(any)"]
        lines.append(
            f"[b]{escape(short)}[/b] {rule.effect}: {escape(', '.join(rule.subjects) or '(anyone)')}"
        )
        lines.append(f"    on {escape('; '.join(where))}: {escape(', '.join(rule.actions))}")
    return "\n".join(lines)
