"""`studio validate APP [APP...]`: every designer check, headless, for CI.

Exit codes: 0 when no shown finding is a warning or error; 1 when one is (info never fails;
`--min-severity error` makes only errors count); 2 when a path is not a usable app.
"""

from __future__ import annotations

import os
import sys
import time

import click

FORMATS = ("text", "json", "junit", "sarif", "github")


@click.command(name="validate")
@click.argument("apps", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODE",
    help="Only report these codes or code prefixes (e.g. LAY or LAY001); repeat or comma-separate.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODE",
    help="Do not report these codes or code prefixes; repeat or comma-separate.",
)
@click.option(
    "--min-severity",
    type=click.Choice(("info", "warning", "error"), case_sensitive=False),
    default="info",
    show_default=True,
    help="Hide findings below this severity. Warnings and errors fail; info never fails.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--color/--no-color",
    "colour",
    default=None,
    help="Colour the text output (default: only on a terminal).",
)
@click.option("--list-rules", is_flag=True, help="List every rule code with its severity and exit.")
def command(
    apps: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str,
    output: str | None,
    colour: bool | None,
    list_rules: bool,
) -> None:
    """Check Altinn apps for problems; exit 0 clean, 1 problems, 2 unusable input."""
    if list_rules:
        _list_rules()
        return
    if not apps:
        raise click.UsageError("give at least one app folder (or --list-rules)")
    try:
        _validate(apps, output_format, select, ignore, min_severity, output, colour)
    except (SystemExit, KeyboardInterrupt):
        raise
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # never a traceback for the user; STUDIO_DEBUG=1 shows it
        if os.environ.get("STUDIO_DEBUG"):
            raise
        click.echo(
            f"error: internal error in studio validate: {type(exc).__name__}: {exc}\n"
            "  this is a bug in Formstudio; run with STUDIO_DEBUG=1 for details",
            err=True,
        )
        sys.exit(2)


def _list_rules() -> None:
    from app_runtime.validation.runner import load_checks
    from schemas.diagnostics import registered_rules

    load_checks()
    for rule in sorted(registered_rules().values(), key=lambda r: r.code):
        click.echo(f"{rule.code:9} {rule.severity.label:8} {rule.name:34} {rule.summary}")


def _warn_unmatched(prefixes: tuple[str, ...], option: str) -> None:
    """Tell the user when a --select/--ignore value matches no rule (likely a typo)."""
    from schemas.diagnostics import registered_rules

    codes = list(registered_rules())
    for prefix in prefixes:
        if not any(code.startswith(prefix) for code in codes):
            click.echo(f"warning: {option} {prefix} matches no rule code", err=True)


def _validate(
    apps: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    min_severity: str,
    output: str | None,
    colour: bool | None,
) -> None:
    from app_runtime.validation import FindingFilter, exit_code, validate_paths
    from app_runtime.validation.formatters import FORMATTERS, format_text

    started = time.perf_counter()
    finding_filter = FindingFilter.build(select, ignore, min_severity)
    results = validate_paths(list(apps), finding_filter)
    _warn_unmatched(finding_filter.select, "--select")
    _warn_unmatched(finding_filter.ignore, "--ignore")
    seconds = time.perf_counter() - started
    if output_format == "text":
        use_colour = colour if colour is not None else (output is None and sys.stdout.isatty())
        report = format_text(results, seconds, colour=use_colour)
    else:
        report = FORMATTERS[output_format](results, seconds)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report)
        except OSError as exc:
            click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(format_text(results, seconds).splitlines()[-1], err=True)
    else:
        click.echo(report, nl=False, color=bool(colour) if colour is not None else None)
    sys.exit(exit_code(results, finding_filter.min_severity))
