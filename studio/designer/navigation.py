"""Where a finding lives in the designer: the screen that edits its file, focused on it."""

from __future__ import annotations

import re

from textual.screen import Screen

from app_runtime.editing import EditError
from app_runtime.editing.workspace import AppWorkspace
from schemas.diagnostics import Location

_RESOURCE = re.compile(r"^/resources/(\d+)")


def screen_for(workspace: AppWorkspace, location: Location) -> Screen[None] | None:
    """The screen to open for a finding at `location` (None: stay where you are)."""
    file = location.file
    if "/layouts/" in file:
        from studio.designer.screens.form_builder import FormBuilderScreen

        return FormBuilderScreen(workspace, focus=location)
    if file.startswith("App/config/texts/"):
        from studio.designer.screens.texts import TextsScreen

        return TextsScreen(workspace, search=_text_key(workspace, location))
    if file.endswith(("applicationmetadata.json", "appsettings.json", "Settings.json")):
        from studio.designer.screens.settings import SettingsScreen

        return SettingsScreen(workspace)
    area = (
        "models"
        if file.startswith("App/models/")
        else "process"
        if file.endswith(".bpmn")
        else "policy"
        if file.endswith("policy.xml")
        else None
    )
    if area is None:
        return None
    from studio.designer.screens.readonly import ReadOnlyScreen

    return ReadOnlyScreen(workspace, area)


def _text_key(workspace: AppWorkspace, location: Location) -> str:
    """The text key a finding in a resource file points at, to filter the texts table."""
    match = _RESOURCE.match(location.pointer)
    if match is None:
        return ""
    try:
        data = workspace.session.read(location.file)
        entry = data["resources"][int(match.group(1))]
    except (LookupError, TypeError, ValueError, EditError):
        return ""
    return str(entry.get("id", "")) if isinstance(entry, dict) else ""
