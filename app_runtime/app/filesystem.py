"""Reading an app's files safely and fast: containment, limits, findings, parse caches.

`AppFiles` is the part of `App` that touches the file system. Every file is read through
`json()` / `xml()`, which refuse paths resolving outside the app folder (symlinks) and turn
any problem (bad JSON, bad encoding, unsafe XML, empty or oversized files) into a Finding.

An app has hundreds of page files, and building several `Path` objects and making four or
five `stat` calls per file once cost more than parsing it. So the hot paths work on plain
strings with `os` calls, giving pathlib's exact answers: a regular file in a folder known to
be inside the app is read with one `lstat` and one `open`, and named without
`Path.relative_to`. Whenever a shortcut's preconditions do not hold (symlinks, folders,
special files, unusual errors, paths pathlib would normalize), the general pathlib path
runs instead; `tests/test_loader_fastpaths.py` holds the two side by side.
"""

from __future__ import annotations

import os
from errno import EBADF, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR
from operator import attrgetter
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Any

from app_runtime.app import issues
from app_runtime.app.lenient import parse_lenient
from schemas.diagnostics import Finding, Location
from schemas.sourcemap import JsonDocument, JsonSyntaxError, decode_utf8

MAX_JSON_BYTES = 20 * 1024 * 1024
"""Refuse JSON files larger than this: no real app file comes close (large models are ~2 MB)."""

MAX_XML_BYTES = 20 * 1024 * 1024

_MISSING = object()

_BY_NAME = attrgetter("name")

POSIX_SEPARATORS = os.sep == "/" and os.altsep is None
"""Shortcuts that treat a path as text are only taken where "/" is the one separator."""

IGNORED_ERRNOS = frozenset({ENOENT, ENOTDIR, EBADF, ELOOP})
"""The errors pathlib's `exists()`/`is_dir()`/`is_file()` treat as "no" rather than raise."""


def is_clean(text: str) -> bool:
    """True when `Path(text)` keeps `text` as it is: no empty or "." parts, no trailing slash.

    (pathlib drops those; ".." parts it keeps, and so do we.)"""
    return bool(text) and not (
        "//" in text
        or "/./" in text
        or text.startswith("./")
        or text.endswith("/")
        or text.endswith("/.")
        or text == "."
    )


def suffix_and_stem(name: str) -> tuple[str, str]:
    """(`Path(name).suffix`, `Path(name).stem`) for a plain file name."""
    index = name.rfind(".")
    if 0 < index < len(name) - 1:
        return name[index:], name[:index]
    return "", name


def is_dir(text: str) -> bool:
    """`Path(text).is_dir()`: follows symlinks; raises the errors pathlib raises."""
    try:
        return S_ISDIR(os.stat(text).st_mode)
    except OSError as exc:
        if exc.errno not in IGNORED_ERRNOS:
            raise
        return False
    except ValueError:
        return False


class NotARegularFile(OSError):
    """A pipe, socket or device where a file is expected: reading it could wait forever."""


def open_regular(text: str) -> int:
    """A descriptor for reading the regular file at `text`. Opened without blocking, so a
    named pipe cannot stall the open, and refused unless it is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(text, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if S_ISDIR(mode):
            raise IsADirectoryError(EISDIR, "Is a directory", text)
        if not S_ISREG(mode):
            raise NotARegularFile(EINVAL, "not a regular file", text)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular(text: str, size_hint: int) -> bytes:
    """All bytes of a regular file, opened once; `size_hint` (from a stat) sizes the first
    read so a file is usually read in one call plus the one that sees its end."""
    descriptor = open_regular(text)
    try:
        first = os.read(descriptor, size_hint + 1)
        if not first:
            return first
        parts = [first]
        while True:
            chunk = os.read(descriptor, max(size_hint, 1 << 16))
            if not chunk:
                break
            parts.append(chunk)
        return first if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(descriptor)


def read_head(text: str, limit: int) -> bytes:
    """At most `limit` bytes from the start of a regular file."""
    descriptor = open_regular(text)
    try:
        return os.read(descriptor, limit)
    finally:
        os.close(descriptor)


class AppFiles:
    """The file access of an app rooted at `root` (the folder holding `App/`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = os.fspath(root)
        self._root_prefix = self._root_text.rstrip("/") + "/"
        """The root as text ending in "/": a path starting with it names a file under the root
        (lexically, as `relpath` does)."""
        self._real_root = root.resolve()
        self._real_root_text = os.fspath(self._real_root)
        self._real_root_prefix = self._real_root_text.rstrip(os.sep) + os.sep
        self._inside_dirs: dict[str, bool] = {}
        self._json_cache: dict[str, JsonDocument | None] = {}
        self._xml_cache: dict[str, Any] = {}
        self._findings: list[Finding] = []
        self._finding_keys: set[tuple[str, str, str]] = set()

    @property
    def app_dir(self) -> Path:
        return self.root / "App"

    def relpath(self, path: str | os.PathLike[str]) -> str:
        """Posix path relative to the app root: what Location.file holds."""
        text = os.fspath(path)
        if POSIX_SEPARATORS and type(text) is str and is_clean(text):
            if text[0] != "/":
                return text
            if text.startswith(self._root_prefix):
                return text[len(self._root_prefix) :]
        return self._relpath_general(path)

    def _relpath_general(self, path: str | os.PathLike[str]) -> str:
        """`relpath` through pathlib: for every path the text shortcut does not take."""
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()

    def _abs(self, relpath: str | os.PathLike[str]) -> Path:
        p = Path(relpath)
        return p if p.is_absolute() else self.root / p

    def _locate(self, relpath: str | os.PathLike[str]) -> tuple[str, str]:
        """(relative name, absolute path text) of a file, as `relpath(_abs(...))` and
        `os.fspath(_abs(...))` give them; plain strings skip pathlib."""
        text = os.fspath(relpath)
        if POSIX_SEPARATORS and type(text) is str and is_clean(text):
            if text[0] != "/":
                return text, self._root_prefix + text
            if text.startswith(self._root_prefix):
                return text[len(self._root_prefix) :], text
        return self._locate_general(relpath)

    def _locate_general(self, relpath: str | os.PathLike[str]) -> tuple[str, str]:
        path = self._abs(relpath)
        return self._relpath_general(path), os.fspath(path)

    def _report(self, finding: Finding) -> None:
        key = (finding.code, finding.location.file, finding.message)
        if key not in self._finding_keys:
            self._finding_keys.add(key)
            self._findings.append(finding)

    @property
    def load_findings(self) -> list[Finding]:
        """Problems met while reading files so far (grows as lazy properties load)."""
        return list(self._findings)

    def is_inside(self, path: Path) -> bool:
        """True when `path` (after resolving symlinks) stays inside the app folder.

        A folder's answer is cached; a file that is not itself a symlink shares its folder's.
        """
        return self._inside_text(os.fspath(path if path.is_absolute() else self.root / path))

    def _inside_text(self, text: str) -> bool:
        """`is_inside` for an absolute path given as text."""
        folder, name = os.path.split(text)
        try:
            cacheable = name not in ("", ".", "..") and folder in self._inside_dirs
            if cacheable and not os.path.islink(text):
                return self._inside_dirs[folder]
            resolved = os.path.realpath(text)
        except (OSError, ValueError):
            return False
        inside = resolved == self._real_root_text or resolved.startswith(self._real_root_prefix)
        if os.path.isdir(text) and not os.path.islink(text):
            self._inside_dirs[text] = inside
        return inside

    def _safe(self, path: Path) -> bool:
        """Check containment and report a FILE003 finding when the path escapes."""
        return self._safe_text(os.fspath(path if path.is_absolute() else self.root / path))

    def _safe_text(self, path: str) -> bool:
        """`_safe` for an absolute path given as text."""
        if self._inside_text(path):
            return True
        self._report(
            issues.OUTSIDE_APP.finding(
                "symlink points outside the app folder; it was not read",
                Location(self.relpath(path)),
                "replace the symlink with a real file inside the app",
            )
        )
        return False

    def exists(self, relpath: str | os.PathLike[str]) -> bool:
        path = self._abs(relpath)
        return path.exists() and self.is_inside(path)

    def _read(self, text: str, name: str, limit: int) -> bytes | None:
        """The bytes of the file at absolute path `text`; None when it is missing (silently)
        or unusable (with a finding).

        The common case, a regular file (not a symlink) in a folder known to be inside the
        app, costs one `lstat` and one `open`; anything else takes the general path."""
        try:
            status = os.lstat(text)
        except OSError as exc:
            if exc.errno in (ENOENT, ENOTDIR):
                return None  # what `exists() or is_symlink()` says of a missing path
            status = None
        except ValueError:
            status = None
        if status is not None and S_ISREG(status.st_mode):
            inside = self._inside_dirs.get(os.path.dirname(text))
            if inside is None:
                inside = self._inside_text(text)
            if inside:
                return self._read_regular(text, name, status.st_size, limit)
        return self._read_general(text, name, limit)

    def _read_general(self, text: str, name: str, limit: int) -> bytes | None:
        """`_read` through pathlib, for symlinks, folders, special files and odd errors."""
        path = Path(text)
        if path.exists() or path.is_symlink():
            return self._read_bytes(path, name, limit)
        return None

    def _read_regular(self, text: str, name: str, size: int, limit: int) -> bytes | None:
        """`_read_bytes` for a regular file already known to be inside the app."""
        if self._too_large(size, name, limit):
            return None
        try:
            raw = read_regular(text, size)
        except OSError as exc:
            self._unreadable(exc, name)
            return None
        return self._not_empty(raw, name)

    def _read_bytes(self, path: Path, name: str, limit: int) -> bytes | None:
        if not self._safe(path):
            return None
        try:
            size = path.stat().st_size
            if self._too_large(size, name, limit):
                return None
            raw = read_regular(os.fspath(path), size)
        except OSError as exc:
            self._unreadable(exc, name)
            return None
        return self._not_empty(raw, name)

    def _too_large(self, size: int, name: str, limit: int) -> bool:
        if size <= limit:
            return False
        self._report(
            issues.UNREADABLE_FILE.finding(
                f"file is {size // (1024 * 1024)} MB, over the "
                f"{limit // (1024 * 1024)} MB limit; it was not read",
                Location(name),
                "split or shrink the file",
            )
        )
        return True

    def _unreadable(self, exc: OSError, name: str) -> None:
        if isinstance(exc, NotARegularFile):
            self._report(
                issues.UNREADABLE_FILE.finding(
                    "a pipe, socket or device is where a file is expected; it was not read",
                    Location(name),
                    "replace it with a regular file",
                )
            )
            return
        if isinstance(exc, IsADirectoryError):
            self._report(
                issues.UNREADABLE_FILE.finding(
                    "a folder is where a file is expected", Location(name), "rename the folder"
                )
            )
            return
        self._report(
            issues.UNREADABLE_FILE.finding(
                f"cannot read file: {exc.strerror or exc}",
                Location(name),
                "check the file's permissions",
            )
        )

    def _not_empty(self, raw: bytes, name: str) -> bytes | None:
        stripped = raw.strip()
        if not stripped or stripped == b"\xef\xbb\xbf":
            self._report(
                issues.EMPTY_FILE.finding(
                    "file is empty", Location(name), "delete the file or give it content"
                )
            )
            return None
        return raw

    def json(self, relpath: str | os.PathLike[str]) -> JsonDocument | None:
        """Parsed JSON file, cached. None (plus a finding) if missing, unsafe or invalid."""
        name, text = self._locate(relpath)
        return self._json_at(name, text)

    def _json_at(self, name: str, text: str) -> JsonDocument | None:
        """`json()` of the file `name` whose absolute path is `text`."""
        cached = self._json_cache.get(name, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        document: JsonDocument | None = None
        raw = self._read(text, name, MAX_JSON_BYTES)
        if raw is not None:
            document = self._parse_json(raw, name)
        self._json_cache[name] = document
        return document

    def _parse_json(self, raw: bytes, name: str) -> JsonDocument | None:
        try:
            result = parse_lenient(decode_utf8(raw, name), name)
        except JsonSyntaxError as exc:
            self._report(
                issues.INVALID_JSON.finding(exc.message, exc.location or Location(name), exc.hint)
            )
            return None
        if result.nonstandard:
            line, column = result.document._offset_to_line_col(result.offset)
            self._report(
                issues.NONSTANDARD_JSON.finding(
                    f"JSON contains a {result.nonstandard} (accepted, but not standard JSON)",
                    Location(name, "", line, column),
                    "remove comments and trailing commas so every JSON tool can read the file",
                )
            )
        return result.document

    def xml(self, relpath: str | os.PathLike[str]) -> Any:
        """Parsed XML (lxml ElementTree), hardened and cached; None (plus a finding) on error."""
        name, text = self._locate(relpath)
        if name in self._xml_cache:
            return self._xml_cache[name]
        tree = None
        raw = self._read(text, name, MAX_XML_BYTES)
        if raw is not None:
            from schemas.xmlsafe import XmlSafetyError, parse_xml_bytes

            try:
                tree = parse_xml_bytes(raw, name)
            except XmlSafetyError as exc:
                self._report(
                    issues.INVALID_XML.finding(
                        exc.message, exc.location or Location(name), exc.hint
                    )
                )
        self._xml_cache[name] = tree
        return tree

    def _listdir(self, folder: Path) -> list[Path]:
        """Entries of a folder inside the app, sorted by name; symlinks escaping are dropped."""
        return [Path(entry.path) for entry in self._scan(os.fspath(folder))]

    def _scan(self, folder: str, *, checked: bool = False) -> list[os.DirEntry[str]]:
        """`_listdir` as `os.DirEntry`s (their type answers need no further system calls).

        `checked`: the caller knows `folder` is a folder inside the app (a real subfolder of
        one listed before), so neither is asked again."""
        if not checked and (not is_dir(folder) or not self._safe_text(folder)):
            return []
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_BY_NAME)
        except OSError:
            return []
        return [entry for entry in entries if not entry.is_symlink() or self._safe_text(entry.path)]

    def _child(self, folder: Path, name: str) -> Path:
        """`folder/name`, matching the name case-insensitively if the exact case is absent.

        Folders outside the app are never listed."""
        exact = folder / name
        if exact.exists() or not folder.is_dir() or not self.is_inside(folder):
            return exact
        lowered = name.lower()
        try:
            for entry in folder.iterdir():
                if entry.name.lower() == lowered:
                    return entry
        except OSError:
            pass
        return exact
