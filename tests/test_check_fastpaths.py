"""The layout, binding, text and options checks' shortcuts find exactly what their general
paths find.

Each check skips, for the usual clean component or file, the work that could only confirm it
is clean. Here every check runs both ways — with its shortcut, and with the shortcut switched
off or replaced by the plain algorithm it stands in for — on every real app, the examples and
synthetic apps made to hit the rare paths (duplicate ids, repeating groups, untranslated and
unused texts, text variables), and the findings must be identical, in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_loader import base_files, page, write

from app_runtime.app import App, LayoutSet, load_app
from app_runtime.checks import bindings, layouts, options, texts
from app_runtime.checks.layouts import Placed
from app_runtime.checks.suggest import Suggestions
from schemas.diagnostics import Finding, Location

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def describe(findings: Iterator[Finding] | list[Finding]) -> list[tuple[object, ...]]:
    return [
        (f.code, f.severity, f.message, f.location.file, f.location.pointer, f.hint)
        for f in findings
    ]


def tricky_app(tmp_path: Path) -> Path:
    """Duplicate ids (across and within pages), a repeating group, bindings of every kind,
    texts missing in a language or unused, text variables, options from files and code."""
    model = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "n": {"type": "integer"},
            "obj": {"properties": {"x": {"type": "string"}}},
            "rows": {"type": "array", "items": {"properties": {"v": {"type": "string"}}}},
        },
    }
    first = page(
        {
            "id": "grp",
            "type": "RepeatingGroup",
            "children": ["inrow", "ghost"],
            "dataModelBindings": {"group": "rows"},
        },
        {"id": "inrow", "type": "Input", "dataModelBindings": {"simpleBinding": "rows.v"}},
        {
            "id": "dup",
            "type": "Input",
            "dataModelBindings": {"simpleBinding": "a"},
            "textResourceBindings": {"title": "both", "help": "only.nb"},
        },
        {"id": "dup", "type": "TextArea", "dataModelBindings": {"simpleBinding": "n"}},
        {
            "id": "num",
            "type": "Input",
            "formatting": {"number": {"thousandSeparator": " "}},
            "dataModelBindings": {"simpleBinding": "a"},
        },
        {"id": "bad", "type": "Input", "dataModelBindings": {"simpleBinding": 5}},
        {"id": "noreq", "type": "Input"},
        {"id": "wrongkey", "type": "Input", "dataModelBindings": {"label": "a"}},
        {"id": "obj", "type": "Input", "dataModelBindings": {"simpleBinding": "obj"}},
        {"id": "idx", "type": "Input", "dataModelBindings": {"simpleBinding": "rows[0].v"}},
        {
            "id": "other",
            "type": "Input",
            "dataModelBindings": {"simpleBinding": {"dataType": "ghost", "field": "a"}},
        },
        {"id": "empty", "type": "Input", "dataModelBindings": {"simpleBinding": ""}},
        {"id": "Bad-1", "type": "inpUT", "optionsId": "dyn"},
        {
            "id": "drop",
            "type": "Dropdown",
            "optionsId": "colours",
            "dataModelBindings": {"simpleBinding": "a"},
        },
        {
            "id": "nope",
            "type": "Dropdown",
            "optionsId": "",
            "dataModelBindings": {"simpleBinding": " a"},
        },
        {"type": "Paragraph", "textResourceBindings": {"title": "literal text"}},
    )
    second = page(
        {"id": "dup", "type": "Input", "dataModelBindings": {"simpleBinding": "missing"}},
        {"id": "g2", "type": "Group", "children": ["dup", "g2"]},
        {"id": "cy1", "type": "Group", "children": ["cy2"]},
        {"id": "cy2", "type": "Group", "children": ["cy1", "1:inrow"]},
    )
    files = base_files()
    files.update(
        {
            "App/models/model.schema.json": model,
            "App/ui/layout-sets.json": {
                "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
            },
            "App/ui/form/Settings.json": {"pages": {"order": ["p1", "p2"]}},
            "App/ui/form/layouts/p1.json": first,
            "App/ui/form/layouts/p2.json": second,
            "App/config/texts/resource.nb.json": {
                "language": "nb",
                "resources": [
                    {"id": "both", "value": "x"},
                    {"id": "only.nb", "value": "y"},
                    {"id": "unused", "value": "z"},
                    {"id": "both", "value": "again"},
                    {
                        "id": "vars",
                        "value": "{0}",
                        "variables": [{"key": "a.nope", "dataSource": "dataModel.default"}],
                    },
                    {"id": "general.next", "value": "Neste"},
                    {"id": "colours-label", "value": "Red"},
                ],
            },
            "App/config/texts/resource.en.json": {
                "language": "en",
                "resources": [{"id": "both", "value": "x"}, {"id": "en.only", "value": "y"}],
            },
            "App/options/colours.json": [{"value": "r", "label": "colours-label"}],
        }
    )
    return write(tmp_path / "tricky", files)


def app_roots(tmp_path: Path) -> list[Path]:
    roots = [tricky_app(tmp_path)]
    roots += sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
    return roots


def real_app_roots() -> list[Path]:
    from conftest import require_suite

    return sorted(p for p in require_suite("STUDIO_REAL_APPS").iterdir() if p.is_dir())


# -- general paths ------------------------------------------------------------------------


def general_components(app: App) -> Iterator[Finding]:
    """check_components as written before its shortcut: every component fully checked."""
    for layout_set in app.layout_sets:
        for page_id, document in layout_set.pages.items():
            file = layout_set.page_files[page_id]
            data = document.data
            inner = data.get("data") if isinstance(data, dict) else None
            if not isinstance(inner, dict) or not isinstance(inner.get("layout"), list):
                yield layouts.NO_LAYOUT.finding(
                    "page has no data.layout list",
                    Location(file, "/data" if isinstance(inner, dict) else ""),
                    'a page file looks like {"data": {"layout": [ ...components ]}}',
                )
        suggest = Suggestions()
        for page_id, pointer, component in layout_set.components():
            yield from layouts._component_findings(
                layout_set.page_files[page_id], pointer, component, suggest
            )


def general_by_id(layout_set: LayoutSet) -> dict[str, list[Placed]]:
    out: dict[str, list[Placed]] = {}
    for page_id, pointer, component in layout_set.components():
        component_id = component.get("id")
        if isinstance(component_id, str):
            file = layout_set.page_files.get(page_id, "")
            out.setdefault(component_id, []).append(Placed(page_id, file, pointer, component))
    return out


def general_duplicate_ids(app: App) -> Iterator[Finding]:
    for layout_set in app.layout_sets:
        for component_id, placed in general_by_id(layout_set).items():
            if len(placed) < 2:
                continue
            first = placed[0]
            for other in placed[1:]:
                where = "on the same page" if other.page == first.page else f"page {first.page!r}"
                yield layouts.DUPLICATE_ID.finding(
                    f"component id {component_id!r} is also used {where}"
                    + (f" ({first.file})" if other.page != first.page else ""),
                    Location(other.file, f"{other.pointer}/id"),
                    "rename one of them; ids must be unique within the layout set",
                )


def general_options_ids(app: App) -> Iterator[Finding]:
    """check_options_ids as written before it placed findings lazily."""
    has_code = bool(app.code_files)
    for layout_set in app.layout_sets:
        for page_id, pointer, component in layout_set.components():
            if "optionsId" not in component:
                continue
            options_id = component["optionsId"]
            location = Location(layout_set.page_files[page_id], f"{pointer}/optionsId")
            if not isinstance(options_id, str):
                continue
            if not options_id:
                yield options.EMPTY_OPTIONS_ID.finding(
                    "optionsId is empty and is ignored",
                    location,
                    "remove it, or name an options file in App/options/",
                )
                continue
            if options_id in app.option_files:
                continue
            if has_code and app.mentioned_in_code(options_id):
                continue
            known = ", ".join(sorted(app.option_files)) or "none"
            if has_code:
                yield options.MISSING_OPTIONS.finding(
                    f"optionsId {options_id!r} has no App/options/{options_id}.json and no "
                    "app code provides it",
                    location,
                    f"add the file, or an IAppOptionsProvider with Id {options_id!r}; "
                    f"options files present: {known}",
                )
            else:
                yield options.MAYBE_DYNAMIC.finding(
                    f"optionsId {options_id!r} has no App/options/{options_id}.json; it must "
                    "be provided by app code (IAppOptionsProvider), which is not in this folder",
                    location,
                    f"if no code provides it, add App/options/{options_id}.json "
                    f"(options files present: {known})",
                )


def general_missing_translations(app: App) -> Iterator[Finding]:
    languages = {language: set(app.text_resources(language)) for language in app.texts}
    if len(languages) < 2:
        return
    every_key = set().union(*languages.values())
    in_all = set.intersection(*languages.values())
    for layout_set in app.layout_sets:
        for page_id, pointer, component in layout_set.components():
            found = component.get("textResourceBindings")
            if not isinstance(found, dict):
                continue
            for name, value in found.items():
                if not isinstance(value, str) or value in in_all or value not in every_key:
                    continue
                missing = sorted(lang for lang, keys in languages.items() if value not in keys)
                yield texts.MISSING_IN_LANGUAGE.finding(
                    f"text {value!r} is missing in {', '.join(missing)}",
                    Location(
                        layout_set.page_files[page_id], f"{pointer}/textResourceBindings/{name}"
                    ),
                    "add it to " + ", ".join(app.text_files.get(lang, lang) for lang in missing),
                )


def general_unused(app: App) -> Iterator[Finding]:
    if not app.texts:
        return
    used = texts._referenced_strings(app)  # every file walked, no early stop
    reported: set[str] = set()
    for language in sorted(app.texts):
        for key, (pointer, _entry) in app.text_resources(language).items():
            if key in used or key in texts.IMPLICIT_KEYS or key in reported:
                continue
            reported.add(key)
            if key.split(".", 1)[0] in texts.FRONTEND_NAMESPACES:
                continue
            if app.code_files and app.mentioned_in_code(key):
                continue
            yield texts.UNUSED_KEY.finding(
                f"text {key!r} is not used by any layout, settings, options, metadata or "
                "process file",
                Location(app.text_files[language], f"{pointer}/id"),
                "remove it if nothing (including app code) uses it",
            )


def run_general(
    monkeypatch: pytest.MonkeyPatch, check: Callable[[App], Iterator[Finding]], root: Path
) -> list[tuple[object, ...]]:
    """A check's findings with every shortcut of its module switched off."""
    with monkeypatch.context() as patch:
        patch.setattr(bindings._CleanScreen, "clean", lambda self, component, winning: False)
        patch.setattr(texts, "_text_ids", lambda document: (frozenset(), -1))
        patch.setattr(texts, "_has_variables", lambda data: True)
        patch.setattr(layouts, "resolve", lambda name: _Container())
        return describe(check(load_app(root)))


class _Container:
    child_paths = ("children",)  # every type asks children_of


CHECKS: list[tuple[Callable[[App], Iterator[Finding]], Callable[[App], Iterator[Finding]]]] = [
    (layouts.check_components, general_components),
    (layouts.check_duplicate_ids, general_duplicate_ids),
    (layouts.check_children, layouts.check_children),
    (bindings.check_bindings, bindings.check_bindings),
    (texts.check_missing_translations, general_missing_translations),
    (texts.check_unused, general_unused),
    (texts.check_resource_files, texts.check_resource_files),
    (texts.check_variables, texts.check_variables),
    (options.check_options_ids, general_options_ids),
]


def assert_checks_agree(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    for fast, general in CHECKS:
        got = describe(fast(load_app(root)))
        want = run_general(monkeypatch, general, root)
        assert got == want, (root.name, fast.__name__)
        app = load_app(root)
        for layout_set in app.layout_sets:
            assert dict(layouts.components_by_id(layout_set).duplicates()) == {
                k: v for k, v in general_by_id(layout_set).items() if len(v) > 1
            }
            by_id = layouts.components_by_id(layout_set)
            assert list(by_id) == list(general_by_id(layout_set))
            assert all(by_id[k] == v for k, v in general_by_id(layout_set).items())


def test_shortcuts_agree_on_synthetic_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roots = app_roots(tmp_path)
    tricky = load_app(roots[0])
    assert {f.code for f in bindings.check_bindings(tricky)} >= {
        "BIND001",
        "BIND002",
        "BIND004",
        "BIND005",
        "BIND006",
        "BIND007",
        "BIND008",
        "BIND009",
    }
    assert {f.code for f in texts.check_unused(tricky)} == {"TXT002"}
    for root in roots:
        assert_checks_agree(monkeypatch, root)


@pytest.mark.conformance
def test_shortcuts_agree_on_real_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    roots = real_app_roots()
    assert roots
    for root in roots:
        assert_checks_agree(monkeypatch, root)


def test_binding_memo_gives_the_same_findings_again(tmp_path: Path) -> None:
    root = tricky_app(tmp_path)
    app = load_app(root)
    first = describe(bindings.check_bindings(app))
    assert describe(bindings.check_bindings(app)) == first  # from the page memo
    fresh = load_app(root)
    fresh.reuse_parsed(app, set())  # same page documents, new App: memo keys must match
    assert describe(bindings.check_bindings(fresh)) == first


def clean_components(root: Path) -> Iterator[tuple[LayoutSet, tuple[str, str, dict[str, Any]]]]:
    """Every component the binding screen passes, with its layout set."""
    from app_runtime.datavalidation import app_model

    app = load_app(root)
    for layout_set in app.layout_sets:
        model = app_model(app, layout_set.data_type)
        if model is None:
            continue
        screen = bindings._CleanScreen(model.tree())
        for entry in layout_set.components():
            if isinstance(entry[2].get("id"), str) and screen.clean(entry[2], True):
                yield layout_set, entry


@pytest.mark.conformance
def test_screened_components_have_no_binding_findings_in_real_apps() -> None:
    """What the screen passes, the full per-component functions find nothing in."""
    accepted = 0
    for root in real_app_roots():
        app = load_app(root)
        for layout_set, entry in clean_components(root):
            own = {entry[2]["id"]: entry}
            assert list(bindings._invalid_values(layout_set, own)) == [], (root.name, entry[1])
            found = bindings._check_bindings(app, layout_set, [entry], own, {}, set())  # no screen
            assert list(found) == [], (root.name, entry[1])
            accepted += 1
    assert accepted > 200


def test_string_walk_matches_the_plain_loop() -> None:
    deep: Any = "bottom"
    for level in range(3000):  # deeper than the recursive walk goes
        deep = [deep, {"k": str(level)}] if level % 2 else {"x": deep, "y": [str(level)]}
    documents: list[Any] = [deep, "top", 5, None, [], {"a": [1, "b", {"c": ["d", True]}]}]
    for example in sorted(EXAMPLES.iterdir()):
        for path in example.rglob("*.json"):
            documents.append(json.loads(path.read_text("utf-8-sig")))
    for value in documents:
        walked: set[str] = set()
        texts._collect_strings(value, walked)
        plain: set[str] = set()
        texts._collect_deep(value, plain.add)
        assert walked == plain


def test_binding_edge_characters_are_the_dot_and_all_whitespace() -> None:
    """The bindings screen tests a path's ends against this set instead of str.isspace."""
    import sys

    whitespace = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert whitespace | {"."} == bindings._EDGE_CHARS


def test_text_id_count_reads_any_resource_list_like_the_plain_scan() -> None:
    """`_count_ids` reads the usual file in C; it must agree with the plain scan always."""
    import random
    from collections import defaultdict

    def plain(data: Any) -> tuple[frozenset[str], int]:
        resources = data.get("resources") if isinstance(data, dict) else None
        if not isinstance(resources, list):
            return frozenset(), 0
        ids = [e["id"] for e in resources if isinstance(e, dict) and isinstance(e.get("id"), str)]
        return frozenset(ids), len(ids)

    odd: list[Any] = [
        {"value": "no id"},
        {"id": 5, "value": "x"},
        {"id": None},
        ["id"],
        "id",
        None,
        defaultdict(lambda: "made up"),
        {"id": "dup"},
    ]
    rng = random.Random(7)
    for _ in range(300):
        resources: list[Any] = [{"id": f"k{i}", "value": "v"} for i in range(rng.randint(0, 6))]
        for _ in range(rng.randint(0, 2)):
            resources.insert(rng.randint(0, len(resources)), rng.choice(odd))
        data = {"resources": resources} if rng.random() < 0.9 else rng.choice([[], {}, None])
        assert texts._count_ids(data) == plain(data)


def test_variables_look_agrees_with_the_plain_loop() -> None:
    """`_has_variables` first asks C whether any entry contains "variables" at all."""
    import random

    def plain(data: Any) -> bool:
        resources = data.get("resources") if isinstance(data, dict) else None
        return isinstance(resources, list) and any(
            isinstance(e, dict) and isinstance(e.get("variables"), list) for e in resources
        )

    odd: list[Any] = [
        {"id": "a", "variables": [{"key": "x", "dataSource": "dataModel.default"}]},
        {"id": "b", "variables": "not a list"},
        {"id": "c", "variables": None},
        "a text about variables",
        ["variables"],
        None,
        5,
        1.5,
        {"id": "d"},
    ]
    rng = random.Random(3)
    for _ in range(500):
        resources = [{"id": f"k{i}", "value": "v"} for i in range(rng.randint(0, 5))]
        for _ in range(rng.randint(0, 3)):
            resources.insert(rng.randint(0, len(resources)), rng.choice(odd))
        data: Any = {"resources": resources} if rng.random() < 0.9 else rng.choice([[], None])
        assert texts._has_variables(data) == plain(data), data
