"""The expression AST and its parser.

An expression is a JSON array whose first element names a function; everything else is a
literal. Parsing checks everything that can be known without data (structure, function names,
arity, the literal-only arguments of `if`, `compare` and `dataModel`), so evaluation never has
to. Every node keeps the JSON pointer of its place in the expression for messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layouts.expressions.errors import ExpressionError

if TYPE_CHECKING:
    from layouts.expressions.functions import FunctionSpec

MAX_DEPTH = 200

COMPARE_OPERATORS = {
    "equals": "string",
    "greaterThan": "number",
    "greaterThanEq": "number",
    "lessThan": "number",
    "lessThanEq": "number",
    "isBefore": "date",
    "isBeforeEq": "date",
    "isAfter": "date",
    "isAfterEq": "date",
    "isSameDay": "date",
}


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: string, number, boolean or null."""

    value: Any
    pointer: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function call with already-parsed arguments."""

    name: str
    args: tuple[Node, ...]
    pointer: str
    spec: FunctionSpec


Node = Literal | Call


def is_expression(value: Any) -> bool:
    """True if a property value is an expression (a non-empty array naming a known function),
    as opposed to a plain literal; Altinn treats everything else as a literal."""
    from layouts.expressions.functions import FUNCTIONS

    return (
        isinstance(value, list)
        and len(value) > 0
        and isinstance(value[0], str)
        and value[0] in FUNCTIONS
    )


# Which static types each parameter type accepts (literal types, or a call's return type).
ACCEPTS: dict[str, frozenset[str]] = {
    "boolean": frozenset({"boolean", "string", "number", "any"}),
    "string": frozenset({"boolean", "string", "number", "any"}),
    "number": frozenset({"boolean", "string", "number", "any"}),
    "any": frozenset({"boolean", "string", "number", "any", "list", "object", "date"}),
    "date": frozenset({"string", "date", "any"}),
    "list": frozenset({"list", "any"}),
    "object": frozenset({"object", "any"}),
}
NULLABLE = frozenset({"boolean", "string", "number", "any", "date"})


class _Problems:
    """Validation errors collected over the whole expression, children before parents (as
    Altinn reports them), so one message can name every problem."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, message: str, pointer: str) -> None:
        self.items.append((message, pointer))


def parse(value: Any, pointer: str = "") -> Node:
    """Parse and validate a JSON value into an AST; arrays must be well-formed calls.

    All problems are collected first (structure, names, argument types known without data,
    arity, literal-only arguments); the error names them all and points at the first.
    """
    problems = _Problems()
    node, _ = _parse(value, pointer, 0, problems)
    if problems.items:
        messages: list[str] = []
        for message, _where in problems.items:
            if message not in messages:
                messages.append(message)
        error = ExpressionError("; ".join(messages), problems.items[0][1])
        error.problems = list(problems.items)
        raise error
    assert node is not None
    return node


def _static_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _parse(
    value: Any, pointer: str, depth: int, problems: _Problems
) -> tuple[Node | None, str | None]:
    """The node and its static type (None when unknown/null)."""
    if isinstance(value, list):
        return _parse_call(value, pointer, depth, problems)
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and value != value:  # NaN cannot come from JSON
            problems.add("Invalid number literal", pointer)
        return Literal(value, pointer), _static_type(value)
    kind = "object" if isinstance(value, dict) else type(value).__name__
    problems.add(f'Invalid type "{kind}"', pointer)
    return None, None


def _parse_call(
    value: list[Any], pointer: str, depth: int, problems: _Problems
) -> tuple[Call | None, str | None]:
    from layouts.expressions.functions import FUNCTIONS

    if depth > MAX_DEPTH:
        raise ExpressionError(f"Expression is nested more than {MAX_DEPTH} levels deep", pointer)
    if not value:
        problems.add("Missing function name in expression", pointer)
        return None, None
    name = value[0]
    if not isinstance(name, str):
        problems.add("Function name in expression should be string", pointer)
        return None, None
    raw_args = value[1:]
    parsed = [
        _parse(arg, f"{pointer}/{index + 1}", depth + 1, problems)
        for index, arg in enumerate(raw_args)
    ]
    spec = FUNCTIONS.get(name)
    if spec is None:
        problems.add(f'Function "{name}" not implemented', pointer + "/0")
        return None, None
    first = len(problems.items)
    for index, (_, static) in enumerate(parsed):
        _check_argument_type(spec, index, static, f"{pointer}/{index + 1}", problems)
    before = len(problems.items)
    if name != "if":
        count = len(raw_args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            problems.add(arity_message(spec, count), pointer)
    if len(problems.items) == before:
        _check_literal_arguments(name, raw_args, pointer, problems)
    if len(problems.items) != first or any(node is None for node, _ in parsed):
        return None, None
    args = tuple(node for node, _ in parsed if node is not None)
    return Call(name, args, pointer, spec), (None if spec.returns == "any" else spec.returns)


def _check_argument_type(
    spec: FunctionSpec, index: int, static: str | None, pointer: str, problems: _Problems
) -> None:
    wanted = spec.declared_type(index)
    if wanted is None:
        problems.add("Unexpected argument", pointer)
        return
    wanted = wanted.rstrip("!")
    if static is None:
        if wanted not in NULLABLE:
            problems.add(f"Expected argument to be {wanted}, got null", pointer)
        return
    if static not in ACCEPTS[wanted]:
        problems.add(f"Expected argument to be {wanted}, got {static}", pointer)


def arity_message(spec: FunctionSpec, count: int) -> str:
    if spec.max_args is None:
        expected = f"{spec.min_args}+"
    elif spec.min_args == spec.max_args:
        expected = str(spec.min_args)
    else:
        expected = f"{spec.min_args}-{spec.max_args}"
    return (
        f"Expected {expected} argument(s), got {count}. "
        f'Invalid number of arguments to "{spec.name}"'
    )


def _check_literal_arguments(name: str, args: list[Any], pointer: str, problems: _Problems) -> None:
    """Arguments that must be literals, checked as Altinn's validators do."""
    count = len(args)
    if name == "if":
        if count == 2:
            return
        if count > 2 and args[2] != "else":
            problems.add('Expected third argument to be "else"', pointer + "/3")
        if count != 4:
            problems.add(f"Expected either 2 arguments (if) or 4 (if + else), got {count}", pointer)
    elif name == "compare":
        if count == 4 and args[1] != "not":
            problems.add(
                'Second argument must be "not" when providing 4 arguments in total',
                pointer + "/2",
            )
            return
        index = 2 if count == 4 else 1
        operator = args[index]
        if not isinstance(operator, str):
            problems.add(
                "Invalid operator (it cannot be an expression or null)", f"{pointer}/{index + 1}"
            )
        elif operator not in COMPARE_OPERATORS:
            valid = ", ".join(f'"{op}"' for op in COMPARE_OPERATORS)
            problems.add(
                f'Invalid operator "{operator}", valid operators are {valid}',
                f"{pointer}/{index + 1}",
            )
    elif name == "dataModel":
        if count > 1 and args[1] is not None and not isinstance(args[1], str):
            problems.add(
                "The data type must be a string (expressions cannot be used here)",
                pointer + "/2",
            )
    elif name == "optionLabel":
        if not isinstance(args[0], str):
            problems.add(
                "The first argument must be a string (expressions cannot be used here)",
                pointer + "/1",
            )
    elif name == "object" and count % 2:
        problems.add("The object function must have an even number of arguments", pointer)
