"""Behaviour of the expression language: parsing, coercion, functions, contexts, type-checks."""

from __future__ import annotations

from typing import Any

import pytest

from layouts.expressions import (
    EvalState,
    ExpressionError,
    LayoutTree,
    LayoutTreeError,
    compile_expression,
    evaluate,
    is_expression,
    parse,
)
from layouts.expressions.typecheck import TypeEnvironment, check_expression
from layouts.expressions.values import cast_boolean, cast_number, cast_string, js_number


def run(source: Any, state: EvalState | None = None, **context: Any) -> Any:
    state = state or EvalState()
    ctx = state.context_for(context.get("component"), context.get("page"), context.get("rows", ()))
    compiled = compile_expression(source)(ctx)
    assert evaluate(source, state, ctx) == compiled
    return compiled


def failure(source: Any, state: EvalState | None = None, **context: Any) -> ExpressionError:
    state = state or EvalState()
    ctx = state.context_for(context.get("component"), None, context.get("rows", ()))
    with pytest.raises(ExpressionError) as compiled:
        compile_expression(source)(ctx)
    with pytest.raises(ExpressionError) as interpreted:
        evaluate(source, state, ctx)
    assert (compiled.value.message, compiled.value.pointer) == (
        interpreted.value.message,
        interpreted.value.pointer,
    )
    return compiled.value


# --- parsing --------------------------------------------------------------------------------


def test_parse_errors_carry_the_pointer_of_the_bad_node() -> None:
    with pytest.raises(ExpressionError) as error:
        parse(["and", True, ["equals", 1, ["nope", 2]]])
    assert error.value.message == 'Function "nope" not implemented'
    assert error.value.pointer == "/2/2/0"


def test_arity_and_literal_only_arguments_are_checked_before_evaluation() -> None:
    with pytest.raises(ExpressionError, match=r"Expected 2 argument\(s\), got 3"):
        parse(["equals", 1, 2, 3])
    with pytest.raises(ExpressionError, match=r"Expected 1-2 argument\(s\), got 3"):
        parse(["round", 1, 2, 3])
    with pytest.raises(ExpressionError, match=r'Expected third argument to be "else"'):
        parse(["if", True, 1, "otherwise", 2])
    with pytest.raises(ExpressionError, match="expressions cannot be used here"):
        parse(["dataModel", "a", ["concat", "x"]])
    with pytest.raises(ExpressionError, match="Missing function name"):
        parse([])
    with pytest.raises(ExpressionError, match="should be string"):
        parse([1, 2])


def test_only_known_function_arrays_are_expressions() -> None:
    assert is_expression(["equals", 1, 1])
    assert not is_expression(["no-such", 1])
    assert not is_expression([])
    assert not is_expression("equals")


def test_runtime_errors_point_at_the_failing_argument() -> None:
    error = failure(["plus", 1, ["concat", "a"], 2])
    assert error.message == 'Expected number, got value "a"'
    assert error.pointer == "/2"
    error = failure(["not", ["if", True, 5]])
    assert error.pointer == "/1"


# --- values and coercion --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.0, "1"),
        (1.5, "1.5"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (-0.000001, "-0.000001"),
        (123, "123"),
    ],
)
def test_numbers_print_like_javascript(number: float, text: str) -> None:
    assert js_number(number) == text


def test_coercion_rules() -> None:
    assert cast_string(True) == "true"
    assert cast_string("NULL") is None
    assert cast_string("TRUE") == "true"
    assert cast_number("+5E2") == 500
    assert cast_number(".5e2") == 50
    for bad in ("55.", "5e", "e2", "-55.88.66", "abc"):
        with pytest.raises(ExpressionError, match="Expected number"):
            cast_number(bad)
    with pytest.raises(ExpressionError, match="Expected number, got value true"):
        cast_number(True)
    assert cast_boolean("0.0000") is False
    assert cast_boolean(1) is True
    with pytest.raises(ExpressionError, match="Expected boolean, got value 2"):
        cast_boolean(2)


def test_equals_compares_as_strings() -> None:
    assert run(["equals", "1234", 1234]) is True
    assert run(["equals", True, 1]) is False
    assert run(["equals", "null", None]) is True
    assert run(["equals", 0, None]) is False


def test_decimal_arithmetic() -> None:
    assert run(["plus", 0.1, 0.2]) == 0.3
    assert run(["minus", 50.55, -30.77]) == 81.32
    assert run(["multiply", 0.1, 3]) == 0.3
    assert run(["divide", 1, 4]) == 0.25
    assert run(["plus", None, 4.3]) == 4.3
    assert failure(["divide", 1, 0]).message.startswith("The second argument is 0")


def test_round_uses_to_fixed_semantics() -> None:
    assert run(["round", 2.5]) == "3"
    assert run(["round", "2.2199999", 2]) == "2.22"
    assert run(["round", 1.005, 2]) == "1.00"  # 1.005 is 1.00499999... as a double
    assert run(["round", None]) == "0"


def test_string_functions_count_like_javascript() -> None:
    assert run(["stringLength", "🌍"]) == 2
    assert run(["stringSlice", "filename.pdf", 0, -4]) == "filename"
    assert run(["stringIndexOf", "Hello, 🌍!", "!"]) == 9
    assert run(["commaContains", "40, 50, 60", "50"]) is True
    assert run(["stringReplace", "a-b-c", "-", None]) == "abc"


def test_compare_with_not_and_dates() -> None:
    assert run(["compare", 5, "greaterThan", 4]) is True
    assert run(["compare", 5, "not", "greaterThan", 4]) is False
    assert run(["compare", "2020-01-01", "isBefore", "2020-01-02"]) is True
    assert run(["compare", "2022-02-02T00:00Z", "isSameDay", "2022-02-02T00:00+00:00"]) is True
    assert (
        "only one specify timezone"
        in failure(["compare", "2020-01-01", "isSameDay", "2020-01-01T12:00:00+02:00"]).message
    )
    assert "Format was recognized" in failure(["compare", "2021-02-29", "isBefore", ""]).message


def test_format_date_languages_and_tokens() -> None:
    assert run(["formatDate", "2023-01-01"], EvalState(language="en")) == "1/1/23"
    assert run(["formatDate", "2023-01-01"]) == "01.01.2023"
    nb = ["formatDate", "2023-03-04T15:06:07.120Z", "EEEE d. MMMM yyyy, HH:mm:ss.SSS a"]
    assert run(nb) == "lørdag 4. mars 2023, 15:06:07.120 p.m."
    assert run(["formatDate", "2023-03-04", "EEE d. MMM"]) == "lør 4. mar"
    unsupported = failure(["formatDate", "2023-03-04", "'kl' HH"])
    assert unsupported.message == "Unsupported date format token in ''kl' HH'"
    assert run(["formatDate", "1990-12-31T15:59:50-08:00", "HH:mm"]) == "23:59"


def test_jmespath_lists_and_objects() -> None:
    people = ["list", ["object", "name", "Ola", "age", 30], ["object", "name", "Kari", "age", 17]]
    assert run(["jmespath", people, "[?age>=`18`].name"]) == ["Ola"]
    assert run(["sum", ["list", 0.1, 0.2]]) == 0.3
    assert run(["average", ["list"], 42]) == 42
    assert "Jmespath error" in failure(["jmespath", ["object"], "#"]).message


def test_context_values_and_arguments() -> None:
    state = EvalState(
        frontend_settings={"flag": "on"},
        positional_args=["first"],
        instance={"id": "1/abc", "appId": "org/app", "instanceOwner": {"personNumber": "1"}},
        permissions={"read": True, "write": False, "actions": {"sign": True}},
        gateway_action="sign",
        language="en",
    )
    assert run(["frontendSettings", "flag"], state) == "on"
    assert run(["argv", 0], state) == "first"
    assert run(["instanceContext", "instanceOwnerPartyType"], state) == "person"
    assert run(["and", ["authContext", "read"], ["authContext", "sign"]], state) is True
    assert run(["gatewayAction"], state) == "sign"
    assert run(["language"], state) == "en"
    assert "Unknown Instance context property" in failure(["instanceContext", "x"], state).message


# --- component tree and contexts ------------------------------------------------------------

LAYOUTS = {
    "Page1": {
        "data": {
            "layout": [
                {"id": "title", "type": "Paragraph"},
                {
                    "id": "people",
                    "type": "RepeatingGroup",
                    "dataModelBindings": {"group": "people"},
                    "children": ["name", "age"],
                    "hiddenRow": ["equals", ["dataModel", "people.hide"], True],
                },
                {
                    "id": "name",
                    "type": "Input",
                    "dataModelBindings": {"simpleBinding": "people.name"},
                },
                {
                    "id": "age",
                    "type": "Input",
                    "dataModelBindings": {"simpleBinding": "people.age"},
                    "hidden": ["equals", ["component", "name"], "secret"],
                },
            ]
        }
    },
    "Page2": {
        "data": {
            "hidden": ["equals", ["dataModel", "skipPage2"], True],
            "layout": [
                {"id": "other", "type": "Input", "dataModelBindings": {"simpleBinding": "x"}}
            ],
        }
    },
}
DATA = {
    "people": [
        {"name": "Ola", "age": 30},
        {"name": "secret", "age": 40},
        {"name": "Kari", "age": 50, "hide": True},
    ],
    "x": "value",
    "skipPage2": True,
}


def state() -> EvalState:
    return EvalState(tree=LayoutTree(LAYOUTS), models={"default": DATA})


def test_repeating_group_contexts_have_row_indices() -> None:
    pages = [page.describe() for page in state().pages]
    group = pages[0]["children"][1]
    assert [(c["component"], c["rowIndices"]) for c in group["children"]] == [
        ("name", [0]),
        ("age", [0]),
        ("name", [1]),
        ("age", [1]),
        ("name", [2]),
        ("age", [2]),
    ]


def test_component_lookup_is_relative_to_the_row_and_respects_hiddenness() -> None:
    s = state()
    assert run(["component", "age"], s, component="name", rows=[0]) == 30
    assert run(["component", "age"], s, component="name", rows=[1]) is None  # hidden itself
    assert run(["component", "age"], s, component="name", rows=[2]) is None  # hiddenRow
    assert run(["component", "other"], s, component="title") is None  # page hidden
    message = failure(["component", "age"], s, component="title").message
    assert message.startswith("Unable to find component with identifier age in the current")
    assert failure(["component", "nope"], s).message == (
        "Unable to find component with identifier nope"
    )
    assert failure(["component", "title"], s).message == (
        "Component title does not have a simpleBinding"
    )


def test_rows_of_a_group_over_other_data_are_not_reachable() -> None:
    layouts = {
        "P": {
            "data": {
                "layout": [
                    {
                        "id": "g1",
                        "type": "RepeatingGroup",
                        "dataModelBindings": {"group": "a"},
                        "children": ["x"],
                    },
                    {"id": "x", "type": "Input", "dataModelBindings": {"simpleBinding": "a.v"}},
                    {
                        "id": "g2",
                        "type": "RepeatingGroup",
                        "dataModelBindings": {"group": "b"},
                        "children": ["y"],
                    },
                    {"id": "y", "type": "Input", "dataModelBindings": {"simpleBinding": "b.v"}},
                ]
            }
        }
    }
    s = EvalState(tree=LayoutTree(layouts), models={"default": {"a": [{"v": 1}], "b": [{"v": 2}]}})
    assert run(["component", "x"], s, component="x", rows=[0]) == 1
    assert (
        "in the current context" in failure(["component", "y"], s, component="x", rows=[0]).message
    )
    assert run(["dataModel", "b.v"], s, component="x", rows=[0]) is None  # not transposed


def test_data_model_paths_are_transposed_to_the_current_row() -> None:
    s = state()
    assert run(["dataModel", "people.name"], s, component="age", rows=[2]) == "Kari"
    assert run(["dataModel", "people[0].name"], s, component="age", rows=[2]) == "Ola"
    assert "Data model with type nope not found" in failure(["dataModel", "a", "nope"], s).message


def test_text_resources_fill_variables() -> None:
    s = EvalState(
        tree=LayoutTree(LAYOUTS),
        models={"default": DATA},
        texts={
            "hello": {
                "id": "hello",
                "value": "Hei {0} ({1})",
                "variables": [
                    {"key": "people.name", "dataSource": "dataModel.default"},
                    {"key": "missing", "dataSource": "applicationSettings", "defaultValue": "-"},
                ],
            }
        },
    )
    assert run(["text", "hello"], s, component="age", rows=[1]) == "Hei secret (-)"
    assert run(["text", "unknown.key"], s) == "unknown.key"


def test_broken_layouts_are_reported_with_a_location() -> None:
    duplicate = {"P": {"data": {"layout": [{"id": "a", "type": "Input"}] * 2}}}
    with pytest.raises(LayoutTreeError, match="Duplicate component id a"):
        LayoutTree(duplicate)
    missing = {"P": {"data": {"layout": [{"id": "g", "type": "Group", "children": ["x"]}]}}}
    with pytest.raises(LayoutTreeError, match="x") as error:
        LayoutTree(missing)
    assert error.value.location is not None
    assert error.value.location.pointer == "/data/layout/0/children/0"


def test_lenient_trees_skip_broken_references_and_record_them() -> None:
    layouts = {
        "P": {
            "data": {
                "layout": [
                    {"id": "g", "type": "Group", "children": ["x", "a"]},
                    {"id": "a", "type": "Input", "dataModelBindings": {"simpleBinding": "v"}},
                    {"id": "a", "type": "Input"},
                ]
            }
        }
    }
    tree = LayoutTree(layouts, strict=False)
    assert len(tree.problems) == 2
    s = EvalState(tree=tree, models={"default": {"v": 5}})
    assert run(["component", "a"], s) == 5


def test_links_are_escaped_html() -> None:
    s = EvalState(tree=LayoutTree(LAYOUTS), models={"default": DATA}, stateless=True)
    link = run(["linkToComponent", "<b>Go</b>", "title", True], s, page="Page2")
    assert link == (
        '<a href="/Page1?focusComponentId=title&backToPage=Page2" '
        'data-link-type="LinkToPotentialNode">&lt;b&gt;Go&lt;/b&gt;</a>'
    )
    in_row = run(["linkToComponent", "Age", "age"], s, component="name", rows=[1])
    assert 'href="/Page1?focusComponentId=age-1"' in in_row


# --- type-checker ---------------------------------------------------------------------------


def test_type_checker_reports_what_can_never_work() -> None:
    env = TypeEnvironment(
        component_ids={"age", "title"},
        bound_component_ids={"age"},
        data_types={"model"},
        data_path_exists=lambda path, data_type: path in {"people.age"},
    )

    def kinds(source: Any, expected: str | None = None) -> list[tuple[str, str]]:
        return [(i.kind, i.pointer) for i in check_expression(source, expected, env).issues]

    assert kinds(["plus", "abc", 1]) == [("type", "/1")]
    assert kinds(["greaterThan", ["not", True], 1]) == [("type", "/1")]
    assert kinds(["component", "nope"]) == [("component", "/1")]
    assert kinds(["component", "title"]) == [("component", "/1")]
    assert kinds(["component", "age"]) == []
    assert kinds(["dataModel", "people.agee"]) == [("data-path", "/1")]
    assert kinds(["dataModel", "people.age", "other"]) == [("data-type", "/2")]
    assert kinds(["concat", "a", "b"], "boolean") == [("result", "")]
    assert kinds(["list", 1], "boolean") == [("result", "")]
    assert kinds(["equals"]) == [("syntax", "")]
    assert kinds(["greaterThan", ["dataModel", "people.age"], 18], "boolean") == []
    assert kinds(["plus", ["list"], ["nope"]]) == [("syntax", "/2/0"), ("type", "/1")]


def test_parse_reports_every_problem_children_first() -> None:
    with pytest.raises(ExpressionError) as error:
        parse(["equals", ["formatDate", 5], 1, 2])
    assert error.value.message.startswith("Expected argument to be date, got number")
    assert "Unexpected argument" in error.value.message
    assert "Expected 2 argument(s), got 3" in error.value.message
    assert error.value.pointer == "/1/1"
