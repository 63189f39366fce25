"""Model checks (codes MODEL0xx): problems that stop Altinn generating C# or XML from a model.

Pure functions over a loaded model so `studio model check`, `studio validate` and the designer
share them; findings point into the `.schema.json` by JSON pointer with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.model.loader import DataModel, ModelLoadError, load_model, resolve_pointer
from schemas.model.tree import ModelField
from schemas.validation.validator import (
    CompileFacts,
    ModelValidator,
    SchemaCompileError,
    surely_compiles,
)

UNREADABLE = define_rule(
    "MODEL001", "model-unreadable", Severity.ERROR, "The data model file cannot be read or parsed."
)
INVALID_NAME = define_rule(
    "MODEL002",
    "invalid-field-name",
    Severity.ERROR,
    "A field name is not a valid XML/C# name (letters, digits, '_' and '-', not starting with a digit).",
)
DUPLICATE_NAME = define_rule(
    "MODEL003",
    "duplicate-field-name",
    Severity.ERROR,
    "Two sibling fields have names that differ only in case.",
)
RESERVED_WORD = define_rule(
    "MODEL004",
    "reserved-field-name",
    Severity.ERROR,
    "A field is named with a C# keyword, which breaks the generated C# model.",
)
BROKEN_REF = define_rule(
    "MODEL005", "broken-ref", Severity.ERROR, "A $ref points to nothing in the model file."
)
REF_CYCLE = define_rule(
    "MODEL006",
    "ref-cycle-without-repetition",
    Severity.WARNING,
    "A type contains itself with no repeating (array) step, so data can nest without end.",
)
BOTH_PROPERTIES_AND_COMPOSITION = define_rule(
    "MODEL007",
    "root-properties-and-composition",
    Severity.ERROR,
    "The root has `properties` together with `oneOf`/`allOf`/`anyOf` (Altinn: BothPropertiesAndCompositionSchema).",
)
FIXED_VALUE_TYPE = define_rule(
    "MODEL008",
    "fixed-value-type-mismatch",
    Severity.INFO,
    "A `const`/`enum` value does not have the field's declared type, so no data can be valid.",
)
UNKNOWN_DRAFT = define_rule(
    "MODEL009", "unknown-schema-draft", Severity.WARNING, "The `$schema` draft is not recognised."
)
INVALID_SCHEMA = define_rule(
    "MODEL010",
    "invalid-schema",
    Severity.ERROR,
    "The schema cannot be compiled for validation (for example an invalid `pattern`).",
)
EXTERNAL_REF = define_rule(
    "MODEL011",
    "external-ref",
    Severity.WARNING,
    "A $ref points outside the model file; it is never fetched, so its fields are unknown.",
)

CSHARP_KEYWORDS = frozenset(
    [
        "abstract",
        "as",
        "base",
        "bool",
        "break",
        "byte",
        "case",
        "catch",
        "char",
        "checked",
        "class",
        "const",
        "continue",
        "decimal",
        "default",
        "delegate",
        "do",
        "double",
        "else",
        "enum",
        "event",
        "explicit",
        "extern",
        "false",
        "finally",
        "fixed",
        "float",
        "for",
        "foreach",
        "goto",
        "if",
        "implicit",
        "in",
        "int",
        "interface",
        "internal",
        "is",
        "lock",
        "long",
        "namespace",
        "new",
        "null",
        "object",
        "operator",
        "out",
        "override",
        "params",
        "private",
        "protected",
        "public",
        "readonly",
        "ref",
        "return",
        "sbyte",
        "sealed",
        "short",
        "sizeof",
        "stackalloc",
        "static",
        "string",
        "struct",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "uint",
        "ulong",
        "unchecked",
        "unsafe",
        "ushort",
        "using",
        "virtual",
        "void",
        "volatile",
        "while",
    ]
)
_NAME = re.compile(r"^[^\W\d][\w\-]*$", re.UNICODE)
_NOT_SCHEMA_KEYS = frozenset({"enum", "const", "examples", "default", "info", "texts"})
_SCHEMA_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def check_model_file(path: Any, name: str | None = None) -> list[Finding]:
    """Load a model file and check it; a load failure is a MODEL001 finding."""
    try:
        model = load_model(path, name)
    except ModelLoadError as exc:
        location = exc.location or Location(name or str(path))
        return [UNREADABLE.finding(exc.message, location, exc.hint)]
    return check_model(model)


def check_model(model: DataModel) -> list[Finding]:
    """Every MODEL finding for a loaded model (memoized on it: a model is immutable)."""
    cached = model._cache.get("lint")
    if cached is None:
        cached = _check_model(model)
        model._cache["lint"] = cached
    return list(cached)


def _check_model(model: DataModel) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(_draft(model))
    findings.extend(_root_composition(model))
    scan = _Scan(model)
    findings.extend(_names(model, scan))
    ref_findings = list(_refs(model, scan))
    findings.extend(ref_findings)
    findings.extend(_fixed_values(model, scan))
    findings.extend(_cycles(model))
    if not ref_findings:
        findings.extend(_compiles(model, scan))  # a bad $ref would be reported twice
    return findings


def _loc(model: DataModel, pointer: str) -> Location:
    return model.document.location(pointer)


def _draft(model: DataModel) -> Iterator[Finding]:
    if model.draft == "unknown":
        yield UNKNOWN_DRAFT.finding(
            f"unrecognised $schema {model.schema.get('$schema')!r}; validated as draft 2020-12",
            _loc(model, "/$schema"),
            'use "https://json-schema.org/draft/2020-12/schema"',
        )


def _root_composition(model: DataModel) -> Iterator[Finding]:
    schema = model.schema
    if "properties" not in schema:
        return
    for key in ("oneOf", "allOf", "anyOf"):
        if key in schema:
            yield BOTH_PROPERTIES_AND_COMPOSITION.finding(
                f"the root has both `properties` and `{key}`",
                _loc(model, f"/{key}"),
                f"move the root fields into a definition referenced from `{key}`, or drop `{key}`",
            )


class _Scan:
    """One walk over every sub-schema (the nodes `schema_nodes` lists, in the same order),
    keeping only what the name, `$ref` and fixed-value rules may report.

    Most nodes of a large model are clean leaves; checking them in passing, and writing a
    node's pointer into a finding only when it has one, is what keeps linting a 5,000-field
    model cheap."""

    def __init__(self, model: DataModel) -> None:
        self.schema = model.schema
        self.odd_names: list[tuple[str, dict[str, Any]]] = []
        self.refs: list[tuple[str, str]] = []  # (pointer, $ref) of refs that are not fine
        self.mismatches: list[tuple[str, Any, list[Any]]] = []
        self.compile_facts = CompileFacts(set(), set())
        """What decides, with the meta-schema, whether the model compiles (see
        `surely_compiles`); gathered here so the schema is walked once."""
        self._resolves: dict[str, bool] = {}
        self._good_names: dict[str, bool] = {}
        self._clean_leaves: set[tuple[tuple[str, Any], ...]] = set()
        if isinstance(self.schema, dict):
            self._visit(self.schema, "")

    def _visit(self, node: dict[str, Any], pointer: str) -> None:
        props = node.get("properties")
        if isinstance(props, dict) and props and not self._clean_names(props):
            self.odd_names.append((pointer, props))
        ref = node.get("$ref")
        if isinstance(ref, str) and not self._resolvable(ref):
            self.refs.append((pointer, ref))
        self.compile_facts.note(node, at_root=not pointer)
        raw = node.get("type")
        if raw is not None and ("const" in node or "enum" in node or isinstance(raw, list)):
            self._fixed(node, raw, pointer)
        for key, value in node.items():
            if isinstance(value, dict):
                if key in _NOT_SCHEMA_KEYS:
                    continue
                child = f"{pointer}/{_esc(key)}"
                if key in _SCHEMA_MAPS:
                    clean = self._clean_leaves
                    for name, sub in value.items():
                        if isinstance(sub, dict):
                            if "const" not in sub and "enum" not in sub:
                                # `_visit_member`'s first test, inline: most members are
                                # leaves of a shape already found clean
                                try:
                                    if tuple(sub.items()) in clean:
                                        continue
                                except TypeError:  # a dict or list inside: not a leaf
                                    pass
                            self._visit_member(sub, child, name)
                else:
                    self._visit(value, child)
            elif isinstance(value, list):
                if key in _NOT_SCHEMA_KEYS:
                    continue
                child = f"{pointer}/{_esc(key)}"
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        self._visit(item, f"{child}/{index}")

    def _visit_member(self, node: dict[str, Any], parent: str, name: str) -> None:
        """Visit a named sub-schema, skipping leaves equal to one already found clean: a
        large model repeats a few leaf shapes thousands of times, and a leaf without
        `const`/`enum` is judged by its keys and string values only, never by its place."""
        leaf = _leaf_key(node)
        if leaf is not None and leaf in self._clean_leaves:
            return
        before = self._recorded()
        self._visit(node, f"{parent}/{_esc(name)}")
        if leaf is not None and self._recorded() == before:
            self._clean_leaves.add(leaf)

    def _recorded(self) -> tuple[int, int, int, int, int, bool]:
        facts = self.compile_facts
        return (
            len(self.odd_names),
            len(self.refs),
            len(self.mismatches),
            len(facts.refs),
            len(facts.patterns),
            facts.unsure,
        )

    def _clean_names(self, props: dict[str, Any]) -> bool:
        """True when no name in `props` can trip a name rule (the usual case: names repeat
        across definitions, so each is judged once); False sends them to `_names`."""
        good = self._good_names
        for name in props:
            verdict = good.get(name)
            if verdict is None:
                verdict = good[name] = bool(_NAME.match(name)) and name not in CSHARP_KEYWORDS
            if not verdict:
                return False
        return len(props) == 1 or len({name.casefold() for name in props}) == len(props)

    def _resolvable(self, ref: str) -> bool:
        """A local `$ref` that points at something (memoized: refs repeat by the hundred)."""
        if not ref.startswith("#"):
            return False
        found = self._resolves.get(ref)
        if found is None:
            try:
                resolve_pointer(self.schema, ref)
                found = True
            except KeyError:
                found = False
            self._resolves[ref] = found
        return found

    def _fixed(self, node: dict[str, Any], raw: Any, pointer: str) -> None:
        types = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        checks = [_TYPE_CHECKS[t] for t in types if t in _TYPE_CHECKS]
        if not checks:
            return
        values: list[tuple[str, Any]] = []
        if "const" in node:
            values.append(("const", node["const"]))
        if isinstance(node.get("enum"), list):
            values.extend((f"enum/{i}", v) for i, v in enumerate(node["enum"]))
        for key, value in values:
            if not any(check(value) for check in checks):
                self.mismatches.append((f"{pointer}/{key}", value, types))


def _leaf_key(node: dict[str, Any]) -> tuple[tuple[str, Any], ...] | None:
    """A hashable key for a sub-schema with only scalar values and no `const`/`enum` (whose
    values the rules compare by type, which 1 == True would blur); None otherwise."""
    if "const" in node or "enum" in node:
        return None
    key = tuple(node.items())
    try:
        hash(key)
    except TypeError:  # a dict or list inside: not a leaf
        return None
    return key


def _names(model: DataModel, scan: _Scan) -> Iterator[Finding]:
    for pointer, props in scan.odd_names:
        seen: dict[str, str] = {}
        for name in props:
            if _NAME.match(name) and name not in CSHARP_KEYWORDS:
                folded = name.casefold()
                if folded not in seen:
                    seen[folded] = name
                    continue  # a clean name: no position needed (it costs a text scan)
            where = f"{pointer}/properties/{_esc(name)}"
            location = model.document.location(where, at_key=True)
            if not _NAME.match(name):
                yield INVALID_NAME.finding(
                    f"field name {name!r} is not a valid XML element or C# property name",
                    location,
                    "use letters, digits, '_' or '-', starting with a letter (no dots or spaces)",
                )
            elif name in CSHARP_KEYWORDS:
                yield RESERVED_WORD.finding(
                    f"field name {name!r} is a C# keyword",
                    location,
                    f"rename it, e.g. to {name.capitalize()!r} or {name + 'Value'!r}",
                )
            folded = name.casefold()
            if folded in seen:
                yield DUPLICATE_NAME.finding(
                    f"field {name!r} differs only in case from its sibling {seen[folded]!r}",
                    location,
                    "rename one of them; JSON binding and C# serialization treat them as one",
                )
            else:
                seen[folded] = name


def _refs(model: DataModel, scan: _Scan) -> Iterator[Finding]:
    for pointer, ref in scan.refs:
        where = f"{pointer}/$ref"
        if not ref.startswith("#"):
            yield EXTERNAL_REF.finding(
                f"$ref {ref!r} points outside this file and is not followed",
                _loc(model, where),
                "inline the referenced definition under $defs",
            )
            continue
        yield BROKEN_REF.finding(
            f"$ref {ref!r} points to nothing in this file",
            _loc(model, where),
            "point it at an existing definition under $defs/definitions",
        )


def _fixed_values(model: DataModel, scan: _Scan) -> Iterator[Finding]:
    """One finding per model: SERES conversions write fixed integers as strings by the
    hundred, so listing each would drown everything else."""
    mismatches = scan.mismatches
    if mismatches:
        where, value, types = mismatches[0]
        more = f" (and {len(mismatches) - 1} more like it)" if len(mismatches) > 1 else ""
        yield FIXED_VALUE_TYPE.finding(
            f"fixed value {value!r} is not of the declared type {'/'.join(types)}{more}; "
            "data holding such a field never passes schema validation",
            _loc(model, where),
            'write the value with the field\'s type (e.g. 1603, not "1603")',
        )


def _cycles(model: DataModel) -> Iterator[Finding]:
    reported: set[str] = set()
    try:
        fields = _cycle_fields(model.tree().root)
    except RecursionError:
        return
    for field in fields:
        if field.content.target in reported:
            continue
        chain: list[ModelField] = [field]
        for ancestor in field.ancestors():
            if ancestor.content.target == field.content.target:
                break
            chain.append(ancestor)
        if any(step.repeating for step in chain):
            continue
        reported.add(field.content.target)
        every_step_required = all(step.required for step in chain)
        yield REF_CYCLE.finding(
            f"#{field.content.target} contains itself through {field.path!r} with no repeating step"
            + (
                " and every step is required, so no finite data is valid"
                if every_step_required
                else ""
            ),
            _loc(model, field.pointer),
            "make one step of the cycle an array (maxOccurs > 1) or break the cycle",
            severity=Severity.ERROR if every_step_required else None,
        )


def _cycle_fields(root: ModelField) -> list[ModelField]:
    """The fields that close a reference cycle, in `ModelTree.walk` order (which stops below
    them): the walk without yielding the thousands of leaves, which never close one."""
    found: list[ModelField] = []

    def visit(parent: ModelField) -> None:
        for child in parent.children.values():
            if child.cycle:
                found.append(child)
            elif child.content.properties:
                visit(child)

    visit(root)
    return found


def _compiles(model: DataModel, scan: _Scan) -> Iterator[Finding]:
    if surely_compiles(model, scan.compile_facts):
        return  # data validation compiles the validator when it first needs it
    try:
        model._cache["validator"] = ModelValidator(model)  # reused by data validation
    except SchemaCompileError as exc:
        yield INVALID_SCHEMA.finding(
            exc.message,
            _loc(model, ""),
            "fix the keyword the message names (patterns use ECMA-262 regular expressions)",
        )


def _esc(token: str) -> str:
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")
