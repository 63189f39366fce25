"""`studio model convert IN... [-o OUT]`: XSD <-> JSON Schema, the way Altinn Studio converts.

The direction follows each input's type: `.xsd` becomes `<name>.schema.json`, `.json` becomes
`<name>.xsd`. With one input, OUT is a file (or `-` for standard output); with several, OUT is
a folder. Existing files are kept unless `--force` is given. Exit codes: 0 all converted,
2 some input could not be converted (each with file, line and a hint).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from schemas.diagnostics import LocatedError

PROGRESS_THRESHOLD = 1


@dataclass(frozen=True, slots=True)
class Job:
    """One file to convert and where the result goes (None: standard output)."""

    source: Path
    target: Path | None


def output_name(source: Path) -> str:
    """`model.xsd` -> `model.schema.json`; `model.schema.json` / `model.json` -> `model.xsd`."""
    name = source.name
    if name.lower().endswith(".xsd"):
        return name[:-4] + ".schema.json"
    for suffix in (".schema.json", ".json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] + ".xsd"
    raise click.UsageError(f"{source}: cannot tell the direction; use a .xsd or .json file")


def convert_file(source: Path, schema_id: str | None = None) -> bytes:
    """Convert one file by its type; raises LocatedError with file/line on bad input."""
    if source.name.lower().endswith(".xsd"):
        from schemas.xsd.to_json import convert_xsd_file

        schema = convert_xsd_file(source, schema_id or output_name(source), str(source))
        return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    from schemas.sourcemap import load_json_file
    from schemas.xsd.to_xsd import convert_json_schema, write_xsd

    document = load_json_file(source, str(source))
    return write_xsd(convert_json_schema(document.data, str(source)))


def plan(sources: tuple[Path, ...], output: str | None) -> list[Job]:
    """Where each input's result goes, refusing ambiguous combinations."""
    if output == "-":
        if len(sources) != 1:
            raise click.UsageError("-o - (standard output) takes exactly one input")
        return [Job(sources[0], None)]
    if output is None:
        return [Job(source, source.with_name(output_name(source))) for source in sources]
    target = Path(output)
    if len(sources) == 1 and not target.is_dir():
        return [Job(sources[0], target)]
    if target.exists() and not target.is_dir():
        raise click.UsageError(f"{target} is a file; with several inputs -o must be a folder")
    return [Job(source, target / output_name(source)) for source in sources]


@click.command(name="convert")
@click.argument(
    "sources",
    metavar="IN...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    metavar="OUT",
    default=None,
    help="Output file (one input), folder (several inputs) or - for standard output.",
)
@click.option(
    "--schema-id",
    metavar="URI",
    default=None,
    help="The $id to give generated JSON Schemas (default: the output file name).",
)
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def convert(
    sources: tuple[Path, ...], output: str | None, schema_id: str | None, force: bool, quiet: bool
) -> None:
    """Convert data models between XSD and JSON Schema (direction by file type)."""
    jobs = plan(sources, output)
    failures = 0
    total = len(jobs)
    for index, job in enumerate(jobs, start=1):
        prefix = f"[{index}/{total}] " if total > PROGRESS_THRESHOLD else ""
        if job.target is not None and job.target.exists() and not force:
            click.echo(
                f"{prefix}{job.source}: {job.target} exists; use --force to replace it", err=True
            )
            failures += 1
            continue
        try:
            data = convert_file(job.source, schema_id)
        except LocatedError as exc:
            failures += 1
            click.echo(f"{prefix}error: {exc}", err=True)
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            continue
        except (RecursionError, ValueError, KeyError, TypeError) as exc:
            failures += 1
            click.echo(f"{prefix}error: {job.source}: cannot convert this model ({exc})", err=True)
            continue
        if job.target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            continue
        try:
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_bytes(data)
        except OSError as exc:
            failures += 1
            click.echo(f"{prefix}error: cannot write {job.target}: {exc.strerror}", err=True)
            continue
        if not quiet:
            click.echo(f"{prefix}{job.source} -> {job.target}", err=total > PROGRESS_THRESHOLD)
    if total > PROGRESS_THRESHOLD and not quiet:
        click.echo(f"converted {total - failures} of {total} files", err=True)
    if failures:
        sys.exit(2)


command = convert
