"""Reading XACML 3.0 policies from XML into the compiled model, rejecting invalid ones.

Parsing goes through the hardened parser in schemas/xmlsafe.py. Everything the standard
requires is checked here, once: element structure, required attributes, known data types,
functions and combining algorithms, static types of every expression, variable definitions,
and constant sub-expressions (folded now, so one that always fails rejects the policy). Each
rejection is a PolicyError pointing at the file and line.

Out of scope, and rejected with a clear message: AttributeSelector, XPath expressions and the
xpathExpression data type (they need request Content).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization import expressions as ex
from app_runtime.authorization.combining import policy_algorithm, rule_algorithm
from app_runtime.authorization.context import EvaluationContext
from app_runtime.authorization.errors import EvaluationError, PolicyError
from app_runtime.authorization.functions import (
    BOOL,
    P1,
    P3,
    UNSUPPORTED,
    FunctionTypeError,
    describe,
    lookup,
)
from app_runtime.authorization.higher_order import lookup_higher_order
from app_runtime.authorization.indexing import RuleIndex
from app_runtime.authorization.model import (
    DENY,
    PERMIT,
    AllOf,
    AnyOf,
    AssignmentExpression,
    Match,
    ObligationExpression,
    Policy,
    PolicySet,
    Reference,
    Rule,
    Target,
    mark_safe,
)
from schemas.diagnostics import Location
from schemas.xmlsafe import element_location, parse_xml_bytes, parse_xml_file

NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
_Q = "{" + NS + "}"
EFFECTS = {"Permit": PERMIT, "Deny": DENY}


@dataclass(frozen=True, slots=True)
class CompileOptions:
    """Knobs for compiling matches; the Altinn layer turns on case-insensitive attributes."""

    case_insensitive_attributes: frozenset[str] = frozenset()
    # Literal text substituted in string Match values, e.g. {"[ORG]": "ttd"} for template apps.
    placeholders: tuple[tuple[str, str], ...] = ()


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(_Q) :] if tag.startswith(_Q) else tag


def children(element: etree._Element) -> list[etree._Element]:
    """Element children only (comments and processing instructions skipped)."""
    return [child for child in element if isinstance(child.tag, str)]


@dataclass(slots=True)
class _Scope:
    """Variables of the policy being parsed: definitions, compiled ones, and cycle guard."""

    elements: dict[str, etree._Element] = field(default_factory=dict)
    compiled: dict[str, ex.Variable] = field(default_factory=dict)
    in_progress: set[str] = field(default_factory=set)


class PolicyParser:
    """Turns one XML document into a Policy or PolicySet (references left unresolved)."""

    def __init__(self, source: str, options: CompileOptions | None = None) -> None:
        self.source = source
        self.options = options or CompileOptions()
        self.references: list[Reference] = []
        self._scope = _Scope()

    # ------------------------------------------------------------------ helpers
    def error(self, element: etree._Element, message: str, hint: str = "") -> PolicyError:
        return PolicyError(message, element_location(self.source, element), hint)

    def attr(self, element: etree._Element, name: str, required: bool = True) -> str | None:
        value = element.get(name)
        if value is None and required:
            raise self.error(element, f"<{local_name(element)}> needs the attribute {name}")
        return value

    def expect_namespace(self, element: etree._Element) -> None:
        tag = element.tag
        if isinstance(tag, str) and not tag.startswith(_Q):
            raise self.error(
                element,
                f"element {tag} is not in the XACML 3.0 namespace",
                f'use xmlns="{NS}"',
            )

    def parse_value(self, element: etree._Element, datatype: str, text: str) -> Any:
        if datatype == dt.XPATH_EXPRESSION:
            raise self.error(element, "xpathExpression values are out of scope (no XPath support)")
        if not dt.is_known(datatype):
            raise self.error(element, f"unknown data type {datatype}")
        try:
            return dt.parse_value(datatype, text)
        except ValueError as exc:
            raise self.error(element, f"invalid {dt.short_name(datatype)} value: {exc}") from None

    # ------------------------------------------------------------------ documents
    def parse_document(self, root: etree._Element) -> Policy | PolicySet:
        self.expect_namespace(root)
        name = local_name(root)
        if name == "Policy":
            return self.parse_policy(root)
        if name == "PolicySet":
            return self.parse_policy_set(root)
        raise self.error(root, f"expected <Policy> or <PolicySet> at the top, found <{name}>")

    def _description(self, element: etree._Element) -> str | None:
        for child in children(element):
            if local_name(child) == "Description":
                return (child.text or "").strip()
        return None

    def parse_policy(self, element: etree._Element) -> Policy:
        policy_id = self.attr(element, "PolicyId")
        algorithm_id = self.attr(element, "RuleCombiningAlgId")
        assert policy_id is not None and algorithm_id is not None
        combine = rule_algorithm(algorithm_id)
        if combine is None:
            raise self.error(element, f"unknown rule-combining algorithm {algorithm_id}")
        saved = self._scope
        self._scope = _Scope()
        try:
            items = children(element)
            for child in items:
                self.expect_namespace(child)
                if local_name(child) == "VariableDefinition":
                    variable_id = self.attr(child, "VariableId")
                    assert variable_id is not None
                    if variable_id in self._scope.elements:
                        raise self.error(child, f"variable {variable_id} is defined twice")
                    self._scope.elements[variable_id] = child
            target: Target | None = None
            rules: list[Rule] = []
            obligations: list[ObligationExpression] = []
            advice: list[ObligationExpression] = []
            for child in items:
                name = local_name(child)
                if name in ("Description", "PolicyIssuer", "PolicyDefaults"):
                    continue
                if name in ("CombinerParameters", "RuleCombinerParameters"):
                    continue
                if name == "Target":
                    target = self.parse_target(child)
                elif name == "VariableDefinition":
                    self._variable(child.get("VariableId", ""), child)
                elif name == "Rule":
                    # Duplicate RuleIds are tolerated: real Altinn apps ship them.
                    rules.append(self.parse_rule(child))
                elif name == "ObligationExpressions":
                    obligations = self.parse_obligations(child, advice=False)
                elif name == "AdviceExpressions":
                    advice = self.parse_obligations(child, advice=True)
                else:
                    raise self.error(child, f"<{name}> is not allowed inside <Policy>")
            if target is None:
                raise self.error(
                    element, "<Policy> needs a <Target> (it may be empty)", "add <Target/>"
                )
        finally:
            self._scope = saved
        policy = Policy(
            policy_id,
            element.get("Version", "1.0"),
            target,
            algorithm_id,
            combine,
            rules,
            obligations,
            advice,
            self._description(element),
            self.source,
        )
        policy.index = RuleIndex.build(rules)
        return policy

    def parse_policy_set(self, element: etree._Element) -> PolicySet:
        set_id = self.attr(element, "PolicySetId")
        algorithm_id = self.attr(element, "PolicyCombiningAlgId")
        assert set_id is not None and algorithm_id is not None
        combine = policy_algorithm(algorithm_id)
        if combine is None:
            raise self.error(element, f"unknown policy-combining algorithm {algorithm_id}")
        target: Target | None = None
        members: list[Any] = []
        obligations: list[ObligationExpression] = []
        advice: list[ObligationExpression] = []
        for child in children(element):
            self.expect_namespace(child)
            name = local_name(child)
            if name in ("Description", "PolicyIssuer", "PolicySetDefaults"):
                continue
            if name in (
                "CombinerParameters",
                "PolicyCombinerParameters",
                "PolicySetCombinerParameters",
            ):
                continue
            if name == "Target":
                target = self.parse_target(child)
            elif name == "Policy":
                members.append(self.parse_policy(child))
            elif name == "PolicySet":
                members.append(self.parse_policy_set(child))
            elif name in ("PolicyIdReference", "PolicySetIdReference"):
                reference = Reference(
                    "Policy" if name == "PolicyIdReference" else "PolicySet",
                    (child.text or "").strip(),
                    child.get("Version"),
                    child.get("EarliestVersion"),
                    child.get("LatestVersion"),
                )
                if not reference.ref_id:
                    raise self.error(child, f"<{name}> needs the referenced id as its text")
                self.references.append(reference)
                members.append(reference)
            elif name == "ObligationExpressions":
                obligations = self.parse_obligations(child, advice=False)
            elif name == "AdviceExpressions":
                advice = self.parse_obligations(child, advice=True)
            else:
                raise self.error(child, f"<{name}> is not allowed inside <PolicySet>")
        if target is None:
            raise self.error(
                element, "<PolicySet> needs a <Target> (it may be empty)", "add <Target/>"
            )
        return PolicySet(
            set_id,
            element.get("Version", "1.0"),
            target,
            algorithm_id,
            combine,
            members,
            obligations,
            advice,
            self._description(element),
            self.source,
        )

    # ------------------------------------------------------------------ rules and targets
    def parse_rule(self, element: etree._Element) -> Rule:
        rule_id = self.attr(element, "RuleId")
        effect_text = self.attr(element, "Effect")
        assert rule_id is not None and effect_text is not None
        if effect_text not in EFFECTS:
            raise self.error(element, f"Effect must be Permit or Deny, not {effect_text!r}")
        rule = Rule(rule_id, EFFECTS[effect_text], Target(), line=element.sourceline)
        for child in children(element):
            self.expect_namespace(child)
            name = local_name(child)
            if name == "Description":
                rule.description = (child.text or "").strip()
            elif name == "Target":
                rule.target = self.parse_target(child)
            elif name == "Condition":
                rule.condition = self.parse_condition(child)
            elif name == "ObligationExpressions":
                rule.obligations = self.parse_obligations(child, advice=False)
            elif name == "AdviceExpressions":
                rule.advice = self.parse_obligations(child, advice=True)
            else:
                raise self.error(child, f"<{name}> is not allowed inside <Rule>")
        return rule

    def parse_target(self, element: etree._Element) -> Target:
        any_ofs: list[AnyOf] = []
        for any_of in children(element):
            self._expect(any_of, "AnyOf")
            all_ofs: list[AllOf] = []
            for all_of in children(any_of):
                self._expect(all_of, "AllOf")
                matches = [self.parse_match(match) for match in children(all_of)]
                if not matches:
                    raise self.error(all_of, "<AllOf> needs at least one <Match>")
                all_ofs.append(AllOf(matches))
            if not all_ofs:
                raise self.error(any_of, "<AnyOf> needs at least one <AllOf>")
            any_ofs.append(AnyOf(all_ofs))
        return Target.build(any_ofs)

    def _expect(self, element: etree._Element, name: str) -> None:
        self.expect_namespace(element)
        if local_name(element) != name:
            raise self.error(element, f"expected <{name}>, found <{local_name(element)}>")

    def parse_match(self, element: etree._Element) -> Match:
        self._expect(element, "Match")
        match_id = self.attr(element, "MatchId")
        assert match_id is not None
        parts = children(element)
        if len(parts) != 2 or local_name(parts[0]) != "AttributeValue":
            raise self.error(
                element, "<Match> holds an <AttributeValue> and then an <AttributeDesignator>"
            )
        value_element, source = parts
        if local_name(source) == "AttributeSelector":
            raise self.error(source, "AttributeSelector is out of scope (no XPath support)")
        if local_name(source) != "AttributeDesignator":
            raise self.error(
                source, f"expected <AttributeDesignator>, found <{local_name(source)}>"
            )
        datatype = self.attr(value_element, "DataType")
        assert datatype is not None
        datatype = dt.canonical_datatype(datatype)
        text = value_element.text or ""
        if datatype == dt.STRING:
            for placeholder, replacement in self.options.placeholders:
                text = text.replace(placeholder, replacement)
        value = self.parse_value(value_element, datatype, text)
        spec = self.parse_designator(source)
        function = lookup(match_id)
        if function is None or function.lazy:
            raise self.error(element, self._unknown_function(match_id))
        try:
            returns = function.check([(datatype, False), (spec.datatype, False)])
        except FunctionTypeError as exc:
            raise self.error(element, f"type error in <Match>: {exc}") from None
        if returns != BOOL:
            raise self.error(element, f"MatchId {match_id} does not return a boolean")
        case_insensitive = (
            spec.attribute_id in self.options.case_insensitive_attributes
            and match_id == P1 + "string-equal"
        )
        if case_insensitive:
            function = lookup(P3 + "string-equal-ignore-case")
            assert function is not None
        run = _match_runner(function.id, function.impl, value, ex.designator(spec).run)
        if not spec.must_be_present and function.id in _NEVER_FAILS:
            mark_safe(run)
        return Match(match_id, datatype, value, text, spec, run, function.id)

    def parse_designator(self, element: etree._Element) -> ex.Designator:
        category = self.attr(element, "Category")
        attribute_id = self.attr(element, "AttributeId")
        datatype = self.attr(element, "DataType")
        assert category is not None and attribute_id is not None and datatype is not None
        datatype = dt.canonical_datatype(datatype)
        if datatype == dt.XPATH_EXPRESSION:
            raise self.error(
                element, "xpathExpression attributes are out of scope (no XPath support)"
            )
        if not dt.is_known(datatype):
            raise self.error(element, f"unknown data type {datatype}")
        must = element.get("MustBePresent", "false").strip()
        if must not in ("true", "false", "1", "0"):
            raise self.error(element, f"MustBePresent must be true or false, not {must!r}")
        return ex.Designator(
            category, attribute_id, datatype, element.get("Issuer"), must in ("true", "1")
        )

    # ------------------------------------------------------------------ expressions
    def parse_condition(self, element: etree._Element) -> ex.Expression:
        parts = children(element)
        if len(parts) != 1:
            raise self.error(element, "<Condition> holds exactly one expression")
        expression = self.parse_expression(parts[0])
        if expression.type != BOOL:
            raise self.error(
                element,
                f"a <Condition> must be a single boolean, not a {describe(expression.type)}",
            )
        return expression

    def parse_expression(self, element: etree._Element) -> ex.Expression:
        self.expect_namespace(element)
        name = local_name(element)
        if name == "AttributeValue":
            datatype = self.attr(element, "DataType")
            assert datatype is not None
            datatype = dt.canonical_datatype(datatype)
            if children(element):
                raise self.error(element, "structured AttributeValue content is out of scope")
            return ex.constant(datatype, self.parse_value(element, datatype, element.text or ""))
        if name == "AttributeDesignator":
            return ex.designator(self.parse_designator(element))
        if name == "AttributeSelector":
            raise self.error(element, "AttributeSelector is out of scope (no XPath support)")
        if name == "VariableReference":
            variable_id = self.attr(element, "VariableId")
            assert variable_id is not None
            return self._variable(variable_id, element).reference()
        if name == "Apply":
            return self.parse_apply(element)
        if name == "Function":
            raise self.error(
                element, "<Function> may only be the first argument of a higher-order function"
            )
        raise self.error(element, f"<{name}> is not an expression")

    def _unknown_function(self, function_id: str) -> str:
        return UNSUPPORTED.get(function_id) or f"unknown function {function_id}"

    def parse_apply(self, element: etree._Element) -> ex.Expression:
        function_id = self.attr(element, "FunctionId")
        assert function_id is not None
        parts = [child for child in children(element) if local_name(child) != "Description"]
        higher = lookup_higher_order(function_id)
        if higher is not None:
            if not parts or local_name(parts[0]) != "Function":
                raise self.error(element, f"{higher.name} needs a <Function> as its first argument")
            inner_id = self.attr(parts[0], "FunctionId")
            assert inner_id is not None
            inner = lookup(inner_id)
            if inner is None:
                raise self.error(parts[0], self._unknown_function(inner_id))
            args = [self.parse_expression(part) for part in parts[1:]]
            try:
                returns = higher.check(inner, [arg.type for arg in args])
            except FunctionTypeError as exc:
                raise self.error(element, f"type error: {exc}") from None
            return self._fold(element, ex.apply_higher_order(higher, inner, args, returns))
        function = lookup(function_id)
        if function is None:
            raise self.error(element, self._unknown_function(function_id))
        args = [self.parse_expression(part) for part in parts]
        try:
            function.check([arg.type for arg in args])
        except FunctionTypeError as exc:
            raise self.error(element, f"type error: {exc}") from None
        return self._fold(element, ex.apply(function, args))

    def _fold(self, element: etree._Element, expression: ex.Expression) -> ex.Expression:
        try:
            return ex.fold(expression)
        except EvaluationError as exc:
            raise self.error(element, f"this expression always fails: {exc.message}") from None

    def _variable(self, variable_id: str, at: etree._Element) -> ex.Variable:
        scope = self._scope
        compiled = scope.compiled.get(variable_id)
        if compiled is not None:
            return compiled
        definition = scope.elements.get(variable_id)
        if definition is None:
            raise self.error(at, f"variable {variable_id} is not defined in this policy")
        if variable_id in scope.in_progress:
            raise self.error(at, f"variable {variable_id} refers to itself")
        scope.in_progress.add(variable_id)
        parts = children(definition)
        if len(parts) != 1:
            raise self.error(definition, "<VariableDefinition> holds exactly one expression")
        variable = ex.Variable(variable_id, self.parse_expression(parts[0]))
        scope.in_progress.discard(variable_id)
        scope.compiled[variable_id] = variable
        return variable

    # ------------------------------------------------------------------ obligations
    def parse_obligations(
        self, element: etree._Element, advice: bool
    ) -> list[ObligationExpression]:
        wanted = "AdviceExpression" if advice else "ObligationExpression"
        id_name, effect_name = (
            ("AdviceId", "AppliesTo") if advice else ("ObligationId", "FulfillOn")
        )
        out: list[ObligationExpression] = []
        for child in children(element):
            self._expect(child, wanted)
            obligation_id = self.attr(child, id_name)
            effect = self.attr(child, effect_name)
            assert obligation_id is not None and effect is not None
            if effect not in EFFECTS:
                raise self.error(child, f"{effect_name} must be Permit or Deny, not {effect!r}")
            assignments: list[AssignmentExpression] = []
            for item in children(child):
                self._expect(item, "AttributeAssignmentExpression")
                attribute_id = self.attr(item, "AttributeId")
                assert attribute_id is not None
                parts = children(item)
                if len(parts) != 1:
                    raise self.error(
                        item, "<AttributeAssignmentExpression> holds exactly one expression"
                    )
                assignments.append(
                    AssignmentExpression(
                        attribute_id,
                        item.get("Category"),
                        item.get("Issuer"),
                        self.parse_expression(parts[0]),
                    )
                )
            out.append(ObligationExpression(obligation_id, EFFECTS[effect], assignments, advice))
        return out


_NEVER_FAILS = frozenset(
    {P1 + "string-equal", P3 + "string-equal-ignore-case", P1 + "anyURI-equal"}
)


def _match_runner(
    function_id: str,
    impl: Callable[[Any, Any], bool],
    value: Any,
    bag_of: Callable[[EvaluationContext], tuple[Any, ...]],
) -> Callable[[EvaluationContext], bool]:
    """A target Match: true if the function holds for the literal and any value of the bag."""
    if function_id in (P1 + "string-equal", P1 + "anyURI-equal", P1 + "integer-equal"):

        def run_equal(ctx: EvaluationContext) -> bool:
            return value in bag_of(ctx)

        return run_equal
    if function_id == P3 + "string-equal-ignore-case":
        lowered = value.lower()

        def run_ignore_case(ctx: EvaluationContext) -> bool:
            for item in bag_of(ctx):  # noqa: SIM110 - a plain loop is faster here
                if item.lower() == lowered:
                    return True
            return False

        return run_ignore_case

    def run(ctx: EvaluationContext) -> bool:
        failure: EvaluationError | None = None
        for item in bag_of(ctx):
            try:
                if impl(value, item):
                    return True
            except EvaluationError as exc:
                failure = failure or exc
            except (ArithmeticError, ValueError, TypeError, IndexError) as exc:
                failure = failure or EvaluationError(str(exc))
        if failure is not None:
            raise failure
        return False

    return run


# --------------------------------------------------------------------------- loading
def parse_policy_element(
    root: etree._Element, source: str, options: CompileOptions | None = None
) -> tuple[Policy | PolicySet, list[Reference]]:
    parser = PolicyParser(source, options)
    try:
        node = parser.parse_document(root)
    except RecursionError:
        raise PolicyError(
            "the policy is nested too deeply to be evaluated safely", Location(source)
        ) from None
    return node, parser.references


def load_policy_bytes(
    raw: bytes, source: str, options: CompileOptions | None = None
) -> tuple[Policy | PolicySet, list[Reference]]:
    tree = parse_xml_bytes(raw, source)
    return parse_policy_element(tree.getroot(), source, options)


def load_policy_file(
    path: Path, source: str | None = None, options: CompileOptions | None = None
) -> tuple[Policy | PolicySet, list[Reference]]:
    name = source or str(path)
    tree = parse_xml_file(path, name)
    return parse_policy_element(tree.getroot(), name, options)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def _version_matches(pattern: str, version: str) -> bool:
    """XACML VersionMatchType: '*' is any one number, '+' any run of numbers."""
    regex = (
        re.escape(pattern)
        .replace(r"\.\+", r"(\.\d+)*")
        .replace(r"\+", r"\d+(\.\d+)*")
        .replace(r"\*", r"\d+")
    )
    return re.fullmatch(regex, version) is not None


class PolicyStore:
    """All loaded policies and policy sets by id, for resolving references between them."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], list[Policy | PolicySet]] = {}
        self._references: list[tuple[Reference, str]] = []

    def add(self, node: Policy | PolicySet, references: Iterable[Reference] = ()) -> None:
        kind = "Policy" if isinstance(node, Policy) else "PolicySet"
        self.nodes.setdefault((kind, node.id), []).append(node)
        self._references.extend((reference, node.source) for reference in references)

    def find(self, reference: Reference) -> Policy | PolicySet | None:
        candidates = self.nodes.get((reference.kind, reference.ref_id), [])
        best: Policy | PolicySet | None = None
        for node in candidates:
            version = node.version
            if reference.version and not _version_matches(reference.version, version):
                continue
            if reference.earliest and _version_tuple(version) < _version_tuple(reference.earliest):
                continue
            if reference.latest and _version_tuple(version) > _version_tuple(reference.latest):
                continue
            if best is None or _version_tuple(version) > _version_tuple(best.version):
                best = node
        return best

    def link(self) -> None:
        """Resolve every reference; unresolved or circular references reject the set."""
        for reference, source in self._references:
            found = self.find(reference)
            if found is None:
                raise PolicyError(
                    f"{reference.kind}IdReference to {reference.ref_id} cannot be resolved: "
                    "no such policy is loaded",
                    Location(source),
                    "load the referenced policy file too",
                )
            reference.resolved = found
        for nodes in self.nodes.values():
            for node in nodes:
                self._check_cycles(node, [])

    def _check_cycles(self, node: Policy | PolicySet, path: list[int]) -> None:
        if id(node) in path:
            raise PolicyError(
                f"policy references form a cycle through {node.id}", Location(node.source)
            )
        if isinstance(node, PolicySet):
            for child in node.children:
                target = child.resolved if isinstance(child, Reference) else child
                if target is not None:
                    self._check_cycles(target, [*path, id(node)])
