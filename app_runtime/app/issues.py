"""Rules for problems met while reading an app's files (the FILE area).

The loader turns every unreadable file into one of these findings instead of raising, so a
single broken page never hides the problems in the rest of the app.
"""

from __future__ import annotations

from schemas.diagnostics import Severity, define_rule

INVALID_JSON = define_rule(
    "FILE001", "invalid-json", Severity.ERROR, "A JSON file does not parse (syntax, encoding)."
)
INVALID_XML = define_rule(
    "FILE002",
    "invalid-xml",
    Severity.ERROR,
    "An XML file does not parse, or uses entities/DTDs (refused for safety).",
)
OUTSIDE_APP = define_rule(
    "FILE003",
    "path-outside-app",
    Severity.ERROR,
    "A file or folder is a symlink that resolves outside the app folder; it is not read.",
)
NONSTANDARD_JSON = define_rule(
    "FILE004",
    "nonstandard-json",
    Severity.INFO,
    "A JSON file uses comments or trailing commas; Altinn tolerates them, strict tools do not.",
)
EMPTY_FILE = define_rule(
    "FILE005", "empty-file", Severity.WARNING, "A JSON or XML file is empty and is ignored."
)
UNREADABLE_FILE = define_rule(
    "FILE006",
    "unreadable-file",
    Severity.ERROR,
    "A file cannot be read (permissions, a folder where a file is expected, too large).",
)

LOADER_RULES = (
    INVALID_JSON,
    INVALID_XML,
    OUTSIDE_APP,
    NONSTANDARD_JSON,
    EMPTY_FILE,
    UNREADABLE_FILE,
)
