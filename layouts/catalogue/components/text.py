"""Text and media components: headings, paragraphs, panels, read-only values, media, links."""

from __future__ import annotations

from typing import Any

from layouts.catalogue.components.common import (
    BASE,
    LABELED,
    NUMBER_FORMAT_SCHEMA,
    OPTIONS,
    SUMMARIZABLE,
    obj,
)
from layouts.catalogue.model import Category, ComponentDefinition, ExprType, Prop

_T = Category.TEXT

_LANGUAGE_SRC: dict[str, Any] = {
    "type": "object",
    "description": "Source URL per language code.",
    "additionalProperties": {"type": "string"},
}

_DIRECTION = Prop("direction", "string", "Direction", enum=("horizontal", "vertical"))
_ICON = Prop("icon", "string", "Icon", "URL or data URI of an icon shown before the value.")
_DISPLAY_TEXTS = ("title", "description", "help")


def _display(
    type_name: str, title: str, description: str, value: Prop, *more: Prop
) -> ComponentDefinition:
    """Text, Number, Date and Option: show one value (usually an expression) read-only."""
    return ComponentDefinition(
        type=type_name,
        display=f"value-{type_name.lower()}",
        category=_T,
        title=title,
        description=description,
        props=(*BASE, *SUMMARIZABLE, value, _DIRECTION, _ICON, *more),
        text_keys=_DISPLAY_TEXTS,
    )


TEXT_COMPONENTS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Header",
        category=_T,
        title="Heading",
        description="A heading. Called Heading since the v9 frontend; both names are accepted.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            Prop(
                "size",
                "string",
                "Size",
                "L/M/S, or the HTML level h2/h3/h4.",
                required=True,
                enum=("L", "M", "S", "h2", "h3", "h4"),
            ),
        ),
        text_keys=("title", "help"),
        aliases=("Heading",),
        successor="Heading",
    ),
    ComponentDefinition(
        type="Paragraph",
        category=_T,
        title="Paragraph",
        description="A paragraph of (markdown) text.",
        props=(*BASE, *SUMMARIZABLE),
        text_keys=("title", "help"),
    ),
    ComponentDefinition(
        type="Panel",
        category=_T,
        title="Panel",
        description="A coloured box with a title and a body text.",
        props=(
            *BASE,
            Prop(
                "variant",
                "string",
                "Variant",
                enum=("info", "warning", "error", "success"),
                default="info",
            ),
            Prop("showIcon", "boolean", "Show icon", default=True),
        ),
        text_keys=("title", "body"),
    ),
    ComponentDefinition(
        type="Alert",
        category=_T,
        title="Alert",
        description="An alert box with a severity.",
        props=(
            *BASE,
            Prop(
                "severity",
                "string",
                "Severity",
                required=True,
                enum=("success", "warning", "danger", "info"),
            ),
        ),
        text_keys=("title", "body"),
    ),
    _display(
        "Text",
        "Text",
        "Shows a text value, typically computed by an expression.",
        Prop("value", "string", "Value", required=True, expr=ExprType.STRING),
    ),
    _display(
        "Number",
        "Number",
        "Shows a formatted number, typically computed by an expression.",
        Prop("value", "number", "Value", required=True, expr=ExprType.NUMBER),
        Prop("formatting", "object", "Formatting", schema=NUMBER_FORMAT_SCHEMA),
    ),
    _display(
        "Date",
        "Date",
        "Shows a formatted date, typically computed by an expression.",
        Prop("value", "string", "Value", required=True, expr=ExprType.STRING),
        Prop("format", "string", "Format", "Unicode date pattern, e.g. dd.MM.yyyy."),
    ),
    _display(
        "Option",
        "Option",
        "Shows the label of the option whose value an expression gives.",
        Prop("value", "string", "Value", required=True, expr=ExprType.STRING),
        *(p for p in OPTIONS if p.name != "preselectedOptionIndex"),
    ),
    ComponentDefinition(
        type="Divider",
        category=_T,
        title="Divider",
        description="A horizontal line.",
        props=BASE,
    ),
    ComponentDefinition(
        type="Image",
        category=_T,
        title="Image",
        description="An image, with a source per language.",
        props=(
            *BASE,
            Prop(
                "image",
                "object",
                "Image",
                schema=obj(
                    {
                        "src": _LANGUAGE_SRC,
                        "width": {"type": "string"},
                        "align": {
                            "type": "string",
                            "enum": [
                                "flex-start",
                                "center",
                                "flex-end",
                                "space-between",
                                "space-around",
                                "space-evenly",
                            ],
                        },
                    },
                    ("src",),
                ),
            ),
        ),
        text_keys=("altTextImg", "help"),
    ),
    ComponentDefinition(
        type="Audio",
        category=_T,
        title="Audio",
        props=(
            *BASE,
            Prop(
                "audio",
                "object",
                "Audio",
                required=True,
                schema=obj({"src": _LANGUAGE_SRC}, ("src",)),
            ),
        ),
        text_keys=("altText",),
    ),
    ComponentDefinition(
        type="Video",
        category=_T,
        title="Video",
        props=(
            *BASE,
            Prop(
                "video",
                "object",
                "Video",
                required=True,
                schema=obj({"src": _LANGUAGE_SRC}, ("src",)),
            ),
        ),
        text_keys=("altText",),
    ),
    ComponentDefinition(
        type="IFrame",
        category=_T,
        title="IFrame",
        description="HTML content (from the title text) shown in a sandboxed frame.",
        props=(
            *BASE,
            Prop(
                "sandbox",
                "object",
                "Sandbox",
                schema=obj(
                    {
                        "allowPopups": {"type": "boolean"},
                        "allowPopupsToEscapeSandbox": {"type": "boolean"},
                    }
                ),
            ),
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="Link",
        category=_T,
        title="Link",
        description="A link (or link-styled button) to a URL or a download.",
        props=(
            *BASE,
            Prop("style", "string", "Style", required=True, enum=("primary", "secondary", "link")),
            Prop("openInNewTab", "boolean", "Open in new tab"),
            Prop("size", "string", "Size", enum=("sm", "md", "lg")),
            Prop("fullWidth", "boolean", "Full width"),
            Prop("textAlign", "string", "Text alignment", enum=("left", "center", "right")),
            Prop("position", "string", "Position", enum=("left", "center", "right")),
        ),
        text_keys=("title", "target", "download"),
    ),
    ComponentDefinition(
        type="InstanceInformation",
        category=_T,
        title="Instance information",
        description="Facts about the instance: date sent, sender, receiver, reference number.",
        props=(
            *BASE,
            Prop(
                "elements",
                "object",
                "Elements",
                schema=obj(
                    {
                        key: {"type": "boolean"}
                        for key in ("dateSent", "sender", "receiver", "referenceNumber")
                    }
                ),
            ),
            *LABELED,
        ),
        text_keys=("title", "description", "help"),
    ),
)
