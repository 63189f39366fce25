"""Validation of whole apps: run the checks, filter and format the findings.

`validate_paths` is the headless entry point `studio validate` uses; the designer uses
`run_checks` directly on the app it has open.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from app_runtime.validation.runner import (
    FAIL_THRESHOLD,
    AppResult,
    FindingFilter,
    exit_code,
    run_checks,
    validate_app,
)
from schemas.diagnostics import Location, Severity, define_rule

NOT_AN_APP = define_rule(
    "APP001",
    "not-an-app",
    Severity.ERROR,
    "The path is not an Altinn app folder (missing, not a folder, or without App/).",
)


def validate_paths(paths: Sequence[str], finding_filter: FindingFilter) -> list[AppResult]:
    """Load and validate each app path; unusable paths give a result with `load_error`."""
    from app_runtime.app import AppLoadError, load_app
    from app_runtime.validation.runner import load_checks

    load_checks()  # import the checks once, outside any app's timing
    results: list[AppResult] = []
    for path in paths:
        started = time.perf_counter()
        try:
            app = load_app(path)
        except AppLoadError as exc:
            error = NOT_AN_APP.finding(exc.message, exc.location or Location(path), exc.hint)
            results.append(AppResult(path, [error], error, time.perf_counter() - started))
            continue
        result = validate_app(app, path, finding_filter)
        if os.path.abspath(path) != os.path.abspath(app.root):
            # `App/` itself was given: file paths are relative to its parent.
            result.base = os.path.normpath(os.path.join(path, os.pardir))
        result.seconds = time.perf_counter() - started
        results.append(result)
    return results


__all__ = [
    "FAIL_THRESHOLD",
    "NOT_AN_APP",
    "AppResult",
    "FindingFilter",
    "exit_code",
    "run_checks",
    "validate_app",
    "validate_paths",
]
