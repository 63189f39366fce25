"""Property tests: for random registers and requests, nothing is permitted that no rule grants,
and decisions are deterministic (generated policies mix Permit and Deny rules).

The reference is a deliberately naive reading of the rules from the editing model (AnyOf of
AllOf of literal matches, with the subject's roles and packages worked out from the register
data directly), so the compiled PDP, its rule index and generated targets are checked against
something that shares none of their code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from conftest import suite_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app_runtime.authorization.altinn import ACTION_ID, AltinnAuthorizer, compile_options
from app_runtime.authorization.editing import (
    PolicyDocument,
    PolicyRule,
    read_policy_bytes,
    write_policy_bytes,
)
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import Delegation, Party, Register, User

ORG, APP = "ttd", "demo"
ROLES = ("DAGL", "REGNA", "PRIV", "SELN", "REVI", "LEDE")
PACKAGES = ("skatt-naering", "ansettelsesforhold", "ansvarlig-revisor", "lonn")
ACTIONS = (
    "read",
    "write",
    "instantiate",
    "delete",
    "complete",
    "sign",
    "confirm",
    "pay",
    "reject",
    "Read",
    "WRITE",
)
TASKS = (None, "Task_1", "Task_2", "Signing", "SigningTask_Founders")
END_EVENTS = (None, "EndEvent_1")
APP_RESOURCES = (None, "events")
PARTY_IDS = (1, 2, 3, 10, 11, 12)
REAL_APPS = (
    "altinn-studio__signering-brukerstyrt",
    "altinn-studio__payment-test",
    "altinn-studio__frontend-test",
    "app-lib-dotnet__task-action",
)
ROLE_PACKAGES = {"DAGL": {"skatt-naering", "lonn"}, "REVI": {"ansvarlig-revisor"}}


@cache
def real_policy(name: str) -> bytes | None:
    path = Path(suite_path("STUDIO_REAL_APPS")) / name / "App/config/authorization/policy.xml"
    return path.read_bytes() if path.is_file() else None


# --------------------------------------------------------------------------- strategies
@st.composite
def registers(draw: st.DrawFn) -> Register:
    register = Register(role_packages={k: set(v) for k, v in ROLE_PACKAGES.items()})
    for party_id in PARTY_IDS:
        kind = "person" if party_id < 10 else "organisation"
        register.parties[party_id] = Party(party_id, kind, f"party {party_id}")
    for user_id in range(1, draw(st.integers(1, 5)) + 1):
        own = draw(st.sampled_from((None, 1, 2, 3)))
        user = User(
            user_id,
            f"u{user_id}",
            f"user {user_id}",
            own,
            draw(st.integers(0, 4)),
            draw(st.sampled_from((None, "ttd", "TTD", "digdir"))),
        )
        for party_id in draw(st.lists(st.sampled_from(PARTY_IDS), max_size=3)):
            user.roles[party_id] = set(draw(st.lists(st.sampled_from(ROLES), max_size=3)))
        for party_id in draw(st.lists(st.sampled_from(PARTY_IDS), max_size=2)):
            user.packages[party_id] = set(draw(st.lists(st.sampled_from(PACKAGES), max_size=2)))
        register.users[user_id] = user
    for _ in range(draw(st.integers(0, 2))):
        register.delegations.append(
            Delegation(
                draw(st.sampled_from(PARTY_IDS)),
                draw(st.sampled_from(sorted(register.users))),
                ORG,
                draw(st.sampled_from((APP, "*", "other"))),
                frozenset(draw(st.lists(st.sampled_from(ACTIONS[:9]), min_size=1, max_size=3))),
                frozenset(draw(st.lists(st.sampled_from(TASKS[1:]), max_size=1))),
            )
        )
    return register


@st.composite
def generated_policies(draw: st.DrawFn) -> bytes:
    doc = PolicyDocument(f"urn:altinn:resource:app_{ORG}_{APP}:policyid:1")
    for _ in range(draw(st.integers(0, 5))):
        subjects = draw(
            st.lists(
                st.sampled_from(
                    [
                        *ROLES,
                        "role:dagl",
                        "org:ttd",
                        "org:[ORG]",
                        *(f"accesspackage:{p}" for p in PACKAGES),
                    ]
                ),
                min_size=1,
                max_size=3,
            )
        )
        actions = draw(st.lists(st.sampled_from(ACTIONS[:9]), min_size=1, max_size=4))
        tasks = draw(st.lists(st.sampled_from(TASKS[1:]), max_size=2)) or None
        rule = doc.new_rule(subjects, actions, tasks=tasks)
        rule.effect = draw(st.sampled_from(("Permit", "Permit", "Deny")))
    return write_policy_bytes(doc)


requests = st.tuples(
    st.integers(1, 5),
    st.sampled_from(PARTY_IDS),
    st.sampled_from(ACTIONS),
    st.sampled_from(TASKS),
    st.sampled_from(END_EVENTS),
    st.sampled_from(APP_RESOURCES),
)


# --------------------------------------------------------------------------- reference
def request_values(
    register: Register, user: User, party: int, action: str, resource: dict[str, str | None]
) -> dict[str, set[str]]:
    roles = set(user.roles.get(party, set()))
    if user.party_id == party:
        roles.add("PRIV")
    packages = set(user.packages.get(party, set()))
    for role in roles:
        packages |= ROLE_PACKAGES.get(role.upper(), set())
    values: dict[str, set[str]] = {
        "subject urn:altinn:rolecode": roles,
        "subject urn:altinn:accesspackage": packages,
        "subject urn:altinn:org": {user.org} if user.org else set(),
        "action " + ACTION_ID: {action},
    }
    for key, value in resource.items():
        values["resource urn:altinn:" + key] = {value} if value else set()
    return values


def rule_applies(rule: PolicyRule, values: dict[str, set[str]]) -> bool:
    """Naive target reading: every AnyOf has an AllOf whose matches all hold."""
    for any_of in rule.target or []:
        satisfied = False
        for all_of in any_of.all_ofs:
            ok = True
            for m in all_of.matches:
                category = "subject" if "subject" in m.category else m.category.rsplit(":", 1)[-1]
                have = values.get(f"{category} {m.attribute_id}", set())
                wanted = m.value
                for placeholder, name in (
                    ("[ORG]", ORG),
                    ("[org]", ORG),
                    ("[APP]", APP),
                    ("[app]", APP),
                ):
                    wanted = wanted.replace(placeholder, name)
                relaxed = m.attribute_id in (
                    "urn:altinn:rolecode",
                    ACTION_ID,
                ) or m.match_id.endswith("ignore-case")
                if relaxed:
                    ok = ok and wanted.lower() in {h.lower() for h in have}
                else:
                    ok = ok and wanted in have
            satisfied = satisfied or ok
        if not satisfied:
            return False
    return True


def delegated(register: Register, user: User, party: int, action: str, task: str | None) -> bool:
    return any(
        d.to_user == user.user_id
        and d.from_party == party
        and d.org == ORG
        and d.app in (APP, "*")
        and action.lower() in d.actions
        and (not d.tasks or task in d.tasks)
        for d in register.delegations
    )


@cache
def compiled(raw: bytes, copy: int) -> PolicyDecisionPoint:
    """A compiled policy; `copy` gives independent instances for the determinism check."""
    return PolicyDecisionPoint.from_bytes(raw, options=compile_options(ORG, APP))


def check_batch(raw: bytes, register: Register, batch: list) -> None:  # type: ignore[type-arg]
    auth = AltinnAuthorizer(compiled(raw, 0), register, ORG, APP)
    fresh = AltinnAuthorizer(compiled(raw, 1), register, ORG, APP)
    rules = read_policy_bytes(raw).rules
    for request in batch:
        user_id, party, action, task, end_event, app_resource = request
        user = register.users.get(user_id) or next(iter(register.users.values()))
        decision = auth.authorize(user, party, action, task, end_event, app_resource)
        resource = {
            "org": ORG,
            "app": APP,
            "task": task,
            "end-event": end_event,
            "appresource": app_resource,
        }
        values = request_values(register, user, party, action, resource)
        applying = [r for r in rules if rule_applies(r, values)]
        granting = [r.rule_id for r in applying if r.effect == "Permit"]
        denying = [r.rule_id for r in applying if r.effect == "Deny"]
        by_delegation = not applying and delegated(register, user, party, action, task)
        # Nothing is permitted that no rule (or delegation) grants ...
        if decision.permitted:
            assert granting or by_delegation, f"permitted without a granting rule: {request}"
        # ... and exactly deny-overrides: a granting rule permits unless a rule denies;
        # delegations are consulted only when no rule applies.
        assert decision.permitted == bool((granting and not denying) or by_delegation)
        if decision.permitted and granting:
            assert sorted(decision.rule_ids) == sorted(granting)
        if denying:
            assert decision.decision == "Deny" and decision.rule_ids[0] in denying
        # Deterministic: the same answer again, and from an independently compiled policy.
        again = auth.authorize(user, party, action, task, end_event, app_resource)
        other = fresh.authorize(user, party, action, task, end_event, app_resource)
        for repeat in (again, other):
            assert (repeat.decision, repeat.rule_ids, repeat.min_auth_level) == (
                decision.decision,
                decision.rule_ids,
                decision.min_auth_level,
            )


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(registers(), generated_policies(), st.lists(requests, min_size=1, max_size=6))
def test_generated_policies_permit_only_what_rules_grant(
    register: Register, raw: bytes, batch: list
) -> None:  # type: ignore[type-arg]
    check_batch(raw, register, batch)


@SETTINGS
@given(st.sampled_from(REAL_APPS), registers(), st.lists(requests, min_size=1, max_size=6))
def test_real_policies_permit_only_what_rules_grant(
    app: str, register: Register, batch: list
) -> None:  # type: ignore[type-arg]
    raw = real_policy(app)
    if raw is None:
        return
    check_batch(raw, register, batch)
