"""The expression language: parse, type-check, compile and evaluate Altinn expressions.

from layouts.expressions import EvalState, LayoutTree, compile_expression
state = EvalState(tree=LayoutTree(layouts), models={"model": data}, default_data_type="model")
hidden = compile_expression(["equals", ["dataModel", "a"], "x"], "boolean")
hidden(state.context_for("comp", row_indices=[0]))
"""

from layouts.expressions.ast import Call, Literal, Node, is_expression, parse
from layouts.expressions.errors import ExpressionError, LayoutTreeError
from layouts.expressions.evaluate import (
    CompiledExpression,
    compile_expression,
    evaluate,
    interpret,
)
from layouts.expressions.functions import FUNCTIONS, FunctionSpec
from layouts.expressions.state import EvalState, lookup
from layouts.expressions.tree import ComponentContext, LayoutTree
from layouts.expressions.values import to_json, type_name

__all__ = [
    "FUNCTIONS",
    "Call",
    "CompiledExpression",
    "ComponentContext",
    "EvalState",
    "ExpressionError",
    "FunctionSpec",
    "LayoutTree",
    "LayoutTreeError",
    "Literal",
    "Node",
    "compile_expression",
    "evaluate",
    "interpret",
    "is_expression",
    "lookup",
    "parse",
    "to_json",
    "type_name",
]
