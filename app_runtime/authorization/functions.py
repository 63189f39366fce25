"""The XACML 3.0 standard function library (Appendix A.3) with static signatures.

Every function is registered with its parameter and return types so that policies are
type-checked when loaded: a policy that compares an integer with a string is rejected with its
line number instead of failing on some later request. Implementations take already evaluated
arguments (plain Python values and tuples for bags), except the lazy logical functions, which
take thunks so that `and`/`or` can stop early. Higher-order functions live in higher_order.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.errors import EvaluationError

P1 = "urn:oasis:names:tc:xacml:1.0:function:"
P2 = "urn:oasis:names:tc:xacml:2.0:function:"
P3 = "urn:oasis:names:tc:xacml:3.0:function:"

Type = tuple[str, bool]  # (data type URI, is a bag)


def prim(datatype: str) -> Type:
    return (datatype, False)


def bag(datatype: str) -> Type:
    return (datatype, True)


def describe(kind: Type) -> str:
    name = dt.short_name(kind[0])
    return f"bag of {name}" if kind[1] else name


BOOL = prim(dt.BOOLEAN)
INT = prim(dt.INTEGER)
DBL = prim(dt.DOUBLE)
STR = prim(dt.STRING)


class FunctionTypeError(Exception):
    """Arguments that do not fit a function's signature (raised at load time)."""


@dataclass(slots=True)
class Function:
    """One XACML function: identifier, signature and implementation."""

    id: str
    returns: Type
    params: tuple[Type, ...]
    impl: Callable[..., Any]
    variadic: Type | None = None
    min_variadic: int = 0
    lazy: bool = False
    higher_order: bool = False

    def check(self, args: list[Type]) -> Type:
        """Return the result type for these argument types, or raise FunctionTypeError."""
        fixed = len(self.params)
        if self.variadic is None and len(args) != fixed:
            raise FunctionTypeError(f"{self.name} takes {fixed} argument(s), got {len(args)}")
        if self.variadic is not None and len(args) < fixed + self.min_variadic:
            least = fixed + self.min_variadic
            raise FunctionTypeError(
                f"{self.name} takes at least {least} arguments, got {len(args)}"
            )
        for index, actual in enumerate(args):
            expected = self.params[index] if index < fixed else self.variadic
            if actual != expected:
                raise FunctionTypeError(
                    f"argument {index + 1} of {self.name} must be a {describe(expected)}, "  # type: ignore[arg-type]
                    f"not a {describe(actual)}"
                )
        return self.returns

    @property
    def name(self) -> str:
        return self.id.rsplit(":", 1)[-1]


FUNCTIONS: dict[str, Function] = {}


def register(
    ids: str | list[str],
    returns: Type,
    params: tuple[Type, ...],
    impl: Callable[..., Any],
    *,
    variadic: Type | None = None,
    min_variadic: int = 0,
    lazy: bool = False,
) -> None:
    for function_id in [ids] if isinstance(ids, str) else ids:
        FUNCTIONS[function_id] = Function(
            function_id, returns, params, impl, variadic, min_variadic, lazy
        )


def lookup(function_id: str) -> Function | None:
    return FUNCTIONS.get(function_id)


# --------------------------------------------------------------------------- type groups
EQUALITY_TYPES = {
    "string": dt.STRING,
    "boolean": dt.BOOLEAN,
    "integer": dt.INTEGER,
    "double": dt.DOUBLE,
    "date": dt.DATE,
    "time": dt.TIME,
    "dateTime": dt.DATETIME,
    "anyURI": dt.ANYURI,
    "x500Name": dt.X500NAME,
    "rfc822Name": dt.RFC822NAME,
    "hexBinary": dt.HEXBINARY,
    "base64Binary": dt.BASE64BINARY,
}
DURATION_TYPES = {
    "dayTimeDuration": dt.DAYTIME_DURATION,
    "yearMonthDuration": dt.YEARMONTH_DURATION,
}
NET_TYPES = {"ipAddress": dt.IPADDRESS, "dnsName": dt.DNSNAME}


def _ids(name: str, *prefixes: str) -> list[str]:
    return [prefix + name for prefix in prefixes]


def _error(message: str) -> EvaluationError:
    return EvaluationError(message)


# --------------------------------------------------------------------------- equality
def _eq(a: Any, b: Any) -> bool:
    return a == b


def _double_eq(a: float, b: float) -> bool:
    # XML Schema equality: NaN equals itself (unlike IEEE comparison).
    return a == b or (a != a and b != b)


for _name, _type in EQUALITY_TYPES.items():
    register(P1 + f"{_name}-equal", BOOL, (prim(_type), prim(_type)), _eq)
register(P1 + "double-equal", BOOL, (DBL, DBL), _double_eq)
for _name, _type in DURATION_TYPES.items():
    register(_ids(f"{_name}-equal", P3, P1), BOOL, (prim(_type), prim(_type)), _eq)
register(P3 + "string-equal-ignore-case", BOOL, (STR, STR), lambda a, b: a.lower() == b.lower())


# --------------------------------------------------------------------------- arithmetic
def _int_divide(a: int, b: int) -> int:
    if b == 0:
        raise _error("integer-divide by zero")
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _int_mod(a: int, b: int) -> int:
    if b == 0:
        raise _error("integer-mod by zero")
    return a - b * _int_divide(a, b)


def _double_divide(a: float, b: float) -> float:
    if b == 0:
        raise _error("double-divide by zero")
    return a / b


def _sum(*values: Any) -> Any:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _product(*values: Any) -> Any:
    total = values[0]
    for value in values[1:]:
        total = total * value
    return total


def _round(value: float) -> float:
    """Nearest integral value, ties to even (IEEE 754 roundToIntegralTiesToEven)."""
    if math.isnan(value) or math.isinf(value):
        return value
    return float(round(value))


def _double_to_integer(value: float) -> int:
    if math.isnan(value) or math.isinf(value):
        raise _error(f"double-to-integer cannot convert {value}")
    return int(value)


register(P1 + "integer-add", INT, (INT, INT), _sum, variadic=INT)
register(P1 + "double-add", DBL, (DBL, DBL), _sum, variadic=DBL)
register(P1 + "integer-multiply", INT, (INT, INT), _product, variadic=INT)
register(P1 + "double-multiply", DBL, (DBL, DBL), _product, variadic=DBL)
register(P1 + "integer-subtract", INT, (INT, INT), lambda a, b: a - b)
register(P1 + "double-subtract", DBL, (DBL, DBL), lambda a, b: a - b)
register(P1 + "integer-divide", INT, (INT, INT), _int_divide)
register(P1 + "double-divide", DBL, (DBL, DBL), _double_divide)
register(P1 + "integer-mod", INT, (INT, INT), _int_mod)
register(P1 + "integer-abs", INT, (INT,), abs)
register(P1 + "double-abs", DBL, (DBL,), abs)
register(P1 + "round", DBL, (DBL,), _round)
register(
    P1 + "floor",
    DBL,
    (DBL,),
    lambda value: float(math.floor(value)) if math.isfinite(value) else value,
)
register(P1 + "double-to-integer", INT, (DBL,), _double_to_integer)
register(P1 + "integer-to-double", DBL, (INT,), float)

# --------------------------------------------------------------------------- strings
register(P1 + "string-normalize-space", STR, (STR,), lambda text: text.strip(" \t\r\n"))
register(P1 + "string-normalize-to-lower-case", STR, (STR,), lambda text: text.lower())
register(
    _ids("string-concatenate", P2), STR, (STR, STR), lambda *parts: "".join(parts), variadic=STR
)
register(
    P2 + "uri-string-concatenate",
    prim(dt.ANYURI),
    (prim(dt.ANYURI), STR),
    lambda *parts: "".join(parts),
    variadic=STR,
)


def _substring(text: str, begin: int, end: int) -> str:
    if begin < 0 or begin > len(text):
        raise _error(f"substring start {begin} is outside the string (length {len(text)})")
    if end == -1:
        return text[begin:]
    if end < begin or end > len(text):
        raise _error(f"substring end {end} is invalid for start {begin} and length {len(text)}")
    return text[begin:end]


for _host, _kind in (("string", dt.STRING), ("anyURI", dt.ANYURI)):
    register(P3 + f"{_host}-starts-with", BOOL, (STR, prim(_kind)), lambda a, b: b.startswith(a))
    register(P3 + f"{_host}-ends-with", BOOL, (STR, prim(_kind)), lambda a, b: b.endswith(a))
    register(P3 + f"{_host}-contains", BOOL, (STR, prim(_kind)), lambda a, b: a in b)
    register(P3 + f"{_host}-substring", STR, (prim(_kind), INT, INT), _substring)


# --------------------------------------------------------------------------- comparison
def _compare(op: str) -> Callable[[Any, Any], bool]:
    return {
        "greater-than": lambda a, b: a > b,
        "greater-than-or-equal": lambda a, b: a >= b,
        "less-than": lambda a, b: a < b,
        "less-than-or-equal": lambda a, b: a <= b,
    }[op]


for _name in ("integer", "double", "string", "time", "dateTime", "date"):
    _type = EQUALITY_TYPES[_name]
    for _op in ("greater-than", "greater-than-or-equal", "less-than", "less-than-or-equal"):
        register(P1 + f"{_name}-{_op}", BOOL, (prim(_type), prim(_type)), _compare(_op))


def _time_in_range(value: dt.XsTime, lower: dt.XsTime, upper: dt.XsTime) -> bool:
    """value in [lower, upper], upper possibly on the next day; bounds without a time zone
    take the first argument's zone (XACML 3.0 A.3.8)."""
    day = 86_400_000_000
    if lower.offset is None and value.offset is not None:
        lower = dt.XsTime(lower.local, value.offset)
    if upper.offset is None and value.offset is not None:
        upper = dt.XsTime(upper.local, value.offset)
    a, low, high = value.utc_micros_of_day(), lower.utc_micros_of_day(), upper.utc_micros_of_day()
    if low > high:
        high += day
        if a < low:
            a += day
    return low <= a <= high


_T = prim(dt.TIME)
register(P2 + "time-in-range", BOOL, (_T, _T, _T), _time_in_range)


# --------------------------------------------------------------------------- date arithmetic
def _guard_range(function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except (OverflowError, ValueError) as exc:
            raise _error(f"date arithmetic out of range: {exc}") from None

    return guarded


_DTM, _DAT = prim(dt.DATETIME), prim(dt.DATE)
_DTD, _YMD = prim(dt.DAYTIME_DURATION), prim(dt.YEARMONTH_DURATION)
_DATE_ARITHMETIC: dict[str, tuple[tuple[Type, Type], Type, Callable[..., Any]]] = {
    "dateTime-add-dayTimeDuration": (
        (_DTM, _DTD),
        _DTM,
        lambda a, d: dt.datetime_add_micros(a, d.micros),
    ),
    "dateTime-subtract-dayTimeDuration": (
        (_DTM, _DTD),
        _DTM,
        lambda a, d: dt.datetime_add_micros(a, -d.micros),
    ),
    "dateTime-add-yearMonthDuration": (
        (_DTM, _YMD),
        _DTM,
        lambda a, d: dt.datetime_add_months(a, d.months),
    ),
    "dateTime-subtract-yearMonthDuration": (
        (_DTM, _YMD),
        _DTM,
        lambda a, d: dt.datetime_add_months(a, -d.months),
    ),
    "date-add-yearMonthDuration": (
        (_DAT, _YMD),
        _DAT,
        lambda a, d: dt.date_add_months(a, d.months),
    ),
    "date-subtract-yearMonthDuration": (
        (_DAT, _YMD),
        _DAT,
        lambda a, d: dt.date_add_months(a, -d.months),
    ),
}
for _name, (_params, _returns, _impl) in _DATE_ARITHMETIC.items():
    register(_ids(_name, P3, P1), _returns, _params, _guard_range(_impl))


# --------------------------------------------------------------------------- logic (lazy)
def _or(thunks: list[Callable[[], Any]]) -> bool:
    failure: EvaluationError | None = None
    for thunk in thunks:
        try:
            if thunk():
                return True
        except EvaluationError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return False


def _and(thunks: list[Callable[[], Any]]) -> bool:
    failure: EvaluationError | None = None
    for thunk in thunks:
        try:
            if not thunk():
                return False
        except EvaluationError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return True


def _n_of(thunks: list[Callable[[], Any]]) -> bool:
    needed = thunks[0]()
    rest = thunks[1:]
    if needed > len(rest):
        raise _error(f"n-of needs {needed} true arguments but has only {len(rest)}")
    if needed <= 0:
        return True
    count = 0
    failure: EvaluationError | None = None
    for index, thunk in enumerate(rest):
        try:
            if thunk():
                count += 1
                if count >= needed:
                    return True
        except EvaluationError as exc:
            failure = failure or exc
        if count + (len(rest) - index - 1) < needed:
            break
    if failure is not None:
        raise failure
    return False


register(P1 + "or", BOOL, (), _or, variadic=BOOL, lazy=True)
register(P1 + "and", BOOL, (), _and, variadic=BOOL, lazy=True)
register(P1 + "n-of", BOOL, (INT,), _n_of, variadic=BOOL, lazy=True)
register(P1 + "not", BOOL, (BOOL,), lambda value: not value)


# --------------------------------------------------------------------------- bags and sets
def _one_and_only(values: tuple[Any, ...]) -> Any:
    if len(values) != 1:
        raise _error(f"one-and-only expects a bag of exactly one value, got {len(values)}")
    return values[0]


def _unique(values: Any) -> tuple[Any, ...]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return tuple(seen)


def _union(*bags: tuple[Any, ...]) -> tuple[Any, ...]:
    return _unique(value for values in bags for value in values)


def _intersection(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return _unique(value for value in a if value in b)


def _subset(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(value in b for value in a)


def _register_bag_functions(name: str, datatype: str, prefixes: tuple[str, ...]) -> None:
    one, many = prim(datatype), bag(datatype)
    register(_ids(f"{name}-one-and-only", *prefixes), one, (many,), _one_and_only)
    register(_ids(f"{name}-bag-size", *prefixes), INT, (many,), len)
    register(_ids(f"{name}-is-in", *prefixes), BOOL, (one, many), lambda v, values: v in values)
    register(_ids(f"{name}-bag", *prefixes), many, (), lambda *values: values, variadic=one)
    register(_ids(f"{name}-intersection", *prefixes), many, (many, many), _intersection)
    register(
        _ids(f"{name}-at-least-one-member-of", *prefixes),
        BOOL,
        (many, many),
        lambda a, b: any(value in b for value in a),
    )
    register(_ids(f"{name}-union", *prefixes), many, (many, many), _union, variadic=many)
    register(_ids(f"{name}-subset", *prefixes), BOOL, (many, many), _subset)
    register(
        _ids(f"{name}-set-equals", *prefixes),
        BOOL,
        (many, many),
        lambda a, b: _subset(a, b) and _subset(b, a),
    )


for _name, _type in EQUALITY_TYPES.items():
    _register_bag_functions(_name, _type, (P1,))
for _name, _type in DURATION_TYPES.items():
    _register_bag_functions(_name, _type, (P3, P1))
for _name, _type in NET_TYPES.items():
    _register_bag_functions(_name, _type, (P2,))


# --------------------------------------------------------------------------- conversions
def _from_string(datatype: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return dt.parse_value(datatype, text)
        except ValueError as exc:
            raise _error(str(exc)) from None

    return convert


_CONVERTIBLE = {
    "boolean": dt.BOOLEAN,
    "integer": dt.INTEGER,
    "double": dt.DOUBLE,
    "time": dt.TIME,
    "date": dt.DATE,
    "dateTime": dt.DATETIME,
    "anyURI": dt.ANYURI,
    "dayTimeDuration": dt.DAYTIME_DURATION,
    "yearMonthDuration": dt.YEARMONTH_DURATION,
    "x500Name": dt.X500NAME,
    "rfc822Name": dt.RFC822NAME,
    "ipAddress": dt.IPADDRESS,
    "dnsName": dt.DNSNAME,
}
for _name, _type in _CONVERTIBLE.items():
    register(P3 + f"{_name}-from-string", prim(_type), (STR,), _from_string(_type))
    register(
        P3 + f"string-from-{_name}",
        STR,
        (prim(_type),),
        lambda value, _datatype=_type: dt.format_value(_datatype, value),
    )


# --------------------------------------------------------------------------- regexp and names
_XSD_CLASS_SUBTRACTION = re.compile(r"-\[")


@lru_cache(maxsize=512)
def compile_regexp(pattern: str) -> re.Pattern[str]:
    """An XML Schema / XPath regular expression as a Python pattern (unanchored search)."""
    if _XSD_CLASS_SUBTRACTION.search(pattern):
        raise _error("character class subtraction in regular expressions is not supported")
    translated = pattern.replace(r"\i", r"[A-Za-z_:]").replace(r"\c", r"[-.0-9A-Za-z_:]")
    try:
        return re.compile(translated)
    except re.error as exc:
        raise _error(f"invalid regular expression {pattern!r}: {exc}") from None


def _regexp_match(pattern: str, text: Any) -> bool:
    return compile_regexp(pattern).search(str(text)) is not None


register(P1 + "string-regexp-match", BOOL, (STR, STR), _regexp_match)
for _name, _type in (
    ("anyURI", dt.ANYURI),
    ("ipAddress", dt.IPADDRESS),
    ("dnsName", dt.DNSNAME),
    ("rfc822Name", dt.RFC822NAME),
    ("x500Name", dt.X500NAME),
):
    register(P2 + f"{_name}-regexp-match", BOOL, (STR, prim(_type)), _regexp_match)


def _x500_match(a: dt.X500Name, b: dt.X500Name) -> bool:
    size = len(a.key)
    return size <= len(b.key) and (size == 0 or b.key[-size:] == a.key)


def _rfc822_match(pattern: str, name: dt.Rfc822Name) -> bool:
    if "@" in pattern:
        local, _, domain = pattern.rpartition("@")
        return local == name.local and domain.lower() == name.domain.lower()
    domain = name.domain.lower()
    if pattern.startswith("."):
        return domain.endswith(pattern.lower())
    return domain == pattern.lower()


register(P1 + "x500Name-match", BOOL, (prim(dt.X500NAME), prim(dt.X500NAME)), _x500_match)
register(P1 + "rfc822Name-match", BOOL, (STR, prim(dt.RFC822NAME)), _rfc822_match)


UNSUPPORTED = {
    P3 + "xpath-node-count": "XPath expressions are out of scope",
    P3 + "xpath-node-equal": "XPath expressions are out of scope",
    P3 + "xpath-node-match": "XPath expressions are out of scope",
    P1 + "xpath-node-count": "XPath expressions are out of scope",
    P1 + "xpath-node-equal": "XPath expressions are out of scope",
    P1 + "xpath-node-match": "XPath expressions are out of scope",
    P3 + "access-permitted": "access-permitted needs request Content, which is out of scope",
}
