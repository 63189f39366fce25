"""applicationmetadata.json: the app's identity, data types and instantiation rules.

Altinn's backend deserialises this file leniently (unknown and even misspelt keys are ignored,
keys match case-insensitively), so the schema types the known keys and tolerates others.
"""

from __future__ import annotations

from typing import Any

from schemas.app_files.common import document, string_list

_LANGUAGE_MAP = {
    "type": "object",
    "description": 'Text per language code, e.g. {"nb": "...", "en": "..."}.',
    "additionalProperties": {"type": "string"},
}

_APP_LOGIC = {
    "type": "object",
    "description": "Present on form data types: how the app creates and handles the data element.",
    "properties": {
        "autoCreate": {
            "type": "boolean",
            "description": "Create the element when the task starts.",
        },
        "classRef": {
            "type": "string",
            "description": "The C# model class, e.g. Altinn.App.Models.model.",
        },
        "schemaRef": {"type": ["string", "null"]},
        "allowAnonymousOnStateless": {"type": "boolean"},
        "autoDeleteOnProcessEnd": {"type": "boolean"},
        "allowUserCreate": {"type": "boolean"},
        "allowUserDelete": {"type": "boolean"},
        "disallowUserCreate": {"type": "boolean"},
        "disallowUserDelete": {"type": "boolean"},
        "allowInSubform": {"type": "boolean"},
        "shadowFields": {
            "type": "object",
            "properties": {
                "prefix": {"type": "string"},
                "saveToDataType": {"type": "string"},
            },
        },
    },
}

_DATA_TYPE = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "description": "Unique id of the data type."},
        "description": {"$ref": "#/definitions/languageMap"},
        "allowedContentTypes": {"type": ["array", "null"], "items": {"type": "string"}},
        "allowedContributers": {"type": ["array", "null"], "items": {"type": "string"}},
        "allowedContributors": {"type": ["array", "null"], "items": {"type": "string"}},
        "allowedKeysForUserDefinedMetadata": {
            "type": ["array", "null"],
            "items": {"type": "string"},
        },
        "appLogic": {"oneOf": [{"$ref": "#/definitions/appLogic"}, {"type": "null"}]},
        "taskId": {
            "type": ["string", "null"],
            "description": "The process task the element belongs to.",
        },
        "maxSize": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Maximum size in MB.",
        },
        "maxCount": {"type": "integer", "minimum": 0, "description": "0 means unlimited."},
        "minCount": {"type": "integer", "minimum": 0},
        "grouping": {"type": ["string", "null"]},
        "enablePdfCreation": {"type": "boolean"},
        "enableFileScan": {"type": "boolean"},
        "validationErrorOnPendingFileScan": {"type": "boolean"},
        "enabledFileAnalysers": string_list("File analysers to run on upload."),
        "enabledFileValidators": string_list("File validators to run on upload."),
        "actionRequiredToRead": {"type": ["string", "null"]},
        "actionRequiredToWrite": {"type": ["string", "null"]},
        "allowedContentTypesSpecific": {"type": ["array", "null"]},
    },
}

_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "org", "dataTypes"],
    "properties": {
        "$schema": {"type": "string"},
        "id": {
            "type": "string",
            "pattern": "^[^/\\s]+/[^/\\s]+$",
            "description": '"<org>/<app>".',
        },
        "org": {"type": "string", "minLength": 1},
        "title": {"$ref": "#/definitions/languageMap"},
        "description": {"$ref": "#/definitions/languageMap"},
        "versionId": {"type": ["string", "null"]},
        "created": {"type": "string"},
        "createdBy": {"type": ["string", "null"]},
        "lastChanged": {"type": "string"},
        "lastChangedBy": {"type": ["string", "null"]},
        "validFrom": {"type": ["string", "null"]},
        "validTo": {"type": ["string", "null"]},
        "dataTypes": {"type": "array", "items": {"$ref": "#/definitions/dataType"}},
        "partyTypesAllowed": {
            "type": "object",
            "properties": {
                name: {"type": "boolean"}
                for name in ("bankruptcyEstate", "organisation", "person", "subUnit")
            },
        },
        "autoDeleteOnProcessEnd": {"type": "boolean"},
        "disallowUserInstantiation": {"type": "boolean"},
        "preventInstanceDeletionForDays": {"type": ["integer", "null"], "minimum": 0},
        "promptForParty": {"type": "string", "enum": ["always", "never"]},
        "onEntry": {
            "type": "object",
            "properties": {
                "show": {
                    "type": "string",
                    "description": "select-instance, new-instance or a stateless layout set id.",
                },
                "instanceSelection": {"type": "object"},
            },
        },
        "copyInstanceSettings": {
            "type": "object",
            "properties": {
                "enabled": {"type": "boolean"},
                "excludedDataTypes": string_list("Data types not copied."),
                "excludedDataFields": string_list("Fields not copied."),
                "includeAttachments": {"type": "boolean"},
            },
        },
        "access": {
            "type": "object",
            "properties": {
                "delegable": {"type": "boolean"},
                "visible": {"type": "boolean"},
                "rightDescription": {"$ref": "#/definitions/languageMap"},
            },
        },
        "contactPoints": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    key: {"type": "string"}
                    for key in ("category", "email", "telephone", "contactPage")
                },
            },
        },
        "logo": {
            "type": "object",
            "properties": {
                "source": {"type": "string", "enum": ["org", "resource"]},
                "displayAppOwnerNameInHeader": {"type": "boolean"},
                "size": {"type": "string", "enum": ["small", "medium", "large"]},
            },
        },
        "dataFields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "path"],
                "properties": {
                    "id": {"type": "string"},
                    "path": {"type": "string"},
                    "dataTypeId": {"type": "string"},
                },
            },
        },
        "presentationFields": {"type": ["array", "null"]},
        "messageBoxConfig": {"type": ["object", "null"]},
        "eFormidling": {"type": ["object", "null"]},
        "externalApiIds": {"type": ["array", "null"], "items": {"type": "string"}},
    },
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
