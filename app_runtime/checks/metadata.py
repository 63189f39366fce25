"""Metadata and cross-file checks (META): applicationmetadata.json against the models, the
process and the layout sets.

Task ids come from process.bpmn read with the hardened parser (`App.process_tasks`); when the
process is missing or unreadable the task checks are skipped rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from app_runtime.app import App
from app_runtime.app.datatypes import class_ref as class_ref_of
from app_runtime.app.datatypes import class_ref_key
from app_runtime.checks.registry import check
from schemas.diagnostics import Finding, Location, Severity, define_rule

MISSING_METADATA = define_rule(
    "META001",
    "missing-metadata",
    Severity.ERROR,
    "App/config/applicationmetadata.json is missing.",
)
MISSING_MODEL = define_rule(
    "META002",
    "data-type-without-model",
    Severity.ERROR,
    "A dataType with appLogic.classRef has no model files (.schema.json / .xsd) in App/models.",
)
UNKNOWN_TASK = define_rule(
    "META003",
    "data-type-unknown-task",
    Severity.ERROR,
    "A dataType's taskId names a task that process.bpmn does not have.",
)
SET_UNKNOWN_TASK = define_rule(
    "META004",
    "layout-set-unknown-task",
    Severity.ERROR,
    "A layout set is bound to a task that process.bpmn does not have.",
)
SET_UNKNOWN_DATA_TYPE = define_rule(
    "META005",
    "layout-set-unknown-data-type",
    Severity.ERROR,
    "A layout set's data type is not a dataType in applicationmetadata.json.",
)
TASK_TWO_SETS = define_rule(
    "META006",
    "task-in-two-layout-sets",
    Severity.ERROR,
    "Two layout sets are bound to the same task; Altinn uses only one.",
)
MISSING_PROCESS = define_rule(
    "META007",
    "missing-process",
    Severity.WARNING,
    "App/config/process/process.bpmn is missing; the app cannot run without a process.",
)
DUPLICATE_DATA_TYPE = define_rule(
    "META008", "duplicate-data-type", Severity.ERROR, "Two dataTypes share an id."
)
BAD_APP_ID = define_rule(
    "META009",
    "application-id",
    Severity.WARNING,
    "The application id is not '<org>/<app>' matching the org property.",
)
DUPLICATE_SET = define_rule(
    "META010", "duplicate-layout-set", Severity.ERROR, "Two layout sets share an id."
)

ON_ENTRY = define_rule(
    "META011",
    "on-entry-unknown",
    Severity.ERROR,
    "onEntry.show is neither select-instance/new-instance nor an existing layout set.",
)
NAVIGATION_TASK = define_rule(
    "META012",
    "task-navigation-unknown-task",
    Severity.WARNING,
    "taskNavigation names a task that process.bpmn does not have.",
)

SET_NOT_FORM_TYPE = define_rule(
    "META013",
    "layout-set-data-type-not-form",
    Severity.ERROR,
    "A layout set's data type has no appLogic.classRef, so it is not a form data model.",
)

SUBFORM_SET = define_rule(
    "META014",
    "subform-unknown-layout-set",
    Severity.ERROR,
    "A Subform component names a layout set that does not exist.",
)

SPECIAL_TASKS = frozenset({"CustomReceipt"})
"""Task ids the platform gives meaning without a BPMN task (v8's custom receipt layout set)."""

METADATA_RULES = (
    MISSING_METADATA,
    MISSING_MODEL,
    UNKNOWN_TASK,
    SET_UNKNOWN_TASK,
    SET_UNKNOWN_DATA_TYPE,
    TASK_TWO_SETS,
    MISSING_PROCESS,
    DUPLICATE_DATA_TYPE,
    BAD_APP_ID,
    DUPLICATE_SET,
    ON_ENTRY,
    NAVIGATION_TASK,
    SET_NOT_FORM_TYPE,
    SUBFORM_SET,
)


def _metadata_file(app: App) -> str:
    return app.relpath(app.metadata_path)


@check("metadata", MISSING_METADATA, MISSING_PROCESS, BAD_APP_ID, DUPLICATE_DATA_TYPE)
def check_metadata_basics(app: App) -> Iterator[Finding]:
    """The metadata and process files exist; the id and dataType ids are well formed."""
    file = _metadata_file(app)
    if not app.metadata_path.exists() and not app.metadata_path.is_symlink():
        yield MISSING_METADATA.finding(
            "the app has no applicationmetadata.json",
            Location(file),
            "create it (`studio new` writes a complete one)",
        )
    if app.process_path is None and app.metadata is not None:
        yield MISSING_PROCESS.finding(
            "the app has no process.bpmn",
            Location("App/config/process/process.bpmn"),
            "add a process with at least one data task (`studio new` writes one)",
        )
    data = app.metadata.data if app.metadata else None
    if not isinstance(data, dict):
        return
    app_id, org = data.get("id"), data.get("org")
    if isinstance(app_id, str) and isinstance(org, str):
        parts = app_id.split("/")
        if len(parts) != 2 or not all(parts) or parts[0] != org:
            yield BAD_APP_ID.finding(
                f"application id {app_id!r} is not '<org>/<app>' with org {org!r}",
                Location(file, "/id"),
                f'write "id": "{org}/<app name>"',
            )
    seen: set[str] = set()
    for index, entry in _data_types_with_index(app):
        type_id = entry.get("id")
        if not isinstance(type_id, str):
            continue
        if type_id in seen:
            yield DUPLICATE_DATA_TYPE.finding(
                f"dataType id {type_id!r} is used twice",
                Location(file, f"/dataTypes/{index}/id"),
                "rename or remove one of them",
            )
        seen.add(type_id)


def _data_types_with_index(app: App) -> Iterator[tuple[int, dict]]:
    data = app.metadata.data if app.metadata else None
    types = data.get("dataTypes") if isinstance(data, dict) else None
    if isinstance(types, list):
        for index, entry in enumerate(types):
            if isinstance(entry, dict):
                yield index, entry


@check("metadata", MISSING_MODEL, UNKNOWN_TASK)
def check_data_types(app: App) -> Iterator[Finding]:
    """Form dataTypes have model files; every taskId is a task of the process."""
    file = _metadata_file(app)
    tasks = app.process_tasks
    have_process = app.process_path is not None and app.xml(app.process_path) is not None
    for index, entry in _data_types_with_index(app):
        type_id = entry.get("id")
        logic = entry.get("appLogic")
        key = class_ref_key(logic) if isinstance(logic, dict) else None
        class_ref = logic[key] if key is not None else None  # type: ignore[index]
        if isinstance(type_id, str) and isinstance(class_ref, str) and class_ref:
            model = app.model_for_data_type(type_id)
            if model is None or (model.schema_path is None and model.xsd_path is None):
                class_name = class_ref.rsplit(".", 1)[-1]
                yield MISSING_MODEL.finding(
                    f"dataType {type_id!r} (class {class_ref}) has no model files",
                    Location(file, f"/dataTypes/{index}/appLogic/{key}"),
                    f"add App/models/{class_name}.schema.json and .xsd (the data-model editor "
                    "writes both)",
                )
        task_id = entry.get("taskId")
        if have_process and isinstance(task_id, str) and task_id and task_id not in tasks:
            yield UNKNOWN_TASK.finding(
                f"dataType {type_id!r} is bound to task {task_id!r}, which the process lacks",
                Location(file, f"/dataTypes/{index}/taskId"),
                _task_hint(task_id, tasks),
            )


def _task_hint(task_id: str, tasks: dict[str, str]) -> str:
    import difflib

    close = difflib.get_close_matches(task_id, list(tasks), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    known = ", ".join(sorted(tasks)) or "none"
    return f"the process has these tasks: {known}"


@check(
    "metadata",
    SET_UNKNOWN_TASK,
    SET_UNKNOWN_DATA_TYPE,
    TASK_TWO_SETS,
    DUPLICATE_SET,
    SET_NOT_FORM_TYPE,
    SUBFORM_SET,
)
def check_layout_sets(app: App) -> Iterator[Finding]:
    """Layout sets name tasks the process has and dataTypes the metadata has."""
    tasks = app.process_tasks
    have_process = app.process_path is not None and app.xml(app.process_path) is not None
    data_type_ids = {t.get("id") for t in app.data_types}
    form_types = {t.get("id") for t in app.data_types if class_ref_of(t)}
    owner: dict[str, str] = {}
    seen_sets: set[str] = set()
    for layout_set in app.layout_sets:
        declared = layout_set.declared_in
        base = layout_set.declared_pointer
        if declared and layout_set.id in seen_sets:
            yield DUPLICATE_SET.finding(
                f"layout set id {layout_set.id!r} is used twice",
                Location(declared, f"{base}/id"),
                "give each layout set its own id and folder",
            )
        seen_sets.add(layout_set.id)
        for index, task_id in enumerate(layout_set.tasks):
            where = Location(declared or "", f"{base}/tasks/{index}")
            if have_process and task_id not in tasks and task_id not in SPECIAL_TASKS:
                yield SET_UNKNOWN_TASK.finding(
                    f"layout set {layout_set.id!r} is bound to task {task_id!r}, which the "
                    "process lacks",
                    where,
                    _task_hint(task_id, tasks),
                )
            if task_id in owner and owner[task_id] != layout_set.id:
                yield TASK_TWO_SETS.finding(
                    f"task {task_id!r} is bound to layout sets {owner[task_id]!r} and "
                    f"{layout_set.id!r}",
                    where,
                    "bind each task to one layout set",
                )
            owner.setdefault(task_id, layout_set.id)
        data_type = layout_set.data_type
        if data_type is None or app.metadata is None or not app.data_types:
            continue
        if layout_set.data_type_source == "layout-sets.json" and declared:
            location = Location(declared, f"{base}/dataType")
        else:
            location = Location(layout_set.settings_path or "", "/defaultDataType")
        if data_type in data_type_ids and data_type not in form_types:
            yield SET_NOT_FORM_TYPE.finding(
                f"layout set {layout_set.id or '(default)'!r} uses data type {data_type!r}, "
                "which has no appLogic.classRef (it is an attachment type, not a form model)",
                location,
                "use the id of a dataType with appLogic.classRef",
            )
        if data_type not in data_type_ids:
            yield SET_UNKNOWN_DATA_TYPE.finding(
                f"layout set {layout_set.id or '(default)'!r} uses data type {data_type!r}, "
                "which applicationmetadata.json does not define",
                location,
                _data_type_hint(data_type, data_type_ids),
            )


def _data_type_hint(data_type: str, known: set[object]) -> str:
    names = sorted(str(t) for t in known if isinstance(t, str))
    for name in names:
        if name.lower() == data_type.lower():
            return f"did you mean {name!r}? (data type ids are case-sensitive)"
    return "add the dataType to applicationmetadata.json or use one of: " + (
        ", ".join(names) or "none"
    )


@check("metadata", ON_ENTRY, NAVIGATION_TASK)
def check_entry_and_navigation(app: App) -> Iterator[Finding]:
    """onEntry names a known screen; taskNavigation names tasks of the process."""
    data = app.metadata.data if app.metadata else None
    on_entry = data.get("onEntry") if isinstance(data, dict) else None
    show = on_entry.get("show") if isinstance(on_entry, dict) else None
    set_ids = {s.id for s in app.layout_sets}
    entry_screens = ("select-instance", "new-instance", *set_ids)
    if isinstance(show, str) and show not in entry_screens:
        yield ON_ENTRY.finding(
            f"onEntry.show is {show!r}, which is no layout set",
            Location(_metadata_file(app), "/onEntry/show"),
            'use "select-instance", "new-instance" or the id of a stateless layout set',
        )
    have_process = app.process_path is not None and app.xml(app.process_path) is not None
    if not have_process:
        return
    tasks = app.process_tasks
    sources = []
    if app.global_settings is not None:
        sources.append((app.global_settings, "/taskNavigation"))
    if app.layout_sets_document is not None:
        sources.append((app.layout_sets_document, "/uiSettings/taskNavigation"))
    for document, base in sources:
        node = document.data
        for part in base.strip("/").split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, list):
            continue
        for index, entry in enumerate(node):
            task_id = entry.get("taskId") if isinstance(entry, dict) else None
            if isinstance(task_id, str) and task_id not in tasks:
                yield NAVIGATION_TASK.finding(
                    f"taskNavigation names task {task_id!r}, which the process lacks",
                    Location(document.name, f"{base}/{index}/taskId"),
                    _task_hint(task_id, tasks),
                )


@check("metadata", SUBFORM_SET)
def check_subform_targets(app: App) -> Iterator[Finding]:
    """Subform components point at an existing layout set (not at their own)."""
    set_ids = {s.id for s in app.layout_sets}
    for layout_set in app.layout_sets:
        for page, pointer, component in layout_set.components():
            if component.get("type") != "Subform":
                continue
            target = component.get("layoutSet")
            if not isinstance(target, str):
                continue
            file = layout_set.page_files[page]
            if target not in set_ids:
                yield SUBFORM_SET.finding(
                    f"Subform {component.get('id')!r} names layout set {target!r}, which does "
                    "not exist",
                    Location(file, f"{pointer}/layoutSet"),
                    "use one of: " + (", ".join(sorted(i for i in set_ids if i)) or "none"),
                )
            elif target == layout_set.id:
                yield SUBFORM_SET.finding(
                    f"Subform {component.get('id')!r} names its own layout set {target!r}",
                    Location(file, f"{pointer}/layoutSet"),
                    "point it at the subform's own layout set",
                )
