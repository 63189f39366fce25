"""Running every registered check over an app: isolate failures, dedupe, filter, locate, sort.

This is the engine behind `studio validate` and the designer's live validation panel. A check
that crashes becomes an ERROR finding (CHK001) naming the check, never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app_runtime.app import App
from app_runtime.checks import registry
from app_runtime.checks.registry import Check
from schemas.diagnostics import Finding, Location, Severity, define_rule

MODULE_BROKEN = define_rule(
    "CHK002",
    "check-module-broken",
    Severity.ERROR,
    "A module of checks could not be loaded, so its checks did not run.",
)
CHECK_CRASHED = define_rule(
    "CHK001",
    "check-crashed",
    Severity.ERROR,
    "A check failed on unexpected input; the app may still be wrong in ways not reported.",
)

FAIL_THRESHOLD = Severity.WARNING
"""Findings at this severity or above make `studio validate` exit 1 (info never fails)."""


@dataclass(frozen=True, slots=True)
class FindingFilter:
    """--select/--ignore (code prefixes such as LAY or LAY001) and --min-severity."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: Severity = Severity.INFO

    def accepts(self, finding: Finding) -> bool:
        code = finding.code.upper()
        if finding.severity < self.min_severity:
            return False
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)

    @classmethod
    def build(
        cls, select: Iterable[str] = (), ignore: Iterable[str] = (), min_severity: str = "info"
    ) -> FindingFilter:
        return cls(_codes(select), _codes(ignore), Severity.parse(min_severity))


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    """Accept repeated options and comma-separated lists alike."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(out)


@dataclass(slots=True)
class AppResult:
    """The outcome of validating one app (or of failing to load it)."""

    label: str
    findings: list[Finding] = field(default_factory=list)
    load_error: Finding | None = None
    seconds: float = 0.0
    base: str | None = None
    """The app root as the user would write it (differs from `label` when `App/` was given);
    finding paths are joined to it."""

    @property
    def unusable(self) -> bool:
        return self.load_error is not None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, threshold: Severity = FAIL_THRESHOLD) -> bool:
        return any(f.severity >= threshold for f in self.findings)


def exit_code(results: Sequence[AppResult], min_severity: Severity = Severity.INFO) -> int:
    """2 if any app was unusable, 1 if any shown finding is a warning or error, else 0."""
    if any(r.unusable for r in results):
        return 2
    threshold = max(min_severity, FAIL_THRESHOLD)
    return 1 if any(r.fails(threshold) for r in results) else 0


_LOADED: tuple[list[Check], list[Finding]] | None = None


def load_checks() -> tuple[list[Check], list[Finding]]:
    """Import every area module (once); a module that fails to import becomes a CHK002
    finding reported with every app."""
    global _LOADED
    if _LOADED is None:
        _LOADED = _import_checks()
    return list(_LOADED[0]), list(_LOADED[1])


def _import_checks() -> tuple[list[Check], list[Finding]]:
    problems: list[Finding] = []
    for module in registry.AREA_MODULES:
        try:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        except Exception as exc:  # one broken module must not stop the others
            problems.append(
                MODULE_BROKEN.finding(
                    f"checks in {module} could not be loaded: {type(exc).__name__}: {exc}"[:400],
                    Location(""),
                    "this is a bug in Formstudio; the other checks still ran",
                )
            )
    return list(registry._CHECKS.values()), problems


def run_checks(app: App, checks: Sequence[Check] | None = None) -> list[Finding]:
    """Every finding of every check plus the loader's, deduplicated and sorted, unfiltered.

    Python's cyclic garbage collector is paused meanwhile: a parsed app is millions of small
    objects that all stay alive, and repeated collections over them cost a third of the run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_checks(app, checks)
    finally:
        if enabled:
            gc.enable()


def _run_checks(app: App, checks: Sequence[Check] | None) -> list[Finding]:
    app.load_everything()
    collected: list[Finding] = []
    if checks is None:
        checks, problems = load_checks()
        collected.extend(problems)
    for registered in checks:
        try:
            produced = list(registered.run(app))
            bad = [f for f in produced if not isinstance(f, Finding)]
            if bad:
                collected.append(_crash(registered, f"yielded {type(bad[0]).__name__}"))
            collected.extend(f for f in produced if isinstance(f, Finding))
        except RecursionError:
            collected.append(_crash(registered, "input nested too deeply"))
        except Exception as exc:  # a bug in one check must not hide the others' findings
            collected.append(_crash(registered, f"{type(exc).__name__}: {exc}"))
    collected.extend(app.load_findings)
    return finish(app, collected)


def _crash(registered: Check, detail: str) -> Finding:
    return CHECK_CRASHED.finding(
        f"check {registered.name} failed: {detail[:300]}",
        Location(""),
        "this is a bug in Formstudio; please report it with the file that triggered it",
    )


def finish(app: App, findings: Iterable[Finding]) -> list[Finding]:
    """Dedupe, fill in line/column from the source text, and sort."""
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for finding in findings:
        finding = locate(app, finding)
        loc = finding.location
        key = (finding.code, loc.file, loc.pointer, loc.line, loc.column, finding.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    out.sort(key=Finding.sort_key)
    return out


def locate(app: App, finding: Finding) -> Finding:
    """Fill line/column from the cached JSON document when a check gave only a pointer."""
    loc = finding.location
    if loc.line is not None or not loc.file or not loc.file.endswith(".json"):
        return finding
    document = app._json_cache.get(loc.file)
    if document is None:
        return finding
    at_key = finding.code in _KEY_CODES
    line, column = document.position(loc.pointer, at_key=at_key)
    if line is None:
        return finding
    return Finding(
        finding.code,
        finding.severity,
        finding.message,
        loc.with_position(line, column),
        finding.hint,
    )


_KEY_CODES: set[str] = set()
"""Codes whose pointer names an unexpected key: point at the key, not at its value."""


def mark_key_findings(*codes: str) -> None:
    """Checks call this for rules about unknown keys so positions land on the key."""
    _KEY_CODES.update(codes)


def validate_app(app: App, label: str, finding_filter: FindingFilter) -> AppResult:
    """Validate one loaded app and keep only the findings the filter accepts."""
    started = time.perf_counter()
    findings = [f for f in run_checks(app) if finding_filter.accepts(f)]
    return AppResult(label, findings, None, time.perf_counter() - started)
