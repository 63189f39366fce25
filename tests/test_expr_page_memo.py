"""The expression check's per-page memo in the designer: a page is checked again when it
changed, or when it names components and the layout set's component ids changed; other
pages keep their findings. Either way the findings equal a from-scratch validation."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_runtime.app import load_app
from app_runtime.checks import expressions
from app_runtime.editing.form import PageSet, delete_component, set_property
from app_runtime.editing.workspace import AppWorkspace
from app_runtime.validation import run_checks

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fhi-registerdata"
FORM = "App/ui/form"
NAMING_PAGE = "App/ui/form/layouts/Prosjekt.json"


@pytest.fixture()
def workspace(tmp_path: Path) -> Iterator[AppWorkspace]:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLE, root)
    opened = AppWorkspace(root)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture()
def checked_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the expression check works out (rather than takes from its memo)."""
    seen: list[str] = []
    original = expressions._LayoutSetCheck._unsure_sites

    def recording(self, page, document, components, blind):  # type: ignore[no-untyped-def]
        seen.append(page)
        return original(self, page, document, components, blind)

    monkeypatch.setattr(expressions._LayoutSetCheck, "_unsure_sites", recording)
    return seen


def _expr_pointers(findings: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(f.location.file, f.location.pointer) for f in findings if f.code.startswith("EXPR")}


def test_pages_naming_components_follow_the_component_ids(
    workspace: AppWorkspace, checked_pages: list[str]
) -> None:
    pages = PageSet.of(FORM)
    with workspace.session.transaction("name a component on another page") as tx:
        set_property(tx, pages, "prosjekt-formaal", ["hidden"], ["component", "soeker-navn"])
    workspace.changed()
    before = workspace.validate()
    assert not any(pointer.endswith("/hidden/1") for _, pointer in _expr_pointers(before))

    checked_pages.clear()
    with workspace.session.transaction("delete the named component") as tx:
        delete_component(tx, pages, "soeker-navn")
    workspace.changed()
    after = workspace.validate()
    rechecked = set(checked_pages)

    assert after == run_checks(load_app(workspace.validated_root))
    unknown = [
        f for f in after if f.code == "EXPR004" and f.location.file.endswith("Prosjekt.json")
    ]
    assert [f.location.pointer.endswith("/hidden/1") for f in unknown] == [True]
    # The edited page and the page naming a component were checked again; pages whose
    # expressions name no component kept their findings.
    assert {"Soeker", "Prosjekt"} <= rechecked
    assert "Oppsummering" not in rechecked


def test_a_page_without_component_names_is_not_checked_again(
    workspace: AppWorkspace, checked_pages: list[str]
) -> None:
    workspace.validate()
    checked_pages.clear()
    with workspace.session.transaction("rename a component") as tx:
        set_property(tx, PageSet.of(FORM), "soeker-navn", ["id"], "soeker-navn-2")
    workspace.changed()
    findings = workspace.validate()
    rechecked = set(checked_pages)
    assert findings == run_checks(load_app(workspace.validated_root))
    assert "Soeker" in rechecked
    assert "Oppsummering" not in rechecked
