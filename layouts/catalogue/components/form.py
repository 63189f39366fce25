"""Form components: the ones that edit values in the data model."""

from __future__ import annotations

from layouts.catalogue.components.common import (
    AUTOCOMPLETE,
    BASE,
    FORM,
    FORM_TEXTS,
    MULTI_OPTION_BINDINGS,
    NUMBER_FORMAT_SCHEMA,
    OPTION_BINDINGS,
    OPTIONS,
    SAVE_WHILE_TYPING,
    STRING_LIST,
    array_of,
    obj,
    simple,
)
from layouts.catalogue.model import Binding, Category, ComponentDefinition, ExprType, Prop

_F = Category.FORM
_MAX_LENGTH = Prop("maxLength", "integer", "Max length", "Maximum number of characters.")
_CHOICE_LAYOUT = Prop(
    "layout", "string", "Layout", "How the choices are laid out.", enum=("column", "row", "table")
)
_SHOW_LABELS_IN_TABLE = Prop("showLabelsInTable", "boolean", "Show labels in table")

_ADDRESS_BINDINGS = (
    Binding("address", required=True, types=("string",)),
    Binding("zipCode", required=True, types=("string", "integer")),
    Binding("postPlace", required=True, types=("string",)),
    Binding("careOf", types=("string",)),
    Binding("houseNumber", types=("string",)),
)

_LIKERT_COLUMNS = Prop(
    "columns",
    "array",
    "Columns",
    "Divider lines per answer column (by option value).",
    schema=array_of(
        obj(
            {
                "value": {"anyOf": [{"type": "string", "pattern": "^\\d+$"}, {"type": "number"}]},
                "divider": {"type": "string", "enum": ["before", "after", "both"]},
            },
            ("value",),
        )
    ),
)

_LIKERT_FILTER = array_of(
    obj(
        {
            "key": {"type": "string", "enum": ["start", "stop"]},
            "value": {
                "anyOf": [{"type": ["string", "number"]}, {"$ref": "#/definitions/expression"}]
            },
        },
        ("key", "value"),
    )
)


def _lookup(
    prefix: str, title: str, *, short_name: str | None, successor: str | None = None
) -> ComponentDefinition:
    """Person/organisation lookups differ mostly in the binding-key prefix. The newest
    frontend also accepts short binding names (ssn/fullName, orgnr/name)."""
    noun = prefix.split("_")[0]
    number_key = "ssn" if noun == "person" else "orgnr"
    extra_names: tuple[Binding, ...] = ()
    if noun == "person" and short_name:
        extra_names = tuple(
            Binding(key, types=("string",)) for key in ("firstName", "middleName", "lastName")
        )
    return ComponentDefinition(
        type=title.replace(" ", ""),
        display="person-lookup" if prefix == "person_lookup" else "organisation-lookup",
        category=_F,
        title=title,
        description=f"Look up a {noun} in the national registers and store number and name.",
        props=(*BASE, *FORM),
        bindings=(
            Binding(
                f"{prefix}_{number_key}",
                required=True,
                types=("string",),
                aliases=(number_key,) if short_name else (),
            ),
            Binding(
                f"{prefix}_name",
                types=("string",),
                aliases=(short_name,) if short_name else (),
            ),
            *extra_names,
        ),
        text_keys=FORM_TEXTS,
        form_component=True,
        successor=successor,
    )


FORM_COMPONENTS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Input",
        display="number-input",
        category=_F,
        title="Input",
        description="A one-line text or number field.",
        props=(
            *BASE,
            *FORM,
            SAVE_WHILE_TYPING,
            AUTOCOMPLETE,
            _MAX_LENGTH,
            Prop("formatting", "object", "Formatting", schema=NUMBER_FORMAT_SCHEMA),
            Prop("variant", "string", "Variant", enum=("text", "search"), default="text"),
        ),
        bindings=(simple(("string", "number", "integer", "boolean")),),
        text_keys=(*FORM_TEXTS, "prefix", "suffix"),
        form_component=True,
    ),
    ComponentDefinition(
        type="TextArea",
        display="text",
        category=_F,
        title="Text area",
        description="A multi-line text field.",
        props=(*BASE, *FORM, SAVE_WHILE_TYPING, AUTOCOMPLETE, _MAX_LENGTH),
        bindings=(simple(("string",)),),
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="Checkboxes",
        display="options-multi",
        category=_F,
        title="Checkboxes",
        description="Choose any number of options.",
        props=(*BASE, *FORM, *OPTIONS, _CHOICE_LAYOUT, _SHOW_LABELS_IN_TABLE),
        bindings=MULTI_OPTION_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
        multi_value=True,
    ),
    ComponentDefinition(
        type="RadioButtons",
        display="options-single",
        category=_F,
        title="Radio buttons",
        description="Choose one option.",
        props=(
            *BASE,
            *FORM,
            *OPTIONS,
            _CHOICE_LAYOUT,
            _SHOW_LABELS_IN_TABLE,
            Prop("showAsCard", "boolean", "Show as card"),
        ),
        bindings=OPTION_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="Dropdown",
        display="options-single",
        category=_F,
        title="Dropdown",
        description="Choose one option from a list.",
        props=(*BASE, *FORM, *OPTIONS, AUTOCOMPLETE),
        bindings=OPTION_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="MultipleSelect",
        display="options-multi",
        category=_F,
        title="Multiple select",
        description="Choose several options from a searchable list.",
        props=(*BASE, *FORM, *OPTIONS, AUTOCOMPLETE),
        bindings=MULTI_OPTION_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
        multi_value=True,
    ),
    ComponentDefinition(
        type="Datepicker",
        display="date",
        category=_F,
        title="Date picker",
        description="Pick a date (stored as an ISO date, or a timestamp).",
        props=(
            *BASE,
            *FORM,
            AUTOCOMPLETE,
            Prop(
                "minDate",
                "string",
                "Earliest date",
                "ISO date, today or an expression.",
                expr=ExprType.STRING,
            ),
            Prop(
                "maxDate",
                "string",
                "Latest date",
                "ISO date, today or an expression.",
                expr=ExprType.STRING,
            ),
            Prop("timeStamp", "boolean", "Time stamp", "Store a full timestamp.", default=True),
            Prop("format", "string", "Format", "Display format, e.g. dd.MM.yyyy."),
        ),
        bindings=(simple(("string", "date")),),
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="TimePicker",
        display="text",
        category=_F,
        title="Time picker",
        description="Pick a time of day (v9).",
        props=(
            *BASE,
            *FORM,
            AUTOCOMPLETE,
            Prop(
                "format",
                "string",
                "Format",
                enum=("HH:mm", "HH:mm:ss", "hh:mm a", "hh:mm:ss a"),
                default="HH:mm",
            ),
            Prop("minTime", "string", "Earliest time", expr=ExprType.STRING),
            Prop("maxTime", "string", "Latest time", expr=ExprType.STRING),
        ),
        bindings=(simple(("string",)),),
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="Address",
        display="address",
        category=_F,
        title="Address",
        description="Street address, postcode (place looked up) and optional c/o and number.",
        props=(
            *BASE,
            *FORM,
            SAVE_WHILE_TYPING,
            Prop("simplified", "boolean", "Simplified", "Hide c/o and house number.", default=True),
        ),
        bindings=_ADDRESS_BINDINGS,
        text_keys=(
            *FORM_TEXTS,
            "careOfTitle",
            "zipCodeTitle",
            "postPlaceTitle",
            "houseNumberTitle",
        ),
        aliases=("AddressComponent",),
        form_component=True,
    ),
    ComponentDefinition(
        type="Likert",
        display="likert",
        category=_F,
        title="Likert",
        description="One row per question in an array, each answered on the same scale.",
        props=(
            *BASE,
            *FORM,
            *OPTIONS,
            Prop("filter", "array", "Filter", "Show only rows start..stop.", schema=_LIKERT_FILTER),
            _LIKERT_COLUMNS,
        ),
        bindings=(
            Binding("questions", required=True, types=("array",), description="One row each."),
            Binding(
                "answer",
                required=True,
                types=("string", "number", "integer", "boolean"),
                description="Path inside each row.",
            ),
        ),
        text_keys=(
            *FORM_TEXTS,
            "leftColumnHeader",
            "questions",
            "questionDescriptions",
            "questionHelpTexts",
        ),
        form_component=True,
        extra={"row_binding": "questions"},
    ),
    ComponentDefinition(
        type="LikertItem",
        display="likert",
        category=_F,
        title="Likert item",
        description="One Likert row; generated by Likert, rarely written by hand.",
        props=(
            *BASE,
            *FORM,
            *OPTIONS,
            _CHOICE_LAYOUT,
            _SHOW_LABELS_IN_TABLE,
            _LIKERT_COLUMNS,
        ),
        bindings=OPTION_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
        internal=True,
    ),
    ComponentDefinition(
        type="List",
        display="list",
        category=_F,
        title="List",
        description="Choose one row of a data list (table); columns map to bindings.",
        props=(
            *BASE,
            *FORM,
            Prop("dataListId", "string", "Data list id", required=True),
            Prop(
                "tableHeaders",
                "object",
                "Table headers",
                "Column key -> header text.",
                required=True,
                schema={"type": "object", "additionalProperties": {"type": "string"}},
            ),
            Prop(
                "tableHeadersMobile",
                "array",
                "Mobile headers",
                "Columns shown on small screens.",
                schema=STRING_LIST,
            ),
            Prop("sortableColumns", "array", "Sortable columns", schema=STRING_LIST),
            Prop(
                "pagination",
                "object",
                "Pagination",
                schema=obj(
                    {
                        "alternatives": array_of({"type": "number", "minimum": 1}),
                        "default": {"type": "number", "minimum": 1},
                    },
                    ("alternatives", "default"),
                ),
            ),
            Prop("bindingToShowInSummary", "string", "Binding shown in summary", deprecated=True),
            Prop("summaryBinding", "string", "Binding shown in summary"),
            Prop(
                "mapping",
                "object",
                "Mapping",
                schema={"type": "object", "additionalProperties": {"type": "string"}},
            ),
            Prop(
                "queryParameters",
                "object",
                "Query parameters",
                schema={
                    "type": "object",
                    "additionalProperties": {"$ref": "#/definitions/string-expr"},
                },
            ),
            Prop("secure", "boolean", "Secure"),
            Prop("deletionStrategy", "string", "Deletion strategy", enum=("soft", "hard")),
        ),
        bindings=(
            Binding("group", types=("array",), description="Choose several rows into an array."),
            Binding("checked", types=("boolean",)),
        ),
        text_keys=FORM_TEXTS,
        form_component=True,
        open_bindings=True,
    ),
    ComponentDefinition(
        type="Map",
        display="map",
        category=_F,
        title="Map",
        description="Pick a location on a map, or show geometries.",
        props=(
            *BASE,
            *FORM,
            Prop(
                "centerLocation",
                "object",
                "Centre",
                schema=obj(
                    {
                        "latitude": {"$ref": "#/definitions/number-expr"},
                        "longitude": {"$ref": "#/definitions/number-expr"},
                    },
                    ("latitude", "longitude"),
                ),
            ),
            Prop("zoom", "number", "Zoom"),
            Prop(
                "layers",
                "array",
                "Layers",
                "Tile (default) or WMS layers.",
                schema=array_of(
                    {
                        "type": "object",
                        "required": ["url"],
                        "properties": {
                            "url": {"type": "string"},
                            "type": {"type": "string", "enum": ["TileLayer", "WMS"]},
                            "attribution": {"type": "string"},
                            "subdomains": STRING_LIST,
                            "layers": {"type": "string"},
                            "format": {"type": "string"},
                            "version": {"type": "string"},
                            "transparent": {"type": "boolean"},
                            "uppercase": {"type": "boolean"},
                            "minZoom": {"type": "number"},
                            "maxZoom": {"type": "number"},
                        },
                        "additionalProperties": False,
                    }
                ),
            ),
            Prop("geometryType", "string", "Geometry type", enum=("GeoJSON", "WKT")),
            Prop(
                "toolbar",
                "object",
                "Drawing toolbar",
                schema=obj(
                    {
                        shape: {"$ref": "#/definitions/boolean-expr"}
                        for shape in ("polygon", "polyline", "marker", "circle", "rectangle")
                    }
                ),
            ),
        ),
        bindings=(
            simple(("string",), required=False, description="Chosen point as 'lat,lng'."),
            Binding("geometries", types=("array",)),
            Binding("geometryData", types=("string",)),
            Binding("geometryLabel", types=("string",)),
            Binding("geometryIsEditable", types=("boolean",)),
            Binding("geometryIsHidden", types=("boolean",)),
            Binding("geometryStyle", types=("string",)),
        ),
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    _lookup("person_lookup", "Person Lookup", short_name="fullName"),
    _lookup(
        "organisation_lookup",
        "Organisation Lookup",
        short_name=None,
        successor="OrganizationLookup",
    ),
    _lookup("organization_lookup", "Organization Lookup", short_name="name"),
)
