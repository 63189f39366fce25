"""The Altinn layer: vocabulary, task-type actions, case-insensitive matching, placeholders,
authentication-level obligations, lazy enrichment, delegations, party types, the register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, suite_path

from app_runtime.authorization.altinn import (
    ACCESSPACKAGE,
    ROLECODE,
    AltinnAuthorizer,
    actions_for_task_type,
    compile_options,
)
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import (
    RegisterError,
    allowed_parties,
    default_register,
    load_register_text,
    party_type_allowed,
)

NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
SUBJ = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
RES = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
ACT = "urn:oasis:names:tc:xacml:3.0:attribute-category:action"
XS = "http://www.w3.org/2001/XMLSchema#"
EQ = "urn:oasis:names:tc:xacml:1.0:function:string-equal"
EQ_IC = "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case"


def match(
    function: str, value: str, attribute: str, category: str, datatype: str = "string"
) -> str:
    return (
        f'<Match MatchId="{function}"><AttributeValue DataType="{XS}{datatype}">{value}</AttributeValue>'
        f'<AttributeDesignator AttributeId="{attribute}" Category="{category}" DataType="{XS}{datatype}" MustBePresent="false"/></Match>'
    )


def any_of(*all_ofs: str) -> str:
    return "<AnyOf>" + "".join(f"<AllOf>{a}</AllOf>" for a in all_ofs) + "</AnyOf>"


def altinn_policy(
    subjects: list[str], actions: list[str], task: str | None = None, level: int = 2
) -> bytes:
    resource = match(EQ, "[ORG]", "urn:altinn:org", RES) + match(EQ, "[APP]", "urn:altinn:app", RES)
    if task:
        resource += match(EQ, task, "urn:altinn:task", RES)
    target = (
        "<Target>"
        + any_of(*subjects)
        + any_of(resource)
        + any_of(
            *(match(EQ, a, "urn:oasis:names:tc:xacml:1.0:action:action-id", ACT) for a in actions)
        )
        + "</Target>"
    )
    obligations = (
        '<ObligationExpressions><ObligationExpression ObligationId="urn:altinn:obligation:authenticationLevel1" FulfillOn="Permit">'
        '<AttributeAssignmentExpression AttributeId="urn:altinn:obligation1-assignment1" Category="urn:altinn:minimum-authenticationlevel">'
        f'<AttributeValue DataType="{XS}integer">{level}</AttributeValue></AttributeAssignmentExpression>'
        "</ObligationExpression></ObligationExpressions>"
    )
    return (
        f'<Policy xmlns="{NS}" PolicyId="urn:altinn:resource:app_ttd_demo:policyid:1" '
        'RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">'
        f'<Target/><Rule RuleId="r1" Effect="Permit">{target}</Rule>{obligations}</Policy>'
    ).encode()


def authorizer(raw: bytes, register=None) -> AltinnAuthorizer:  # type: ignore[no-untyped-def]
    pdp = PolicyDecisionPoint.from_bytes(raw, options=compile_options("ttd", "demo"))
    return AltinnAuthorizer(pdp, register or default_register(), "ttd", "demo")


def test_task_type_to_required_actions() -> None:
    assert actions_for_task_type("data") == ("write",)
    assert actions_for_task_type("eFormidling") == ("write",)
    assert actions_for_task_type("pdf") == ("write",)
    assert actions_for_task_type("feedback") == ("write",)
    assert actions_for_task_type("payment") == ("pay", "write")
    assert actions_for_task_type("confirmation") == ("confirm",)
    assert actions_for_task_type("signing") == ("sign", "write")
    assert actions_for_task_type("pdfIfRequested") == ("pdfIfRequested",)
    assert actions_for_task_type(None) == ()


def test_roles_and_actions_match_case_insensitively_and_placeholders_are_filled() -> None:
    register = default_register()
    auth = authorizer(altinn_policy([match(EQ, "dagl", ROLECODE, SUBJ)], ["Read"]), register)
    ola = register.user("ola")
    assert ola is not None
    decision = auth.authorize(ola, 51001, "READ")
    assert decision.permitted and decision.rule_ids == ["r1"]
    assert not auth.authorize(ola, 51001, "write").permitted
    # Kari is REGNA, not DAGL, for the same party.
    kari = register.user("kari")
    assert kari is not None and not auth.authorize(kari, 51001, "read").permitted


def test_authentication_level_obligation_is_returned_for_the_caller() -> None:
    register = default_register()
    auth = authorizer(
        altinn_policy([match(EQ_IC, "DAGL", ROLECODE, SUBJ)], ["read"], level=3), register
    )
    ola = register.user("ola")
    assert ola is not None and ola.auth_level == 2
    decision = auth.authorize(ola, 51001, "read")
    assert decision.permitted
    assert decision.min_auth_level == 3
    assert not decision.allows(ola.auth_level)
    assert decision.allows(4)


def test_subject_enrichment_is_lazy_and_limited_to_used_attributes() -> None:
    register = default_register()
    auth = authorizer(altinn_policy([match(EQ_IC, "DAGL", ROLECODE, SUBJ)], ["read"]), register)
    ola = register.user("ola")
    assert ola is not None
    log: list[str] = []
    auth.authorize(ola, 51001, "read", log=log)
    assert log == [ROLECODE]
    log.clear()
    auth.authorize(ola, 51001, "delete", log=log)  # the action does not match: no look-up
    assert log == []


def test_access_packages_are_first_class_subjects() -> None:
    register = default_register()
    auth = authorizer(
        altinn_policy([match(EQ_IC, "ansettelsesforhold", ACCESSPACKAGE, SUBJ)], ["read"]), register
    )
    anne, ola, kari = register.user("anne"), register.user("ola"), register.user("kari")
    assert anne and ola and kari
    assert auth.authorize(anne, 51001, "read").permitted  # holds the package directly
    assert auth.authorize(ola, 51001, "read").permitted  # DAGL gives the package
    assert not auth.authorize(kari, 51001, "read").permitted


def test_single_right_delegation_applies_when_the_policy_does_not() -> None:
    register = default_register()
    auth = authorizer(altinn_policy([match(EQ_IC, "DAGL", ROLECODE, SUBJ)], ["read"]), register)
    anne = register.user("anne")
    assert anne is not None
    decision = auth.authorize(anne, 51001, "write", task="Task_1")
    assert decision.permitted and decision.via_delegation
    assert not auth.authorize(anne, 51001, "delete").permitted
    assert not auth.authorize(anne, 51005, "read").permitted  # another party delegated nothing


def test_process_next_uses_the_task_type_rule() -> None:
    register = default_register()
    raw = altinn_policy([match(EQ_IC, "DAGL", ROLECODE, SUBJ)], ["sign"], task="Signing")
    auth = authorizer(raw, register)
    ola = register.user("ola")
    assert ola is not None
    assert auth.authorize_process_next(ola, 51001, "Signing", "signing").permitted
    assert not auth.authorize_process_next(ola, 51001, "Signing", "data").permitted


def test_party_types_allowed() -> None:
    register = default_register()
    person, company, subunit, estate = (register.parties[i] for i in (50001, 51001, 51002, 51004))
    only_orgs = {"person": False, "organisation": True, "subUnit": False, "bankruptcyEstate": False}
    assert party_type_allowed(only_orgs, company)
    assert not party_type_allowed(only_orgs, person)
    assert not party_type_allowed(only_orgs, subunit)
    assert not party_type_allowed(only_orgs, estate)
    all_false = dict.fromkeys(only_orgs, False)
    assert all(party_type_allowed(all_false, p) for p in (person, company, subunit, estate))
    ola = register.user("ola")
    assert ola is not None
    assert [p.party_id for p in allowed_parties(register, ola, only_orgs)] == [51001]


def test_register_errors_point_at_the_line() -> None:
    with pytest.raises(RegisterError) as info:
        load_register_text(
            "persons:\n  - id: 1\nusers:\n  - id: 2\n    roles:\n      - party: 99\n        codes: [DAGL]\n",
            "r.yaml",
        )
    assert "unknown party" in info.value.message
    assert info.value.location is not None and info.value.location.line == 6
    with pytest.raises(RegisterError, match="invalid YAML"):
        load_register_text("persons: [", "r.yaml")
    with pytest.raises(RegisterError, match="used twice"):
        load_register_text("persons:\n  - id: 1\n  - id: 1\n")


def _policy_files() -> list[Path]:
    files = sorted(suite_path("STUDIO_REAL_APPS").glob("*/App/config/authorization/policy.xml"))
    return files + sorted(EXAMPLES.glob("*/App/config/authorization/policy.xml"))


def test_default_register_covers_every_role_used_by_examples_and_real_apps() -> None:
    files = _policy_files()
    if not files:
        pytest.skip("no real apps or examples present")
    register = default_register()
    held = {code.lower() for code in register.all_role_codes()}
    pattern = re.compile(
        r">([^<]+)</(?:xacml:)?AttributeValue>\s*<(?:xacml:)?AttributeDesignator AttributeId=\"urn:altinn:rolecode\""
    )
    used = {
        m.group(1).strip().lower()
        for f in files
        for m in pattern.finditer(f.read_text("utf-8-sig"))
    }
    assert used, "expected role codes in the policies"
    assert used <= held, f"roles nobody holds: {sorted(used - held)}"


def test_instantiation_checks_party_type_then_policy() -> None:
    register = default_register()
    raw = altinn_policy(
        [match(EQ_IC, "DAGL", ROLECODE, SUBJ), match(EQ_IC, "PRIV", ROLECODE, SUBJ)],
        ["instantiate"],
    )
    auth = authorizer(raw, register)
    ola = register.user("ola")
    assert ola is not None
    only_orgs = {"person": False, "organisation": True}
    assert auth.authorize_instantiate(ola, 51001, only_orgs).permitted
    refused = auth.authorize_instantiate(ola, 50001, only_orgs)
    assert not refused.permitted and "person" in refused.message
    assert auth.authorize_instantiate(ola, 50001, None).permitted
    assert not auth.authorize_instantiate(ola, 99999, None).permitted
