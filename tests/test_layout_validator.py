"""The per-type page-layout validator agrees with the full generated schema on every verdict."""

from __future__ import annotations

import copy
import random
from typing import Any

import jsonschema_rs
import pytest
from conftest import require_suite
from hypothesis import given, settings
from hypothesis import strategies as st
from test_app_file_schemas import lenient_load, real_app_files

from schemas.app_files import _layout_schema, layout_validator, validator_for
from schemas.app_files.layout_validator import PageLayoutValidator, _by_type

FULL = jsonschema_rs.Draft7Validator(_layout_schema())


def agree(page: Any) -> None:
    fast = validator_for("layout")
    assert isinstance(fast, PageLayoutValidator)
    assert fast.is_valid(page) == FULL.is_valid(page), page


def page_of(*components: Any) -> dict[str, Any]:
    return {"data": {"layout": list(components)}}


@pytest.mark.parametrize(
    "page",
    [
        page_of({"id": "a", "type": "Input", "dataModelBindings": {"simpleBinding": "x"}}),
        page_of({"id": "a", "type": "input", "dataModelBindings": {"simpleBinding": "x"}}),
        page_of({"id": "a", "type": "INPUT", "dataModelBindings": {"simpleBinding": "x"}}),
        page_of({"id": "a", "type": "Header", "size": "L"}),
        page_of({"id": "a", "type": "Heading", "size": "L"}),
        page_of({"id": "a", "type": "NoSuchType"}),
        page_of({"id": "a"}),
        page_of({"id": "a", "type": 7}),
        page_of("not a component"),
        page_of(None),
        page_of({"id": "a", "type": "Input", "unknownKey": 1}),
        page_of({"id": "a", "type": "Group", "children": ["b"]}, {"id": "b", "type": "Paragraph"}),
        {"data": {"layout": "nope"}},
        {"data": {}},
        {"data": {"layout": [], "hidden": ["equals", 1, 1]}},
        {"data": {"layout": [], "extra": True}},
        [],
        "page",
    ],
)
def test_verdict_matches_the_full_schema(page: Any) -> None:
    agree(page)


COMPONENT_TYPES = st.sampled_from(
    ["Input", "input", "Checkboxes", "RepeatingGroup", "Group", "Summary2", "Header", "Grid", "X"]
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
KEYS = st.sampled_from(
    ["id", "dataModelBindings", "textResourceBindings", "required", "hidden", "children", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(COMPONENT_TYPES, st.dictionaries(KEYS, VALUES, max_size=4)), max_size=4))
def test_random_components_get_the_full_schemas_verdict(parts: list[Any]) -> None:
    components = [{"id": f"c{i}", "type": kind, **extra} for i, (kind, extra) in enumerate(parts)]
    agree(page_of(*components))


@pytest.mark.conformance
def test_every_real_app_page_gets_the_full_schemas_verdict() -> None:
    root = require_suite("STUDIO_REAL_APPS")
    checked = 0
    for kind, path in real_app_files(root):
        if kind != "layout":
            continue
        data = lenient_load(path)
        if data is None:
            continue
        agree(data)
        broken = copy.deepcopy(data)
        for component in (
            broken.get("data", {}).get("layout", []) if isinstance(broken, dict) else []
        ):
            if isinstance(component, dict):
                component["notAProperty"] = True
        agree(broken)
        checked += 1
    assert checked > 100


def test_many_spellings_of_one_type_share_one_validator() -> None:
    """A hostile page may spell a type in thousands of letter cases; validators are built
    per set of schema branches, so that costs one validator, not thousands."""
    validator = validator_for("layout")
    assert isinstance(validator, PageLayoutValidator)
    name = "radiobuttons"
    spellings = sorted(
        {"".join(c.upper() if (m >> i) & 1 else c for i, c in enumerate(name)) for m in range(512)}
    )
    components = [
        {"id": f"c{i}", "type": t, "dataModelBindings": {"simpleBinding": "a"}, "optionsId": "x"}
        for i, t in enumerate(spellings)
    ]
    before = validator._per_branches.cache_info().currsize
    agree(page_of(*components))
    assert validator._per_branches.cache_info().currsize - before <= 1


class Mapping(dict):  # type: ignore[type-arg]
    """A dict subclass: grouping must leave it to the full schema, like any non-dict."""


class Name(str):
    """A str subclass as a type name (jsonschema-rs refuses it; both validators must)."""


def plain_groups(components: list[Any]) -> dict[str, list[Any]] | None:
    """The grouping `_by_type` stands in for, written with `.get` and exact type tests."""
    by_type: dict[str, list[Any]] = {}
    for component in components:
        name = component.get("type") if type(component) is dict else None
        if type(name) is not str:
            return None
        by_type.setdefault(name, []).append(component)
    return by_type


ODD_COMPONENTS: list[Any] = [
    None,
    "Input",
    ["type"],
    7,
    {"id": "no-type"},
    {"id": "n", "type": None},
    {"id": "n", "type": 5},
    {"id": "n", "type": ["Input"]},
    Mapping(id="m", type="Input"),
    {"id": "s", "type": Name("Input")},
]


def test_grouping_matches_the_plain_loop() -> None:
    rng = random.Random(3)
    names = ["Input", "input", "INPUT", "Paragraph", "Group", "X", ""]
    for _ in range(500):
        components: list[Any] = [
            {"id": f"c{i}", "type": rng.choice(names)} for i in range(rng.randint(0, 9))
        ]
        if rng.random() < 0.4:
            components.insert(rng.randint(0, len(components)), rng.choice(ODD_COMPONENTS))
        got = _by_type(components)
        want = plain_groups(components)
        if want is None:
            assert got is None, components
        else:
            assert got is not None and list(got.items()) == list(want.items())


def outcome(validator: Any, page: Any) -> tuple[str, Any]:
    try:
        return "verdict", bool(validator.is_valid(page))
    except Exception as exc:  # jsonschema-rs refuses some Python types
        return "error", type(exc).__name__


@pytest.mark.parametrize("odd", ODD_COMPONENTS)
def test_odd_components_get_the_full_schemas_outcome(odd: Any) -> None:
    fast = validator_for("layout")
    valid = {"id": "a", "type": "Input", "dataModelBindings": {"simpleBinding": "x"}}
    for page in (page_of(odd), page_of(valid, odd), page_of(odd, dict(valid, id="b"))):
        assert outcome(fast, page) == outcome(FULL, page), page


def test_validators_remembered_by_name_are_the_per_branch_ones() -> None:
    validator = validator_for("layout")
    assert isinstance(validator, PageLayoutValidator)
    spellings = ["Input", "input", "Header", "Heading", "NoSuchType", "Summary2"]
    agree(page_of(*({"id": f"c{i}", "type": t} for i, t in enumerate(spellings))))
    for name in spellings:
        assert validator._by_name[name] is validator._per_branches(validator._branches_of(name))


def test_names_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout_validator, "MAX_NAMES", 3)
    validator = PageLayoutValidator(_layout_schema())
    spellings = ["Paragraph", "paragraph", "PARAGRAPH", "pAragraph", "paRagraph", "parAgraph"]
    components = [{"id": f"c{i}", "type": t} for i, t in enumerate(spellings)]
    for _ in range(2):  # the second time, most names come from the bounded caches
        assert validator.is_valid(page_of(*components)) is FULL.is_valid(page_of(*components))
        assert list(validator._by_name) == spellings[:3]
    broken = [*components, {"id": "x", "type": "pArAgRaPh", "unknownKey": 1}]
    assert validator.is_valid(page_of(*broken)) is FULL.is_valid(page_of(*broken)) is False
