"""The policy decision point: loaded policies in, decisions out.

One PDP has one root policy or policy set (plus the policies it references, resolved when
loaded). It decides parsed XACML requests, including multiple-decision requests, or a plain
dictionary of attributes from Python code. The clock and an attribute finder are injectable so
tests are deterministic and the Altinn layer can enrich subjects on demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app_runtime.authorization.context import AttributeFinder, Clock, EvaluationContext, Key
from app_runtime.authorization.errors import STATUS_SYNTAX_ERROR, RequestError
from app_runtime.authorization.model import DECISION_NAMES, Outcome, Policy, PolicySet
from app_runtime.authorization.parser import (
    CompileOptions,
    PolicyStore,
    load_policy_bytes,
    load_policy_file,
)
from app_runtime.authorization.request import Request, Result, bags_of, echoed, load_request_bytes
from schemas.xmlsafe import XmlSafetyError


class PolicyDecisionPoint:
    """Evaluates requests against a root policy (or policy set)."""

    def __init__(
        self,
        root: Policy | PolicySet,
        *,
        clock: Clock | None = None,
        finder: AttributeFinder | None = None,
    ) -> None:
        self.root = root
        self.clock = clock
        self.finder = finder

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_files(
        cls,
        root: Path,
        referenced: Iterable[Path] = (),
        *,
        options: CompileOptions | None = None,
        clock: Clock | None = None,
        finder: AttributeFinder | None = None,
    ) -> PolicyDecisionPoint:
        """Load the root policy file and the files its references may point to."""
        store = PolicyStore()
        node, references = load_policy_file(root, options=options)
        store.add(node, references)
        for path in referenced:
            other, other_refs = load_policy_file(path, options=options)
            store.add(other, other_refs)
        store.link()
        return cls(node, clock=clock, finder=finder)

    @classmethod
    def from_bytes(
        cls,
        raw: bytes,
        source: str = "policy.xml",
        *,
        options: CompileOptions | None = None,
        clock: Clock | None = None,
        finder: AttributeFinder | None = None,
    ) -> PolicyDecisionPoint:
        store = PolicyStore()
        node, references = load_policy_bytes(raw, source, options)
        store.add(node, references)
        store.link()
        return cls(node, clock=clock, finder=finder)

    # ------------------------------------------------------------------ deciding
    def evaluate(
        self,
        bags: dict[Key, tuple[Any, ...]],
        by_issuer: dict[tuple[str, str, str, str], tuple[Any, ...]] | None = None,
        finder: AttributeFinder | None = None,
        copy: bool = True,
    ) -> Outcome:
        """Decide one individual request given as attribute bags (copied unless copy=False,
        since the evaluation caches looked-up attributes into the dictionary)."""
        ctx = EvaluationContext(
            dict(bags) if copy else bags, by_issuer, finder or self.finder, self.clock
        )
        return self.root.evaluate(ctx)

    def decide(self, request: Request, finder: AttributeFinder | None = None) -> list[Result]:
        """Decide a request; one Result per individual request (Multiple Decision Profile)."""
        results: list[Result] = []
        for categories in request.individual():
            bags, by_issuer = bags_of(categories)
            outcome = self.evaluate(bags, by_issuer, finder)
            results.append(
                Result(
                    DECISION_NAMES[outcome.decision],
                    outcome.status_code,
                    outcome.status[1] if outcome.status else "",
                    list(outcome.obligations),
                    list(outcome.advice),
                    echoed(categories),
                    list(dict.fromkeys(outcome.policies)) if request.return_policy_ids else [],
                    list(outcome.decided_by),
                )
            )
        return results

    def decide_xml(self, raw: bytes, source: str = "request") -> list[Result]:
        """Decide a XACML request document; one that cannot be read is Indeterminate with
        status syntax-error (XACML 3.0 section 7.19.1), never an exception."""
        try:
            request = load_request_bytes(raw, source)
        except (RequestError, XmlSafetyError) as exc:
            return [Result("Indeterminate", STATUS_SYNTAX_ERROR, exc.message)]
        return self.decide(request)
