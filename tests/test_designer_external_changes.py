"""Files changed on disk by other tools: reloaded quietly, or after asking when the designer
holds unsaved edits to them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from app_runtime.editing.form import set_property
from studio.commands.new import create_app, plan_new_app
from studio.designer.app import DesignerApp
from studio.designer.screens.form_builder import FormBuilderScreen
from studio.designer.screens.modals import ConfirmScreen

PAGE = "App/ui/form/layouts/Side1.json"
TEXTS = "App/config/texts/resource.en.json"


def _external_edit(app: Path, relpath: str, change) -> None:  # type: ignore[no-untyped-def]
    path = app / relpath
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_external_changes_reload_and_ask_on_conflict(tmp_path: Path) -> None:
    create_app(plan_new_app("ekstern", "ttd", tmp_path))
    app = tmp_path / "ekstern"

    async def drive() -> tuple[list[str], str, bool]:
        designer = DesignerApp(app)
        async with designer.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f")
            await pilot.pause()
            screen = designer.screen
            assert isinstance(screen, FormBuilderScreen)
            pages = screen.pages
            assert pages is not None
            screen.apply(
                "make property3 required",
                lambda tx: set_property(tx, pages, "side1-property3", ["required"], True),
            )
            _external_edit(app, TEXTS, lambda d: d["resources"].append({"id": "x", "value": "X"}))
            _external_edit(app, PAGE, lambda d: d["data"]["layout"].pop(0))
            screen._check_external_changes()
            await pilot.pause()
            asked = isinstance(designer.screen, ConfirmScreen)
            texts = [r["id"] for r in screen.workspace.session.read(TEXTS)["resources"]]
            await pilot.press("y")
            await pilot.pause()
            first = screen.workspace.session.read(PAGE)["data"]["layout"][0]["id"]
            return texts, first, asked

    texts, first, asked = asyncio.run(drive())
    assert "x" in texts  # the unedited file was reloaded without asking
    assert asked  # the page has unsaved edits: the designer asked first
    assert first == "side1-property1"  # ... and reloaded it from disk on "yes"
