"""Options checks (OPT): code lists named by components exist, and their values are unique.

An `optionsId` is served either from `App/options/<id>.json` or by the app's own code (an
`IAppOptionsProvider`/`IInstanceAppOptionsProvider` whose `Id` is that string). We never run
app code; we only look whether its C# sources mention the id. When an app folder carries no
code at all we cannot tell, so that case is information, not an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from app_runtime.app import App
from app_runtime.checks.registry import check
from schemas.diagnostics import Finding, Location, Severity, define_rule

MISSING_OPTIONS = define_rule(
    "OPT001",
    "options-not-found",
    Severity.ERROR,
    "A component's optionsId has no App/options file and the app's code does not provide it.",
)
MAYBE_DYNAMIC = define_rule(
    "OPT002",
    "options-from-code",
    Severity.INFO,
    "A component's optionsId has no App/options file; it must come from app code that is not "
    "part of the checked folder.",
)
DUPLICATE_VALUE = define_rule(
    "OPT003",
    "duplicate-option-value",
    Severity.WARNING,
    "Two options in one list share a value, so a saved answer cannot tell them apart.",
)
EMPTY_OPTIONS_ID = define_rule(
    "OPT004",
    "empty-options-id",
    Severity.INFO,
    'A component has "optionsId": "", which is ignored.',
)

OPTIONS_RULES = (MISSING_OPTIONS, MAYBE_DYNAMIC, DUPLICATE_VALUE, EMPTY_OPTIONS_ID)


@check("options", MISSING_OPTIONS, MAYBE_DYNAMIC, EMPTY_OPTIONS_ID)
def check_options_ids(app: App) -> Iterator[Finding]:
    """Each optionsId resolves to a file, or to code that mentions it."""
    has_code = bool(app.code_files)
    for layout_set in app.layout_sets:
        for page, pointer, component in layout_set.components():
            if "optionsId" not in component:
                continue
            options_id = component["optionsId"]
            if not isinstance(options_id, str):
                continue  # the file schema reports the wrong type
            if options_id and options_id in app.option_files:
                continue  # the usual case: no location needed
            location = Location(layout_set.page_files[page], f"{pointer}/optionsId")
            if not options_id:
                yield EMPTY_OPTIONS_ID.finding(
                    "optionsId is empty and is ignored",
                    location,
                    "remove it, or name an options file in App/options/",
                )
                continue
            if has_code and app.mentioned_in_code(options_id):
                continue
            known = ", ".join(sorted(app.option_files)) or "none"
            if has_code:
                yield MISSING_OPTIONS.finding(
                    f"optionsId {options_id!r} has no App/options/{options_id}.json and no "
                    "app code provides it",
                    location,
                    f"add the file, or an IAppOptionsProvider with Id {options_id!r}; "
                    f"options files present: {known}",
                )
            else:
                yield MAYBE_DYNAMIC.finding(
                    f"optionsId {options_id!r} has no App/options/{options_id}.json; it must "
                    "be provided by app code (IAppOptionsProvider), which is not in this folder",
                    location,
                    f"if no code provides it, add App/options/{options_id}.json "
                    f"(options files present: {known})",
                )


@check("options", DUPLICATE_VALUE)
def check_duplicate_values(app: App) -> Iterator[Finding]:
    """Values are unique within each options file and each inline `options` list."""
    for options_id, document in sorted(app.options.items()):
        yield from _duplicates(document.data, app.option_files[options_id], "")
    for layout_set in app.layout_sets:
        for page, pointer, component in layout_set.components():
            inline = component.get("options")
            if isinstance(inline, list):
                file = layout_set.page_files[page]
                yield from _duplicates(inline, file, f"{pointer}/options")


def _duplicates(options: Any, file: str, base: str) -> Iterator[Finding]:
    if not isinstance(options, list):
        return
    seen: dict[str, int] = {}
    for index, option in enumerate(options):
        if not isinstance(option, dict) or "value" not in option:
            continue
        key = _value_key(option["value"])
        if key in seen:
            yield DUPLICATE_VALUE.finding(
                f"option value {option['value']!r} is also used by option {seen[key]}",
                Location(file, f"{base}/{index}/value"),
                "give every option its own value",
            )
        else:
            seen[key] = index


def _value_key(value: Any) -> str:
    """Values are compared as the frontend stores them: as strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, sort_keys=True)
