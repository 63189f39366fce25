""" "Did you mean ...?" hints with bounded work.

A close-match search compares the word with every option, so a hint costs time in proportion
to the options; an app with thousands of different misspellings (or a hostile one) would spend
seconds on hints alone. A `Suggestions` object remembers each answer and, past its budget of
searches in one check run, gives no suggestion: the finding keeps its generic hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable

SEARCH_BUDGET = 256
"""Distinct close-match searches per check run; far more than a real app needs."""


class Suggestions:
    """`difflib.get_close_matches(word, options, n=1, cutoff)`, memoized and bounded.

    Answers are remembered per (topic, word): a caller names with `topic` the set of
    options it asks about (the same topic must always mean the same options)."""

    __slots__ = ("_answers", "_budget")

    def __init__(self, budget: int = SEARCH_BUDGET) -> None:
        self._answers: dict[tuple[Hashable, str], str | None] = {}
        self._budget = budget

    def closest(
        self, word: str, options: Iterable[str], cutoff: float, topic: Hashable
    ) -> str | None:
        """The option closest to `word` if close enough, else None (also once the budget of
        searches is spent)."""
        key = (topic, word)
        if key in self._answers:
            return self._answers[key]
        if self._budget <= 0:
            return None
        self._budget -= 1
        close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
        answer = self._answers[key] = close[0] if close else None
        return answer
