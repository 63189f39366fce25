"""The policy tree and its evaluation: targets, rules, policies, policy sets, obligations.

Decisions follow XACML 3.0 section 7: targets give Match / No-match / Indeterminate, rules and
policies give Permit, Deny, NotApplicable or the extended Indeterminate{D,P,DP}, and
obligations and advice are collected from every evaluated node whose decision equals the
final one. Combining algorithms live in combining.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app_runtime.authorization.context import EvaluationContext
from app_runtime.authorization.errors import STATUS_OK, EvaluationError
from app_runtime.authorization.expressions import Designator, Expression

PERMIT, DENY, NOT_APPLICABLE, INDETERMINATE_D, INDETERMINATE_P, INDETERMINATE_DP = range(6)
DECISION_NAMES = {
    PERMIT: "Permit",
    DENY: "Deny",
    NOT_APPLICABLE: "NotApplicable",
    INDETERMINATE_D: "Indeterminate",
    INDETERMINATE_P: "Indeterminate",
    INDETERMINATE_DP: "Indeterminate",
}
EXTENDED_NAMES = {
    **DECISION_NAMES,
    INDETERMINATE_D: "Indeterminate{D}",
    INDETERMINATE_P: "Indeterminate{P}",
    INDETERMINATE_DP: "Indeterminate{DP}",
}
INDETERMINATES = (INDETERMINATE_D, INDETERMINATE_P, INDETERMINATE_DP)


@dataclass(frozen=True, slots=True)
class Assignment:
    """One AttributeAssignment of an obligation or advice in a result."""

    attribute_id: str
    datatype: str
    value: Any
    category: str | None = None
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    """An obligation or advice as returned: its id and evaluated assignments."""

    id: str
    assignments: tuple[Assignment, ...]


@dataclass(slots=True)
class Outcome:
    """The result of evaluating one node: decision, status, obligations, advice, who decided."""

    decision: int
    status: tuple[str, str] | None = None
    obligations: list[Obligation] = field(default_factory=list)
    advice: list[Obligation] = field(default_factory=list)
    decided_by: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return DECISION_NAMES[self.decision]

    @property
    def status_code(self) -> str:
        return self.status[0] if self.status else STATUS_OK


def indeterminate(decision: int, error: EvaluationError) -> Outcome:
    return Outcome(decision, (error.status, error.message))


# --------------------------------------------------------------------------- targets
MatchRunner = Callable[[EvaluationContext], bool]  # raises EvaluationError for Indeterminate


@dataclass(slots=True)
class Match:
    """<Match>: MatchId function applied to a literal and each value of a designator's bag."""

    function_id: str
    datatype: str
    value: Any
    text: str
    designator: Designator
    run: MatchRunner


@dataclass(slots=True)
class AllOf:
    matches: list[Match]


@dataclass(slots=True)
class AnyOf:
    all_ofs: list[AllOf]


def _all_of_runner(matches: list[MatchRunner]) -> MatchRunner:
    if len(matches) == 1:
        return matches[0]

    def run(ctx: EvaluationContext) -> bool:
        failure: EvaluationError | None = None
        for match in matches:
            try:
                if not match(ctx):
                    return False
            except EvaluationError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
        return True

    return run


def _any_of_runner(all_ofs: list[MatchRunner]) -> MatchRunner:
    if len(all_ofs) == 1:
        return all_ofs[0]

    def run(ctx: EvaluationContext) -> bool:
        failure: EvaluationError | None = None
        for all_of in all_ofs:
            try:
                if all_of(ctx):
                    return True
            except EvaluationError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
        return False

    return run


def _always(ctx: EvaluationContext) -> bool:
    return True


@dataclass(slots=True)
class Target:
    """A target: the conjunction of its AnyOf elements (empty target matches everything)."""

    any_ofs: list[AnyOf] = field(default_factory=list)
    run: MatchRunner = _always

    @classmethod
    def build(cls, any_ofs: list[AnyOf]) -> Target:
        if not any_ofs:
            return cls([], _always)
        runners = [
            _any_of_runner(
                [_all_of_runner([m.run for m in all_of.matches]) for all_of in any_of.all_ofs]
            )
            for any_of in any_ofs
        ]
        # A conjunction of AnyOfs has the same No-match/Indeterminate rules as an AllOf.
        return cls(any_ofs, _all_of_runner(runners))


# --------------------------------------------------------------------------- obligations
@dataclass(slots=True)
class AssignmentExpression:
    attribute_id: str
    category: str | None
    issuer: str | None
    expression: Expression


@dataclass(slots=True)
class ObligationExpression:
    """ObligationExpression / AdviceExpression with the effect it applies to."""

    id: str
    applies_to: int  # PERMIT or DENY
    assignments: list[AssignmentExpression]
    is_advice: bool = False

    def evaluate(self, ctx: EvaluationContext) -> Obligation:
        out: list[Assignment] = []
        for assignment in self.assignments:
            value = assignment.expression.run(ctx)
            datatype, is_bag = assignment.expression.type
            for item in value if is_bag else (value,):
                out.append(
                    Assignment(
                        assignment.attribute_id,
                        datatype,
                        item,
                        assignment.category,
                        assignment.issuer,
                    )
                )
        return Obligation(self.id, tuple(out))


def add_own_obligations(
    outcome: Outcome,
    obligations: list[ObligationExpression],
    advice: list[ObligationExpression],
    ctx: EvaluationContext,
) -> Outcome:
    """Attach a node's obligations/advice for its decision; an error makes it Indeterminate."""
    decision = outcome.decision
    if decision not in (PERMIT, DENY) or not (obligations or advice):
        return outcome
    try:
        extra = [o.evaluate(ctx) for o in obligations if o.applies_to == decision]
        extra_advice = [a.evaluate(ctx) for a in advice if a.applies_to == decision]
    except EvaluationError as exc:
        return indeterminate(INDETERMINATE_P if decision == PERMIT else INDETERMINATE_D, exc)
    outcome.obligations.extend(extra)
    outcome.advice.extend(extra_advice)
    return outcome


# --------------------------------------------------------------------------- rules
@dataclass(slots=True)
class Rule:
    """<Rule>: effect, target, optional condition, obligations and advice."""

    id: str
    effect: int
    target: Target
    condition: Expression | None = None
    obligations: list[ObligationExpression] = field(default_factory=list)
    advice: list[ObligationExpression] = field(default_factory=list)
    description: str | None = None
    line: int | None = None

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        failed = INDETERMINATE_P if self.effect == PERMIT else INDETERMINATE_D
        try:
            if not self.target.run(ctx):
                return Outcome(NOT_APPLICABLE)
            if self.condition is not None and not self.condition.run(ctx):
                return Outcome(NOT_APPLICABLE)
        except EvaluationError as exc:
            return indeterminate(failed, exc)
        outcome = Outcome(self.effect, decided_by=[self.id])
        return add_own_obligations(outcome, self.obligations, self.advice, ctx)


# --------------------------------------------------------------------------- policies
class Evaluable(Protocol):
    def evaluate(self, ctx: EvaluationContext) -> Outcome: ...


class PolicyNode(Evaluable, Protocol):
    id: str
    target: Target


CombiningFunction = Callable[[Sequence[Any], EvaluationContext], Outcome]


def _apply_target_indeterminate(combined: Outcome) -> Outcome:
    """XACML 3.0 Table 7: a policy whose target is Indeterminate."""
    mapping = {
        NOT_APPLICABLE: NOT_APPLICABLE,
        PERMIT: INDETERMINATE_P,
        DENY: INDETERMINATE_D,
        INDETERMINATE_P: INDETERMINATE_P,
        INDETERMINATE_D: INDETERMINATE_D,
        INDETERMINATE_DP: INDETERMINATE_DP,
    }
    decision = mapping[combined.decision]
    if decision == NOT_APPLICABLE:
        return Outcome(NOT_APPLICABLE)
    return Outcome(decision, combined.status)


@dataclass(slots=True)
class Policy:
    """<Policy>: rules combined by a rule-combining algorithm."""

    id: str
    version: str
    target: Target
    algorithm_id: str
    combine: CombiningFunction
    rules: list[Rule]
    obligations: list[ObligationExpression] = field(default_factory=list)
    advice: list[ObligationExpression] = field(default_factory=list)
    description: str | None = None
    source: str = ""

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        return _evaluate_node(self, self.rules, ctx)


@dataclass(slots=True)
class PolicySet:
    """<PolicySet>: policies, policy sets and references combined by a policy algorithm."""

    id: str
    version: str
    target: Target
    algorithm_id: str
    combine: CombiningFunction
    children: list[Any]
    obligations: list[ObligationExpression] = field(default_factory=list)
    advice: list[ObligationExpression] = field(default_factory=list)
    description: str | None = None
    source: str = ""

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        return _evaluate_node(self, self.children, ctx)


def _evaluate_node(
    node: Policy | PolicySet, children: Sequence[Any], ctx: EvaluationContext
) -> Outcome:
    try:
        matched = node.target.run(ctx)
        target_error: EvaluationError | None = None
    except EvaluationError as exc:
        matched, target_error = True, exc
    if not matched:
        return Outcome(NOT_APPLICABLE)
    combined = node.combine(children, ctx)
    if target_error is not None:
        outcome = _apply_target_indeterminate(combined)
        if outcome.decision != NOT_APPLICABLE:
            outcome.status = (target_error.status, target_error.message)
        return outcome
    outcome = add_own_obligations(combined, node.obligations, node.advice, ctx)
    if outcome.decision != NOT_APPLICABLE:
        outcome.policies.append(node.id)
    return outcome


@dataclass(slots=True)
class Reference:
    """PolicyIdReference / PolicySetIdReference, linked to the loaded policy when resolved."""

    kind: str  # "Policy" or "PolicySet"
    ref_id: str
    version: str | None = None
    earliest: str | None = None
    latest: str | None = None
    resolved: Policy | PolicySet | None = None

    @property
    def id(self) -> str:
        return self.ref_id

    @property
    def target(self) -> Target:
        assert self.resolved is not None
        return self.resolved.target

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        if self.resolved is None:
            return indeterminate(
                INDETERMINATE_DP, EvaluationError(f"{self.kind} {self.ref_id} is not loaded")
            )
        return self.resolved.evaluate(ctx)
