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
from layouts.expressions.values import cast_any, cast_string

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


_NOT_CONSTANT = object()


def _constant_of(function: Compiled) -> Any:
    return getattr(function, "constant", _NOT_CONSTANT)


def compile_node(node: Node, cast: Callable[[Any], Any] | None = None) -> Compiled:
    """A closure evaluating `node` (and casting its value with `cast`, if given).

    Literal arguments are folded in as constants (already cast), and lookups with literal
    arguments are bound directly, so a typical node costs one Python call.
    """
    if isinstance(node, Literal):
        return _compile_literal(node, cast)
    assert isinstance(node, Call)
    pointer = node.pointer
    final = _compose(RETURN_CASTS[node.name], cast) or cast_any
    direct = _direct(node, final)
    if direct is not None:
        return direct
    spec = node.spec
    args = [
        compile_node(arg, _cast_for(spec.param_type(index))) for index, arg in enumerate(node.args)
    ]
    constants = tuple(_constant_of(arg) for arg in args)
    if len(args) > 4:
        return _template_varargs(spec.impl, None if final is cast_any else final, pointer, args)
    shape = (tuple(value is not _NOT_CONSTANT for value in constants), final is not cast_any)
    factory = _TEMPLATES.get(shape)
    if factory is None:
        factory = _TEMPLATES[shape] = _make_template(*shape)
    return factory(spec.impl, final, pointer, args, constants, _mark, _internal, ExpressionError)


_TEMPLATES: dict[tuple[tuple[bool, ...], bool], Callable[..., Compiled]] = {}


def _make_template(constant: tuple[bool, ...], has_final: bool) -> Callable[..., Compiled]:
    """Generate (once per shape) a closure factory for a call with this many arguments, these
    of them constant, with or without a result cast: one Python frame per call node."""
    values = ", ".join(
        f"c{index}" if is_constant else f"a{index}(ev)"
        for index, is_constant in enumerate(constant)
    )
    call = f"impl(ev{', ' if values else ''}{values})"
    body = f"final({call})" if has_final else call
    unpack = "".join(
        f"    a{index} = args[{index}]\n    c{index} = constants[{index}]\n"
        for index in range(len(constant))
    )
    source = (
        "def factory(impl, final, pointer, args, constants, _mark, _internal, ExpressionError):\n"
        f"{unpack}"
        "    def run(ev):\n"
        "        try:\n"
        f"            return {body}\n"
        "        except ExpressionError as error:\n"
        "            _mark(error, pointer)\n"
        "            raise\n"
        "        except Exception as error:\n"
        "            raise _internal(error, pointer) from error\n"
        "    return run\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<expression template {constant} {has_final}>", "exec"), namespace)
    return namespace["factory"]


def _template_varargs(
    impl: Callable[..., Any],
    final: Callable[[Any], Any] | None,
    pointer: str,
    args: list[Compiled],
) -> Compiled:
    arg_tuple = tuple(args)
    finish = final or cast_any

    def run(ev: Evaluation) -> Any:
        try:
            return finish(impl(ev, *[arg(ev) for arg in arg_tuple]))
        except ExpressionError as error:
            _mark(error, pointer)
            raise
        except Exception as error:
            raise _internal(error, pointer) from error

    return run


def _literal_string(node: Node) -> str | None:
    if isinstance(node, Literal) and isinstance(node.value, str):
        return cast_string(node.value)
    return None


def _direct(node: Call, final: Callable[[Any], Any]) -> Compiled | None:
    """Lookups whose arguments are literals, bound at compile time (path parsed once, no
    argument casts); None when the generic path must run (it also produces the errors)."""
    pointer = node.pointer
    if node.name == "dataModel":
        path = _literal_string(node.args[0])
        data_type = _literal_string(node.args[1]) if len(node.args) == 2 else None
        if path is None or (len(node.args) == 2 and data_type is None):
            return None

        def data_model(ev: Evaluation) -> Any:
            try:
                return final(ev.state.data_value(path, data_type, ev))
            except ExpressionError as error:
                _mark(error, pointer)
                raise
            except Exception as error:
                raise _internal(error, pointer) from error

        return data_model
    if node.name == "component":
        component_id = _literal_string(node.args[0])
        if component_id is None:
            return None

        def component(ev: Evaluation) -> Any:
            try:
                return final(ev.state.component_value(ev, component_id))
            except ExpressionError as error:
                _mark(error, pointer)
                raise
            except Exception as error:
                raise _internal(error, pointer) from error

        return component
    return None


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

    constant.constant = value  # type: ignore[attr-defined]
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
