"""Reading application metadata's dataTypes the way Altinn does.

Altinn deserializes applicationmetadata.json with case-insensitive property names, so real
apps write `"ClassRef"` as well as `"classRef"`; every reader of a data type's model class goes
through `class_ref` so that both count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CLASS_REF = "classRef"


def class_ref_key(app_logic: Mapping[Any, Any]) -> str | None:
    """The key under which `appLogic` names its model class ("classRef" in any letter
    case; the exact spelling first), or None."""
    if CLASS_REF in app_logic:
        return CLASS_REF
    for key in app_logic:
        if isinstance(key, str) and key.lower() == "classref":
            return key
    return None


def class_ref(data_type: Any) -> Any:
    """A dataType entry's `appLogic.classRef` value (any letter case), or None."""
    logic = data_type.get("appLogic") if isinstance(data_type, dict) else None
    if not isinstance(logic, dict):
        return None
    key = class_ref_key(logic)
    return logic[key] if key is not None else None
