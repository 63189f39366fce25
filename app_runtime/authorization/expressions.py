"""Typed, compiled XACML expressions: values, designators, applies and variable references.

The parser builds these once per policy. Each knows its static type and carries a closure that
evaluates it against an EvaluationContext, so evaluation is a chain of Python calls without
re-inspecting XML. Applies whose arguments are all constants are folded at load time, which
also rejects expressions that can never succeed (a bad regular expression, a substring that is
out of range) before any request arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app_runtime.authorization.context import EvaluationContext, Key
from app_runtime.authorization.errors import EvaluationError
from app_runtime.authorization.functions import Function, Type, prim
from app_runtime.authorization.higher_order import HigherOrder

Runner = Callable[[EvaluationContext], Any]
_NO_VALUE = object()


@dataclass(slots=True)
class Expression:
    """A compiled expression: static type, evaluator, and its value when constant."""

    type: Type
    run: Runner
    constant: bool = False
    value: Any = _NO_VALUE
    designator: Designator | None = None


@dataclass(frozen=True, slots=True)
class Designator:
    """AttributeDesignator: which bag of the request to read."""

    category: str
    attribute_id: str
    datatype: str
    issuer: str | None
    must_be_present: bool

    @property
    def key(self) -> Key:
        return (self.category, self.attribute_id, self.datatype)


def constant(datatype: str, value: Any) -> Expression:
    return Expression(prim(datatype), lambda ctx: value, True, value)


def designator(spec: Designator) -> Expression:
    key = spec.key
    issuer = spec.issuer
    if spec.must_be_present:

        def run(ctx: EvaluationContext) -> tuple[Any, ...]:
            return ctx.require(key, issuer)

    elif issuer is None:

        def run(ctx: EvaluationContext) -> tuple[Any, ...]:
            values = ctx.bags.get(key)
            return values if values is not None else ctx.bag(key)

    else:

        def run(ctx: EvaluationContext) -> tuple[Any, ...]:
            return ctx.bag_from_issuer(key, issuer)

    return Expression((spec.datatype, True), run, designator=spec)


def _guard(function: Function, impl: Callable[..., Any]) -> Callable[..., Any]:
    """Turn Python errors from a function body into processing-error Indeterminates."""

    def guarded(*args: Any) -> Any:
        try:
            return impl(*args)
        except EvaluationError:
            raise
        except (ArithmeticError, ValueError, TypeError, IndexError) as exc:
            raise EvaluationError(f"{function.name} failed: {exc}") from None

    return guarded


def apply(function: Function, args: list[Expression]) -> Expression:
    """An Apply of a first-order function; the caller has type-checked `args`."""
    returns = function.returns
    runners = [arg.run for arg in args]
    impl = _guard(function, function.impl)
    if function.lazy:
        lazy_impl = function.impl

        def run(ctx: EvaluationContext) -> Any:
            return lazy_impl([lambda runner=runner: runner(ctx) for runner in runners])

    elif len(runners) == 1:
        (only,) = runners

        def run(ctx: EvaluationContext) -> Any:
            return impl(only(ctx))

    elif len(runners) == 2:
        first, second = runners

        def run(ctx: EvaluationContext) -> Any:
            return impl(first(ctx), second(ctx))

    else:

        def run(ctx: EvaluationContext) -> Any:
            return impl(*[runner(ctx) for runner in runners])

    return Expression(returns, run, all(arg.constant for arg in args))


def apply_higher_order(
    higher: HigherOrder, function: Function, args: list[Expression], returns: Type
) -> Expression:
    runners = [arg.run for arg in args]
    flags = [arg.type[1] for arg in args]

    def run(ctx: EvaluationContext) -> Any:
        return higher.evaluate(function, [runner(ctx) for runner in runners], flags)

    return Expression(returns, run, all(arg.constant for arg in args))


def fold(expression: Expression) -> Expression:
    """Evaluate a constant expression now; EvaluationError propagates to the loader."""
    if not expression.constant or expression.value is not _NO_VALUE:
        return expression
    value = expression.run(EvaluationContext({}))
    return Expression(expression.type, lambda ctx: value, True, value)


@dataclass(slots=True)
class Variable:
    """A VariableDefinition; its value is computed at most once per request."""

    variable_id: str
    expression: Expression | None = None

    def reference(self) -> Expression:
        assert self.expression is not None
        if self.expression.constant:
            return self.expression
        slot = id(self)
        runner = self.expression.run

        def run(ctx: EvaluationContext) -> Any:
            cache = ctx.variables
            if cache is None:
                cache = ctx.variables = {}
            if slot in cache:
                cached = cache[slot]
                if isinstance(cached, EvaluationError):
                    raise cached
                return cached
            try:
                value = runner(ctx)
            except EvaluationError as exc:
                cache[slot] = exc
                raise
            cache[slot] = value
            return value

        return Expression(self.expression.type, run)
