"""The policy editing model: policy.xml as rules an app builder can change without XML.

A rule is who (subjects) × what (resources: org/app, task, end event, app resource) × which
actions, plus obligations. The model keeps every Match literally (function, data types,
MustBePresent), descriptions and comments, so reading and writing a real Altinn policy loses
nothing; the convenience methods (roles, access packages, actions, tasks) edit it in the shape
Altinn Studio writes. Anything a rule carries that the model does not understand (a Condition,
say) is kept as raw XML and written back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.altinn import (
    ACCESSPACKAGE,
    ACTION,
    ACTION_ID,
    APP,
    APPRESOURCE,
    END_EVENT,
    MIN_AUTHLEVEL,
    MIN_AUTHLEVEL_ORG,
    ORG,
    RESOURCE,
    ROLECODE,
    SUBJECT,
    TASK,
)
from app_runtime.authorization.errors import PolicyError
from schemas.xmlsafe import element_location, parse_xml_bytes, parse_xml_file

NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
_Q = "{" + NS + "}"
STRING_EQUAL = "urn:oasis:names:tc:xacml:1.0:function:string-equal"
STRING_EQUAL_IC = "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case"
DENY_OVERRIDES = "urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"

RESOURCE_KEYS = {
    ORG: "org",
    APP: "app",
    TASK: "task",
    END_EVENT: "end-event",
    APPRESOURCE: "appresource",
}


@dataclass(slots=True)
class MatchSpec:
    """One <Match>, kept exactly."""

    attribute_id: str
    value: str
    category: str
    match_id: str = STRING_EQUAL
    datatype: str = dt.STRING
    designator_datatype: str = dt.STRING
    must_be_present: bool = False
    issuer: str | None = None
    comments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AllOfSpec:
    """One <AllOf>: matches that must all hold (one alternative)."""

    matches: list[MatchSpec]
    comments: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AnyOfSpec:
    """One <AnyOf>: alternatives, at least one must hold."""

    all_ofs: list[AllOfSpec]
    comments: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)

    @property
    def category(self) -> str | None:
        categories = {m.category for a in self.all_ofs for m in a.matches}
        return categories.pop() if len(categories) == 1 else None


@dataclass(slots=True)
class AssignmentSpec:
    attribute_id: str
    value: str
    datatype: str = dt.STRING
    category: str | None = None
    issuer: str | None = None


@dataclass(slots=True)
class ObligationSpec:
    """An ObligationExpression with literal attribute assignments."""

    obligation_id: str
    fulfill_on: str
    assignments: list[AssignmentSpec]
    comments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PolicyRule:
    """One rule: effect, description, target (subjects × resources × actions), obligations."""

    rule_id: str
    effect: str = "Permit"
    description: str | None = None
    target: list[AnyOfSpec] | None = field(default_factory=list)
    obligations: list[ObligationSpec] = field(default_factory=list)
    extra: list[bytes] = field(default_factory=list)  # raw XML kept as is (Condition, advice)
    comments: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ views
    def _any_of(self, category: str) -> AnyOfSpec | None:
        for any_of in self.target or []:
            if any_of.category == category:
                return any_of
        return None

    def _values(self, category: str, attribute_id: str) -> list[str]:
        return [
            m.value
            for any_of in self.target or []
            for a in any_of.all_ofs
            for m in a.matches
            if m.category == category and m.attribute_id == attribute_id
        ]

    def _alternatives(self, category: str) -> list[list[MatchSpec]] | None:
        """Per AllOf, its matches of `category`; None when the rule never tests it."""
        out: list[list[MatchSpec]] = []
        for any_of in self.target or []:
            for all_of in any_of.all_ofs:
                picked = [m for m in all_of.matches if m.category == category]
                if picked:
                    out.append(picked)
        return out or None

    @property
    def actions(self) -> list[str]:
        return self._values(ACTION, ACTION_ID)

    @property
    def roles(self) -> list[str]:
        return self._values(SUBJECT, ROLECODE)

    @property
    def access_packages(self) -> list[str]:
        return self._values(SUBJECT, ACCESSPACKAGE)

    @property
    def subjects(self) -> list[str]:
        """Readable subjects: `role:DAGL`, `org:ttd`, `accesspackage:x`, or `id=value`."""
        alternatives = self._alternatives(SUBJECT)
        if alternatives is None:
            return ["(anyone)"]
        return [" & ".join(_subject_label(m) for m in matches) for matches in alternatives]

    @property
    def resources(self) -> list[dict[str, str]]:
        """One dict per resource alternative, keyed org/app/task/end-event/appresource."""
        alternatives = self._alternatives(RESOURCE) or []
        return [
            {RESOURCE_KEYS.get(m.attribute_id, m.attribute_id): m.value for m in matches}
            for matches in alternatives
        ]

    @property
    def tasks(self) -> list[str]:
        return [r["task"] for r in self.resources if "task" in r]

    # ------------------------------------------------------------------ edits
    def _ensure(self, category: str) -> AnyOfSpec:
        found = self._any_of(category)
        if found is None:
            found = AnyOfSpec([])
            if self.target is None:
                self.target = []
            order = [SUBJECT, RESOURCE, ACTION]
            index = len(self.target)
            for position, existing in enumerate(self.target):
                if existing.category in order and order.index(existing.category) > order.index(
                    category
                ):
                    index = position
                    break
            self.target.insert(index, found)
        return found

    def _add_single(self, category: str, attribute_id: str, value: str, match_id: str) -> None:
        if value.lower() in (v.lower() for v in self._values(category, attribute_id)):
            return
        self._ensure(category).all_ofs.append(
            AllOfSpec([MatchSpec(attribute_id, value, category, match_id)])
        )

    def _remove_single(self, category: str, attribute_id: str, value: str) -> bool:
        any_of = self._any_of(category)
        if any_of is None:
            return False
        before = len(any_of.all_ofs)
        any_of.all_ofs = [
            a
            for a in any_of.all_ofs
            if not (
                len(a.matches) == 1
                and a.matches[0].attribute_id == attribute_id
                and a.matches[0].value.lower() == value.lower()
            )
        ]
        if not any_of.all_ofs and self.target is not None:
            self.target.remove(any_of)
        return len(any_of.all_ofs) != before

    def add_action(self, action: str) -> None:
        self._add_single(ACTION, ACTION_ID, action, STRING_EQUAL)

    def remove_action(self, action: str) -> bool:
        return self._remove_single(ACTION, ACTION_ID, action)

    def add_role(self, role: str) -> None:
        self._add_single(SUBJECT, ROLECODE, role, STRING_EQUAL_IC)

    def remove_role(self, role: str) -> bool:
        return self._remove_single(SUBJECT, ROLECODE, role)

    def add_access_package(self, package: str) -> None:
        code = package.rsplit(":", 1)[-1] if package.startswith("urn:") else package
        self._add_single(SUBJECT, ACCESSPACKAGE, code, STRING_EQUAL_IC)

    def remove_access_package(self, package: str) -> bool:
        code = package.rsplit(":", 1)[-1] if package.startswith("urn:") else package
        return self._remove_single(SUBJECT, ACCESSPACKAGE, code)

    def add_service_owner(self, org: str) -> None:
        self._add_single(SUBJECT, ORG, org, STRING_EQUAL)

    def add_resource(
        self,
        org: str,
        app: str,
        task: str | None = None,
        end_event: str | None = None,
        app_resource: str | None = None,
    ) -> None:
        """Add a resource alternative: org+app, optionally narrowed to a task/end event."""
        matches = [MatchSpec(ORG, org, RESOURCE), MatchSpec(APP, app, RESOURCE)]
        for attribute_id, value in (
            (TASK, task),
            (END_EVENT, end_event),
            (APPRESOURCE, app_resource),
        ):
            if value:
                matches.append(MatchSpec(attribute_id, value, RESOURCE))
        wanted = {m.attribute_id: m.value for m in matches}
        any_of = self._ensure(RESOURCE)
        for all_of in any_of.all_ofs:
            if {m.attribute_id: m.value for m in all_of.matches} == wanted:
                return
        any_of.all_ofs.append(AllOfSpec(matches))

    def remove_task(self, task: str) -> bool:
        any_of = self._any_of(RESOURCE)
        if any_of is None:
            return False
        before = len(any_of.all_ofs)
        any_of.all_ofs = [
            a
            for a in any_of.all_ofs
            if not any(m.attribute_id == TASK and m.value == task for m in a.matches)
        ]
        return len(any_of.all_ofs) != before


def _subject_label(match: MatchSpec) -> str:
    if match.attribute_id == ROLECODE:
        return f"role:{match.value}"
    if match.attribute_id == ORG:
        return f"org:{match.value}"
    if match.attribute_id == ACCESSPACKAGE:
        return f"accesspackage:{match.value}"
    return f"{match.attribute_id}={match.value}"


@dataclass(slots=True)
class PolicyDocument:
    """A whole policy.xml in editable form."""

    policy_id: str
    rules: list[PolicyRule] = field(default_factory=list)
    version: str | None = "1.0"
    combining_algorithm: str = DENY_OVERRIDES
    description: str | None = None
    target: list[AnyOfSpec] = field(default_factory=list)
    obligations: list[ObligationSpec] = field(default_factory=list)
    prefix: str | None = "xacml"
    namespaces: dict[str, str] = field(default_factory=dict)  # extra xmlns declarations
    extra_attributes: dict[str, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)  # before the first child
    trailing: list[str] = field(default_factory=list)
    obligations_trailing: list[str] = field(default_factory=list)
    has_obligations_element: bool = True

    def rule(self, rule_id: str) -> PolicyRule | None:
        return next((r for r in self.rules if r.rule_id == rule_id), None)

    def new_rule(
        self,
        subjects: list[str],
        actions: list[str],
        org: str = "[ORG]",
        app: str = "[APP]",
        tasks: list[str] | None = None,
        description: str | None = None,
    ) -> PolicyRule:
        """Append a rule in Altinn Studio's shape. Subjects: role codes, `org:x`, `accesspackage:x`."""
        number = len(self.rules) + 1
        existing = {r.rule_id for r in self.rules}
        base = (
            self.policy_id.rsplit(":policyid:", 1)[0]
            if ":policyid:" in self.policy_id
            else self.policy_id
        )
        rule_id = f"{base}:ruleid:{number}"
        while rule_id in existing:
            number += 1
            rule_id = f"{base}:ruleid:{number}"
        rule = PolicyRule(rule_id, "Permit", description)
        for subject in subjects:
            kind, _, value = subject.partition(":")
            if kind == "org" and value:
                rule.add_service_owner(value)
            elif kind == "accesspackage" and value:
                rule.add_access_package(value)
            else:
                rule.add_role(value if kind == "role" and value else subject)
        for task in tasks or [None]:  # type: ignore[list-item]
            rule.add_resource(org, app, task)
        for action in actions:
            rule.add_action(action)
        self.rules.append(rule)
        return rule

    def set_minimum_auth_level(self, level: int, org_level: int | None = None) -> None:
        """Set the minimum-authentication-level obligations (kept if present, else added)."""
        for category, value in ((MIN_AUTHLEVEL, level), (MIN_AUTHLEVEL_ORG, org_level)):
            found = False
            for obligation in self.obligations:
                for assignment in obligation.assignments:
                    if assignment.category == category:
                        found = True
                        if value is not None:
                            assignment.value = str(value)
            if not found and value is not None:
                index = len(self.obligations) + 1
                self.obligations.append(
                    ObligationSpec(
                        f"urn:altinn:obligation:authenticationLevel{index}",
                        "Permit",
                        [
                            AssignmentSpec(
                                f"urn:altinn:obligation{index}-assignment{index}",
                                str(value),
                                dt.INTEGER,
                                category,
                            )
                        ],
                    )
                )
        self.has_obligations_element = True


# --------------------------------------------------------------------------- reading
def _name(element: etree._Element) -> str:
    tag = element.tag
    return tag[len(_Q) :] if isinstance(tag, str) and tag.startswith(_Q) else str(tag)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, element: etree._Element, message: str) -> PolicyError:
        return PolicyError(message, element_location(self.source, element))

    def items(
        self, element: etree._Element
    ) -> tuple[list[tuple[list[str], etree._Element]], list[str]]:
        """Element children each with the comments just before it, plus trailing comments."""
        out: list[tuple[list[str], etree._Element]] = []
        pending: list[str] = []
        for child in element:
            if isinstance(child, etree._Comment):
                pending.append(child.text or "")
            elif isinstance(child.tag, str):
                if not child.tag.startswith(_Q):
                    raise self.fail(child, f"element {child.tag} is not in the XACML 3.0 namespace")
                out.append((pending, child))
                pending = []
        return out, pending

    def target(self, element: etree._Element) -> list[AnyOfSpec]:
        any_ofs: list[AnyOfSpec] = []
        entries, _ = self.items(element)
        for comments, any_of in entries:
            all_ofs: list[AllOfSpec] = []
            inner, any_trailing = self.items(any_of)
            for all_comments, all_of in inner:
                matches: list[MatchSpec] = []
                match_items, all_trailing = self.items(all_of)
                for match_comments, match in match_items:
                    matches.append(self.match(match, match_comments))
                all_ofs.append(AllOfSpec(matches, all_comments, all_trailing))
            any_ofs.append(AnyOfSpec(all_ofs, comments, any_trailing))
        return any_ofs

    def match(self, element: etree._Element, comments: list[str]) -> MatchSpec:
        parts = [c for c in element if isinstance(c.tag, str)]
        if _name(element) != "Match" or len(parts) != 2 or _name(parts[1]) != "AttributeDesignator":
            raise self.fail(
                element,
                "only Match elements with AttributeValue and AttributeDesignator are editable",
            )
        value, designator = parts
        return MatchSpec(
            designator.get("AttributeId", ""),
            value.text or "",
            designator.get("Category", ""),
            element.get("MatchId", STRING_EQUAL),
            value.get("DataType", dt.STRING),
            designator.get("DataType", dt.STRING),
            designator.get("MustBePresent", "false") in ("true", "1"),
            designator.get("Issuer"),
            comments,
        )

    def obligations(self, element: etree._Element) -> list[ObligationSpec]:
        out: list[ObligationSpec] = []
        entries, _ = self.items(element)
        for comments, item in entries:
            assignments: list[AssignmentSpec] = []
            for assignment in (c for c in item if isinstance(c.tag, str)):
                values = [c for c in assignment if isinstance(c.tag, str)]
                if len(values) != 1 or _name(values[0]) != "AttributeValue":
                    raise self.fail(assignment, "only literal obligation values are editable")
                assignments.append(
                    AssignmentSpec(
                        assignment.get("AttributeId", ""),
                        values[0].text or "",
                        values[0].get("DataType", dt.STRING),
                        assignment.get("Category"),
                        assignment.get("Issuer"),
                    )
                )
            out.append(
                ObligationSpec(
                    item.get("ObligationId", ""),
                    item.get("FulfillOn", "Permit"),
                    assignments,
                    comments,
                )
            )
        return out

    def rule(self, element: etree._Element, comments: list[str]) -> PolicyRule:
        rule = PolicyRule(
            element.get("RuleId", ""),
            element.get("Effect", "Permit"),
            None,
            None,
            comments=comments,
        )
        entries, rule.trailing = self.items(element)
        raw = False  # once one child is kept raw, later ones are too, to keep their order
        for index, (child_comments, child) in enumerate(entries):
            name = _name(child)
            last = index == len(entries) - 1
            if child_comments:
                raw = True
            if not raw and name == "Description":
                rule.description = child.text or ""
            elif not raw and name == "Target":
                rule.target = self.target(child)
            elif not raw and name == "ObligationExpressions" and last:
                rule.obligations = self.obligations(child)
            else:
                raw = True
                for comment in child_comments:
                    rule.extra.append(etree.tostring(etree.Comment(comment)))
                rule.extra.append(etree.tostring(child))
        return rule

    def document(self, root: etree._Element) -> PolicyDocument:
        if root.tag != _Q + "Policy":
            raise self.fail(root, "the policy editor handles a single XACML 3.0 <Policy>")
        nsmap = {k: v for k, v in root.nsmap.items() if v != NS}
        prefix = next((k for k, v in root.nsmap.items() if v == NS), None)
        known = {"PolicyId", "Version", "RuleCombiningAlgId"}
        doc = PolicyDocument(
            root.get("PolicyId", ""),
            [],
            root.get("Version"),
            root.get("RuleCombiningAlgId", DENY_OVERRIDES),
            None,
            [],
            [],
            prefix,
            {k or "": v for k, v in nsmap.items()},
            {k: v for k, v in root.attrib.items() if k not in known},
        )
        doc.has_obligations_element = False
        entries, doc.trailing = self.items(root)
        for index, (comments, child) in enumerate(entries):
            name = _name(child)
            if index == 0:
                doc.comments = comments
            elif comments:
                raise self.fail(child, "comments between policy-level elements are not editable")
            if name == "Description":
                doc.description = child.text or ""
            elif name == "Target":
                doc.target = self.target(child)
            elif name == "Rule":
                doc.rules.append(self.rule(child, comments if index else []))
            elif name == "ObligationExpressions":
                doc.obligations = self.obligations(child)
                doc.has_obligations_element = True
                _, doc.obligations_trailing = self.items(child)
            else:
                raise self.fail(child, f"<{name}> at policy level is not editable")
        return doc


def read_policy(path: Path, source: str | None = None) -> PolicyDocument:
    name = source or str(path)
    return _Reader(name).document(parse_xml_file(path, name).getroot())


def read_policy_bytes(raw: bytes, source: str = "policy.xml") -> PolicyDocument:
    return _Reader(source).document(parse_xml_bytes(raw, source).getroot())


# --------------------------------------------------------------------------- writing
class _Writer:
    def __init__(self, prefix: str | None) -> None:
        self.prefix = prefix

    def el(self, parent: etree._Element, name: str, **attrs: str | None) -> etree._Element:
        element = etree.SubElement(parent, _Q + name)
        for key, value in attrs.items():
            if value is not None:
                element.set(key, value)
        return element

    @staticmethod
    def comments(parent: etree._Element, texts: list[str]) -> None:
        for text in texts:
            parent.append(etree.Comment(text))

    def target(self, parent: etree._Element, any_ofs: list[AnyOfSpec]) -> None:
        target = self.el(parent, "Target")
        for any_of in any_ofs:
            self.comments(target, any_of.comments)
            any_el = self.el(target, "AnyOf")
            for all_of in any_of.all_ofs:
                self.comments(any_el, all_of.comments)
                all_el = self.el(any_el, "AllOf")
                for match in all_of.matches:
                    self.comments(all_el, match.comments)
                    match_el = self.el(all_el, "Match", MatchId=match.match_id)
                    value = self.el(match_el, "AttributeValue", DataType=match.datatype)
                    value.text = match.value
                    self.el(
                        match_el,
                        "AttributeDesignator",
                        AttributeId=match.attribute_id,
                        Category=match.category,
                        DataType=match.designator_datatype,
                        Issuer=match.issuer,
                        MustBePresent="true" if match.must_be_present else "false",
                    )
                self.comments(all_el, all_of.trailing)
            self.comments(any_el, any_of.trailing)

    def obligations(
        self, parent: etree._Element, items: list[ObligationSpec], trailing: list[str]
    ) -> None:
        holder = self.el(parent, "ObligationExpressions")
        for item in items:
            self.comments(holder, item.comments)
            element = self.el(
                holder,
                "ObligationExpression",
                ObligationId=item.obligation_id,
                FulfillOn=item.fulfill_on,
            )
            for assignment in item.assignments:
                expression = self.el(
                    element,
                    "AttributeAssignmentExpression",
                    AttributeId=assignment.attribute_id,
                    Category=assignment.category,
                    Issuer=assignment.issuer,
                )
                value = self.el(expression, "AttributeValue", DataType=assignment.datatype)
                value.text = assignment.value
        self.comments(holder, trailing)

    def document(self, doc: PolicyDocument) -> etree._Element:
        nsmap: dict[str | None, str] = {(k or None): v for k, v in doc.namespaces.items()}
        nsmap[doc.prefix] = NS
        root = etree.Element(_Q + "Policy", nsmap=nsmap)
        root.set("PolicyId", doc.policy_id)
        if doc.version is not None:
            root.set("Version", doc.version)
        root.set("RuleCombiningAlgId", doc.combining_algorithm)
        for key, value in doc.extra_attributes.items():
            root.set(key, value)
        self.comments(root, doc.comments)
        if doc.description is not None:
            self.el(root, "Description").text = doc.description
        self.target(root, doc.target)
        for rule in doc.rules:
            self.comments(root, rule.comments)
            element = self.el(root, "Rule", RuleId=rule.rule_id, Effect=rule.effect)
            if rule.description is not None:
                self.el(element, "Description").text = rule.description
            if rule.target is not None:
                self.target(element, rule.target)
            for raw in rule.extra:
                if raw.startswith(b"<!--"):
                    element.append(etree.Comment(raw[4:-3].decode("utf-8")))
                else:
                    element.append(parse_xml_bytes(raw, "policy rule").getroot())
            if rule.obligations:
                self.obligations(element, rule.obligations, [])
            self.comments(element, rule.trailing)
        if doc.obligations or doc.has_obligations_element:
            self.obligations(root, doc.obligations, doc.obligations_trailing)
        self.comments(root, doc.trailing)
        return root


def write_policy_bytes(doc: PolicyDocument) -> bytes:
    """Serialise in Altinn's shape: `xacml:` prefix, two-space indentation, UTF-8."""
    root = _Writer(doc.prefix).document(doc)
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def write_policy(doc: PolicyDocument, path: Path) -> None:
    path.write_bytes(write_policy_bytes(doc))


def canonical_tree(raw: bytes) -> tuple[object, ...]:
    """A comparable form of an XML document: names, attributes, text and comments, no layout."""

    def walk(element: etree._Element) -> tuple[object, ...]:
        if isinstance(element, etree._Comment):
            return ("#comment", " ".join((element.text or "").split()))
        text = (element.text or "").strip()
        kids = tuple(
            walk(child)
            for child in element
            if isinstance(child, etree._Comment) or isinstance(child.tag, str)
        )
        return (element.tag, tuple(sorted(element.attrib.items())), text, kids)

    return walk(parse_xml_bytes(raw, "policy").getroot())
