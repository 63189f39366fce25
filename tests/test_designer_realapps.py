"""Every real app opens in the designer, and editing one property then saving changes only
that property's line in that one file."""

from __future__ import annotations

import asyncio
import difflib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import suite_path

from app_runtime.editing import EditSession
from app_runtime.editing.workspace import AppWorkspace
from studio.designer.app import DesignerApp
from studio.designer.screens.dashboard import DashboardScreen
from studio.designer.screens.form_builder import FormBuilderScreen

REAL_APPS = suite_path("STUDIO_REAL_APPS")
APPS = sorted(p for p in REAL_APPS.iterdir() if (p / "App").is_dir()) if REAL_APPS.is_dir() else []
FLAGS = ("required", "readOnly", "hidden")


def _edit_target(workspace: AppWorkspace) -> tuple[str, int, list[str], Any] | None:
    """(page file, component index, property path, new value) of one property to change:
    a boolean required/readOnly/hidden to flip, else a text key to rename, else an id."""
    candidates: list[tuple[int, str, int, list[str], Any]] = []
    for layout_set in workspace.layout_sets():
        for page_id, document in layout_set.pages.items():
            data = document.data if isinstance(document.data, dict) else {}
            layout = (data.get("data") or {}).get("layout") or []
            for index, component in enumerate(layout):
                if not isinstance(component, dict):
                    continue
                path = layout_set.page_files[page_id]
                for flag in FLAGS:
                    if isinstance(component.get(flag), bool):
                        candidates.append((0, path, index, [flag], not component[flag]))
                texts = component.get("textResourceBindings")
                if isinstance(texts, dict):
                    for key, value in texts.items():
                        if isinstance(value, str):
                            candidates.append(
                                (1, path, index, ["textResourceBindings", key], value + "-x")
                            )
                if isinstance(component.get("id"), str):
                    candidates.append((2, path, index, ["id"], component["id"] + "x"))
    if not candidates:
        return None
    _, path, index, prop, value = min(candidates, key=lambda c: c[0])
    return path, index, prop, value


def _metadata_title(app: Path) -> tuple[str, list[str], Any] | None:
    """For apps without components: the app title in applicationmetadata.json."""
    path = "App/config/applicationmetadata.json"
    data = json.loads((app / path).read_text(encoding="utf-8-sig"))
    titles = data.get("title")
    if isinstance(titles, dict):
        for language, value in titles.items():
            if isinstance(value, str):
                return path, ["title", language], value + " (endret)"
    return None


@pytest.mark.conformance
@pytest.mark.parametrize("app_path", APPS, ids=[p.name for p in APPS])
def test_real_app_opens_and_a_one_property_edit_stays_local(app_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / app_path.name
    shutil.copytree(app_path, copy, symlinks=True)

    async def open_designer() -> None:
        designer = DesignerApp(copy)
        async with designer.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(designer.screen, DashboardScreen)
            await pilot.press("f")
            await pilot.pause()
            assert isinstance(designer.screen, FormBuilderScreen)

    asyncio.run(open_designer())

    workspace = AppWorkspace(copy)
    try:
        target = _edit_target(workspace)
    finally:
        workspace.close()
    if target is not None:
        page_file, index, prop, value = target
        location: list[Any] = ["data", "layout", index, *prop]
    else:
        fallback = _metadata_title(copy)
        assert fallback is not None, "nothing to edit in this app"
        page_file, prop, value = fallback
        location = prop
    before = (copy / page_file).read_text(encoding="utf-8-sig").splitlines()
    session = EditSession(copy)
    with session.transaction("edit one property") as tx:
        node = tx.data(page_file)
        for key in location[:-1]:
            node = node[key]
        node[location[-1]] = value
    assert session.save() == [page_file]
    after = (copy / page_file).read_text(encoding="utf-8-sig").splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2, changed
    assert all(f'"{prop[-1]}"' in line for line in changed), changed
    untouched = {p for p in copy.rglob("*") if p.is_file()} - {copy / page_file}
    for path in untouched:
        original = app_path / path.relative_to(copy)
        assert path.read_bytes() == original.read_bytes()
