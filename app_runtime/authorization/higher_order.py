"""Higher-order bag functions (XACML 3.0 A.3.12): any-of, all-of, any-of-any, map and friends.

Their first argument names another function; the type check therefore asks that function
whether it accepts the element types of the remaining arguments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from app_runtime.authorization.errors import EvaluationError
from app_runtime.authorization.functions import (
    BOOL,
    P1,
    P3,
    Function,
    FunctionTypeError,
    Type,
    describe,
)


def call(function: Function, values: list[Any]) -> Any:
    """Apply a first-order function to evaluated values (wrapping them for lazy ones)."""
    if function.lazy:
        return function.impl([lambda value=value: value for value in values])
    try:
        return function.impl(*values)
    except EvaluationError:
        raise
    except (ArithmeticError, ValueError, TypeError, IndexError) as exc:
        raise EvaluationError(f"{function.name} failed: {exc}") from None


@dataclass(slots=True)
class HigherOrder:
    """A higher-order function: how to type-check it and how to run it."""

    id: str
    kind: str  # any-of, all-of, any-of-any, all-of-any, any-of-all, all-of-all, map

    @property
    def name(self) -> str:
        return self.id.rsplit(":", 1)[-1]

    def check(self, function: Function, args: list[Type]) -> Type:
        if function.higher_order:
            raise FunctionTypeError(f"{self.name} cannot take another higher-order function")
        if not args:
            raise FunctionTypeError(f"{self.name} needs at least one argument after the function")
        bags = sum(1 for _, is_bag in args if is_bag)
        if self.kind in ("any-of", "all-of", "map") and bags != 1:
            raise FunctionTypeError(f"{self.name} needs exactly one bag argument, got {bags}")
        if self.kind in ("all-of-any", "any-of-all", "all-of-all") and (
            len(args) != 2 or bags != 2
        ):
            raise FunctionTypeError(f"{self.name} takes a function and two bags")
        elements = [(datatype, False) for datatype, _ in args]
        returns = function.check(elements)
        if self.kind == "map":
            if returns[1]:
                raise FunctionTypeError(
                    f"map needs a function returning a single value, not {describe(returns)}"
                )
            return (returns[0], True)
        if returns != BOOL:
            raise FunctionTypeError(
                f"{self.name} needs a boolean function, {function.name} returns {describe(returns)}"
            )
        return BOOL

    def evaluate(self, function: Function, values: list[Any], bag_flags: list[bool]) -> Any:
        kind = self.kind
        if kind == "all-of-any":
            first, second = values
            return all(any(call(function, [a, b]) for b in second) for a in first)
        if kind == "any-of-all":
            first, second = values
            return any(all(call(function, [a, b]) for b in second) for a in first)
        if kind == "all-of-all":
            first, second = values
            return all(call(function, [a, b]) for a in first for b in second)
        pools = [
            value if is_bag else (value,) for value, is_bag in zip(values, bag_flags, strict=True)
        ]
        combos = itertools.product(*pools)
        if kind == "map":
            return tuple(call(function, list(combo)) for combo in combos)
        if kind == "all-of":
            return all(call(function, list(combo)) for combo in combos)
        return any(call(function, list(combo)) for combo in combos)


HIGHER_ORDER: dict[str, HigherOrder] = {}
for _kind, _prefixes in (
    ("any-of", (P3, P1)),
    ("all-of", (P3, P1)),
    ("any-of-any", (P3, P1)),
    ("map", (P3, P1)),
    ("all-of-any", (P1,)),
    ("any-of-all", (P1,)),
    ("all-of-all", (P1,)),
):
    for _prefix in _prefixes:
        HIGHER_ORDER[_prefix + _kind] = HigherOrder(_prefix + _kind, _kind)


def lookup_higher_order(function_id: str) -> HigherOrder | None:
    return HIGHER_ORDER.get(function_id)
