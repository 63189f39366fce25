"""Skipping rules that cannot apply, before evaluating them.

A rule whose target requires, say, action-id to be one of {read, write} is NotApplicable for
an `instantiate` request. NotApplicable children never change the result of any combining
algorithm, so such rules can be left out without evaluating them. The index picks the
designator most rules constrain by plain string equality (usually the action) and maps each
value to the rules that could apply, keeping document order for the rest.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app_runtime.authorization.context import EvaluationContext, Key
from app_runtime.authorization.model import Rule, SetLookup, set_lookup

_CACHE_LIMIT = 512


def _category_cost(category: str) -> int:
    if category.endswith(":action"):
        return 0
    if category.endswith(":resource"):
        return 1
    return 3 if "subject-category" in category else 2


class RuleIndex:
    """Candidate rules per value of one designator (see module docstring)."""

    __slots__ = ("_cache", "exact", "key", "lowered", "rules", "unconstrained")

    def __init__(self, key: Key, rules: list[Rule], constraints: list[SetLookup | None]) -> None:
        self.key = key
        self.rules = rules
        self.unconstrained = frozenset(i for i, c in enumerate(constraints) if c is None)
        self.exact: dict[str, set[int]] = {}
        self.lowered: dict[str, set[int]] = {}
        for index, constraint in enumerate(constraints):
            if constraint is None:
                continue
            table = self.lowered if constraint.ignore_case else self.exact
            for value in constraint.values:
                table.setdefault(value, set()).add(index)
        self._cache: dict[tuple[Any, ...], list[Rule]] = {}

    @classmethod
    def build(cls, rules: list[Rule]) -> RuleIndex | None:
        """An index when at least two rules constrain the same designator, else None."""
        per_rule: list[dict[Key, SetLookup]] = []
        counts: Counter[Key] = Counter()
        for rule in rules:
            lookups: dict[Key, SetLookup] = {}
            for any_of in rule.target.any_ofs:
                lookup = set_lookup(any_of)
                if lookup is not None and lookup.designator.key not in lookups:
                    lookups[lookup.designator.key] = lookup
            per_rule.append(lookups)
            counts.update(lookups.keys())
        if not counts:
            return None
        # The most constrained designator; among equals the cheapest (action, then resource).
        key = max(counts, key=lambda k: (counts[k], -_category_cost(k[0])))
        if counts[key] < 2:
            return None
        return cls(key, rules, [lookups.get(key) for lookups in per_rule])

    def candidates(self, ctx: EvaluationContext) -> list[Rule]:
        bag = ctx.bags.get(self.key)
        if bag is None:
            bag = ctx.bag(self.key)
        cached = self._cache.get(bag)
        if cached is not None:
            return cached
        chosen = set(self.unconstrained)
        for item in bag:
            chosen.update(self.exact.get(item, ()))
            chosen.update(self.lowered.get(item.lower(), ()))
        result = [self.rules[index] for index in sorted(chosen)]
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[bag] = result
        return result
