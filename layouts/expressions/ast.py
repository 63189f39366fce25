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


def parse(value: Any, pointer: str = "") -> Node:
    """Parse a JSON value into an AST; arrays must be well-formed calls."""
    return _parse(value, pointer, 0)


def _parse(value: Any, pointer: str, depth: int) -> Node:
    if isinstance(value, list):
        return _parse_call(value, pointer, depth)
    if isinstance(value, dict):
        raise ExpressionError(
            "Objects are not permitted, use expressions instead "
            '(build one with ["object", key, value, ...])',
            pointer,
        )
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and value != value:  # NaN cannot come from JSON
            raise ExpressionError("Invalid number literal", pointer)
        return Literal(value, pointer)
    raise ExpressionError(f"Unexpected value of type {type(value).__name__} in expression", pointer)


def _parse_call(value: list[Any], pointer: str, depth: int) -> Call:
    from layouts.expressions.functions import FUNCTIONS

    if depth > MAX_DEPTH:
        raise ExpressionError(f"Expression is nested more than {MAX_DEPTH} levels deep", pointer)
    if not value:
        raise ExpressionError("Missing function name in expression", pointer)
    name = value[0]
    if not isinstance(name, str):
        raise ExpressionError("Function name in expression should be string", pointer + "/0")
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise ExpressionError(f'Function "{name}" not implemented', pointer + "/0")
    raw_args = value[1:]
    args = tuple(
        _parse(arg, f"{pointer}/{index + 1}", depth + 1) for index, arg in enumerate(raw_args)
    )
    _check_shape(name, spec, raw_args, pointer)
    _check_literals(name, args, pointer)
    return Call(name, args, pointer, spec)


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


def _check_shape(name: str, spec: FunctionSpec, args: list[Any], pointer: str) -> None:
    count = len(args)
    if name == "if":
        if count not in (2, 4):
            if count == 3:
                raise ExpressionError('Expected third argument to be "else"', pointer)
            raise ExpressionError(
                f"Expected either 2 arguments (if) or 4 (if + else), got {count}", pointer
            )
        return
    compare_form_ok = count <= 3 or (count in (4, 5) and args[1] == "not")
    if name == "compare" and not compare_form_ok:
        raise ExpressionError(
            'Second argument must be "not" when providing 4 arguments in total',
            pointer + "/2",
        )
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        raise ExpressionError(arity_message(spec, count), pointer)
    if name == "object" and count % 2:
        raise ExpressionError(
            f"Expected an even number of arguments (key, value pairs), got {count}", pointer
        )


def _check_literals(name: str, args: tuple[Node, ...], pointer: str) -> None:
    if name == "if" and len(args) == 4:
        third = args[2]
        if not (isinstance(third, Literal) and third.value == "else"):
            raise ExpressionError('Expected third argument to be "else"', third.pointer)
    elif name == "compare":
        operator = args[2] if len(args) == 4 else args[1]
        if not isinstance(operator, Literal) or operator.value not in COMPARE_OPERATORS:
            shown = operator.value if isinstance(operator, Literal) else "<expression>"
            raise ExpressionError(f'Invalid operator "{shown}"', operator.pointer)
    elif name == "dataModel" and len(args) == 2:
        data_type = args[1]
        if not isinstance(data_type, Literal) or not isinstance(data_type.value, str):
            raise ExpressionError(
                "The data type must be a string (expressions cannot be used here)",
                data_type.pointer,
            )


def walk(node: Node):
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
