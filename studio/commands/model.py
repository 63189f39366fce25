"""`studio model ...`: inspect, check and validate data against data models.

`tree MODEL` prints the field tree bindings resolve against; `check MODEL...` runs the MODEL
checks; `validate-data MODEL DATA...` validates JSON or XML instance data; `convert` (XSD <->
JSON Schema) lives in `studio.commands.model_convert` and is loaded only when used.
Exit codes: 0 clean, 1 problems found, 2 unusable input.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import click

CONVERT_MODULE = "studio.commands.model_convert"


class ModelGroup(click.Group):
    """Adds `convert` from its own module when that module is installed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        if _convert_available():
            names.add("convert")
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "convert" and cmd_name not in self.commands and _convert_available():
            try:
                module = importlib.import_module(CONVERT_MODULE)
            except ImportError:
                return None
            found = getattr(module, "command", None)
            return found if isinstance(found, click.Command) else None
        return super().get_command(ctx, cmd_name)


def _convert_available() -> bool:
    try:
        return importlib.util.find_spec(CONVERT_MODULE) is not None
    except (ImportError, ValueError):
        return False


@click.group(name="model", cls=ModelGroup)
def command() -> None:
    """Data models: convert, inspect, check, validate data."""


ROOT_OPTION = click.option(
    "--root",
    "root",
    default=None,
    metavar="NAME",
    help="Root element definition (a data type's classRef), for models that do not name one.",
)


def _load(path: str, root: str | None = None) -> Any:
    from schemas.model import ModelLoadError, load_model

    try:
        return load_model(Path(path), path, root)
    except ModelLoadError as exc:
        click.echo(f"error: {exc}", err=True)
        if exc.hint:
            click.echo(f"  hint: {exc.hint}", err=True)
        sys.exit(2)


@command.command(name="tree")
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the fields as JSON lines.")
@click.option("--max-depth", type=int, default=None, help="Stop below this depth.")
@ROOT_OPTION
def tree_command(model_path: str, as_json: bool, max_depth: int | None, root: str | None) -> None:
    """Print every field of MODEL with the path layouts bind to."""
    model = _load(model_path, root)
    tree = model.tree()
    if not as_json:
        root = f"#{model.root_pointer}" if model.root_pointer else "(schema root)"
        click.echo(f"{model.name}  draft {model.draft}  root {root}")
    count = 0
    for field in tree.walk():
        if max_depth is not None and field.depth > max_depth:
            continue
        count += 1
        if as_json:
            click.echo(json.dumps(_field_json(field), ensure_ascii=False))
            continue
        click.echo("  " * (field.depth + 1) + _field_line(field))
    if not as_json:
        click.echo(f"{count} fields")


def _occurs(field: Any) -> str:
    high = "*" if field.max_occurs is None else str(field.max_occurs)
    return f"[{field.min_occurs}..{high}]"


def _field_line(field: Any) -> str:
    parts = [field.name, field.describe(), _occurs(field)]
    if field.is_attribute:
        parts.append("@attribute")
    if field.is_text:
        parts.append("@text")
    if field.nullable:
        parts.append("nullable")
    if field.cycle:
        parts.append("(recursive)")
    restrictions = field.restrictions
    if restrictions:
        parts.append(" ".join(f"{k}={v!r}" for k, v in restrictions.items()))
    return "  ".join(parts)


def _field_json(field: Any) -> dict[str, Any]:
    return {
        "path": field.path,
        "type": field.type,
        "itemType": field.item_type,
        "format": field.format,
        "minOccurs": field.min_occurs,
        "maxOccurs": field.max_occurs,
        "repeating": field.repeating,
        "required": field.required,
        "attribute": field.is_attribute,
        "text": field.is_text,
        "nullable": field.nullable,
        "recursive": field.cycle,
        "restrictions": field.restrictions,
        "pointer": field.pointer,
    }


def _expand(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.rglob("*.schema.json")))
        else:
            out.append(path)
    return out


@command.command(name="check")
@click.argument("models", metavar="MODEL...", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def check_command(models: tuple[str, ...], as_json: bool) -> None:
    """Run the MODEL checks on model files (folders: every *.schema.json inside)."""
    from schemas.diagnostics import Severity
    from schemas.model.lint import check_model_file

    files = _expand(models)
    findings = []
    progress = len(files) > 1 and sys.stderr.isatty()
    for index, path in enumerate(files, 1):
        if progress:
            click.echo(f"\r[{index}/{len(files)}] {path.name[:60]:<60}", err=True, nl=False)
        findings.extend(check_model_file(path, str(path)))
    if progress:
        click.echo("", err=True)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "code": f.code,
                        "severity": f.severity.label,
                        "message": f.message,
                        "file": f.location.file,
                        "pointer": f.location.pointer,
                        "line": f.location.line,
                        "column": f.location.column,
                        "hint": f.hint,
                    }
                    for f in findings
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for finding in findings:
            click.echo(
                f"{finding.location}: {finding.severity.label} {finding.code} {finding.message}"
            )
            if finding.hint:
                click.echo(f"  hint: {finding.hint}")
        click.echo(f"{len(files)} model(s) checked, {len(findings)} finding(s)")
    if any(f.code == "MODEL001" for f in findings) and len(files) == 1:
        sys.exit(2)
    if any(f.severity >= Severity.WARNING for f in findings):
        sys.exit(1)


@command.command(name="validate-data")
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, dir_okay=False))
@click.argument(
    "data", metavar="DATA...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "--engine",
    type=click.Choice(("fast", "reference")),
    default="fast",
    show_default=True,
    help="fast = jsonschema-rs; reference = the jsonschema library.",
)
@click.option("--json", "as_json", is_flag=True, help="Print errors as JSON.")
@click.option(
    "--app",
    "app_path",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Name the components bound to each failing field (MODEL must be one of APP's models).",
)
@ROOT_OPTION
def validate_data_command(
    model_path: str,
    data: tuple[str, ...],
    engine: str,
    as_json: bool,
    app_path: str | None,
    root: str | None,
) -> None:
    """Validate instance DATA files (JSON, or XML as Altinn stores it) against MODEL."""
    from schemas.sourcemap import JsonSyntaxError, load_json_file
    from schemas.validation import ModelValidator, SchemaCompileError, validate_xml
    from schemas.xmlsafe import XmlSafetyError

    bound_to = None
    if app_path is not None:
        bound_to, class_ref = _binding_index(app_path, model_path)
        root = root or class_ref
    model = _load(model_path, root)
    try:
        validator = ModelValidator(model, engine)  # type: ignore[arg-type]
    except SchemaCompileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    failed = False
    unusable = False
    report: list[dict[str, Any]] = []
    progress = len(data) > 1 and sys.stderr.isatty()
    for index, raw in enumerate(data, 1):
        if progress:
            click.echo(f"\r[{index}/{len(data)}] {Path(raw).name[:60]:<60}", err=True, nl=False)
        path = Path(raw)
        problems: list[tuple[str, str]] = []
        try:
            if _is_xml(path):
                errors, problems, _ = validate_xml(model, path.read_bytes(), validator, raw)
            else:
                errors = validator.errors(load_json_file(path, raw).data)
        except (JsonSyntaxError, XmlSafetyError, OSError) as exc:
            unusable = True
            report.append({"file": raw, "unreadable": str(exc)})
            continue
        failed = failed or bool(errors or problems)
        report.append(
            {
                "file": raw,
                "errors": [
                    {
                        "path": e.path,
                        "message": e.message,
                        "keyword": e.keyword,
                        "components": list(bound_to.components_for_error(e)) if bound_to else [],
                    }
                    for e in errors
                ],
                "problems": [{"path": p, "message": m} for p, m in problems],
            }
        )
    if progress:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for entry in report:
            if "unreadable" in entry:
                click.echo(f"{entry['file']}: unreadable: {entry['unreadable']}")
                continue
            for problem in entry["problems"]:
                click.echo(f"{entry['file']}: {problem['path'] or '(root)'}: {problem['message']}")
            for error in entry["errors"]:
                shown = f" [{', '.join(error['components'])}]" if error["components"] else ""
                click.echo(
                    f"{entry['file']}: {error['path'] or '(root)'}: {error['message']}{shown}"
                )
            if not entry["errors"] and not entry["problems"]:
                click.echo(f"{entry['file']}: valid")
    if unusable:
        sys.exit(2)
    if failed:
        sys.exit(1)


def _binding_index(app_path: str, model_path: str) -> tuple[Any, str | None]:
    """The app's bindings into MODEL (from every layout set), and its data type's classRef."""
    from app_runtime.app import AppLoadError, load_app
    from app_runtime.datavalidation import BindingIndex, class_ref_of, layout_set_bindings

    try:
        app = load_app(app_path)
    except AppLoadError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    target = Path(model_path).resolve()
    data_types = []
    for entry in app.data_types:
        data_type = entry.get("id")
        files = app.model_for_data_type(data_type) if isinstance(data_type, str) else None
        if files is not None and files.schema_path and files.schema_path.resolve() == target:
            data_types.append(data_type)
    if not data_types:
        click.echo(f"error: {model_path} is not the model of any data type in {app_path}", err=True)
        sys.exit(2)
    bindings = [
        bound
        for layout_set in app.layout_sets
        for bound in layout_set_bindings(layout_set)
        if bound.data_type in data_types
    ]
    return BindingIndex.build(bindings), class_ref_of(app, str(data_types[0]))


def _is_xml(path: Path) -> bool:
    if path.suffix.lower() == ".xml":
        return True
    if path.suffix.lower() == ".json":
        return False
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")
