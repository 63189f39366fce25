"""Errors of the access-rules engine: load-time rejections and run-time Indeterminate causes.

A policy that can never be evaluated correctly (bad syntax, unknown function, a type error) is
rejected when it is loaded, with the file and line, so a broken policy.xml never reaches a
request. Problems that depend on the request (a missing attribute, a bag of the wrong size)
become an Indeterminate decision with an XACML status code instead.
"""

from __future__ import annotations

from schemas.diagnostics import LocatedError

STATUS_OK = "urn:oasis:names:tc:xacml:1.0:status:ok"
STATUS_MISSING_ATTRIBUTE = "urn:oasis:names:tc:xacml:1.0:status:missing-attribute"
STATUS_SYNTAX_ERROR = "urn:oasis:names:tc:xacml:1.0:status:syntax-error"
STATUS_PROCESSING_ERROR = "urn:oasis:names:tc:xacml:1.0:status:processing-error"


class PolicyError(LocatedError):
    """A policy (or policy set) that must not be loaded; carries where in the file it broke."""


class RequestError(LocatedError):
    """A decision request that cannot be understood (bad XML, bad attribute value)."""


class EvaluationError(Exception):
    """Raised while evaluating an expression; the caller turns it into Indeterminate."""

    __slots__ = ("message", "status")

    def __init__(self, message: str, status: str = STATUS_PROCESSING_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class MissingAttributeError(EvaluationError):
    """A designator with MustBePresent="true" found nothing (status missing-attribute)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, STATUS_MISSING_ATTRIBUTE)
