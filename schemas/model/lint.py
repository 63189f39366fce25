"""Model checks (codes MODEL0xx): problems that stop Altinn generating C# or XML from a model.

Pure functions over a loaded model so `studio model check`, `studio validate` and the designer
share them; findings point into the `.schema.json` by JSON pointer with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import countOf
from typing import Any

from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.model.loader import DataModel, ModelLoadError, load_model, resolve_pointer
from schemas.model.tree import ModelField
from schemas.validation.validator import (
    COMPILE_KEYWORDS,
    CompileFacts,
    ModelValidator,
    SchemaCompileError,
    leaf_surely_valid,
    meta_places,
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
_NOTHING = object()  # equal to no sub-schema
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
    model cheap. The same walk builds `meta_view`, the schema the meta-schema check of
    `surely_compiles` reads: without the repeated leaves that surely pass it, which would
    otherwise be converted and validated one by one, thousands of times."""

    def __init__(self, model: DataModel) -> None:
        self.schema = model.schema
        self.odd_names: list[tuple[str, dict[str, Any]]] = []
        self.refs: list[tuple[str, str]] = []  # (pointer, $ref) of refs that are not fine
        self.mismatches: list[tuple[str, Any, list[Any]]] = []
        self.compile_facts = CompileFacts(set(), set())
        """What decides, with the meta-schema, whether the model compiles (see
        `surely_compiles`); gathered here so the schema is walked once."""
        self._resolves: dict[str, bool] = {}
        self._good_names: set[str] = set()
        self._clean_maps: set[tuple[str, ...]] = set()
        """The names of maps found clean."""
        self._shapes: dict[tuple[tuple[str, Any], ...], bool | None] = {}
        """Leaf shapes found clean, each with whether every leaf equal to it is a valid
        schema (None until a map the meta view may leave it out of asks)."""
        self._last: Any = _NOTHING
        """The clean leaf met last in a map (generated models repeat one for siblings:
        comparing with it builds no key)."""
        self._last_key: tuple[tuple[str, Any], ...] = ()
        self.meta_view: Any = self.schema
        if isinstance(self.schema, dict):
            self._draft = model.draft
            self._places = meta_places(self._draft)
            self.meta_view = self._visit(self.schema, "", True)

    def _visit(self, node: dict[str, Any], pointer: str, meta: bool) -> dict[str, Any]:
        """Scan `node` and return its meta view: `node` itself, or (only where `meta`: the
        meta-schema judges `node` as a whole schema) a copy whose maps below leave out leaves
        that surely pass the meta-schema."""
        props = node.get("properties")
        if isinstance(props, dict) and props and not self._clean_names(props):
            self.odd_names.append((pointer, props))
        ref = node.get("$ref")
        if isinstance(ref, str) and not self._resolvable(ref):
            self.refs.append((pointer, ref))
        if not node.keys().isdisjoint(COMPILE_KEYWORDS):  # `note`'s own first test
            self.compile_facts.note(node, at_root=not pointer)
        raw = node.get("type")
        if raw is not None and ("const" in node or "enum" in node or isinstance(raw, list)):
            self._fixed(node, raw, pointer)
        places = self._places
        changed: dict[str, Any] | None = None
        for key, value in node.items():
            if isinstance(value, dict):
                if key in _NOT_SCHEMA_KEYS:
                    continue
                child = f"{pointer}/{_esc(key)}"
                if key in _SCHEMA_MAPS:
                    if meta and key in places.maps:
                        view = self._members(value, child, True, key in places.droppable)
                    else:
                        view = self._members(value, child, False, False)
                else:
                    view = self._visit(value, child, meta and key in places.schemas)
                if view is not value:
                    if changed is None:
                        changed = {}
                    changed[key] = view
            elif isinstance(value, list):
                if key in _NOT_SCHEMA_KEYS:
                    continue
                child = f"{pointer}/{_esc(key)}"
                items_meta = meta and key in places.arrays
                views: list[Any] | None = None
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        view = self._visit(item, f"{child}/{index}", items_meta)
                        if view is not item:
                            if views is None:
                                views = list(value)
                            views[index] = view
                if views is not None:
                    if changed is None:
                        changed = {}
                    changed[key] = views
        return node if changed is None else {**node, **changed}

    def _members(
        self, members: dict[str, Any], pointer: str, meta: bool, drop: bool
    ) -> dict[str, Any]:
        """Visit the named sub-schemas of a `properties`-like map, skipping leaves equal to
        one already found clean: a large model repeats a few leaf shapes thousands of times,
        and a leaf without `const`/`enum` is judged by its keys and string values only,
        never by its place. Returns the map's meta view (`meta`: the members are judged as
        schemas); `drop`: leave out the skipped leaves that surely pass the meta-schema."""
        last = self._last
        if (
            last is not _NOTHING
            and len(members) > 1
            and countOf(members.values(), last) == len(members)
        ):  # every member repeats the last clean leaf: nothing to record
            return {} if drop and self._surely_valid(self._last_key) else members
        shapes = self._shapes
        key = self._last_key
        kept: dict[str, Any] = {}
        changed = False
        for name, sub in members.items():
            if sub == last:
                pass  # `key` is still the last clean leaf's
            elif isinstance(sub, dict):
                view = None
                if isinstance(sub.get("properties"), dict):  # an object: never a leaf
                    view = self._visit(sub, f"{pointer}/{_esc(name)}", meta)
                else:
                    shape = tuple(sub.items())
                    try:  # a shape found clean (never one with `const`/`enum`: see _leaf_key)
                        shapes[shape]
                        last, key = sub, shape
                    except TypeError:  # a dict or list inside: not a leaf
                        view = self._visit(sub, f"{pointer}/{_esc(name)}", meta)
                    except KeyError:  # a new shape, or one found unclean before
                        view = self._visit_member(sub, pointer, name, meta)
                if view is not None:
                    if meta:
                        kept[name] = view
                        changed = changed or view is not sub
                    continue
            else:
                if meta:
                    kept[name] = sub
                continue
            if meta:
                if drop and self._surely_valid(key):
                    changed = True
                else:
                    kept[name] = sub
        self._last, self._last_key = last, key
        return kept if changed else members

    def _visit_member(self, node: dict[str, Any], parent: str, name: str, meta: bool) -> Any:
        """Visit a named sub-schema, remembering its shape when it is a leaf that recorded
        nothing; returns its meta view."""
        leaf = _leaf_key(node)
        before = self._recorded()
        view = self._visit(node, f"{parent}/{_esc(name)}", meta)
        if leaf is not None and self._recorded() == before:
            self._shapes.setdefault(leaf, None)
        return view

    def _surely_valid(self, key: tuple[tuple[str, Any], ...]) -> bool:
        """Whether every leaf of this clean shape passes the meta-schema (asked once)."""
        valid = self._shapes[key]
        if valid is None:
            valid = self._shapes[key] = leaf_surely_valid(key, self._draft)
        return valid

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
        if len(props) == 1:
            name = next(iter(props))
            return name in self._good_names or self._good_name(name)
        names = tuple(props)
        if names in self._clean_maps:
            return True  # the same names as a map found clean (generated models repeat them)
        good = self._good_names
        if not good.issuperset(props):
            for name in props:
                if name not in good and not self._good_name(name):
                    return False
        # No two names fold alike. Folding is per character and a valid name holds no NUL,
        # so folding the joined names folds each; unchanged, they are the distinct keys.
        joined = "\0".join(names)
        folded = joined.casefold()
        if folded == joined or len(set(folded.split("\0"))) == len(names):
            self._clean_maps.add(names)
            return True
        return False

    def _good_name(self, name: str) -> bool:
        """Whether `name` trips no name rule on its own (remembered when it does not)."""
        if not _NAME.match(name) or name in CSHARP_KEYWORDS:
            return False
        self._good_names.add(name)
        return True

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
    them): the walk without yielding the thousands of leaves, which never close one (only a
    field with properties can: see `ModelField.cycle`), so a leaf costs one test."""
    found: list[ModelField] = []

    def visit(parent: ModelField) -> None:
        for child in parent.children.values():
            if child.content.properties:
                if child.cycle:
                    found.append(child)
                else:
                    visit(child)

    visit(root)
    return found


def _compiles(model: DataModel, scan: _Scan) -> Iterator[Finding]:
    if surely_compiles(model, scan.compile_facts, scan.meta_view):
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
