"""Edit sessions: every change is a transaction that can be undone, and saving writes only
what changed, in place, keeping the rest of each file byte for byte."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app_runtime.app.lenient import parse_lenient
from schemas.diagnostics import LocatedError, Location
from schemas.jsontext import dump_file, rewrite
from schemas.sourcemap import decode_utf8


class EditError(LocatedError):
    """An edit that cannot be made (unknown file, name clash, file outside the app...)."""


@dataclass
class _File:
    """One JSON file as the session knows it: what is on disk and what it holds now."""

    disk_text: str | None
    disk_digest: str | None
    data: Any
    exists: bool


@dataclass(frozen=True)
class ExternalChange:
    """A file changed on disk since the session read it; `conflict` if it has unsaved edits."""

    path: str
    conflict: bool


@dataclass
class Change:
    """One undoable step: for each touched file, its data (or absence) before and after."""

    description: str
    before: dict[str, tuple[bool, Any]]
    after: dict[str, tuple[bool, Any]]


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class EditSession:
    """Edits over one app folder. Paths are POSIX paths relative to the app root."""

    root: Path
    _files: dict[str, _File] = field(default_factory=dict)
    _undo: list[Change] = field(default_factory=list)
    _redo: list[Change] = field(default_factory=list)
    _saved: dict[str, tuple[bool, Any]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    """A counter per file, bumped whenever the session's copy of it changes."""

    # -- reading -----------------------------------------------------------------
    def _path(self, relpath: str) -> Path:
        path = (self.root / relpath).resolve()
        root = self.root.resolve()
        if path != root and root not in path.parents:
            raise EditError("path leaves the app folder", Location(relpath))
        return path

    def _load(self, relpath: str) -> _File:
        cached = self._files.get(relpath)
        if cached is not None:
            return cached
        path = self._path(relpath)
        if path.is_file():
            try:
                raw = path.read_bytes()
                text = decode_utf8(raw, relpath)
                data = parse_lenient(text, relpath).document.data
            except LocatedError as exc:
                raise EditError(
                    f"cannot edit this file: {exc.message}",
                    exc.location or Location(relpath),
                    "fix the file (see Problems) and it will be reloaded",
                ) from None
            except OSError as exc:
                raise EditError(f"cannot read file: {exc.strerror}", Location(relpath)) from None
            entry = _File(text, _digest(raw), data, True)
        else:
            entry = _File(None, None, None, False)
        self._files[relpath] = entry
        self._saved[relpath] = (entry.exists, copy.deepcopy(entry.data))
        return entry

    def exists(self, relpath: str) -> bool:
        try:
            return self._load(relpath).exists
        except EditError:
            return True  # on disk, but unreadable

    def read(self, relpath: str) -> Any:
        """A deep copy of the file's current data (edits go through transactions)."""
        entry = self._load(relpath)
        if not entry.exists:
            raise EditError("file does not exist", Location(relpath))
        return copy.deepcopy(entry.data)

    # -- changing ----------------------------------------------------------------
    @contextmanager
    def transaction(self, description: str) -> Iterator[Transaction]:
        """Group edits into one undoable step; nothing is recorded if the block raises."""
        tx = Transaction(self)
        yield tx
        change = tx._finish(description)
        if change is not None:
            self._apply_state(change.after)
            self._undo.append(change)
            self._redo.clear()

    def _bump(self, relpath: str) -> None:
        self.versions[relpath] = self.versions.get(relpath, 0) + 1

    def _apply_state(self, state: dict[str, tuple[bool, Any]]) -> None:
        for relpath, (exists, data) in state.items():
            self._bump(relpath)
            entry = self._load(relpath)
            entry.exists = exists
            entry.data = copy.deepcopy(data)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        """Revert the last change; returns its description (None when nothing to undo)."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._apply_state(change.before)
        self._redo.append(change)
        return change.description

    def redo(self) -> str | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._apply_state(change.after)
        self._undo.append(change)
        return change.description

    @property
    def history(self) -> list[str]:
        return [c.description for c in self._undo]

    def current_text(self, relpath: str) -> str | None:
        """The file as saving would write it now (None if it does not exist)."""
        entry = self._load(relpath)
        if not entry.exists:
            return None
        if entry.disk_text is not None:
            return rewrite(entry.disk_text, entry.data)
        return dump_file(entry.data)

    # -- saving ------------------------------------------------------------------
    def dirty_files(self) -> list[str]:
        """Files whose current state differs from what was last read or saved."""
        return sorted(
            relpath
            for relpath, entry in self._files.items()
            if (entry.exists, entry.data) != self._saved.get(relpath)
        )

    def save(self) -> list[str]:
        """Write every changed file; untouched files are not opened for writing."""
        written: list[str] = []
        for relpath in self.dirty_files():
            entry = self._files[relpath]
            path = self._path(relpath)
            if not entry.exists:
                if path.exists():
                    path.unlink()
                entry.disk_text = entry.disk_digest = None
            else:
                text = self.current_text(relpath) or ""
                path.parent.mkdir(parents=True, exist_ok=True)
                raw = text.encode("utf-8")
                path.write_bytes(raw)
                entry.disk_text, entry.disk_digest = text, _digest(raw)
            self._saved[relpath] = (entry.exists, copy.deepcopy(entry.data))
            written.append(relpath)
        return written

    # -- other tools -------------------------------------------------------------
    def external_changes(self) -> list[ExternalChange]:
        """Files changed, created or deleted on disk since the session read or saved them."""
        dirty = set(self.dirty_files())
        changes: list[ExternalChange] = []
        for relpath, entry in self._files.items():
            path = self._path(relpath)
            digest = _digest(path.read_bytes()) if path.is_file() else None
            if digest != entry.disk_digest:
                changes.append(ExternalChange(relpath, relpath in dirty))
        return changes

    def acknowledge_disk(self, relpath: str) -> None:
        """Keep the session's edits over a file changed on disk; saving will overwrite it."""
        entry = self._load(relpath)
        path = self._path(relpath)
        if path.is_file():
            raw = path.read_bytes()
            entry.disk_text, entry.disk_digest = decode_utf8(raw, relpath), _digest(raw)
        else:
            entry.disk_text = entry.disk_digest = None
        self._saved[relpath] = (not entry.exists, None)  # force the next save to write it

    def reload(self, relpaths: list[str] | None = None) -> None:
        """Drop the session's copy of files (all by default) so the next read sees the disk.

        Undo history that touches a reloaded file is dropped: it would restore stale data.
        """
        targets = set(self._files) if relpaths is None else set(relpaths)
        for relpath in targets:
            self._files.pop(relpath, None)
            self._saved.pop(relpath, None)
            self._bump(relpath)
        self._undo = [c for c in self._undo if not targets & set(c.before)]
        self._redo = [c for c in self._redo if not targets & set(c.before)]


class Transaction:
    """Collects edits to files; the session turns them into one undoable Change."""

    def __init__(self, session: EditSession) -> None:
        self._session = session
        self._before: dict[str, tuple[bool, Any]] = {}
        self._after: dict[str, tuple[bool, Any]] = {}

    def _touch(self, relpath: str) -> None:
        if relpath not in self._before:
            entry = self._session._load(relpath)
            self._before[relpath] = (entry.exists, copy.deepcopy(entry.data))
            self._after[relpath] = (entry.exists, copy.deepcopy(entry.data))

    def exists(self, relpath: str) -> bool:
        """Whether the file exists as this transaction sees it."""
        if relpath in self._after:
            return bool(self._after[relpath][0])
        return self._session.exists(relpath)

    def peek(self, relpath: str) -> Any:
        """The file's data as this transaction sees it, for reading only (not recorded)."""
        if relpath in self._after:
            return self._after[relpath][1]
        return self._session._load(relpath).data

    def data(self, relpath: str) -> Any:
        """The file's data, mutable: change it in place within the transaction."""
        self._touch(relpath)
        exists, data = self._after[relpath]
        if not exists:
            raise EditError("file does not exist", Location(relpath))
        return data

    def write(self, relpath: str, data: Any) -> None:
        """Create the file or replace its whole content."""
        self._touch(relpath)
        self._after[relpath] = (True, data)

    def delete(self, relpath: str) -> None:
        self._touch(relpath)
        self._after[relpath] = (False, None)

    def rename(self, old: str, new: str) -> None:
        if new != old and self.exists(new):
            raise EditError(f"{new} already exists", Location(new))
        data = self.data(old)
        self.delete(old)
        self.write(new, data)

    def _finish(self, description: str) -> Change | None:
        changed = {k for k in self._after if self._after[k] != self._before[k]}
        if not changed:
            return None
        return Change(
            description,
            {k: self._before[k] for k in changed},
            {k: self._after[k] for k in changed},
        )
