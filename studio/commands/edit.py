"""`studio edit [PATH]`: open the designer on an app or on a folder of apps."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("edit")
@click.argument(
    "path", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def command(path: Path) -> None:
    """Open the designer on PATH (an app, or a folder holding apps; default: here)."""
    if not path.exists():
        raise click.ClickException(f"{path} does not exist; create an app with `studio new NAME`")
    from studio.designer.app import DesignerApp

    DesignerApp(path.resolve()).run()
