"""The app-file schemas: well-formed, accept every real Altinn app file, reject real mistakes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import require_suite

from schemas.app_files import FILES, KINDS, UnknownSchemaKind, schema_for, validator_for

_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[\]}])', re.S)


def lenient_load(path: Path) -> Any:
    """Read JSON the way Altinn's backend does: BOM, comments and trailing commas tolerated."""
    text = path.read_bytes().decode("utf-8-sig")

    def keep_strings(match: re.Match[str]) -> str:
        return match.group() if match.group().startswith('"') else ""

    text = _TRAILING_COMMA.sub(keep_strings, _COMMENT.sub(keep_strings, text))
    return json.loads(text) if text.strip() else None


def _ui_files(app: Path) -> Iterator[tuple[str, Path]]:
    ui = app / "App" / "ui"
    if not ui.is_dir():
        return
    for path in sorted(ui.iterdir()):
        if path.is_dir():
            settings = path / "Settings.json"
            if settings.is_file():
                yield "layout-settings", settings
            for page in sorted((path / "layouts").glob("*.json")):
                yield "layout", page
    if (ui / "layout-sets.json").is_file():
        yield "layout-sets", ui / "layout-sets.json"
    if (ui / "footer.json").is_file():
        yield "footer", ui / "footer.json"
    for name in ("Settings.json", "settings.json"):
        root_settings = ui / name
        if root_settings.is_file():
            # Without layout sets, App/ui/Settings.json is the one folder's page settings;
            # beside v9 task folders it holds the global UI settings.
            single = (ui / "layouts").is_dir()
            yield ("layout-settings" if single else "ui-settings"), root_settings
    for page in sorted((ui / "layouts").glob("*.json")) if (ui / "layouts").is_dir() else ():
        yield "layout", page


def real_app_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every app file a kind describes, over all real apps, as (kind, path)."""
    for app in sorted(p for p in root.iterdir() if p.is_dir()):
        config = app / "App" / "config"
        if (config / "applicationmetadata.json").is_file():
            yield "applicationmetadata", config / "applicationmetadata.json"
        for path in sorted((config / "texts").glob("resource.*.json")):
            yield "text-resources", path
        for path in sorted((app / "App" / "options").glob("*.json")):
            yield "options", path
        for path in sorted((app / "App" / "models").glob("*.validation.json")):
            yield "validation", path
        yield from _ui_files(app)


def _errors(kind: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.instance_path))}: {error.message}"
        for error in validator_for(kind).iter_errors(data)
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_a_valid_draft7_schema(kind: str) -> None:
    schema = schema_for(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert kind in FILES


def test_schema_for_returns_independent_copies() -> None:
    first = schema_for("footer")
    first["title"] = "changed"
    assert schema_for("footer")["title"] != "changed"


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(UnknownSchemaKind) as info:
        schema_for("nope")
    assert "layout-sets" in str(info.value)


_DESIGNER_V3 = "Designer fixture in the v3 layout format (Altinn's v4 schema rejects it)"
_LEGACY_DIBK = "2022 app written by a v3 Designer: every component carries `componentType`"

KNOWN_INVALID: dict[str, str] = {
    "altinn-studio__app-with-process-and-layoutsets/App/ui/layoutSet1/layouts/"
    "layoutFile1InSet1.json": "Designer fixture: `schema` for `$schema`, Heading without size",
    "altinn-studio__app-with-process-and-layoutsets/App/ui/layoutSet1/layouts/"
    "layoutFile2InSet1.json": "Designer fixture: `schema` for `$schema`",
    "altinn-studio__app-without-layoutsets/App/ui/layouts/layoutFile1.json": (
        "Designer fixture: top-level `unknown` key, dataModelBindings null"
    ),
    "altinn-studio__hvem-er-hvem/App/ui/layouts/layout.json": (
        "Input dropped in the Designer but never bound (no simpleBinding)"
    ),
    "altinn-studio__preview-app/App/ui/layouts/layout.json": (
        "Input dropped in the Designer but never bound (no simpleBinding)"
    ),
    **{
        f"altinn-studio__designer-testdata-frontend-test/App/ui/{page}.json": _DESIGNER_V3
        for page in (
            "changename/layouts/form",  # triggers, showPrev, an invalid text key
            "changename/layouts/summary",  # Summary pageRef, textResourceId/customType
            "datalist/layouts/formLayout",  # triggers, showPrev
            "datalist/layouts/summary",  # pageRef
            "group/layouts/hide",  # triggers
            "group/layouts/repeating",  # Group used as a repeating group (maxCount, edit)
            "group/layouts/summary",  # pageRef, componentType
            "likert/layouts/formLayout",  # v3 Likert (group + simpleBinding)
        )
    },
    "app-lib-dotnet__permissive-app/App/config/applicationmetadata.json": (
        "appLogic `diallowUserDelete`: a misspelt disallowUserDelete that Altinn silently ignores"
    ),
    **{
        f"altinn-studio__legacy-dibk-nabovarsel/App/ui/layouts/{n}.json": _LEGACY_DIBK
        for n in range(1, 5)
    },
}
"""Real-app files that are invalid for Altinn too (reviewed one by one); they must keep failing,
everything else must pass."""


@pytest.mark.conformance
def test_every_real_app_file_passes_its_schema() -> None:
    root = require_suite("STUDIO_REAL_APPS")
    failures: list[str] = []
    wrongly_passing: list[str] = []
    seen: dict[str, int] = {}
    for kind, path in real_app_files(root):
        data = lenient_load(path)
        if data is None:  # empty files are the loader's business, not the schema's
            continue
        seen[kind] = seen.get(kind, 0) + 1
        relative = path.relative_to(root).as_posix()
        errors = _errors(kind, data)
        if relative in KNOWN_INVALID:
            if not errors:
                wrongly_passing.append(relative)
            continue
        failures += [f"{relative} [{kind}] {e}" for e in errors]
    assert not failures, "\n".join(failures[:40])
    assert not wrongly_passing, f"known-invalid files now pass: {wrongly_passing}"
    assert set(seen) == set(KINDS), f"no real files seen for {set(KINDS) - set(seen)}"
    assert seen["layout"] > 250


# --- mistakes each schema must catch ---------------------------------------------------------

BAD: list[tuple[str, Any, str]] = [
    ("layout-sets", {"sets": [{"id": "form", "dataTyp": "model"}]}, "dataTyp"),
    ("layout-sets", {"sets": [{"dataType": "model"}]}, "id"),
    ("layout-sets", {"sets": [], "uiSettings": {"autoSaveBehavior": "never"}}, "never"),
    ("layout-settings", {"pages": {"order": "Side1"}}, "array"),
    ("layout-settings", {"pages": {"ordr": ["Side1"]}}, "ordr"),
    ("layout-settings", {"pages": {"order": ["a"], "groups": [{"order": ["a"]}]}}, "more than one"),
    ("layout-settings", {"pages": {"groups": [{"order": ["a", "b"]}]}}, "name"),
    ("layout-settings", {"pages": {}}, "oneOf"),
    ("layout-settings", {"defaultDataType": "model"}, "pages"),
    ("layout-settings", {"pages": {"order": [], "navigationTitle": 5}}, "navigationTitle"),
    ("layout-settings", {"pages": {"order": []}, "defaultDataType": 3}, "string"),
    ("ui-settings", {"taskNavigation": [{"name": "x"}]}, "taskNavigation"),
    ("footer", {"footer": [{"type": "Fax", "title": "x"}]}, "Fax"),
    ("footer", {"footer": [{"type": "Email", "title": "x"}]}, "target"),
    ("text-resources", {"language": "nb", "resources": [{"value": "a"}]}, "id"),
    ("text-resources", {"language": "nb", "resources": [{"id": "a", "text": "x"}]}, "text"),
    ("text-resources", {"language": "nb", "resources": [{"id": "a", "value": 1}]}, "string"),
    (
        "text-resources",
        {"language": "nb", "resources": [{"id": "a", "value": "", "variables": [{"key": "x"}]}]},
        "dataSource",
    ),
    ("options", [{"value": "a"}], "label"),
    ("options", {"value": "a", "label": "b"}, "array"),
    ("validation", {"validations": {"a": [{"message": "m"}]}}, "condition"),
    ("validation", {"validations": {"a": [{"ref": "r", "severity": "fatal"}]}}, "fatal"),
    ("validation", {"validations": {"a": [{"message": "m", "condition": []}]}}, "condition"),
    ("applicationmetadata", {"id": "org/app", "org": "org", "title": {}}, "dataTypes"),
    ("applicationmetadata", {"id": "app", "org": "o", "title": {}, "dataTypes": []}, "match"),
    ("applicationmetadata", {"id": "o/a", "org": "o", "title": {}, "dataTypes": [{}]}, "id"),
    ("applicationmetadata", {"id": "o/a", "org": "o", "dataTypes": []}, "title"),
    (
        "applicationmetadata",
        {"id": "o/a", "org": "o", "title": {}, "dataTypes": [], "onEntry": {"shw": "x"}},
        "shw",
    ),
]


@pytest.mark.parametrize(("kind", "data", "needle"), BAD)
def test_schema_rejects_mistake(kind: str, data: Any, needle: str) -> None:
    errors = _errors(kind, data)
    assert errors, f"{kind} accepted {data!r}"
    assert any(needle in e for e in errors), errors


def test_validation_accepts_expression_messages_and_refs() -> None:
    data = {
        "validations": {
            "a.b": [
                {"message": ["concat", "x", ["text", "y"]], "condition": ["equals", 1, 1]},
                "named",
                {"ref": "named", "severity": "warning"},
            ]
        },
        "definitions": {"named": {"message": "m", "condition": True}},
    }
    assert _errors("validation", data) == []


def test_metadata_keys_match_in_any_case_but_unknown_keys_are_reported() -> None:
    data: dict[str, Any] = {
        "id": "o/a",
        "org": "o",
        "title": {"nb": "App"},
        "dataTypes": [
            {"id": "model", "appLogic": {"ClassRef": "X"}},
            {"id": "x", "appLogic": None},
        ],
        "PartyTypesAllowed": {"person": True},
    }
    assert _errors("applicationmetadata", data) == []
    data["dataTypes"][0]["appLogic"]["diallowUserDelete"] = True
    errors = _errors("applicationmetadata", data)
    assert len(errors) == 1 and "diallowUserDelete" in errors[0]
    data["dataTypes"][0]["appLogic"] = {"classRef": 5}
    assert len(_errors("applicationmetadata", data)) == 1


@pytest.mark.conformance
def test_reference_validator_agrees_on_a_sample_of_real_files() -> None:
    """The schemas mean the same to jsonschema (Python) as to jsonschema-rs (used at runtime);
    a sample keeps this fast: every known-invalid file plus every 25th other file."""
    root = require_suite("STUDIO_REAL_APPS")
    reference = {kind: jsonschema.Draft7Validator(schema_for(kind)) for kind in KINDS}
    checked = 0
    for index, (kind, path) in enumerate(real_app_files(root)):
        relative = path.relative_to(root).as_posix()
        if relative not in KNOWN_INVALID and index % 25:
            continue
        data = lenient_load(path)
        if data is None:
            continue
        checked += 1
        expected = validator_for(kind).is_valid(data)
        assert reference[kind].is_valid(data) == expected, relative
    assert checked > 30
