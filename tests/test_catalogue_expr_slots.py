"""Expression slots: every place Altinn evaluates an expression, derived from the catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_suite

from layouts.catalogue import ExprType
from layouts.catalogue.expr_slots import expression_slots, page_expression_slots


def test_top_level_nested_and_text_slots() -> None:
    component = {
        "id": "c",
        "type": "Checkboxes",
        "hidden": ["equals", 1, 1],
        "required": True,
        "dataModelBindings": {"simpleBinding": "a"},
        "textResourceBindings": {"title": "t"},
        "source": {"group": "g", "label": ["text", "x"], "value": "v"},
        "queryParameters": {"sector": ["component", "x"]},
        "pageBreak": {"breakBefore": "always"},
        "optionFilter": ["value"],
        "grid": {"xs": 3},
    }
    slots = dict(expression_slots(component))
    assert slots == {
        "/hidden": ExprType.BOOLEAN,
        "/required": ExprType.BOOLEAN,
        "/textResourceBindings/title": ExprType.STRING,
        "/source/label": ExprType.STRING,
        "/queryParameters/sector": ExprType.STRING,
        "/pageBreak/breakBefore": ExprType.STRING,
        "/optionFilter": ExprType.BOOLEAN,
    }


def test_repeating_group_slots() -> None:
    group = {
        "id": "r",
        "type": "RepeatingGroup",
        "children": ["a"],
        "dataModelBindings": {"group": "g"},
        "edit": {"addButton": ["x"], "mode": "showAll"},
        "tableColumns": {"a~b/c": {"hidden": ["x"], "width": "10%"}},
        "hiddenRow": ["x"],
        "rowsAfter": [{"cells": [{"text": "t", "cellStyle": {"colSpan": 2}}]}],
    }
    assert dict(expression_slots(group)) == {
        "/edit/addButton": ExprType.BOOLEAN,
        "/tableColumns/a~0b~1c/hidden": ExprType.BOOLEAN,
        "/hiddenRow": ExprType.BOOLEAN,
        "/rowsAfter/0/cells/0/cellStyle/colSpan": ExprType.NUMBER,
    }


def test_values_and_pages() -> None:
    page = {
        "data": {
            "hidden": ["equals", 1, 2],
            "layout": [
                {"id": "n", "type": "Number", "value": ["dataModel", "x"]},
                {"id": "u", "type": "NoSuchType", "hidden": ["x"]},
                {"id": "h", "type": "heading", "size": "L", "hidden": False},
            ],
        }
    }
    assert list(page_expression_slots(page)) == [
        ("/data/hidden", ExprType.BOOLEAN),
        ("/data/layout/0/value", ExprType.NUMBER),
        ("/data/layout/2/hidden", ExprType.BOOLEAN),
    ]
    assert list(page_expression_slots({"data": "nonsense"})) == []


def _expressions(value: Any, pointer: str, names: set[str]) -> Iterator[str]:
    """Pointers of every JSON array that starts with a known function name."""
    if isinstance(value, list):
        if value and isinstance(value[0], str) and value[0] in names:
            yield pointer
            return
        for index, item in enumerate(value):
            yield from _expressions(item, f"{pointer}/{index}", names)
    elif isinstance(value, dict):
        for key, item in value.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            yield from _expressions(item, f"{pointer}/{token}", names)


def _lenient(path: Path) -> Any:
    text = path.read_bytes().decode("utf-8-sig")
    strings = r'"(?:[^"\\]|\\.)*"'
    text = re.sub(strings + r"|//[^\n]*", lambda m: m.group() if m.group()[0] == '"' else "", text)
    text = re.sub(
        strings + r"|,(?=\s*[\]}])", lambda m: m.group() if m.group()[0] == '"' else "", text
    )
    return json.loads(text) if text.strip() else None


@pytest.mark.conformance
def test_every_expression_in_real_apps_sits_in_a_slot() -> None:
    """Any function call written in a real app's page is at a place the catalogue knows takes
    an expression (otherwise the checker would never type-check it)."""
    from layouts.expressions.functions import FUNCTIONS

    names = set(FUNCTIONS)
    root = require_suite("STUDIO_REAL_APPS")
    missing: list[str] = []
    found = 0
    for path in sorted(root.glob("*/App/ui/**/layouts/*.json")):
        page = _lenient(path)
        if not isinstance(page, dict):
            continue
        slots = {pointer for pointer, _ in page_expression_slots(page)}
        for pointer in _expressions(page.get("data"), "/data", names):
            found += 1
            if pointer not in slots:
                missing.append(f"{path.relative_to(root)}#{pointer}")
    assert found > 300
    assert not missing, "\n".join(missing[:30])
