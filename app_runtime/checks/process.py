"""`studio validate` checks for the BPMN process and the app files that name its tasks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from app_runtime.checks.registry import check
from app_runtime.process import checks as rules
from app_runtime.process.checks import AppReferences, Reference, check_document
from app_runtime.process.reader import ProcessReadError, read_process_bytes
from schemas.diagnostics import Finding, LocatedError, Location
from schemas.xmlsafe import parse_xml_bytes

if TYPE_CHECKING:
    from app_runtime.app import App

_ALL_RULES = tuple(value for value in vars(rules).values() if type(value).__name__ == "Rule")

_XACML_VALUE = "AttributeValue"
_XACML_DESIGNATOR = "AttributeDesignator"


@check("process", *_ALL_RULES)
def process_checks(app: App) -> Iterator[Finding]:
    """Read process.bpmn and check it together with layout sets, data types and the policy."""
    path = app.process_path
    if path is None:
        return
    name = app.relpath(path)
    try:
        document = read_process_bytes(path.read_bytes(), name)
    except OSError as exc:
        yield rules.UNREADABLE.finding(f"cannot read process.bpmn: {exc.strerror}", Location(name))
        return
    except (ProcessReadError, LocatedError) as exc:
        yield rules.UNREADABLE.finding(exc.message, exc.location or Location(name), exc.hint)
        return
    yield from check_document(document, collect_references(app))


def collect_references(app: App) -> AppReferences:
    """Task ids named by layout sets, data types and the policy, with where they are named."""
    refs = AppReferences()
    for layout_set in app.layout_sets:
        if layout_set.convention != "layout-sets":
            continue
        for index, task in enumerate(layout_set.tasks):
            file = layout_set.declared_in or "App/ui/layout-sets.json"
            pointer = f"{layout_set.declared_pointer}/tasks/{index}"
            refs.layout_set_tasks.append(
                Reference(task, _json_location(app, file, pointer), layout_set.id)
            )
    metadata = app.metadata
    data = metadata.data if metadata is not None else None
    types = data.get("dataTypes") if isinstance(data, dict) else None
    if isinstance(types, list):
        refs.data_type_ids = set()
        for index, entry in enumerate(types):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("id"), str):
                refs.data_type_ids.add(entry["id"])
            task = entry.get("taskId")
            if isinstance(task, str) and task:
                pointer = f"/dataTypes/{index}/taskId"
                location = Location(metadata.name, pointer) if metadata else Location("")
                if metadata is not None:
                    line, column = _safe_position(metadata, pointer)
                    location = Location(metadata.name, pointer, line, column)
                refs.data_type_tasks.append(Reference(task, location, str(entry.get("id"))))
    if app.policy_path is not None:
        _policy_references(app, refs)
    return refs


def _json_location(app: App, file: str, pointer: str) -> Location:
    try:
        document = app.json(file)
    except LocatedError:
        document = None
    if document is None:
        return Location(file, pointer)
    line, column = _safe_position(document, pointer)
    return Location(document.name, pointer, line, column)


def _safe_position(document: Any, pointer: str) -> tuple[int | None, int | None]:
    try:
        location = document.location(pointer)
    except (KeyError, ValueError, LookupError):
        return None, None
    return location.line, location.column


def _policy_references(app: App, refs: AppReferences) -> None:
    """urn:altinn:task / urn:altinn:end-event values from the policy's Match elements."""
    path = app.policy_path
    assert path is not None
    name = app.relpath(path)
    try:
        tree = parse_xml_bytes(path.read_bytes(), name)
    except (OSError, LocatedError):
        return  # the policy checks report unreadable policies
    for match in tree.getroot().iter("{*}Match"):
        value = designator = None
        for child in match:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.endswith("}" + _XACML_VALUE) or tag == _XACML_VALUE:
                value = child
            elif tag.endswith("}" + _XACML_DESIGNATOR) or tag == _XACML_DESIGNATOR:
                designator = child
        if value is None or designator is None:
            continue
        attribute = (designator.get("AttributeId") or "").strip()
        text = (value.text or "").strip()
        rule = _rule_id(match)
        location = Location(name, "", value.sourceline, None)
        if attribute == "urn:altinn:task" and text:
            refs.policy_tasks.append(Reference(text, location, rule))
        elif attribute == "urn:altinn:end-event" and text:
            refs.policy_end_events.append(Reference(text, location, rule))


def _rule_id(element: Any) -> str:
    current = element
    while current is not None:
        tag = current.tag if isinstance(current.tag, str) else ""
        if tag.endswith("}Rule") or tag == "Rule":
            return str(current.get("RuleId") or "")
        current = current.getparent()
    return ""
