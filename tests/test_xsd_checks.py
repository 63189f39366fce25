"""XSD checks on apps, `studio model convert`, and conversion of every real app's XSD."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_suite
from lxml import etree

from app_runtime.app import load_app
from app_runtime.checks.models_xsd import check_model_xsds
from schemas.diagnostics import LocatedError
from schemas.model import load_model
from schemas.xmlsafe import parse_xml_bytes, parse_xml_file
from schemas.xsd import (
    convert_json_schema,
    convert_xsd_bytes,
    convert_xsd_file,
    is_seres,
    write_xsd,
)
from schemas.xsd.agreement import compare_xsd_with_json
from schemas.xsd.compare import xsd_differences
from studio.commands.model_convert import convert

XSD_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">\n'
)
MODEL_XSD = (
    XSD_HEAD + '  <xs:element name="model">\n'
    "    <xs:complexType>\n"
    "      <xs:sequence>\n"
    '        <xs:element name="navn" type="xs:string"/>\n'
    '        <xs:element name="alder" type="xs:int" minOccurs="0"/>\n'
    '        <xs:element name="barn" minOccurs="0" maxOccurs="unbounded">\n'
    '          <xs:complexType><xs:sequence><xs:element name="fornavn" type="xs:string"/>'
    "</xs:sequence></xs:complexType>\n"
    "        </xs:element>\n"
    "      </xs:sequence>\n"
    "    </xs:complexType>\n"
    "  </xs:element>\n"
    "</xs:schema>\n"
)


def make_app(root: Path, xsd: str, schema: dict | None) -> Path:
    models = root / "App" / "models"
    models.mkdir(parents=True)
    (models / "model.xsd").write_text(xsd, encoding="utf-8")
    if schema is not None:
        (models / "model.schema.json").write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return root


def codes(app_dir: Path) -> list[tuple[str, str, int | None]]:
    findings = check_model_xsds(load_app(app_dir))
    return [(f.code, f.location.file, f.location.line) for f in findings]


def test_app_whose_schema_was_generated_from_its_xsd_is_clean(tmp_path: Path) -> None:
    xsd_path = tmp_path / "scratch.xsd"
    xsd_path.write_text(MODEL_XSD, encoding="utf-8")
    app = make_app(tmp_path / "app", MODEL_XSD, convert_xsd_file(xsd_path))
    assert codes(app) == []


def test_drift_between_xsd_and_json_schema_is_reported(tmp_path: Path) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "@xsdRootElement": "model",
        "type": "object",
        "properties": {
            "navn": {"type": "number"},
            "alder": {"type": "integer"},
            "barn": {"type": "object", "properties": {"fornavn": {"type": "string"}}},
            "epost": {"type": "string"},
        },
        "required": ["navn", "alder"],
    }
    found = list(check_model_xsds(load_app(make_app(tmp_path, MODEL_XSD, schema))))
    messages = {(f.code, f.message) for f in found}
    assert ("XSD012", "field 'navn' is string in the XSD but number in the JSON Schema") in messages
    assert any(
        code == "XSD013" and "'alder'" in msg and "optional" in msg for code, msg in messages
    )
    assert any(code == "XSD013" and "'barn'" in msg and "repeats" in msg for code, msg in messages)
    assert any(code == "XSD011" and "'epost'" in msg for code, msg in messages)
    by_code = {f.code: f for f in found}
    assert by_code["XSD011"].location.file == "App/models/model.schema.json"
    assert by_code["XSD011"].location.line is not None


def test_field_missing_from_json_points_at_the_xsd_line(tmp_path: Path) -> None:
    schema = {
        "@xsdRootElement": "model",
        "properties": {"navn": {"type": "string"}, "barn": {"type": "array", "items": {}}},
        "required": ["navn"],
    }
    found = list(check_model_xsds(load_app(make_app(tmp_path, MODEL_XSD, schema))))
    missing = [f for f in found if f.code == "XSD010"]
    assert [f.location.line for f in missing] == [7, 9]
    assert "'alder'" in missing[0].message and "'barn.fornavn'" in missing[1].message


def test_unsupported_and_lossy_constructs_are_reported_with_lines(tmp_path: Path) -> None:
    xsd = (
        XSD_HEAD + '  <xs:element name="r" type="T"/>\n'
        '  <xs:complexType name="T"><xs:choice>\n'
        '    <xs:element name="a" type="xs:string"/>\n'
        '    <xs:element name="b" type="U"/>\n'
        "  </xs:choice></xs:complexType>\n"
        '  <xs:simpleType name="U">\n'
        '    <xs:union memberTypes="xs:int xs:date"/>\n'
        "  </xs:simpleType>\n"
        "</xs:schema>\n"
    )
    assert codes(make_app(tmp_path, xsd, None)) == [
        ("XSD003", "App/models/model.xsd", 4),
        ("XSD002", "App/models/model.xsd", 9),
    ]


def test_import_is_reported_not_fetched(tmp_path: Path) -> None:
    xsd = (
        XSD_HEAD
        + '  <xs:import namespace="urn:x" schemaLocation="http://example.com/x.xsd"/>\n</xs:schema>\n'
    )
    assert codes(make_app(tmp_path, xsd, None)) == [("XSD002", "App/models/model.xsd", 3)]


def test_refused_include_is_an_unconvertible_model(tmp_path: Path) -> None:
    xsd = XSD_HEAD + '  <xs:include schemaLocation="../../secret.xsd"/>\n</xs:schema>\n'
    assert codes(make_app(tmp_path, xsd, None)) == [("XSD001", "App/models/model.xsd", 3)]


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(convert, list(args))
    return result.exit_code, result.output


def test_cli_converts_both_directions_and_keeps_existing_files(tmp_path: Path) -> None:
    source = tmp_path / "model.xsd"
    source.write_text(MODEL_XSD, encoding="utf-8")
    code, _ = run_cli(str(source))
    assert code == 0
    generated = json.loads((tmp_path / "model.schema.json").read_text(encoding="utf-8"))
    assert generated["$id"] == "model.schema.json" and generated["@xsdRootElement"] == "model"
    code, output = run_cli(str(tmp_path / "model.schema.json"), "-o", str(tmp_path / "back.xsd"))
    assert code == 0 and (tmp_path / "back.xsd").read_bytes().startswith(b"<?xml")
    code, output = run_cli(str(source))
    assert code == 2 and "--force" in output
    assert run_cli(str(source), "--force")[0] == 0


def test_cli_many_files_into_a_folder_with_progress_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "a.xsd"
    good.write_text(MODEL_XSD, encoding="utf-8")
    bad = tmp_path / "b.xsd"
    bad.write_text(XSD_HEAD + '<xs:redefine schemaLocation="x.xsd"/></xs:schema>', encoding="utf-8")
    broken = tmp_path / "c.json"
    broken.write_text("{ not json", encoding="utf-8")
    code, output = run_cli(str(good), str(bad), str(broken), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "[1/3]" in output and "[3/3]" in output and "converted 1 of 3 files" in output
    assert "redefine" in output and "Traceback" not in output
    assert (tmp_path / "out" / "a.schema.json").is_file()


def test_cli_writes_to_standard_output(tmp_path: Path) -> None:
    source = tmp_path / "model.xsd"
    source.write_text(MODEL_XSD, encoding="utf-8")
    code, output = run_cli(str(source), "-o", "-")
    assert code == 0 and json.loads(output)["@xsdRootElement"] == "model"


@pytest.mark.conformance
def test_every_real_app_xsd_converts_and_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    """Each real-app XSD converts (or is refused with a located error, never a crash); the
    SERES-style ones come back unchanged from XSD -> JSON -> XSD."""
    apps = require_suite("STUDIO_REAL_APPS")
    xsds = sorted(apps.glob("*/App/models/*.xsd"))
    if not xsds:
        pytest.skip("no real-app XSDs found")
    converted = compared = agreeing = seres = seres_equal = 0
    refused: list[str] = []
    for path in xsds:
        try:
            schema = convert_xsd_file(path)
        except LocatedError as exc:
            assert exc.location is not None and exc.location.line is not None
            refused.append(str(exc))
            continue
        converted += 1
        assert schema["type"] == "object"
        written = write_xsd(convert_json_schema(schema, path.name))
        differences = xsd_differences(
            parse_xml_bytes(written, "written").getroot(), parse_xml_file(path).getroot()
        )
        if is_seres(schema):
            seres += 1
            assert not differences, f"{path}: {differences[:3]}"
            seres_equal += 1
        json_path = path.with_name(path.name[: -len(".xsd")] + ".schema.json")
        if json_path.is_file():
            compared += 1
            agreeing += not compare_xsd_with_json(schema, load_model(json_path))
    assert converted >= len(xsds) - len(refused)
    with capsys.disabled():
        print(f"\nrealapp_xsd_converted = {converted}/{len(xsds)}")
        print(f"realapp_xsd_refused_invalid = {len(refused)}")
        print(f"realapp_seres_round_trip_equal = {seres_equal}/{seres}")
        print(f"realapp_xsd_agreeing_with_schema_json = {agreeing}/{compared}")


@pytest.mark.conformance
def test_every_real_app_json_schema_becomes_valid_xsd(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON Schema -> XSD for every real model: the XSD compiles, and converting it back gives
    the same fields (up to array minimums that optional XSD elements cannot carry)."""
    apps = require_suite("STUDIO_REAL_APPS")
    schemas = sorted(apps.glob("*/App/models/*.schema.json"))
    if not schemas:
        pytest.skip("no real-app JSON Schemas found")
    same_fields = 0
    for path in schemas:
        written = write_xsd(convert_json_schema(json.loads(path.read_text("utf-8-sig")), path.name))
        etree.XMLSchema(etree.fromstring(written))
        back = convert_xsd_bytes(written, path.name)
        differences = compare_xsd_with_json(back, load_model(path))
        unexpected = [d for d in differences if not ("rows" in d.message and d.kind == "occurs")]
        assert not unexpected, f"{path}: {[d.message for d in unexpected[:3]]}"
        same_fields += not differences
    with capsys.disabled():
        print(f"\nrealapp_json_to_valid_xsd = {len(schemas)}/{len(schemas)}")
        print(f"realapp_json_xsd_json_same_fields = {same_fields}/{len(schemas)}")
