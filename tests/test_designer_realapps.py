"""Every real app opens in the designer, and editing one property then saving changes only
that property's line in that one file."""

from __future__ import annotations

import asyncio
import difflib
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


def _first_flag(workspace: AppWorkspace) -> tuple[str, int, str, Any] | None:
    """(page file, component index, property, current value) of a boolean flag to flip."""
    for layout_set in workspace.layout_sets():
        for page_id, document in layout_set.pages.items():
            layout = (document.data.get("data") or {}).get("layout") or []
            for index, component in enumerate(layout):
                for flag in FLAGS:
                    if isinstance(component, dict) and isinstance(component.get(flag), bool):
                        return layout_set.page_files[page_id], index, flag, component[flag]
    return None


@pytest.mark.conformance
@pytest.mark.parametrize("app_path", APPS, ids=[p.name for p in APPS])
def test_real_app_opens_and_a_one_property_edit_stays_local(app_path: Path, tmp_path: Path) -> None:
    import shutil

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
        target = _first_flag(workspace)
    finally:
        workspace.close()
    if target is None:
        pytest.skip("no component with a boolean required/readOnly/hidden to flip")
    page_file, index, flag, value = target
    before = (copy / page_file).read_text(encoding="utf-8-sig").splitlines()
    session = EditSession(copy)
    with session.transaction("flip") as tx:
        tx.data(page_file)["data"]["layout"][index][flag] = not value
    assert session.save() == [page_file]
    after = (copy / page_file).read_text(encoding="utf-8-sig").splitlines()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2, changed
    assert all(f'"{flag}"' in line for line in changed), changed
    untouched = {p for p in copy.rglob("*") if p.is_file()} - {copy / page_file}
    for path in untouched:
        original = app_path / path.relative_to(copy)
        assert path.read_bytes() == original.read_bytes()
