"""The check registry: what `studio validate` and the designer's validation panel run.

A check is a plain function taking the loaded app and yielding findings. Each area module
(files, layouts, bindings, texts, expressions, options, metadata, models, process, policy)
registers its checks with `@check(...)` at import time; `all_checks()` imports them all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemas.diagnostics import Finding, Rule

if TYPE_CHECKING:
    from app_runtime.app import App

CheckFunction = Callable[["App"], Iterable[Finding]]

AREA_MODULES: tuple[str, ...] = (
    "app_runtime.checks.files",
    "app_runtime.checks.layouts",
    "app_runtime.checks.bindings",
    "app_runtime.checks.texts",
    "app_runtime.checks.expressions",
    "app_runtime.checks.options",
    "app_runtime.checks.metadata",
    "app_runtime.checks.models",
    "app_runtime.checks.models_xsd",
    "app_runtime.checks.process",
    "app_runtime.checks.policy",
)


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its area (for per-area counts), the rules it can report, the code."""

    name: str
    area: str
    rules: tuple[Rule, ...]
    run: CheckFunction


_CHECKS: dict[str, Check] = {}


def check(area: str, *rules: Rule) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under `area`, declaring which rules it may report."""

    def register(function: CheckFunction) -> CheckFunction:
        name = f"{function.__module__}.{function.__qualname__}"
        _CHECKS[name] = Check(name, area, rules, function)
        return function

    return register


def all_checks() -> list[Check]:
    """Import every area module that exists and return their checks in registration order."""
    for module in AREA_MODULES:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return list(_CHECKS.values())
