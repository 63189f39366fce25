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
from app_runtime.authorization.expressions import designator as designator_expression
from app_runtime.authorization.fastpath import SimpleMatch, compile_simple_target

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


# Shared NotApplicable outcome: never mutated (only Permit/Deny outcomes gain obligations).
NA = Outcome(NOT_APPLICABLE)


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
    effective_function: str = ""  # the function actually applied (Altinn may relax case)


@dataclass(slots=True)
class AllOf:
    matches: list[Match]


@dataclass(slots=True)
class AnyOf:
    all_ofs: list[AllOf]


def is_safe(runner: MatchRunner) -> bool:
    """True for runners marked as never raising (plain string equality on optional bags)."""
    return getattr(runner, "safe", False)


def mark_safe(runner: MatchRunner) -> MatchRunner:
    runner.safe = True  # type: ignore[attr-defined]
    return runner


def _all_of_runner(matches: list[MatchRunner]) -> MatchRunner:
    if len(matches) == 1:
        return matches[0]
    if all(is_safe(match) for match in matches):

        def run_safe(ctx: EvaluationContext) -> bool:
            for match in matches:  # noqa: SIM110 - a plain loop is faster here
                if not match(ctx):
                    return False
            return True

        return mark_safe(run_safe)

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
    if all(is_safe(all_of) for all_of in all_ofs):

        def run_safe(ctx: EvaluationContext) -> bool:
            for all_of in all_ofs:  # noqa: SIM110 - a plain loop is faster here
                if all_of(ctx):
                    return True
            return False

        return mark_safe(run_safe)

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
        # Conjunctions give the same answer in any order (No-match wins over Indeterminate),
        # so cheap request-supplied categories are tested before subjects, which may need
        # enrichment from a register.
        ordered = sorted(
            any_ofs, key=lambda any_of: max(_cost(m) for a in any_of.all_ofs for m in a.matches)
        )
        simple = _simple_shape(ordered)
        if simple is not None:
            return cls(any_ofs, compile_simple_target(simple))
        runners = [_compile_any_of(any_of) for any_of in ordered]
        # A conjunction of AnyOfs has the same No-match/Indeterminate rules as an AllOf.
        return cls(any_ofs, _all_of_runner(runners))


_SET_FUNCTIONS = {
    "urn:oasis:names:tc:xacml:1.0:function:string-equal": False,
    "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case": True,
}


def _simple_shape(any_ofs: list[AnyOf]) -> list[list[list[SimpleMatch]]] | None:
    """The target as plain string equalities (see fastpath.py), or None if it is not."""
    shape: list[list[list[SimpleMatch]]] = []
    for any_of in any_ofs:
        alternatives: list[list[SimpleMatch]] = []
        for all_of in any_of.all_ofs:
            tests: list[SimpleMatch] = []
            for match in sorted(all_of.matches, key=_cost):
                ignore_case = _SET_FUNCTIONS.get(match.effective_function)
                spec = match.designator
                if ignore_case is None or spec.must_be_present or spec.issuer is not None:
                    return None
                value = match.value.lower() if ignore_case else match.value
                tests.append((spec.key, value, ignore_case))
            alternatives.append(tests)
        shape.append(alternatives)
    return shape


def _cost(match: Match) -> int:
    category = match.designator.category
    if category.endswith(":action"):
        return 0
    if category.endswith(":resource"):
        return 1
    if category.endswith(":environment"):
        return 2
    return 4 if "subject-category" in category else 3


@dataclass(frozen=True, slots=True)
class SetLookup:
    """An AnyOf that is just "this designator's bag holds one of these strings"."""

    designator: Designator
    ignore_case: bool
    values: frozenset[str]  # lower-cased when ignore_case


def set_lookup(any_of: AnyOf) -> SetLookup | None:
    """The AnyOf as a SetLookup, when every alternative is one string-equality Match on the
    same optional designator (string equality cannot fail, so this changes no result)."""
    matches = [a.matches[0] for a in any_of.all_ofs if len(a.matches) == 1]
    if not matches or len(matches) != len(any_of.all_ofs):
        return None
    spec = matches[0].designator
    ignore_case = _SET_FUNCTIONS.get(matches[0].effective_function)
    if ignore_case is None or spec.must_be_present or spec.issuer is not None:
        return None
    if not all(
        m.designator == spec and _SET_FUNCTIONS.get(m.effective_function) == ignore_case
        for m in matches
    ):
        return None
    values = frozenset(m.value.lower() if ignore_case else m.value for m in matches)
    return SetLookup(spec, ignore_case, values)


def _compile_any_of(any_of: AnyOf) -> MatchRunner:
    """An AnyOf; a SetLookup becomes a single set test on the bag."""
    lookup = set_lookup(any_of)
    if lookup is not None and len(lookup.values) > 1:
        bag_of = designator_expression(lookup.designator).run
        values = lookup.values
        if lookup.ignore_case:

            def run_lowered(ctx: EvaluationContext) -> bool:
                for item in bag_of(ctx):  # noqa: SIM110 - a plain loop is faster here
                    if item.lower() in values:
                        return True
                return False

            return mark_safe(run_lowered)

        def run_exact(ctx: EvaluationContext) -> bool:
            return not values.isdisjoint(bag_of(ctx))

        return mark_safe(run_exact)
    alternatives = []
    for all_of in any_of.all_ofs:
        ordered = sorted(all_of.matches, key=_cost)
        fused = _fused_equalities(ordered)
        alternatives.append(fused or _all_of_runner([m.run for m in ordered]))
    return _any_of_runner(alternatives)


def _fused_equalities(matches: list[Match]) -> MatchRunner | None:
    """An AllOf of plain string equalities on optional designators, as one tight loop."""
    tests: list[tuple[Any, str, bool]] = []
    for match in matches:
        ignore_case = _SET_FUNCTIONS.get(match.effective_function)
        spec = match.designator
        if ignore_case is None or spec.must_be_present or spec.issuer is not None:
            return None
        tests.append((spec.key, match.value.lower() if ignore_case else match.value, ignore_case))
    if len(tests) < 2:
        return None

    def run(ctx: EvaluationContext) -> bool:
        bags = ctx.bags
        for key, value, ignore_case in tests:
            bag = bags.get(key)
            if bag is None:
                bag = ctx.bag(key)
            if ignore_case:
                if not any(item.lower() == value for item in bag):
                    return False
            elif value not in bag:
                return False
        return True

    return mark_safe(run)


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
    constant: Obligation | None = None  # evaluated once when every assignment is constant

    def __post_init__(self) -> None:
        if all(a.expression.constant for a in self.assignments):
            self.constant = self.evaluate(EvaluationContext({}))

    def evaluate(self, ctx: EvaluationContext) -> Obligation:
        if self.constant is not None:
            return self.constant
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
    """A copy with the node's obligations/advice for its decision added (outcomes are never
    changed once built, so rules can hand out a shared one); an error makes it Indeterminate."""
    decision = outcome.decision
    if decision not in (PERMIT, DENY) or not (obligations or advice):
        return outcome
    try:
        extra = [o.evaluate(ctx) for o in obligations if o.applies_to == decision]
        extra_advice = [a.evaluate(ctx) for a in advice if a.applies_to == decision]
    except EvaluationError as exc:
        return indeterminate(INDETERMINATE_P if decision == PERMIT else INDETERMINATE_D, exc)
    return Outcome(
        decision,
        outcome.status,
        [*outcome.obligations, *extra],
        [*outcome.advice, *extra_advice],
        outcome.decided_by,
        outcome.policies,
    )


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
    hit: Outcome | None = None  # the shared outcome when it applies without obligations

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        failed = INDETERMINATE_P if self.effect == PERMIT else INDETERMINATE_D
        try:
            if not self.target.run(ctx):
                return NA
            if self.condition is not None and not self.condition.run(ctx):
                return NA
        except EvaluationError as exc:
            return indeterminate(failed, exc)
        if not (self.obligations or self.advice):
            hit = self.hit
            if hit is None:
                hit = self.hit = Outcome(self.effect, decided_by=[self.id])
            return hit
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

    index: Any = None  # a RuleIndex (indexing.py) skipping rules that cannot apply

    def evaluate(self, ctx: EvaluationContext) -> Outcome:
        rules = self.index.candidates(ctx) if self.index is not None else self.rules
        return _evaluate_node(self, rules, ctx)


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
        return NA
    combined = node.combine(children, ctx)
    if target_error is not None:
        outcome = _apply_target_indeterminate(combined)
        if outcome.decision != NOT_APPLICABLE:
            outcome.status = (target_error.status, target_error.message)
        return outcome
    if combined.decision == NOT_APPLICABLE:
        return combined
    outcome = add_own_obligations(combined, node.obligations, node.advice, ctx)
    return Outcome(
        outcome.decision,
        outcome.status,
        outcome.obligations,
        outcome.advice,
        outcome.decided_by,
        [*outcome.policies, node.id],
    )


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
