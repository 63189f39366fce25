"""Findings, rules and located errors: the vocabulary every check and loader speaks.

Lives in the lowest package so that data-model, layout, process and policy code can all report
problems the same way without importing upward.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """How bad a finding is; ordered so `--min-severity` can compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r}; use one of {names}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file relative to the app root, plus a place inside it.

    `pointer` is a JSON pointer for JSON files and an element path for XML files. `line` and
    `column` are 1-based and may be filled in lazily by whoever holds the source text.
    """

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def with_position(self, line: int | None, column: int | None) -> Location:
        return Location(self.file, self.pointer, line, column)

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.pointer:
            text += f" ({self.pointer})"
        return text


@dataclass(frozen=True, slots=True)
class Rule:
    """A stable rule code, like a linter's, with its default severity and a one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def finding(
        self,
        message: str,
        location: Location,
        hint: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(self.code, severity or self.severity, message, location, hint)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in an app, with where it is and how to fix it."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.location.file,
            self.location.line or 0,
            self.location.column or 0,
            self.code,
            self.message,
        )


_RULES: dict[str, Rule] = {}


def define_rule(code: str, name: str, severity: Severity, summary: str) -> Rule:
    """Register a rule code once; the registry is what `--select/--ignore` and docs read."""
    existing = _RULES.get(code)
    if existing is not None and existing != Rule(code, name, severity, summary):
        raise ValueError(f"rule code {code} is defined twice with different meanings")
    rule = Rule(code, name, severity, summary)
    _RULES[code] = rule
    return rule


def registered_rules() -> dict[str, Rule]:
    return dict(_RULES)


class LocatedError(Exception):
    """Base class of domain errors that know where in which file the problem is."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


@dataclass(slots=True)
class FindingSink:
    """Collects findings; handy for checks written as plain loops."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)
