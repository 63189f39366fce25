"""Rule- and policy-combining algorithms (XACML 3.0 Appendix C, plus the 1.0/1.1 legacy ones).

Every algorithm takes the children in document order and evaluates them lazily, so that
first-applicable and the overrides algorithms stop as soon as the answer is known. Obligations
and advice of the children whose decision equals the combined one are carried up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app_runtime.authorization.context import EvaluationContext
from app_runtime.authorization.errors import EvaluationError
from app_runtime.authorization.model import (
    DENY,
    INDETERMINATE_D,
    INDETERMINATE_DP,
    INDETERMINATE_P,
    INDETERMINATES,
    NA,
    NOT_APPLICABLE,
    PERMIT,
    CombiningFunction,
    Outcome,
    indeterminate,
)

R3 = "urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:"
P3 = "urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:"
R1 = "urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:"
P1 = "urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:"
R11 = "urn:oasis:names:tc:xacml:1.1:rule-combining-algorithm:"
P11 = "urn:oasis:names:tc:xacml:1.1:policy-combining-algorithm:"


def _merge(decision: int, outcomes: list[Outcome]) -> Outcome:
    """The combined outcome: obligations/advice/deciders of children with this decision."""
    result = Outcome(decision)
    for outcome in outcomes:
        if outcome.decision == decision:
            result.obligations.extend(outcome.obligations)
            result.advice.extend(outcome.advice)
            result.decided_by.extend(outcome.decided_by)
            result.policies.extend(outcome.policies)
    return result


def _first_status(outcomes: list[Outcome]) -> tuple[str, str] | None:
    for outcome in outcomes:
        if outcome.decision in INDETERMINATES and outcome.status:
            return outcome.status
    return None


def _indeterminate(decision: int, outcomes: list[Outcome]) -> Outcome:
    return Outcome(decision, _first_status(outcomes))


def _overrides(winner: int, children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """deny-overrides (winner=DENY) and permit-overrides (winner=PERMIT), XACML 3.0 C.2-C.5."""
    loser = PERMIT if winner == DENY else DENY
    ind_winner = INDETERMINATE_D if winner == DENY else INDETERMINATE_P
    ind_loser = INDETERMINATE_P if winner == DENY else INDETERMINATE_D
    seen: list[Outcome] = []
    err_winner = err_loser = err_both = any_loser = False
    for child in children:
        outcome = child.evaluate(ctx)
        decision = outcome.decision
        if decision == winner:
            return _merge(winner, [outcome])
        if decision == NOT_APPLICABLE:
            continue
        seen.append(outcome)
        if decision == loser:
            any_loser = True
        elif decision == ind_winner:
            err_winner = True
        elif decision == ind_loser:
            err_loser = True
        elif decision == INDETERMINATE_DP:
            err_both = True
    if err_both or (err_winner and (err_loser or any_loser)):
        return _indeterminate(INDETERMINATE_DP, seen)
    if err_winner:
        return _indeterminate(ind_winner, seen)
    if any_loser:
        return _merge(loser, seen)
    if err_loser:
        return _indeterminate(ind_loser, seen)
    return NA


def deny_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _overrides(DENY, children, ctx)


def permit_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _overrides(PERMIT, children, ctx)


def _unless(default: int, children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """deny-unless-permit (default=DENY) and permit-unless-deny (default=PERMIT)."""
    winner = PERMIT if default == DENY else DENY
    seen: list[Outcome] = []
    for child in children:
        outcome = child.evaluate(ctx)
        if outcome.decision == winner:
            return _merge(winner, [outcome])
        seen.append(outcome)
    return _merge(default, seen)


def deny_unless_permit(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _unless(DENY, children, ctx)


def permit_unless_deny(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _unless(PERMIT, children, ctx)


def first_applicable(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    for child in children:
        outcome = child.evaluate(ctx)
        if outcome.decision != NOT_APPLICABLE:
            return outcome
    return NA


def only_one_applicable(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """Policy-combining only: exactly one child may have a matching target."""
    selected = None
    for child in children:
        try:
            applies = child.target.run(ctx)
        except EvaluationError as exc:
            return indeterminate(INDETERMINATE_DP, exc)
        if applies:
            if selected is not None:
                return indeterminate(
                    INDETERMINATE_DP,
                    EvaluationError("only-one-applicable: more than one policy applies"),
                )
            selected = child
    if selected is None:
        return NA
    return selected.evaluate(ctx)


def _legacy_rule_overrides(winner: int, children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """XACML 1.0/1.1 rule deny-overrides / permit-overrides."""
    loser = PERMIT if winner == DENY else DENY
    potential = INDETERMINATE_D if winner == DENY else INDETERMINATE_P
    seen: list[Outcome] = []
    potential_winner = any_loser = any_error = False
    for child in children:
        outcome = child.evaluate(ctx)
        if outcome.decision == winner:
            return _merge(winner, [outcome])
        seen.append(outcome)
        if outcome.decision == loser:
            any_loser = True
        elif outcome.decision in INDETERMINATES:
            any_error = True
            if outcome.decision in (potential, INDETERMINATE_DP):
                potential_winner = True
    if potential_winner:
        return _indeterminate(INDETERMINATE_DP, seen)
    if any_loser:
        return _merge(loser, seen)
    if any_error:
        return _indeterminate(INDETERMINATE_DP, seen)
    return NA


def legacy_rule_deny_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _legacy_rule_overrides(DENY, children, ctx)


def legacy_rule_permit_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    return _legacy_rule_overrides(PERMIT, children, ctx)


def legacy_policy_deny_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """XACML 1.0 policy deny-overrides: an Indeterminate policy counts as Deny."""
    seen: list[Outcome] = []
    for child in children:
        outcome = child.evaluate(ctx)
        if outcome.decision == DENY:
            return _merge(DENY, [outcome])
        if outcome.decision in INDETERMINATES:
            return Outcome(DENY)
        seen.append(outcome)
    if any(outcome.decision == PERMIT for outcome in seen):
        return _merge(PERMIT, seen)
    return NA


def legacy_policy_permit_overrides(children: Sequence[Any], ctx: EvaluationContext) -> Outcome:
    """XACML 1.0 policy permit-overrides."""
    seen: list[Outcome] = []
    for child in children:
        outcome = child.evaluate(ctx)
        if outcome.decision == PERMIT:
            return _merge(PERMIT, [outcome])
        seen.append(outcome)
    if any(outcome.decision == DENY for outcome in seen):
        return _merge(DENY, seen)
    if any(outcome.decision in INDETERMINATES for outcome in seen):
        return _indeterminate(INDETERMINATE_DP, seen)
    return NA


RULE_ALGORITHMS: dict[str, CombiningFunction] = {
    R3 + "deny-overrides": deny_overrides,
    R3 + "ordered-deny-overrides": deny_overrides,
    R3 + "permit-overrides": permit_overrides,
    R3 + "ordered-permit-overrides": permit_overrides,
    R3 + "deny-unless-permit": deny_unless_permit,
    R3 + "permit-unless-deny": permit_unless_deny,
    R1 + "first-applicable": first_applicable,
    R1 + "deny-overrides": legacy_rule_deny_overrides,
    R1 + "permit-overrides": legacy_rule_permit_overrides,
    R11 + "ordered-deny-overrides": legacy_rule_deny_overrides,
    R11 + "ordered-permit-overrides": legacy_rule_permit_overrides,
}

POLICY_ALGORITHMS: dict[str, CombiningFunction] = {
    P3 + "deny-overrides": deny_overrides,
    P3 + "ordered-deny-overrides": deny_overrides,
    P3 + "permit-overrides": permit_overrides,
    P3 + "ordered-permit-overrides": permit_overrides,
    P3 + "deny-unless-permit": deny_unless_permit,
    P3 + "permit-unless-deny": permit_unless_deny,
    P1 + "first-applicable": first_applicable,
    P1 + "only-one-applicable": only_one_applicable,
    P1 + "deny-overrides": legacy_policy_deny_overrides,
    P1 + "permit-overrides": legacy_policy_permit_overrides,
    P11 + "ordered-deny-overrides": legacy_policy_deny_overrides,
    P11 + "ordered-permit-overrides": legacy_policy_permit_overrides,
}

# Altinn's delegation policies put the 3.0 *policy*-combining URN into RuleCombiningAlgId;
# the 3.0 algorithms mean the same for rules, so those identifiers are accepted there too.
RULE_ALIASES: dict[str, CombiningFunction] = {
    P3 + name: RULE_ALGORITHMS[R3 + name]
    for name in (
        "deny-overrides",
        "ordered-deny-overrides",
        "permit-overrides",
        "ordered-permit-overrides",
        "deny-unless-permit",
        "permit-unless-deny",
    )
}


def rule_algorithm(algorithm_id: str) -> CombiningFunction | None:
    return RULE_ALGORITHMS.get(algorithm_id) or RULE_ALIASES.get(algorithm_id)


def policy_algorithm(algorithm_id: str) -> CombiningFunction | None:
    return POLICY_ALGORITHMS.get(algorithm_id)
