"""Buttons: submit and process actions, navigation between pages, printing, instantiation."""

from __future__ import annotations

from layouts.catalogue.components.common import BASE, VALIDATION_MASKS, array_of, obj
from layouts.catalogue.model import Category, ComponentDefinition, Prop

_B = Category.BUTTON

_VALIDATE_ON = obj(
    {
        "page": {"type": "string", "enum": ["current", "currentAndPrevious", "all"]},
        "show": array_of({"type": "string", "enum": list(VALIDATION_MASKS)}),
    },
    ("page", "show"),
)

_STYLE = Prop("buttonStyle", "string", "Button style", enum=("primary", "secondary"))
_REQUIRED_STYLE = Prop(
    "buttonStyle", "string", "Button style", required=True, enum=("primary", "secondary")
)
_LOOKS = (
    Prop("size", "string", "Size", enum=("sm", "md", "lg")),
    Prop("fullWidth", "boolean", "Full width"),
    Prop("textAlign", "string", "Text alignment", enum=("left", "center", "right")),
    Prop("position", "string", "Position", enum=("left", "center", "right")),
)
_MAPPING = Prop(
    "mapping",
    "object",
    "Mapping",
    "Data model path -> prefill key.",
    schema={"type": "object", "additionalProperties": {"type": "string"}},
)

_CLIENT_ACTIONS = ("nextPage", "previousPage", "navigateToPage", "closeSubform")
_CUSTOM_ACTION = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string", "enum": ["ClientAction", "ServerAction"]},
        "validation": _VALIDATE_ON,
        "metadata": obj({"page": {"type": "string"}}),
    },
    "additionalProperties": False,
    "if": {"properties": {"type": {"const": "ClientAction"}}},
    "then": {"properties": {"id": {"enum": list(_CLIENT_ACTIONS)}}},
}

BUTTON_COMPONENTS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Button",
        category=_B,
        title="Button",
        description="Submit the form (or save, go to a task, instantiate).",
        props=(
            *BASE,
            Prop(
                "mode",
                "string",
                "Mode",
                enum=("submit", "save", "instantiate"),
                default="submit",
            ),
            _MAPPING,
            *_LOOKS,
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="NavigationButtons",
        category=_B,
        title="Navigation buttons",
        description="Next/previous page buttons.",
        props=(
            *BASE,
            Prop("showBackButton", "boolean", "Show back button", default=False),
            Prop("validateOnNext", "object", "Validate on next", schema=_VALIDATE_ON),
            Prop("validateOnPrevious", "object", "Validate on previous", schema=_VALIDATE_ON),
        ),
        text_keys=("next", "back", "backToPage"),
    ),
    ComponentDefinition(
        type="NavigationBar",
        category=_B,
        title="Navigation bar",
        description="Links to every page.",
        props=(
            *BASE,
            Prop("compact", "boolean", "Compact"),
            Prop("validateOnForward", "object", "Validate going forward", schema=_VALIDATE_ON),
            Prop("validateOnBackward", "object", "Validate going back", schema=_VALIDATE_ON),
        ),
    ),
    ComponentDefinition(
        type="PrintButton",
        category=_B,
        title="Print button",
        props=BASE,
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="InstantiationButton",
        category=_B,
        title="Instantiation button",
        description="Create a new instance (from a stateless page), prefilled by mapping.",
        props=(*BASE, _MAPPING),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="ActionButton",
        category=_B,
        title="Action button",
        description="Run a process action (confirm, sign, reject, ...).",
        props=(
            *BASE,
            Prop(
                "action",
                "string",
                "Action",
                "The process action to perform.",
                required=True,
                enum=("instantiate", "confirm", "sign", "reject"),
            ),
            _REQUIRED_STYLE,
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="CustomButton",
        category=_B,
        title="Custom button",
        description="Run client and server actions defined by the app.",
        props=(
            *BASE,
            Prop("actions", "array", "Actions", required=True, schema=array_of(_CUSTOM_ACTION)),
            _STYLE,
            Prop(
                "buttonColor",
                "string",
                "Colour",
                enum=("first", "second", "success", "danger"),
            ),
            Prop(
                "buttonSize",
                "string",
                "Size",
                enum=("sm", "md", "lg", "small", "medium", "large"),
            ),
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="PDFPreviewButton",
        category=_B,
        title="PDF preview button",
        props=(
            *BASE,
            _REQUIRED_STYLE,
        ),
        text_keys=("title",),
    ),
)
