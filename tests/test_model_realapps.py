"""Every real app's data models load, check, validate their own sample data and round-trip it
through XML; every binding check runs. Findings are printed per app (`pytest -s`)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from conftest import require_suite, suite_path
from lxml import etree

from app_runtime.app import load_app
from app_runtime.checks.bindings import check_bindings
from app_runtime.checks.models import check_models
from app_runtime.datavalidation import load_app_model
from schemas.instances import json_to_xml, sample_instance, xml_to_json
from schemas.model import DataModel, ModelLoadError
from schemas.validation import ModelValidator


def _apps() -> list[str]:
    root = suite_path("STUDIO_REAL_APPS")
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "App").is_dir())


def _normalise(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _normalise(v) for k, v in data.items() if v != [] and v != ""}
    if isinstance(data, list):
        return [_normalise(v) for v in data]
    return data


@pytest.mark.conformance
@pytest.mark.parametrize("name", _apps() or ["(none)"])
def test_real_app_models_and_bindings(name: str) -> None:
    root = require_suite("STUDIO_REAL_APPS")
    if name == "(none)":
        pytest.skip("no real apps")
    app = load_app(root / name)
    model_findings = list(check_models(app))
    assert not [f for f in model_findings if f.code == "MODEL001"], model_findings
    binding_findings = list(check_bindings(app))
    for finding in model_findings + binding_findings:
        print(
            f"{name}: {finding.code} {finding.severity.label} {finding.location}: {finding.message}"
        )

    unsatisfiable = {f.location.file for f in model_findings if f.code == "MODEL008"}
    checked = 0
    for files in app.models:
        if files.schema_path is None:
            continue
        data_types = [
            t["id"]
            for t in app.data_types
            if isinstance(t.get("id"), str) and app.model_for_data_type(t["id"]) == files
        ]
        model = load_app_model(app, data_types[0]) if data_types else None
        if not isinstance(model, DataModel):
            from schemas.model import model_from_document

            document = app.json(files.schema_path)
            assert document is not None, files.schema_path
            try:
                model = model_from_document(document, files.name)
            except ModelLoadError as exc:  # pragma: no cover - reported as MODEL001 above
                pytest.fail(str(exc))
        tree = model.tree()
        fields = tree.fields()
        assert all(f.path for f in fields)
        validator = ModelValidator(model)
        if app.relpath(files.schema_path) in unsatisfiable:
            continue  # fixed values of the wrong type: no data can be valid (MODEL008)
        rng = random.Random(name)
        for _ in range(3):
            sample = sample_instance(model, rng)
            assert validator.errors(sample) == [], (files.name, sample)
            root_element, problems = json_to_xml(model, sample)
            assert problems == []
            raw = etree.tostring(root_element, encoding="utf-8")
            back = xml_to_json(model, etree.fromstring(raw))
            assert back.problems == []
            assert _normalise(back.data) == _normalise(sample)
        checked += 1
    print(f"{name}: {checked} model(s) sampled and round-tripped")


def _xsd_names(schema: Any) -> set[str]:
    import xmlschema

    kinds = (xmlschema.validators.XsdElement, xmlschema.validators.XsdAttribute)
    return {c.local_name for c in schema.iter_components() if isinstance(c, kinds) and c.local_name}


@pytest.mark.conformance
@pytest.mark.parametrize("name", _apps() or ["(none)"])
def test_real_app_sample_xml_is_valid_against_the_apps_xsd(name: str) -> None:
    """Where an app's .xsd and .schema.json name the same fields, the XML we write for any
    sample is valid against the XSD: element order, attributes and text content match what
    Altinn's own serializer would write (minus `altinnRowId`, which Altinn writes on rows
    without declaring it in the XSD)."""
    import xmlschema

    root = require_suite("STUDIO_REAL_APPS")
    if name == "(none)":
        pytest.skip("no real apps")
    app = load_app(root / name)
    compared = 0
    for files in app.models:
        if files.schema_path is None or files.xsd_path is None:
            continue
        data_types = [
            t["id"]
            for t in app.data_types
            if isinstance(t.get("id"), str) and app.model_for_data_type(t["id"]) == files
        ]
        model = load_app_model(app, data_types[0]) if data_types else None
        if not isinstance(model, DataModel):
            from schemas.model import model_from_document

            document = app.json(files.schema_path)
            assert document is not None
            model = model_from_document(document, files.name)
        schema = xmlschema.XMLSchema(
            str(files.xsd_path), base_url=str(files.xsd_path.parent), allow="sandbox"
        )
        ours = {f.name for f in model.tree().walk()} | {model.root_element_name}
        if ours != _xsd_names(schema):
            print(
                f"{name}: {files.name}: .xsd and .schema.json disagree on {sorted(ours ^ _xsd_names(schema))}"
            )
            continue
        rng = random.Random(files.name)
        for _ in range(3):
            element, problems = json_to_xml(model, sample_instance(model, rng, optional=1.0))
            assert problems == []
            for node in element.iter():
                node.attrib.pop("altinnRowId", None)
            errors = list(schema.iter_errors(etree.tostring(element, encoding="unicode")))
            assert errors == [], (files.name, str(errors[0])[:400])
        compared += 1
    print(f"{name}: {compared} model(s) wrote XSD-valid XML")


def test_real_apps_are_found_when_present() -> None:
    root = suite_path("STUDIO_REAL_APPS")
    if not root.is_dir():
        pytest.skip("STUDIO_REAL_APPS is absent")
    assert _apps(), f"no apps with an App/ folder in {root}"
    assert all((Path(root) / n / "App").is_dir() for n in _apps())
