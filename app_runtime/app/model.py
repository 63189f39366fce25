"""Plain data classes the loader hands out: layout sets and data-model file groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.sourcemap import JsonDocument


@dataclass(slots=True)
class LayoutSet:
    """One layout set: a folder of pages shown for some process tasks (or a subform).

    `pages` holds the parsed pages in display order (Settings.json order first, then any
    other page files by name). `page_files` maps every page id found on disk to its relative
    path, including pages whose JSON did not parse (they are missing from `pages`).
    `order` is the page order exactly as Settings.json declares it (may name missing pages).
    `convention` is "layout-sets" (v8 layout-sets.json), "task-folder" (v9) or "single"
    (only App/ui/layouts/). `declared_in` is the file that declared the set, if any.
    """

    id: str
    data_type: str | None
    tasks: list[str]
    folder: Path
    settings: JsonDocument | None
    pages: dict[str, JsonDocument]
    page_files: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    order_pointers: dict[str, str] = field(default_factory=dict)
    convention: str = "layout-sets"
    type: str | None = None
    settings_path: str | None = None
    declared_in: str | None = None
    declared_pointer: str = ""
    data_type_source: str = ""
    rule_configuration_path: str | None = None
    """Legacy (v8) RuleConfiguration.json beside the pages, if present."""
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Per-set memo for derived indexes that several checks share (built on first use)."""

    def page_path(self, page_id: str) -> str | None:
        """Relative path of a page file (for Location.file)."""
        return self.page_files.get(page_id)

    def components(self) -> list[tuple[str, str, dict]]:
        """Every component dict in the set as (page id, JSON pointer, component); cached."""
        cached = self.cache.get("components")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        out: list[tuple[str, str, dict]] = []
        for page_id, document in self.pages.items():
            data = document.data
            if not isinstance(data, dict):
                continue
            inner = data.get("data")
            layout = inner.get("layout") if isinstance(inner, dict) else None
            if not isinstance(layout, list):
                continue
            pointers = indexed_pointers("/data/layout", len(layout))
            out += [
                (page_id, pointer, component)
                for pointer, component in zip(pointers, layout, strict=False)
                if isinstance(component, dict)
            ]
        self.cache["components"] = out
        return out


_POINTERS: dict[str, list[str]] = {}
"""Per array pointer, `<array>/<index>` for the first indexes: documents share these strings
instead of formatting one per element. Lists are replaced, never changed in place, so readers
need no lock."""

MAX_SHARED_POINTERS = 4096
"""Indexes beyond this are formatted per call, so one huge file does not stay in memory."""


def indexed_pointers(array: str, count: int) -> list[str]:
    """At least `count` pointers `<array>/0`, `<array>/1`, ... in index order."""
    pointers = _POINTERS.get(array, [])
    if count <= len(pointers):
        return pointers
    shared = min(count, MAX_SHARED_POINTERS)
    if shared > len(pointers):
        pointers = pointers + [f"{array}/{index}" for index in range(len(pointers), shared)]
        _POINTERS[array] = pointers
    if count > len(pointers):
        return pointers + [f"{array}/{index}" for index in range(len(pointers), count)]
    return pointers


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """The files of one data model (`App/models/<name>.*`); any of them may be absent."""

    name: str
    schema_path: Path | None = None
    xsd_path: Path | None = None
    validation_path: Path | None = None
    prefill_path: Path | None = None
    metadata_path: Path | None = None
