"""Incremental re-validation for the designer: after an edit, re-run only the checks whose
inputs changed and reuse the other checks' findings from the previous run.

Each check runs against a `RecordingApp`, a stand-in for the App that notes what the check
reads: a file by path (`app.json`, `app.xml`, `app.exists`) or a whole area of the app
through the loader's derived views (`app.layout_sets` depends on every UI file, the process
and the metadata; `app.texts` on every resource file, ...). Anything the recorder does not
know counts as depending on every file, so an unknown access can only cost speed, never
correctness. A check is reused when no changed file falls in what it read; findings are then
identical to a from-scratch run because the check would see identical input.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app_runtime.app import App
from app_runtime.checks.registry import Check
from app_runtime.validation.runner import finish, load_checks, run_checks
from schemas.diagnostics import Finding

EVERYTHING = "*"
"""Dependency token of a check that must re-run after any change."""

_UI = frozenset({"ui"})
_SETS = frozenset({"ui", "process", "metadata"})  # task folders read the process; fallbacks
_NONE: frozenset[str] = frozenset()
_ALL = frozenset({EVERYTHING})

AREA_READS: dict[str, frozenset[str]] = {
    # paths and pure helpers: no file content behind them
    "relpath": _NONE,
    "is_inside": _NONE,
    "metadata_path": _NONE,
    # config
    "metadata": frozenset({"metadata"}),
    "data_types": frozenset({"metadata"}),
    "appsettings": frozenset({"appsettings"}),
    "frontend_settings": frozenset({"appsettings"}),
    "process_path": frozenset({"process"}),
    "process_tasks": frozenset({"process"}),
    "policy_path": frozenset({"policy"}),
    # texts and options
    "texts": frozenset({"texts"}),
    "text_files": frozenset({"texts"}),
    "text_resources": frozenset({"texts"}),
    "options": frozenset({"options"}),
    "option_files": frozenset({"options"}),
    # models
    "models": frozenset({"models"}),
    "model": frozenset({"models"}),
    "model_for_data_type": frozenset({"models", "metadata"}),
    # UI
    "ui_dir": _UI,
    "footer": _UI,
    "layout_sets_path": _UI,
    "layout_sets_document": _UI,
    "convention": _UI,
    "global_settings": _SETS,
    "layout_sets": _SETS,
    "layout_set": _SETS,
    "layout_set_for_task": _SETS,
    # app code, read as text
    "code_files": frozenset({"code"}),
    "code_text": frozenset({"code"}),
    "mentioned_in_code": frozenset({"code"}),
}
"""What each App attribute reads, as areas (see `areas_of`); absent names read everything."""


def areas_of(relpath: str) -> frozenset[str]:
    """The areas a file belongs to: what a change of this file may alter."""
    path = relpath.lower()
    if path.startswith("app/ui/"):
        return frozenset({"ui"})
    if path.startswith("app/config/texts/"):
        return frozenset({"texts"})
    if path.startswith("app/options/"):
        return frozenset({"options"})
    if path.startswith("app/models/"):
        return frozenset({"models"})
    if path == "app/config/applicationmetadata.json":
        return frozenset({"metadata"})
    if path == "app/appsettings.json":
        return frozenset({"appsettings"})
    if path.startswith("app/config/process/"):
        return frozenset({"process"})
    if path.startswith("app/config/authorization/"):
        return frozenset({"policy"})
    if path.endswith(".cs"):
        return frozenset({"code"})
    return frozenset({"other"})


def changed_tokens(touched: Iterable[str]) -> set[str]:
    """Dependency tokens a set of changed files invalidates."""
    tokens: set[str] = set()
    for relpath in touched:
        tokens.add(EVERYTHING)
        tokens.add("file:" + relpath)
        tokens.update(areas_of(relpath))
    return tokens


@contextmanager
def collection_deferred() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while checks run.

    An open app keeps millions of parsed JSON objects alive; a full collection triggered by
    a check's allocations walks them all (tens of milliseconds) while the user waits for the
    validation panel. Checks create little cyclic garbage, so it waits until they finish."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RecordingApp:
    """Forwards to an App and records which files and areas the caller read."""

    def __init__(self, app: App) -> None:
        self._app = app
        self.reads: set[str] = set()
        self.parsed: set[tuple[str, str]] = set()
        """("json" | "xml", relpath) of every file read: replayed when the check is reused,
        so the App reports the same load problems (bad JSON, comments...) for them."""

    def __repr__(self) -> str:
        return f"RecordingApp({self._app!r})"

    def _file(self, relpath: Any) -> str:
        name = self._app.relpath(relpath)
        self.reads.add("file:" + name)
        return name

    def json(self, relpath: Any) -> Any:
        self.parsed.add(("json", self._file(relpath)))
        return self._app.json(relpath)

    def xml(self, relpath: Any) -> Any:
        self.parsed.add(("xml", self._file(relpath)))
        return self._app.xml(relpath)

    def exists(self, relpath: Any) -> bool:
        self._file(relpath)
        return self._app.exists(relpath)

    def __getattr__(self, name: str) -> Any:
        # Only called for names this class does not define: everything else of the App.
        self.reads.update(AREA_READS.get(name, _ALL))
        return getattr(self._app, name)


@dataclass(frozen=True, slots=True)
class _Result:
    reads: frozenset[str]
    parsed: tuple[tuple[str, str], ...]
    findings: list[Finding]


class ReusedFiles(dict[str, Any]):
    """An App's parse cache that also serves the parsed files of the previous App.

    A file is served only when the new App asks for it, and then the previous App's load
    problems with that file (invalid JSON, comments, ...) are reported again, so the new
    App's `load_findings` are exactly those a fresh parse of the same requests would give."""

    def __init__(
        self, reusable: dict[str, tuple[Any, list[Finding]]], report: Callable[[Finding], None]
    ) -> None:
        super().__init__()
        self.unserved = reusable
        self._report = report

    def _serve(self, name: str) -> bool:
        entry = self.unserved.pop(name, None)
        if entry is None:
            return False
        super().__setitem__(name, entry[0])
        for finding in entry[1]:
            self._report(finding)
        return True

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        if super().__contains__(name) or self._serve(name):
            return super().__getitem__(name)
        return default

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or (isinstance(name, str) and self._serve(name))

    def __getitem__(self, name: str) -> Any:
        if not super().__contains__(name):
            self._serve(name)
        return super().__getitem__(name)


def reuse_parsed_files(app: App, previous: App, touched: Iterable[str]) -> None:
    """Let `app` reuse `previous`'s parsed JSON and XML files that `touched` did not change."""
    changed = set(touched)
    by_file: dict[str, list[Finding]] = {}
    for finding in previous.load_findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    for attribute in ("_json_cache", "_xml_cache"):
        old = getattr(previous, attribute)
        reusable: dict[str, tuple[Any, list[Finding]]] = {}
        if isinstance(old, ReusedFiles):
            reusable.update(old.unserved)
        for name, value in old.items():
            reusable[name] = (value, by_file.get(name, []))
        for name in changed:
            reusable.pop(name, None)
        setattr(app, attribute, ReusedFiles(reusable, app._report))


class IncrementalChecks:
    """Findings of the previous run per check, with what each check read."""

    def __init__(self, checks: list[Check] | None = None) -> None:
        self._checks = checks
        self._previous: dict[str, _Result] = {}
        self.reran: list[str] = []
        """Names of the checks the last run executed (the others were reused)."""

    def forget(self) -> None:
        """Drop every remembered result: the next run checks everything."""
        self._previous.clear()

    def run(self, app: App, touched: Iterable[str] | None) -> list[Finding]:
        """Every finding for `app`, re-running only checks that read a file in `touched`
        (None: the previous run is unrelated, re-run all)."""
        if touched is None:
            self.forget()
        else:
            tokens = changed_tokens(touched)
            if tokens:
                self._previous = {
                    name: entry
                    for name, entry in self._previous.items()
                    if not (entry.reads & tokens)
                }
        problems: list[Finding] = []
        checks = self._checks
        if checks is None:
            checks, problems = load_checks()
        self.reran = []
        wrapped = [Check(c.name, c.area, c.rules, self._reusing(c.name, c.run)) for c in checks]
        with collection_deferred():
            findings = run_checks(app, wrapped)
        if problems:
            findings = finish(app, [*problems, *findings])
        return findings

    def _reusing(
        self, name: str, function: Callable[[Any], Iterable[Finding]]
    ) -> Callable[[App], list[Finding]]:
        def run(app: App) -> list[Finding]:
            previous = self._previous.get(name)
            if previous is not None:
                for method, relpath in previous.parsed:
                    getattr(app, method)(relpath)  # served from the reused parsed files
                return previous.findings
            self.reran.append(name)
            recorder = RecordingApp(app)  # one per check: app-keyed memos must not leak reads
            produced = list(function(recorder))
            self._previous[name] = _Result(
                frozenset(recorder.reads), tuple(sorted(recorder.parsed)), produced
            )
            return produced

        return run
