"""`studio process`: look at an app's BPMN process from the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from app_runtime.process.reader import ProcessDocument, read_process_file
from app_runtime.process.render import render_svg, render_text
from schemas.diagnostics import LocatedError


def _load(target: Path) -> ProcessDocument:
    """A .bpmn file, or the process.bpmn of an app folder."""
    if target.is_file():
        return read_process_file(target, target.name)
    from app_runtime.app import load_app

    app = load_app(target)
    if app.process_path is None:
        raise click.ClickException(f"{target}: the app has no App/config/process/process.bpmn")
    return read_process_file(app.process_path, app.relpath(app.process_path))


@click.group(name="process")
def command() -> None:
    """Show an app's BPMN process."""


@command.command(name="show")
@click.argument("app", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the diagram as SVG to this file.",
)
def show(app: Path, svg_path: Path | None) -> None:
    """Draw the process flow of APP (an app folder or a .bpmn file): tasks with their types,
    gateways with their conditions."""
    try:
        document = _load(app)
    except LocatedError as exc:
        hint = f"\n  hint: {exc.hint}" if exc.hint else ""
        raise click.ClickException(f"{exc}{hint}") from None
    click.echo(render_text(document), nl=False)
    if svg_path is not None:
        try:
            svg_path.write_text(render_svg(document), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {svg_path}: {exc.strerror}") from None
        click.echo(f"wrote {svg_path}")
