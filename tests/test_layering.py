"""Domain packages never import upward, nor any UI or web framework."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["schemas", "layouts", "app_runtime", "studio"]
UI_AND_WEB = {"textual", "fastapi", "starlette", "uvicorn"}
WEB_ALLOWED = {"app_runtime/web"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ORDER[:-1])
def test_no_upward_or_ui_imports(package: str) -> None:
    forbidden_layers = set(ORDER[ORDER.index(package) + 1 :])
    offenders: list[str] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        names = _imports(path)
        upward = names & forbidden_layers
        ui = names & UI_AND_WEB
        if any(relative.startswith(prefix + "/") for prefix in WEB_ALLOWED):
            ui -= {"fastapi", "starlette", "uvicorn"}
        if upward or ui:
            offenders.append(f"{relative}: {sorted(upward | ui)}")
    assert not offenders, "layering violations:\n" + "\n".join(offenders)


def test_validate_does_not_load_ui_frameworks() -> None:
    code = (
        "import sys, app_runtime.checks.registry as r; r.all_checks(); "
        "import studio.cli; "
        "bad = [m for m in ('textual', 'fastapi', 'uvicorn') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
