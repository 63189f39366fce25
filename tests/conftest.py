"""Shared fixtures: where the external conformance suites and real apps live.

Each suite is found through an environment variable whose default points into ../shared, so
another copy of the same suite can be pointed at without touching the tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"

SUITES: dict[str, Path] = {
    "STUDIO_EXPRESSION_TESTS": SHARED / "conformance" / "expressions",
    "STUDIO_XACML_TESTS": SHARED / "conformance" / "xacml",
    "STUDIO_DATAMODEL_TESTS": SHARED / "conformance" / "datamodel",
    "STUDIO_BPMN_TESTS": SHARED / "conformance" / "bpmn",
    "STUDIO_JSONSCHEMA_TESTS": SHARED / "conformance" / "jsonschema",
    "STUDIO_REAL_APPS": SHARED / "realapps",
}


def suite_path(variable: str) -> Path:
    """The folder of an external suite: the environment variable, else its ../shared default."""
    value = os.environ.get(variable)
    return Path(value) if value else SUITES[variable]


def require_suite(variable: str) -> Path:
    """Like suite_path, but skip the calling test cleanly when the folder is absent."""
    path = suite_path(variable)
    if not path.is_dir():
        pytest.skip(f"{variable} points to {path}, which does not exist")
    return path


EXAMPLES = PROJECT_ROOT / "examples"
