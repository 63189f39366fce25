"""The preview follows the expressions: typed values show and hide fields and make them
required, per language and per page."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from conftest import EXAMPLES
from textual.widgets import DataTable, Input

from app_runtime.app import load_app
from app_runtime.forms import FormState
from studio.designer.app import DesignerApp
from studio.designer.screens.preview import PreviewScreen

EXAMPLE = EXAMPLES / "fhi-registerdata"


def _ids(form: FormState, page: str) -> dict[str, bool]:
    return {field.component_id: field.required for field in form.view(page)}


def test_form_state_follows_hidden_and_required_expressions() -> None:
    app = load_app(EXAMPLE)
    form = FormState(app, app.layout_sets[0], "nb")
    assert "variabler-npr" not in _ids(form, "Registre")
    form.set_value("Dataopplysninger.Registre", "KPR,NPR")
    shown = _ids(form, "Registre")
    assert shown["variabler-npr"] is True and shown["variabler-kpr"] is True
    assert "variabler-iplos" not in shown
    form.language = "en"
    labels = {f.component_id: f.label for f in form.view("Registre")}
    form.language = "nn"
    assert (
        labels["registre-valg"]
        != {f.component_id: f.label for f in form.view("Registre")}["registre-valg"]
    )


def test_preview_screen_shows_fields_appearing_as_values_are_typed(tmp_path: Path) -> None:
    app_path = tmp_path / "fhi"
    shutil.copytree(EXAMPLE, app_path)

    async def drive() -> list[str]:
        designer = DesignerApp(app_path)
        async with designer.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("f", "p")
            await pilot.pause()
            screen = designer.screen
            assert isinstance(screen, PreviewScreen)
            while screen.page != "Registre":
                await pilot.press("right")
                await pilot.pause()
            table = screen.query_one(DataTable)
            row = [f.component_id for f in screen.fields].index("registre-valg")
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            designer.screen.query_one(Input).insert_text_at_cursor("NPR")
            await pilot.press("enter")
            await pilot.pause()
            return [f.component_id for f in screen.fields if f.required]

    required = asyncio.run(drive())
    assert "variabler-npr" in required and "variabler-kpr" not in required
