"""`studio schema`: print or write the JSON Schemas of an app's own files.

`studio schema list` names the kinds; `studio schema layout` generates the page-layout schema
from the component catalogue (the committed copy lives in schemas/app_files/layout.schema.json);
`studio schema <kind>` prints one of the hand-written schemas. Editors can point `$schema` or
their JSON language server at the written files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from schemas.app_files import FILES, KINDS, LAYOUT_SCHEMA_PATH, schema_for


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output} ({len(text.encode('utf-8')):,} bytes)", err=True)


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


_OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)


@click.group(name="schema")
def command() -> None:
    """Print or write the JSON Schemas of the app's own files."""


@command.command(name="list")
def list_kinds() -> None:
    """List the schema kinds and which files they describe."""
    width = max(len(kind) for kind in KINDS)
    for kind in KINDS:
        click.echo(f"{kind.ljust(width)}  {FILES[kind]}")


@command.command(name="layout")
@_OUTPUT
@click.option(
    "--check",
    is_flag=True,
    help="Do not write; exit 1 if the file (-o, default the committed copy) is out of date.",
)
def layout(output: Path | None, check: bool) -> None:
    """Generate the page-layout schema from the component catalogue."""
    from layouts.catalogue.schema_gen import REGENERATE_COMMAND, layout_schema_text

    text = layout_schema_text()
    if not check:
        _emit(text, output)
        return
    target = output or LAYOUT_SCHEMA_PATH
    try:
        current = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot read {target}: {exc.strerror}") from None
    if current != text:
        click.echo(f"{target} is out of date; regenerate it with `{REGENERATE_COMMAND}`", err=True)
        raise SystemExit(1)
    click.echo(f"{target} is up to date", err=True)


def _kind_command(kind: str) -> click.Command:
    @click.command(name=kind, help=f"Print the schema of {FILES[kind]}.")
    @_OUTPUT
    def show(output: Path | None) -> None:
        _emit(_dump(schema_for(kind)), output)

    return show


for _kind in KINDS:
    if _kind != "layout":
        command.add_command(_kind_command(_kind))
