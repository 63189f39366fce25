"""An app open in the designer: its edit session, its structure and live validation.

Validation must see unsaved edits, so the workspace mirrors the app into a private shadow
folder and writes only changed files there before each run. Parsed files that did not change
are handed to the next run, so re-validation after an edit re-parses one file, not the app.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app_runtime.app import App, AppLoadError, LayoutSet, load_app
from app_runtime.editing.form import PageSet
from app_runtime.editing.session import EditSession
from app_runtime.validation import run_checks
from schemas.diagnostics import Finding, Severity
from schemas.jsontext import dump_file, rewrite

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
        self._shadow_text: dict[str, str | None] = {}
        self._app: App | None = None
        self._saved_app: App = load_app(root)
        self.findings: list[Finding] = []

    @staticmethod
    def _copy_tree(source: Path, target: Path) -> None:
        def ignore(folder: str, names: list[str]) -> list[str]:
            return [n for n in names if n in SKIPPED_FOLDERS]

        shutil.copytree(source, target, ignore=ignore, symlinks=True)

    def close(self) -> None:
        shutil.rmtree(self._shadow_dir, ignore_errors=True)

    # -- structure -----------------------------------------------------------------
    @property
    def app(self) -> App:
        """The app as the session currently has it (unsaved edits included)."""
        if self._app is None:
            self._sync_shadow()
        assert self._app is not None
        return self._app

    def layout_sets(self) -> list[LayoutSet]:
        return self.app.layout_sets

    def page_set(self, layout_set: LayoutSet) -> PageSet:
        return PageSet.of(self.app.relpath(layout_set.folder))

    def languages(self) -> list[str]:
        found = list(self.app.texts)
        preferred = [lang for lang in ("nb", "nn", "en") if lang in found]
        return preferred + sorted(lang for lang in found if lang not in preferred)

    def referencing_files(self) -> list[str]:
        """Files that may name text keys (for renames): pages, footer, options, validations."""
        app = self.app
        files = [path for s in app.layout_sets for path in s.page_files.values()]
        files += list(app.option_files.values()) if hasattr(app, "option_files") else []
        if app.footer is not None:
            files.append(app.footer.name)
        return files

    # -- validation ----------------------------------------------------------------
    def changed(self) -> None:
        """Tell the workspace the session changed; the next `app`/`validate` sees it."""
        self._app = None

    def validate(self) -> list[Finding]:
        self._sync_shadow()
        assert self._app is not None
        self.findings = run_checks(self._app)
        return self.findings

    def problem_counts(self) -> dict[str, int]:
        counts = Counter(area_of(f) for f in self.findings if f.severity >= Severity.WARNING)
        return {area: counts.get(area, 0) for area in AREAS}

    def _sync_shadow(self) -> None:
        """Write the session's changed files into the shadow copy and reload it there."""
        previous = self._app
        touched: set[str] = set()
        for relpath, entry in self.session._files.items():
            target = self._shadow / relpath
            if not entry.exists:
                if target.exists():
                    target.unlink()
                    touched.add(relpath)
                continue
            text = (
                rewrite(entry.disk_text, entry.data)
                if entry.disk_text is not None
                else dump_file(entry.data)
            )
            known = self._shadow_text.get(relpath)
            if known == text or (
                known is None and target.exists() and target.read_text(encoding="utf-8-sig") == text
            ):
                self._shadow_text[relpath] = text
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self._shadow_text[relpath] = text
            touched.add(relpath)
        app = load_app(self._shadow)
        if previous is not None:
            # Reuse parsed documents of untouched files: re-validation stays incremental.
            for name, document in previous._json_cache.items():
                if name not in touched:
                    app._json_cache[name] = document
            for finding in previous.load_findings:
                if finding.location.file not in touched:
                    app._report(finding)
        self._app = app

    # -- saving --------------------------------------------------------------------
    def save(self) -> list[str]:
        written = self.session.save()
        self.changed()
        return written

    def last_saved(self) -> datetime:
        return summarize(self.root, validate=False).last_change
