"""Property groups shared by many components, as Altinn's codegen shares them (ComponentBase,
FormComponentProps, summarizable, labeled, options), plus small schema fragments.

Schema fragments may reference `#/definitions/{boolean,string,number,any}-expr` and
`#/definitions/expression`; the layout schema generator embeds those definitions.
"""

from __future__ import annotations

from typing import Any

from layouts.catalogue.model import Binding, ExprType, Prop

BOOL_EXPR = {"$ref": "#/definitions/boolean-expr"}
STRING_EXPR = {"$ref": "#/definitions/string-expr"}
NUMBER_EXPR = {"$ref": "#/definitions/number-expr"}
ANY_EXPR = {"$ref": "#/definitions/any-expr"}

COMPONENT_ID_PATTERN = r"^[0-9a-zA-Z][0-9a-zA-Z-]*(-?[a-zA-Z]+|[a-zA-Z][0-9]+|-[0-9]{6,})$"
"""Altinn's id rule: letters, digits and dashes, never ending in <dash><short number> (that
suffix is how repeating-group rows are addressed). A lint, not a schema rule: Altinn runs ids
that break it (e.g. with æøå), but they can collide with row ids."""

VALIDATION_MASKS = (
    "Schema",
    "Invalid",
    "Component",
    "Expression",
    "CustomBackend",
    "Required",
    "AllExceptRequired",
    "All",
)


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """A closed object schema (Altinn's structured properties reject unknown keys)."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def array_of(items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": items, **extra}


def enum_expr(*values: str) -> dict[str, Any]:
    """One of the strings, or a string expression choosing one."""
    return {
        "x-expression": "string",
        "anyOf": [{"type": "string", "enum": list(values)}, {"$ref": "#/definitions/expression"}],
    }


STRING_LIST = array_of({"type": "string"})

_GRID_VALUE = {"anyOf": [{"const": "auto"}, {"type": "integer", "minimum": 1, "maximum": 12}]}
_BREAKPOINTS = {size: _GRID_VALUE for size in ("xs", "sm", "md", "lg", "xl")}
GRID_SCHEMA = obj(
    {
        **_BREAKPOINTS,
        "labelGrid": obj(dict(_BREAKPOINTS)),
        "innerGrid": obj(dict(_BREAKPOINTS)),
        "validationGrid": obj(dict(_BREAKPOINTS)),
    }
)

PAGE_BREAK_SCHEMA = obj(
    {
        "breakBefore": enum_expr("auto", "always", "avoid"),
        "breakAfter": enum_expr("auto", "always", "avoid"),
    }
)

OPTION_SCHEMA = obj(
    {
        "value": {"type": ["string", "number", "boolean", "null"]},
        "label": {"type": "string"},
        "description": {"type": "string"},
        "helpText": {"type": "string"},
    },
    ("value", "label"),
)

OPTIONS_SOURCE_SCHEMA = obj(
    {
        "group": {"type": "string", "description": "Data model path of the repeating group."},
        "label": STRING_EXPR,
        "value": {"type": "string", "description": "Path of the value inside each row."},
        "description": STRING_EXPR,
        "helpText": STRING_EXPR,
        "dataType": {"type": "string"},
    },
    ("group", "label", "value"),
)

_PATTERN_FORMAT = obj(
    {
        "format": STRING_EXPR,
        "mask": {"anyOf": [{"type": "string"}, STRING_LIST]},
        "allowEmptyFormatting": {"type": "boolean"},
        "patternChar": {"type": "string"},
    },
    ("format",),
)
_NUMBER_FORMAT = obj(
    {
        "thousandSeparator": {"anyOf": [BOOL_EXPR, STRING_EXPR]},
        "decimalSeparator": STRING_EXPR,
        "allowedDecimalSeparators": STRING_LIST,
        "thousandsGroupStyle": {"type": "string", "enum": ["thousand", "lakh", "wan", "none"]},
        "decimalScale": {"type": "number"},
        "fixedDecimalScale": {"type": "boolean"},
        "allowNegative": {"type": "boolean"},
        "allowLeadingZeros": {"type": "boolean"},
        "suffix": STRING_EXPR,
        "prefix": STRING_EXPR,
    }
)

NUMBER_FORMAT_SCHEMA = obj(
    {
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."},
        "unit": {
            "type": "string",
            "enum": [
                *("celsius", "centimeter", "day", "degree", "foot", "gram", "hectare", "hour"),
                *("inch", "kilogram", "kilometer", "liter", "meter", "milliliter", "millimeter"),
                *("millisecond", "minute", "month", "percent", "second", "week", "year"),
            ],
        },
        "position": {"type": "string", "enum": ["prefix", "suffix"]},
        "number": {"anyOf": [_PATTERN_FORMAT, _NUMBER_FORMAT]},
        "align": {"type": "string", "enum": ["right", "center", "left"]},
    },
    description="Number formatting: locale-aware currency/unit, or explicit number/pattern format.",
)

# --- property groups -----------------------------------------------------------------------

BASE: tuple[Prop, ...] = (
    Prop(
        "hidden",
        "boolean",
        "Hidden",
        "Hide the component (and remove it from validation); may be an expression.",
        default=False,
        expr=ExprType.BOOLEAN,
    ),
    Prop("grid", "object", "Grid", "Width per screen size (1-12 columns).", schema=GRID_SCHEMA),
    Prop(
        "pageBreak",
        "object",
        "Page break",
        "PDF page break before/after the component.",
        schema=PAGE_BREAK_SCHEMA,
    ),
)
"""ComponentBase: what every component may carry besides id and type."""

SUMMARIZABLE: tuple[Prop, ...] = (
    Prop("renderAsSummary", "boolean", "Render as summary", "Show as a summary, read-only."),
    Prop(
        "forceShowInSummary",
        "boolean",
        "Force show in summary",
        "Show in summaries even when empty.",
        expr=ExprType.BOOLEAN,
    ),
)

LABELED: tuple[Prop, ...] = (
    Prop(
        "labelSettings",
        "object",
        "Label settings",
        schema=obj({"optionalIndicator": {"type": "boolean"}}),
    ),
)

FORM: tuple[Prop, ...] = (
    Prop(
        "readOnly",
        "boolean",
        "Read only",
        "The user cannot change the value.",
        default=False,
        expr=ExprType.BOOLEAN,
    ),
    Prop(
        "required",
        "boolean",
        "Required",
        "A value must be given before submitting.",
        default=False,
        expr=ExprType.BOOLEAN,
    ),
    Prop(
        "showValidations",
        "array",
        "Show validations",
        "Which validations to show immediately.",
        schema=array_of({"type": "string", "enum": list(VALIDATION_MASKS)}),
    ),
    *SUMMARIZABLE,
    *LABELED,
)
"""FormComponentProps + summarizable + labeled: every component that edits data."""

SAVE_WHILE_TYPING = Prop(
    "saveWhileTyping",
    "any",
    "Save while typing",
    "Milliseconds after typing stops before saving (true/false in older apps).",
    schema={"anyOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0}]},
)

AUTOCOMPLETE = Prop(
    "autocomplete",
    "string",
    "Autocomplete",
    "HTML autocomplete hint, e.g. given-name, postal-code.",
)

OPTIONS: tuple[Prop, ...] = (
    Prop("optionsId", "string", "Options id", "A code list in App/options or served by the app."),
    Prop("options", "array", "Options", "Static options.", schema=array_of(OPTION_SCHEMA)),
    Prop(
        "mapping",
        "object",
        "Mapping",
        "Data model path -> query parameter for dynamic options.",
        schema={"type": "object", "additionalProperties": {"type": "string"}},
    ),
    Prop(
        "queryParameters",
        "object",
        "Query parameters",
        "Static or expression query parameters for dynamic options.",
        schema={"type": "object", "additionalProperties": STRING_EXPR},
    ),
    Prop("secure", "boolean", "Secure", "Options need instance context (served per instance)."),
    Prop(
        "source",
        "object",
        "Source",
        "Build options from a repeating group in the data model.",
        schema=OPTIONS_SOURCE_SCHEMA,
    ),
    Prop(
        "optionFilter",
        "boolean",
        "Option filter",
        'Expression deciding per option whether it is shown (["value"] is the option).',
        expr=ExprType.BOOLEAN,
    ),
    Prop("sortOrder", "string", "Sort order", "Sort options by label.", enum=("asc", "desc")),
    Prop("preselectedOptionIndex", "integer", "Preselected option", "Index chosen by default."),
    Prop("alertOnChange", "boolean", "Alert on change", expr=ExprType.BOOLEAN),
    Prop(
        "deletionStrategy",
        "string",
        "Deletion strategy",
        "With a group binding: delete unchecked rows or mark them (checked binding).",
        enum=("soft", "hard"),
    ),
)

FORM_TEXTS = (
    "title",
    "description",
    "help",
    "tableTitle",
    "shortName",
    "requiredValidation",
    "summaryTitle",
    "summaryAccessibleTitle",
)
"""Text keys every form component understands."""


def simple(types: tuple[str, ...], required: bool = True, description: str = "") -> Binding:
    return Binding("simpleBinding", required=required, types=types, description=description)


OPTION_BINDINGS = (
    simple(("string", "number", "integer", "boolean"), description="The chosen value(s)."),
    Binding("label", types=("string",), description="Also store the chosen option's label."),
    Binding("metadata", types=("string",), description="Store the options' metadata."),
)

MULTI_OPTION_BINDINGS = (
    simple(("string",), required=False, description="Comma-separated chosen values."),
    Binding("label", types=("string", "array"), description="The chosen labels (text or list)."),
    Binding("metadata", types=("string",)),
    Binding("group", types=("array",), description="One row per chosen option."),
    Binding("checked", types=("boolean",), description="Soft-deleted rows keep checked=false."),
)
