"""Static type-checking of expressions, before anything runs.

Infers the type every sub-expression produces (from the function table) and reports what can
be known to be wrong without data: structure and arity (from the parser), literals that can
never be coerced to the parameter's type, sub-expressions whose type can never coerce, results
that do not fit the property (a boolean property given a string-only expression), and
`component`/`dataModel` references that cannot exist in this layout set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from layouts.expressions.ast import COMPARE_OPERATORS, Call, Literal, Node, parse
from layouts.expressions.errors import ExpressionError
from layouts.expressions.functions import CASTS
from layouts.expressions.values import type_name

SYNTAX = "syntax"
TYPE = "type"
RESULT = "result"
COMPONENT = "component"
DATA_PATH = "data-path"
DATA_TYPE = "data-type"

# Pairs (produced type, wanted type) that can never coerce, whatever the value.
_NEVER = {
    ("boolean", "number"),
    ("boolean", "date"),
    ("number", "date"),
    ("list", "string"),
    ("list", "number"),
    ("list", "boolean"),
    ("list", "date"),
    ("list", "object"),
    ("object", "string"),
    ("object", "number"),
    ("object", "boolean"),
    ("object", "date"),
    ("object", "list"),
    ("string", "list"),
    ("string", "object"),
    ("number", "list"),
    ("number", "object"),
    ("boolean", "list"),
    ("boolean", "object"),
}

# Functions whose string result is free text: fine for a string property, never a boolean.
_FREE_TEXT = frozenset(
    {
        "concat",
        "text",
        "lowerCase",
        "upperCase",
        "lowerCaseFirst",
        "upperCaseFirst",
        "formatDate",
        "round",
        "stringSlice",
        "stringReplace",
        "displayValue",
        "optionLabel",
        "linkToComponent",
        "linkToPage",
        "language",
        "instanceContext",
        "_experimentalSelectAndMap",
    }
)


@dataclass(frozen=True, slots=True)
class TypeIssue:
    """One problem: a kind (see the constants above), message, pointer and severity."""

    kind: str
    message: str
    pointer: str
    error: bool = True


@dataclass(slots=True)
class TypeEnvironment:
    """What references can point at. None means "unknown, do not check".

    `data_path_exists(path, data_type)` answers True/False, or None when the model for that
    data type is unknown.
    """

    component_ids: set[str] | None = None
    bound_component_ids: set[str] | None = None  # the ones with a simpleBinding
    data_types: set[str] | None = None
    data_path_exists: Callable[[str, str | None], bool | None] | None = None


@dataclass(slots=True)
class TypeResult:
    type: str | None
    issues: list[TypeIssue] = field(default_factory=list)


def check_expression(
    source: object, expected: str | None = None, env: TypeEnvironment | None = None
) -> TypeResult:
    """Type-check `source` for a property expecting `expected` (boolean/string/number/any)."""
    env = env or TypeEnvironment()
    try:
        node = parse(source)
    except ExpressionError as error:
        found = error.problems or [(error.message, error.pointer or "")]
        issues = [
            TypeIssue(
                TYPE if message.startswith("Expected argument to be") else SYNTAX, message, where
            )
            for message, where in found
        ]
        return TypeResult(None, issues)
    issues: list[TypeIssue] = []
    produced = _infer(node, env, issues)
    if expected and expected != "any" and produced and produced != "null":
        _check_result(node, produced, expected, issues)
    return TypeResult(produced, issues)


def _literal_type(value: object) -> str:
    return type_name(value)


def _infer(node: Node, env: TypeEnvironment, issues: list[TypeIssue]) -> str | None:
    """The type `node` produces (None = any/unknown), collecting issues on the way."""
    if isinstance(node, Literal):
        return _literal_type(node.value)
    spec = node.spec
    for index, arg in enumerate(node.args):
        wanted = spec.param_type(index)
        produced = _infer(arg, env, issues)
        if wanted == "any":
            continue
        if isinstance(arg, Literal):
            try:
                CASTS[wanted](arg.value)
            except ExpressionError as error:
                issues.append(
                    TypeIssue(
                        TYPE,
                        f"Argument {index + 1} of {node.name} can never be a "
                        f"{wanted.rstrip('!')}: {error.message}",
                        arg.pointer,
                    )
                )
        elif produced is not None and (produced, wanted.rstrip("!")) in _NEVER:
            issues.append(
                TypeIssue(
                    TYPE,
                    f"Argument {index + 1} of {node.name} must be a {wanted.rstrip('!')}, but "
                    f"{arg.name if isinstance(arg, Call) else 'it'} returns a {produced}",
                    arg.pointer,
                )
            )
    _check_references(node, env, issues)
    if node.name == "compare":
        _check_compare(node, issues)
    return None if spec.returns == "any" else spec.returns


def _check_compare(node: Call, issues: list[TypeIssue]) -> None:
    operator_node = node.args[2] if len(node.args) == 4 else node.args[1]
    operands = (node.args[0], node.args[-1])
    assert isinstance(operator_node, Literal)
    wanted = COMPARE_OPERATORS[str(operator_node.value)]
    for operand in operands:
        if isinstance(operand, Literal) and operand.value is not None:
            try:
                CASTS[wanted](operand.value)
            except ExpressionError as error:
                issues.append(
                    TypeIssue(
                        TYPE,
                        f"Operand of compare {operator_node.value} can never be a {wanted}: "
                        f"{error.message}",
                        operand.pointer,
                    )
                )


def _check_references(node: Call, env: TypeEnvironment, issues: list[TypeIssue]) -> None:
    if not node.args:
        return
    first = node.args[0]
    if node.name in ("component", "displayValue", "linkToComponent"):
        target = node.args[1] if node.name == "linkToComponent" else first
        if (
            env.component_ids is not None
            and isinstance(target, Literal)
            and isinstance(target.value, str)
            and target.value not in env.component_ids
        ):
            issues.append(
                TypeIssue(
                    COMPONENT,
                    f'Component "{target.value}" does not exist in this layout set',
                    target.pointer,
                )
            )
        elif (
            node.name == "component"
            and env.bound_component_ids is not None
            and isinstance(target, Literal)
            and isinstance(target.value, str)
            and target.value not in env.bound_component_ids
        ):
            issues.append(
                TypeIssue(
                    COMPONENT,
                    f'Component "{target.value}" has no simpleBinding, so it has no value to read',
                    target.pointer,
                )
            )
    if node.name == "dataModel" and isinstance(first, Literal) and isinstance(first.value, str):
        data_type = None
        if len(node.args) == 2:
            type_node = node.args[1]
            assert isinstance(type_node, Literal)
            data_type = type_node.value if isinstance(type_node.value, str) else None
            if (
                data_type is not None
                and env.data_types is not None
                and data_type not in env.data_types
            ):
                issues.append(
                    TypeIssue(
                        DATA_TYPE,
                        f'Data type "{data_type}" is not a data type of this app',
                        type_node.pointer,
                    )
                )
                return
        if env.data_path_exists is not None:
            exists = env.data_path_exists(first.value, data_type)
            if exists is False:
                issues.append(
                    TypeIssue(
                        DATA_PATH,
                        f'Data model path "{first.value}" does not exist in the data model',
                        first.pointer,
                        error=False,
                    )
                )


def _check_result(node: Node, produced: str, expected: str, issues: list[TypeIssue]) -> None:
    if (produced, expected) in _NEVER:
        issues.append(
            TypeIssue(
                RESULT,
                f"This property needs a {expected}, but the expression returns a {produced}",
                node.pointer,
            )
        )
        return
    if isinstance(node, Literal):
        try:
            CASTS[expected](node.value)
        except ExpressionError as error:
            issues.append(TypeIssue(RESULT, error.message, node.pointer))
        return
    if expected == "boolean" and produced == "string" and node.name in _FREE_TEXT:
        issues.append(
            TypeIssue(
                RESULT,
                f"This property needs a boolean, but {node.name} returns free text; only "
                '"true"/"false" would work',
                node.pointer,
                error=False,
            )
        )
