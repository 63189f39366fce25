"""The designer stays up on broken apps: unreadable files and odd shapes give notices."""

from __future__ import annotations

import asyncio
from pathlib import Path

from studio.commands.new import create_app, plan_new_app
from studio.designer.app import DesignerApp
from studio.designer.screens.form_builder import FormBuilderScreen


def test_broken_files_do_not_crash_the_designer(tmp_path: Path) -> None:
    create_app(plan_new_app("broken", "ttd", tmp_path))
    app = tmp_path / "broken"
    (app / "App/ui/form/layouts/Side1.json").write_text('{"data": {"layout": [', "utf-8")
    (app / "App/ui/form/Settings.json").write_text('{"pages": []}', "utf-8")
    (app / "App/config/texts/resource.nn.json").write_bytes(b"\xff\xfe not utf-8")

    async def drive() -> None:
        designer = DesignerApp(app)
        async with designer.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for key in ("f", "v", "a", "escape", "n", "escape", "delete", "p", "escape"):
                await pilot.press(key)
                await pilot.pause()
            assert isinstance(designer.screen, FormBuilderScreen)
            for key in ("escape", "t", "escape", "s", "escape"):
                await pilot.press(key)
                await pilot.pause()
            await designer.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(drive())
