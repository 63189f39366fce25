"""The expression check's hot loop against its general path.

`unclear_components` passes most components after looking only at the keys that may hold
an expression, and `_LayoutSetCheck._unsure_sites` builds a Site only for what it leaves.
Both must agree exactly with asking `clean_type` about every site `page_sites` gives (the
check's former per-site loop): on generated components of every catalogue type, on made-up
slot tables, under environments where expressions are clean and where they are not, on
Subforms, and on every page of the real apps. A component is left unclear exactly when one
of its expressions is not clean, or when its shape is one the hot loop does not judge.
The hot loop's own check of [function, ["dataModel", path], literal] is compared the same
way on generated expressions of that shape (names, inner calls and literals of every kind),
on the shared expression suite and on every expression of the real apps.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import suite_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_expr_fastpath import _suite_expressions
from test_expr_sites import EXPRESSION, components, schemas_and_components

from app_runtime.app import LayoutSet, load_app
from app_runtime.checks.expression_sites import (
    TYPE_PLANS,
    Entry,
    Site,
    TypePlan,
    component_expressions,
    page_sites,
    type_plan,
    unclear_components,
)
from app_runtime.checks.expressions import _NO_COMPONENTS, _LayoutSetCheck, _PathResolver
from layouts.catalogue.expr_slots import compile_slots
from layouts.expressions.functions import FUNCTIONS
from layouts.expressions.typecheck import UNSURE, TypeEnvironment, clean_type
from schemas.sourcemap import JsonDocument

KNOWN = {"a", "a.b", "name"}


def _exists(path: str, data_type: str | None) -> bool | None:
    if data_type == "unknown-model":
        return None
    return path in KNOWN


def _unreadable(path: str) -> object:
    raise ValueError("a model the lookup cannot read")


ENVIRONMENTS = (
    TypeEnvironment(),
    TypeEnvironment(
        component_ids=set(),
        bound_component_ids=set(),
        data_types={"model"},
        data_path_exists=_exists,
        find_default_path={path: path for path in KNOWN}.get,
    ),
    TypeEnvironment(data_path_exists=lambda path, data_type: False),
    TypeEnvironment(component_ids={"c1"}, bound_component_ids={"c1"}),
    # The quick lookup finding every path, raising, or absent beside data_path_exists: the
    # hot loop's own [function, ["dataModel", path], literal] check uses it.
    TypeEnvironment(data_path_exists=lambda path, data_type: True, find_default_path=str),
    TypeEnvironment(data_path_exists=_exists, find_default_path=_unreadable),
    TypeEnvironment(data_path_exists=_exists),
)

# Clean for some property types and environments, not for others.
EXPRESSIONS = [
    EXPRESSION,
    ["equals", ["dataModel", "missing"], "x"],
    ["concat", "free ", "text"],
    ["plus", 1, 2],
    ["component", "c1"],
    ["dataModel", "a"],
    ["if", True, "x", "else", "y"],
    ["nope", 1],
    [],
    ["and", True, ["not", ["dataModel", "a.b"]]],
]


def _swap_expressions(draw: st.DrawFn, value: Any) -> Any:
    """`value` with each EXPRESSION replaced by a drawn expression."""
    if value is EXPRESSION or value == EXPRESSION:
        return draw(st.sampled_from(EXPRESSIONS))
    if isinstance(value, dict):
        return {key: _swap_expressions(draw, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap_expressions(draw, item) for item in value]
    return value


@st.composite
def varied_components(draw: st.DrawFn) -> dict[str, Any]:
    component = _swap_expressions(draw, draw(components()))
    if draw(st.integers(0, 5)) == 0:
        component["type"] = draw(st.sampled_from(["Subform", "NoSuchType", "", 5]))
    return component  # type: ignore[no-any-return]


def judged(component: dict[str, Any]) -> bool:
    """Whether the hot loop decides about the component itself: a shape it has a plan for
    (see TypePlan.quick_plan), with text keys in a dict (or no text keys)."""
    type_name = component.get("type", "")
    plan = TYPE_PLANS.get(type_name) if type(type_name) is str else None
    plan = plan or type_plan(str(type_name))
    texts = component.get("textResourceBindings")
    plain_texts = type(texts) is dict or type(texts) in (str, bool, int, float, type(None))
    return plan.quick_plan(tuple(component)) is not None and plain_texts


def assert_hot_loop_agrees(
    entries: list[Entry], env: TypeEnvironment, plan: TypePlan | None = None
) -> int:
    """`unclear_components` leaves exactly the entries it must; returns how many it judged."""
    unclear = unclear_components(entries, env)
    left = iter(unclear)
    count = 0
    for entry in entries:
        component = entry[2]
        expressions = (
            plan.expressions(component) if plan is not None else component_expressions(component)
        )
        unsure = any(
            clean_type(value, expected, env) is UNSURE for _, expected, value in expressions
        )
        is_judged = judged(component)
        count += is_judged
        if unsure or not is_judged:
            assert next(left, None) is entry, (component, expressions)
    assert next(left, None) is None  # nothing else, and in their order
    return count


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(varied_components(), min_size=1, max_size=4))
def test_hot_loop_on_generated_components(generated: list[dict[str, Any]]) -> None:
    entries = [("page", f"/data/layout/{index}", c) for index, c in enumerate(generated)]
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas_and_components(), st.data())
def test_hot_loop_on_made_up_slot_tables(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    schema, component = case
    component = _swap_expressions(data.draw, component) | {"type": "MadeUpType"}
    plan = TypePlan(compile_slots(schema))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(TYPE_PLANS, "MadeUpType", plan)
        for env in ENVIRONMENTS:
            assert_hot_loop_agrees([("page", "/data/layout/0", component)], env, plan)


def test_hot_loop_cases() -> None:
    """Hand-picked shapes: text keys, documented places, odd values, Subforms."""
    cases: list[dict[str, Any]] = [
        {"id": "a", "type": "Input", "hidden": EXPRESSION, "required": True},
        {"id": "a", "type": "Input", "hidden": ["concat", "x"]},
        {"id": "a", "type": "Input", "textResourceBindings": {"title": ["concat", "x"]}},
        {"id": "a", "type": "Input", "textResourceBindings": {"title": ["plus", 1]}},
        {"id": "a", "type": "Input", "textResourceBindings": {"odd": ["nope"], "t": "x"}},
        {"id": "a", "type": "Input", "textResourceBindings": ["not", "a", "dict"]},
        {"id": "a", "type": "Input", "textResourceBindings": "plain"},
        {"id": "a", "type": "Input", "source": {"label": ["plus", 1, 2]}},
        {"id": "a", "type": "Input", "source": {"label": ["concat", "x"]}},
        {"id": "a", "type": "Input", "source": ["label"]},
        {"id": "a", "type": "Input", "hiddenRow": ["nope"]},
        {"id": "a", "type": "Paragraph", "required": ["nope"], "readOnly": EXPRESSION},
        {"id": "a", "type": "Input", "hidden": type("Sub", (list,), {})(EXPRESSION)},
        {"id": "a", "type": "Input", "pageBreak": {"breakBefore": ["concat", "auto"]}},
        {"id": "a", "type": "Subform", "layoutSet": "x", "textResourceBindings": {"t": ["x"]}},
        {"id": "a", "type": "NoSuchType", "hidden": EXPRESSION},
        {"id": "a", "hidden": EXPRESSION},
    ]
    entries = [("page", f"/data/layout/{index}", c) for index, c in enumerate(cases)]
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)
    assert judged(cases[0]) and not judged(cases[-3])  # Subforms go the general path


def test_hot_loop_follows_key_changes_between_components() -> None:
    """Components alike but for their keys, types or key order, parsed as pages are (each
    page's keys shared), one after another: each is judged by its own keys."""
    page = json.dumps(
        [
            {"id": "a", "type": "Input", "hidden": ["concat", "x"]},
            {"id": "b", "type": "Paragraph", "hidden": ["concat", "x"]},
            {"id": "c", "type": "Input", "readOnly": ["concat", "x"]},
            {"type": "Input", "id": "d", "hidden": EXPRESSION},
            {"id": "e", "type": "Input", "hidden": EXPRESSION, "formatting": {}},
            {"id": "f", "type": "Input", "source": {"label": ["plus", 1]}},
            {"id": "g", "type": "Input", "hidden": EXPRESSION},
        ]
    )
    entries: list[Entry] = []
    for _ in range(3):
        entries += [("p", f"/data/layout/{i}", c) for i, c in enumerate(json.loads(page))]
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)
        assert assert_hot_loop_agrees(entries[::-1], env) == 18  # "e" left to the general path


# -- [function, ["dataModel", path], literal], judged by the hot loop itself ------------------


class _ListSub(list):  # type: ignore[type-arg]
    """Never parsed from JSON, but a list: `clean_type` leaves it to the full path."""


# Top-level places of each expected type, and a documented place the catalogue lacks.
PAIR_PLACES = [
    ("Input", "hidden"),  # boolean
    ("Datepicker", "minDate"),  # string
    ("FileUpload", "maxNumberOfAttachments"),  # number
    ("Input", "hiddenRow"),  # boolean, from COMMON_BOOLEAN's documented places
]

_pair_names = st.one_of(
    st.sampled_from(sorted(FUNCTIONS)),
    st.sampled_from(["nope", "", "dataModel", "compare", "average", "concat", 7, None]),
    st.just(["equals"]),  # unhashable
)
_pair_inner = st.one_of(
    st.builds(lambda path: ["dataModel", path], st.sampled_from(["a", "a.b", "missing", ""])),
    st.sampled_from(
        [
            ["dataModel", "a", "model"],
            ["dataModel", "a", "nope"],
            ["dataModel", 5],
            ["dataModel", math.nan],
            ["dataModel", {"k": 1}],
            ["dataModel", None],
            ["dataModel"],
            ["component", "c1"],
            ["concat", "a"],
            [],
            "dataModel",
            {"dataModel": "a"},
            5,
            None,
        ]
    ),
    st.builds(lambda path: _ListSub(["dataModel", path]), st.just("a")),
    st.builds(lambda path: ("dataModel", path), st.just("a")),
)
_pair_literals = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "x", "true", "1", "2024-01-01", "a", "lessThan"]),
    st.just(["dataModel", "a"]),
    st.just({"k": 1}),
    st.builds(lambda text: _ListSub([text]), st.just("x")),
)
pair_expressions = st.builds(lambda *parts: list(parts), _pair_names, _pair_inner, _pair_literals)


def _pair_components(placed: list[tuple[tuple[str, str], Any]]) -> list[Entry]:
    entries: list[Entry] = []
    for index, ((type_name, key), expression) in enumerate(placed):
        component = {"id": f"c{index}", "type": type_name, key: expression, "required": True}
        entries.append(("page", f"/data/layout/{index}", component))
    return entries


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PAIR_PLACES), pair_expressions), min_size=1, max_size=4))
def test_hot_loop_on_data_model_pairs(placed: list[tuple[tuple[str, str], Any]]) -> None:
    entries = _pair_components(placed)
    assert all(judged(entry[2]) for entry in entries)  # the hot loop decides about each
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)


def test_hot_loop_data_model_pair_cases() -> None:
    """Both sides of every condition of the hot loop's own check."""
    odd = ["equals", _ListSub(["dataModel", "a"]), "x"]
    cases: list[Any] = [
        ["equals", ["dataModel", "a"], "x"],
        ["equals", ["dataModel", "a"], None],
        ["equals", ["dataModel", "a"], True],  # a literal the parameter casts
        ["equals", ["dataModel", "a"], 1.5],
        ["equals", ["dataModel", "a"], math.nan],
        ["equals", ["dataModel", "missing"], "x"],
        ["equals", ["dataModel", "a", "model"], "x"],
        ["equals", ["dataModel", "a", "nope"], "x"],
        ["equals", ["dataModel", 5], "x"],
        ["equals", ["dataModel", {"k": 1}], "x"],
        ["equals", ["dataModel", ["concat", "a"]], "x"],
        ["equals", ["component", "c1"], "x"],
        ["greaterThan", ["dataModel", "a"], 3],
        ["greaterThan", ["dataModel", "a"], "3"],
        ["greaterThan", ["dataModel", "a"], "three"],
        ["concat", ["dataModel", "a"], "x"],  # free text: not for a boolean
        ["plus", ["dataModel", "a"], 1],
        ["average", ["dataModel", "a"], 1],
        ["compare", ["dataModel", "a"], "x"],
        ["dataModel", ["dataModel", "a"], "x"],
        ["nope", ["dataModel", "a"], "x"],
        [["equals"], ["dataModel", "a"], "x"],
        odd,
        ["equals", ["dataModel", "a"], _ListSub(["x"])],
        ["equals", ("dataModel", "a"), "x"],
        ["equals", ["dataModel", "a"], ["dataModel", "a.b"]],
    ]
    placed = [(place, case) for case in cases for place in PAIR_PLACES]
    entries = _pair_components(placed)
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)
    # Clean where expected, and left where not, under the environment that knows "a".
    known = ENVIRONMENTS[1]
    unclear = [entry[2]["id"] for entry in unclear_components(entries[:4], known)]
    assert unclear == ["c2"]  # a boolean is never a number
    unclear = [entry[2]["id"] for entry in unclear_components(entries[20:24], known)]
    assert unclear == ["c20", "c21", "c22", "c23"]  # ["equals", ["dataModel", "missing"], ...]


def test_hot_loop_text_values() -> None:
    """Text keys hold keys (strings) nearly always; anything else is looked at closely."""
    texts: list[Any] = [
        "key",
        None,
        5,
        {"a": 1},
        ["concat", "x"],
        ["nope", 1],
        _ListSub(["concat", "x"]),
        ("concat", "x"),
    ]
    cases = [
        {"id": "a", "type": "Input", "textResourceBindings": {"title": "t", "description": text}}
        for text in texts
    ]
    cases += [{"id": "b", "type": "Input", "textResourceBindings": {"odd": t}} for t in texts]
    entries = [("page", f"/data/layout/{index}", c) for index, c in enumerate(cases)]
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)
    unclear = {entry[1] for entry in unclear_components(entries, ENVIRONMENTS[0])}
    assert unclear == {"/data/layout/5", "/data/layout/6", "/data/layout/13", "/data/layout/14"}


def _place_everywhere(expressions: list[Any]) -> list[Entry]:
    return _pair_components([(place, e) for e in expressions for place in PAIR_PLACES])


def _pair_shaped(expression: Any) -> bool:
    inner = expression[1] if len(expression) == 3 else None
    return isinstance(inner, list) and inner[:1] == ["dataModel"] and len(inner) == 2


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("variable", "pattern"),
    [("STUDIO_EXPRESSION_TESTS", "**/*.json"), ("STUDIO_REAL_APPS", "*/App/**/*.json")],
)
def test_hot_loop_on_suite_expressions(variable: str, pattern: str) -> None:
    """Every expression of the shared suite and the real apps, at places of every type."""
    expressions = _suite_expressions(variable, pattern)
    entries = _place_everywhere(expressions)
    for env in ENVIRONMENTS:
        assert_hot_loop_agrees(entries, env)
    assert len(expressions) > 500
    assert sum(map(_pair_shaped, expressions)) >= 10  # the hot loop's own check is exercised


# -- Sites of whole pages: the hot loop against `page_sites` ------------------------------------


class _Resolver:
    """Paths of a few data types, as `_PathResolver` answers them."""

    def __init__(self, known: dict[str, set[str]]) -> None:
        self.known = known

    def for_default(self, default: str | None) -> Any:
        def exists(path: str, data_type: str | None) -> bool | None:
            paths = self.known.get(data_type or default or "")
            return None if paths is None else path in paths

        return exists

    def finder(self, default: str | None) -> Any:
        paths = self.known.get(default or "")
        return None if paths is None else {path: path for path in paths}.get


def reference_unsure(
    check: _LayoutSetCheck, page: str, document: JsonDocument, entries: list[Entry]
) -> list[Site]:
    """What `_unsure_sites` gave before the hot loop: every site asked on its own."""
    blind = check.env(_NO_COMPONENTS, _NO_COMPONENTS)
    found = []
    for site in page_sites(check.layout_set, page, document, entries, check.set_types):
        env = blind
        if site.data_type is not None:
            env = TypeEnvironment(
                component_ids=blind.component_ids,
                bound_component_ids=blind.bound_component_ids,
                data_types=blind.data_types,
                data_path_exists=check.resolver.for_default(site.data_type),
                find_default_path=check.resolver.finder(site.data_type),
            )
        if clean_type(site.value, site.expected, env) is UNSURE:
            found.append(site)
    return found


def assert_sites_agree(check: _LayoutSetCheck) -> int:
    """`_unsure_sites` equals the reference on every page of the set; returns the count."""
    blind = check.env(_NO_COMPONENTS, _NO_COMPONENTS)
    by_page: dict[str, list[Entry]] = {}
    for entry in check.layout_set.components():
        by_page.setdefault(entry[0], []).append(entry)
    count = 0
    for page, document in check.layout_set.pages.items():
        entries = by_page.get(page, [])
        found = check._unsure_sites(page, document, unclear_components(entries, blind), blind)
        expected = reference_unsure(check, page, document, entries)
        assert found == expected, page
        assert all(a.value is b.value for a, b in zip(found, expected, strict=True))
        count += len(found)
    return count


def _layout_set(layout: list[Any], hidden: Any = None) -> LayoutSet:
    data: dict[str, Any] = {"layout": layout}
    if hidden is not None:
        data["hidden"] = hidden
    document = JsonDocument("App/ui/form/layouts/p.json", "{}", {"data": data})
    return LayoutSet(
        id="form",
        data_type="model",
        tasks=[],
        folder=Path("App/ui/form"),
        settings=None,
        pages={"p": document},
        page_files={"p": "App/ui/form/layouts/p.json"},
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(varied_components(), max_size=6),
    st.sampled_from([None, EXPRESSION, ["concat", "x"], True]),
    st.sampled_from([{"a", "a.b"}, set()]),
)
def test_unsure_sites_of_generated_pages(
    layout: list[dict[str, Any]], hidden: Any, entry_paths: set[str]
) -> None:
    for component in layout:
        if component.get("type") == "Subform":
            component["layoutSet"] = "entries"
    resolver = _Resolver({"model": {"a", "name"}, "entry-model": entry_paths})
    set_types = {"form": "model", "entries": "entry-model"}
    check = _LayoutSetCheck(_layout_set(layout, hidden), set_types, {"model"}, resolver)  # type: ignore[arg-type]
    assert_sites_agree(check)


def _real_apps() -> Iterator[Path]:
    root = suite_path("STUDIO_REAL_APPS")
    if not root.is_dir():
        pytest.skip("STUDIO_REAL_APPS is not available")
    yield from sorted(path for path in root.iterdir() if (path / "App").is_dir())


@pytest.mark.conformance
def test_unsure_sites_of_every_real_app_page() -> None:
    apps = judged_count = total = 0
    for root in _real_apps():
        app = load_app(root)
        apps += 1
        data_types = {e["id"] for e in app.data_types if isinstance(e.get("id"), str)}
        set_types = {entry.id: entry.data_type for entry in app.layout_sets}
        resolver = _PathResolver(app)
        for layout_set in app.layout_sets:
            check = _LayoutSetCheck(layout_set, set_types, data_types, resolver)
            assert_sites_agree(check)
            entries = layout_set.components()
            blind = check.env(_NO_COMPONENTS, _NO_COMPONENTS)
            assert_hot_loop_agrees(entries, blind)
            judged_count += sum(judged(entry[2]) for entry in entries)
            total += len(entries)
    assert apps > 20 and total > 1000
    assert judged_count > 0.8 * total  # the hot loop decides for nearly every component
