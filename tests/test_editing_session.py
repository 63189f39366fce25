"""Edit sessions: undo/redo, minimal saves, external changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app_runtime.editing import EditError, EditSession

PAGE = "App/ui/form/layouts/Side1.json"
TEXT = """{
  "data": {
    "layout": [
      { "id": "a", "type": "Input", "required": false },
      { "id": "b", "type": "Paragraph" }
    ]
  }
}
"""


@pytest.fixture()
def app(tmp_path: Path) -> Path:
    page = tmp_path / PAGE
    page.parent.mkdir(parents=True)
    page.write_text(TEXT, encoding="utf-8")
    (tmp_path / "App/other.json").write_text('{"x":1}', encoding="utf-8")
    return tmp_path


def test_edit_save_changes_only_the_edited_line(app: Path) -> None:
    session = EditSession(app)
    with session.transaction("make a required") as tx:
        tx.data(PAGE)["data"]["layout"][0]["required"] = True
    assert session.dirty_files() == [PAGE]
    assert session.save() == [PAGE]
    after = (app / PAGE).read_text(encoding="utf-8")
    assert after == TEXT.replace('"required": false', '"required": true')
    assert (app / "App/other.json").read_text(encoding="utf-8") == '{"x":1}'


def test_undo_and_redo_restore_state(app: Path) -> None:
    session = EditSession(app)
    with session.transaction("delete b") as tx:
        del tx.data(PAGE)["data"]["layout"][1]
    with session.transaction("new file") as tx:
        tx.write("App/ui/form/layouts/Side2.json", {"data": {"layout": []}})
    assert session.history == ["delete b", "new file"]
    assert session.undo() == "new file"
    assert not session.exists("App/ui/form/layouts/Side2.json")
    assert session.undo() == "delete b"
    assert len(session.read(PAGE)["data"]["layout"]) == 2
    assert session.dirty_files() == []
    assert session.redo() == "delete b"
    assert len(session.read(PAGE)["data"]["layout"]) == 1
    assert session.undo() == "delete b" and session.undo() is None


def test_failed_transaction_records_nothing(app: Path) -> None:
    session = EditSession(app)
    with pytest.raises(KeyError), session.transaction("broken") as tx:
        tx.data(PAGE)["data"]["layout"][0]["required"] = True
        raise KeyError("boom")
    assert session.history == []
    assert session.read(PAGE)["data"]["layout"][0]["required"] is False


def test_new_empty_transaction_is_not_recorded(app: Path) -> None:
    session = EditSession(app)
    with session.transaction("noop") as tx:
        tx.data(PAGE)
    assert not session.can_undo


def test_save_creates_renames_and_deletes(app: Path) -> None:
    session = EditSession(app)
    with session.transaction("rename page") as tx:
        tx.rename(PAGE, "App/ui/form/layouts/Intro.json")
    session.save()
    assert not (app / PAGE).exists()
    renamed = json.loads((app / "App/ui/form/layouts/Intro.json").read_text(encoding="utf-8"))
    assert renamed["data"]["layout"][0]["id"] == "a"


def test_rename_onto_existing_file_is_refused(app: Path) -> None:
    session = EditSession(app)
    with pytest.raises(EditError), session.transaction("clash") as tx:
        tx.rename(PAGE, "App/other.json")


def test_paths_outside_the_app_are_refused(app: Path) -> None:
    session = EditSession(app)
    with pytest.raises(EditError):
        session.read("../outside.json")


def test_external_changes_are_detected_and_reloaded(app: Path) -> None:
    session = EditSession(app)
    session.read(PAGE)
    session.read("App/other.json")
    (app / "App/other.json").write_text('{"x":2}', encoding="utf-8")
    with session.transaction("edit page") as tx:
        tx.data(PAGE)["data"]["layout"][0]["required"] = True
    (app / PAGE).write_text(TEXT.replace("Paragraph", "Header"), encoding="utf-8")
    changes = {c.path: c.conflict for c in session.external_changes()}
    assert changes == {"App/other.json": False, PAGE: True}
    session.reload(["App/other.json"])
    assert session.read("App/other.json") == {"x": 2}
    assert session.can_undo  # history of the unrelated page is kept
    session.reload([PAGE])
    assert not session.can_undo
    assert session.read(PAGE)["data"]["layout"][1]["type"] == "Header"
