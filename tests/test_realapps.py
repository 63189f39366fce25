"""Every real app in STUDIO_REAL_APPS loads, no check crashes on it, and its findings match the
reviewed expectation file tests/realapps/<app>.json.

An expectation file lists each finding as code + file + pointer with a verdict and a note
written when the finding was read against the app. Findings whose code starts with one of
`STRICT_PREFIXES` must match the file exactly (a new one is a regression or a false positive
to fix; a vanished one must be explained). Every area's prefix is listed now that every
finding has been read against its app; a code outside them is only reported.

An app folder without an expectation file must still load without a crash; the test reports
it (as a warning) so that someone reviews it and writes its file with:

    python tests/test_realapps.py --update [APP ...]

which rewrites the files from the current findings, keeping existing verdicts and notes.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest
from conftest import suite_path

HERE = Path(__file__).resolve().parent
EXPECTATIONS = HERE / "realapps"
STRICT_PREFIXES = (
    "APP",
    "AUTH",
    "BIND",
    "CHK",
    "EXPR",
    "FILE",
    "LAY",
    "META",
    "MODEL",
    "OPT",
    "PROC",
    "TXT",
    "XSD",
)
CRASH_CODES = {"CHK001", "CHK002"}

Key = tuple[str, str, str]


def app_dirs() -> list[Path]:
    root = suite_path("STUDIO_REAL_APPS")
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir())


def current_findings(app_dir: Path) -> list[dict[str, object]]:
    from app_runtime.app import load_app
    from app_runtime.validation.runner import run_checks

    findings = run_checks(load_app(app_dir))
    return [
        {
            "code": f.code,
            "severity": f.severity.label,
            "file": f.location.file,
            "pointer": f.location.pointer,
            "line": f.location.line,
            "message": f.message,
        }
        for f in findings
    ]


def key(entry: dict[str, object]) -> Key:
    return (str(entry["code"]), str(entry["file"]), str(entry["pointer"]))


def strict(code: str) -> bool:
    return code.startswith(STRICT_PREFIXES)


@pytest.mark.conformance
@pytest.mark.parametrize("app_dir", app_dirs(), ids=lambda p: p.name)
def test_real_app(app_dir: Path) -> None:
    findings = current_findings(app_dir)
    crashes = [f for f in findings if f["code"] in CRASH_CODES]
    assert not crashes, f"checks crashed on {app_dir.name}: {crashes}"
    expectation_file = EXPECTATIONS / f"{app_dir.name}.json"
    if not expectation_file.is_file():
        warnings.warn(
            f"{app_dir.name}: {len(findings)} findings, no reviewed expectation file yet "
            f"(python tests/test_realapps.py --update {app_dir.name})",
            stacklevel=1,
        )
        return
    expected = json.loads(expectation_file.read_text(encoding="utf-8"))["findings"]
    have = {key(f) for f in findings}
    want = {key(f) for f in expected}
    unexpected = sorted(k for k in have - want if strict(k[0]))
    vanished = sorted(k for k in want - have if strict(k[0]))
    others = sorted((have ^ want) - set(unexpected) - set(vanished))
    if others:
        warnings.warn(
            f"{app_dir.name}: other teams' findings differ from the file: {others[:10]}",
            stacklevel=1,
        )
    assert not unexpected and not vanished, (
        f"{app_dir.name}: new findings {unexpected}; expected but gone {vanished}"
    )


def test_realapps_folder_is_covered() -> None:
    """Every expectation file belongs to an app that exists (stale files are removed)."""
    names = {p.name for p in app_dirs()}
    if not names:
        pytest.skip("STUDIO_REAL_APPS is not available")
    stale = [p.stem for p in EXPECTATIONS.glob("*.json") if p.stem not in names]
    assert not stale


def update(names: list[str]) -> None:
    """Rewrite expectation files from current findings, keeping verdicts and notes."""
    EXPECTATIONS.mkdir(exist_ok=True)
    for app_dir in app_dirs():
        if names and app_dir.name not in names:
            continue
        path = EXPECTATIONS / f"{app_dir.name}.json"
        old: dict[Key, dict[str, object]] = {}
        if path.is_file():
            for entry in json.loads(path.read_text(encoding="utf-8"))["findings"]:
                old[key(entry)] = entry
        entries = []
        for finding in current_findings(app_dir):
            previous = old.get(key(finding), {})
            entries.append(
                {
                    "code": finding["code"],
                    "severity": finding["severity"],
                    "file": finding["file"],
                    "pointer": finding["pointer"],
                    "message": finding["message"],
                    "verdict": previous.get("verdict", "unreviewed"),
                    "note": previous.get("note", ""),
                }
            )
        payload = {"app": app_dir.name, "findings": entries}
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"{path.relative_to(HERE.parent)}: {len(entries)} findings")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    if "--update" in sys.argv:
        update([a for a in sys.argv[1:] if a != "--update"])
    else:
        print(__doc__)
