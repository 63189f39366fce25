"""Attachment components: uploads and lists of uploaded files."""

from __future__ import annotations

from layouts.catalogue.components.common import BASE, FORM, FORM_TEXTS, OPTIONS, STRING_LIST, obj
from layouts.catalogue.model import Binding, Category, ComponentDefinition, ExprType, Prop

_A = Category.ATTACHMENT

_UPLOAD = (
    Prop("maxFileSizeInMB", "number", "Max file size (MB)", required=True),
    Prop(
        "maxNumberOfAttachments", "integer", "Max attachments", required=True, expr=ExprType.NUMBER
    ),
    Prop(
        "minNumberOfAttachments", "integer", "Min attachments", required=True, expr=ExprType.NUMBER
    ),
    Prop("displayMode", "string", "Display mode", required=True, enum=("simple", "list")),
    Prop("hasCustomFileEndings", "boolean", "Restrict file endings"),
    Prop(
        "validFileEndings",
        "any",
        "Valid file endings",
        'E.g. ".pdf" or [".pdf", ".png"].',
        schema={"anyOf": [{"type": "string"}, STRING_LIST]},
    ),
    Prop("alertOnDelete", "boolean", "Confirm deletion", expr=ExprType.BOOLEAN),
)

_UPLOAD_BINDINGS = (
    Binding("simpleBinding", types=("string",), description="Id of the single attachment."),
    Binding("list", types=("array",), description="Ids of all attachments."),
)

ATTACHMENT_COMPONENTS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="FileUpload",
        display="attachments",
        category=_A,
        title="File upload",
        description="Upload attachments of this component's data type (its id).",
        props=(*BASE, *FORM, *_UPLOAD),
        bindings=_UPLOAD_BINDINGS,
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
    ComponentDefinition(
        type="FileUploadWithTag",
        display="attachments",
        category=_A,
        title="File upload with tag",
        description="Upload attachments, each tagged with one option.",
        props=(*BASE, *FORM, *_UPLOAD, *OPTIONS),
        bindings=_UPLOAD_BINDINGS,
        text_keys=(*FORM_TEXTS, "tagTitle"),
        form_component=True,
    ),
    ComponentDefinition(
        type="AttachmentList",
        category=_A,
        title="Attachment list",
        description="List the instance's attachments (optionally of given data types).",
        props=(
            *BASE,
            Prop("dataTypeIds", "array", "Data types", schema=STRING_LIST),
            Prop("links", "boolean", "Show as links", default=True),
            Prop("showDataTypeDescriptions", "boolean", "Show data type descriptions"),
            Prop("groupByDataTypeGrouping", "boolean", "Group by data type grouping"),
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="ImageUpload",
        display="attachments",
        category=_A,
        title="Image upload",
        description="Upload an image, cropped to a shape (v9).",
        props=(
            *BASE,
            *FORM,
            Prop(
                "crop",
                "object",
                "Crop",
                schema=obj(
                    {
                        "shape": {"type": "string", "enum": ["circle", "rectangle"]},
                        "width": {"type": "number"},
                        "height": {"type": "number"},
                        "diameter": {"type": "number"},
                    }
                ),
            ),
        ),
        bindings=(Binding("simpleBinding", types=("string",)),),
        text_keys=FORM_TEXTS,
        form_component=True,
    ),
)
