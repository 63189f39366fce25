"""`studio validate` against the hostile corpus: a clean message, exit 1 or 2, no traceback,
no hang, nothing read from outside the app.

All cases are validated in one `python -m studio validate` process per output format (the
JSON report carries each app's own time), plus single-app runs for the real exit codes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import CASES, SECRET, Expectation

PROJECT = Path(__file__).resolve().parents[2]
PER_CASE_SECONDS = 2.0


def studio(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studio", "validate", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Expectation]]:
    base = tmp_path_factory.mktemp("hostile")
    built: dict[str, tuple[Path, Expectation]] = {}
    for name, build in CASES.items():
        root = base / "apps" / name
        root.parent.mkdir(parents=True, exist_ok=True)
        built[name] = (root, build(root, base / "outside" / name))
    return built


@pytest.fixture(scope="module")
def reports(corpus: dict[str, tuple[Path, Expectation]]) -> dict[str, object]:
    paths = [str(root) for root, _ in corpus.values()]
    timeout = 20 + PER_CASE_SECONDS * len(paths)
    as_json = studio("--format", "json", *paths, timeout=timeout)
    as_text = studio(*paths, timeout=timeout)
    payload = json.loads(as_json.stdout)
    by_app = {entry["app"]: entry for entry in payload["apps"]}
    return {"json": as_json, "text": as_text, "apps": by_app}


@pytest.mark.parametrize("name", list(CASES))
def test_case_gives_clean_findings(
    name: str, corpus: dict[str, tuple[Path, Expectation]], reports: dict[str, object]
) -> None:
    root, expected = corpus[name]
    entry = reports["apps"][str(root)]  # type: ignore[index]
    codes = {f["code"] for f in entry["findings"]}
    assert not expected.code or expected.code in codes, entry["findings"]
    assert not codes & {"CHK001", "CHK002"}, entry["findings"]  # no check crashed
    counts = entry["counts"]
    exit_code = 2 if entry["unusable"] else int(counts["error"] + counts["warning"] > 0)
    assert exit_code == expected.exit_code
    assert entry["seconds"] < PER_CASE_SECONDS
    for finding in entry["findings"]:
        assert finding["message"] and "Traceback" not in finding["message"]
        assert SECRET not in json.dumps(finding)


def test_no_traceback_and_no_secret_in_any_output(reports: dict[str, object]) -> None:
    for key in ("json", "text"):
        result = reports[key]
        output = result.stdout + result.stderr  # type: ignore[attr-defined]
        assert "Traceback" not in output
        assert SECRET not in output
        assert result.returncode == 2  # type: ignore[attr-defined]  # some cases are unusable


@pytest.mark.parametrize(("name", "exit_code"), [("empty-folder", 2), ("page-50mb", 1)])
def test_single_app_exit_codes(
    name: str, exit_code: int, corpus: dict[str, tuple[Path, Expectation]]
) -> None:
    root, _ = corpus[name]
    result = studio(str(root), timeout=20)
    assert result.returncode == exit_code
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("✗")
