"""Schemas of the files under App/ui besides pages: layout-sets.json, Settings.json (per layout
set and the v9 global one) and footer.json."""

from __future__ import annotations

from typing import Any

from schemas.app_files.common import document, expression_definitions, string_list

_NAVIGATION_TASK = {
    "type": "object",
    "required": ["taskId"],
    "additionalProperties": False,
    "properties": {
        "taskId": {"type": "string", "description": "A BPMN task id."},
        "name": {"type": "string", "description": "Text resource key or literal label."},
    },
}

_NAVIGATION_RECEIPT = {
    "type": "object",
    "required": ["type"],
    "additionalProperties": False,
    "properties": {"type": {"const": "receipt"}, "name": {"type": "string"}},
}

_VALIDATION_ON_NAVIGATION = {
    "type": "object",
    "description": "Which validations block navigation, and on which pages.",
    "required": ["page", "show"],
    "additionalProperties": False,
    "properties": {
        "page": {"type": "string", "enum": ["current", "currentAndPrevious", "all"]},
        "show": {
            "type": "array",
            "items": {
                "type": "string",
                "enum": [
                    "Schema",
                    "Invalid",
                    "Component",
                    "Expression",
                    "CustomBackend",
                    "Required",
                    "AllExceptRequired",
                    "All",
                ],
            },
        },
    },
}


def global_page_settings() -> dict[str, Any]:
    """Settings valid for the whole app (layout-sets.json `uiSettings`, v9 App/ui/Settings.json)
    and, in v8, also per layout set inside `pages`."""
    return {
        "hideCloseButton": {"type": "boolean", "default": False},
        "showLanguageSelector": {"type": "boolean", "default": False},
        "showExpandWidthButton": {"type": "boolean", "default": False},
        "expandedWidth": {"type": "boolean", "default": False},
        "showProgress": {"type": "boolean", "default": False},
        "autoSaveBehavior": {
            "type": "string",
            "enum": ["onChangeFormData", "onChangePage"],
            "default": "onChangeFormData",
        },
        "taskNavigation": {
            "type": "array",
            "description": "Tasks listed in the side navigation.",
            "items": {
                "oneOf": [
                    {"$ref": "#/definitions/navigationTask"},
                    {"$ref": "#/definitions/navigationReceipt"},
                ]
            },
        },
        "validationOnNavigation": {"$ref": "#/definitions/validationOnNavigation"},
        "navigationTitle": {
            "$ref": "#/definitions/string-expr",
            "description": "Heading of the page navigation (text key or expression).",
        },
        "hideAppNameInPdf": {"$ref": "#/definitions/boolean-expr"},
    }


def _navigation_definitions() -> dict[str, Any]:
    return {
        "navigationTask": _NAVIGATION_TASK,
        "navigationReceipt": _NAVIGATION_RECEIPT,
        "validationOnNavigation": _VALIDATION_ON_NAVIGATION,
        **expression_definitions(),
    }


LAYOUT_SETS = document(
    "layout-sets",
    "Altinn layout sets",
    "App/ui/layout-sets.json (v8): which layout folder serves which process tasks.",
    {
        "type": "object",
        "required": ["sets"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "sets": {"type": "array", "items": {"$ref": "#/definitions/layoutSet"}},
            "uiSettings": {
                "type": "object",
                "additionalProperties": False,
                "properties": global_page_settings(),
            },
        },
        "definitions": {
            "layoutSet": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "minLength": 1,
                        "description": "The folder name under App/ui; unique in the app.",
                    },
                    "dataType": {"type": "string", "description": "The data type it edits."},
                    "tasks": string_list("Process task ids served by this set."),
                    "type": {"type": "string", "enum": ["subform"]},
                },
            },
            **_navigation_definitions(),
        },
    },
)

_PAGE_GROUP = {
    "type": "object",
    "required": ["order"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "description": "Text resource key for the group heading."},
        "type": {"type": "string", "enum": ["default", "info"], "default": "default"},
        "markWhenCompleted": {"type": "boolean", "default": False},
        "expandedByDefault": {"type": "boolean", "default": False},
        "order": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string"},
            "description": "Page ids in this group, in order.",
        },
    },
    "if": {"properties": {"order": {"minItems": 2}}},
    "then": {"required": ["name"]},
}

LAYOUT_SETTINGS = document(
    "layout-settings",
    "Altinn layout settings",
    "Settings.json in a layout folder: page order (or page groups), PDF options and, in v9, "
    "the folder's default data type.",
    {
        "type": "object",
        "required": ["pages"],
        "properties": {
            "$schema": {"type": "string"},
            "pages": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "order": string_list("Page ids (file names without .json) in order."),
                    "groups": {"type": "array", "items": {"$ref": "#/definitions/pageGroup"}},
                    "excludeFromPdf": string_list("Pages left out of the generated PDF."),
                    "pdfLayoutName": {
                        "type": "string",
                        "description": "A page used as the PDF instead of the generated one.",
                    },
                    "triggers": {"type": "array", "items": {"type": "string"}},
                    "navigationTitle": {"type": "string"},
                    **global_page_settings(),
                },
                "oneOf": [{"required": ["order"]}, {"required": ["groups"]}],
            },
            "components": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "excludeFromPdf": string_list("Component ids left out of the PDF."),
                },
            },
            "defaultDataType": {
                "type": "string",
                "description": "v9: the data type this folder's components bind to by default.",
            },
            "type": {"type": "string", "enum": ["subform"]},
        },
        "definitions": {"pageGroup": _PAGE_GROUP, **_navigation_definitions()},
    },
)

UI_SETTINGS = document(
    "ui-settings",
    "Altinn global UI settings",
    "App/ui/Settings.json in v9 apps: settings for every task (what layout-sets.json "
    "`uiSettings` held in v8).",
    {
        "type": "object",
        "properties": {"$schema": {"type": "string"}, **global_page_settings()},
        "definitions": _navigation_definitions(),
    },
)

_FOOTER_ITEM_FIELDS = {
    "title": {"type": "string", "description": "Text resource key or markdown text."},
    "target": {"type": "string", "description": "Address, phone number or URL."},
    "icon": {"type": "string", "enum": ["information", "email", "phone"]},
}


def _footer_item(kind: str, fields: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Any]:
    return {
        "if": {"properties": {"type": {"const": kind}}},
        "then": {
            "required": list(required),
            "properties": {"type": True, **{f: _FOOTER_ITEM_FIELDS[f] for f in fields}},
            "additionalProperties": False,
        },
    }


FOOTER = document(
    "footer",
    "Altinn footer",
    "App/ui/footer.json: texts and links shown at the bottom of every page.",
    {
        "type": "object",
        "required": ["footer"],
        "properties": {
            "$schema": {"type": "string"},
            "footer": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"enum": ["Email", "Link", "Phone", "Text"]}},
                    "allOf": [
                        _footer_item("Email", ("title", "target", "icon"), ("title", "target")),
                        _footer_item("Link", ("title", "target", "icon"), ("title", "target")),
                        _footer_item("Phone", ("title", "target", "icon"), ("title", "target")),
                        _footer_item("Text", ("title",), ("title",)),
                    ],
                },
            },
        },
    },
)
