"""Access-rule checks (AUTH): the app's policy.xml against the standard, the process and the
local register.

The policy is compiled exactly as the runtime compiles it, so anything the runtime would
refuse shows up here first. Task and end-event ids come from process.bpmn read with the
hardened parser; when the process is missing or unreadable those checks are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from app_runtime.authorization.altinn import (
    ACCESSPACKAGE,
    ACTION_ID,
    END_EVENT,
    ORG,
    ROLECODE,
    SUBJECT,
    TASK,
    is_known_action,
)
from app_runtime.authorization.app_policy import app_identity, load_app_pdp, process_facts
from app_runtime.authorization.errors import PolicyError
from app_runtime.authorization.register import Register, default_register
from app_runtime.checks.registry import check
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.xmlsafe import element_location

if TYPE_CHECKING:
    from app_runtime.app import App

XACML = "{urn:oasis:names:tc:xacml:3.0:core:schema:wd-17}"

MISSING_POLICY = define_rule(
    "AUTH001",
    "missing-policy",
    Severity.WARNING,
    "App/config/authorization/policy.xml is missing; every request would be denied.",
)
INVALID_POLICY = define_rule(
    "AUTH002",
    "invalid-policy",
    Severity.ERROR,
    "policy.xml is not a valid XACML 3.0 policy (structure, functions or types).",
)
UNKNOWN_ACTION = define_rule(
    "AUTH003",
    "unknown-action",
    Severity.WARNING,
    "A rule names an action that is neither an Altinn action nor a task type or process action.",
)
UNKNOWN_TASK = define_rule(
    "AUTH004",
    "rule-unknown-task",
    Severity.WARNING,
    "A rule names a task that process.bpmn does not have.",
)
UNKNOWN_END_EVENT = define_rule(
    "AUTH005",
    "rule-unknown-end-event",
    Severity.WARNING,
    "A rule names an end event that process.bpmn does not have.",
)
NO_INSTANTIATE = define_rule(
    "AUTH006",
    "no-instantiate-rule",
    Severity.WARNING,
    "No rule permits the instantiate action, so nobody can start the app.",
)
SUBJECT_NOBODY = define_rule(
    "AUTH007",
    "subject-matches-nobody",
    Severity.INFO,
    "A rule's subject (role, access package, org) matches nobody in the local register.",
)


def _matches(element: etree._Element, attribute_id: str) -> Iterator[tuple[etree._Element, str]]:
    """(Match element, literal value) for matches on `attribute_id` within `element`."""
    for match in element.iter(XACML + "Match"):
        designator = match.find(XACML + "AttributeDesignator")
        value = match.find(XACML + "AttributeValue")
        if (
            designator is not None
            and value is not None
            and designator.get("AttributeId") == attribute_id
        ):
            yield match, (value.text or "").strip()


def _subject_matches(
    rule: etree._Element, attribute_id: str
) -> Iterator[tuple[etree._Element, str]]:
    for match, value in _matches(rule, attribute_id):
        designator = match.find(XACML + "AttributeDesignator")
        if designator is not None and designator.get("Category") == SUBJECT:
            yield match, value


@cache
def _register_vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Role codes, access packages and orgs (lower case) of the register shipped with the
    package: constant data, so read once per process rather than once per app."""
    register: Register = default_register()
    return (
        frozenset(code.lower() for code in register.all_role_codes()),
        frozenset(code.lower() for code in register.all_packages()),
        frozenset(register.all_orgs()),
    )


@check(
    "policy",
    MISSING_POLICY,
    INVALID_POLICY,
    UNKNOWN_ACTION,
    UNKNOWN_TASK,
    UNKNOWN_END_EVENT,
    NO_INSTANTIATE,
    SUBJECT_NOBODY,
)
def check_policy(app: App) -> Iterator[Finding]:
    """Every AUTH check on the app's policy.xml."""
    if app.policy_path is None:
        yield MISSING_POLICY.finding(
            "the app has no access rules (policy.xml)",
            Location("App/config/authorization/policy.xml"),
            "copy the app template's policy.xml and adjust the roles",
        )
        return
    name = app.relpath(app.policy_path)
    tree = app.xml(app.policy_path)
    if tree is None:
        return  # the loader already reported the XML error
    try:
        load_app_pdp(app)
    except PolicyError as exc:
        yield INVALID_POLICY.finding(exc.message, exc.location or Location(name), exc.hint)
        return
    root = tree.getroot()
    rules = list(root.iter(XACML + "Rule"))
    yield from _action_findings(app, name, rules)
    yield from _process_findings(app, name, rules)
    yield from _instantiate_findings(name, root, rules)
    yield from _subject_findings(app, name, rules)


def _action_findings(app: App, name: str, rules: list[etree._Element]) -> Iterator[Finding]:
    facts = process_facts(app)
    extra = set(facts.actions) | {t for t in facts.tasks.values() if t}
    for data_type in app.data_types:  # custom actions guarding data (e.g. signature-access)
        for key in ("actionRequiredToRead", "actionRequiredToWrite"):
            if isinstance(data_type.get(key), str):
                extra.add(data_type[key])
    for rule in rules:
        for match, action in _matches(rule, ACTION_ID):
            if action and not is_known_action(action, extra):
                yield UNKNOWN_ACTION.finding(
                    f"rule {rule.get('RuleId')} allows unknown action {action!r}",
                    element_location(name, match),
                    "use read, write, delete, instantiate, complete, confirm, sign, reject or pay, "
                    "or an action the process defines",
                )


def _process_findings(app: App, name: str, rules: list[etree._Element]) -> Iterator[Finding]:
    facts = process_facts(app)
    if not facts.readable:
        return
    for rule in rules:
        for match, task in _matches(rule, TASK):
            if task and task not in facts.tasks:
                known = ", ".join(sorted(facts.tasks)) or "none"
                yield UNKNOWN_TASK.finding(
                    f"rule {rule.get('RuleId')} names task {task!r}, which the process lacks",
                    element_location(name, match),
                    f"process tasks: {known}",
                )
        for match, event in _matches(rule, END_EVENT):
            if event and event not in facts.end_events:
                known = ", ".join(sorted(facts.end_events)) or "none"
                yield UNKNOWN_END_EVENT.finding(
                    f"rule {rule.get('RuleId')} names end event {event!r}, which the process lacks",
                    element_location(name, match),
                    f"process end events: {known}",
                )


def _instantiate_findings(
    name: str, root: etree._Element, rules: list[etree._Element]
) -> Iterator[Finding]:
    for rule in rules:
        if rule.get("Effect") != "Permit":
            continue
        if any(action.lower() == "instantiate" for _, action in _matches(rule, ACTION_ID)):
            return
    yield NO_INSTANTIATE.finding(
        "no rule permits 'instantiate'",
        element_location(name, root),
        "add instantiate to the actions of the rule for end users (e.g. PRIV/DAGL)",
    )


def _subject_findings(app: App, name: str, rules: list[etree._Element]) -> Iterator[Finding]:
    roles, packages, orgs = _register_vocabulary()
    org, _ = app_identity(app)
    for rule in rules:
        for match, role in _subject_matches(rule, ROLECODE):
            if role and role.lower() not in roles:
                yield SUBJECT_NOBODY.finding(
                    f"nobody in the local register holds role {role!r} (rule {rule.get('RuleId')})",
                    element_location(name, match),
                    "add a user with this role to your register file to try the rule",
                )
        for match, package in _subject_matches(rule, ACCESSPACKAGE):
            if package and package.rsplit(":", 1)[-1].lower() not in packages:
                yield SUBJECT_NOBODY.finding(
                    f"nobody in the local register holds access package {package!r} "
                    f"(rule {rule.get('RuleId')})",
                    element_location(name, match),
                    "add the package to a user in your register file to try the rule",
                )
        for match, subject_org in _subject_matches(rule, ORG):
            value = subject_org.replace("[ORG]", org).replace("[org]", org).lower()
            if value and value not in orgs:
                yield SUBJECT_NOBODY.finding(
                    f"no service-owner user in the local register belongs to org {value!r} "
                    f"(rule {rule.get('RuleId')})",
                    element_location(name, match),
                    "add a user with `org:` to your register file",
                )
