"""Close-match hints: the answers difflib gives, each searched once, and bounded in number."""

from __future__ import annotations

import difflib
import random

from app_runtime.checks.suggest import Suggestions

TYPES = ["Input", "TextArea", "Datepicker", "Dropdown", "Checkboxes", "RadioButtons", "Header"]


def test_answers_are_difflibs_best_match() -> None:
    rng = random.Random(5)
    suggest = Suggestions()
    for _ in range(200):
        word = "".join(rng.sample("InputTextAreaDropdown", rng.randint(1, 9)))
        close = difflib.get_close_matches(word, TYPES, n=1, cutoff=0.6)
        assert suggest.closest(word, TYPES, 0.6, "types") == (close[0] if close else None)


def test_a_word_is_searched_once_per_topic() -> None:
    searched: list[str] = []

    def options() -> list[str]:
        searched.append("search")
        return TYPES

    suggest = Suggestions(budget=10)
    for _ in range(5):
        assert suggest.closest("Inptu", options(), 0.6, "types") == "Input"
    assert suggest.closest("Inptu", ["Inputs"], 0.6, "other") == "Inputs"  # its own topic
    assert suggest._budget == 8


def test_past_the_budget_no_new_search_is_made() -> None:
    suggest = Suggestions(budget=3)
    assert suggest.closest("Inptu", TYPES, 0.6, "types") == "Input"
    assert suggest.closest("Dropdwn", TYPES, 0.6, "types") == "Dropdown"
    assert suggest.closest("Headr", TYPES, 0.6, "types") == "Header"
    assert suggest.closest("Checkbox", TYPES, 0.6, "types") is None  # budget spent
    assert suggest.closest("Inptu", TYPES, 0.6, "types") == "Input"  # still remembered


def test_enum_hints_list_what_the_full_list_shortened_shows() -> None:
    import json

    from app_runtime.checks.files import _listed, _shorten

    rng = random.Random(9)
    for _ in range(300):
        values = [
            rng.choice(["Input", "ÆØÅ", 1, None, True, "x" * rng.randint(0, 90), {"a": 1}])
            for _ in range(rng.randint(0, 60))
        ]
        limit = rng.choice([10, 160, 200])
        full = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
        assert _listed(values, limit) == _shorten(full, limit)
