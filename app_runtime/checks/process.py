"""`studio validate` checks for the BPMN process and the data types its configuration names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from app_runtime.checks.registry import check
from app_runtime.process import checks as rules
from app_runtime.process.checks import AppReferences, check_document
from app_runtime.process.reader import ProcessReadError, read_process_bytes
from schemas.diagnostics import Finding, LocatedError, Location

if TYPE_CHECKING:
    from app_runtime.app import App

_ALL_RULES = tuple(value for value in vars(rules).values() if type(value).__name__ == "Rule")


@check("process", *_ALL_RULES)
def process_checks(app: App) -> Iterator[Finding]:
    """Read process.bpmn and check it, and the data types its task configurations name."""
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
    """The data type ids the app declares (process configs must name existing ones)."""
    refs = AppReferences()
    metadata = app.metadata
    data = metadata.data if metadata is not None else None
    types = data.get("dataTypes") if isinstance(data, dict) else None
    if isinstance(types, list):
        refs.data_type_ids = {
            entry["id"]
            for entry in types
            if isinstance(entry, dict) and isinstance(entry.get("id"), str)
        }
    return refs
