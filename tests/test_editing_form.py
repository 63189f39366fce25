"""Form-builder and text operations over an edit session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app_runtime.editing import EditError, EditSession
from app_runtime.editing.form import (
    PageSet,
    add_component,
    add_page,
    delete_component,
    delete_page,
    duplicate_component,
    move_component,
    move_page,
    page_order,
    rename_page,
    set_parent,
    set_property,
)
from app_runtime.editing.texts import rename_text_key, set_text, translation_table

PAGES = PageSet("App/ui/form")


def _write(root: Path, relpath: str, data: object) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


@pytest.fixture()
def session(tmp_path: Path) -> EditSession:
    _write(tmp_path, PAGES.settings, {"pages": {"order": ["Side1", "Side2"]}})
    _write(
        tmp_path,
        PAGES.page("Side1"),
        {
            "data": {
                "layout": [
                    {"id": "name", "type": "Input", "textResourceBindings": {"title": "t.name"}},
                    {
                        "id": "go",
                        "type": "Summary2",
                        "target": {"type": "page", "id": "Side2"},
                    },
                ]
            }
        },
    )
    _write(tmp_path, PAGES.page("Side2"), {"data": {"layout": []}})
    _write(
        tmp_path,
        "App/config/texts/resource.nb.json",
        {"language": "nb", "resources": [{"id": "t.name", "value": "Navn"}]},
    )
    return EditSession(tmp_path)


def _ids(session: EditSession, page: str) -> list[str]:
    return [c["id"] for c in session.read(PAGES.page(page))["data"]["layout"]]


def test_add_rename_move_delete_pages(session: EditSession) -> None:
    with session.transaction("add") as tx:
        add_page(tx, PAGES, "Kontakt", after="Side1")
        assert page_order(tx, PAGES) == ["Side1", "Kontakt", "Side2"]
    with session.transaction("rename") as tx:
        rename_page(tx, PAGES, "Side2", "Oppsummering")
    assert session.read(PAGES.settings)["pages"]["order"] == ["Side1", "Kontakt", "Oppsummering"]
    target = session.read(PAGES.page("Side1"))["data"]["layout"][1]["target"]
    assert target == {"type": "page", "id": "Oppsummering"}
    assert not session.exists(PAGES.page("Side2"))
    with session.transaction("move") as tx:
        move_page(tx, PAGES, "Oppsummering", -5)
    assert session.read(PAGES.settings)["pages"]["order"][0] == "Oppsummering"
    with session.transaction("delete") as tx:
        delete_page(tx, PAGES, "Kontakt")
    assert "Kontakt" not in session.read(PAGES.settings)["pages"]["order"]
    session.undo()
    session.undo()
    session.undo()
    assert session.exists(PAGES.page("Side2"))


def test_duplicate_page_name_is_refused(session: EditSession) -> None:
    with pytest.raises(EditError), session.transaction("add") as tx:
        add_page(tx, PAGES, "Side1")


def test_components_in_containers(session: EditSession) -> None:
    with session.transaction("group") as tx:
        group = add_component(tx, PAGES, "Side2", "Group", component_id="people")
        first = add_component(tx, PAGES, "Side2", "Input", parent_id=group)
        second = add_component(tx, PAGES, "Side2", "Input", parent_id=group)
    assert first != second and first not in ("name",)
    assert _ids(session, "Side2") == ["people", first, second]
    layout = session.read(PAGES.page("Side2"))["data"]["layout"]
    assert layout[0]["children"] == [first, second]
    with session.transaction("move") as tx:
        move_component(tx, PAGES, second, -1)
    assert session.read(PAGES.page("Side2"))["data"]["layout"][0]["children"] == [second, first]
    with session.transaction("out") as tx:
        set_parent(tx, PAGES, first, None)
    assert session.read(PAGES.page("Side2"))["data"]["layout"][0]["children"] == [second]
    with pytest.raises(EditError), session.transaction("cycle") as tx:
        set_parent(tx, PAGES, "people", "people")
    with session.transaction("delete group") as tx:
        delete_component(tx, PAGES, "people")
    assert _ids(session, "Side2") == [first]


def test_duplicate_gives_a_fresh_valid_id(session: EditSession) -> None:
    with session.transaction("dup") as tx:
        copy_id = duplicate_component(tx, PAGES, "name")
    assert _ids(session, "Side1") == ["name", copy_id, "go"]
    assert copy_id != "name"


def test_set_and_remove_property(session: EditSession) -> None:
    with session.transaction("req") as tx:
        set_property(tx, PAGES, "name", ["required"], ["equals", ["component", "x"], "ja"])
        set_property(tx, PAGES, "name", ["dataModelBindings", "simpleBinding"], "Person.Navn")
    component = session.read(PAGES.page("Side1"))["data"]["layout"][0]
    assert component["required"][0] == "equals"
    assert component["dataModelBindings"] == {"simpleBinding": "Person.Navn"}
    with session.transaction("unreq") as tx:
        set_property(tx, PAGES, "name", ["required"], None)
    assert "required" not in session.read(PAGES.page("Side1"))["data"]["layout"][0]


def test_texts_rename_updates_references(session: EditSession) -> None:
    with session.transaction("texts") as tx:
        set_text(tx, "nn", "t.name", "Namn")
        set_text(tx, "en", "t.other", "Other")
        table = translation_table(tx, ["nb", "nn", "en"])
    assert table["t.name"] == {"nb": "Navn", "nn": "Namn", "en": None}
    assert table["t.other"] == {"nb": None, "nn": None, "en": "Other"}
    with session.transaction("rename key") as tx:
        changed = rename_text_key(
            tx, ["nb", "nn", "en"], "t.name", "person.name", [PAGES.page("Side1")]
        )
    assert changed == 1
    component = session.read(PAGES.page("Side1"))["data"]["layout"][0]
    assert component["textResourceBindings"]["title"] == "person.name"
    with pytest.raises(EditError), session.transaction("clash") as tx:
        rename_text_key(tx, ["nb", "nn", "en"], "person.name", "t.other", [])


def test_rename_component_updates_references(session: EditSession) -> None:
    with session.transaction("setup") as tx:
        group = add_component(tx, PAGES, "Side2", "Group", component_id="people")
        set_property(tx, PAGES, group, ["children"], ["name"])
        set_property(tx, PAGES, "go", ["hidden"], ["equals", ["component", "name"], "x"])
    with session.transaction("rename") as tx:
        from app_runtime.editing.form import rename_component

        rename_component(tx, PAGES, "name", "fullName")
    side1 = session.read(PAGES.page("Side1"))["data"]["layout"]
    side2 = session.read(PAGES.page("Side2"))["data"]["layout"]
    assert side1[0]["id"] == "fullName"
    assert side1[1]["hidden"] == ["equals", ["component", "fullName"], "x"]
    assert side2[0]["children"] == ["fullName"]
    with pytest.raises(EditError), session.transaction("bad") as tx:
        from app_runtime.editing.form import rename_component

        rename_component(tx, PAGES, "fullName", "name-1")


def test_layout_sets_add_rename_delete(session: EditSession, tmp_path: Path) -> None:
    from app_runtime.editing.form import (
        LAYOUT_SETS,
        add_layout_set,
        delete_layout_set,
        rename_layout_set,
    )

    _write(
        tmp_path, LAYOUT_SETS, {"sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]}
    )
    with session.transaction("add set") as tx:
        add_layout_set(tx, "sub", "model", None, uses_layout_sets_file=True)
        set_property(tx, PAGES, "go", ["layoutSet"], "sub")
        tx.data(PAGES.page("Side1"))["data"]["layout"][1]["type"] = "Subform"
    assert [s["id"] for s in session.read(LAYOUT_SETS)["sets"]] == ["form", "sub"]
    assert session.read("App/ui/sub/Settings.json")["pages"]["order"] == ["Side1"]
    files = ["App/ui/sub/Settings.json", "App/ui/sub/layouts/Side1.json"]
    with session.transaction("rename set") as tx:
        rename_layout_set(tx, "sub", "vedlegg", files, [PAGES.page("Side1"), *files[1:]])
    assert session.exists("App/ui/vedlegg/layouts/Side1.json")
    assert not session.exists("App/ui/sub/Settings.json")
    assert session.read(PAGES.page("Side1"))["data"]["layout"][1]["layoutSet"] == "vedlegg"
    with pytest.raises(EditError), session.transaction("bad") as tx:
        rename_layout_set(tx, "vedlegg", "form", [], [])
    with session.transaction("delete set") as tx:
        delete_layout_set(
            tx, "vedlegg", ["App/ui/vedlegg/Settings.json", "App/ui/vedlegg/layouts/Side1.json"]
        )
    assert [s["id"] for s in session.read(LAYOUT_SETS)["sets"]] == ["form"]
    assert not session.exists("App/ui/vedlegg/layouts/Side1.json")


def test_task_folder_sets_carry_their_data_type(session: EditSession) -> None:
    from app_runtime.editing.form import add_layout_set, rename_layout_set

    with session.transaction("add v9 set") as tx:
        add_layout_set(tx, "Task_2", "model", "Task_2", uses_layout_sets_file=False)
    assert session.read("App/ui/Task_2/Settings.json")["defaultDataType"] == "model"
    with pytest.raises(EditError), session.transaction("rename") as tx:
        rename_layout_set(tx, "Task_2", "Task_3", [], [])


def test_page_groups(session: EditSession) -> None:
    from app_runtime.editing.form import (
        add_page_group,
        move_page_to_group,
        page_groups,
        remove_empty_groups,
    )

    with session.transaction("group") as tx:
        add_page_group(tx, PAGES, "Vedlegg")
        move_page_to_group(tx, PAGES, "Side2", 1)
        assert page_groups(tx, PAGES) == [
            {"order": ["Side1"]},
            {"name": "Vedlegg", "order": ["Side2"]},
        ]
        assert page_order(tx, PAGES) == ["Side1", "Side2"]
    with pytest.raises(EditError), session.transaction("too far") as tx:
        move_page_to_group(tx, PAGES, "Side2", 1)
    with session.transaction("back") as tx:
        move_page_to_group(tx, PAGES, "Side2", -1)
        remove_empty_groups(tx, PAGES)
    assert session.read(PAGES.settings)["pages"] == {"order": ["Side1", "Side2"]}
