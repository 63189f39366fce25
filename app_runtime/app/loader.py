"""Reading an Altinn 3 app folder into typed, lazily loaded objects.

Nothing from the app is executed. Every file is read through `App.json` / `App.xml`, which
refuse paths resolving outside the app folder (symlinks) and turn any problem (bad JSON,
bad encoding, unsafe XML, empty or oversized files) into a Finding in `App.load_findings`
instead of raising. Only a folder that is not an app at all raises `AppLoadError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from app_runtime.app.datatypes import class_ref
from app_runtime.app.filesystem import AppFiles, read_head, suffix_and_stem
from app_runtime.app.model import LayoutSet, ModelFiles, indexed_pointers
from schemas.diagnostics import LocatedError, Location
from schemas.sourcemap import JsonDocument

BPMN_TASK_TAGS = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "scriptTask",
        "manualTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
    }
)

T = TypeVar("T")

MAX_CODE_FILES = 2000
MAX_CODE_BYTES = 1024 * 1024


class AppLoadError(LocatedError):
    """The folder is not an Altinn app at all (no `App/` folder); `studio validate` exits 2."""


def load_app(path: str | os.PathLike[str]) -> App:
    """Open an app folder (the one holding `App/`, or `App/` itself). Raises AppLoadError."""
    given = Path(os.path.abspath(path))  # absolute, symlinks kept: relpath() needs it
    shown = str(path)
    if not given.exists():
        raise AppLoadError("folder does not exist", Location(shown), "check the path you passed")
    if not given.is_dir():
        raise AppLoadError(
            "not a folder", Location(shown), "pass the app folder (the one containing App/)"
        )
    root = given
    if not (given / "App").is_dir():
        looks_like_app_dir = given.name == "App" and any(
            (given / part).is_dir() for part in ("config", "ui", "models")
        )
        if not looks_like_app_dir:
            raise AppLoadError(
                "not an Altinn app: there is no App/ folder",
                Location(shown),
                "pass the folder that contains App/ (with App/config/applicationmetadata.json)",
            )
        root = given.parent
    return App(root)


class App(AppFiles):
    """An Altinn 3 app on disk. Properties load on first use and are cached."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._text_cache: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        self._memo: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"App({str(self.root)!r})"

    # ------------------------------------------------------------------ config files
    @cached_property
    def metadata_path(self) -> Path:
        return self.app_dir / "config" / "applicationmetadata.json"

    @cached_property
    def metadata(self) -> JsonDocument | None:
        """App/config/applicationmetadata.json."""
        return self.json(self.metadata_path)

    @cached_property
    def data_types(self) -> list[dict[str, Any]]:
        """metadata.dataTypes entries that are objects (empty when metadata is unusable)."""
        data = self.metadata.data if self.metadata else None
        types = data.get("dataTypes") if isinstance(data, dict) else None
        return [t for t in types if isinstance(t, dict)] if isinstance(types, list) else []

    @cached_property
    def appsettings(self) -> JsonDocument | None:
        return self.json(self.app_dir / "appsettings.json")

    @cached_property
    def frontend_settings(self) -> dict[str, Any]:
        """appsettings.json FrontEndSettings (read by the `frontendSettings` expression)."""
        data = self.appsettings.data if self.appsettings else None
        value = data.get("FrontEndSettings") if isinstance(data, dict) else None
        return dict(value) if isinstance(value, dict) else {}

    @cached_property
    def process_path(self) -> Path | None:
        path = self.app_dir / "config" / "process" / "process.bpmn"
        return path if path.is_file() or path.is_symlink() else None

    @cached_property
    def policy_path(self) -> Path | None:
        path = self.app_dir / "config" / "authorization" / "policy.xml"
        return path if path.is_file() or path.is_symlink() else None

    @cached_property
    def process_tasks(self) -> dict[str, str]:
        """Task id -> Altinn task type ("" if none) from process.bpmn (empty if unusable)."""
        if self.process_path is None:
            return {}
        tree = self.xml(self.process_path)
        if tree is None:
            return {}
        tasks: dict[str, str] = {}
        for element in tree.getroot().iter():
            tag = element.tag
            if not isinstance(tag, str):
                continue
            local = tag.rsplit("}", 1)[-1]
            if local not in BPMN_TASK_TAGS:
                continue
            task_id = element.get("id")
            if not task_id:
                continue
            task_type = ""
            for key, value in element.attrib.items():
                if key.rsplit("}", 1)[-1].lower() == "tasktype":
                    task_type = value
            for child in element.iter():
                ctag = child.tag
                if isinstance(ctag, str) and ctag.rsplit("}", 1)[-1] == "taskType":
                    task_type = (child.text or "").strip() or task_type
                    break
            tasks[task_id] = task_type
        return tasks

    # ------------------------------------------------------------------ texts and options
    @cached_property
    def _text_entries(self) -> list[tuple[str, str, str]]:
        """(language, relative path, absolute path) of each resource.<lang>.json, by name."""
        out: list[tuple[str, str, str]] = []
        for entry in self._scan(os.fspath(self.app_dir / "config" / "texts")):
            name = entry.name
            if name.startswith("resource.") and name.endswith(".json"):
                language = name[len("resource.") : -len(".json")]
                if language and "." not in language:
                    out.append((language, self.relpath(entry.path), entry.path))
        return out

    @cached_property
    def texts(self) -> dict[str, JsonDocument]:
        """Language -> App/config/texts/resource.<lang>.json (only files that parsed)."""
        out: dict[str, JsonDocument] = {}
        for language, name, text in self._text_entries:
            document = self._json_at(name, text)
            if document is not None:
                out[language] = document
        return out

    @cached_property
    def text_files(self) -> dict[str, str]:
        """Language -> relative path of its resource file (parsed or not)."""
        return {language: name for language, name, _ in self._text_entries}

    def text_resources(self, language: str) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text id -> (JSON pointer, resource entry) for one language (first entry wins)."""
        cached = self._text_cache.get(language)
        if cached is not None:
            return cached
        document = self.texts.get(language)
        data = document.data if document else None
        resources = data.get("resources") if isinstance(data, dict) else None
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        if isinstance(resources, list):
            for pointer, entry in zip(
                indexed_pointers("/resources", len(resources)), resources, strict=False
            ):
                if isinstance(entry, dict):
                    text_id = entry.get("id")
                    if isinstance(text_id, str) and text_id not in out:
                        out[text_id] = (pointer, entry)
        self._text_cache[language] = out
        return out

    @cached_property
    def _option_entries(self) -> list[tuple[str, str, os.DirEntry[str]]]:
        """(options id, relative path, entry) of each App/options/*.json, by name."""
        out: list[tuple[str, str, os.DirEntry[str]]] = []
        for entry in self._scan(os.fspath(self.app_dir / "options")):
            suffix, stem = suffix_and_stem(entry.name)
            if suffix == ".json":
                out.append((stem, self.relpath(entry.path), entry))
        return out

    @cached_property
    def options(self) -> dict[str, JsonDocument]:
        """Options id -> App/options/<id>.json (only files that parsed)."""
        out: dict[str, JsonDocument] = {}
        for stem, name, entry in self._option_entries:
            if entry.is_file():
                document = self._json_at(name, entry.path)
                if document is not None:
                    out[stem] = document
        return out

    @cached_property
    def option_files(self) -> dict[str, str]:
        """Options id -> relative path, for every options file on disk."""
        return {stem: name for stem, name, _ in self._option_entries}

    # ------------------------------------------------------------------ models
    @cached_property
    def models(self) -> list[ModelFiles]:
        """One entry per model name found in App/models (schema, XSD, validation, prefill)."""
        suffixes = {
            ".schema.json": "schema_path",
            ".xsd": "xsd_path",
            ".validation.json": "validation_path",
            ".prefill.json": "prefill_path",
            ".metadata.json": "metadata_path",
        }
        found: dict[str, dict[str, Path]] = {}
        for entry in self._listdir(self.app_dir / "models"):
            for suffix, attribute in suffixes.items():
                if entry.name.endswith(suffix) and len(entry.name) > len(suffix):
                    found.setdefault(entry.name[: -len(suffix)], {})[attribute] = entry
                    break
        return [ModelFiles(name, **files) for name, files in sorted(found.items())]

    def model(self, name: str) -> ModelFiles | None:
        for model in self.models:
            if model.name == name:
                return model
        return None

    def model_for_data_type(self, data_type: str) -> ModelFiles | None:
        """The model files of a dataType: its classRef's last segment, else its id."""
        for entry in self.data_types:
            if entry.get("id") != data_type:
                continue
            reference = class_ref(entry)
            if isinstance(reference, str) and reference:
                found = self.model(reference.rsplit(".", 1)[-1])
                if found is not None:
                    return found
        return self.model(data_type)

    # ------------------------------------------------------------------ UI
    @cached_property
    def ui_dir(self) -> Path:
        return self.app_dir / "ui"

    @cached_property
    def footer(self) -> JsonDocument | None:
        return self.json(self.ui_dir / "footer.json")

    @cached_property
    def layout_sets_path(self) -> Path | None:
        path = self.ui_dir / "layout-sets.json"
        return path if path.exists() or path.is_symlink() else None

    @cached_property
    def layout_sets_document(self) -> JsonDocument | None:
        return self.json(self.layout_sets_path) if self.layout_sets_path else None

    @cached_property
    def convention(self) -> str:
        """How the UI is laid out: "layout-sets", "task-folders", "single" or "none"."""
        if not self.ui_dir.is_dir() or not self._safe(self.ui_dir):
            return "none"
        if self.layout_sets_path is not None:
            return "layout-sets"
        if self._child(self.ui_dir, "layouts").is_dir():
            return "single"
        if any(self._is_set_folder(p) for p in self._listdir(self.ui_dir)):
            return "task-folders"
        return "none"

    @cached_property
    def global_settings(self) -> JsonDocument | None:
        """v9 App/ui/Settings.json (global page settings), or layout-sets.json uiSettings' file.

        In the "single" convention App/ui/Settings.json belongs to the one layout set instead.
        """
        if self.convention in ("single", "layout-sets"):
            return None
        path = self.ui_dir / "Settings.json"
        return self.json(path) if path.exists() or path.is_symlink() else None

    def _is_set_folder(self, path: Path) -> bool:
        return path.is_dir() and (
            self._child(path, "layouts").is_dir() or self._child(path, "Settings.json").is_file()
        )

    @cached_property
    def layout_sets(self) -> list[LayoutSet]:
        """Every layout set, in declaration order (v8) or folder-name order (v9)."""
        if self.convention == "layout-sets":
            return self._sets_from_file()
        if self.convention == "single":
            return [self._build_set("", self.ui_dir, None, [], "single", None, "", None)]
        if self.convention == "task-folders":
            return self._sets_from_folders()
        return []

    def layout_set(self, set_id: str) -> LayoutSet | None:
        for layout_set in self.layout_sets:
            if layout_set.id == set_id:
                return layout_set
        return None

    def layout_set_for_task(self, task_id: str) -> LayoutSet | None:
        for layout_set in self.layout_sets:
            if task_id in layout_set.tasks:
                return layout_set
        return None

    def _sets_from_file(self) -> list[LayoutSet]:
        document = self.layout_sets_document
        data = document.data if document else None
        sets = data.get("sets") if isinstance(data, dict) else None
        if not isinstance(sets, list):
            return []
        declared_in = self.relpath(self.layout_sets_path) if self.layout_sets_path else None
        out: list[LayoutSet] = []
        for index, entry in enumerate(sets):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            set_id = entry["id"]
            if not set_id or "/" in set_id or "\\" in set_id or set_id in (".", ".."):
                continue
            tasks = entry.get("tasks")
            task_list = [t for t in tasks if isinstance(t, str)] if isinstance(tasks, list) else []
            data_type = entry.get("dataType")
            set_type = entry.get("type")
            out.append(
                self._build_set(
                    set_id,
                    self.ui_dir / set_id,
                    data_type if isinstance(data_type, str) else None,
                    task_list,
                    "layout-sets",
                    declared_in,
                    f"/sets/{index}",
                    set_type if isinstance(set_type, str) else None,
                )
            )
        return out

    def _sets_from_folders(self) -> list[LayoutSet]:
        tasks = self.process_tasks
        out: list[LayoutSet] = []
        for folder in self._listdir(self.ui_dir):
            if not self._is_set_folder(folder):
                continue
            task_list = [folder.name] if folder.name in tasks else []
            out.append(
                self._build_set(folder.name, folder, None, task_list, "task-folder", None, "", None)
            )
        return out

    def _build_set(
        self,
        set_id: str,
        folder: Path,
        data_type: str | None,
        tasks: list[str],
        convention: str,
        declared_in: str | None,
        declared_pointer: str,
        set_type: str | None,
    ) -> LayoutSet:
        settings_file = self._child(folder, "Settings.json")
        settings = self.json(settings_file) if settings_file.is_file() else None
        settings_data = settings.data if settings and isinstance(settings.data, dict) else {}
        source = "layout-sets.json" if data_type else ""
        if data_type is None:
            default = settings_data.get("defaultDataType")
            if isinstance(default, str) and default:
                data_type, source = default, "Settings.json"
            elif convention != "layout-sets":
                data_type = self._fallback_data_type()
                source = "applicationmetadata.json" if data_type else ""
        if set_type is None and isinstance(settings_data.get("type"), str):
            set_type = settings_data["type"]
        order, order_pointers = _declared_order(settings_data)
        page_files: dict[str, str] = {}
        page_paths: dict[str, str] = {}
        for entry in self._scan(os.fspath(self._child(folder, "layouts"))):
            suffix, stem = suffix_and_stem(entry.name)
            if suffix.lower() == ".json" and not entry.is_dir():
                page_files[stem] = self.relpath(entry.path)
                page_paths[stem] = entry.path
        declared = set(order)
        ordered = [p for p in order if p in page_files]
        ordered += [p for p in sorted(page_files) if p not in declared]
        rules_file = self._child(folder, "RuleConfiguration.json")
        pages: dict[str, JsonDocument] = {}
        for page_id in dict.fromkeys(ordered):
            document = self._json_at(page_files[page_id], page_paths[page_id])
            if document is not None:
                pages[page_id] = document
        return LayoutSet(
            id=set_id,
            data_type=data_type,
            tasks=tasks,
            folder=folder,
            settings=settings,
            pages=pages,
            page_files=page_files,
            order=order,
            order_pointers=order_pointers,
            convention=convention,
            type=set_type,
            settings_path=self.relpath(settings_file) if settings_file.is_file() else None,
            declared_in=declared_in,
            declared_pointer=declared_pointer,
            data_type_source=source,
            rule_configuration_path=self.relpath(rules_file) if rules_file.is_file() else None,
        )

    def _fallback_data_type(self) -> str | None:
        """No declared data type: the first dataType with appLogic.classRef, as Altinn's
        backend does (AppResourcesSI)."""
        for entry in self.data_types:
            if isinstance(entry.get("id"), str) and class_ref(entry):
                return str(entry["id"])
        return None

    # ------------------------------------------------------------------ app code (read only)
    @cached_property
    def code_files(self) -> list[Path]:
        """C# sources of the app (App/**/*.cs, without bin/obj), read as text, never run.

        Checks use them only to see whether the app's own code mentions an id (for example
        an options id provided by an IAppOptionsProvider)."""
        found: list[str] = []
        stack = [(os.fspath(self.app_dir), False)]
        while stack and len(found) < MAX_CODE_FILES:
            folder, checked = stack.pop()
            for entry in self._scan(folder, checked=checked):
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if entry.name not in ("bin", "obj", "node_modules", "wwwroot", ".git"):
                        # A real subfolder of a folder inside the app is inside it too.
                        stack.append((entry.path, True))
                elif suffix_and_stem(entry.name)[0] == ".cs":
                    found.append(entry.path)
        return sorted(Path(path) for path in found)

    @cached_property
    def code_text(self) -> str:
        """All app C# sources concatenated (each capped), for `mentioned_in_code`."""
        parts: list[str] = []
        for path in self.code_files:
            try:  # never a pipe or device: reading one could wait forever
                parts.append(read_head(os.fspath(path), MAX_CODE_BYTES).decode("utf-8", "replace"))
            except OSError:
                continue
        return "\n".join(parts)

    def mentioned_in_code(self, literal: str) -> bool:
        """True when the app's C# code contains `literal` as a string literal."""
        return f'"{literal}"' in self.code_text

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """A per-app memo for derived data several checks share (model trees, indexes):
        `build()` runs once per key for this App."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def reuse_parsed(self, previous: App, changed: set[str]) -> None:
        """Take over `previous`'s parsed JSON files and their load findings, except for the
        relative paths in `changed` (the designer re-validates after each edit this way)."""
        for name, document in previous._json_cache.items():
            if name not in changed and name not in self._json_cache:
                self._json_cache[name] = document
        for finding in previous._findings:
            if finding.location.file not in changed:
                self._report(finding)

    def load_everything(self) -> None:
        """Touch every lazy property so that all load findings are known."""
        _ = (self.metadata, self.appsettings, self.footer, self.global_settings)
        _ = (self.layout_sets, self.texts, self.options, self.models)
        for model in self.models:
            for path in (model.schema_path, model.validation_path, model.prefill_path):
                if path is not None:
                    self.json(path)
            if model.xsd_path is not None:
                self.xml(model.xsd_path)
        _ = self.process_tasks
        if self.policy_path is not None:
            self.xml(self.policy_path)


def _declared_order(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Page order from Settings.json: pages.order, else the concatenated pages.groups orders."""
    pages = settings.get("pages")
    if not isinstance(pages, dict):
        return [], {}
    order: list[str] = []
    pointers: dict[str, str] = {}
    raw = pages.get("order")
    if isinstance(raw, list):
        for index, name in enumerate(raw):
            if isinstance(name, str):
                order.append(name)
                pointers.setdefault(name, f"/pages/order/{index}")
        return order, pointers
    groups = pages.get("groups")
    if isinstance(groups, list):
        for group_index, group in enumerate(groups):
            items = group.get("order") if isinstance(group, dict) else None
            if isinstance(items, list):
                for index, name in enumerate(items):
                    if isinstance(name, str):
                        order.append(name)
                        pointers.setdefault(name, f"/pages/groups/{group_index}/order/{index}")
    return order, pointers
