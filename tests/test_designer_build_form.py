"""Drive the designer with Textual's Pilot: from `studio new`, build a two-page form with a
repeating group, a required-if expression and texts in three languages; the saved app must
validate clean and equal the reviewed expected folder."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from app_runtime.app import load_app
from app_runtime.validation import run_checks
from schemas.diagnostics import Severity
from studio.commands.new import create_app, plan_new_app
from studio.designer.app import DesignerApp
from studio.designer.screens.form_builder import FormBuilderScreen
from studio.designer.widgets.property_editor import PropertyEditor

EXPECTED = Path(__file__).parent / "data" / "designer" / "soknad-expected"

PEOPLE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"altinnRowId": {"type": "string"}, "name": {"type": "string"}},
    },
}


def _add_people_to_model(app: Path) -> None:
    """What a data-model edit would do: add a repeating `people` list to the model."""
    schema_path = app / "App/models/model.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["people"] = PEOPLE_SCHEMA
    schema_path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    xsd_path = app / "App/models/model.xsd"
    xsd = xsd_path.read_text(encoding="utf-8")
    person = (
        '\n        <xs:element minOccurs="0" maxOccurs="unbounded" name="people">'
        "<xs:complexType><xs:sequence>"
        '<xs:element minOccurs="0" name="altinnRowId" type="xs:string" />'
        '<xs:element minOccurs="0" name="name" type="xs:string" />'
        "</xs:sequence></xs:complexType></xs:element>"
    )
    marker = 'name="property3"'
    start = xsd.index(marker)
    end = xsd.index("/>", start) + 2
    xsd_path.write_text(xsd[:end] + person + xsd[end:], encoding="utf-8")


async def _type_into(pilot, screen: FormBuilderScreen, suffix: str, text: str) -> None:
    editor = screen.query_one(PropertyEditor)
    field = next(w for w in editor.query(Input) if (w.id or "").endswith(suffix))
    field.focus()
    field.value = ""
    await pilot.pause()
    field.insert_text_at_cursor(text)
    await pilot.press("enter")
    await pilot.pause()


async def _build(app_path: Path) -> None:
    designer = DesignerApp(app_path)
    async with designer.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        screen = designer.screen
        assert isinstance(screen, FormBuilderScreen)

        await pilot.press("n")
        await pilot.pause()
        designer.screen.query_one(Input).insert_text_at_cursor("Personer")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.page_id == "Personer"

        for component_type in ("RepeatingGroup", "Input"):
            screen.query_one("#tree").focus()
            await pilot.press("a")
            await pilot.pause()
            designer.screen.query_one("#filter", Input).insert_text_at_cursor(component_type)
            await pilot.press("enter")
            await pilot.pause()
            if component_type == "RepeatingGroup":
                group_id = screen.selected_id
                await _type_into(pilot, screen, "-f-dataModelBindings-group", "people")
                await _type_into(pilot, screen, "-f-textResourceBindings-title", "people.title")
                for language, text in (("nb", "Personer"), ("nn", "Personar"), ("en", "People")):
                    await _type_into(
                        pilot, screen, f"-f-textResourceBindings-title-{language}", text
                    )
        input_id = screen.selected_id
        assert input_id != group_id
        await _type_into(pilot, screen, "-f-dataModelBindings-simpleBinding", "people.name")
        await _type_into(pilot, screen, "-f-textResourceBindings-title", "people.name.title")
        for language, text in (("nb", "Navn"), ("nn", "Namn"), ("en", "Name")):
            await _type_into(pilot, screen, f"-f-textResourceBindings-title-{language}", text)
        await _type_into(
            pilot, screen, "-f-required", '["equals", ["component", "side1-property3"], "ja"]'
        )
        assert "✔" in str(
            screen.query_one(
                f"#{screen.query_one(PropertyEditor)._field_id(['required'], 'status')}"
            ).render()
        )

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.workspace.session.dirty_files() == []


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_build_two_page_form_with_repeating_group(tmp_path: Path) -> None:
    create_app(plan_new_app("soknad", "ttd", tmp_path))
    app_path = tmp_path / "soknad"
    _add_people_to_model(app_path)
    asyncio.run(_build(app_path))

    findings = run_checks(load_app(app_path))
    assert [f for f in findings if f.severity >= Severity.WARNING] == []

    page = json.loads((app_path / "App/ui/form/layouts/Personer.json").read_text("utf-8"))
    group, field = page["data"]["layout"]
    assert group["type"] == "RepeatingGroup" and group["children"] == [field["id"]]
    assert field["required"] == ["equals", ["component", "side1-property3"], "ja"]
    settings = json.loads((app_path / "App/ui/form/Settings.json").read_text("utf-8"))
    assert settings["pages"]["order"] == ["Side1", "Personer"]

    if os.environ.get("STUDIO_UPDATE_EXPECTED"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(app_path, EXPECTED)
    assert _tree(app_path) == _tree(EXPECTED)
