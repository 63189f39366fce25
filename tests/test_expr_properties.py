"""Property tests: the compiled and interpreted evaluators agree on random (well- and ill-typed)
expressions, and no input can raise anything but ExpressionError."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layouts.expressions import (
    FUNCTIONS,
    EvalState,
    ExpressionError,
    LayoutTree,
    compile_expression,
    evaluate,
    to_json,
)
from layouts.expressions.typecheck import check_expression

LAYOUTS = {
    "Page1": {
        "data": {
            "hidden": ["equals", ["dataModel", "hidePage"], True],
            "layout": [
                {"id": "name", "type": "Input", "dataModelBindings": {"simpleBinding": "name"}},
                {
                    "id": "people",
                    "type": "RepeatingGroup",
                    "dataModelBindings": {"group": "people"},
                    "children": ["age", "note"],
                    "hiddenRow": ["greaterThan", ["dataModel", "people.age"], 90],
                },
                {
                    "id": "age",
                    "type": "Input",
                    "dataModelBindings": {"simpleBinding": "people.age"},
                    "hidden": ["lessThan", ["component", "age"], 0],
                },
                {"id": "note", "type": "Paragraph"},
            ],
        }
    }
}
DATA = {
    "name": "Kari",
    "hidePage": False,
    "people": [{"age": 30}, {"age": 95}, {"age": "12"}],
    "when": "2024-02-29T12:00:00Z",
}


def make_state() -> EvalState:
    return EvalState(
        tree=LayoutTree(LAYOUTS),
        models={"default": DATA},
        texts={
            "greet": {
                "id": "greet",
                "value": "Hei {0}",
                "variables": [{"key": "name", "dataSource": "dataModel.default"}],
            }
        },
        frontend_settings={"flag": True},
        positional_args=["a", 2],
        value_args={"data": {"v": "x"}, "defaultKey": "v"},
        permissions={"read": True, "write": False, "actions": {"sign": True}},
        code_lists={"c": [{"value": "1", "label": "One"}]},
        instance={"id": "1/abc", "appId": "org/app", "instanceOwner": {"partyId": "1"}},
        task_id="Task_1",
    )


NAMES = sorted(FUNCTIONS)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            "null",
            "true",
            "false",
            "1",
            "0",
            "0.0",
            "-5.5",
            "1e3",
            "abc",
            "else",
            "not",
            "equals",
            "isBefore",
            "greaterThan",
            "2024-01-01",
            "2024-01-01T10:00:00+01:00",
            "2021-02-29",
            "name",
            "people.age",
            "age",
            "people",
            "greet",
            "c",
            "v",
            "read",
            "sign",
            "flag",
            "appId",
            "default",
            "@",
            "[0]",
            "🌍x",
        ]
    ),
    st.text(max_size=6),
)


def calls(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly well-formed calls (right arity), some with any arity or an unknown name."""
    name = st.one_of(st.sampled_from(NAMES), st.sampled_from(["nope", "Equals", ""]))
    any_arity = st.builds(lambda n, args: [n, *args], name, st.lists(children, max_size=5))

    @st.composite
    def right_arity(draw: st.DrawFn) -> list[Any]:
        spec = FUNCTIONS[draw(st.sampled_from(NAMES))]
        top = spec.max_args if spec.max_args is not None else spec.min_args + 3
        count = draw(st.integers(spec.min_args, max(spec.min_args, top)))
        args = draw(st.lists(children, min_size=count, max_size=count))
        if spec.name == "if" and len(args) == 4:
            args[2] = "else"
        if spec.name == "compare" and len(args) >= 3:
            operator = draw(st.sampled_from(["equals", "lessThan", "isBefore", "isSameDay"]))
            args[-2] = operator
            if len(args) == 4:
                args[1] = "not"
        return [spec.name, *args]

    return st.one_of(right_arity(), right_arity(), any_arity)


expressions = st.recursive(
    scalars,
    lambda children: st.one_of(
        calls(children),
        st.lists(children, max_size=3),
        st.dictionaries(st.text(max_size=2), children, max_size=2),
    ),
    max_leaves=25,
)


def outcome(run) -> tuple[str, Any]:
    try:
        value = to_json(run())
    except ExpressionError as error:
        return ("error", (error.message, error.pointer))
    if isinstance(value, float) and math.isnan(value):
        value = "NaN"
    return ("value", value)


STATE = make_state()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_compiled_and_interpreted_agree(source: Any) -> None:
    context = STATE.context_for("age", row_indices=[0])

    def compiled() -> Any:
        return compile_expression(source)(context)

    def interpreted() -> Any:
        return evaluate(source, STATE, context)

    first, second = outcome(compiled), outcome(interpreted)
    assert first == second
    if first[0] == "error":
        assert not first[1][0].startswith("Cannot evaluate expression"), first


@settings(max_examples=200, deadline=None)
@given(expressions, st.sampled_from([None, "boolean", "string", "number", "any"]))
def test_type_checker_never_crashes(source: Any, expected: str | None) -> None:
    result = check_expression(source, expected)
    for issue in result.issues:
        assert issue.message


@settings(max_examples=200, deadline=None)
@given(expressions)
def test_fresh_state_gives_same_result(source: Any) -> None:
    """Memoized hidden-ness and lookups do not leak between evaluations."""
    context_a = STATE.context_for("note", row_indices=[1])
    context_b = make_state().context_for("note", row_indices=[1])
    assert outcome(lambda: compile_expression(source)(context_a)) == outcome(
        lambda: compile_expression(source)(context_b)
    )
