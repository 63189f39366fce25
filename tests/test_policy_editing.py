"""The policy editing model: real policies round-trip losslessly; edits give valid XACML."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import EXAMPLES, suite_path

from app_runtime.authorization.altinn import AltinnAuthorizer, compile_options
from app_runtime.authorization.editing import (
    PolicyDocument,
    canonical_tree,
    read_policy,
    read_policy_bytes,
    write_policy_bytes,
)
from app_runtime.authorization.errors import PolicyError
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import Register, default_register


def _policies() -> list[Path]:
    real = sorted(suite_path("STUDIO_REAL_APPS").glob("*/App/config/authorization/policy.xml"))
    return real + sorted(EXAMPLES.glob("*/App/config/authorization/policy.xml"))


def _authorizer(raw: bytes, register: Register) -> AltinnAuthorizer:
    pdp = PolicyDecisionPoint.from_bytes(raw, options=compile_options("ttd", "demo"))
    return AltinnAuthorizer(pdp, register, "ttd", "demo")


def _decisions(raw: bytes, register: Register) -> list[tuple[str, tuple[str, ...]]]:
    auth = _authorizer(raw, register)
    out = []
    for user, party, action, task in itertools.product(
        register.users.values(),
        (50001, 51001, 51003),
        ("read", "write", "instantiate", "delete", "complete", "sign", "confirm", "pay", "reject"),
        (None, "Task_1", "Task_2"),
    ):
        decision = auth.authorize(user, party, action, task)
        out.append((decision.decision, tuple(decision.rule_ids)))
    return out


@pytest.mark.parametrize("path", _policies(), ids=lambda p: p.parts[-5])
def test_real_policies_round_trip_without_losing_anything(path: Path) -> None:
    original = path.read_bytes()
    document = read_policy(path)
    written = write_policy_bytes(document)
    # Structure: every element, attribute, text and comment survives.
    assert canonical_tree(written) == canonical_tree(original)
    # Model: re-reading the written file gives the same model.
    assert read_policy_bytes(written) == document
    # Decisions: the same answers, from the same rules.
    register = default_register()
    assert _decisions(written, register) == _decisions(original, register)


def test_writing_is_stable() -> None:
    paths = _policies()
    if not paths:
        pytest.skip("no policies present")
    once = write_policy_bytes(read_policy(paths[0]))
    assert write_policy_bytes(read_policy_bytes(once)) == once
    assert once.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<xacml:Policy')


def test_new_policy_built_from_scratch_is_valid_and_decides_as_edited() -> None:
    doc = PolicyDocument("urn:altinn:resource:app_ttd_demo:policyid:1", namespaces={})
    end_users = doc.new_rule(
        ["DAGL", "role:PRIV"], ["read", "write", "instantiate"], description="end users"
    )
    doc.new_rule(["org:ttd"], ["read", "complete"], tasks=None)
    signers = doc.new_rule(["accesspackage:ansvarlig-revisor"], ["sign"], tasks=["Task_2"])
    doc.set_minimum_auth_level(2, 3)
    assert end_users.roles == ["DAGL", "PRIV"]
    assert signers.tasks == ["Task_2"] and signers.access_packages == ["ansvarlig-revisor"]
    raw = write_policy_bytes(doc)
    register = default_register()
    auth = _authorizer(raw, register)
    ola, per, ttd = register.user("ola"), register.user("per"), register.user("ttd")
    assert ola and per and ttd
    decision = auth.authorize(ola, 51001, "write", "Task_1")
    assert decision.permitted and decision.min_auth_level == 2 and decision.min_auth_level_org == 3
    assert auth.authorize(ola, 50001, "instantiate").permitted  # PRIV for himself
    assert auth.authorize(per, 51001, "sign", "Task_2").permitted  # REVI gives ansvarlig-revisor
    assert not auth.authorize(per, 51001, "sign", "Task_1").permitted
    assert auth.authorize(ttd, 51001, "complete").permitted
    # Edits: remove an action and a role, add a task-bound rule.
    assert end_users.remove_action("write") and end_users.remove_role("PRIV")
    assert not end_users.remove_role("PRIV")
    end_users.add_resource("[ORG]", "[APP]", task="Task_1")
    auth = _authorizer(write_policy_bytes(doc), register)
    assert not auth.authorize(ola, 51001, "write", "Task_1").permitted
    assert not auth.authorize(ola, 50001, "instantiate").permitted
    assert auth.authorize(ola, 51001, "read", "Task_1").permitted


def test_conditions_and_unknown_elements_are_kept_raw() -> None:
    raw = b"""<?xml version="1.0"?>
<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="p" Version="1.0"
  RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>
  <Rule RuleId="r" Effect="Permit">
    <!-- always true -->
    <Condition>
      <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:boolean-equal">
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#boolean">true</AttributeValue>
        <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#boolean">true</AttributeValue>
      </Apply>
    </Condition>
  </Rule>
</Policy>"""
    doc = read_policy_bytes(raw)
    assert doc.prefix is None and len(doc.rules[0].extra) == 2  # the comment and the Condition
    written = write_policy_bytes(doc)
    assert canonical_tree(written) == canonical_tree(raw)
    PolicyDecisionPoint.from_bytes(written)  # still valid XACML


def test_policy_sets_are_refused_by_the_editor() -> None:
    raw = (
        b'<PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="s" '
        b'PolicyCombiningAlgId="urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable"><Target/></PolicySet>'
    )
    with pytest.raises(PolicyError, match=r"single XACML 3\.0 <Policy>"):
        read_policy_bytes(raw)
