"""Static type-checking of expressions, before anything runs.

Infers the type every sub-expression produces (from the function table) and reports what can
be known to be wrong without data: structure and arity (from the parser), literals that can
never be coerced to the parameter's type, sub-expressions whose type can never coerce, results
that do not fit the property (a boolean property given a string-only expression), and
`component`/`dataModel` references that cannot exist in this layout set.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import Enum

from layouts.expressions.ast import (
    ACCEPTS,
    COMPARE_OPERATORS,
    MAX_DEPTH,
    NULLABLE,
    Call,
    Literal,
    Node,
    parse,
)
from layouts.expressions.errors import ExpressionError
from layouts.expressions.functions import CASTS, FUNCTIONS, FunctionSpec
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

    component_ids: AbstractSet[str] | None = None
    bound_component_ids: AbstractSet[str] | None = None  # the ones with a simpleBinding
    data_types: AbstractSet[str] | None = None
    data_path_exists: Callable[[str, str | None], bool | None] | None = None
    find_default_path: Callable[[str], object] | None = None
    """A quicker `data_path_exists(path, None)` for the fast path, such as a model tree's
    `resolve`: None wherever that answers False. It may raise (the full path decides)."""


@dataclass(slots=True)
class TypeResult:
    type: str | None
    issues: list[TypeIssue] = field(default_factory=list)


def check_expression(
    source: object, expected: str | None = None, env: TypeEnvironment | None = None
) -> TypeResult:
    """Type-check `source` for a property expecting `expected` (boolean/string/number/any)."""
    env = env or TypeEnvironment()
    produced = clean_type(source, expected, env)
    if produced is not UNSURE:
        return TypeResult(produced, [])
    return full_check(source, expected, env)


def full_check(source: object, expected: str | None, env: TypeEnvironment) -> TypeResult:
    """`check_expression` through the AST: the path that words every issue."""
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


# -- the fast path -----------------------------------------------------------------------------
# Nearly every expression in an app is fine. Building its AST (with a pointer per node) and
# issue lists only to find nothing is most of the cost of checking it, so `clean_type` first
# runs every check of `parse` and `_infer` directly on the JSON, allocating nothing, and
# answers only when all of them pass. Anything it is not sure about (a problem, a value of an
# unexpected Python type) goes the full path, which words the issues.


class _Unsure(Enum):
    UNSURE = "unsure"


UNSURE = _Unsure.UNSURE
"""`clean_type`'s answer when the full check must decide."""

_NONE = type(None)
_STATIC_TYPES: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    _NONE: "null",
}
# Literal types a parameter's cast always takes (see values.py), so the cast need not run.
_ALWAYS_CASTS: dict[str, frozenset[type]] = {
    "string": frozenset({str, _NONE}),
    "number": frozenset({int, _NONE}),
    "boolean": frozenset({bool, _NONE}),
    "date": frozenset({_NONE}),
}
_NEVER_FOR: dict[str, frozenset[str]] = {
    wanted: frozenset(produced for produced, target in _NEVER if target == wanted)
    for _, wanted in _NEVER
}
# How to look at an argument of each Python type (`_Param.checks`).
_FINE, _CALL, _CAST, _REJECT = range(4)
_PLAIN, _DATA_MODEL, _SPECIAL = range(3)  # (_PLAIN must stay falsy)
# Functions with literal-only arguments or component references (`_clean_special`).
_SPECIALS = frozenset(
    {"if", "compare", "optionLabel", "object", "component", "displayValue", "linkToComponent"}
)


_DATA_MODEL_RETURNS = (
    None if FUNCTIONS["dataModel"].returns == "any" else FUNCTIONS["dataModel"].returns
)


@dataclass(frozen=True, slots=True)
class _Param:
    """What `parse` and `_infer` demand of an argument for one declared parameter type."""

    checks: dict[type, int]  # argument type -> _FINE/_CALL/_CAST; absent: _REJECT
    results: frozenset[str | None]  # call result types both accept (None: "any")
    cast: Callable[[object], object] | None  # the literal's cast (None: any value goes)
    data_model: bool  # `results` takes what ["dataModel", path] returns

    @classmethod
    def of(cls, declared: str) -> _Param:
        wanted = declared.rstrip("!")
        accepts = ACCEPTS[wanted] | ({"null"} if wanted in NULLABLE else set())
        cast = None if declared == "any" else CASTS[declared]
        always = _ALWAYS_CASTS.get(declared, frozenset())
        checks = {list: _CALL}
        for kind, static in _STATIC_TYPES.items():
            if static in accepts:
                # Floats are always looked at: NaN is never a valid literal.
                fine = kind is not float and (cast is None or kind in always)
                checks[kind] = _FINE if fine else _CAST
        results: set[str | None] = {None} if "null" in accepts else set()
        for produced in accepts - {"null"}:
            if cast is None or (produced, wanted) not in _NEVER:
                results.add(produced)
        return cls(checks, frozenset(results), cast, _DATA_MODEL_RETURNS in results)


@dataclass(slots=True)
class _Signature:
    """A function as the fast path needs it, per argument count."""

    spec: FunctionSpec
    returns: str | None
    kind: int  # _PLAIN, _DATA_MODEL or _SPECIAL (literal rules or references to check)
    by_length: dict[int, tuple[_Param, ...]]  # the list's length (1 + arguments) -> params
    bad_counts: set[int]  # argument counts of the wrong arity or with unexpected arguments

    def params(self, count: int) -> tuple[_Param, ...] | None:
        if count in self.bad_counts:
            return None
        spec = self.spec
        found: tuple[_Param, ...] | None = None
        arity_ok = spec.name == "if" or (  # `if` has its own count rule
            count >= spec.min_args and (spec.max_args is None or count <= spec.max_args)
        )
        declared = [spec.declared_type(index) for index in range(count)]
        if arity_ok and None not in declared:
            found = tuple(_Param.of(str(param)) for param in declared)
        if len(self.by_length) + len(self.bad_counts) < 64:
            if found is None:
                self.bad_counts.add(count)
            else:
                self.by_length[count + 1] = found
        return found


def _signature(name: str, spec: FunctionSpec) -> _Signature:
    kind = _DATA_MODEL if name == "dataModel" else _SPECIAL if name in _SPECIALS else _PLAIN
    returns = None if spec.returns == "any" else spec.returns
    return _Signature(spec, returns, kind, {}, set())


_SIGNATURES: dict[str, _Signature] = {
    name: _signature(name, spec) for name, spec in FUNCTIONS.items()
}
"""Every function (FUNCTIONS is complete once functions.py is imported); other names, and
names that are not strings, raise KeyError or TypeError."""


_PAIRS: dict[str | None, dict[str, frozenset[type]]] = {}
"""`data_model_pairs` per expected type (a handful: the catalogue's expression types)."""
_MAX_PAIRS = 64


def data_model_pairs(expected: str | None) -> dict[str, frozenset[type]]:
    """Function name -> the literal types T for which `clean_type([name, ["dataModel", path],
    t], expected, env)` passes whenever `env.find_default_path(path)` is not None.

    The commonest expression of all (["equals", ["dataModel", "a.b"], "yes"]), so the
    expression check's hot loop judges it from this table without calling `clean_type`;
    only functions with no rule beyond their parameter types (`_PLAIN`), whose first
    parameter takes what dataModel returns, whose literal second argument needs no cast, and
    whose result fits `expected`."""
    found = _PAIRS.get(expected)
    if found is not None:
        return found
    found = {}
    for name, signature in _SIGNATURES.items():
        if signature.kind != _PLAIN or MAX_DEPTH < 1:
            continue
        params = signature.params(2)
        if params is None or params[0].checks.get(list) != _CALL or not params[0].data_model:
            continue
        produced = signature.returns
        fits = produced == expected or expected is None or produced is None
        if not fits and _misfit([name], produced, expected):  # type: ignore[arg-type]
            continue
        fine = frozenset(kind for kind, check in params[1].checks.items() if check == _FINE)
        if fine:
            found[name] = fine
    if len(_PAIRS) >= _MAX_PAIRS:
        _PAIRS.clear()
    _PAIRS[expected] = found
    return found


def clean_type(
    source: object, expected: str | None, env: TypeEnvironment, _depth: int = 0
) -> str | _Unsure | None:
    """The type `source` produces if `full_check` would report no issue at all, else UNSURE.

    Only call expressions (JSON arrays) are taken; literals go the full path. Arguments that
    are calls are checked by calling this again (`_depth` deep, with no expected type): one
    frame per call, the hot path of the expression check."""
    if type(source) is not list:
        return UNSURE
    try:  # the full path raises or reports anything unexpected in its own words
        # An empty list raises IndexError, an unknown name KeyError, an unhashable one
        # TypeError.
        name = source[0]
        signature = _SIGNATURES[name]  # type: ignore[index]
        length = len(source)
        kind = signature.kind
        if length == 2 and kind == _DATA_MODEL and type(source[1]) is str:
            # The commonest call of all, ["dataModel", "a.path"]: only the path to look up.
            find = env.find_default_path
            if find is not None:
                if find(source[1]) is None:
                    return UNSURE
            elif (exists := env.data_path_exists) is not None and exists(
                source[1],  # type: ignore[arg-type]
                None,
            ) is False:
                return UNSURE
        else:
            try:
                params = signature.by_length[length]
            except KeyError:
                params = signature.params(length - 1)  # type: ignore[assignment]
                if params is None:
                    return UNSURE  # arity, or an argument the function does not take
            index = 0
            for param in params:
                index += 1
                arg = source[index]
                # A static type the parameter rejects, or no JSON value: KeyError.
                check = param.checks[type(arg)]
                if not check:
                    continue  # _FINE
                if check == _CALL:
                    if _depth >= MAX_DEPTH:
                        return UNSURE  # `parse` refuses it
                    if (
                        arg[0] == "dataModel"  # type: ignore[index]
                        and len(arg) == 2  # type: ignore[arg-type]
                        and type(arg[1]) is str  # type: ignore[index]
                    ):
                        # The commonest argument, ["dataModel", "a.path"], without a call
                        # of its own.
                        find = env.find_default_path
                        if find is not None:
                            if find(arg[1]) is None:  # type: ignore[index]
                                return UNSURE
                        elif (exists := env.data_path_exists) is not None and exists(
                            arg[1],  # type: ignore[index]
                            None,
                        ) is False:
                            return UNSURE
                        if not param.data_model:
                            return UNSURE
                    elif clean_type(arg, None, env, _depth + 1) not in param.results:
                        return UNSURE
                elif arg != arg:
                    return UNSURE  # NaN
                elif param.cast is not None:
                    try:
                        param.cast(arg)
                    except ExpressionError:
                        return UNSURE
            if kind:  # rules beyond the parameter types
                count = length - 1
                if kind == _DATA_MODEL:
                    if not _clean_data_model(source, count, env):
                        return UNSURE
                elif not _clean_special(name, source, count, env):
                    return UNSURE
        produced = signature.returns
    except Exception:
        return UNSURE
    if produced == expected or expected is None or produced is None:
        return produced  # (a result of the expected type fits; nested calls expect nothing)
    return UNSURE if _misfit(source, produced, expected) else produced


def _misfit(source: list[object], produced: str, expected: str | None) -> bool:
    """`_check_result` finds the produced type wrong for the property."""
    if expected and expected != "any" and produced != "null":
        if produced in _NEVER_FOR.get(expected, ()):
            return True
        if expected == "boolean" and produced == "string" and source[0] in _FREE_TEXT:
            return True
    return False


def _clean_data_model(value: list[object], count: int, env: TypeEnvironment) -> bool:
    """`_check_references` finds nothing wrong with a dataModel call (its arguments passed
    their parameter types; the one-string-argument call never comes here)."""
    given = value[2] if count == 2 else None
    if given is not None and type(given) is not str:
        return False  # "The data type must be a string"
    path = value[1]
    if type(path) is str:
        if given is not None and env.data_types is not None and given not in env.data_types:
            return False
        exists = env.data_path_exists
        if exists is not None and exists(path, given) is False:  # type: ignore[arg-type]
            return False
    return True


def _clean_special(name: str, value: list[object], count: int, env: TypeEnvironment) -> bool:
    """`_check_literal_arguments`, `_check_compare` and `_check_references` find nothing.

    Every argument is a list or an exact JSON scalar here, and the arity is right."""
    if name == "if":
        return count == 2 or (count == 4 and value[3] == "else")
    if name == "compare":
        if count == 4 and value[2] != "not":
            return False
        operator = value[3] if count == 4 else value[2]
        if type(operator) is not str or operator not in COMPARE_OPERATORS:
            return False
        cast = CASTS[COMPARE_OPERATORS[operator]]
        for operand in (value[1], value[count]):
            if operand is not None and type(operand) is not list:
                try:
                    cast(operand)
                except ExpressionError:
                    return False
        return True
    if name == "optionLabel":
        return type(value[1]) is str
    if name == "object":
        return count % 2 == 0
    target = value[2] if name == "linkToComponent" else value[1]
    if type(target) is not str:
        return True
    if env.component_ids is not None and target not in env.component_ids:
        return False
    return not (
        name == "component"
        and env.bound_component_ids is not None
        and target not in env.bound_component_ids
    )
