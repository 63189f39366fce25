"""applicationmetadata.json: the app's identity, data types and instantiation rules.

Altinn's backend reads this file with case-insensitive property names (apps in the wild write
`ClassRef`), so every known key is also matched in any letter case; keys it does not know at
all are reported (a misspelt `disallowUserDelete` is silently ignored by Altinn, which is
exactly what a user needs to hear about). Known keys cover Altinn's published schema plus what
current apps and Studio write (it lags behind: `allowUserCreate`, `access`, ...).
"""

from __future__ import annotations

import re
from typing import Any

from schemas.app_files.common import document, string_list

_BOOL = {"type": "boolean"}
_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_STRINGS = {"type": ["array", "null"], "items": {"type": "string"}}


def case_insensitive(name: str) -> str:
    """A portable regex matching `name` in any letter case."""
    body = "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in name)
    return f"^{body}$"


def closed(
    properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    """An object that allows exactly these keys, matched case-insensitively as .NET does.

    Only the exact spelling is type-checked: checking other spellings too would report every
    problem of a correctly spelt key twice."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "patternProperties": {case_insensitive(k): {} for k in properties},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


_LANGUAGE_MAP = {
    "type": "object",
    "description": 'Text per language code, e.g. {"nb": "...", "en": "..."}.',
    "additionalProperties": {"type": "string"},
}

_APP_LOGIC = closed(
    {
        "autoCreate": {**_BOOL, "description": "Create the element when the task starts."},
        "classRef": {**_STRING, "description": "The C# model class, e.g. Altinn.App.Models.model."},
        "schemaRef": _NULLABLE_STRING,
        "allowAnonymousOnStateless": _BOOL,
        "autoDeleteOnProcessEnd": _BOOL,
        "allowUserCreate": _BOOL,
        "allowUserDelete": _BOOL,
        "disallowUserCreate": _BOOL,
        "disallowUserDelete": _BOOL,
        "allowInSubform": _BOOL,
        "shadowFields": closed({"prefix": _STRING, "saveToDataType": _STRING}),
    },
    description="Present on form data types: how the app creates and handles the data element.",
)
_APP_LOGIC["type"] = ["object", "null"]

_DATA_TYPE = closed(
    {
        "id": {**_STRING, "minLength": 1, "description": "Unique id of the data type."},
        "description": {"$ref": "#/definitions/languageMap"},
        "allowedContentTypes": _NULLABLE_STRINGS,
        "allowedContributers": _NULLABLE_STRINGS,
        "allowedContributors": _NULLABLE_STRINGS,
        "allowedKeysForUserDefinedMetadata": _NULLABLE_STRINGS,
        "appLogic": {"$ref": "#/definitions/appLogic"},
        "taskId": {**_NULLABLE_STRING, "description": "The process task the element belongs to."},
        "maxSize": {"type": ["integer", "null"], "description": "Maximum size in MB."},
        "maxCount": {"type": "integer", "description": "0 or less means unlimited."},
        "minCount": {"type": "integer"},
        "grouping": _NULLABLE_STRING,
        "enablePdfCreation": _BOOL,
        "enableFileScan": _BOOL,
        "validationErrorOnPendingFileScan": _BOOL,
        "enabledFileAnalysers": string_list("File analysers to run on upload."),
        "enabledFileValidators": string_list("File validators to run on upload."),
        "actionRequiredToRead": _NULLABLE_STRING,
        "actionRequiredToWrite": _NULLABLE_STRING,
    },
    ("id",),
)

_DATA_FIELD = closed({"id": _STRING, "path": _STRING, "dataTypeId": _STRING}, ("id", "path"))

_API_SCOPES = closed({"read": _STRING, "write": _STRING, "errorMessageTextResourceKey": _STRING})

_PROPERTIES: dict[str, Any] = {
    "$schema": _STRING,
    "id": {**_STRING, "pattern": "^[^/\\s]+/[^/\\s]+$", "description": '"<org>/<app>".'},
    "org": {**_STRING, "minLength": 1},
    "title": {"$ref": "#/definitions/languageMap"},
    "description": {"$ref": "#/definitions/languageMap"},
    "processId": _STRING,
    "versionId": _NULLABLE_STRING,
    "created": _STRING,
    "createdBy": _NULLABLE_STRING,
    "lastChanged": _STRING,
    "lastChangedBy": _NULLABLE_STRING,
    "validFrom": _NULLABLE_STRING,
    "validTo": _NULLABLE_STRING,
    "dataTypes": {"type": "array", "items": {"$ref": "#/definitions/dataType"}},
    "partyTypesAllowed": closed(
        {k: _BOOL for k in ("bankruptcyEstate", "organisation", "person", "subUnit")}
    ),
    "autoDeleteOnProcessEnd": _BOOL,
    "disallowUserInstantiation": _BOOL,
    "preventInstanceDeletionForDays": {"type": ["integer", "null"]},
    "promptForParty": {"type": "string", "enum": ["always", "never"]},
    "onEntry": closed(
        {
            "show": {
                **_STRING,
                "description": "select-instance, new-instance or a stateless layout set id.",
            },
            "instanceSelection": closed(
                {
                    "sortDirection": {"type": "string", "enum": ["asc", "desc"]},
                    "rowsPerPageOptions": {"type": "array", "items": {"type": "integer"}},
                    "defaultSelectedOption": {"type": "integer"},
                }
            ),
        },
        ("show",),
    ),
    "copyInstanceSettings": closed(
        {
            "enabled": _BOOL,
            "excludedDataTypes": string_list("Data types not copied."),
            "excludedDataFields": string_list("Fields not copied."),
            "includeAttachments": _BOOL,
        }
    ),
    "access": closed(
        {
            "delegable": _BOOL,
            "visible": _BOOL,
            "rightDescription": {"$ref": "#/definitions/languageMap"},
        }
    ),
    "contactPoints": {
        "type": "array",
        "items": closed({k: _STRING for k in ("category", "email", "telephone", "contactPage")}),
    },
    "logo": closed(
        {
            "source": {"type": "string", "enum": ["org", "resource"]},
            "displayAppOwnerNameInHeader": _BOOL,
            "size": {"type": "string", "enum": ["small", "medium", "large"]},
        },
        ("source",),
    ),
    "dataFields": {"type": "array", "items": _DATA_FIELD},
    "presentationFields": {"type": ["array", "null"], "items": _DATA_FIELD},
    "messageBoxConfig": {"type": ["object", "null"]},
    "eFormidling": {"type": ["object", "null"]},
    "externalApiIds": _NULLABLE_STRINGS,
    "apiScopes": closed(
        {"users": _API_SCOPES, "serviceOwners": _API_SCOPES, "errorMessageTextResourceKey": _STRING}
    ),
    "storageAccountNumber": {"type": ["integer", "null"]},
}

_BODY: dict[str, Any] = {
    **closed(_PROPERTIES, ("id", "org", "title", "dataTypes")),
    "definitions": {
        "languageMap": _LANGUAGE_MAP,
        "appLogic": _APP_LOGIC,
        "dataType": _DATA_TYPE,
    },
}

SCHEMA = document(
    "applicationmetadata",
    "Altinn application metadata",
    "App/config/applicationmetadata.json: identity, data types and instantiation settings.",
    _BODY,
)
