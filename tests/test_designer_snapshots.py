"""Snapshot tests of every designer screen (pytest-textual-snapshot).

Snapshots are pinned to one Textual version: rendering details change between releases, so on
another version these tests skip rather than fail. Update with `pytest --snapshot-update`
after looking at the new SVGs.
"""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path

import pytest

from studio.commands.new import create_app, plan_new_app
from studio.designer.app import DesignerApp

SNAPSHOT_TEXTUAL = "8.2.8"
FIXED_TIME = 1_767_225_600  # 2026-01-01T00:00:00Z, so "last change" columns are stable

pytestmark = pytest.mark.skipif(
    version("textual") != SNAPSHOT_TEXTUAL,
    reason=f"snapshots were taken with Textual {SNAPSHOT_TEXTUAL}",
)


def keys(*presses: str):  # type: ignore[no-untyped-def]
    """Press keys one by one, letting validation workers finish, so screens are stable."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture()
def apps(tmp_path: Path) -> Path:
    folder = tmp_path / "apps"
    folder.mkdir()
    for name in ("bestilling", "soknad"):
        create_app(plan_new_app(name, "ttd", folder))
    for path in folder.rglob("*"):
        os.utime(path, (FIXED_TIME, FIXED_TIME))
    return folder


def test_overview(snap_compare, apps: Path) -> None:
    assert snap_compare(DesignerApp(apps), run_before=keys(), terminal_size=(80, 24))


def test_dashboard(snap_compare, apps: Path) -> None:
    assert snap_compare(DesignerApp(apps / "soknad"), run_before=keys(), terminal_size=(80, 24))


def test_form_builder(snap_compare, apps: Path) -> None:
    assert snap_compare(
        DesignerApp(apps / "soknad"), run_before=keys("f", "down", "down"), terminal_size=(80, 24)
    )


def test_form_builder_compact(snap_compare, apps: Path) -> None:
    assert snap_compare(
        DesignerApp(apps / "soknad"), run_before=keys("f", "v"), terminal_size=(80, 24)
    )


def test_component_palette(snap_compare, apps: Path) -> None:
    assert snap_compare(
        DesignerApp(apps / "soknad"),
        run_before=keys("f", "a", "r", "a", "d"),
        terminal_size=(80, 24),
    )


def test_texts(snap_compare, apps: Path) -> None:
    assert snap_compare(DesignerApp(apps / "soknad"), run_before=keys("t"), terminal_size=(80, 24))


def test_settings(snap_compare, apps: Path) -> None:
    assert snap_compare(DesignerApp(apps / "soknad"), run_before=keys("s"), terminal_size=(80, 24))


def test_preview(snap_compare, apps: Path) -> None:
    assert snap_compare(
        DesignerApp(apps / "soknad"), run_before=keys("f", "p"), terminal_size=(80, 24)
    )


def test_help(snap_compare, apps: Path) -> None:
    assert snap_compare(
        DesignerApp(apps / "soknad"), run_before=keys("f", "f1"), terminal_size=(80, 24)
    )


@pytest.mark.parametrize("area", ["models", "process", "policy"])
def test_read_only_areas(snap_compare, apps: Path, area: str) -> None:
    from studio.designer.screens.readonly import ReadOnlyScreen

    async def open_area(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.push_screen(ReadOnlyScreen(pilot.app.screen.workspace, area))
        await settle(pilot)

    assert snap_compare(DesignerApp(apps / "soknad"), run_before=open_area, terminal_size=(80, 24))
