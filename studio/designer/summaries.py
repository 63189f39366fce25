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
    lines = ["[b]Access rules[/b] (read-only here; see `studio policy show`)", ""]
    if app.policy_path is None:
        return "\n".join([*lines, "No policy.xml."])
    try:
        from app_runtime.authorization.rules import format_rule_matrix, read_policy_rules

        return "\n".join(lines) + escape(format_rule_matrix(read_policy_rules(app.policy_path)))
    except Exception:
        tree = app.xml(app.policy_path)
        if tree is None:
            return "\n".join([*lines, "policy.xml cannot be read; see Problems."])
        for element in tree.getroot().iter():
            if isinstance(element.tag, str) and element.tag.endswith("}Rule"):
                lines.append(f"{escape(element.get('RuleId', '?'))}: {element.get('Effect')}")
        return "\n".join(lines)
