"""The component catalogue: complete, consistent, and in sync with the committed layout schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import require_suite

from layouts.catalogue import (
    Category,
    ExprType,
    all_definitions,
    canonical_type,
    children_of,
    definition_for,
    is_container,
    repeating_binding_of,
    resolve,
)
from layouts.catalogue.registry import all_type_names
from layouts.catalogue.schema_gen import REGENERATE_COMMAND, layout_schema, layout_schema_text
from schemas.app_files import LAYOUT_SCHEMA_PATH, validator_for

V4_TYPES = [
    "Accordion",
    "AccordionGroup",
    "ActionButton",
    "Address",
    "AddToList",
    "Alert",
    "AttachmentList",
    "Audio",
    "Button",
    "ButtonGroup",
    "Cards",
    "Checkboxes",
    "Custom",
    "CustomButton",
    "Date",
    "Datepicker",
    "Divider",
    "Dropdown",
    "FileUpload",
    "FileUploadWithTag",
    "Grid",
    "Group",
    "Header",
    "IFrame",
    "Image",
    "Input",
    "InstanceInformation",
    "InstantiationButton",
    "Likert",
    "LikertItem",
    "Link",
    "List",
    "Map",
    "MultipleSelect",
    "NavigationBar",
    "NavigationButtons",
    "Number",
    "Option",
    "OrganisationLookup",
    "Panel",
    "Paragraph",
    "Payment",
    "PaymentDetails",
    "PDFPreviewButton",
    "PersonLookup",
    "PrintButton",
    "RadioButtons",
    "RepeatingGroup",
    "SimpleTable",
    "Subform",
    "Summary",
    "Summary2",
    "Tabs",
    "Text",
    "TextArea",
    "Video",
]
V9_TYPES = ["ImageUpload", "SigneeList", "SigningActions", "SigningDocumentList", "TimePicker"]
V9_RENAMES = ["Heading", "OrganizationLookup"]
JSON_KINDS = {"string", "number", "integer", "boolean", "object", "array", "any"}


def test_v4_list_has_56_types_and_all_are_defined() -> None:
    assert len(V4_TYPES) == 56
    missing = [t for t in (*V4_TYPES, *V9_TYPES, *V9_RENAMES) if definition_for(t) is None]
    assert not missing


def test_both_naming_generations() -> None:
    assert definition_for("Heading") is definition_for("Header")
    org_v4, org_v9 = definition_for("OrganisationLookup"), definition_for("OrganizationLookup")
    assert org_v4 is not None and org_v9 is not None and org_v4 is not org_v9
    assert org_v4.binding("organisation_lookup_orgnr") is not None
    assert org_v9.binding("organization_lookup_orgnr") is not None


def test_names_are_unique_even_ignoring_case() -> None:
    names = [name for d in all_definitions() for name in d.names]
    assert len(names) == len(set(names))
    assert len({n.lower() for n in names}) == len(names)
    assert sorted(names) == all_type_names()


def test_definitions_are_well_formed() -> None:
    for definition in all_definitions():
        where = definition.type
        assert isinstance(definition.category, Category), where
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", definition.type), where
        prop_names = [p.name for p in definition.props]
        assert len(prop_names) == len(set(prop_names)), f"{where}: duplicate property"
        assert not {"id", "type", "dataModelBindings", "textResourceBindings"} & set(prop_names)
        for prop in definition.props:
            assert prop.kind in JSON_KINDS, f"{where}.{prop.name}: kind {prop.kind}"
            assert prop.expr is None or isinstance(prop.expr, ExprType)
        keys = [b.key for b in definition.bindings]
        assert len(keys) == len(set(keys)), where
        assert len(definition.text_keys) == len(set(definition.text_keys)), where
        if definition.repeating:
            assert definition.binding(definition.repeating_binding or "") is not None, where


def test_every_child_path_is_well_formed() -> None:
    containers = [d for d in all_definitions() if d.is_container]
    assert {d.type for d in containers} >= {
        "Group",
        "RepeatingGroup",
        "Tabs",
        "Cards",
        "Grid",
        "Accordion",
        "AccordionGroup",
        "ButtonGroup",
    }
    for definition in containers:
        for path in definition.child_paths:
            assert path and path[0] != "*" and path[-1] != "*", (definition.type, path)
            assert all(isinstance(step, str) and step for step in path)
            assert definition.prop(path[0]) is not None, (definition.type, path)


def test_child_paths_agree_with_the_generated_schema() -> None:
    """Every child path leads, through the component's schema, to an id string (or list)."""
    schema = layout_schema()
    defs = schema["definitions"]

    def deref(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        return node

    for definition in (d for d in all_definitions() if d.is_container):
        for path in definition.child_paths:
            node = defs[f"comp-{definition.type}"]
            for step in path:
                node = deref(node)
                node = node["items"] if step == "*" else node["properties"][step]
            leaf = deref(node)
            assert leaf.get("type") == "string" or leaf.get("items") == {"type": "string"}, (
                definition.type,
                path,
            )


def test_every_definition_has_a_schema_branch() -> None:
    schema = layout_schema()
    defs = schema["definitions"]
    branches = defs["component"]["allOf"]
    assert len(branches) == len(all_definitions())
    for definition, branch in zip(all_definitions(), branches, strict=True):
        assert branch["then"]["$ref"] == f"#/definitions/comp-{definition.type}"
        component = defs[f"comp-{definition.type}"]
        assert component["additionalProperties"] is definition.open_props
        for name in definition.names:
            assert re.match(branch["if"]["properties"]["type"]["pattern"], name)
            assert re.match(branch["if"]["properties"]["type"]["pattern"], name.lower())
    jsonschema.Draft7Validator.check_schema(schema)


def test_committed_layout_schema_matches_the_generator() -> None:
    committed = LAYOUT_SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == layout_schema_text(), (
        f"{LAYOUT_SCHEMA_PATH.name} is out of date with the component catalogue; "
        f"regenerate it with `{REGENERATE_COMMAND}`"
    )


# --- children ------------------------------------------------------------------------------


def test_children_of_repeating_group_with_multipage_and_table_rows() -> None:
    component = {
        "id": "rg",
        "type": "RepeatingGroup",
        "children": ["0:a", "1:b", "c"],
        "rowsBefore": [{"cells": [{"text": "x"}, {"component": "before"}]}],
        "rowsAfter": [{"cells": [None, {"component": "after"}]}],
    }
    refs = children_of(component)
    assert [(r.id, r.multipage_page) for r in refs] == [
        ("a", 0),
        ("b", 1),
        ("c", None),
        ("before", None),
        ("after", None),
    ]
    assert refs[0].pointer == "/children/0"
    assert refs[3].pointer == "/rowsBefore/0/cells/1/component"


def test_children_of_tabs_cards_grid_and_plain_group() -> None:
    tabs = {"type": "Tabs", "tabs": [{"id": "t1", "children": ["a", "b"]}, {"id": "t2"}]}
    assert [r.pointer for r in children_of(tabs)] == ["/tabs/0/children/0", "/tabs/0/children/1"]
    cards = {"type": "Cards", "cards": [{"media": "img", "children": ["x"]}]}
    assert [r.id for r in children_of(cards)] == ["img", "x"]
    grid = {"type": "Grid", "rows": [{"cells": [{"text": "t"}, {"component": "g"}, None]}]}
    assert [r.id for r in children_of(grid)] == ["g"]
    group = {"type": "Group", "children": ["0:literal"]}
    assert [(r.id, r.multipage_page) for r in children_of(group)] == [("0:literal", None)]
    assert children_of({"type": "Input", "children": ["x"]}) == []


def test_type_case_is_resolved_like_altinn_but_definition_for_stays_exact() -> None:
    assert definition_for("Radiobuttons") is None
    assert canonical_type("Radiobuttons") == "RadioButtons"
    assert resolve("Radiobuttons") is definition_for("RadioButtons")
    assert is_container({"type": "group", "children": ["a"]})
    assert [r.id for r in children_of({"type": "group", "children": ["a"]})] == ["a"]


def test_legacy_group_repeats_only_with_max_count_above_one() -> None:
    legacy = {"type": "Group", "maxCount": 99, "children": ["0:a"], "dataModelBindings": {}}
    assert repeating_binding_of(legacy) == "group"
    assert children_of(legacy)[0].multipage_page == 0
    assert repeating_binding_of({"type": "Group", "maxCount": 1}) is None
    assert repeating_binding_of({"type": "Group"}) is None
    assert repeating_binding_of({"type": "RepeatingGroup"}) == "group"
    assert repeating_binding_of({"type": "Input"}) is None


# --- bindings and properties ---------------------------------------------------------------


def test_binding_facts_checks_rely_on() -> None:
    datepicker = definition_for("Datepicker")
    assert datepicker is not None and datepicker.simple_binding_key == "simpleBinding"
    assert set(datepicker.binding("simpleBinding").types) >= {"string"}  # type: ignore[union-attr]
    group = definition_for("RepeatingGroup").binding("group")  # type: ignore[union-attr]
    assert group is not None and group.required and group.types == ("array",)
    simple = definition_for("Input").binding("simpleBinding")  # type: ignore[union-attr]
    assert simple is not None and set(simple.types) == {"string", "number", "integer", "boolean"}
    assert definition_for("Address").required_bindings == ("address", "zipCode", "postPlace")
    assert definition_for("Paragraph").bindings == ()  # type: ignore[union-attr]


def test_expression_properties() -> None:
    input_def = definition_for("Input")
    assert input_def is not None
    exprs = {p.name: p.expr for p in input_def.expression_props()}
    assert exprs["hidden"] is ExprType.BOOLEAN
    assert exprs["required"] is ExprType.BOOLEAN
    assert exprs["readOnly"] is ExprType.BOOLEAN
    assert "maxLength" not in exprs
    text = definition_for("Text")
    assert text is not None and text.prop("value").expr is ExprType.STRING  # type: ignore[union-attr]


# --- schema behaviour ----------------------------------------------------------------------


def _page(*components: dict[str, Any], **data: Any) -> dict[str, Any]:
    return {"$schema": "x", "data": {"layout": list(components), **data}}


def _errors(page: dict[str, Any]) -> list[str]:
    return [e.message for e in validator_for("layout").iter_errors(page)]


INPUT = {"id": "name", "type": "Input", "dataModelBindings": {"simpleBinding": "a.b"}}


@pytest.mark.parametrize(
    "page",
    [
        _page(INPUT, hidden=["equals", ["component", "x"], "y"]),
        _page({**INPUT, "hidden": ["equals", 1, 1], "required": True, "readOnly": False}),
        _page({**INPUT, "type": "input"}),
        _page({**INPUT, "dataModelBindings": {"simpleBinding": {"dataType": "m", "field": "a"}}}),
        _page({**INPUT, "textResourceBindings": {"title": ["concat", "a", "b"]}}),
        _page(
            {"id": "h", "type": "Heading", "size": "L"}, {"id": "g", "type": "Header", "size": "h2"}
        ),
        _page({"id": "c", "type": "Custom", "tagName": "x-y", "anything": {"goes": 1}}),
        _page({"id": "grid", "type": "Grid", "rows": [{"cells": [{}, None, {"text": "t"}]}]}),
        _page(),
    ],
)
def test_schema_accepts(page: dict[str, Any]) -> None:
    assert _errors(page) == []


@pytest.mark.parametrize(
    ("page", "needle"),
    [
        (_page({**INPUT, "maxLength": ["plus", 1, 2]}), "maxLength"),
        (_page({**INPUT, "colour": "red"}), "colour"),
        (_page({"id": "x", "type": "Input"}), "dataModelBindings"),
        (_page({**INPUT, "dataModelBindings": {"simpleBindin": "a"}}), "simpleBindin"),
        (_page({**INPUT, "textResourceBindings": {"titel": "t"}}), "titel"),
        (_page({**INPUT, "type": "Inputt"}), "Inputt"),
        (_page({"type": "Input"}), "id"),
        (_page({"id": "h", "type": "Header", "size": "XL"}), "XL"),
        (_page({**INPUT, "hidden": "yes"}), "hidden"),
        ({"data": {"layout": []}, "extra": 1}, "extra"),
        ({"data": {"layout": [], "hidden": 1}}, "hidden"),
        ({"data": {}}, "layout"),
    ],
)
def test_schema_rejects(page: dict[str, Any], needle: str) -> None:
    errors = _errors(page)
    assert errors, f"accepted {page}"
    detail = json.dumps(errors) + json.dumps(page)
    assert needle in detail


@pytest.mark.conformance
def test_every_type_in_real_apps_and_expression_tests_is_known() -> None:
    roots = [require_suite("STUDIO_REAL_APPS")]
    expressions = require_suite("STUDIO_EXPRESSION_TESTS")
    pages: list[Any] = []
    for root in roots:
        for path in root.glob("*/App/ui/**/layouts/*.json"):
            pages.append(_lenient(path))
    for path in expressions.rglob("*.json"):
        data = _lenient(path)
        if isinstance(data, dict) and isinstance(data.get("layouts"), dict):
            pages.extend(data["layouts"].values())
    types: set[str] = set()
    for page in pages:
        layout = page.get("data", {}).get("layout") if isinstance(page, dict) else None
        for component in layout if isinstance(layout, list) else []:
            if isinstance(component, dict) and isinstance(component.get("type"), str):
                types.add(component["type"])
    assert len(types) > 50
    unknown = sorted(t for t in types if resolve(t) is None)
    assert not unknown


def _lenient(path: Path) -> Any:
    text = path.read_bytes().decode("utf-8-sig")
    text = re.sub(
        r'"(?:[^"\\]|\\.)*"|//[^\n]*', lambda m: m.group() if m.group()[0] == '"' else "", text
    )
    text = re.sub(
        r'"(?:[^"\\]|\\.)*"|,(?=\s*[\]}])', lambda m: m.group() if m.group()[0] == '"' else "", text
    )
    return json.loads(text) if text.strip() else None


def test_lookup_bindings_accept_both_generations_of_names() -> None:
    person = definition_for("PersonLookup")
    assert person is not None
    assert person.binding("ssn") is person.binding("person_lookup_ssn")
    old = {"id": "p", "type": "PersonLookup", "dataModelBindings": {"person_lookup_ssn": "a"}}
    new = {"id": "p", "type": "PersonLookup", "dataModelBindings": {"ssn": "a", "fullName": "b"}}
    none = {"id": "p", "type": "PersonLookup", "dataModelBindings": {"fullName": "b"}}
    assert _errors(_page(old)) == []
    assert _errors(_page(new)) == []
    assert _errors(_page(none))


def test_v9_successor_names_are_defined() -> None:
    header, org = definition_for("Header"), definition_for("OrganisationLookup")
    assert header is not None and header.successor == "Heading"
    assert org is not None and org.successor == "OrganizationLookup"
    for definition in all_definitions():
        if definition.successor:
            assert resolve(definition.successor) is not None, definition.type


def test_prop_schema_forms() -> None:
    from layouts.catalogue import Prop
    from layouts.catalogue.schema_gen import prop_schema

    schema = prop_schema(Prop("flag", "boolean", "Flag", expr=ExprType.BOOLEAN, nullable=True))
    page_defs = layout_schema()["definitions"]
    validator = jsonschema.Draft7Validator({**schema, "definitions": page_defs})
    for ok in (True, None, ["equals", 1, 1]):
        assert validator.is_valid(ok), ok
    for bad in ("true", 1, []):
        assert not validator.is_valid(bad), bad
    legacy = prop_schema(Prop("old", "string", enum=("a", "b"), deprecated=True))
    assert legacy["deprecated"] is True and legacy["enum"] == ["a", "b"]


def test_each_problem_is_reported_once() -> None:
    """Overlapping schema branches would make the validator report one mistake twice."""
    page = _page(
        {"type": "Input", "dataModelBindings": {"simpleBinding": 1}, "colour": "red"},
        {"id": 5, "type": "Paragraph"},
        {"id": "x", "type": "Nope"},
        {"id": "h", "type": "Header", "size": "XL", "hidden": "no"},
    )
    errors = [
        ("/".join(map(str, e.instance_path)), e.message)
        for e in validator_for("layout").iter_errors(page)
    ]
    assert len(errors) == len(set(errors)), errors
    assert len(errors) >= 5


def test_behaviour_facts_other_packages_can_ask_instead_of_listing_types() -> None:
    multi = sorted(d.type for d in all_definitions() if d.multi_value)
    assert multi == ["Checkboxes", "MultipleSelect"]
    with_options = {d.type for d in all_definitions() if d.prop("optionsId") is not None}
    assert {"Dropdown", "RadioButtons", "Checkboxes", "Likert", "Option"} <= with_options
    valueless = {d.type for d in all_definitions() if not d.bindings}
    assert {"Header", "Paragraph", "NavigationButtons", "Button"} <= valueless
    assert "Input" not in valueless


def test_every_default_is_valid_for_its_property() -> None:
    from layouts.catalogue.schema_gen import prop_schema

    defs = layout_schema()["definitions"]
    for definition in all_definitions():
        for prop in definition.props:
            if prop.default is None:
                continue
            validator = jsonschema.Draft7Validator({**prop_schema(prop), "definitions": defs})
            assert validator.is_valid(prop.default), (definition.type, prop.name, prop.default)
