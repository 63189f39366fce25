"""Incremental re-validation in the designer: after any edit, the findings equal a
from-scratch validation of the same state, while checks that read nothing changed are
reused instead of re-run."""

from __future__ import annotations

import random
import shutil
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_suite, suite_path

from app_runtime.app import App, load_app
from app_runtime.checks.registry import Check
from app_runtime.editing.form import PageSet, add_page, delete_component, set_property
from app_runtime.editing.revalidation import (
    EVERYTHING,
    IncrementalChecks,
    RecordingApp,
    areas_of,
)
from app_runtime.editing.session import EditError, Transaction
from app_runtime.editing.workspace import SKIPPED_FOLDERS, AppWorkspace
from app_runtime.validation import run_checks
from schemas.diagnostics import Finding, Location, Severity, define_rule

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fhi-registerdata"
FORM = "App/ui/form"
PAGE = "App/ui/form/layouts/Prosjekt.json"
MODEL = "App/models/registerdata.schema.json"
TEXTS_NB = "App/config/texts/resource.nb.json"
METADATA = "App/config/applicationmetadata.json"


@pytest.fixture()
def workspace(tmp_path: Path) -> Iterator[AppWorkspace]:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    opened = AppWorkspace(root)
    try:
        yield opened
    finally:
        opened.close()


def _from_scratch(workspace: AppWorkspace) -> list[Finding]:
    return run_checks(load_app(workspace.validated_root))


def _edit(workspace: AppWorkspace, change: Callable[[Transaction], None]) -> list[Finding]:
    with workspace.session.transaction("test edit") as tx:
        change(tx)
    workspace.changed()
    return workspace.validate()


def _bad_binding(tx: Transaction) -> None:
    set_property(
        tx, PageSet.of(FORM), "prosjekt-tittel", ["dataModelBindings", "simpleBinding"], "Nope.X"
    )


def _unknown_reference(tx: Transaction) -> None:
    set_property(tx, PageSet.of(FORM), "prosjekt-formaal", ["hidden"], ["component", "ghost"])


def _drop_model_field(tx: Transaction) -> None:
    schema = tx.data(MODEL)
    for definition in schema["$defs"].values():
        properties = definition.get("properties", {})
        if "Tittel" in properties:
            del properties["Tittel"]


def _drop_first_text(tx: Transaction) -> None:
    tx.data(TEXTS_NB)["resources"].pop(0)


def _rename_data_type(tx: Transaction) -> None:
    for entry in tx.data(METADATA)["dataTypes"]:
        if entry["id"] == "registerdata":
            entry["id"] = "registerdata2"


def _add_page(tx: Transaction) -> None:
    add_page(tx, PageSet.of(FORM), "Ekstra")


def _delete_component(tx: Transaction) -> None:
    delete_component(tx, PageSet.of(FORM), "prosjekt-startdato")


def _delete_options(tx: Transaction) -> None:
    tx.delete("App/options/registre.json")


EDITS = [
    _bad_binding,
    _unknown_reference,
    _drop_model_field,
    _drop_first_text,
    _rename_data_type,
    _add_page,
    _delete_component,
    _delete_options,
]


def test_every_edit_revalidates_to_the_from_scratch_findings(workspace: AppWorkspace) -> None:
    assert workspace.validate() == _from_scratch(workspace) == []
    seen_codes: set[str] = set()
    for edit in EDITS:
        findings = _edit(workspace, edit)
        assert findings == _from_scratch(workspace), edit.__name__
        seen_codes.update(f.code for f in findings)
    # The edits broke things in many areas, so the comparisons were not of empty lists.
    prefixes = {code.rstrip("0123456789") for code in seen_codes}
    assert {"BIND", "EXPR", "TXT", "XSD", "META", "OPT"} <= prefixes
    while workspace.session.can_undo:
        workspace.session.undo()
        workspace.changed()
        assert workspace.validate() == _from_scratch(workspace)
    assert workspace.findings == []


def test_a_page_edit_reuses_checks_that_read_no_page(workspace: AppWorkspace) -> None:
    workspace.validate()
    first_run = set(workspace.revalidated_checks)
    _edit(workspace, _bad_binding)
    reran = set(workspace.revalidated_checks)
    assert "app_runtime.checks.bindings.check_bindings" in reran
    assert "app_runtime.checks.models.check_models" not in reran
    assert "app_runtime.checks.policy.check_policy" not in reran
    assert reran < first_run
    _edit(workspace, _drop_model_field)
    assert "app_runtime.checks.models.check_models" in workspace.revalidated_checks


def test_a_check_is_reused_until_a_file_it_read_changes(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    rule = define_rule("TEST001", "test-rule", Severity.INFO, "Reports the app's title.")
    runs: list[str] = []

    def title_check(app: App) -> Iterator[Finding]:
        runs.append("title")
        document = app.json(METADATA)
        title = document.data.get("title", {}).get("nb") if document else None
        yield rule.finding(f"title {title}", Location(METADATA), "")

    incremental = IncrementalChecks([Check("title", "test", (rule,), title_check)])
    expected = ["title Søknad om data fra helseregistre"]
    assert [f.message for f in incremental.run(load_app(root), None)] == expected
    reused = incremental.run(load_app(root), {PAGE, TEXTS_NB, MODEL})
    assert runs == ["title"] and [f.message for f in reused] == expected
    metadata = root / METADATA
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Søknad", "Skjema"))
    rerun = incremental.run(load_app(root), {METADATA})
    assert runs == ["title", "title"]
    assert [f.message for f in rerun] == ["title Skjema om data fra helseregistre"]


def test_unknown_app_access_counts_as_reading_everything(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    recorder = RecordingApp(load_app(root))
    _ = recorder.layout_sets
    assert {"ui", "process", "metadata"} <= recorder.reads
    _ = recorder.root
    assert EVERYTHING in recorder.reads
    recorder.reads.clear()
    recorder.json(MODEL)
    assert recorder.reads == {"file:" + MODEL}
    assert areas_of(PAGE) == {"ui"} and areas_of(MODEL) == {"models"}


def _spots(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _spots(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _spots(value, (*path, index))


def _random_edit(rng: random.Random, tx: Transaction, relpath: str) -> None:
    """Delete, retype or rewrite one random value of a file (or, rarely, delete the file)."""
    if rng.random() < 0.05:
        tx.delete(relpath)
        return
    data = tx.data(relpath)
    spots = [(path, node) for path, node in _spots(data) if path]
    if not spots:
        return
    path, node = rng.choice(spots)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    roll = rng.random()
    if roll < 0.35:
        del parent[path[-1]]
    elif roll < 0.7 and isinstance(node, str):
        parent[path[-1]] = node + "x" if rng.random() < 0.5 else node[:-1]
    else:
        parent[path[-1]] = rng.choice(["", 0, None, "Nope.Nope", ["equals", 1, 1], {}, True])


def _fuzz(root: Path, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    workspace = AppWorkspace(root)
    try:
        workspace.validate()
        files = sorted(p.relative_to(root).as_posix() for p in (root / "App").rglob("*.json"))
        for _ in range(edits):
            relpath = rng.choice(files)
            try:
                with workspace.session.transaction("random edit") as tx:
                    _random_edit(rng, tx, relpath)
            except EditError:
                continue  # a file the session cannot edit (unreadable JSON): nothing changed
            if workspace.session.can_undo and rng.random() < 0.15:
                workspace.session.undo()
            workspace.changed()
            assert workspace.validate() == _from_scratch(workspace), (seed, relpath)
    finally:
        workspace.close()


def test_random_edits_revalidate_to_the_from_scratch_findings(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    _fuzz(root, 7, 30)


def _real_apps() -> list[str]:
    folder = suite_path("STUDIO_REAL_APPS")
    return (
        sorted(p.name for p in folder.iterdir() if (p / "App").is_dir()) if folder.is_dir() else []
    )


@pytest.mark.conformance
@pytest.mark.parametrize("name", _real_apps())
def test_random_edits_on_real_apps_revalidate_exactly(tmp_path: Path, name: str) -> None:
    source = require_suite("STUDIO_REAL_APPS") / name
    root = tmp_path / "app"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(*SKIPPED_FOLDERS))
    _fuzz(root, zlib.crc32(name.encode()), 4)
