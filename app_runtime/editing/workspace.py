"""An app open in the designer: its edit session, its structure and live validation.

Validation must see unsaved edits, so the workspace mirrors the app into a private shadow
folder and writes only changed files there before each run. Parsed files that did not change
are handed to the next run, so re-validation after an edit re-parses one file, not the app.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app_runtime.app import App, AppLoadError, LayoutSet, load_app
from app_runtime.editing.form import PageSet
from app_runtime.editing.revalidation import IncrementalChecks, reuse_parsed_files
from app_runtime.editing.session import EditSession
from app_runtime.validation import run_checks
from schemas.diagnostics import Finding, Severity

SKIPPED_FOLDERS = {"bin", "obj", "node_modules", ".git", "wwwroot"}

AREAS: dict[str, tuple[str, ...]] = {
    "Layouts": ("LAY", "BIND", "EXPR", "OPT"),
    "Data models": ("MODEL", "XSD"),
    "Process": ("PROC",),
    "Access rules": ("AUTH",),
    "Texts": ("TXT",),
    "Settings": ("META", "FILE", "APP", "CHK"),
}


def area_of(finding: Finding) -> str:
    for area, prefixes in AREAS.items():
        if finding.code.startswith(prefixes):
            return area
    return "Settings"


@dataclass(frozen=True)
class AppSummary:
    """One row of the overview: an app folder with its title and state."""

    path: Path
    name: str
    title: str
    last_change: datetime
    errors: int
    warnings: int


def is_app_folder(path: Path) -> bool:
    return (path / "App").is_dir()


def scan_apps(folder: Path, *, validate: bool = True) -> list[AppSummary]:
    """The apps directly inside `folder` (or `folder` itself if it is an app)."""
    candidates = (
        [folder]
        if is_app_folder(folder)
        else sorted(p for p in folder.iterdir() if p.is_dir() and is_app_folder(p))
    )
    return [summarize(path, validate=validate) for path in candidates]


def summarize(path: Path, *, validate: bool = True) -> AppSummary:
    errors = warnings = 0
    title = path.name
    try:
        app = load_app(path)
        metadata = app.metadata.data if app.metadata else None
        if isinstance(metadata, dict) and isinstance(metadata.get("title"), dict):
            titles = metadata["title"]
            title = str(titles.get("nb") or titles.get("en") or next(iter(titles.values()), title))
        if validate:
            findings = run_checks(app)
            errors = sum(1 for f in findings if f.severity == Severity.ERROR)
            warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    except AppLoadError:
        errors = 1
    newest = max(
        (p.stat().st_mtime for p in (path / "App").rglob("*") if p.is_file()),
        default=path.stat().st_mtime,
    )
    return AppSummary(path, path.name, title, datetime.fromtimestamp(newest, UTC), errors, warnings)


class AppWorkspace:
    """The designer's handle on one app: edits, structure and validation of the live state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.session = EditSession(root)
        self._shadow_dir = Path(tempfile.mkdtemp(prefix="formstudio-shadow-"))
        self._shadow = self._shadow_dir / "app"
        self._copy_tree(root, self._shadow)
        self._synced: dict[str, int] = {}
        self._app: App | None = None
        self._app_before: App | None = None
        self._validation_app: App | None = None
        self._pending_ui: set[str] = set()
        self._pending_validation: set[str] = set()
        self._lock = threading.Lock()
        self._validate_lock = threading.Lock()
        self.findings: list[Finding] = []
        self._checks = IncrementalChecks()

    @staticmethod
    def _copy_tree(source: Path, target: Path) -> None:
        def ignore(folder: str, names: list[str]) -> list[str]:
            return [n for n in names if n in SKIPPED_FOLDERS]

        def link_or_copy(src: str, dst: str) -> None:
            # Hard links make the mirror instant; shadow writes replace files, never edit them.
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)

        shutil.copytree(source, target, ignore=ignore, symlinks=True, copy_function=link_or_copy)

    def close(self) -> None:
        shutil.rmtree(self._shadow_dir, ignore_errors=True)

    # -- structure -----------------------------------------------------------------
    @property
    def app(self) -> App:
        """The app as the session currently has it (unsaved edits included)."""
        if self._app is None:
            self._app = self._fresh_app(self._app_before, self._pending_ui)
            self._pending_ui = set()
        return self._app

    def layout_sets(self) -> list[LayoutSet]:
        return self.app.layout_sets

    def page_set(self, layout_set: LayoutSet) -> PageSet:
        return PageSet.of(self.app.relpath(layout_set.folder))

    def set_files(self, layout_set: LayoutSet) -> list[str]:
        """Every file in a layout set's folder (relative to the app), as it is now."""
        folder = self._shadow / self.page_set(layout_set).folder
        return sorted(
            path.relative_to(self._shadow).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and not path.name.endswith(".partial")
        )

    def uses_layout_sets_file(self) -> bool:
        return self.app.convention == "layout-sets"

    def languages(self) -> list[str]:
        found = list(self.app.texts)
        preferred = [lang for lang in ("nb", "nn", "en") if lang in found]
        return preferred + sorted(lang for lang in found if lang not in preferred)

    def referencing_files(self) -> list[str]:
        """Files that may name text keys (for renames): pages, footer, options, validations."""
        app = self.app
        files = [path for s in app.layout_sets for path in s.page_files.values()]
        files += list(app.option_files.values())
        if app.footer is not None:
            files.append(app.footer.name)
        return files

    # -- validation ----------------------------------------------------------------
    def changed(self) -> None:
        """Tell the workspace the session changed: mirror changed files into the shadow copy.

        Cheap: only files whose session version moved are rendered and written.
        """
        touched = self._sync_shadow()
        with self._lock:
            self._pending_ui |= touched
            self._pending_validation |= touched
        self._app_before = self._app or self._app_before
        self._app = None

    def validate(self) -> list[Finding]:
        """Run every check on the current state; safe to call from a worker thread."""
        with self._validate_lock:
            with self._lock:
                touched, self._pending_validation = self._pending_validation, set()
            previous = self._validation_app
            app = self._fresh_app(previous, touched)
            # Checks that read none of the touched files keep their previous findings.
            findings = self._checks.run(app, touched if previous is not None else None)
            self._validation_app = app
            self.findings = findings
            return findings

    @property
    def validated_root(self) -> Path:
        """The folder validation reads: the app with the session's unsaved edits applied."""
        return self._shadow

    @property
    def revalidated_checks(self) -> list[str]:
        """Names of the checks the last `validate()` ran; the others' findings were reused."""
        return list(self._checks.reran)

    def problem_counts(self) -> dict[str, int]:
        counts = Counter(area_of(f) for f in self.findings if f.severity >= Severity.WARNING)
        return {area: counts.get(area, 0) for area in AREAS}

    def _sync_shadow(self) -> set[str]:
        """Write files changed in the session into the shadow copy; return their paths."""
        touched: set[str] = set()
        for relpath, version in list(self.session.versions.items()):
            if self._synced.get(relpath) == version:
                continue
            self._synced[relpath] = version
            target = self._shadow / relpath
            text = self.session.current_text(relpath)
            if text is None:
                if target.exists():
                    target.unlink()
                touched.add(relpath)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # Atomic replace: a validation running in a worker never reads half a file.
            partial = target.with_name(target.name + ".partial")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
            touched.add(relpath)
        return touched

    def _fresh_app(self, previous: App | None, touched: set[str]) -> App:
        """A new App over the shadow copy reusing the parsed files `touched` did not change."""
        app = load_app(self._shadow)
        if previous is not None:
            reuse_parsed_files(app, previous, touched)
        return app

    # -- saving --------------------------------------------------------------------
    def save(self) -> list[str]:
        written = self.session.save()
        self.changed()
        return written

    def last_saved(self) -> datetime:
        return summarize(self.root, validate=False).last_change
