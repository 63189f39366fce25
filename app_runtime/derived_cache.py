"""Expensive artefacts derived from parsed files, shared by every check and every App.

A data model (its tree of thousands of fields, its lint findings, its compiled validator) is
costly to build and depends only on the parsed schema document plus the name and classRef
it is read with. The designer builds a fresh App after every edit but hands it the parsed
documents of untouched files, so keying on the document object itself (not on the App)
lets a model survive edits to other files, and lets the bindings, expression and model
checks of one run share one tree. The cache is small and bounded: it holds strong
references, so an entry is only ever hit by the very document object it was built from.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from schemas.model import DataModel, ModelLoadError, model_from_document
from schemas.sourcemap import JsonDocument

T = TypeVar("T")

MAX_ENTRIES = 16
"""Derived artefacts kept at once (a few per model an app has, old edits age out)."""


class IdentityCache:
    """A bounded LRU of values derived from one object, keyed by that object's identity."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], tuple[object, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, source: object, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """The value for (`source`, `key`), built by `build()` on a miss."""
        full = (id(source), *key)
        with self._lock:
            found = self._entries.get(full)
            if found is not None and found[0] is source:
                self._entries.move_to_end(full)
                self.hits += 1
                return found[1]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            self.misses += 1
            self._entries[full] = (source, value)
            self._entries.move_to_end(full)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


MODELS = IdentityCache()


def shared_model(
    document: JsonDocument, name: str, class_ref: str | None
) -> DataModel | ModelLoadError:
    """The DataModel of a parsed schema document (or why it cannot be one), built once per
    document object, name and classRef; its tree and lint results are memoized on it."""

    def build() -> DataModel | ModelLoadError:
        try:
            return model_from_document(document, name, class_ref)
        except ModelLoadError as exc:
            return exc

    return MODELS.get(document, ("model", name, class_ref), build)


class DocumentMemo:
    """Values derived from one parsed document in some context, forgotten with the document.

    Checks that work page by page keep each page's findings here: after an edit only the
    edited page (a new document object) is worked out again. `key` describes everything
    else the value depends on and must hold no reference to the document itself."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Any, Any]] = {}

    def get(self, document: object, key: Any) -> Any | None:
        entry = self._entries.get(id(document))
        if entry is not None and entry[0] == key:
            return entry[1]
        return None

    def put(self, document: object, key: Any, value: Any) -> None:
        document_id = id(document)
        if document_id not in self._entries:
            # Entries live exactly as long as their document, so an id is never reused stale.
            weakref.finalize(document, self._entries.pop, document_id, None)
        self._entries[document_id] = (key, value)

    def cached(self, document: object, key: Any, build: Callable[[], T]) -> T:
        """The value for (`document`, `key`), built by `build()` when absent or stale."""
        found = self.get(document, key)
        if found is None:
            found = build()
            self.put(document, key, found)
        return found  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._entries)
