"""The component catalogue: one declarative definition per component type.

Everything that needs to know about component types (the layout JSON Schema, the checks, the
expression context tree, the designer's property forms and the HTML renderer) reads it from
here. Nothing else may keep its own list of component types.
"""

from layouts.catalogue.expr_slots import expression_slots, page_expression_slots
from layouts.catalogue.model import (
    Binding,
    Category,
    ChildRef,
    ComponentDefinition,
    ExprType,
    Prop,
)
from layouts.catalogue.registry import (
    all_definitions,
    canonical_type,
    children_of,
    definition_for,
    is_container,
    repeating_binding_of,
    resolve,
)

__all__ = [
    "Binding",
    "Category",
    "ChildRef",
    "ComponentDefinition",
    "ExprType",
    "Prop",
    "all_definitions",
    "canonical_type",
    "children_of",
    "definition_for",
    "expression_slots",
    "is_container",
    "page_expression_slots",
    "repeating_binding_of",
    "resolve",
]
