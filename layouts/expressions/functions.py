"""The function set: argument types, arity, return type and implementation of every function.

Arguments are cast to the declared parameter types before the implementation runs and the
result is cast to the declared return type, exactly as Altinn does; implementations therefore
only see already-coerced values. Implementations take the Evaluation (state + component
context) first, then the argument values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import jmespath
import jmespath.exceptions

from layouts.expressions import dates
from layouts.expressions.errors import ExpressionError
from layouts.expressions.state import lookup
from layouts.expressions.values import (
    cast_any,
    cast_boolean,
    cast_list,
    cast_number,
    cast_object,
    cast_string,
    decimal_result,
    describe,
    is_number,
    js_string,
    to_decimal,
    type_name,
)

if TYPE_CHECKING:
    from layouts.expressions.state import Evaluation


def cast_date(value: Any) -> dates.ExprDate | None:
    if value is None or value == "null":
        return None
    if isinstance(value, dates.ExprDate):
        return value
    if isinstance(value, str):
        if value.strip() == "":
            return None
        return dates.parse_date(value)
    if isinstance(value, bool):
        raise ExpressionError("Expected argument to be date, got boolean")
    if is_number(value):
        raise ExpressionError("Expected argument to be date, got number")
    raise ExpressionError(f"Expected date, got value {describe(value)}")


def cast_strict_string(value: Any) -> str:
    """A string argument that may not be null (the jmespath query)."""
    result = cast_string(value)
    if result is None:
        raise ExpressionError(f"Expected argument to be string, got {type_name(value)}")
    return result


CASTS: dict[str, Callable[[Any], Any]] = {
    "string": cast_string,
    "number": cast_number,
    "boolean": cast_boolean,
    "date": cast_date,
    "any": cast_any,
    "list": cast_list,
    "object": cast_object,
    "string!": cast_strict_string,
}


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One function: parameter types (and a type for extra variadic arguments), arity, the
    return type and the implementation."""

    name: str
    params: tuple[str, ...]
    returns: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None
    rest: str | None = None
    frontend_only: bool = False

    def param_type(self, index: int) -> str:
        if index < len(self.params):
            return self.params[index]
        return self.rest or "any"

    def declared_type(self, index: int) -> str | None:
        """The parameter type at `index`, or None if the function takes no such argument."""
        if index < len(self.params):
            return self.params[index]
        return self.rest


FUNCTIONS: dict[str, FunctionSpec] = {}


def _define(
    name: str,
    params: tuple[str, ...],
    returns: str,
    *,
    min_args: int | None = None,
    rest: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        minimum = len(params) if min_args is None else min_args
        maximum = None if rest else len(params)
        FUNCTIONS[name] = FunctionSpec(name, params, returns, impl, minimum, maximum, rest)
        return impl

    return register


# --- logic and comparison -------------------------------------------------------------------


@_define("equals", ("string", "string"), "boolean")
def _equals(ev: Evaluation, left: Any, right: Any) -> bool:
    return left == right


@_define("notEquals", ("string", "string"), "boolean")
def _not_equals(ev: Evaluation, left: Any, right: Any) -> bool:
    return left != right


@_define("not", ("boolean",), "boolean")
def _not(ev: Evaluation, value: bool | None) -> bool:
    return not value


@_define("and", (), "boolean", min_args=1, rest="boolean")
def _and(ev: Evaluation, *values: bool | None) -> bool:
    for value in values:  # noqa: SIM110 - a plain loop is faster than all() on a generator
        if value is not True:
            return False
    return True


@_define("or", (), "boolean", min_args=1, rest="boolean")
def _or(ev: Evaluation, *values: bool | None) -> bool:
    for value in values:  # noqa: SIM110 - a plain loop is faster than any() on a generator
        if value is True:
            return True
    return False


@_define("if", ("boolean", "any", "string", "any"), "any", min_args=2)
def _if(ev: Evaluation, condition: bool | None, then: Any, *rest: Any) -> Any:
    if condition is True:
        return then
    return rest[1] if len(rest) == 2 else None


def _numeric(compare: Callable[[Any, Any], bool]) -> Callable[..., bool]:
    def impl(ev: Evaluation, left: Any, right: Any) -> bool:
        if left is None or right is None:
            return False
        return compare(left, right)

    return impl


_define("greaterThan", ("number", "number"), "boolean")(_numeric(lambda a, b: a > b))
_define("greaterThanEq", ("number", "number"), "boolean")(_numeric(lambda a, b: a >= b))
_define("lessThan", ("number", "number"), "boolean")(_numeric(lambda a, b: a < b))
_define("lessThanEq", ("number", "number"), "boolean")(_numeric(lambda a, b: a <= b))


@_define("compare", ("any", "any", "any", "any"), "boolean", min_args=3)
def _compare(ev: Evaluation, *args: Any) -> bool:
    if len(args) == 4:
        left, _, operator, right = args
        negate = True
    else:
        left, operator, right = args
        negate = False
    result = compare_values(left, operator, right, ev.state.local_zone if ev else None)
    return not result if negate else result


def compare_values(left: Any, operator: str, right: Any, zone: Any = None) -> bool:
    """The operators of `compare`; operands are cast to the operator's type first."""
    if operator == "equals":
        return cast_string(left) == cast_string(right)
    if operator in ("greaterThan", "greaterThanEq", "lessThan", "lessThanEq"):
        a, b = cast_number(left), cast_number(right)
        if a is None or b is None:
            return False
        if operator == "greaterThan":
            return a > b
        if operator == "greaterThanEq":
            return a >= b
        if operator == "lessThan":
            return a < b
        return a <= b
    x, y = cast_date(left), cast_date(right)
    if x is None or y is None:
        return False
    if operator == "isSameDay":
        return dates.same_day(x, y)
    dates.check_comparable(x, y)
    local = zone or dates.UTC
    a_instant, b_instant = x.instant(local), y.instant(local)
    if operator == "isBefore":
        return a_instant < b_instant
    if operator == "isBeforeEq":
        return a_instant <= b_instant
    if operator == "isAfter":
        return a_instant > b_instant
    if operator == "isAfterEq":
        return a_instant >= b_instant
    raise ExpressionError(f'Invalid operator "{operator}"')


# --- arithmetic -----------------------------------------------------------------------------


_WIDE = Context(prec=1200)  # room for any double with up to 100 decimals


_DECIMAL = Context(prec=20, rounding=ROUND_HALF_UP)
"""Altinn's Decimal helper: 20 significant digits, half-up, back to a double after each step."""


def _decimal(value: Any) -> Decimal:
    return Decimal(0) if not value else to_decimal(value)


def _step(operation: Callable[[Decimal, Decimal], Decimal], left: Any, right: Any) -> Any:
    """One arithmetic step as Altinn does it: null/0 operands as 0, the result a double."""
    try:
        return decimal_result(operation(_decimal(left), _decimal(right)))
    except (InvalidOperation, OverflowError) as error:
        raise ExpressionError(f"Arithmetic error: {type(error).__name__}") from None


@_define("plus", (), "number", min_args=1, rest="number")
def _plus(ev: Evaluation, *values: Any) -> Any:
    total: Any = 0
    for value in values:
        total = _step(_DECIMAL.add, total, value)
    return total


@_define("minus", ("number", "number"), "number")
def _minus(ev: Evaluation, left: Any, right: Any) -> Any:
    return _step(_DECIMAL.subtract, left, right)


@_define("multiply", (), "number", min_args=1, rest="number")
def _multiply(ev: Evaluation, *values: Any) -> Any:
    total: Any = 1
    for value in values:
        total = _step(_DECIMAL.multiply, total, value)
    return total


@_define("divide", ("number", "number"), "number")
def _divide(ev: Evaluation, left: Any, right: Any) -> Any:
    if not right:
        raise ExpressionError("The second argument is 0, cannot divide by 0")
    return _step(_DECIMAL.divide, left, right)


@_define("round", ("number", "number"), "string", min_args=1)
def _round(ev: Evaluation, value: Any, decimals: Any = None) -> str:
    places = 0 if decimals is None else int(decimals)
    if places < 0 or places > 100:
        raise ExpressionError(f"Number of decimals must be between 0 and 100, got {places}")
    number = 0 if value is None else value
    if isinstance(number, float) and number != number:
        return "NaN"
    exact = Decimal(number)  # the exact binary value, as Number.prototype.toFixed uses
    try:
        rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _WIDE)
    except InvalidOperation:
        raise ExpressionError(f"Cannot round {describe(value)}") from None
    text = f"{rounded:f}"
    if rounded == 0 and text.startswith("-"):
        text = text[1:]
    return text


# --- strings --------------------------------------------------------------------------------


@_define("concat", (), "string", min_args=0, rest="string")
def _concat(ev: Evaluation, *values: str | None) -> str:
    return "".join(value or "" for value in values)


@_define("contains", ("string", "string"), "boolean")
def _contains(ev: Evaluation, text: str | None, part: str | None) -> bool:
    if text is None or part is None:
        return False
    return part in text


@_define("notContains", ("string", "string"), "boolean")
def _not_contains(ev: Evaluation, text: str | None, part: str | None) -> bool:
    if text is None or part is None:
        return True
    return part not in text


@_define("startsWith", ("string", "string"), "boolean")
def _starts_with(ev: Evaluation, text: str | None, part: str | None) -> bool:
    if text is None or part is None:
        return False
    return text.startswith(part)


@_define("endsWith", ("string", "string"), "boolean")
def _ends_with(ev: Evaluation, text: str | None, part: str | None) -> bool:
    if text is None or part is None:
        return False
    return text.endswith(part)


@_define("commaContains", ("string", "string"), "boolean")
def _comma_contains(ev: Evaluation, text: str | None, item: str | None) -> bool:
    if text is None or item is None:
        return False
    return item in (part.strip() for part in text.split(","))


def _utf16(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


def _units(text: str) -> list[str]:
    """UTF-16 code units as one-char strings (surrogates kept), so indexes match JavaScript."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return [
        encoded[i : i + 2].decode("utf-16-le", "surrogatepass") for i in range(0, len(encoded), 2)
    ]


def _join_units(units: list[str]) -> str:
    return "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


@_define("stringLength", ("string",), "number")
def _string_length(ev: Evaluation, text: str | None) -> int:
    if text is None:
        return 0
    return len(_units(text)) if _utf16(text) else len(text)


@_define("stringIndexOf", ("string", "string"), "number")
def _string_index_of(ev: Evaluation, text: str | None, part: str | None) -> int | None:
    if not text or not part:
        return None
    if _utf16(text) or _utf16(part):
        units, needle = _units(text), _units(part)
        for start in range(len(units) - len(needle) + 1):
            if units[start : start + len(needle)] == needle:
                return start
        return None
    index = text.find(part)
    return None if index < 0 else index


def _slice_index(value: Any, length: int) -> int:
    index = int(value) if value == value else 0
    if index < 0:
        return max(length + index, 0)
    return min(index, length)


@_define("stringSlice", ("string", "number", "number"), "string", min_args=2)
def _string_slice(ev: Evaluation, text: str | None, start: Any, end: Any = ...) -> str | None:
    if start is None or end is None:
        raise ExpressionError(
            "Start/end index cannot be null (if you used an expression like stringIndexOf here, "
            "make sure to guard against null)"
        )
    if text is None:
        return None
    units: Any = _units(text) if _utf16(text) else text
    length = len(units)
    begin = _slice_index(start, length)
    finish = length if end is ... else _slice_index(end, length)
    part = units[begin:finish] if finish > begin else units[0:0]
    return _join_units(part) if isinstance(part, list) else part


@_define("stringReplace", ("string", "string", "string"), "string")
def _string_replace(
    ev: Evaluation, text: str | None, search: str | None, replacement: str | None
) -> str | None:
    if not text or not search:
        return None
    return text.replace(search, replacement or "")


@_define("lowerCase", ("string",), "string")
def _lower_case(ev: Evaluation, text: str | None) -> str | None:
    return None if text is None else text.lower()


@_define("upperCase", ("string",), "string")
def _upper_case(ev: Evaluation, text: str | None) -> str | None:
    return None if text is None else text.upper()


@_define("lowerCaseFirst", ("string",), "string")
def _lower_case_first(ev: Evaluation, text: str | None) -> str | None:
    return None if text is None else text[:1].lower() + text[1:]


@_define("upperCaseFirst", ("string",), "string")
def _upper_case_first(ev: Evaluation, text: str | None) -> str | None:
    return None if text is None else text[:1].upper() + text[1:]


@_define("formatDate", ("date", "string"), "string", min_args=1)
def _format_date(ev: Evaluation, value: Any, pattern: str | None = None) -> str | None:
    if value is None:
        return None
    return dates.format_date(value, pattern, ev.state.language, ev.state.local_zone)


# --- lists, objects, queries ----------------------------------------------------------------


@_define("list", (), "list", min_args=0, rest="any")
def _list(ev: Evaluation, *values: Any) -> list[Any]:
    return list(values)


@_define("object", (), "object", min_args=0, rest="any")
def _object(ev: Evaluation, *values: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    keys = values[0::2]
    if not all(isinstance(key, str) for key in keys):
        raise ExpressionError("Object keys must be strings")
    if len(set(keys)) != len(keys):
        raise ExpressionError("Object keys must be unique")
    for key, value in zip(keys, values[1::2], strict=True):
        result[key] = value
    return result


def _numbers(items: list[Any]) -> list[Any]:
    return [cast_number(item) for item in items]


@_define("sum", ("list",), "number")
def _sum(ev: Evaluation, items: list[Any]) -> Any:
    return decimal_result(_decimal_sum(_numbers(items)))


def _decimal_sum(numbers: list[Any]) -> Decimal:
    """A list summed in decimal (rounded to Altinn's 20 digits at each addition)."""
    total = Decimal(0)
    for number in numbers:
        total = _DECIMAL.add(total, _decimal(number))
    return total


@_define("count", ("list",), "number")
def _count(ev: Evaluation, items: list[Any]) -> int:
    return len(items)


@_define("average", ("list", "number"), "number")
def _average(ev: Evaluation, items: list[Any], empty: Any) -> Any:
    numbers = _numbers(items)
    if not numbers:
        return empty
    return decimal_result(_DECIMAL.divide(_decimal_sum(numbers), Decimal(len(numbers))))


@_define("jmespath", ("any", "string!"), "any")
def _jmespath(ev: Evaluation, data: Any, query: str) -> Any:
    try:
        return jmespath.search(query, data)
    except jmespath.exceptions.JMESPathError as error:
        raise ExpressionError(f"Jmespath error: {error}") from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise ExpressionError(f"Jmespath error: {error}") from None


# --- context lookups ------------------------------------------------------------------------


@_define("argv", ("number",), "any")
def _argv(ev: Evaluation, index: Any) -> Any:
    return ev.state.positional_argument(index)


@_define("value", ("string",), "any", min_args=0)
def _value(ev: Evaluation, key: str | None = None) -> Any:
    return ev.state.value_argument(key)


@_define("gatewayAction", (), "string")
def _gateway_action(ev: Evaluation) -> str | None:
    return ev.state.gateway_action


@_define("language", (), "string")
def _language(ev: Evaluation) -> str:
    return ev.state.language


@_define("instanceContext", ("string",), "string")
def _instance_context(ev: Evaluation, key: str | None) -> Any:
    return ev.state.instance_context(key)


@_define("frontendSettings", ("string",), "any")
def _frontend_settings(ev: Evaluation, key: str | None) -> Any:
    return ev.state.frontend_setting(key)


@_define("authContext", ("string",), "boolean")
def _auth_context(ev: Evaluation, key: str | None) -> bool | None:
    return ev.state.auth_context(key)


@_define("countDataElements", ("string",), "number")
def _count_data_elements(ev: Evaluation, data_type: str | None) -> int:
    if data_type is None:
        raise ExpressionError("Expected dataType argument to be a string")
    return ev.state.count_data_elements(data_type)


@_define("component", ("string",), "any")
def _component(ev: Evaluation, component_id: str | None) -> Any:
    return ev.state.component_value(ev.ctx, component_id)


@_define("dataModel", ("string", "string"), "any", min_args=1)
def _data_model(ev: Evaluation, path: str | None, data_type: str | None = None) -> Any:
    if path is None:
        raise ExpressionError("Cannot lookup dataModel null")
    return ev.state.data_value(path, data_type, ev.ctx)


@_define("externalApi", ("string", "string"), "any")
def _external_api(ev: Evaluation, api_id: str | None, path: str | None) -> Any:
    if api_id is None:
        raise ExpressionError("Expected an external API id")
    return ev.state.external_api(api_id, path)


@_define("displayValue", ("string",), "string")
def _display_value(ev: Evaluation, component_id: str | None) -> Any:
    return ev.state.display_value(ev.ctx, component_id)


@_define("optionLabel", ("string", "any"), "string")
def _option_label(ev: Evaluation, options_id: str | None, value: Any) -> Any:
    if options_id is None:
        raise ExpressionError("Expected an options id")
    return ev.state.option_label(ev.ctx, options_id, value)


@_define("text", ("string",), "string")
def _text(ev: Evaluation, key: str | None) -> str | None:
    if key is None:
        return None
    return ev.state.text(key, ev.ctx)


@_define("linkToComponent", ("string", "string", "boolean"), "string", min_args=2)
def _link_to_component(
    ev: Evaluation, text: str | None, component_id: str | None, back: bool | None = None
) -> str | None:
    if text is None or component_id is None:
        return None
    return ev.state.link_to_component(ev.ctx, text, component_id, bool(back))


@_define("linkToPage", ("string", "string", "boolean"), "string", min_args=2)
def _link_to_page(
    ev: Evaluation, text: str | None, page: str | None, back: bool | None = None
) -> str | None:
    if text is None or page is None:
        return None
    return ev.state.link_to_page(ev.ctx, text, page, bool(back))


@_define(
    "_experimentalSelectAndMap",
    ("string", "string", "string", "string", "boolean"),
    "string",
    min_args=2,
)
def _select_and_map(
    ev: Evaluation,
    path: str | None,
    prop: str | None,
    prepend: str | None = None,
    append: str | None = None,
    append_to_last: bool | None = True,
) -> str | None:
    if path is None or prop is None:
        raise ExpressionError("Cannot lookup dataModel null")
    items = lookup(ev.state.model(None), path, ())
    if not isinstance(items, list):
        return ""
    rendered: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and prop in item:
            text = js_string(item[prop]) if item[prop] is not None else "null"
        else:
            text = "undefined"  # what JavaScript prints for a missing property
        last = index == len(items) - 1
        suffix = "" if append is None or (last and append_to_last is False) else append
        rendered.append(f"{prepend or ''}{text}{suffix}")
    return " ".join(rendered)


RETURN_CASTS: dict[str, Callable[[Any], Any] | None] = {
    name: (None if spec.returns == "any" else CASTS[spec.returns])
    for name, spec in FUNCTIONS.items()
}
