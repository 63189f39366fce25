"""`studio new NAME`: create an Altinn 3 app from the built-in template.

The template (`studio/template/`) is a complete v8 app that validates clean: one data task, a
data model, one page, texts in nb/nn/en, a default policy and metadata. Its files carry the
placeholders `[ORG]`, `[APP]` and `[TITLE]`, replaced here with escaping that fits each file
format. The app is assembled in a hidden staging folder next to the target and moved into a freshly
claimed target folder, so a failure leaves no half-written app and an existing folder is never
touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from xml.sax.saxutils import escape

import click

# Altinn Studio's rules for repository (app) names and organisation codes: lower-case letters,
# digits and hyphens, starting with a letter and not ending with a hyphen.
APP_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
ORG_CODE = re.compile(r"^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$")
DEFAULT_ORG = "ttd"  # Altinn's test organisation ("Testdepartementet")
TEXT_SUFFIXES = {".json", ".xml", ".bpmn", ".xsd"}


class NewAppError(Exception):
    """A request `studio new` must refuse, with a message meant for the user."""


@dataclass(frozen=True, slots=True)
class NewApp:
    """What to create: the names substituted into the template and where the app goes."""

    name: str
    org: str
    title: str
    target: Path

    def substitute(self, text: str, suffix: str) -> str:
        """Fill the placeholders of one template file, escaped for that file's syntax."""
        if suffix == ".json":
            title = json.dumps(self.title, ensure_ascii=False)[1:-1]
        else:
            title = escape(self.title, {'"': "&quot;"})
        return text.replace("[ORG]", self.org).replace("[APP]", self.name).replace("[TITLE]", title)


def plan_new_app(name: str, org: str, parent: Path, title: str | None = None) -> NewApp:
    """Check the names and the target folder; raise NewAppError with a fix if unusable."""
    if not APP_NAME.match(name):
        raise NewAppError(
            f"{name!r} is not a valid app name: use 3-30 lower-case letters, digits and hyphens, "
            "starting with a letter and not ending with a hyphen (for example 'soknad-om-tilskudd')"
        )
    if not ORG_CODE.match(org):
        raise NewAppError(
            f"{org!r} is not a valid organisation code: use lower-case letters, digits and "
            "hyphens (for example 'ttd' or 'fhi')"
        )
    if title is not None and not title.strip():
        raise NewAppError("the title must not be empty")
    target = parent / name
    if target.exists() or target.is_symlink():
        raise NewAppError(
            f"{target} already exists; choose another NAME or --dir, or remove the folder first "
            "(studio new never overwrites)"
        )
    if parent.exists() and not parent.is_dir():
        raise NewAppError(f"{parent} is not a folder; give --dir a folder to create the app in")
    return NewApp(name=name, org=org, title=(title or name).strip(), target=target)


def template_root() -> Traversable:
    """The template's files, shipped as package data of `studio`."""
    return resources.files("studio") / "template"


def _template_files(
    folder: Traversable, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _template_files(entry, (*prefix, entry.name))
        else:
            yield (*prefix, entry.name), entry


def create_app(plan: NewApp) -> list[Path]:
    """Write the app described by `plan`; returns the files created (relative to the app)."""
    parent = plan.target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{plan.name}.new-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    written: list[Path] = []
    try:
        for parts, source in _template_files(template_root()):
            relative = Path(*parts)
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if relative.suffix in TEXT_SUFFIXES:
                text = source.read_text(encoding="utf-8")
                destination.write_text(plan.substitute(text, relative.suffix), encoding="utf-8")
            else:
                destination.write_bytes(source.read_bytes())
            written.append(relative)
        if not written:
            raise NewAppError("the app template is missing from this installation of Formstudio")
        _move_into_place(staging, plan.target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _move_into_place(staging: Path, target: Path) -> None:
    """Claim `target` exclusively, then move the finished tree into it in one rename.

    `mkdir` fails if anything appeared at `target` since planning, so nothing is replaced.
    """
    try:
        target.mkdir()
    except FileExistsError:
        raise NewAppError(
            f"{target} already exists; choose another NAME or --dir (studio new never overwrites)"
        ) from None
    try:
        for entry in staging.iterdir():
            os.rename(entry, target / entry.name)
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise NewAppError(f"could not create {target}: {exc.strerror or exc}") from None


@click.command(name="new")
@click.argument("name")
@click.option(
    "--org", default=DEFAULT_ORG, show_default=True, help="Organisation code (service owner)."
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to create the app in; the app gets its own sub-folder NAME.",
)
@click.option("--title", default=None, help="App title in nb/nn/en (default: NAME).")
def command(name: str, org: str, directory: Path, title: str | None) -> None:
    """Create a new app NAME from the template (one data task, one page, nb/nn/en texts)."""
    try:
        plan = plan_new_app(name, org, directory, title)
        files = create_app(plan)
    except NewAppError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    except OSError as exc:
        click.echo(f"error: could not write the app: {exc}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Created {plan.org}/{plan.name} in {plan.target} ({len(files)} files).")
    click.echo(f"Next: studio validate {plan.target}   or   studio edit {plan.target}")
