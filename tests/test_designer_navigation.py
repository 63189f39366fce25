"""Selecting a problem opens the screen that edits its file, focused on its place."""

from __future__ import annotations

from pathlib import Path

from app_runtime.editing.workspace import AppWorkspace
from schemas.diagnostics import Location
from studio.commands.new import create_app, plan_new_app
from studio.designer.navigation import screen_for
from studio.designer.screens.form_builder import FormBuilderScreen
from studio.designer.screens.readonly import ReadOnlyScreen
from studio.designer.screens.settings import SettingsScreen
from studio.designer.screens.texts import TextsScreen


def test_findings_route_to_their_editors(tmp_path: Path) -> None:
    create_app(plan_new_app("ruter", "ttd", tmp_path))
    workspace = AppWorkspace(tmp_path / "ruter")
    try:
        page = screen_for(
            workspace, Location("App/ui/form/layouts/Side1.json", "/data/layout/2/required")
        )
        assert isinstance(page, FormBuilderScreen)
        assert page.selected_id == "side1-property2"
        texts = screen_for(workspace, Location("App/config/texts/resource.nn.json", "/resources/0"))
        first_key = workspace.session.read("App/config/texts/resource.nn.json")["resources"][0]
        assert isinstance(texts, TextsScreen) and texts.filter == first_key["id"]
        assert isinstance(
            screen_for(workspace, Location("App/config/applicationmetadata.json")), SettingsScreen
        )
        policy = screen_for(workspace, Location("App/config/authorization/policy.xml"))
        assert isinstance(policy, ReadOnlyScreen) and policy.area == "policy"
        model = screen_for(workspace, Location("App/models/model.xsd"))
        assert isinstance(model, ReadOnlyScreen) and model.area == "models"
        assert screen_for(workspace, Location("")) is None
    finally:
        workspace.close()
