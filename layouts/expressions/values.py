"""Value coercion and number handling with JavaScript semantics.

Altinn evaluates expressions in the browser (JavaScript) and on the server (C#) and both agree
on these rules; we follow them so that values print, compare and coerce identically. Numbers
are plain Python ints/floats (never bools: bool is checked first everywhere); arithmetic goes
through Decimal on the shortest decimal form so 0.1 + 0.2 == 0.3, as Altinn's Decimal helper does.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from layouts.expressions.errors import ExpressionError

_INT = re.compile(r"^-?[0-9]+$", re.ASCII)
_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$", re.ASCII)
_SCIENTIFIC = re.compile(r"^[-+]?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][-+]?[0-9]+)$", re.ASCII)

MAX_SAFE = 2**53


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normalize_number(value: float | int | Decimal) -> int | float:
    """A number as JavaScript would hold it: integral values in the safe range become int."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ExpressionError(f"Number out of range: {value}")
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return value
        if value.is_integer() and abs(value) < MAX_SAFE:
            return int(value)
        return value
    if abs(value) >= MAX_SAFE:
        return float(value)
    return value


def js_number(value: int | float) -> str:
    """Number.prototype.toString(): shortest round-trip digits, JS exponent thresholds."""
    if isinstance(value, int):
        if abs(value) < 10**21:
            return str(value)
        value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    n = len(digits) + int(exponent)
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exp_text = f"e+{e}" if e >= 0 else f"e-{-e}"
    if k == 1:
        return sign + digits + exp_text
    return sign + digits[0] + "." + digits[1:] + exp_text


def to_decimal(value: int | float) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def parse_number_string(text: str) -> int | float | None:
    """Altinn's string-to-number rule: integers, plain decimals or scientific notation only."""
    if _INT.match(text):
        return normalize_number(int(text))
    if _DECIMAL.match(text) or _SCIENTIFIC.match(text):
        try:
            return normalize_number(float(text))
        except (ValueError, OverflowError):
            return None
    return None


def describe(value: Any) -> str:
    """JSON.stringify-like rendering used in error messages."""
    try:
        return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return str(value)


def to_json(value: Any) -> Any:
    """A value as plain JSON data (numbers normalized the JavaScript way)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return normalize_number(value)
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return str(value)


def js_string(value: Any) -> str:
    """JavaScript's String(value) for structures: arrays join their items with commas (null
    items empty), objects become "[object Object]"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join(js_string(item) for item in value)
    return "[object Object]"


def cast_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) in (4, 5):
            lower = value.lower()
            if lower == "null":
                return None
            if lower in ("true", "false"):
                return lower
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return js_number(value)
    return js_string(value)


def cast_number(value: Any) -> int | float | None:
    if value is None or value == "null":
        return None
    if isinstance(value, bool):
        raise ExpressionError(f"Expected number, got value {describe(value)}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        number = parse_number_string(value)
        if number is not None:
            return number
    raise ExpressionError(f"Expected number, got value {describe(value)}")


def cast_boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value == "true":
            return True
        if value == "false":
            return False
        if value == "null":
            return None
        number = parse_number_string(value)
        if number == 1:
            return True
        if number == 0:
            return False
    elif isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
    raise ExpressionError(f"Expected boolean, got value {describe(value)}")


def cast_any(value: Any) -> Any:
    return value


def _scalar_type(value: Any) -> str | None:
    """The type Altinn's casts check against a parameter's accepted types (None = any)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def cast_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    scalar = _scalar_type(value)
    if scalar is not None:
        raise ExpressionError(f"Expected argument to be list, got {scalar}")
    raise ExpressionError(f"Expected list, got value {describe(value)}")


def cast_object(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    scalar = _scalar_type(value)
    if scalar is not None:
        raise ExpressionError(f"Expected argument to be object, got {scalar}")
    raise ExpressionError(f"Expected object, got value {describe(value)}")


def type_name(value: Any) -> str:
    """The expression-language type name of a runtime value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if is_number(value):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def decimal_result(value: Decimal) -> int | float:
    try:
        return normalize_number(value)
    except (InvalidOperation, OverflowError, ValueError) as error:
        raise ExpressionError(f"Arithmetic error: {error}") from None
