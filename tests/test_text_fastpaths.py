"""The text checks' C-level paths agree with the plain loops they stand in for.

`_count_ids` reads the usual resource file with bulk operations and lets a file whose ids equal
the previous file's (in order) share that file's id set; `_binding_values` lists the binding
strings without building a set; `check_unused` subtracts them from each distinct id set once.
Each is compared here with the plain algorithm on generated inputs full of odd values, and the
two checks with their general paths (from test_check_fastpaths) on apps built to hit the
shared-set, different-order, missing-key and several-layout-set cases.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from test_check_fastpaths import (
    describe,
    general_missing_translations,
    general_unused,
    real_app_roots,
    run_general,
)
from test_loader import base_files, page, write

from app_runtime.app import LayoutSet, load_app
from app_runtime.checks import texts


class LyingGet(dict):  # type: ignore[type-arg]
    """A dict whose `.get` disagrees with its items: only the plain `.get` path sees "lie"."""

    def get(self, key: Any, default: Any = None) -> Any:
        return "lie"


class Text(str):
    """A str subclass: `isinstance(.., str)` holds, `type(..) is str` does not."""


def plain_ids(data: Any) -> tuple[frozenset[str], int]:
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return frozenset(), 0
    ids = [e.get("id") for e in resources if isinstance(e, dict)]
    ids = [i for i in ids if isinstance(i, str)]
    return frozenset(ids), len(ids)


ODD_ENTRIES: list[Any] = [
    {"value": "no id"},
    {"id": 5, "value": "x"},
    {"id": None},
    {"id": ["k0"]},
    ["id"],
    "id",
    None,
    defaultdict(lambda: "made up"),
    LyingGet(id="k1"),
    {"id": Text("k2")},
    {"id": "k0"},  # a repeat of the usual first id
]


def test_count_ids_with_a_shared_memory_matches_the_plain_scan() -> None:
    rng = random.Random(11)
    seen: texts._Seen = []
    shared = 0
    previous: list[Any] | None = None
    for _ in range(600):
        if previous is not None and rng.random() < 0.4:
            resources = [dict(e) if type(e) is dict else e for e in previous]  # same ids
            if rng.random() < 0.3 and len(resources) > 1:
                rng.shuffle(resources)
        else:
            resources = [{"id": f"k{i}", "value": "v"} for i in range(rng.randint(0, 6))]
            for _ in range(rng.choice([0, 0, 1, 2])):
                resources.insert(rng.randint(0, len(resources)), rng.choice(ODD_ENTRIES))
        data: Any = {"resources": resources} if rng.random() < 0.95 else rng.choice([[], {}, 7])
        before = seen[0][1] if seen else None
        got = texts._count_ids(data, seen)
        assert got == plain_ids(data), data
        if before is not None and got[0] is before:
            shared += 1
            assert [e["id"] for e in resources] == seen[0][0]
        previous = resources
    assert shared > 50  # the shared set was really handed out


def test_count_ids_shares_only_between_equal_exact_id_lists() -> None:
    seen: texts._Seen = []
    first, count = texts._count_ids({"resources": [{"id": "a"}, {"id": "b"}]}, seen)
    assert count == 2 and seen[0][1] is first
    assert texts._count_ids({"resources": [{"id": "a"}, {"id": "b"}]}, seen)[0] is first
    reordered = texts._count_ids({"resources": [{"id": "b"}, {"id": "a"}]}, seen)[0]
    assert reordered == first and reordered is not first
    subclass = {"resources": [{"id": "b"}, {"id": Text("a")}]}
    assert texts._count_ids(subclass, seen) == (frozenset({"a", "b"}), 2)
    lying = {"resources": [{"id": "b"}, LyingGet(id="a")]}
    assert texts._count_ids(lying, seen) == (frozenset({"b", "lie"}), 2)


def plain_binding_values(entries: list[tuple[str, str, Any]]) -> list[str]:
    found: list[str] = []
    for _, _, component in entries:
        bindings = component.get("textResourceBindings")
        if type(bindings) is dict:
            for value in bindings.values():
                if type(value) is str:
                    found.append(value)
    return found


ODD_BINDINGS: list[Any] = [None, [], ["title"], "title", 3, {}, LyingGet(title="x")]
ODD_VALUES: list[Any] = [None, 5, 1.5, True, ["k"], {"k": "v"}, Text("k1"), "", "k1"]


def test_binding_values_match_the_plain_loop() -> None:
    rng = random.Random(5)
    for _ in range(400):
        entries: list[tuple[str, str, Any]] = []
        for index in range(rng.randint(0, 8)):
            component: dict[str, Any] = {"id": f"c{index}", "type": "Input"}
            roll = rng.random()
            if roll < 0.6:
                component["textResourceBindings"] = {
                    name: (
                        f"k{rng.randint(0, 5)}" if rng.random() < 0.7 else rng.choice(ODD_VALUES)
                    )
                    for name in rng.sample(["title", "description", "help"], rng.randint(0, 3))
                }
            elif roll < 0.8:
                component["textResourceBindings"] = rng.choice(ODD_BINDINGS)
            if rng.random() < 0.1:
                component = LyingGet(component)
            entries.append(("p", f"/data/layout/{index}", component))
        layout_set = LayoutSet("s", None, [], Path("."), None, {})
        layout_set.cache["components"] = entries
        got = texts._binding_values(layout_set)
        assert got == plain_binding_values(entries)
        assert all(type(value) is str for value in got)
        assert texts._binding_values(layout_set) is got  # cached on the set


def resource(language: str, ids: list[Any]) -> dict[str, Any]:
    return {
        "language": language,
        "resources": [i if isinstance(i, dict) else {"id": i, "value": i} for i in ids],
    }


def text_app(tmp_path: Path, languages: dict[str, list[Any]], sets: int = 1) -> Path:
    """One page per layout set, binding k0..k5, a literal and a repeated key."""
    files = base_files()
    files["App/ui/layout-sets.json"] = {
        "sets": [
            {"id": f"s{n}", "dataType": "model", "tasks": [f"Task_{n + 1}"]} for n in range(sets)
        ]
    }
    for n in range(sets):
        files[f"App/ui/s{n}/Settings.json"] = {"pages": {"order": ["p1"]}}
        files[f"App/ui/s{n}/layouts/p1.json"] = page(
            {
                "id": f"a{n}",
                "type": "Paragraph",
                "textResourceBindings": {"title": f"k{n}", "help": "k2", "body": "Hello!"},
            },
            {"id": f"b{n}", "type": "Paragraph", "textResourceBindings": {"title": "k3"}},
            {"id": f"c{n}", "type": "Paragraph", "textResourceBindings": {"title": 4}},
            {"id": f"d{n}", "type": "Paragraph"},
        )
    for language, ids in languages.items():
        files[f"App/config/texts/resource.{language}.json"] = resource(language, ids)
    return write(tmp_path, files)


KEYS = ["appName", "k0", "k1", "k2", "k3", "k4", "general.next", "unused.a"]
USED = ["appName", "k0", "k2", "k3", "general.next"]

CASES: dict[str, tuple[dict[str, list[Any]], int]] = {
    "same-order": ({"nb": KEYS, "en": KEYS}, 1),
    "same-order-three": ({"nb": KEYS, "en": KEYS, "nn": KEYS[:-2]}, 1),
    "other-order": ({"nb": KEYS, "en": KEYS[::-1]}, 1),
    "missing-in-en": ({"nb": KEYS, "en": KEYS[2:]}, 1),
    "two-sets": ({"nb": KEYS, "en": KEYS}, 2),
    "two-sets-missing": ({"nb": KEYS, "en": ["k1", "k3", "unused.b"]}, 3),
    "odd-entries": ({"nb": [*KEYS, {"id": 5}, {"value": "x"}], "en": [*KEYS, "k1"]}, 1),
    "only-one": ({"nb": KEYS}, 2),
    "one-key-swapped": ({"nb": KEYS, "en": [k if k != "k0" else "k5" for k in KEYS]}, 1),
    "extra-in-nb": ({"nb": [*USED, "unused.b"], "en": USED}, 1),
    "extra-in-en": ({"nb": USED, "en": [*USED, "unused.b"]}, 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_text_checks_agree_with_their_general_paths(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    languages, sets = CASES[case]
    root = text_app(tmp_path, languages, sets)
    app = load_app(root)
    ids = texts._languages(app)
    assert {k: set(v) for k, v in ids.items()} == {
        language: set(app.text_resources(language)) for language in app.texts
    }
    if case.startswith("same-order"):
        assert ids["nb"] is ids["en"]  # read once, shared
    for fast, general in (
        (texts.check_missing_translations, general_missing_translations),
        (texts.check_unused, general_unused),
        (texts.check_resource_files, texts.check_resource_files),
    ):
        got = describe(fast(load_app(root)))
        assert got == run_general(monkeypatch, general, root), (case, fast.__name__)
    # Both checks on one app, in either order, share the cached values and still agree.
    app = load_app(root)
    both = describe(texts.check_unused(app)) + describe(texts.check_missing_translations(app))
    expected = run_general(monkeypatch, general_unused, root) + run_general(
        monkeypatch, general_missing_translations, root
    )
    assert both == expected


@pytest.mark.conformance
def test_shared_id_sets_equal_each_files_own_on_real_apps() -> None:
    for root in real_app_roots():
        app = load_app(root)
        for language, ids in texts._languages(app).items():
            assert ids == texts._count_ids(app.texts[language].data)[0], (root.name, language)
            assert ids == frozenset(app.text_resources(language)), (root.name, language)
        for layout_set in app.layout_sets:
            assert texts._binding_values(layout_set) == plain_binding_values(
                layout_set.components()
            )
