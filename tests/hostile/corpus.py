"""The hostile input corpus: app folders built to break a naive loader.

Each builder writes one case under a given folder and returns what the validator must say
about it: the expected exit code and a code that must appear. Large or dangerous inputs are
generated here, at test time, and never committed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

METADATA = {
    "id": "ttd/hostile",
    "org": "ttd",
    "title": {"nb": "Hostile"},
    "dataTypes": [
        {"id": "model", "appLogic": {"classRef": "Altinn.App.Models.model"}, "taskId": "Task_1"}
    ],
}

PROCESS = """<?xml version="1.0" encoding="utf-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p"><bpmn:task id="Task_1"/></bpmn:process>
</bpmn:definitions>
"""

SECRET = "TOP-SECRET-OUTSIDE-THE-APP"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<{root}>&lol9;</{root}>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret_path}">]>
<{root}>&xxe;</{root}>
"""


@dataclass(frozen=True)
class Expectation:
    """What validating a case must give: exit code and a finding code that must appear
    (empty: no particular code, the case is about what must not happen)."""

    exit_code: int
    code: str


def write(root: Path, files: dict[str, object]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")


def minimal_app(root: Path, **extra: object) -> None:
    files: dict[str, object] = {
        "App/config/applicationmetadata.json": METADATA,
        "App/config/process/process.bpmn": PROCESS,
        "App/models/model.schema.json": {"type": "object"},
        "App/ui/layout-sets.json": {
            "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
        },
        "App/ui/form/Settings.json": {"pages": {"order": ["page"]}},
        "App/ui/form/layouts/page.json": {"data": {"layout": []}},
    }
    files.update(extra)  # type: ignore[arg-type]
    write(root, files)


def secret_file(outside: Path) -> Path:
    outside.mkdir(parents=True, exist_ok=True)
    path = outside / "secret.json"
    path.write_text(json.dumps({"secret": SECRET, "sets": [SECRET]}))
    return path


def truncated_json(root: Path, outside: Path) -> Expectation:
    text = json.dumps({"data": {"layout": [{"id": "field", "type": "Input"}]}}, indent=2)
    minimal_app(root, **{"App/ui/form/layouts/page.json": text[: len(text) // 2]})
    return Expectation(1, "FILE001")


def non_utf8_json(root: Path, outside: Path) -> Expectation:
    raw = json.dumps(METADATA | {"title": {"nb": "Søknad"}}, ensure_ascii=False)
    minimal_app(root, **{"App/config/applicationmetadata.json": raw.encode("latin-1")})
    return Expectation(1, "FILE001")


def wrong_types_everywhere(root: Path, outside: Path) -> Expectation:
    minimal_app(
        root,
        **{
            "App/config/applicationmetadata.json": {"id": 5, "org": [], "dataTypes": "x"},
            "App/ui/layout-sets.json": {"sets": {"id": "form"}},
            "App/ui/form/Settings.json": {"pages": 3},
            "App/ui/form/layouts/page.json": {"data": {"layout": {"id": 1}}},
            "App/ui/form/layouts/other.json": [1, 2, 3],
            "App/ui/form/layouts/third.json": {
                "data": {
                    "layout": [
                        7,
                        {"id": 1, "type": ["Input"], "children": "x"},
                        {"id": "grp", "type": "Group", "children": [1, None, {"a": 1}]},
                        {"id": "txt", "type": "Input", "textResourceBindings": [1]},
                        {"id": "opt", "type": "Dropdown", "optionsId": 3, "options": "x"},
                    ]
                }
            },
            "App/config/texts/resource.nb.json": {"resources": 5},
            "App/config/texts/resource.en.json": {"resources": [5, {"id": 3}, {"variables": 1}]},
            "App/options/colours.json": {"value": "r"},
            "App/appsettings.json": {"FrontEndSettings": "x"},
            "App/ui/footer.json": "null",
            "App/models/model.schema.json": [],
            "App/models/model.validation.json": "true",
        },
    )
    return Expectation(1, "FILE011")


def huge_page(root: Path, outside: Path) -> Expectation:
    minimal_app(root)
    component = json.dumps({"id": "para", "type": "Paragraph"})
    count = (50 * 1024 * 1024) // (len(component) + 1) + 1
    path = root / "App/ui/form/layouts/page.json"
    with path.open("w") as handle:
        handle.write('{"data": {"layout": [')
        handle.write(",".join([component] * count))
        handle.write("]}}")
    return Expectation(1, "FILE006")


def deep_json(root: Path, outside: Path) -> Expectation:
    depth = 100_000
    minimal_app(root, **{"App/ui/form/layouts/page.json": "[" * depth + "]" * depth})
    return Expectation(1, "FILE001")


def billion_laughs_process(root: Path, outside: Path) -> Expectation:
    text = BILLION_LAUGHS.format(root="definitions")
    minimal_app(root, **{"App/config/process/process.bpmn": text})
    return Expectation(1, "FILE002")


def billion_laughs_policy(root: Path, outside: Path) -> Expectation:
    minimal_app(root, **{"App/config/authorization/policy.xml": BILLION_LAUGHS.format(root="P")})
    return Expectation(1, "FILE002")


def external_entity_policy(root: Path, outside: Path) -> Expectation:
    text = EXTERNAL_ENTITY.format(secret_path=secret_file(outside), root="Policy")
    minimal_app(root, **{"App/config/authorization/policy.xml": text})
    return Expectation(1, "FILE002")


def external_entity_process(root: Path, outside: Path) -> Expectation:
    text = EXTERNAL_ENTITY.format(secret_path=secret_file(outside), root="definitions")
    minimal_app(root, **{"App/config/process/process.bpmn": text})
    return Expectation(1, "FILE002")


def external_entity_xsd(root: Path, outside: Path) -> Expectation:
    text = EXTERNAL_ENTITY.format(secret_path=secret_file(outside), root="xs:schema")
    text = text.replace("<xs:schema>", '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">')
    minimal_app(root, **{"App/models/model.xsd": text})
    return Expectation(1, "FILE002")


def billion_laughs_xsd(root: Path, outside: Path) -> Expectation:
    minimal_app(root, **{"App/models/model.xsd": BILLION_LAUGHS.format(root="schema")})
    return Expectation(1, "FILE002")


def deep_xml(root: Path, outside: Path) -> Expectation:
    depth = 100_000
    text = "<definitions>" + "<a>" * depth + "</a>" * depth + "</definitions>"
    minimal_app(root, **{"App/config/process/process.bpmn": text})
    return Expectation(1, "FILE002")


def xsd_imports_outside(root: Path, outside: Path) -> Expectation:
    secret = secret_file(outside)
    xsd_secret = outside / "secret.xsd"
    xsd_secret.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:element name="{SECRET}" type="xs:string"/></xs:schema>'
    )
    text = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:include schemaLocation="{xsd_secret}"/>'
        '<xs:import namespace="urn:x" schemaLocation="http://127.0.0.1:9/evil.xsd"/>'
        f'<xs:include schemaLocation="file://{secret}"/>'
        '<xs:element name="model"><xs:complexType><xs:sequence>'
        '<xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>'
        "</xs:schema>"
    )
    minimal_app(root, **{"App/models/model.xsd": text})
    return Expectation(1, "")  # what matters: nothing fetched, nothing leaked


def json_schema_refs_outside(root: Path, outside: Path) -> Expectation:
    secret = secret_file(outside)
    model = {
        "type": "object",
        "properties": {
            "local": {"$ref": f"file://{secret}"},
            "remote": {"$ref": "http://127.0.0.1:9/evil.json"},
            "relative": {"$ref": "../../../outside/secret.json"},
        },
    }
    minimal_app(root, **{"App/models/model.schema.json": model})
    return Expectation(1, "")  # what matters: nothing fetched, nothing leaked


def symlinks_outside(root: Path, outside: Path) -> Expectation:
    secret = secret_file(outside)
    minimal_app(root)
    links = {
        "App/options/leak.json": secret,
        "App/config/texts/resource.nb.json": secret,
        "App/ui/form/layouts/leak.json": secret,
        "App/ui/outside": outside,
        "App/logic": outside,
    }
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    return Expectation(1, "FILE003")


def symlinked_ui_folder(root: Path, outside: Path) -> Expectation:
    secret_file(outside)
    write(outside, {"form/layouts/page.json": {"data": {"layout": [{"id": SECRET}]}}})
    minimal_app(root)
    ui = root / "App/ui"
    for child in sorted(ui.rglob("*"), reverse=True):
        child.unlink() if not child.is_dir() else child.rmdir()
    ui.rmdir()
    os.symlink(outside, ui)
    return Expectation(1, "FILE003")


def missing_folders(root: Path, outside: Path) -> Expectation:
    write(root, {"App/config/applicationmetadata.json": METADATA})
    return Expectation(1, "META002")


def only_app_folder(root: Path, outside: Path) -> Expectation:
    (root / "App").mkdir(parents=True)
    return Expectation(1, "META001")


def folder_where_file_expected(root: Path, outside: Path) -> Expectation:
    minimal_app(root)
    (root / "App/ui/form/Settings.json").unlink()
    (root / "App/ui/form/Settings.json").mkdir()
    (root / "App/options/dir.json").mkdir(parents=True)
    meta = root / "App/config/applicationmetadata.json"
    meta.unlink()
    meta.mkdir()
    return Expectation(1, "FILE006")


def pipes_where_files_expected(root: Path, outside: Path) -> Expectation:
    """Named pipes where Altinn expects files: reading one would wait for a writer forever."""
    minimal_app(root)
    page = root / "App/ui/form/layouts/page.json"
    page.unlink()
    os.mkfifo(page)
    os.mkfifo(root / "App/config/process/policy.xml")
    (root / "App/config/authorization").mkdir(parents=True)
    os.symlink("../process/policy.xml", root / "App/config/authorization/policy.xml")
    (root / "App/logic").mkdir(parents=True)
    os.mkfifo(root / "App/logic/Program.cs")
    os.mkfifo(root / "App/models/model.xsd")
    return Expectation(1, "FILE006")


def one_type_in_thousands_of_spellings(root: Path, outside: Path) -> Expectation:
    """4,096 components, each spelling RadioButtons in other letter cases: anything built
    per spelling of a type (validators, slot tables) would be built 4,096 times."""
    name = "radiobuttons"
    spellings = sorted(
        {"".join(c.upper() if (m >> i) & 1 else c for i, c in enumerate(name)) for m in range(4096)}
    )
    layout = [
        {
            "id": f"c{i}",
            "type": spelling,
            "dataModelBindings": {"simpleBinding": "a"},
            "optionsId": "x",
            "hidden": ["equals", ["dataModel", "a"], 1],
        }
        for i, spelling in enumerate(spellings)
    ]
    minimal_app(root, **{"App/ui/form/layouts/page.json": {"data": {"layout": layout}}})
    return Expectation(1, "LAY002")


def thousands_of_unknown_types(root: Path, outside: Path) -> Expectation:
    """4,096 components, half of a type of their own, each with a key, a text key and a
    binding of its own: thousands of findings, none of them found by a quadratic search."""
    layout = [
        {
            "id": f"c{i}",
            "type": f"Made{i}Up" if i % 2 else "Input",
            f"extra{i}": ["equals", 1, 1],
            "dataModelBindings": {"simpleBinding": f"p{i}.q"},
            "textResourceBindings": {f"k{i}": ["concat", "a"]},
        }
        for i in range(4096)
    ]
    minimal_app(root, **{"App/ui/form/layouts/page.json": {"data": {"layout": layout}}})
    return Expectation(1, "LAY001")


def empty_folder(root: Path, outside: Path) -> Expectation:
    root.mkdir(parents=True)
    return Expectation(2, "APP001")


def not_a_folder(root: Path, outside: Path) -> Expectation:
    root.parent.mkdir(parents=True, exist_ok=True)
    root.write_text("just a file")
    return Expectation(2, "APP001")


CASES: dict[str, Callable[[Path, Path], Expectation]] = {
    "truncated-json": truncated_json,
    "non-utf8-json": non_utf8_json,
    "wrong-types-everywhere": wrong_types_everywhere,
    "page-50mb": huge_page,
    "json-100000-deep": deep_json,
    "billion-laughs-process": billion_laughs_process,
    "billion-laughs-policy": billion_laughs_policy,
    "billion-laughs-xsd": billion_laughs_xsd,
    "external-entity-policy": external_entity_policy,
    "external-entity-process": external_entity_process,
    "external-entity-xsd": external_entity_xsd,
    "xml-100000-deep": deep_xml,
    "xsd-imports-outside": xsd_imports_outside,
    "json-schema-refs-outside": json_schema_refs_outside,
    "symlinks-outside": symlinks_outside,
    "symlinked-ui-folder": symlinked_ui_folder,
    "missing-folders": missing_folders,
    "only-app-folder": only_app_folder,
    "folder-where-file-expected": folder_where_file_expected,
    "pipes-where-files-expected": pipes_where_files_expected,
    "type-in-4096-spellings": one_type_in_thousands_of_spellings,
    "unknown-types-4096": thousands_of_unknown_types,
    "empty-folder": empty_folder,
    "not-a-folder": not_a_folder,
}
