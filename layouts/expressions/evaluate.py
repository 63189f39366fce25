"""Evaluation: a straightforward tree-walking interpreter, and a compiler that turns an AST into
a tree of Python closures once, so re-evaluation does no parsing, no name lookups and no
dispatch on node kinds. Both follow the same rules (argument casts happen in the argument's
own frame, so errors point at the argument that failed) and must agree on every input; a
property test checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from layouts.expressions.ast import Call, Literal, Node, parse
from layouts.expressions.errors import ExpressionError
from layouts.expressions.functions import CASTS, FUNCTIONS, RETURN_CASTS
from layouts.expressions.state import EvalState, Evaluation
from layouts.expressions.values import cast_any

Compiled = Callable[[Evaluation], Any]


def _mark(error: ExpressionError, pointer: str) -> None:
    if error.pointer is None:
        error.pointer = pointer


def _internal(error: Exception, pointer: str) -> ExpressionError:
    if isinstance(error, RecursionError):
        return ExpressionError("Expression is too deeply nested to evaluate", pointer)
    return ExpressionError(f"Cannot evaluate expression: {type(error).__name__}: {error}", pointer)


def _cast_for(type_name: str | None) -> Callable[[Any], Any] | None:
    if type_name is None or type_name == "any":
        return None
    return CASTS[type_name]


# --- interpreter ----------------------------------------------------------------------------


def interpret(node: Node, ev: Evaluation, cast: Callable[[Any], Any] | None = None) -> Any:
    """Evaluate `node` by walking the tree (looking functions up by name on every call)."""
    try:
        if isinstance(node, Literal):
            return node.value if cast is None else cast(node.value)
        spec = FUNCTIONS[node.name]
        args = [
            interpret(arg, ev, _cast_for(spec.param_type(index)))
            for index, arg in enumerate(node.args)
        ]
        result = spec.impl(ev, *args)
        returns = RETURN_CASTS[node.name]
        if returns is not None:
            result = returns(result)
        return result if cast is None else cast(result)
    except ExpressionError as error:
        _mark(error, node.pointer)
        raise
    except Exception as error:  # a bug must still surface as the language's own error
        raise _internal(error, node.pointer) from error


# --- compiler -------------------------------------------------------------------------------


def _compose(first: Callable[[Any], Any] | None, second: Callable[[Any], Any] | None):
    if first is None:
        return second
    if second is None or second is first:
        return first

    def both(value: Any) -> Any:
        return second(first(value))

    return both


def compile_node(node: Node, cast: Callable[[Any], Any] | None = None) -> Compiled:
    """A closure evaluating `node` (and casting its value with `cast`, if given)."""
    pointer = node.pointer
    if isinstance(node, Literal):
        return _compile_literal(node, cast)
    assert isinstance(node, Call)
    spec = node.spec
    args = [
        compile_node(arg, _cast_for(spec.param_type(index))) for index, arg in enumerate(node.args)
    ]
    impl = spec.impl
    final = _compose(RETURN_CASTS[node.name], cast)
    count = len(args)
    if count == 0:
        if final is None:

            def run(ev: Evaluation) -> Any:
                try:
                    return impl(ev)
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        else:

            def run(ev: Evaluation) -> Any:
                try:
                    return final(impl(ev))
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        return run
    if count == 1:
        (a0,) = args
        if final is None:

            def run(ev: Evaluation) -> Any:
                try:
                    return impl(ev, a0(ev))
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        else:

            def run(ev: Evaluation) -> Any:
                try:
                    return final(impl(ev, a0(ev)))
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        return run
    if count == 2:
        a0, a1 = args
        if final is None:

            def run(ev: Evaluation) -> Any:
                try:
                    return impl(ev, a0(ev), a1(ev))
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        else:

            def run(ev: Evaluation) -> Any:
                try:
                    return final(impl(ev, a0(ev), a1(ev)))
                except ExpressionError as error:
                    _mark(error, pointer)
                    raise
                except Exception as error:
                    raise _internal(error, pointer) from error

        return run
    final_cast = final or cast_any
    arg_tuple = tuple(args)

    def run(ev: Evaluation) -> Any:
        try:
            return final_cast(impl(ev, *[arg(ev) for arg in arg_tuple]))
        except ExpressionError as error:
            _mark(error, pointer)
            raise
        except Exception as error:
            raise _internal(error, pointer) from error

    return run


def _compile_literal(node: Literal, cast: Callable[[Any], Any] | None) -> Compiled:
    value = node.value
    if cast is not None:
        try:
            value = cast(value)
        except ExpressionError as error:
            message, hint, pointer = error.message, error.hint, node.pointer

            def fail(ev: Evaluation) -> Any:
                raise ExpressionError(message, pointer, hint=hint)

            return fail

    def constant(ev: Evaluation) -> Any:
        return value

    return constant


def _root_pointer(error: ExpressionError) -> ExpressionError:
    if error.pointer is None:
        error.pointer = ""
    return error


class CompiledExpression:
    """A parsed and compiled expression, callable with a component context (or a state)."""

    __slots__ = ("expected", "node", "run", "source")

    def __init__(self, source: Any, node: Node, expected: str | None, run: Compiled) -> None:
        self.source = source
        self.node = node
        self.expected = expected
        self.run = run

    def __call__(self, ev: Evaluation) -> Any:
        try:
            return self.run(ev)
        except ExpressionError as error:
            raise _root_pointer(error) from None
        except Exception as error:  # pragma: no cover - closures already convert
            raise _internal(error, "") from error

    def evaluate(self, state: EvalState, context: Evaluation | None = None) -> Any:
        return self(context if context is not None else state.context_for())


def compile_expression(source: Any, expected: str | None = None) -> CompiledExpression:
    """Parse and compile once; `expected` ("boolean", "string", "number", "any") casts the
    result as the property holding the expression requires."""
    node = parse(source)
    return CompiledExpression(source, node, expected, compile_node(node, _cast_for(expected)))


def evaluate(
    source: Any,
    state: EvalState,
    context: Evaluation | None = None,
    expected: str | None = None,
) -> Any:
    """Parse and interpret an expression (no compilation) in `context` (default: first page)."""
    node = parse(source)
    ev = context if context is not None else state.context_for()
    try:
        return interpret(node, ev, _cast_for(expected))
    except ExpressionError as error:
        raise _root_pointer(error) from None
