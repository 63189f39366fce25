"""The `studio` command: a thin click group that loads each sub-command module on demand.

Sub-commands live one group per module in `studio.commands`; each module exposes a click
command or group named `command`. Loading lazily keeps `studio validate` start-up fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("studio.commands.validate", "Check apps for problems (for CI)."),
    "schema": ("studio.commands.schema", "Print or write generated JSON Schemas."),
    "expr": ("studio.commands.expr", "Evaluate an expression against an app."),
    "model": ("studio.commands.model", "Data models: convert, inspect, check, validate data."),
    "process": ("studio.commands.process", "Show an app's BPMN process."),
    "policy": ("studio.commands.policy", "Show and test an app's access rules."),
    "new": ("studio.commands.new", "Create a new app from the template."),
    "edit": ("studio.commands.edit", "Open the designer."),
    "run": ("studio.commands.run", "Serve an app locally."),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _) in SUBCOMMANDS.items() if _available(module))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = SUBCOMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup)
@click.version_option(package_name="formstudio")
def cli() -> None:
    """Formstudio: build, check and run Altinn 3 form apps on your own machine."""


def main() -> None:
    """Console-script entry point."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
