"""Gateway conditions: type-checking and evaluation of the JSON expressions on sequence flows.

The expression language proper lives in `layouts.expressions` (its own parser, type-checker
and evaluator). This module is the seam: it uses that package when it is importable, and
otherwise falls back to a small structural checker and an evaluator for the subset of
functions gateway conditions use (comparisons, logic, `gatewayAction`, `dataModel`). The
engine takes any evaluator callable, so it is testable without either.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class ConditionError(Exception):
    """A condition that cannot be evaluated (unknown function, bad arguments, bad data)."""


@dataclass(slots=True)
class ConditionContext:
    """What a gateway condition can see: the action sent, and the connected data element."""

    gateway_action: str | None
    data: Any = None
    data_type: str | None = None
    user: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Any, ConditionContext], Any]


# --- checking -----------------------------------------------------------------------------

_BOOLEAN_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "equals": (2, 2),
    "notEquals": (2, 2),
    "not": (1, 1),
    "and": (1, None),
    "or": (1, None),
    "greaterThan": (2, 2),
    "greaterThanEq": (2, 2),
    "lessThan": (2, 2),
    "lessThanEq": (2, 2),
    "contains": (2, 2),
    "notContains": (2, 2),
    "startsWith": (2, 2),
    "endsWith": (2, 2),
    "commaContains": (2, 2),
    "authContext": (1, 1),
    "compare": (3, 4),
}
_VALUE_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "gatewayAction": (0, 0),
    "dataModel": (1, 2),
    "instanceContext": (1, 1),
    "frontendSettings": (1, 1),
    "language": (0, 0),
    "if": (2, None),
    "concat": (0, None),
    "lowerCase": (1, 1),
    "upperCase": (1, 1),
    "stringLength": (1, 1),
    "round": (1, 2),
    "text": (1, 1),
    "argv": (1, 1),
    "plus": (2, 2),
    "minus": (2, 2),
    "multiply": (2, 2),
    "divide": (2, 2),
    "formatDate": (1, 2),
    "countDataElements": (1, 1),
    "value": (0, 1),
}


def _external_checker() -> Callable[[Any], list[str]] | None:
    """The expression language's type-checker (`layouts.expressions.typecheck`), if present."""
    try:
        typecheck = importlib.import_module("layouts.expressions.typecheck")
    except ImportError:
        return None
    check_expression = getattr(typecheck, "check_expression", None)
    if not callable(check_expression):
        return None

    def check(expression: Any) -> list[str]:
        result = check_expression(expression, "boolean")
        # warnings count too: Altinn only follows a flow whose condition gives a real boolean
        return [issue.message for issue in result.issues]

    return check


def check_condition(expression: Any) -> list[str]:
    """Problems with a condition as a boolean expression (empty list when it is fine)."""
    external = _external_checker()
    if external is not None:
        try:
            return [str(p) for p in external(expression)]
        except Exception as exc:  # the other package's bug must not crash validation
            return [f"expression checker failed: {exc}"]
    problems: list[str] = []
    _check(expression, problems, want_boolean=True, path="")
    return problems


def _check(expr: Any, problems: list[str], want_boolean: bool, path: str) -> None:
    if isinstance(expr, bool) or expr is None:
        return
    if isinstance(expr, int | float | str):
        if want_boolean:
            problems.append(f"{path or 'condition'} is {expr!r}, not a boolean expression")
        return
    if isinstance(expr, dict):
        problems.append(f"{path or 'condition'} is an object; expressions are arrays")
        return
    if not isinstance(expr, list) or not expr or not isinstance(expr[0], str):
        problems.append(f"{path or 'condition'} must be an array starting with a function name")
        return
    name, args = expr[0], expr[1:]
    arity = _BOOLEAN_FUNCTIONS.get(name) or _VALUE_FUNCTIONS.get(name)
    if arity is None:
        problems.append(f"unknown function {name!r}")
        return
    low, high = arity
    if len(args) < low or (high is not None and len(args) > high):
        expected = str(low) if low == high else f"{low}..{high if high is not None else 'n'}"
        problems.append(f"{name} takes {expected} argument(s), got {len(args)}")
    if want_boolean and name not in _BOOLEAN_FUNCTIONS and name not in ("if", "dataModel"):
        problems.append(f"{name} does not return a boolean")
    for index, arg in enumerate(args):
        boolean_arg = name in ("not", "and", "or") or (name == "if" and index % 2 == 0)
        _check(arg, problems, boolean_arg and not isinstance(arg, str), f"{name} argument {index}")


def mentions_gateway_action(expression: Any) -> set[str] | None:
    """Action names a condition compares `gatewayAction` with, or None if it never does."""
    found: set[str] = set()
    uses = False

    def walk(node: Any) -> None:
        nonlocal uses
        if isinstance(node, list) and node:
            if node[0] in ("equals", "notEquals") and len(node) == 3:
                left, right = node[1], node[2]
                for a, b in ((left, right), (right, left)):
                    if a == ["gatewayAction"] and isinstance(b, str):
                        found.add(b)
            if node == ["gatewayAction"]:
                uses = True
            for child in node[1:]:
                walk(child)

    walk(expression)
    return found if uses else None


# --- evaluating ---------------------------------------------------------------------------


def default_evaluator() -> Evaluator:
    """The expression language's evaluator when `layouts.expressions` is installed, else the
    built-in subset."""
    try:
        module = importlib.import_module("layouts.expressions")
    except ImportError:
        return evaluate_subset
    if all(hasattr(module, n) for n in ("EvalState", "compile_expression", "ExpressionError")):
        return ExpressionLanguageEvaluator(module)
    return evaluate_subset


class ExpressionLanguageEvaluator:
    """Evaluates gateway conditions with `layouts.expressions`, compiling each one once.

    The connected data element is the default data model, `gatewayAction` the action sent.
    The raw result is returned (no cast), since Altinn follows a flow only on a real `true`.
    """

    def __init__(self, module: Any) -> None:
        self._module = module
        self._compiled: dict[int, tuple[Any, Any, list[str]]] = {}

    def __call__(self, expression: Any, context: ConditionContext) -> Any:
        module = self._module
        entry = self._compiled.get(id(expression))
        try:
            if entry is None or entry[0] is not expression:
                compiled = module.compile_expression(expression)
                entry = (expression, compiled, sorted(_named_data_types(expression)))
                self._compiled[id(expression)] = entry
            data_type = context.data_type or "default"
            models = {data_type: context.data} if context.data is not None else {}
            fetch = context.extra.get("data_by_type")
            for other in entry[2]:  # ["dataModel", path, "otherType"] reads another element
                if other not in models and callable(fetch):
                    models[other] = fetch(other)
            state = module.EvalState(
                models=models, default_data_type=data_type, gateway_action=context.gateway_action
            )
            return entry[1].evaluate(state)
        except module.ExpressionError as error:
            raise ConditionError(getattr(error, "message", str(error))) from None


def _named_data_types(expression: Any) -> set[str]:
    """Data types a condition names explicitly: the literal third item of dataModel calls."""
    found: set[str] = set()
    if isinstance(expression, list):
        if len(expression) == 3 and expression[0] == "dataModel" and isinstance(expression[2], str):
            found.add(expression[2])
        for item in expression[1:]:
            found |= _named_data_types(item)
    return found


def evaluate_subset(expression: Any, context: ConditionContext) -> Any:
    """Evaluate the gateway-condition subset of the expression language."""
    return compile_subset(expression)(context)


_Compiled = Callable[[ConditionContext], Any]
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def compile_subset(expression: Any) -> _Compiled:
    """Turn an expression into a closure once, so a gateway evaluates fast per instance."""
    if not isinstance(expression, list):
        if isinstance(expression, dict):
            raise ConditionError("objects are not expressions")
        return lambda _ctx, v=expression: v
    if not expression or not isinstance(expression[0], str):
        raise ConditionError("an expression is an array starting with a function name")
    name = expression[0]
    args = [compile_subset(a) for a in expression[1:]]
    factory = _FUNCTIONS.get(name)
    if factory is None:
        raise ConditionError(f"function {name!r} is not available in gateway conditions")
    return factory(args, expression)


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0", ""):
        return False
    raise ConditionError(f"{value!r} is not a boolean")


def _as_number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ConditionError(f"{value!r} is not a number")
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        raise ConditionError(f"{value!r} is not a number") from None


def _arity(args: list[_Compiled], expr: list[Any], low: int, high: int | None) -> None:
    if len(args) < low or (high is not None and len(args) > high):
        raise ConditionError(f"{expr[0]} has {len(args)} argument(s)")


def _equals(args: list[_Compiled], expr: list[Any], negate: bool = False) -> _Compiled:
    _arity(args, expr, 2, 2)
    a, b = args
    if negate:
        return lambda c: _as_text(a(c)) != _as_text(b(c))
    return lambda c: _as_text(a(c)) == _as_text(b(c))


def _compare(
    op: Callable[[float, float], bool],
) -> Callable[[list[_Compiled], list[Any]], _Compiled]:
    def factory(args: list[_Compiled], expr: list[Any]) -> _Compiled:
        _arity(args, expr, 2, 2)
        a, b = args

        def run(c: ConditionContext) -> bool:
            x, y = _as_number(a(c)), _as_number(b(c))
            return False if x is None or y is None else op(x, y)

        return run

    return factory


def _and(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 1, None)
    return lambda c: all(_as_bool(a(c)) for a in args)


def _or(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 1, None)
    return lambda c: any(_as_bool(a(c)) for a in args)


def _not(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 1, 1)
    inner = args[0]
    return lambda c: not _as_bool(inner(c))


def _if(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 2, None)

    def run(c: ConditionContext) -> Any:
        rest = list(args)
        while len(rest) >= 2:
            test, then = rest[0], rest[1]
            if _as_bool(test(c)):
                return then(c)
            rest = rest[2:]
            if len(rest) >= 2 and rest[0](c) == "else":
                return rest[1](c)
        return rest[0](c) if rest else None

    return run


def _gateway_action(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 0, 0)
    return lambda c: c.gateway_action


def lookup_path(data: Any, path: str) -> Any:
    """Read a dotted data-model path (`a.b[0].c`) from JSON-like data; missing gives None."""
    current = data
    for match in _PATH_PART.finditer(path):
        key, index = match.group(1), match.group(2)
        if current is None:
            return None
        if index is not None:
            if not isinstance(current, list) or int(index) >= len(current):
                return None
            current = current[int(index)]
        elif isinstance(current, Mapping):
            current = current.get(key)
        else:
            current = getattr(current, key, None)
    return current


def _data_model(args: list[_Compiled], expr: list[Any]) -> _Compiled:
    _arity(args, expr, 1, 2)
    path = args[0]
    chooser = args[1] if len(args) == 2 else None

    def run(c: ConditionContext) -> Any:
        data = c.data
        if chooser is not None:
            wanted = chooser(c)
            if wanted != c.data_type:
                source = c.extra.get("data_by_type")
                data = source(wanted) if callable(source) else None
        return lookup_path(data, str(path(c)))

    return run


def _contains(args: list[_Compiled], expr: list[Any], negate: bool = False) -> _Compiled:
    _arity(args, expr, 2, 2)
    a, b = args

    def run(c: ConditionContext) -> bool:
        x, y = _as_text(a(c)), _as_text(b(c))
        result = False if x is None or y is None else y in x
        return not result if negate else result

    return run


_FUNCTIONS: dict[str, Callable[[list[_Compiled], list[Any]], _Compiled]] = {
    "equals": _equals,
    "notEquals": lambda a, e: _equals(a, e, negate=True),
    "and": _and,
    "or": _or,
    "not": _not,
    "if": _if,
    "gatewayAction": _gateway_action,
    "dataModel": _data_model,
    "greaterThan": _compare(lambda x, y: x > y),
    "greaterThanEq": _compare(lambda x, y: x >= y),
    "lessThan": _compare(lambda x, y: x < y),
    "lessThanEq": _compare(lambda x, y: x <= y),
    "contains": _contains,
    "notContains": lambda a, e: _contains(a, e, negate=True),
}
