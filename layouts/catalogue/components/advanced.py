"""Advanced components: summaries, subforms, tables, payment, signing and custom elements."""

from __future__ import annotations

from layouts.catalogue.components.common import (
    BASE,
    FORM,
    STRING_EXPR,
    STRING_LIST,
    SUMMARIZABLE,
    array_of,
    obj,
)
from layouts.catalogue.model import Binding, Category, ComponentDefinition, ExprType, Prop

_X = Category.ADVANCED

_SUMMARY_DISPLAY = obj(
    {
        "hideChangeButton": {"type": "boolean"},
        "hideValidationMessages": {"type": "boolean"},
        "useComponentGrid": {"type": "boolean"},
        "hideBottomBorder": {"type": "boolean"},
        "nextButton": {"type": "boolean"},
    }
)

_SUMMARY2_TARGET = obj(
    {
        "type": {"type": "string", "enum": ["page", "layoutSet", "component"]},
        "id": {"type": "string"},
        "taskId": {"type": "string"},
    }
)

_SUMMARY2_OVERRIDE = {
    "type": "object",
    "description": "Overrides for one component, component type or page in the summary.",
    "properties": {
        "componentId": {"type": "string"},
        "componentType": {"type": "string"},
        "pageId": {"type": "string"},
        "hidden": {"type": "boolean"},
        "forceShow": {"type": "boolean"},
        "hideEmptyFields": {"type": "boolean"},
        "hideEmptyRows": {"type": "boolean"},
        "isCompact": {"type": "boolean"},
        "emptyFieldText": {"type": "string"},
        "displayType": {"type": "string", "enum": ["list", "string", "table"]},
    },
}

_SUBFORM_COLUMN = obj(
    {
        "headerContent": {"type": "string"},
        "cellContent": {
            "anyOf": [
                obj({"value": STRING_EXPR, "default": {"type": "string"}}, ("value",)),
                obj(
                    {
                        "query": {"type": "string", "deprecated": True},
                        "default": {"type": "string"},
                    },
                    ("query",),
                ),
            ]
        },
    },
    ("headerContent", "cellContent"),
)

_SIMPLE_TABLE_COLUMN = {
    "type": "object",
    "required": ["header"],
    "properties": {
        "header": {"type": "string"},
        "accessors": STRING_LIST,
        "component": {"type": "object"},
        "enableInlineEditing": {"type": "boolean"},
    },
}

_SIGNING_ACTION_TEXTS = (
    "awaitingSignaturePanelTitle",
    "checkboxLabel",
    "checkboxDescription",
    "signingButton",
    "noActionRequiredPanelTitleHasSigned",
    "noActionRequiredPanelTitleNotSigned",
    "noActionRequiredPanelDescriptionHasSigned",
    "noActionRequiredPanelDescriptionNotSigned",
    "noActionRequiredButton",
    "awaitingOtherSignaturesPanelTitle",
    "awaitingOtherSignaturesPanelDescriptionNotSigning",
    "awaitingOtherSignaturesPanelDescriptionSigned",
    "submitPanelTitle",
    "submitPanelDescription",
    "submitButton",
    "errorPanelTitle",
    "errorPanelDescription",
    "rejectModalTitle",
    "rejectModalDescription",
    "rejectModalButton",
    "rejectModalCloseButton",
    "rejectModalTriggerButton",
)

ADVANCED_COMPONENTS: tuple[ComponentDefinition, ...] = (
    ComponentDefinition(
        type="Summary",
        category=_X,
        title="Summary",
        description="Summary of one component, group or page (v3/v4 style).",
        props=(
            *BASE,
            Prop(
                "componentRef",
                "string",
                "Component",
                "Id of the summarised component.",
                required=True,
            ),
            Prop("display", "object", "Display", schema=_SUMMARY_DISPLAY),
            Prop("excludedChildren", "array", "Excluded children", schema=STRING_LIST),
            Prop("largeGroup", "boolean", "Large group"),
        ),
        text_keys=("returnToSummaryButtonTitle",),
    ),
    ComponentDefinition(
        type="Summary2",
        category=_X,
        title="Summary 2.0",
        description="Summary of a component, a page or a whole layout set.",
        props=(
            *BASE,
            Prop("target", "object", "Target", schema=_SUMMARY2_TARGET),
            Prop("overrides", "array", "Overrides", schema=array_of(_SUMMARY2_OVERRIDE)),
            Prop("hideEmptyFields", "boolean", "Hide empty fields"),
            Prop("isCompact", "boolean", "Compact"),
            Prop("showPageInAccordion", "boolean", "Pages in accordions"),
        ),
        text_keys=("title",),
    ),
    ComponentDefinition(
        type="Custom",
        display="bindings",
        category=_X,
        title="Custom",
        description="A web component supplied by the app; accepts any properties.",
        props=(
            *BASE,
            *(p for p in FORM if p.name in {"required", "readOnly"}),
            Prop("tagName", "string", "Tag name", "Custom element name.", required=True),
        ),
        text_keys=("title",),
        open_bindings=True,
        open_text_keys=True,
        open_props=True,
    ),
    ComponentDefinition(
        type="AddToList",
        category=_X,
        title="Add to list",
        description="Add rows to an array through a modal form (beta).",
        props=(*BASE, Prop("title", "string", "Title", required=True)),
        bindings=(Binding("data", required=True, types=("array",)),),
    ),
    ComponentDefinition(
        type="SimpleTable",
        category=_X,
        title="Simple table",
        description="A read-only (optionally deletable) table over an array.",
        props=(
            *BASE,
            Prop("title", "string", "Title", required=True),
            Prop(
                "columns", "array", "Columns", required=True, schema=array_of(_SIMPLE_TABLE_COLUMN)
            ),
            Prop("enableDelete", "boolean", "Allow delete"),
            Prop("enableEdit", "boolean", "Allow edit"),
            Prop(
                "externalApi",
                "object",
                "External API",
                schema=obj({"id": {"type": "string"}, "path": {"type": "string"}}, ("id",)),
            ),
            Prop("size", "string", "Size", enum=("sm", "md", "lg")),
            Prop("zebra", "boolean", "Zebra stripes"),
        ),
        bindings=(Binding("tableData", types=("array",)),),
        text_keys=("title", "description"),
    ),
    ComponentDefinition(
        type="Subform",
        category=_X,
        title="Subform",
        description="A table of subform data elements, each edited in its own layout set.",
        props=(
            *BASE,
            *SUMMARIZABLE,
            Prop(
                "layoutSet", "string", "Layout set", "The subform's layout set id.", required=True
            ),
            Prop(
                "tableColumns",
                "array",
                "Table columns",
                required=True,
                schema=array_of(_SUBFORM_COLUMN),
            ),
            Prop("entryDisplayName", "string", "Entry name", expr=ExprType.STRING),
            Prop("showAddButton", "boolean", "Show add button", default=True),
            Prop("showDeleteButton", "boolean", "Show delete button", default=True),
            Prop("summaryDelimiter", "string", "Summary delimiter"),
        ),
        text_keys=("title", "description", "help", "addButton", "tableEditButton"),
    ),
    ComponentDefinition(
        type="Payment",
        category=_X,
        title="Payment",
        description="Payment step: order summary and pay button (payment tasks).",
        props=(*BASE, *SUMMARIZABLE),
        text_keys=("title", "description", "help"),
    ),
    ComponentDefinition(
        type="PaymentDetails",
        category=_X,
        title="Payment details",
        description="The order lines to be paid.",
        props=(
            *BASE,
            Prop(
                "mapping",
                "object",
                "Mapping",
                schema={"type": "object", "additionalProperties": {"type": "string"}},
            ),
        ),
        text_keys=("title", "description"),
    ),
    ComponentDefinition(
        type="SigneeList",
        category=_X,
        title="Signee list",
        description="Who has to sign, and who has (signing tasks).",
        props=BASE,
        text_keys=("title", "description", "help", "summaryTitle"),
    ),
    ComponentDefinition(
        type="SigningActions",
        category=_X,
        title="Signing actions",
        description="Sign / reject buttons and status panels (signing tasks).",
        props=BASE,
        text_keys=_SIGNING_ACTION_TEXTS,
    ),
    ComponentDefinition(
        type="SigningDocumentList",
        category=_X,
        title="Signing document list",
        description="The documents being signed.",
        props=BASE,
        text_keys=("title", "description", "help", "summaryTitle"),
    ),
)
