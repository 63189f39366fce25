"""The XACML engine beyond the conformance suite: load-time rejection, data types, clock,
variables, higher-order functions, obligations, combining algorithms, multiple decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import etree

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.errors import PolicyError
from app_runtime.authorization.model import INDETERMINATE_DP, INDETERMINATE_P
from app_runtime.authorization.parser import PolicyStore, load_policy_bytes
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.request import load_request_bytes, response_xml

NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
F1 = "urn:oasis:names:tc:xacml:1.0:function:"
F3 = "urn:oasis:names:tc:xacml:3.0:function:"
XS = "http://www.w3.org/2001/XMLSchema#"
SUBJ = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
ENV = "urn:oasis:names:tc:xacml:3.0:attribute-category:environment"
DENY_OVERRIDES = "urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"


def policy(body: str, algorithm: str = DENY_OVERRIDES, extra: str = "") -> bytes:
    return (
        f'<Policy xmlns="{NS}" PolicyId="p" Version="1.0" RuleCombiningAlgId="{algorithm}">'
        f"<Target/>{body}{extra}</Policy>"
    ).encode()


def designator(
    attribute: str, datatype: str = "string", must: str = "false", category: str = SUBJ
) -> str:
    return (
        f'<AttributeDesignator AttributeId="{attribute}" Category="{category}" '
        f'DataType="{XS}{datatype}" MustBePresent="{must}"/>'
    )


def value(text: str, datatype: str = "string") -> str:
    return f'<AttributeValue DataType="{XS}{datatype}">{text}</AttributeValue>'


def apply(function: str, *args: str) -> str:
    return f'<Apply FunctionId="{function}">{"".join(args)}</Apply>'


def rule(
    condition: str | None = None, effect: str = "Permit", rule_id: str = "r", extra: str = ""
) -> str:
    cond = f"<Condition>{condition}</Condition>" if condition else ""
    return f'<Rule RuleId="{rule_id}" Effect="{effect}">{cond}{extra}</Rule>'


def request(
    *attributes: tuple[str, str, str], category: str = SUBJ, include: bool = False
) -> bytes:
    items = "".join(
        f'<Attribute AttributeId="{a}" IncludeInResult="{str(include).lower()}">'
        f'<AttributeValue DataType="{XS}{t}">{v}</AttributeValue></Attribute>'
        for a, t, v in attributes
    )
    return f'<Request xmlns="{NS}"><Attributes Category="{category}">{items}</Attributes></Request>'.encode()


def decide(raw_policy: bytes, raw_request: bytes, clock=None):  # type: ignore[no-untyped-def]
    pdp = PolicyDecisionPoint.from_bytes(raw_policy, clock=clock)
    return pdp.decide(load_request_bytes(raw_request))


# --------------------------------------------------------------------------- rejection
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (rule(apply(F1 + "no-such-function", value("a"))), "unknown function"),
        (rule(apply(F1 + "integer-equal", value("1", "integer"), value("a"))), "type error"),
        (rule(apply(F1 + "string-bag", value("a"))), "must be a single boolean"),
        (
            rule(apply(F1 + "integer-equal", value("x", "integer"), value("1", "integer"))),
            "invalid integer",
        ),
        (rule('<VariableReference VariableId="nope"/>'), "not defined"),
        (
            rule(
                apply(
                    F1 + "string-equal",
                    apply(
                        F3 + "string-substring",
                        value("abc"),
                        value("5", "integer"),
                        value("-1", "integer"),
                    ),
                    value("a"),
                )
            ),
            "always fails",
        ),
        (rule(apply(F1 + "string-regexp-match", value("(unclosed"), value("a"))), "always fails"),
        ('<Rule RuleId="r" Effect="Maybe"/>', "Effect must be Permit or Deny"),
        (
            rule(
                f'<AttributeSelector Category="{SUBJ}" Path="//x" DataType="{XS}string" MustBePresent="false"/>'
            ),
            "out of scope",
        ),
    ],
)
def test_invalid_policies_are_rejected_with_a_location(body: str, fragment: str) -> None:
    with pytest.raises(PolicyError) as info:
        PolicyDecisionPoint.from_bytes(policy(body), "bad.xml")
    assert fragment in info.value.message
    assert info.value.location is not None and info.value.location.file == "bad.xml"
    assert info.value.location.line is not None


def test_unknown_combining_algorithm_and_missing_target_are_rejected() -> None:
    with pytest.raises(PolicyError, match="rule-combining algorithm"):
        PolicyDecisionPoint.from_bytes(policy(rule(), algorithm="urn:x:nope"))
    raw = f'<Policy xmlns="{NS}" PolicyId="p" RuleCombiningAlgId="{DENY_OVERRIDES}"><Rule RuleId="r" Effect="Permit"/></Policy>'
    with pytest.raises(PolicyError, match="needs a <Target>"):
        PolicyDecisionPoint.from_bytes(raw.encode())


def test_wrong_namespace_and_cyclic_variables_are_rejected() -> None:
    raw = b'<Policy xmlns="urn:oasis:names:tc:xacml:2.0:policy:schema:os" PolicyId="p"/>'
    with pytest.raises(PolicyError, match="namespace"):
        PolicyDecisionPoint.from_bytes(raw)
    cyclic = (
        '<VariableDefinition VariableId="a"><VariableReference VariableId="b"/></VariableDefinition>'
        '<VariableDefinition VariableId="b"><VariableReference VariableId="a"/></VariableDefinition>'
    )
    with pytest.raises(PolicyError, match="refers to itself"):
        PolicyDecisionPoint.from_bytes(policy(cyclic + rule('<VariableReference VariableId="a"/>')))


def test_references_must_resolve_and_must_not_cycle() -> None:
    set_a = (
        f'<PolicySet xmlns="{NS}" PolicySetId="A" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable">'
        "<Target/><PolicySetIdReference>B</PolicySetIdReference></PolicySet>"
    ).encode()
    set_b = set_a.replace(b'PolicySetId="A"', b'PolicySetId="B"').replace(b">B<", b">A<")
    store = PolicyStore()
    store.add(*load_policy_bytes(set_a, "a.xml"))
    with pytest.raises(PolicyError, match="cannot be resolved"):
        store.link()
    store.add(*load_policy_bytes(set_b, "b.xml"))
    with pytest.raises(PolicyError, match="cycle"):
        store.link()


# --------------------------------------------------------------------------- data types
def test_datatype_semantics() -> None:
    assert dt.parse_datetime("2024-01-01T12:00:00+02:00") == dt.parse_datetime(
        "2024-01-01T10:00:00Z"
    )
    assert dt.parse_time("23:00:00-05:00") > dt.parse_time("23:00:00Z")
    assert dt.parse_daytime_duration("P1DT2H") == dt.parse_daytime_duration("PT26H")
    assert str(dt.parse_yearmonth_duration("-P5Y3M")) == "-P5Y3M"
    assert dt.parse_x500("cn=John  Smith, o=Medico, c=US") == dt.parse_x500(
        "CN=john smith,O=medico,C=us"
    )
    assert dt.parse_rfc822("Anne@EXAMPLE.com") == dt.parse_rfc822("Anne@example.COM")
    assert dt.parse_rfc822("anne@example.com") != dt.parse_rfc822("Anne@example.com")
    assert dt.parse_hex("0bf7") == dt.parse_hex("0BF7")
    moved = dt.datetime_add_months(dt.parse_datetime("2024-01-31T00:00:00Z"), 1)
    assert str(moved) == "2024-02-29T00:00:00Z"
    for bad_type, bad in (
        (dt.INTEGER, "1.5"),
        (dt.BOOLEAN, "yes"),
        (dt.DATE, "2024-13-01"),
        (dt.DOUBLE, "inf"),
    ):
        with pytest.raises(ValueError):
            dt.parse_value(bad_type, bad)


# --------------------------------------------------------------------------- evaluation
def test_missing_required_attribute_is_indeterminate_with_status() -> None:
    condition = apply(F1 + "string-is-in", value("x"), designator("urn:a", must="true"))
    [result] = decide(policy(rule(condition)), request(("urn:b", "string", "x")))
    assert result.decision == "Indeterminate"
    assert result.status_code.endswith("missing-attribute")


def test_extended_indeterminate_is_kept_internally() -> None:
    condition = apply(F1 + "string-is-in", value("x"), designator("urn:a", must="true"))
    pdp = PolicyDecisionPoint.from_bytes(policy(rule(condition)))
    assert pdp.evaluate({}).decision == INDETERMINATE_P
    both = rule(condition, "Permit", "r1") + rule(condition, "Deny", "r2")
    pdp = PolicyDecisionPoint.from_bytes(policy(both))
    assert pdp.evaluate({}).decision == INDETERMINATE_DP


def test_clock_is_injectable_and_request_time_wins() -> None:
    current = designator(
        "urn:oasis:names:tc:xacml:1.0:environment:current-dateTime", "dateTime", "true", ENV
    )
    condition = apply(
        F1 + "dateTime-greater-than",
        apply(F1 + "dateTime-one-and-only", current),
        value("2030-01-01T00:00:00Z", "dateTime"),
    )
    raw = policy(rule(condition))
    empty = f'<Request xmlns="{NS}"/>'.encode()
    assert (
        decide(raw, empty, clock=lambda: datetime(2031, 1, 1, tzinfo=UTC))[0].decision == "Permit"
    )
    assert (
        decide(raw, empty, clock=lambda: datetime(2029, 1, 1, tzinfo=UTC))[0].decision
        == "NotApplicable"
    )
    supplied = request(
        (
            "urn:oasis:names:tc:xacml:1.0:environment:current-dateTime",
            "dateTime",
            "2029-06-01T00:00:00Z",
        ),
        category=ENV,
    )
    later = timezone(timedelta(hours=1))
    assert (
        decide(raw, supplied, clock=lambda: datetime(2031, 1, 1, tzinfo=later))[0].decision
        == "NotApplicable"
    )


def test_variables_higher_order_and_arithmetic() -> None:
    definitions = (
        '<VariableDefinition VariableId="ages">'
        + designator("urn:age", "integer")
        + "</VariableDefinition>"
    )
    adults = apply(
        F3 + "all-of",
        f'<Function FunctionId="{F1}integer-greater-than-or-equal"/>',
        apply(F1 + "integer-subtract", value("20", "integer"), value("2", "integer")),
        '<VariableReference VariableId="ages"/>',
    )
    # all-of(f, 18, ages) holds when 18 >= every age: "nobody is older than 18".
    raw = policy(definitions + rule(adults))
    young = request(("urn:age", "integer", "10"), ("urn:age", "integer", "17"))
    old = request(("urn:age", "integer", "10"), ("urn:age", "integer", "40"))
    assert decide(raw, young)[0].decision == "Permit"
    assert decide(raw, old)[0].decision == "NotApplicable"
    mapped = apply(
        F1 + "string-set-equals",
        apply(
            F3 + "map",
            f'<Function FunctionId="{F1}string-normalize-to-lower-case"/>',
            designator("urn:n"),
        ),
        apply(F1 + "string-bag", value("ada"), value("bob")),
    )
    names = request(("urn:n", "string", "ADA"), ("urn:n", "string", "Bob"))
    assert decide(policy(rule(mapped)), names)[0].decision == "Permit"


def test_obligations_and_advice_with_bag_values_and_include_in_result() -> None:
    obligations = (
        '<ObligationExpressions><ObligationExpression ObligationId="o" FulfillOn="Permit">'
        '<AttributeAssignmentExpression AttributeId="who">'
        + designator("urn:n")
        + "</AttributeAssignmentExpression></ObligationExpression></ObligationExpressions>"
        '<AdviceExpressions><AdviceExpression AdviceId="a" AppliesTo="Deny">'
        '<AttributeAssignmentExpression AttributeId="x">'
        + value("1", "integer")
        + "</AttributeAssignmentExpression></AdviceExpression></AdviceExpressions>"
    )
    raw = policy(rule(), extra=obligations)
    [result] = decide(
        raw, request(("urn:n", "string", "a"), ("urn:n", "string", "b"), include=True)
    )
    assert result.decision == "Permit"
    [obligation] = result.obligations
    assert sorted(a.value for a in obligation.assignments) == ["a", "b"]
    assert result.advice == []
    assert [a.attribute_id for c in result.attributes for a in c.attributes] == ["urn:n", "urn:n"]
    xml = etree.fromstring(response_xml([result]))
    assert xml.find(f"{{{NS}}}Result/{{{NS}}}Decision").text == "Permit"


def test_multiple_decision_profile_gives_one_result_per_subject() -> None:
    condition = apply(F1 + "string-is-in", value("ann"), designator("urn:n"))
    raw_request = (
        f'<Request xmlns="{NS}">'
        f'<Attributes Category="{SUBJ}"><Attribute AttributeId="urn:n" IncludeInResult="true">{value("ann")}</Attribute></Attributes>'
        f'<Attributes Category="{SUBJ}"><Attribute AttributeId="urn:n" IncludeInResult="true">{value("bob")}</Attribute></Attributes>'
        "</Request>"
    ).encode()
    results = decide(policy(rule(condition)), raw_request)
    by_name = {r.attributes[0].attributes[0].values[0][1]: r.decision for r in results}
    assert by_name == {"ann": "Permit", "bob": "NotApplicable"}


def _policy_set(algorithm: str, *policies: bytes) -> bytes:
    inner = b"".join(p.replace(f' xmlns="{NS}"'.encode(), b"") for p in policies)
    return (
        f'<PolicySet xmlns="{NS}" PolicySetId="s" PolicyCombiningAlgId="{algorithm}"><Target/>'.encode()
        + inner
        + b"</PolicySet>"
    )


def test_policy_combining_legacy_and_only_one_applicable() -> None:
    broken = apply(F1 + "string-is-in", value("x"), designator("urn:a", must="true"))
    failing = policy(rule(broken, "Deny")).replace(b'PolicyId="p"', b'PolicyId="p1"')
    permitting = policy(rule()).replace(b'PolicyId="p"', b'PolicyId="p2"')
    legacy = "urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:deny-overrides"
    modern = "urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides"
    empty = f'<Request xmlns="{NS}"/>'.encode()
    assert decide(_policy_set(legacy, failing, permitting), empty)[0].decision == "Deny"
    # 3.0: Indeterminate{D} next to a Permit is Indeterminate{DP}; 1.0 treated it as Deny.
    assert decide(_policy_set(modern, failing, permitting), empty)[0].decision == "Indeterminate"
    only_one = "urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:only-one-applicable"
    assert decide(_policy_set(only_one, permitting), empty)[0].decision == "Permit"
    twice = permitting.replace(b'PolicyId="p2"', b'PolicyId="p3"')
    assert decide(_policy_set(only_one, permitting, twice), empty)[0].decision == "Indeterminate"


def test_first_applicable_and_unless_algorithms() -> None:
    algorithms = "urn:oasis:names:tc:xacml:"
    body = rule(None, "Deny", "d") + rule(None, "Permit", "p")
    empty = f'<Request xmlns="{NS}"/>'.encode()
    cases = {
        "1.0:rule-combining-algorithm:first-applicable": "Deny",
        "3.0:rule-combining-algorithm:permit-overrides": "Permit",
        "3.0:rule-combining-algorithm:deny-unless-permit": "Permit",
        "3.0:rule-combining-algorithm:permit-unless-deny": "Deny",
    }
    for suffix, expected in cases.items():
        assert decide(policy(body, algorithms + suffix), empty)[0].decision == expected, suffix
    nothing = policy("", algorithms + "3.0:rule-combining-algorithm:deny-unless-permit")
    assert decide(nothing, empty)[0].decision == "Deny"


def test_unreadable_requests_are_indeterminate_syntax_errors() -> None:
    pdp = PolicyDecisionPoint.from_bytes(policy(rule()))
    bad_value = request(("urn:age", "integer", "forty"))
    for raw in (bad_value, b"<Request", b"<Other/>"):
        [result] = pdp.decide_xml(raw)
        assert result.decision == "Indeterminate"
        assert result.status_code.endswith("syntax-error")


def test_references_pick_the_newest_matching_version() -> None:
    def version(number: str, effect: str) -> bytes:
        raw = policy(rule(None, effect)).replace(
            b'PolicyId="p" Version="1.0"', f'PolicyId="ref" Version="{number}"'.encode()
        )
        return raw

    first = "urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable"

    def root(attributes: str) -> bytes:
        return (
            f'<PolicySet xmlns="{NS}" PolicySetId="root" PolicyCombiningAlgId="{first}"><Target/>'
            f"<PolicyIdReference {attributes}>ref</PolicyIdReference></PolicySet>"
        ).encode()

    empty = load_request_bytes(f'<Request xmlns="{NS}"/>'.encode())
    for attributes, expected in (
        ("", "Deny"),  # newest: 2.0
        ('Version="1.*"', "Permit"),
        ('LatestVersion="1.5"', "Permit"),
        ('EarliestVersion="1.1"', "Deny"),
    ):
        store = PolicyStore()
        node, references = load_policy_bytes(root(attributes), "root.xml")
        store.add(node, references)
        store.add(*load_policy_bytes(version("1.0", "Permit"), "v1.xml"))
        store.add(*load_policy_bytes(version("2.0", "Deny"), "v2.xml"))
        store.link()
        assert PolicyDecisionPoint(node).decide(empty)[0].decision == expected, attributes
