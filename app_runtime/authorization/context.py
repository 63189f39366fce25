"""The evaluation context of one individual decision request.

It answers attribute designators from the request, then from an optional attribute finder
(the policy information point: the Altinn layer enriches subjects from the local register this
way, lazily, so only attributes some policy actually asks for are looked up), and finally from
the clock for the current date and time. Values supplied in the request always win.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.errors import EvaluationError, MissingAttributeError

ENVIRONMENT = "urn:oasis:names:tc:xacml:3.0:attribute-category:environment"
CURRENT_TIME = "urn:oasis:names:tc:xacml:1.0:environment:current-time"
CURRENT_DATE = "urn:oasis:names:tc:xacml:1.0:environment:current-date"
CURRENT_DATETIME = "urn:oasis:names:tc:xacml:1.0:environment:current-dateTime"

Key = tuple[str, str, str]  # (category, attribute id, data type)
AttributeFinder = Callable[[str, str, str], tuple[Any, ...] | None]
Clock = Callable[[], datetime]
_NO_ISSUERS: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}


def system_clock() -> datetime:
    return datetime.now(UTC)


class EvaluationContext:
    """Attribute bags of one request plus per-request caches (variables, the clock reading)."""

    __slots__ = ("_now", "bags", "by_issuer", "clock", "finder", "variables")

    def __init__(
        self,
        bags: dict[Key, tuple[Any, ...]],
        by_issuer: dict[tuple[str, str, str, str], tuple[Any, ...]] | None = None,
        finder: AttributeFinder | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.bags = bags
        self.by_issuer = by_issuer or _NO_ISSUERS
        self.finder = finder
        self.clock = clock
        self.variables: dict[int, Any] | None = None  # created on first variable use
        self._now: tuple[Any, Any, Any] | None = None

    def bag(self, key: Key) -> tuple[Any, ...]:
        """The values for (category, id, data type); empty tuple when there are none."""
        values = self.bags.get(key)
        if values is not None:
            return values
        found: tuple[Any, ...] | None = None
        if self.finder is not None:
            found = self.finder(*key)
        if not found and key[0] == ENVIRONMENT:
            found = self._current(key[1], key[2])
        found = tuple(found) if found else ()
        self.bags[key] = found
        return found

    def bag_from_issuer(self, key: Key, issuer: str) -> tuple[Any, ...]:
        return self.by_issuer.get((*key, issuer), ())

    def require(self, key: Key, issuer: str | None) -> tuple[Any, ...]:
        values = self.bag(key) if issuer is None else self.bag_from_issuer(key, issuer)
        if not values:
            raise MissingAttributeError(
                f"attribute {key[1]} ({dt.short_name(key[2])}) of category {key[0]} is required "
                "but missing from the request"
            )
        return values

    def _current(self, attribute_id: str, datatype: str) -> tuple[Any, ...] | None:
        index = {CURRENT_DATETIME: 0, CURRENT_DATE: 1, CURRENT_TIME: 2}.get(attribute_id)
        expected = (dt.DATETIME, dt.DATE, dt.TIME)
        if index is None or datatype != expected[index]:
            return None
        if self._now is None:
            moment = (self.clock or system_clock)()
            if moment.tzinfo is None:
                raise EvaluationError("the injected clock must return an aware datetime")
            self._now = dt.current_values(moment)
        return (self._now[index],)
