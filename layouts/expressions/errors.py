"""The single error type of the expression language.

Every problem an expression can have (bad structure, unknown function, wrong arity, a value
that cannot be coerced, a lookup that fails) is raised as ExpressionError, carrying the JSON
pointer of the failing node inside the expression so that callers can point at it.
"""

from __future__ import annotations

from schemas.diagnostics import LocatedError, Location


class ExpressionError(LocatedError):
    """An expression could not be parsed or evaluated.

    `pointer` is relative to the expression's own root ("" is the whole expression, "/2/1"
    the first argument of the second argument); None until the evaluator fills it in. `located(file, base)` turns it into a
    Location inside a file once the caller knows where the expression sits.
    """

    def __init__(
        self,
        message: str,
        pointer: str | None = None,
        location: Location | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message, location, hint)
        self.pointer = pointer
        # Every problem found when one error reports several (parse-time validation).
        self.problems: list[tuple[str, str]] = []

    def located(self, file: str, base_pointer: str = "") -> ExpressionError:
        """A copy whose Location points at the failing node inside `file`."""
        return ExpressionError(
            self.message,
            self.pointer,
            Location(file, base_pointer + (self.pointer or "")),
            self.hint,
        )

    def __str__(self) -> str:
        if self.location is not None:
            return super().__str__()
        where = f" (at {self.pointer})" if self.pointer else ""
        return f"{self.message}{where}"


class LayoutTreeError(LocatedError):
    """The layouts of a layout set cannot form a component tree (missing or shared children,
    duplicate ids). Raised while building the evaluation context, before any expression runs."""
