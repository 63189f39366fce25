"""Containers: components that name other components as children."""

from layouts.catalogue.model import Binding, Category, ComponentDefinition

GRID_CELLS = ("rows", "*", "cells", "*", "component")

CONTAINERS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Group",
        category=Category.CONTAINER,
        title="Group",
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="RepeatingGroup",
        category=Category.CONTAINER,
        title="Repeating group",
        child_paths=(
            ("children",),
            ("rowsBefore", "*", "cells", "*", "component"),
            ("rowsAfter", "*", "cells", "*", "component"),
        ),
        repeating=True,
        repeating_binding="group",
        multipage_children=True,
        bindings=(Binding("group", required=True, types=("array",)),),
    ),
    ComponentDefinition(
        type="Accordion",
        category=Category.CONTAINER,
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="AccordionGroup",
        category=Category.CONTAINER,
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="ButtonGroup",
        category=Category.CONTAINER,
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="Tabs",
        category=Category.CONTAINER,
        child_paths=(("tabs", "*", "children"),),
    ),
    ComponentDefinition(
        type="Cards",
        category=Category.CONTAINER,
        child_paths=(("cards", "*", "media"), ("cards", "*", "children")),
    ),
    ComponentDefinition(
        type="Grid",
        category=Category.CONTAINER,
        child_paths=(GRID_CELLS,),
    ),
)
