"""Output formats of `studio validate`: text, json, junit, sarif, github.

File paths in every format are the app path as given on the command line joined with the
file's path inside the app, so CI annotations and editors land on the right file.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from app_runtime.validation.runner import AppResult
from schemas.diagnostics import Finding, Severity, registered_rules

TOOL_NAME = "formstudio"
TOOL_URI = "https://github.com/formstudio/formstudio"


def display_path(result: AppResult, finding: Finding) -> str:
    """Path of the finding's file as the user would type it (relative to the working dir)."""
    file = finding.location.file
    if result.unusable or not file:
        return file or result.label
    base = result.base if result.base is not None else result.label
    label = base.replace("\\", "/").rstrip("/") or "."
    return posixpath.normpath(posixpath.join(label, file))


def _summary_counts(results: Sequence[AppResult]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for finding in result.findings:
            counts[finding.severity.label] += 1
    return counts


def summary_line(results: Sequence[AppResult], seconds: float) -> str:
    """One line: how many problems of which kind in how many apps, and how long it took."""
    counts = _summary_counts(results)
    unusable = sum(1 for r in results if r.unusable)
    apps = len(results)
    parts = [
        _plural(counts["error"], "error"),
        _plural(counts["warning"], "warning"),
        f"{counts['info']} info",
    ]
    text = f"{', '.join(parts)} in {_plural(apps, 'app')}"
    if unusable:
        text += f" ({unusable} unusable)"
    return f"{text} ({seconds:.2f} s)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------- text
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def format_text(results: Sequence[AppResult], seconds: float, colour: bool = False) -> str:
    """Human output: one line per finding (path:line:col: severity CODE message), then hints."""
    style = _styler(colour)
    lines: list[str] = []
    for result in results:
        for finding in result.findings:
            loc = finding.location
            where = display_path(result, finding)
            if loc.line is not None:
                where += f":{loc.line}"
                if loc.column is not None:
                    where += f":{loc.column}"
            severity = style(finding.severity.label, _COLOURS[finding.severity], True)
            text = f"{style(where, None, True)}: {severity} {finding.code} {finding.message}"
            if loc.pointer and loc.pointer.startswith("/"):
                text += style(f" [{loc.pointer}]", "bright_black", False)
            lines.append(text)
            if finding.hint:
                lines.append(style(f"    hint: {finding.hint}", "bright_black", False))
    counts = _summary_counts(results)
    if any(r.unusable for r in results) or counts["error"]:
        mark = style("✗", "red", True)
    elif counts["warning"]:
        mark = style("!", "yellow", True)
    else:
        mark = style("✓", "green", True)
    lines.append(f"{mark} {summary_line(results, seconds)}")
    return "\n".join(lines) + "\n"


def _styler(colour: bool) -> Callable[[str, str | None, bool], str]:
    if not colour:
        return lambda text, fg, bold: text
    import click

    return lambda text, fg, bold: click.style(text, fg=fg, bold=bold)


# --------------------------------------------------------------------------- json
def finding_dict(result: AppResult, finding: Finding) -> dict[str, object]:
    loc = finding.location
    return {
        "code": finding.code,
        "severity": finding.severity.label,
        "message": finding.message,
        "hint": finding.hint,
        "file": loc.file,
        "path": display_path(result, finding),
        "pointer": loc.pointer,
        "line": loc.line,
        "column": loc.column,
    }


def format_json(results: Sequence[AppResult], seconds: float) -> str:
    """Machine output: every app with its findings and counts, plus a total summary."""
    payload = {
        "tool": TOOL_NAME,
        "version": 1,
        "apps": [
            {
                "app": r.label,
                "unusable": r.unusable,
                "seconds": round(r.seconds, 4),
                "counts": {s.label: r.count(s) for s in Severity},
                "findings": [finding_dict(r, f) for f in r.findings],
            }
            for r in results
        ],
        "summary": {**_summary_counts(results), "apps": len(results)},
        "seconds": round(seconds, 4),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- junit
def format_junit(results: Sequence[AppResult], seconds: float) -> str:
    """JUnit XML: one suite per app, one failing test case per finding (a clean app passes)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(max(1, len(r.findings)) for r in results)
    failures = sum(len(r.findings) for r in results)
    out.append(
        f'<testsuites name="{TOOL_NAME}" tests="{total}" failures="{failures}" '
        f'time="{seconds:.3f}">'
    )
    for result in results:
        name = quoteattr(result.label)
        count = len(result.findings)
        out.append(
            f"  <testsuite name={name} tests={quoteattr(str(max(1, count)))} "
            f'failures="{count}" time="{result.seconds:.3f}">'
        )
        if not result.findings:
            out.append(f'    <testcase classname={name} name="validate"/>')
        for finding in result.findings:
            loc = finding.location
            where = display_path(result, finding)
            if loc.line is not None:
                where += f":{loc.line}"
            case = quoteattr(f"{finding.code} {where}")
            kind = quoteattr(finding.severity.label)
            body = f"{where}: {finding.message}"
            if loc.pointer:
                body += f"\npointer: {loc.pointer}"
            if finding.hint:
                body += f"\nhint: {finding.hint}"
            out.append(f"    <testcase classname={name} name={case}>")
            out.append(
                f"      <failure message={quoteattr(finding.message)} type={kind}>"
                f"{xml_escape(body)}</failure>"
            )
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- sarif
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(results: Sequence[AppResult], seconds: float) -> str:
    """SARIF 2.1.0 with every registered rule (for GitHub code scanning and IDEs)."""
    from app_runtime.validation.runner import load_checks

    load_checks()  # import every area module so every rule is listed
    rules = sorted(registered_rules().values(), key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        for finding in result.findings:
            loc = finding.location
            physical: dict[str, object] = {
                "artifactLocation": {"uri": display_path(result, finding)}
            }
            if loc.line is not None:
                region: dict[str, int] = {"startLine": loc.line}
                if loc.column is not None:
                    region["startColumn"] = loc.column
                physical["region"] = region
            item: dict[str, object] = {
                "ruleId": finding.code,
                "level": _SARIF_LEVEL[finding.severity],
                "message": {
                    "text": finding.message + (f" Hint: {finding.hint}" if finding.hint else "")
                },
                "locations": [{"physicalLocation": physical}],
            }
            if finding.code in index:
                item["ruleIndex"] = index[finding.code]
            if loc.pointer:
                item["properties"] = {"pointer": loc.pointer}
            sarif_results.append(item)
    payload = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": TOOL_URI,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- github
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(results: Sequence[AppResult], seconds: float) -> str:
    """GitHub Actions workflow commands (::error file=...,line=...,col=...::message)."""
    lines = []
    for result in results:
        for finding in result.findings:
            loc = finding.location
            props = [f"file={_gh_property(display_path(result, finding))}"]
            if loc.line is not None:
                props.append(f"line={loc.line}")
                if loc.column is not None:
                    props.append(f"col={loc.column}")
            props.append(f"title={_gh_property(finding.code)}")
            message = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
            if loc.pointer:
                message += f" [{loc.pointer}]"
            command = _GITHUB_COMMAND[finding.severity]
            lines.append(f"::{command} {','.join(props)}::{_gh_data(message)}")
    lines.append(summary_line(results, seconds))
    return "\n".join(lines) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[AppResult], float], str]] = {
    "text": format_text,
    "json": format_json,
    "junit": format_junit,
    "sarif": format_sarif,
    "github": format_github,
}
