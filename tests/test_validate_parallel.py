"""Validating in several processes gives exactly the sequential findings.

The forking runs happen in a fresh interpreter: a test runner's worker has threads of its
own, and forking next to them is what `worker_count` refuses to do in real use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_suite

from app_runtime.app import load_app
from app_runtime.validation import parallel
from app_runtime.validation.parallel import LARGE_APP_BYTES, source_bytes, worker_count
from studio.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fhi-registerdata"

COMPARE = textwrap.dedent(
    """
    import json, sys
    from app_runtime.app import AppLoadError, load_app
    from app_runtime.validation.runner import run_checks

    def render(findings):
        return [[f.code, f.severity.name, f.message, f.location.file, f.location.pointer,
                 f.location.line, f.location.column, f.hint] for f in findings]

    compared, differing = 0, []
    for path in sys.argv[1:]:
        try:
            one = render(run_checks(load_app(path), workers=1))
            two = render(run_checks(load_app(path), workers=2))
        except AppLoadError:
            continue
        compared += 1
        if one != two:
            differing.append(path)
    print(json.dumps({"compared": compared, "differing": differing}))
    """
)


def compare_in_fresh_process(paths: list[Path]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", COMPARE, *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_two_processes_find_what_one_finds_on_the_example_and_a_broken_copy(
    tmp_path: Path,
) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    page = next((broken / "App" / "ui").rglob("layouts/*.json"))
    data = json.loads(page.read_text(encoding="utf-8"))
    data["data"]["layout"][0]["type"] = "NoSuchType"
    data["data"]["layout"].append(data["data"]["layout"][0])  # a duplicate id too
    page.write_text(json.dumps(data), encoding="utf-8")
    (broken / "App" / "options" / "broken.json").write_text("[{", encoding="utf-8")
    report = compare_in_fresh_process([EXAMPLE, broken])
    assert report == {"compared": 2, "differing": []}


@pytest.mark.conformance
def test_two_processes_find_what_one_finds_in_every_real_app() -> None:
    root = require_suite("STUDIO_REAL_APPS")
    apps = sorted(p for p in root.iterdir() if p.is_dir())
    report = compare_in_fresh_process(apps)
    assert report["differing"] == []
    assert report["compared"] == len(apps)


CHILD_DIES = textwrap.dedent(
    """
    import os, sys
    from app_runtime.app import load_app
    from app_runtime.checks.registry import Check
    from app_runtime.validation.runner import run_checks
    from schemas.diagnostics import Location, Severity, define_rule

    RULE = define_rule("TST900", "test-rule", Severity.WARNING, "A test rule.")
    parent = os.getpid()

    def finder(index):
        def finding(app):
            yield RULE.finding(f"found {index}", Location("App/ui/x.json"), "")
        return finding

    def dies_in_a_child(app):
        if os.getpid() != parent:
            os._exit(9)
        yield RULE.finding("found by the parent", Location("App/ui/y.json"), "")

    checks = [Check(f"c{i}", "test", (RULE,), finder(i)) for i in range(6)]
    checks[3] = Check("dies", "test", (RULE,), dies_in_a_child)
    found = run_checks(load_app(sys.argv[1]), checks, workers=2)
    print(sorted(f.message for f in found if f.code == "TST900"))
    """
)


def test_checks_of_a_child_that_dies_are_run_by_the_parent() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD_DIES, str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    assert last == str(
        ["found 0", "found 1", "found 2", "found 4", "found 5", "found by the parent"]
    )


def test_small_apps_and_threaded_processes_use_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = load_app(EXAMPLE)
    monkeypatch.setattr(parallel, "available_cores", lambda: 8)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    assert source_bytes(app.app_dir) < LARGE_APP_BYTES
    assert worker_count(app) == 1
    assert worker_count(app, 3) == 3
    assert worker_count(app, 64) == parallel.MAX_WORKERS
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert worker_count(app, 3) == 1


def test_large_apps_use_two_processes_when_there_are_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    big = tmp_path / "big"
    shutil.copytree(EXAMPLE, big)
    (big / "App" / "ui" / "filler.json").write_text(" " * LARGE_APP_BYTES, encoding="utf-8")
    app = load_app(big)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    assert worker_count(app) == 2
    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    assert worker_count(app) == 1


def test_source_size_does_not_follow_symlinks_out_of_the_app(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.json").write_text(" " * 5000, encoding="utf-8")
    app_dir = tmp_path / "app" / "App"
    app_dir.mkdir(parents=True)
    (app_dir / "a.json").write_text("{}", encoding="utf-8")
    os.symlink(outside, app_dir / "link")
    os.symlink(outside / "big.json", app_dir / "big.json")
    assert source_bytes(app_dir) == 2


def test_jobs_option_is_accepted() -> None:
    result = CliRunner().invoke(cli, ["validate", "--jobs", "2", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    refused = CliRunner().invoke(cli, ["validate", "--jobs", "0", str(EXAMPLE)])
    assert refused.exit_code == 2
