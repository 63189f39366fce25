"""Containers: components that name other components (by id) as children."""

from __future__ import annotations

from typing import Any

from layouts.catalogue.components.common import (
    BASE,
    BOOL_EXPR,
    FORM,
    NUMBER_EXPR,
    STRING_EXPR,
    STRING_LIST,
    SUMMARIZABLE,
    VALIDATION_MASKS,
    array_of,
    obj,
)
from layouts.catalogue.model import Binding, Category, ComponentDefinition, ExprType, Prop

_C = Category.CONTAINER

GRID_CELLS = ("rows", "*", "cells", "*", "component")

_ALIGN = {"type": "string", "enum": ["left", "center", "right"]}
_TEXT_OVERFLOW = obj({"lineWrap": {"type": "boolean"}, "maxHeight": {"type": "number"}})
_COLUMN_PROPERTIES: dict[str, Any] = {
    "width": {"type": "string", "pattern": "^([0-9]{1,2}%|100%|auto)$"},
    "alignText": _ALIGN,
    "textOverflow": _TEXT_OVERFLOW,
    "hidden": BOOL_EXPR,
}
_COLUMN_OPTIONS = obj(_COLUMN_PROPERTIES)
_CELL: dict[str, Any] = {
    "type": ["object", "null"],
    "description": "A component cell, a text cell, a label cell, or empty (null or {}).",
    "properties": {
        "component": {"type": "string"},
        "text": {"type": "string"},
        "help": {"type": "string"},
        "labelFrom": {"type": "string"},
        "columnOptions": _COLUMN_OPTIONS,
        "cellStyle": obj({"colSpan": NUMBER_EXPR}),
        **_COLUMN_PROPERTIES,
    },
    "additionalProperties": False,
}
GRID_ROWS = array_of(
    obj(
        {
            "header": {"type": "boolean"},
            "readOnly": {"type": "boolean"},
            "columnOptions": _COLUMN_OPTIONS,
            "cells": array_of(_CELL),
        },
        ("cells",),
    )
)

_CHILDREN = Prop(
    "children",
    "array",
    "Children",
    "Ids of the components inside, in order.",
    required=True,
    schema=STRING_LIST,
)
_HEADING_LEVEL = Prop("headingLevel", "integer", "Heading level", enum=(2, 3, 4, 5, 6))

_BUTTON_LOOK = obj(
    {
        "size": {"type": "string", "enum": ["sm", "md", "lg"]},
        "fullWidth": {"type": "boolean"},
        "textAlign": _ALIGN,
        "position": {"type": "string", "enum": ["left", "center", "right"]},
    }
)

_EDIT = obj(
    {
        "mode": {
            "type": "string",
            "enum": ["hideTable", "showTable", "showAll", "onlyTable"],
        },
        "addButton": BOOL_EXPR,
        "saveButton": BOOL_EXPR,
        "deleteButton": BOOL_EXPR,
        "editButton": BOOL_EXPR,
        "saveAndNextButton": BOOL_EXPR,
        "alertOnDelete": BOOL_EXPR,
        "multiPage": {"type": "boolean"},
        "openByDefault": {
            "anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["first", "last"]}]
        },
        "alwaysShowAddButton": {"type": "boolean"},
    }
)

_TABLE_COLUMN = obj(
    {
        **_COLUMN_PROPERTIES,
        "editInTable": {"type": "boolean"},
        "showInExpandedEdit": {"type": "boolean"},
    }
)

_REPEATING_TEXTS = (
    "title",
    "description",
    "add_button",
    "add_button_full",
    "edit_button_open",
    "edit_button_close",
    "save_button",
    "save_and_next_button",
    "pagination_next_button",
    "pagination_back_button",
    "multipage_back_button",
    "multipage_next_button",
    "summaryTitle",
    "summaryAccessibleTitle",
)

_LEGACY_REPEATING: tuple[Prop, ...] = (
    Prop(
        "maxCount",
        "integer",
        "Max rows (legacy)",
        "v3 repeating group: a Group with maxCount > 1 repeats; use RepeatingGroup.",
        deprecated=True,
    ),
    Prop("edit", "object", "Editing (legacy)", schema=_EDIT, deprecated=True),
    Prop("hiddenRow", "boolean", "Hidden row (legacy)", expr=ExprType.BOOLEAN, deprecated=True),
    Prop("tableHeaders", "array", "Table headers (legacy)", schema=STRING_LIST, deprecated=True),
)
"""What old apps (and Altinn's shared expression tests) still write on a repeating Group; the
backend and frontend treat such a Group as a RepeatingGroup."""

_LEGACY_REPEATING_TEXTS = (
    "add_button",
    "add_button_full",
    "edit_button_open",
    "edit_button_close",
    "save_button",
)


CONTAINERS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Group",
        category=_C,
        title="Group",
        description="Groups components under a heading (optionally indented or in a panel).",
        props=(
            *BASE,
            *SUMMARIZABLE,
            _CHILDREN,
            Prop("groupingIndicator", "string", "Grouping", enum=("indented", "panel")),
            _HEADING_LEVEL,
            *_LEGACY_REPEATING,
        ),
        bindings=(
            Binding(
                "group",
                types=("array", "object"),
                description="Legacy: with maxCount > 1 the group repeats over this array.",
            ),
        ),
        text_keys=(
            "title",
            "description",
            "help",
            "summaryTitle",
            "summaryAccessibleTitle",
            *_LEGACY_REPEATING_TEXTS,
        ),
        child_paths=(("children",),),
        extra={"legacy_repeating_binding": "group"},
    ),
    ComponentDefinition(
        type="RepeatingGroup",
        category=_C,
        title="Repeating group",
        description="Repeats its children once per row of an array in the data model.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            _CHILDREN,
            Prop("edit", "object", "Editing", schema=_EDIT),
            Prop("hiddenRow", "boolean", "Hidden row", "Evaluated per row.", expr=ExprType.BOOLEAN),
            Prop("maxCount", "integer", "Max rows", schema={"type": "integer", "minimum": 1}),
            Prop("minCount", "integer", "Min rows", schema={"type": "integer", "minimum": 0}),
            Prop(
                "pagination",
                "object",
                "Pagination",
                schema=obj({"rowsPerPage": {"type": "integer", "minimum": 1}}, ("rowsPerPage",)),
            ),
            Prop(
                "rowsBefore", "array", "Rows before", "Grid rows above the table.", schema=GRID_ROWS
            ),
            Prop(
                "rowsAfter", "array", "Rows after", "Grid rows below the table.", schema=GRID_ROWS
            ),
            Prop("stickyHeader", "boolean", "Sticky header"),
            Prop(
                "tableColumns",
                "object",
                "Table columns",
                "Per child id: column options.",
                schema={"type": "object", "additionalProperties": _TABLE_COLUMN},
            ),
            Prop(
                "tableHeaders",
                "array",
                "Table headers",
                "Child ids shown in the table.",
                schema=STRING_LIST,
            ),
            Prop("tableHeadersMobile", "array", "Mobile table headers", schema=STRING_LIST),
            Prop(
                "validateOnSaveRow",
                "array",
                "Validate on save",
                schema=array_of({"type": "string", "enum": list(VALIDATION_MASKS)}),
            ),
            Prop("addButton", "object", "Add button look", schema=_BUTTON_LOOK),
            *(p for p in FORM if p.name in {"showValidations", "labelSettings"}),
        ),
        bindings=(Binding("group", required=True, types=("array",)),),
        text_keys=_REPEATING_TEXTS,
        child_paths=(
            ("children",),
            ("rowsBefore", "*", "cells", "*", "component"),
            ("rowsAfter", "*", "cells", "*", "component"),
        ),
        repeating=True,
        repeating_binding="group",
        multipage_children=True,
    ),
    ComponentDefinition(
        type="Accordion",
        category=_C,
        title="Accordion",
        description="A collapsible section.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            _CHILDREN,
            _HEADING_LEVEL,
            Prop("openByDefault", "boolean", "Open by default", expr=ExprType.BOOLEAN),
        ),
        text_keys=("title",),
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="AccordionGroup",
        category=_C,
        title="Accordion group",
        description="Accordions shown together.",
        props=(*BASE, *SUMMARIZABLE, _CHILDREN),
        text_keys=("title",),
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="ButtonGroup",
        category=_C,
        title="Button group",
        description="Buttons shown side by side.",
        props=(*BASE, _CHILDREN, *(p for p in FORM if p.name == "labelSettings")),
        text_keys=("title", "description", "help"),
        child_paths=(("children",),),
    ),
    ComponentDefinition(
        type="Tabs",
        category=_C,
        title="Tabs",
        description="Children split over tabs.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            Prop(
                "tabs",
                "array",
                "Tabs",
                required=True,
                schema=array_of(
                    obj(
                        {
                            "id": {"type": "string"},
                            "title": {"type": "string"},
                            "icon": {"type": "string"},
                            "children": STRING_LIST,
                        },
                        ("id", "children"),
                    )
                ),
            ),
            Prop("defaultTab", "string", "Default tab"),
            Prop("size", "string", "Size", enum=("small", "medium", "large")),
        ),
        text_keys=("title",),
        child_paths=(("tabs", "*", "children"),),
    ),
    ComponentDefinition(
        type="Cards",
        category=_C,
        title="Cards",
        description="Cards, each with optional media and children.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            Prop(
                "cards",
                "array",
                "Cards",
                required=True,
                schema=array_of(
                    obj(
                        {
                            "media": {"type": "string"},
                            "title": STRING_EXPR,
                            "description": STRING_EXPR,
                            "footer": STRING_EXPR,
                            "children": STRING_LIST,
                        }
                    )
                ),
            ),
            Prop("color", "string", "Colour", enum=("neutral", "subtle")),
            Prop("mediaPosition", "string", "Media position", enum=("top", "bottom")),
            Prop("minMediaHeight", "string", "Minimum media height"),
            Prop("minWidth", "string", "Minimum card width"),
        ),
        text_keys=("title", "description"),
        child_paths=(("cards", "*", "media"), ("cards", "*", "children")),
    ),
    ComponentDefinition(
        type="Grid",
        category=_C,
        title="Grid",
        description="A table whose cells hold texts or components.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            Prop("rows", "array", "Rows", required=True, schema=GRID_ROWS),
            *(p for p in FORM if p.name == "labelSettings"),
        ),
        text_keys=("title", "description", "help"),
        child_paths=(GRID_CELLS,),
    ),
)
