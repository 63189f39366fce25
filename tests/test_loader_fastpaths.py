"""The loader's file-system shortcuts give the answers of its general pathlib paths.

`AppFiles` names files by string slicing, reads a regular file with one `lstat` and one `open`,
lists folders with `os.scandir` and walks app code without re-checking real subfolders. Each
shortcut is compared here with the general path it stands in for: on generated path strings,
on a folder of every awkward kind of entry (symlinks in and out, dangling, folders where files
are expected, empty and oversized files), and on every real app, example and hostile case as a
whole (same App state, same findings).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_loader import base_files, page, write

from app_runtime.app import App, load_app
from app_runtime.app.filesystem import is_clean, is_dir, suffix_and_stem
from app_runtime.validation.runner import run_checks
from schemas.diagnostics import Finding

PARTS = st.sampled_from(["a", "b.json", ".", "..", "", " ", "App", "x.y.z", ".hidden", "~"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PARTS, min_size=1, max_size=5), absolute=st.booleans())
def test_names_match_pathlib(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], absolute: bool
) -> None:
    root = tmp_path_factory.getbasetemp() / "root"
    root.mkdir(exist_ok=True)
    app = App(root)
    text = "/".join(parts)
    if absolute:
        text = os.fspath(root) + "/" + text
    for given_path in (text, Path(text)):
        assert app.relpath(given_path) == app._relpath_general(given_path)
        assert app._locate(given_path) == app._locate_general(given_path)
    if is_clean(text):
        assert str(Path(text)) == text


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet="ab.J ~", min_size=1, max_size=8))
def test_suffix_and_stem_match_pathlib(name: str) -> None:
    if name in (".", ".."):
        return
    assert suffix_and_stem(name) == (Path(name).suffix, Path(name).stem)


def awkward_folder(root: Path, outside: Path) -> list[str]:
    """Entries of every kind under root/App/odd; returns their names."""
    folder = root / "App" / "odd"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.json").write_text('{"secret": 1}')
    (folder / "plain.json").write_text('{"a": 1}')
    (folder / "comment.json").write_text('// c\n{"a": 1,}')
    (folder / "broken.json").write_text('{"a": ')
    (folder / "empty.json").write_text("")
    (folder / "bom.json").write_bytes(b"\xef\xbb\xbf  \n")
    (folder / "latin1.json").write_bytes(b'{"a": "\xff"}')
    (folder / "big.json").write_text('{"a": "' + "x" * 5000 + '"}')
    (folder / "dir.json").mkdir()
    (folder / "sub" / "inner.json").write_text("[1]")
    os.symlink(folder / "plain.json", folder / "link-in.json")
    os.symlink(outside / "secret.json", folder / "link-out.json")
    os.symlink(folder / "missing.json", folder / "dangling-in.json")
    os.symlink("/nonexistent/x.json", folder / "dangling-out.json")
    os.symlink(folder / "sub", folder / "sub-link")
    os.symlink(outside, folder / "outside-link")
    return sorted(p.name for p in folder.iterdir())


def test_reading_matches_the_general_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "app"
    names = awkward_folder(root, tmp_path / "outside")
    monkeypatch.setattr("app_runtime.app.filesystem.MAX_JSON_BYTES", 4096)
    candidates = [f"App/odd/{n}" for n in names] + [
        "App/odd/missing.json",
        "App/odd/plain.json/below.json",  # a file as a folder
        "App/odd/sub/inner.json",
        "App/odd/sub-link/inner.json",
        "App/odd/outside-link/secret.json",
        "App/odd/../odd/plain.json",
        "App/../../outside/secret.json",
    ]
    for warm in (False, True):
        fast, general = App(root), App(root)
        if warm:  # folder answers cached, as after listing
            fast._scan(os.fspath(root / "App" / "odd"))
            general._scan(os.fspath(root / "App" / "odd"))
        for name in candidates:
            text = os.fspath(root / name)
            got = fast._read(text, name, 4096)
            want = general._read_general(text, name, 4096)
            assert got == want, name
        assert describe(fast._findings) == describe(general._findings)


def test_is_dir_matches_pathlib(tmp_path: Path) -> None:
    root = tmp_path / "app"
    names = awkward_folder(root, tmp_path / "outside")
    folder = root / "App" / "odd"
    for name in [*names, "missing", "plain.json/below"]:
        assert is_dir(os.fspath(folder / name)) == (folder / name).is_dir(), name


def reference_listdir(app: App, folder: Path) -> list[Path]:
    """The loader's listing as it was written with pathlib."""
    if not folder.is_dir() or not app._safe(folder):
        return []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [entry for entry in entries if not entry.is_symlink() or app._safe(entry)]


def test_listing_matches_pathlib(tmp_path: Path) -> None:
    root = tmp_path / "app"
    awkward_folder(root, tmp_path / "outside")
    for folder in [root / "App" / "odd", root / "App" / "odd" / "outside-link", root / "nope"]:
        fast, general = App(root), App(root)
        assert fast._listdir(folder) == reference_listdir(general, folder)
        assert [e.path for e in fast._scan(os.fspath(folder))] == [
            os.fspath(p) for p in reference_listdir(App(root), folder)
        ]
        assert describe(fast._findings) == describe(general._findings)


class _PathEntry:
    """A pathlib entry dressed as the `os.DirEntry` that `_scan` returns."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self.name = path.name
        self.path = os.fspath(path)

    def is_dir(self) -> bool:
        return self._path.is_dir()

    def is_file(self) -> bool:
        return self._path.is_file()

    def is_symlink(self) -> bool:
        return self._path.is_symlink()


class GeneralApp(App):
    """An App that takes the general (pathlib) path everywhere the loader has a shortcut."""

    def relpath(self, path: str | os.PathLike[str]) -> str:
        return self._relpath_general(path)

    def _locate(self, relpath: str | os.PathLike[str]) -> tuple[str, str]:
        return self._locate_general(relpath)

    def _read(self, text: str, name: str, limit: int) -> bytes | None:
        return self._read_general(text, name, limit)

    def _scan(self, folder: str, *, checked: bool = False) -> list[Any]:
        return [_PathEntry(p) for p in reference_listdir(self, Path(folder))]


def describe(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [
        (f.code, f.message, f.location.file, f.location.pointer, f.location.line, f.hint)
        for f in findings
    ]


def app_state(app: App) -> dict[str, Any]:
    app.load_everything()
    return {
        "sets": [
            (
                s.id,
                s.folder,
                list(s.pages),
                s.page_files,
                s.settings_path,
                s.rule_configuration_path,
            )
            for s in app.layout_sets
        ],
        "texts": (list(app.texts), app.text_files),
        "options": (list(app.options), app.option_files),
        "models": app.models,
        "code": app.code_files,
        "cache": sorted(app._json_cache),
        "load": describe(app.load_findings),
    }


def assert_same_as_general(root: Path) -> None:
    fast, general = load_app(root), GeneralApp(load_app(root).root)
    assert app_state(fast) == app_state(general)
    assert describe(run_checks(load_app(root))) == describe(
        run_checks(GeneralApp(load_app(root).root))
    )


def odd_app(tmp_path: Path) -> Path:
    """An app whose folders hold symlinks, odd names and app code."""
    root = tmp_path / "odd"
    files = base_files()
    files.update(
        {
            "App/ui/layout-sets.json": {
                "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
            },
            "App/ui/form/Settings.json": {"pages": {"order": ["A", "B"]}},
            "App/ui/form/layouts/A.json": page({"id": "a", "type": "Input", "optionsId": "dyn"}),
            "App/ui/form/layouts/B.JSON": page(),
            "App/ui/stray/layouts/s.json": page(),
            "App/logic/Deep/Provider.cs": 'class P { string id = "dyn"; }',
            "App/bin/Skip.cs": "class S {}",
            "App/config/texts/resource..json": {"resources": []},
        }
    )
    write(root, files)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.json").write_text("{}")
    (outside / "X.cs").write_text('class X { string a = "colours"; }')
    layouts = root / "App/ui/form/layouts"
    os.symlink(layouts / "A.json", layouts / "alias.json")
    os.symlink(outside / "x.json", layouts / "leak.json")
    os.symlink("/nonexistent/x.json", layouts / "dangling.json")
    (layouts / "dir.json").mkdir()
    os.symlink(outside / "X.cs", root / "App/logic/X.cs")
    os.symlink(outside, root / "App/logic/out")
    os.symlink(root / "App/options", root / "App/logic/options-link")
    return root


def test_odd_app_matches_the_general_path(tmp_path: Path) -> None:
    assert_same_as_general(odd_app(tmp_path))


def test_examples_match_the_general_path() -> None:
    for root in sorted((Path(__file__).resolve().parent.parent / "examples").iterdir()):
        if root.is_dir():
            assert_same_as_general(root)


def test_hostile_cases_match_the_general_path(tmp_path: Path) -> None:
    from hostile.corpus import CASES

    for name, build in CASES.items():
        if name in ("page-50mb", "empty-folder", "not-a-folder"):
            continue  # (no app to compare, or 50 MB to write)
        root = tmp_path / "apps" / name
        root.parent.mkdir(parents=True, exist_ok=True)
        build(root, tmp_path / "outside" / name)
        assert_same_as_general(root)


@pytest.mark.conformance
def test_real_apps_match_the_general_path() -> None:
    from conftest import require_suite

    apps = sorted(p for p in require_suite("STUDIO_REAL_APPS").iterdir() if p.is_dir())
    assert apps
    for root in apps:
        assert_same_as_general(root)
