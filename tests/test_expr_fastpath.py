"""The type checker's fast path (`clean_type`) against the full AST path (`full_check`).

`clean_type` may only answer when `full_check` reports no issue, with the same type; it
should answer for every such call expression, or the expression check loses its speed.
Compared on every expression of the shared expression suite and the real apps, and on random
expressions built from the function table (well- and ill-formed, odd literals included),
each under several environments.
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

from layouts.expressions.ast import COMPARE_OPERATORS
from layouts.expressions.functions import FUNCTIONS
from layouts.expressions.typecheck import (
    UNSURE,
    TypeEnvironment,
    check_expression,
    clean_type,
    data_model_pairs,
    full_check,
)

EXPECTED = (None, "any", "boolean", "string", "number")
KNOWN_PATHS = {"a", "a.b", "name", "people.age", "Innflytter.Fornavn", "group0.field0"}


def _exists(path: str, data_type: str | None) -> bool | None:
    if data_type == "unknown-model":
        return None
    return path in KNOWN_PATHS


def _unreadable(path: str) -> object:
    raise ValueError("a model the lookup cannot read")


ENVIRONMENTS = (
    TypeEnvironment(),
    TypeEnvironment(
        component_ids={"name", "age", "note", "c1"},
        bound_component_ids={"name", "age"},
        data_types={"default", "model", "unknown-model"},
        data_path_exists=_exists,
    ),
    TypeEnvironment(component_ids=set(), bound_component_ids=set(), data_types=set()),
    # The quick lookup beside data_path_exists, as the expression check passes a model tree's.
    TypeEnvironment(
        data_types={"model"},
        data_path_exists=_exists,
        find_default_path={path: path for path in KNOWN_PATHS}.get,
    ),
)


def assert_same(source: Any) -> bool:
    """The fast path agrees with the full path for `source` under every environment and
    expected type; True when it found the expression clean at least once."""
    clean_somewhere = False
    for env in ENVIRONMENTS:
        for expected in EXPECTED:
            try:
                full = full_check(source, expected, env)
            except Exception:  # the full path raising is its own business: fast must not answer
                assert clean_type(source, expected, env) is UNSURE, source
                continue
            fast = clean_type(source, expected, env)
            if isinstance(source, list):
                assert (fast is not UNSURE) == (not full.issues), (source, expected, full.issues)
            if fast is not UNSURE:
                assert not full.issues and fast == full.type, (source, expected)
                clean_somewhere = True
            public = check_expression(source, expected, env)
            assert (public.type, public.issues) == (full.type, full.issues)
    return clean_somewhere


def _candidates(value: Any) -> Iterator[list[Any]]:
    """Every JSON array in a document that starts with a string (expressions among them)."""
    if isinstance(value, list):
        if value and isinstance(value[0], str):
            yield value
        for item in value:
            yield from _candidates(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _candidates(item)


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None


def _suite_expressions(variable: str, pattern: str) -> list[list[Any]]:
    root = suite_path(variable)
    if not root.is_dir():
        pytest.skip(f"{variable} is not available")
    found: dict[str, list[Any]] = {}
    for path in sorted(root.glob(pattern)):
        for candidate in _candidates(_load(path)):
            found.setdefault(json.dumps(candidate, sort_keys=True), candidate)
    return list(found.values())


@pytest.mark.conformance
def test_fast_path_agrees_on_the_shared_expression_suite() -> None:
    expressions = _suite_expressions("STUDIO_EXPRESSION_TESTS", "**/*.json")
    clean = sum(assert_same(expression) for expression in expressions)
    assert len(expressions) > 500
    assert clean > 300  # the fast path answers for the bulk of real expressions


@pytest.mark.conformance
def test_fast_path_agrees_on_real_app_expressions() -> None:
    expressions = _suite_expressions("STUDIO_REAL_APPS", "*/App/**/*.json")
    clean = sum(assert_same(expression) for expression in expressions)
    assert clean > 200


def test_fast_path_cases() -> None:
    """Hand-picked shapes: every special rule, on both sides of it."""
    cases: list[Any] = [
        ["equals", ["dataModel", "a.b"], "x"],
        ["equals", ["dataModel", "missing"], "x"],
        ["dataModel", "a", "model"],
        ["dataModel", "a", "nope"],
        ["dataModel", "a", None],
        ["dataModel", "a", 5],
        ["dataModel", "a", ["concat", "m"]],
        ["dataModel", ["concat", "a"]],
        ["dataModel", "a", "unknown-model"],
        ["component", "name"],
        ["component", "note"],
        ["component", "ghost"],
        ["component", ["concat", "x"]],
        ["displayValue", "note"],
        ["linkToComponent", "text", "ghost"],
        ["linkToComponent", "text", "name", True],
        ["if", True, "a"],
        ["if", True, "a", "else", "b"],
        ["if", True, "a", "otherwise", "b"],
        ["if", True, "a", "else"],
        ["if", True],
        ["if", True, "a", "else", "b", "c"],
        ["compare", 1, "lessThan", 2],
        ["compare", 1, "not", "lessThan", 2],
        ["compare", 1, "yes", "lessThan", 2],
        ["compare", "x", "lessThan", 2],
        ["compare", "2024-01-01", "isBefore", "nonsense"],
        ["compare", 1, ["concat", "lessThan"], 2],
        ["compare", 1, "sortOf", 2],
        ["compare", None, "equals", None],
        ["optionLabel", "list", "v"],
        ["optionLabel", ["concat", "list"], "v"],
        ["object", "a", 1],
        ["object", "a"],
        ["and", True, "true", 1, None],
        ["and", True, "maybe"],
        ["and", ["concat", "x"]],
        ["not", ["list", 1]],
        ["plus", 1, 2.5, "3"],
        ["plus", 1, "three"],
        ["plus", 1, math.nan],
        ["plus", 1, math.inf],
        ["concat", 1, True, None, 2.5],
        ["concat"],
        ["concat", {"a": 1}],
        ["lowerCase", ["dataModel", "a"]],
        ["formatDate", "2024-01-01", "yyyy"],
        ["formatDate", "soon"],
        ["text", None],
        ["nope", 1],
        [],
        [1, 2],
        [None],
        [["equals", 1, 1]],
        ["equals", 1],
        ["equals", 1, 2, 3],
        ["equals", ["nope"], 1],
        ["frontendSettings", "x"],
        ["instanceContext", "appId"],
        ["language"],
        ["argv", 0],
        ["round", 1.5, 2],
        ["round", "x"],
        ["countDataElements", "model"],
        "literal",
        True,
        None,
        3,
    ]
    for case in cases:
        assert_same(case)
    assert assert_same(["equals", ["dataModel", "a.b"], "x"])


def test_data_model_pairs_stand_for_clean_expressions() -> None:
    """Each entry of `data_model_pairs` (which the expression check's hot loop trusts instead
    of calling `clean_type`): [name, ["dataModel", path], literal] of a listed literal type
    is clean on both paths whenever the path is found, and the table knows the usual ones."""
    env = ENVIRONMENTS[3]
    literals: dict[type, list[Any]] = {
        str: ["", "x", "true", "1", "2024-01-01", "lessThan"],
        bool: [True, False],
        int: [0, -1, 7],
        type(None): [None],
    }
    checked = 0
    for expected in EXPECTED:
        for name, kinds in data_model_pairs(expected).items():
            assert kinds and kinds <= set(literals), (name, kinds)  # never a float (NaN)
            for kind in kinds:
                for literal in literals[kind]:
                    found = [name, ["dataModel", "a.b"], literal]
                    fast = clean_type(found, expected, env)
                    full = full_check(found, expected, env)
                    assert fast is not UNSURE and not full.issues and fast == full.type, found
                    missing = [name, ["dataModel", "missing"], literal]
                    assert clean_type(missing, expected, env) is UNSURE
                    checked += 1
    assert checked > 100
    assert {str, type(None)} <= data_model_pairs("boolean")["equals"]
    assert int in data_model_pairs("boolean")["greaterThan"]
    assert "concat" not in data_model_pairs("boolean")  # free text is never a boolean
    assert "concat" in data_model_pairs("string")
    assert "equals" not in data_model_pairs("number")  # a boolean is never a number
    assert "compare" not in data_model_pairs(None)  # rules beyond its parameter types


def test_a_lookup_that_raises_leaves_paths_to_the_full_path() -> None:
    env = TypeEnvironment(data_path_exists=_exists, find_default_path=_unreadable)
    for case in [
        ["dataModel", "a"],
        ["dataModel", "missing"],
        ["equals", ["dataModel", "a.b"], "x"],
        ["equals", ["dataModel", "missing"], "x"],
        ["equals", 1, 1],
    ]:
        full = full_check(case, "boolean", env)
        fast = clean_type(case, "boolean", env)
        assert check_expression(case, "boolean", env) == full
        if "dataModel" in str(case):
            assert fast is UNSURE, case
        else:
            assert fast == full.type and not full.issues


def test_deeply_nested_expression_goes_the_full_path() -> None:
    deep: Any = "x"
    for _ in range(230):
        deep = ["concat", deep]
    assert clean_type(deep, "string", TypeEnvironment()) is UNSURE
    assert full_check(deep, "string", TypeEnvironment()).issues


NAMES = sorted(FUNCTIONS)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            "x",
            "true",
            "false",
            "null",
            "1",
            "2.5",
            "else",
            "not",
            "2024-02-29",
            "a.b",
            *COMPARE_OPERATORS,
            "name",
            "ghost",
            "model",
            "nope",
        ]
    ),
    st.just({"k": 1}),
)


def _calls(arguments: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    def build(name: str, args: list[Any]) -> list[Any]:
        return [name, *args]

    return st.builds(
        build,
        st.one_of(st.sampled_from(NAMES), st.sampled_from(["nope", ""]), st.just(7)),
        st.lists(arguments, max_size=5),
    )


_expressions = st.recursive(_scalars, _calls, max_leaves=12)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_calls(_expressions))
def test_fast_path_agrees_on_random_expressions(expression: list[Any]) -> None:
    assert_same(expression)
