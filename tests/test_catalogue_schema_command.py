"""`studio schema`: lists the kinds, prints each schema, regenerates the layout schema."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from schemas.app_files import KINDS, LAYOUT_SCHEMA_PATH, schema_for
from studio.commands.schema import command


def test_list_names_every_kind_and_its_file() -> None:
    result = CliRunner().invoke(command, ["list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == list(KINDS)
    assert any("App/ui/layout-sets.json" in line for line in lines)


def test_each_hand_written_kind_prints_its_schema() -> None:
    runner = CliRunner()
    for kind in KINDS:
        if kind == "layout":
            continue
        result = runner.invoke(command, [kind])
        assert result.exit_code == 0, kind
        assert json.loads(result.output) == schema_for(kind)


def test_layout_writes_the_committed_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "layout.schema.json"
    result = CliRunner().invoke(command, ["layout", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == LAYOUT_SCHEMA_PATH.read_text(encoding="utf-8")


def test_layout_to_stdout_is_json() -> None:
    result = CliRunner().invoke(command, ["layout"])
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["data"]["required"] == ["layout"]


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(command, ["layout", "-o", str(blocker / "nested.json")])
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


def test_unknown_kind_is_a_usage_error() -> None:
    result = CliRunner().invoke(command, ["nope"])
    assert result.exit_code == 2


def test_check_reports_drift_with_the_regeneration_command(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(command, ["layout", "--check"]).exit_code == 0
    stale = tmp_path / "old.json"
    stale.write_text("{}", encoding="utf-8")
    result = runner.invoke(command, ["layout", "--check", "-o", str(stale)])
    assert result.exit_code == 1
    assert "studio schema layout -o" in result.output
    assert stale.read_text(encoding="utf-8") == "{}"
